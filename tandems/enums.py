from django.db import models
from django.utils.translation import gettext_lazy as _


class ConstraintKind(models.TextChoices):
    PIN = "pin", _("festgelegt")
    FORBID = "forbid", _("ausgeschlossen")


class TandemStatus(models.TextChoices):
    ACTIVE = "active", _("aktiv")
    ENDED = "ended", _("vorzeitig beendet")
    COMPLETED = "completed", _("abgeschlossen")


class EndCategory(models.TextChoices):
    """Why a tandem ended early, grouped for the cohort report; the reason itself is text."""

    JOB_CHANGE = "job_change", _("berufliche Veränderung")
    WORKLOAD = "workload", _("Arbeitsbelastung / fehlende Zeit")
    ABSENCE = "absence", _("Krankheit, Elternzeit oder Beurlaubung")
    RELATIONSHIP = "relationship", _("Zusammenarbeit im Tandem")
    LEFT_ORGANISATION = "left_organisation", _("Ausscheiden aus der Organisation")
    OTHER = "other", _("sonstiger Grund")


class ContactFormat(models.TextChoices):
    IN_PERSON = "in_person", _("persönlich")
    PHONE = "phone", _("Telefon")
    VIDEO = "video", _("Video")
    WRITTEN = "written", _("schriftlich")


class MonthState(models.TextChoices):
    """How a month of a tandem stands, for the partners' timeline and the Beirat's grid."""

    DONE = "done", _("Kontakt")
    MISSING = "missing", _("kein Kontakt")
    OPEN = "open", _("laufender Monat")
    UPCOMING = "upcoming", _("noch nicht begonnen")
    OUTSIDE = "outside", _("außerhalb der Laufzeit")


class TandemLogAction(models.TextChoices):
    PUBLISHED = "published", _("gebildet (Vorschlag veröffentlicht)")
    ENDED = "ended", _("vorzeitig beendet")
    REMATCHED = "rematched", _("neu zugeordnet")
    GOAL_AGREEMENT_CONFIRMED = "goal_agreement_confirmed", _("Zielvereinbarung bestätigt")


class GoalAgreementAction(models.TextChoices):
    """What a partner did to the goal agreement (``GoalAgreementEntry``)."""

    CHANGED = "changed", _("geändert")
    CONFIRMED = "confirmed", _("bestätigt")


class MatchingLogAction(models.TextChoices):
    """What the Beirat set for a pair before a proposal (``PairConstraint``)."""

    PINNED = "pinned", _("Paar festgelegt")
    FORBIDDEN = "forbidden", _("Paar ausgeschlossen")
    RELEASED = "released", _("Vorgabe aufgehoben")
