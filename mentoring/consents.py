"""Consents under a version of the privacy notice: give, withdraw, renew, and what follows.

Every consent names the version of the privacy notice (``PrivacyNotice``) that was current
when she gave it. Rows are never edited back: withdrawing sets ``withdrawn_at``; giving a
consent again under a newer version ends the old row and starts a new one at the same
moment, so the history shows which text she agreed to and when.

What a withdrawal means for the domain (an application withdrawn, a transfer consent
cleared) is the apps' business. This ground floor knows no domain app: each app may offer,
in a module that settings name (``CONSENT_PROVIDERS``), ``withdrawal_consequences(*, user,
kind)`` (German sentences for the confirmation screen; a non-empty answer asks her to
confirm first) and ``consent_withdrawn(*, user, kind, actor, now)`` (applies them in the
withdrawal's transaction and returns German sentences saying what was done).

Version 1 of the notice is created after ``migrate`` when there is none
(``create_first_notice``), from ``templates/pages/privacy_notice_1.txt``; the programme
office publishes later versions in the admin. Reading never creates anything.
"""

from importlib import import_module

from django.apps import apps as global_apps
from django.conf import settings
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .enums import ConsentKind
from .models import Consent, PrivacyNotice

# Where the text of version 1 comes from (a fresh installation, the demo, the tests).
FIRST_NOTICE_TEMPLATE = "pages/privacy_notice_1.txt"

# The consents a person gives or withdraws on her own on the consents page. Processing
# and passing data on belong to an application and are given with its submission.
OPTIONAL_KINDS = (ConsentKind.FOLLOW_UP, ConsentKind.KEEP_FOR_LATER)

# What each consent means, in a sentence or two, for the consents page.
DESCRIPTIONS = {
    ConsentKind.PROCESSING: gettext_lazy(
        "Ihre Angaben und Unterlagen werden für die Auswahl und die Durchführung des "
        "Mentorings verarbeitet. Ohne diese Einwilligung kann eine Bewerbung nicht "
        "eingereicht werden."
    ),
    ConsentKind.TRANSFER: gettext_lazy(
        "Ihre Angaben werden zur Bildung des Tandems an die Partnerorganisation Ihrer "
        "künftigen Tandempartnerin bzw. Ihres künftigen Tandempartners weitergegeben. Ohne "
        "sie werden Sie bei der Tandembildung nicht berücksichtigt."
    ),
    ConsentKind.FOLLOW_UP: gettext_lazy(
        "Nach dem Jahrgang fragen wir Sie gelegentlich nach Ihrem beruflichen Werdegang, "
        "damit das Programm zeigen kann, was es bewirkt. Die Antwort ist freiwillig."
    ),
    ConsentKind.KEEP_FOR_LATER: gettext_lazy(
        "Werden Sie nicht ausgewählt, bewahren wir Ihre Bewerbung für einen späteren "
        "Jahrgang auf, statt sie nach Ablauf der Frist zu löschen."
    ),
}


class ConsentError(Exception):
    """A refused consent action; ``str(error)`` is the German message for the person."""


# The notice ------------------------------------------------------------------------------


def current_notice(*, now=None):
    """The notice in force: the highest version published by ``now``, or ``None``."""
    now = now or timezone.now()
    return PrivacyNotice.objects.filter(published_at__lte=now).order_by("-version").first()


def published_notice(version, *, now=None):
    """Version ``version`` if it is published, else ``None`` (a draft stays unseen)."""
    now = now or timezone.now()
    return PrivacyNotice.objects.filter(version=version, published_at__lte=now).first()


def first_notice_text():
    return render_to_string(FIRST_NOTICE_TEMPLATE).strip()


def create_first_notice(sender, *, apps=None, using="default", **kwargs):
    """``post_migrate``: a fresh installation starts with version 1 of the notice.

    Runs after every ``migrate`` and ``flush`` (which passes no ``apps``: the current
    models) and does nothing once any version exists, so a text the programme office
    published is never touched.
    """
    if apps is None:
        apps = global_apps
    try:
        Notice = apps.get_model("mentoring", "PrivacyNotice")
    except LookupError:  # migrated back to before the model existed
        return
    if Notice.objects.using(using).exists():
        return
    Notice.objects.using(using).create(version=1, text=first_notice_text())


# Reading ---------------------------------------------------------------------------------


