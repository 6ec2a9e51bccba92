"""What the start page shows about applications: hers, or those waiting for an officer."""

from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from cohorts.enums import CohortState
from cohorts.models import Cohort
from cohorts.selectors import member_cohort_filter
from mentoring.start import NavItem, Panel, Task

from .enums import ApplicationState
from .selectors import TASKS, applications_of, has_applications

# What an officer is asked to do, in the order the selection runs.
TASK_LABELS = {
    "bewertung": gettext_lazy("Bewerbungen ohne Ihre Bewertung"),
    "gespraech": gettext_lazy("Auswahlgespräche zu vereinbaren"),
    "entscheidung": gettext_lazy("Entscheidungen vorzumerken"),
    "versand": gettext_lazy("Vorgemerkte Entscheidungen zu versenden"),
}


def _selecting_cohorts(user):
    cohorts = Cohort.objects.filter(state__in=[CohortState.OPEN, CohortState.SELECTION])
    if not user.is_programme_office:
        cohorts = cohorts.filter(member_cohort_filter(user=user))
    return list(cohorts.select_related("programme").order_by("programme__name", "number"))


def officer_panels(*, user, today):
    cohorts = _selecting_cohorts(user)
    if not cohorts:
        return []
    counts = {
        name: dict(
            selector(user=user)
            .filter(cohort__in=cohorts)
            .order_by()
            .values_list("cohort")
            .annotate(n=Count("pk", distinct=True))
        )
        for name, selector in TASKS.items()
    }
    changelist = reverse("admin:applications_application_changelist")
    panels = []
    for cohort in cohorts:
        tasks = []
        for name in TASKS:
            count = counts[name].get(cohort.pk, 0)
            if name == "gespraech" and not cohort.programme.interview_required:
                continue
            if name == "versand" and not count:
                continue
            note, urgent = "", False
            if name == "bewertung" and cohort.selection_date and cohort.selection_date >= today:
                days = (cohort.selection_date - today).days
                note = ngettext(
                    "Auswahlsitzung am %(date)s, in %(days)d Tag",
                    "Auswahlsitzung am %(date)s, in %(days)d Tagen",
                    days,
                ) % {"date": date_format(cohort.selection_date, "SHORT_DATE_FORMAT"), "days": days}
                urgent = bool(count) and days <= 7
            tasks.append(
                Task(
                    label=TASK_LABELS[name],
                    url=f"{changelist}?cohort__id__exact={cohort.pk}&aufgabe={name}",
                    count=count,
                    note=note,
                    urgent=urgent,
                )
            )
        panels.append(
            Panel(
                title=_("Auswahl: %(programme)s, %(cohort)s")
                % {"programme": cohort.programme.name, "cohort": cohort.display_title},
                tasks=tuple(tasks),
                order=10,
            )
        )
    return panels


def participant_panels(*, user, today):
    tasks = []
    now = timezone.now()
    for application in applications_of(user=user):
        cohort = application.cohort
        note = application.get_state_display()
        urgent = application.state == ApplicationState.CHANGES_REQUESTED
        if application.is_editable and cohort.application_deadline > now:
            note = _("%(state)s – bis %(deadline)s einreichen") % {
                "state": note,
                "deadline": date_format(
                    timezone.localtime(cohort.application_deadline), "SHORT_DATETIME_FORMAT"
                ),
            }
            urgent = urgent or (cohort.application_deadline - now).days < 7
        url = (
            reverse("applications:edit", args=[application.pk])
            if application.is_editable
            else reverse("applications:mine")
        )
        tasks.append(
            Task(
                label=_("%(role)s: %(programme)s, %(cohort)s")
                % {
                    "role": application.get_role_display(),
                    "programme": cohort.programme.name,
                    "cohort": cohort.display_title,
                },
                url=url,
                note=note,
                urgent=urgent,
            )
        )
    if not tasks:
        return []
    return [Panel(title=_("Ihre Bewerbungen"), tasks=tuple(tasks), order=30)]


def navigation(*, user):
    if user.is_staff and not has_applications(user=user):
        return []
    return [NavItem(_("Meine Bewerbungen"), reverse("applications:mine"), order=20)]
