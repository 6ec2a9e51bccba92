"""Her account, consents and the e-mails sent to her, for her data export (Art. 15 GDPR).

See ``mentoring.export``. Three queries, whatever she has. Mails are listed by subject
and date: the product keeps no bodies (``SentMail``, ``SentReminder``).
"""

from django.utils.translation import gettext as _

from .export import Facts, Section, Table
from .models import Consent, SentMail, SentReminder


def _account(user):
    data = {
        "email": user.email,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "phone": user.phone,
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


def personal_data(*, user):
    return [_account(user), _consents(user), _mails(user)]
