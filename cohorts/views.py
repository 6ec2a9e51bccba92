from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from .enums import CohortState
from .models import Cohort, Programme
from .selectors import cohort_for_public_page, cohorts_of_programme, open_call, programme_for_home


def _cohort_context(cohort):
    participations, workshops = cohort_for_public_page(cohort)
    return {
        "cohort": cohort,
        "participations": participations,
        "workshops": workshops,
        "today": timezone.localdate(),
        "application_open": cohort.is_application_window_open(),
    }


def call(request):
    """The public call for applications: the programme, who may apply, the open cohort."""
    programme = programme_for_home()
    if programme is None:
        return render(request, "cohorts/no_programme.html")
    return _call(request, programme)


def _call(request, programme):
    cohort = open_call(programme)
    context = {"programme": programme, "cohorts": cohorts_of_programme(programme)}
    if cohort is not None:
        context.update(_cohort_context(cohort))
    return render(request, "cohorts/call.html", context)


def programme_call(request, slug):
    """One programme's call page (the home page shows it too while it is the only one)."""
    programme = get_object_or_404(Programme, slug=slug)
    return _call(request, programme)


def cohort_detail(request, slug, number):
    cohort = get_object_or_404(
        Cohort.objects.select_related("programme"), programme__slug=slug, number=number
    )
    if cohort.state == CohortState.PLANNED and not request.user.is_staff:
        raise Http404
    context = _cohort_context(cohort)
    context["programme"] = cohort.programme
    context["cohorts"] = cohorts_of_programme(cohort.programme)
    return render(request, "cohorts/cohort_detail.html", context)
