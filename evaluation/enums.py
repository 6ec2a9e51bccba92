from django.db import models
from django.utils.translation import gettext_lazy as _


class SurveyKind(models.TextChoices):
    """The four surveys of a cohort, in the order they go out."""

    BASELINE = "baseline", _("Eingangsbefragung")
    FIRST_MONTH = "first_month", _("Kurzabfrage nach dem ersten Monat")
    MIDTERM = "midterm", _("Zwischenbefragung")
    FINAL = "final", _("Abschlussbefragung")


class SurveyState(models.TextChoices):
    """Where a survey stands on a given day (``Survey.state_on``); the label is the admin's."""

    INACTIVE = "inactive", _("wird nicht durchgeführt")
    UPCOMING = "upcoming", _("geplant")
    OPEN = "open", _("läuft")
    CLOSED = "closed", _("abgeschlossen")


class Function(models.TextChoices):
    """What a rating item measures: the three functions of mentoring, and the rest."""

    CAREER = "career", _("Karriereförderung")
    PSYCHOSOCIAL = "psychosocial", _("Persönliche Unterstützung")
    ROLE_MODEL = "role_model", _("Vorbild")
    SATISFACTION = "satisfaction", _("Zufriedenheit")
    # Asked once, in the baseline: where she wants to go.
    ASPIRATION = "aspiration", _("Führungsambition")
    # The first month's "how is it going" and "have you met".
    CHECK_IN = "check_in", _("Start des Tandems")


# The three functions of mentoring that the report shows side by side.
RELATIONSHIP_FUNCTIONS = (Function.CAREER, Function.PSYCHOSOCIAL, Function.ROLE_MODEL)


class Scale(models.TextChoices):
    AGREEMENT = "agreement", _("1 (trifft gar nicht zu) bis 5 (trifft voll zu)")
    YES_NO = "yes_no", _("ja / nein")
