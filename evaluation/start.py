"""What the start page shows of the surveys: hers to answer, and requests for contact."""

from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from cohorts.enums import CohortState
from cohorts.models import Cohort
from mentoring.start import Panel, Task

from .models import Survey
from .selectors import open_surveys_for, warnings_visible_to


def participant_panels(*, user, today):
    """The open surveys that ask her and that she has not answered yet."""
    tasks = tuple(
        Task(
            label=_("%(survey)s: %(cohort)s")
            % {"survey": survey.get_kind_display(), "cohort": survey.cohort.display_title},
            url=reverse("evaluation:survey", args=[survey.pk]),
            note=_("anonym, bis einschließlich %(date)s")
            % {"date": date_format(survey.closes_on, "DATE_FORMAT")},
            urgent=True,
        )
        for survey in open_surveys_for(user=user, today=today)
    )
    return [Panel(title=_("Befragungen"), tasks=tasks, order=22)] if tasks else []


def officer_panels(*, user, today):
    """Requests for contact not yet handled; for the office, cohorts without surveys."""
    panels = []
    if user.has_perm("evaluation.view_earlywarning"):
        count = warnings_visible_to(user=user).filter(handled_at__isnull=True).count()
        if count:
            url = reverse("admin:evaluation_earlywarning_changelist") + "?stand=offen"
            task = Task(
                _("Teilnehmende, die um ein Gespräch bitten"), url, count=count, urgent=True
            )
            panels.append(Panel(title=_("Bitten um Kontakt"), tasks=(task,), order=11))
    if user.is_programme_office:
        missing = Cohort.objects.filter(
            state__in=[CohortState.SELECTION, CohortState.RUNNING],
        ).exclude(Exists(Survey.objects.filter(cohort=OuterRef("pk"))))
        count = missing.count()
        if count:
            panels.append(
                Panel(
                    title=_("Befragungen"),
                    tasks=(
                        Task(
                            _("Jahrgänge ohne Befragungen"),
                            reverse("admin:evaluation_survey_defaults"),
                            count=count,
                        ),
                    ),
                    order=85,
                )
            )
    return panels
