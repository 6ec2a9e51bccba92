"""Retention and erasure of what names a person on the survey side (see ``mentoring.retention``).

Only two kinds of row name her: that she answered a survey (``SurveyAnswered``) and her
request for contact (``EarlyWarning``). Both go ``Programme.retention_tandem_months`` after
the cohort's end, as the tandems' contact logs do, and at once when she asks to be erased.
The counted answers and the free text name nobody and stay: the cohort's report keeps its
figures.
"""

from collections import Counter

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cohorts.retention import erased_per_cohort, locked_per_cohort, pending_per_cohort
from mentoring.retention import AddMonths, Line

from .models import EarlyWarning, SurveyAnswered

KINDS = {
    "survey_answered": gettext_lazy("Vermerke, wer eine Befragung beantwortet hat"),
    "early_warning": gettext_lazy("Bitten um ein Gespräch nach der Kurzabfrage"),
}

COHORT = "survey__cohort__"
MODELS = {"survey_answered": SurveyAnswered, "early_warning": EarlyWarning}


def _dated(model):
    return model.objects.annotate(
        due_on=AddMonths(f"{COHORT}end_date", f"{COHORT}programme__retention_tandem_months")
    )


def pending(*, until):
    return [
        row
        for kind, model in MODELS.items()
        for row in pending_per_cohort(_dated(model), kind, until=until, prefix=COHORT)
    ]


def _delete(queryset, kind, *, skip_locked=False):
    """Deletes ``queryset``'s rows, locked first; returns how many per cohort."""
    locked = locked_per_cohort(queryset, prefix=COHORT, skip_locked=skip_locked)
    queryset.model.objects.filter(pk__in=locked).delete()
    return erased_per_cohort(kind, Counter(locked.values()))


def erase_due(*, today):
    return [
        row
        for kind, model in MODELS.items()
        # Rows another run holds are its to erase.
        for row in _delete(_dated(model).filter(due_on__lte=today), kind, skip_locked=True)
    ]


def person_summary(*, user):
    answered = SurveyAnswered.objects.filter(user=user).count()
    warnings = EarlyWarning.objects.filter(user=user).count()
    lines = [
        Line(
            _("Vermerke, dass sie an Befragungen teilgenommen hat"),
            answered,
            _("werden gelöscht; ihre Antworten sind ohne Namen gezählt und bleiben"),
        ),
        Line(_("Bitten um ein Gespräch"), warnings, _("werden gelöscht")),
    ]
    return [line for line in lines if line.count]


def erase_person(*, user, actor):
    return [
        row
        for kind, model in MODELS.items()
        for row in _delete(model.objects.filter(user=user), kind)
    ]