def active_consents(user):
    """Her consents in force, each with its notice, in the order of ``ConsentKind``."""
    order = {kind: index for index, kind in enumerate(ConsentKind.values)}
    consents = Consent.objects.filter(user=user, withdrawn_at__isnull=True).select_related("notice")
    return sorted(consents, key=lambda consent: order.get(consent.kind, len(order)))


def has_active_consent(user, kind):
    return Consent.objects.filter(user=user, kind=kind, withdrawn_at__isnull=True).exists()


def active_consent(user, kind):
    """Her consent of ``kind`` in force, with its notice, or None."""
    return (
        Consent.objects.filter(user=user, kind=kind, withdrawn_at__isnull=True)
        .select_related("notice")
        .first()
    )


def needs_renewal(user, *, notice=None):
    """Whether a consent of hers in force was given under an older notice than ``notice``.

    ``notice`` defaults to the one in force. One or two queries.
    """
    notice = notice or current_notice()
    if notice is None:
        return False
    return Consent.objects.filter(
        user=user, withdrawn_at__isnull=True, notice__version__lt=notice.version
    ).exists()


# Writing ---------------------------------------------------------------------------------


def _notice_in_force(now):
    notice = current_notice(now=now)
    if notice is None:
        raise ConsentError(
            _(
                "Es ist noch kein Datenschutzhinweis veröffentlicht; eine Einwilligung ist "
                "deshalb gerade nicht möglich. Bitte wenden Sie sich an das Programmbüro."
            )
        )
    return notice


@transaction.atomic
def consent_give(*, user, kind, now=None):
    """Records her consent of ``kind`` under the notice in force; returns the consent.

    A consent in force under the same notice is kept as it is (giving twice changes
    nothing). One under an older notice ends at this moment and a new row starts, so the
    history keeps both. Refuses (``ConsentError``) while no notice is published. Sends
    nothing.
    """
    if kind not in ConsentKind.values:
        raise ConsentError(_("Unbekannte Einwilligung."))
    now = now or timezone.now()
    notice = _notice_in_force(now)
    active = (
        Consent.objects.select_for_update()
        .filter(user=user, kind=kind, withdrawn_at__isnull=True)
        .first()
    )
    if active is not None:
        if active.notice_id == notice.pk:
            return active
        active.withdrawn_at = now
        active.save(update_fields=["withdrawn_at"])
    try:
        # A savepoint: a consent given by a second click at the same moment wins the
        # unique constraint; this one then returns it.
        with transaction.atomic():
            return Consent.objects.create(user=user, kind=kind, notice=notice, given_at=now)
    except IntegrityError:
        return Consent.objects.get(user=user, kind=kind, withdrawn_at__isnull=True)


@transaction.atomic
def consents_renew(*, user, now=None):
    """Gives again, under the notice in force, each of her consents given under an older one.

    The old rows end at this moment and stay as history. Returns the new consents. Sends
    nothing.
    """
    now = now or timezone.now()
    notice = _notice_in_force(now)
    old = list(
        Consent.objects.select_for_update()
        .filter(user=user, withdrawn_at__isnull=True, notice__version__lt=notice.version)
        .order_by("pk")
    )
    return [consent_give(user=user, kind=consent.kind, now=now) for consent in old]


def _providers(attribute):
    for path in getattr(settings, "CONSENT_PROVIDERS", ()):
        provider = getattr(import_module(path), attribute, None)
        if provider is not None:
            yield provider


def withdrawal_consequences(*, user, kind):
    """German sentences on what withdrawing ``kind`` would change for her, from every app."""
    return [
        line
        for provider in _providers("withdrawal_consequences")
        for line in provider(user=user, kind=kind)
    ]


@transaction.atomic
def consent_withdraw(*, user, kind, actor=None, now=None):
    """Ends her consent of ``kind`` now; the apps apply what follows in the same transaction.

    Returns the German sentences saying what the apps did (e.g. "your application … is
    withdrawn"), or ``None`` if no consent of ``kind`` was in force (a second click).
    Sends nothing.
    """
    now = now or timezone.now()
    active = (
        Consent.objects.select_for_update()
        .filter(user=user, kind=kind, withdrawn_at__isnull=True)
        .first()
    )
    if active is None:
        return None
    active.withdrawn_at = now
    active.save(update_fields=["withdrawn_at"])
    actor = actor or user
    return [
        line
        for provider in _providers("consent_withdrawn")
        for line in provider(user=user, kind=kind, actor=actor, now=now)
    ]
