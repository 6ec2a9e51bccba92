from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cohorts.selectors import officer_organisation_ids, sees_whole_cohort
from cohorts.shortcuts import cohort_or_403

from . import calendar, certificates, services
from .enums import RsvpAnswer
from .forms import AttendanceForm, PresentationForm, RsvpForm, TeamForm
from .models import CalendarFeed, ProjectTeam, Workshop
from .rendering import AttendanceRow, AttendanceSheetContent, render_attendance_sheet
from .selectors import (
    attendance_sheet_rows,
    feed_for_token,
    invited_application,
    participants,
    teams_of_user,
    teams_visible_to,
    with_answers,
    workshops_for,
)

# Participants -----------------------------------------------------------------------------


def _rsvp_form(workshop, data=None):
    initial = {}
    if workshop.rsvp is not None:
        initial = {"answer": workshop.rsvp.answer, "reason": workshop.rsvp.reason}
    return RsvpForm(data, initial=initial, prefix=f"w{workshop.pk}")


def _my_workshops_page(request, bound=None):
    """Her workshops with answers and .ics links, her team, her calendar address."""
    page = Paginator(workshops_for(request.user), 20).get_page(request.GET.get("seite"))
    workshops = with_answers(page.object_list, request.user)
    for workshop in workshops:
        if bound is not None and bound.prefix == f"w{workshop.pk}":
            workshop.form = bound
        else:
            workshop.form = _rsvp_form(workshop)
    feed = CalendarFeed.objects.filter(user=request.user).first()
    feed_url = (
        request.build_absolute_uri(reverse("workshops:feed", kwargs={"token": feed.token}))
        if feed
        else None
    )
    return render(
        request,
        "workshops/mine.html",
        {
            "page": page,
            "workshops": workshops,
            "teams": teams_of_user(request.user),
            "feed_url": feed_url,
            "today": timezone.localdate(),
        },
    )


@login_required
def my_workshops(request):
    return _my_workshops_page(request)


@login_required
@require_POST
def rsvp(request, pk):
    """Her answer to one workshop; only workshops she is invited to exist here."""
    workshop = get_object_or_404(workshops_for(request.user), pk=pk)
    application = invited_application(request.user, workshop)
    if application is None:
        raise Http404
    form = RsvpForm(request.POST, prefix=f"w{workshop.pk}")
    if not form.is_valid():
        return _my_workshops_page(request, bound=form)
    try:
        services.rsvp_answer(
            workshop=workshop,
            application=application,
            answer=form.cleaned_data["answer"],
            reason=form.cleaned_data["reason"],
            actor=request.user,
        )
    except services.WorkshopError as error:
        form.add_error(None, str(error))
        return _my_workshops_page(request, bound=form)
    if form.cleaned_data["answer"] == RsvpAnswer.YES:
        messages.success(request, _("Danke, wir haben Ihre Zusage gespeichert."))
    else:
        messages.success(request, _("Danke, wir haben Ihre Absage gespeichert."))
    return redirect(f"{reverse('workshops:mine')}#workshop-{workshop.pk}")


def _ics_response(content, filename):
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def workshop_ics(request, pk):
    workshop = get_object_or_404(workshops_for(request.user), pk=pk)
    return _ics_response(calendar.calendar_bytes([workshop]), f"workshop-{workshop.pk}.ics")


def feed(request, token):
    """Her workshops as a subscribable calendar: the secret address is the only key."""
    subscription = feed_for_token(token)
    if subscription is None or not subscription.user.is_active:
        raise Http404
    workshops = workshops_for(subscription.user)
    response = _ics_response(
        calendar.calendar_bytes(workshops, name=_("Cross-Mentoring: Workshops")),
        "workshops.ics",
    )
    response["Cache-Control"] = "private, max-age=3600"
    response["X-Robots-Tag"] = "noindex"
    return response


@login_required
@require_POST
def feed_renew(request):
    services.calendar_feed_renew(user=request.user)
    messages.success(
        request,
        _("Ihre neue Kalenderadresse ist eingerichtet. Eine frühere Adresse gilt nicht mehr."),
    )
    return redirect(f"{reverse('workshops:mine')}#kalender")


@login_required
@require_POST
def feed_revoke(request):
    services.calendar_feed_revoke(user=request.user)
    messages.success(request, _("Ihre Kalenderadresse ist gelöscht."))
    return redirect(f"{reverse('workshops:mine')}#kalender")


# The Beirat and the programme office -------------------------------------------------------


def _workshop_for(request, cohort_id, pk):
    cohort = cohort_or_403(request, cohort_id, "workshops.view_cohort_attendance")
    workshop = get_object_or_404(Workshop.objects.filter(cohort=cohort), pk=pk)
    workshop.cohort = cohort
    return workshop


@login_required
def cohort_workshops(request, cohort_id):
    """The cohort's workshops, each with its attendance page and signature sheet."""
    cohort = cohort_or_403(request, cohort_id, "workshops.view_cohort_attendance")
    page = Paginator(cohort.workshops.order_by("date", "start_time", "pk"), 25).get_page(
        request.GET.get("seite")
    )
    return render(
        request,
        "workshops/cohort_workshops.html",
        {"cohort": cohort, "page": page},
    )


