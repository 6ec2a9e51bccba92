from functools import lru_cache

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class UserRole(models.TextChoices):
    """What a person does in the programme, as far as the whole site is concerned.

    Scope is finer than the role: an officer sees what her Beirat memberships give her
    (``cohorts.rules``), a participant what her applications and tandems give her.
    """

    PARTICIPANT = "participant", _("Teilnehmende (Bewerberin, Mentee, Mentor:in)")
    OFFICER = "officer", _("Gleichstellungsbeauftragte / Mentoringbeirat")
    PROGRAMME_OFFICE = "programme_office", _("Programmbüro (Studieninstitut)")


# Roles that work in the officers' admin.
STAFF_ROLES = frozenset({UserRole.OFFICER, UserRole.PROGRAMME_OFFICE})


class ReminderKind(models.TextChoices):
    APPLICATION_DEADLINE = "application_deadline", _("Bewerbungsschluss naht")
    REVIEW_MISSING = "review_missing", _("Bewertungen fehlen vor der Auswahlsitzung")
    CONTACT_MISSING = "contact_missing", _("Monatskontakt fehlt")
    CONTACT_ESCALATION = "contact_escalation", _("Tandem seit zwei Monaten ohne Kontakt")
    GOAL_AGREEMENT = "goal_agreement", _("Zielvereinbarung nicht bestätigt")
    WORKSHOP_UPCOMING = "workshop_upcoming", _("Workshop steht bevor")
    SURVEY_INVITATION = "survey_invitation", _("Einladung zur Befragung")
    SURVEY_REMINDER = "survey_reminder", _("Erinnerung an die Befragung")
    FOLLOW_UP = "follow_up", _("Frage zum beruflichen Werdegang")
    FOLLOW_UP_REMINDER = "follow_up_reminder", _("Erinnerung: Frage zum Werdegang")


class ReminderStatus(models.TextChoices):
    # Claimed by a sweep, not (yet) accepted by the mail server. A row whose claim is older
    # than MAIL_CLAIM_STALE_SECONDS was left by a sweep that died; the next sweep sends it.
    PENDING = "pending", _("in Zustellung")
    SENT = "sent", _("gesendet")
    FAILED = "failed", _("fehlgeschlagen")


class ReminderLogAction(models.TextChoices):
    RESENT = "resent", _("erneut gesendet")


class MailStatus(models.TextChoices):
    # Claimed and being handed to the mail server. A row that stays here for longer than
    # MAIL_CLAIM_STALE_SECONDS was left by a worker that died; the task's next try (a
    # redelivery, or the one beat queues: mentoring.mail.resume) takes it over and sends it
    # with the same Message-ID.
    SENDING = "sending", _("in Zustellung")
    # The server was unreachable or said "try again later"; the message did not go out
    # and the task's next try takes the row again.
    RETRY = "retry", _("wird erneut versucht")
    SENT = "sent", _("gesendet")
    FAILED = "failed", _("fehlgeschlagen")


class ConsentKind(models.TextChoices):
    """What a person may agree to, each on its own and each revocable at any time."""

    # Processing her application data for the selection and the programme (Art. 6(1)(a)).
    PROCESSING = "processing", _("Verarbeitung meiner Angaben für Auswahl und Programm")
    # Passing her data to the partner's organisation (programmes with companies).
    TRANSFER = "transfer", _("Weitergabe meiner Angaben an die Partnerorganisation")
    # Follow-up questions on her career after the cohort (issue "Did it work?").
    FOLLOW_UP = "follow_up", _("Nachbefragungen zu meinem beruflichen Werdegang")
    # Keeping a not-selected application for a later cohort instead of erasing it.
    KEEP_FOR_LATER = (
        "keep_for_later",
        _("Aufbewahrung meiner Bewerbung für einen späteren Jahrgang"),
    )


class ErasureReason(models.TextChoices):
    RETENTION = "retention", _("Aufbewahrungsfrist abgelaufen")
    REQUEST = "request", _("auf Antrag der Person (Art. 17 DSGVO)")


class OutboxState(models.TextChoices):
    # Stored with the user's action, not yet handed to the broker.
    PENDING = "pending", _("wartet")
    # Handed to the broker; the task itself is idempotent.
    DISPATCHED = "dispatched", _("übergeben")


class Conformity(models.TextChoices):
    """The state of conformity an accessibility statement declares (§ 12b BGG)."""

    FULL = "full", _("vollständig vereinbar")
    PARTIAL = "partial", _("teilweise vereinbar")
    NONE = "none", _("nicht vereinbar")


def choice_label(choices, value):
    """What ``get_FOO_display()`` shows for ``value`` of the ``choices`` class, in the
    active language; ``value`` itself if it is none of them.

    Django's method rebuilds and hashes the field's whole list of choices on every call
    (half a millisecond for an application's state): too slow for each row of a list.
    """
    return _labels(choices, get_language()).get(value, value)


@lru_cache(maxsize=256)
def _labels(choices, language):
    return {value: str(text) for value, text in choices.choices}
