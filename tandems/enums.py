from django.db import models
from django.utils.translation import gettext_lazy as _


class ConstraintKind(models.TextChoices):
    PIN = "pin", _("festgelegt")
    FORBID = "forbid", _("ausgeschlossen")


class TandemStatus(models.TextChoices):
    ACTIVE = "active", _("aktiv")
    ENDED = "ended", _("vorzeitig beendet")
    COMPLETED = "completed", _("abgeschlossen")


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


class MatchingLogAction(models.TextChoices):
    """What the Beirat set for a pair before a proposal (``PairConstraint``)."""

    PINNED = "pinned", _("Paar festgelegt")
    FORBIDDEN = "forbidden", _("Paar ausgeschlossen")
    RELEASED = "released", _("Vorgabe aufgehoben")