@login_required
def attendance(request, cohort_id, pk):
    """Attendance of one workshop: everyone for the office and chair, her people for an officer."""
    workshop = _workshop_for(request, cohort_id, pk)
    page = Paginator(attendance_sheet_rows(workshop, request.user), 50).get_page(
        request.GET.get("seite")
    )
    can_excuse = request.user.has_perm("workshops.excuse_absence")
    form = AttendanceForm(
        request.POST if request.method == "POST" else None,
        rows=page.object_list,
        can_excuse=can_excuse,
    )
    if request.method == "POST" and form.is_valid():
        changed, refused = 0, []
        for row, status, note in form.changes():
            try:
                services.attendance_record(
                    workshop=workshop,
                    application=row,
                    status=status,
                    note=note,
                    actor=request.user,
                )
            except services.WorkshopError as error:
                refused.append(f"{row.applicant.get_full_name()}: {error}")
            else:
                changed += 1
        for message in refused:
            messages.error(request, message)
        if changed or not refused:
            messages.success(request, _("Anwesenheit gespeichert."))
        url = reverse("workshops:attendance", kwargs={"cohort_id": workshop.cohort_id, "pk": pk})
        return redirect(f"{url}?seite={page.number}" if page.number > 1 else url)
    return render(
        request,
        "workshops/attendance.html",
        {
            "cohort": workshop.cohort,
            "workshop": workshop,
            "form": form,
            "page": page,
            "can_excuse": can_excuse,
            "whole_cohort": sees_whole_cohort(request.user, workshop.cohort),
        },
    )


@login_required
def attendance_sheet(request, cohort_id, pk):
    """The signature list as PDF, with the same people as the attendance page."""
    workshop = _workshop_for(request, cohort_id, pk)
    rows = attendance_sheet_rows(workshop, request.user)
    content = AttendanceSheetContent(
        programme_title=workshop.cohort.programme.name,
        cohort_number=workshop.cohort.number,
        workshop_title=workshop.title,
        workshop_kind=workshop.get_kind_display(),
        date=workshop.date,
        start_time=workshop.start_time,
        end_time=workshop.end_time,
        venue=", ".join(p for p in (workshop.venue_name, workshop.venue_address) if p),
        rows=[
            AttendanceRow(
                name=row.applicant.get_full_name() or row.applicant.email,
                organisation=row.organisation.name if row.organisation else "",
                role=row.get_role_display(),
            )
            for row in rows
        ],
    )
    response = HttpResponse(render_attendance_sheet(content), content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="teilnahmeliste-{workshop.date:%Y-%m-%d}.pdf"'
    )
    return response


@login_required
def team_list(request, cohort_id):
    cohort = cohort_or_403(request, cohort_id, "workshops.view_cohort_teams")
    page = Paginator(teams_visible_to(request.user, cohort), 25).get_page(request.GET.get("seite"))
    can_manage = request.user.has_perm("workshops.manage_teams", cohort)
    return render(
        request,
        "workshops/team_list.html",
        {
            "cohort": cohort,
            "page": page,
            "can_manage": can_manage,
            "presentation_form": PresentationForm() if can_manage else None,
        },
    )


def _team_form_page(request, cohort, team=None):
    form = TeamForm(
        request.POST if request.method == "POST" else None,
        instance=team or ProjectTeam(cohort=cohort),
        cohort=cohort,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.team_save(form=form, actor=request.user)
        except services.WorkshopError as error:
            form.add_error("members", str(error))
        else:
            messages.success(request, _("Das Projektteam ist gespeichert."))
            return redirect("workshops:teams", cohort_id=cohort.pk)
    return render(
        request,
        "workshops/team_form.html",
        {"cohort": cohort, "form": form, "team": team},
    )


@login_required
def team_create(request, cohort_id):
    cohort = cohort_or_403(request, cohort_id, "workshops.manage_teams")
    return _team_form_page(request, cohort)


@login_required
def team_edit(request, cohort_id, pk):
    cohort = cohort_or_403(request, cohort_id, "workshops.manage_teams")
    team = get_object_or_404(ProjectTeam.objects.filter(cohort=cohort), pk=pk)
    return _team_form_page(request, cohort, team)


@login_required
@require_POST
def team_presented(request, cohort_id, pk):
    cohort = cohort_or_403(request, cohort_id, "workshops.manage_teams")
    team = get_object_or_404(ProjectTeam.objects.filter(cohort=cohort), pk=pk)
    form = PresentationForm(request.POST)
    if not form.is_valid():
        messages.error(
            request, _("Bitte geben Sie ein gültiges Datum an, das nicht in der Zukunft liegt.")
        )
    else:
        try:
            services.team_presentation_record(
                team=team, presented_on=form.cleaned_data["presented_on"], actor=request.user
            )
        except services.WorkshopError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request, _("Die Präsentation von „%(team)s“ ist erfasst.") % {"team": team}
            )
    return redirect("workshops:teams", cohort_id=cohort.pk)


@login_required
def certificate_status(request, cohort_id):
    """Per participant: does she qualify for a certificate, and if not, why not."""
    cohort = cohort_or_403(request, cohort_id, "workshops.view_cohort_attendance")
    people = participants(cohort)
    if not sees_whole_cohort(request.user, cohort):
        people = people.filter(organisation_id__in=officer_organisation_ids(request.user))
    page = Paginator(people, 50).get_page(request.GET.get("seite"))
    return render(
        request,
        "workshops/certificate_status.html",
        {
            "cohort": cohort,
            "page": page,
            "verdicts": certificates.verdicts(cohort, page.object_list),
            "policy": certificates.policy_for(cohort),
        },
    )
