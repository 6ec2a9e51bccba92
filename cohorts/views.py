from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from mentoring.public_pages import public_page

from .enums import CohortState, OrganisationKind
from .models import Cohort
from .selectors import (
    active_programme_count,
    cohort_for_public_page,
    cohorts_of_programme,
    open_call,
    programme_for_call,
    programmes_for_home,
    public_pages_change_at,
)


def _lines(text):
    """The non-empty lines of a text field that holds one item per line."""
    return [line.strip() for line in text.splitlines() if line.strip()]


def _programme_context(programme, *, several_programmes):
    return {
        "programme": programme,
        "cohorts": cohorts_of_programme(programme=programme),
        # The home page lists programmes: programme pages lead back to that list.
        "several_programmes": several_programmes,
    }


def _cohort_context(cohort):
    participations, workshops = cohort_for_public_page(cohort=cohort)
    return {
        "cohort": cohort,
        "participations": participations,
        # Companies are not administrations: the contact table then says "Organisation".
        "partners_are_companies": any(
            p.organisation.kind == OrganisationKind.COMPANY for p in participations
        ),
        "workshops": workshops,
        "today": timezone.localdate(),
        "application_open": cohort.is_application_window_open(),
    }


@public_page(valid_until=public_pages_change_at)
def call(request):
    """The public home page.

    It lists the *active* programmes: those with a cohort that takes applications, is in
    selection or runs (``ACTIVE_COHORT_STATES``); a programme whose cohorts are all planned
    or finished has nothing for the public to apply for or follow now and is left out.
    Open calls come first, soonest deadline first, then the others by name.

    With exactly one active programme, or only one programme at all, the home page is that
    programme's call page, as it was when the product served one programme. Without any
    programme it says so; with several programmes of which none is active it lists them
    all under a note that no cohort is running.
    """
    now = timezone.now()
    programmes = programmes_for_home(now=now)
    active = [programme for programme in programmes if programme.is_active]
    if len(active) == 1:
        return _call(request, active[0], several_programmes=False)
    if len(programmes) == 1:
        return _call(request, programmes[0], several_programmes=False)
    if not programmes:
        return render(request, "cohorts/no_programme.html")
    return render(
        request,
        "cohorts/home.html",
        {"programmes": active or programmes, "any_active": bool(active), "now": now},
    )


def _call(request, programme, *, several_programmes):
    cohort = open_call(programme=programme)
    context = _programme_context(programme, several_programmes=several_programmes)
    context["mentee_requirements"] = _lines(programme.mentee_requirements)
    context["mentor_requirements"] = _lines(programme.mentor_requirements)
    if cohort is not None:
        context.update(_cohort_context(cohort))
    return render(request, "cohorts/call.html", context)


@public_page(valid_until=public_pages_change_at)
def programme_call(request, slug):
    """One programme's call page (the home page shows it too while it is the only one)."""
    programme = programme_for_call(slug=slug)
    if programme is None:
        raise Http404
    return _call(request, programme, several_programmes=active_programme_count() > 1)


@public_page(valid_until=public_pages_change_at)
def cohort_detail(request, slug, number):
    programme = programme_for_call(slug=slug)
    if programme is None:
        raise Http404
    cohort = get_object_or_404(Cohort, programme=programme, number=number)
    if cohort.state == CohortState.PLANNED and not request.user.is_staff:
        raise Http404
    cohort.programme = programme
    context = _programme_context(programme, several_programmes=active_programme_count() > 1)
    context.update(_cohort_context(cohort))
    return render(request, "cohorts/cohort_detail.html", context)
