"""Her account, consents, second factors and the e-mails sent to her, for her data export
(Art. 15 GDPR).

See ``mentoring.export``. A fixed number of queries, whatever she has. Mails are listed by subject
and date: the product keeps no bodies (``SentMail``, ``SentReminder``).
"""

from django.utils.translation import gettext as _

from .export import Facts, Section, Table
from .models import Consent, SentMail, SentReminder
from .second_factor import backup_codes_left, has_app, security_keys


def _account(user):
    data = {
        "email": user.email,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "phone": user.phone,
        "language": user.language,
        "role": user.role,
        "is_active": user.is_active,
        "date_joined": user.date_joined,
        "email_verified_at": user.email_verified_at,
        "last_login": user.last_login,
    }
    facts = Facts(
        _("Ihr Konto"),
        (
            (_("Vorname"), user.first_name),
            (_("Nachname"), user.last_name),
            (_("E-Mail-Adresse"), user.email),
            (_("Telefon"), user.phone),
            (_("Sprache"), user.get_language_display()),
            (_("Rolle"), user.get_role_display()),
            (_("Konto aktiv"), user.is_active),
            (_("registriert am"), user.date_joined),
            (_("E-Mail-Adresse bestätigt am"), user.email_verified_at),
            (_("letzte Anmeldung"), user.last_login),
        ),
    )
    return Section(key="account", title=_("Konto"), data=data, parts=(facts,), order=0)


def _consents(user):
    consents = list(Consent.objects.filter(user=user).select_related("notice"))
    data = [
        {
            "kind": consent.kind,
            "notice_version": consent.notice.version,
            "notice_published_at": consent.notice.published_at,
            "given_at": consent.given_at,
            "withdrawn_at": consent.withdrawn_at,
        }
        for consent in consents
    ]
    table = Table(
        _("Ihre Einwilligungen"),
        (
            _("Einwilligung"),
            _("Datenschutzhinweis, Version"),
            _("erteilt am"),
            _("widerrufen am"),
        ),
        tuple(
            (
                consent.get_kind_display(),
                consent.notice.version,
                consent.given_at,
                consent.withdrawn_at,
            )
            for consent in consents
        ),
        empty=_("Sie haben bisher keine Einwilligung erteilt."),
    )
    return Section(key="consents", title=_("Einwilligungen"), data=data, parts=(table,), order=10)


def _mails(user):
    mails = list(
        SentMail.objects.filter(recipient=user)
        .only("purpose", "address", "status", "subject", "created_at", "sent_at")
        .order_by("created_at", "pk")
    )
    reminders = list(
        SentReminder.objects.filter(recipient=user)
        .only("kind", "period", "status", "subject", "created_at", "sent_at")
        .order_by("created_at", "pk")
    )
    data = {
        "mails": [
            {
                "purpose": mail.purpose,
                "subject": mail.subject,
                "address": mail.address,
                "status": mail.status,
                "created_at": mail.created_at,
                "sent_at": mail.sent_at,
            }
            for mail in mails
        ],
        "reminders": [
            {
                "kind": reminder.kind,
                "period": reminder.period,
                "subject": reminder.subject,
                "status": reminder.status,
                "created_at": reminder.created_at,
                "sent_at": reminder.sent_at,
            }
            for reminder in reminders
        ],
    }
    columns = (_("Datum"), _("Betreff"), _("Status"))
    parts = (
        Table(
            _("Benachrichtigungen"),
            (*columns, _("an")),
            tuple(
                (
                    mail.sent_at or mail.created_at,
                    mail.subject,
                    mail.get_status_display(),
                    mail.address,
                )
                for mail in mails
            ),
        ),
        Table(
            _("Erinnerungen"),
            columns,
            tuple(
                (
                    reminder.sent_at or reminder.created_at,
                    reminder.subject or reminder.get_kind_display(),
                    reminder.get_status_display(),
                )
                for reminder in reminders
            ),
        ),
    )
    return Section(
        key="emails",
        title=_("E-Mails an Sie"),
        data=data,
        parts=parts,
        note=_("Gespeichert sind Betreff und Datum jeder E-Mail, nicht ihr Text."),
        order=90,
    )


def _second_factor(user):
    """Which second factors she set up: the app, her keys by name, how many backup codes.

    Never the secrets themselves (the app's key, a key's public key, the codes).
    """
    keys = list(security_keys(user).only("name", "created_at", "last_used_at").order_by("pk"))
    app, codes = has_app(user), backup_codes_left(user)
    if not (app or keys or codes):
        return None
    data = {
        "authenticator_app": app,
        "security_keys": [
            {"name": key.name, "created_at": key.created_at, "last_used_at": key.last_used_at}
            for key in keys
        ],
        "backup_codes_left": codes,
    }
    parts = (
        Facts(
            _("Zweiter Faktor"),
            (
                (_("Authenticator-App eingerichtet"), app),
                (_("Notfallcodes übrig"), codes),
            ),
        ),
        Table(
            _("Ihre Sicherheitsschlüssel"),
            (_("Name"), _("hinzugefügt am"), _("zuletzt verwendet am")),
            tuple((key.name, key.created_at, key.last_used_at) for key in keys),
            empty=_("Sie haben keinen Sicherheitsschlüssel registriert."),
        ),
    )
    return Section(
        key="second_factor",
        title=_("Zweiter Faktor"),
        data=data,
        parts=parts,
        note=_("Die Geheimnisse selbst (Schlüssel der App, Notfallcodes) sind nicht enthalten."),
        order=15,
    )


def personal_data(*, user):
    sections = [_account(user), _consents(user), _second_factor(user), _mails(user)]
    return [section for section in sections if section is not None]
