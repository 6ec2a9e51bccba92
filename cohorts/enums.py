from django.db import models
from django.utils.translation import gettext_lazy as _


class MatchingPolicy(models.TextChoices):
    ACROSS_ORGANISATIONS = "across", _("verwaltungsübergreifend (Cross-Mentoring)")
    INTERNAL = "internal", _("intern (innerhalb einer Verwaltung)")


class OrganisationKind(models.TextChoices):
    CITY = "city", _("Stadt / Gemeinde")
    DISTRICT = "district", _("Kreis")
    COMPANY = "company", _("Unternehmen")
    OTHER = "other", _("Sonstige")


class CohortState(models.TextChoices):
    PLANNED = "planned", _("in Planung")
    OPEN = "open", _("Bewerbung offen")
    SELECTION = "selection", _("Auswahl")
    RUNNING = "running", _("läuft")
    FINISHED = "finished", _("abgeschlossen")


# Every state change of a cohort: from each state, the states it may move to
# (``services.cohort_transition`` refuses any other). One step forward, or one step back to
# correct a mistake, except back from a running cohort: its tandems are formed.
COHORT_TRANSITIONS = {
    CohortState.PLANNED: {CohortState.OPEN},
    CohortState.OPEN: {CohortState.PLANNED, CohortState.SELECTION},
    CohortState.SELECTION: {CohortState.OPEN, CohortState.RUNNING},
    CohortState.RUNNING: {CohortState.FINISHED},
    CohortState.FINISHED: {CohortState.RUNNING},
}


class CohortLogAction(models.TextChoices):
    TRANSITION = "transition", _("Statuswechsel")


class BeiratRole(models.TextChoices):
    CHAIR = "chair", _("Vorsitz")
    MEMBER = "member", _("Mitglied")


class CallTheme(models.TextChoices):
    """The look of a programme's call: named colours, each at least 7:1 against white.

    Named rather than free colours so that every choice keeps its contrast (BITV) and the
    style sheet needs no inline styles (Content-Security-Policy).
    """

    AUBERGINE = "aubergine", _("Aubergine")
    PETROL = "petrol", _("Petrol")
    BLUE = "blue", _("Blau")
    GREEN = "green", _("Grün")


class CertificatesOnErasure(models.TextChoices):
    """What happens to issued certificates when their holder is erased on request."""

    # The verification record stays: the certificate remains checkable by its code.
    KEEP = "keep", _("bleiben prüfbar (Name, Programm, Jahrgang, Code, Datum)")
    REVOKE = "revoke", _("werden widerrufen")
