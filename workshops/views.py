from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cohorts.selectors import officer_organisation_ids, sees_whole_cohort
from cohorts.shortcuts import cohort_or_403
from mentoring.files import private_pdf_response

from . import calendar, certificates, issuing, services
from .enums import RsvpAnswer
from .forms import (
    AttendanceForm,
    PresentationForm,
    RevocationForm,
    RsvpForm,
    TeamForm,
    VerificationForm,
)
from .models import (
    CalendarFeed,
    Certificate,
    CertificateBatch,
    ProjectTeam,
    Workshop,
    normalise_code,
)
from .rendering import AttendanceRow, AttendanceSheetContent, render_attendance_sheet
from .selectors import (
    attendance_sheet_rows,
    certificates_of_user,
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
    page = Paginator(workshops_for(user=request.user), 20).get_page(request.GET.get("seite"))
    workshops = with_answers(workshops=page.object_list, user=request.user)
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
            "teams": teams_of_user(user=request.user),
            "certificates": certificates_of_user(user=request.user),
            "progress": certificates.progress_of(request.user),
            "feed_url": feed_url,
            "today": timezone.localdate(),
            # The answer that failed, for the error summary at the top and the title.
            "form": bound,
        },
    )


@login_required
def my_workshops(request):
    return _my_workshops_page(request)


@login_required
@require_POST
def rsvp(request, pk):
    """Her answer to one workshop; only workshops she is invited to exist here."""
    workshop = get_object_or_404(workshops_for(user=request.user), pk=pk)
    application = invited_application(user=request.user, workshop=workshop)
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
    workshop = get_object_or_404(workshops_for(user=request.user), pk=pk)
    return _ics_response(calendar.calendar_bytes([workshop]), f"workshop-{workshop.pk}.ics")


def feed(request, token):
    """Her workshops as a subscribable calendar: the secret address is the only key."""
    subscription = feed_for_token(token=token)
    if subscription is None or not subscription.user.is_active:
        raise Http404
    workshops = workshops_for(user=subscription.user)
    # Her calendar app asks, not she: the feed speaks her language (``User.language``).
    with translation.override(subscription.user.language):
        content = calendar.calendar_bytes(workshops, name=_("Cross-Mentoring: Workshops"))
    response = _ics_response(content, "workshops.ics")
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
    page = Paginator(attendance_sheet_rows(workshop=workshop, user=request.user), 50).get_page(
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
            "whole_cohort": sees_whole_cohort(user=request.user, cohort=workshop.cohort),
        },
    )


@login_required
def attendance_sheet(request, cohort_id, pk):
    """The signature list as PDF, with the same people as the attendance page."""
    workshop = _workshop_for(request, cohort_id, pk)
    rows = attendance_sheet_rows(workshop=workshop, user=request.user)
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
    page = Paginator(teams_visible_to(user=request.user, cohort=cohort), 25).get_page(
        request.GET.get("seite")
    )
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
    """Per participant: does she qualify, and if not, why not; her certificate; the batches."""
    cohort = cohort_or_403(request, cohort_id, "workshops.view_cohort_attendance")
    people = participants(cohort=cohort)
    if not sees_whole_cohort(user=request.user, cohort=cohort):
        people = people.filter(organisation_id__in=officer_organisation_ids(user=request.user))
    page = Paginator(people, 50).get_page(request.GET.get("seite"))
    verdicts = certificates.verdicts(cohort, page.object_list)
    held = {
        certificate.application_id: certificate
        for certificate in Certificate.objects.filter(
            application__in=page.object_list, revoked_at__isnull=True
        )
    }
    for verdict in verdicts:
        verdict.certificate = held.get(verdict.application.pk)
    can_print = request.user.has_perm("workshops.print_certificates", cohort)
    return render(
        request,
        "workshops/certificate_status.html",
        {
            "cohort": cohort,
            "page": page,
            "verdicts": verdicts,
            "policy": certificates.policy_for(cohort),
            "can_print": can_print,
            "can_revoke": request.user.has_perm("workshops.revoke_certificate"),
            "batch": cohort.certificate_batches.first() if can_print else None,
        },
    )


@login_required
def certificate_file(request, pk):
    """A certificate's PDF: her own (while valid), or for those who look after her."""
    certificate = get_object_or_404(
        Certificate.objects.select_related("application", "cohort"), pk=pk
    )
    # Once her participation is erased, the certificate is nobody's own (and has no file).
    holder = certificate.application.applicant_id if certificate.application else None
    own = holder == request.user.pk and certificate.is_valid
    allowed = own or request.user.has_perm("workshops.download_certificate", certificate)
    if not allowed or not certificate.file:
        raise Http404
    return private_pdf_response(
        certificate.file,
        f"{certificate.get_kind_display()}-{certificate.participant_name}",
    )


@login_required
def certificate_revoke(request, pk):
    certificate = get_object_or_404(Certificate.objects.select_related("cohort__programme"), pk=pk)
    if not request.user.has_perm("workshops.revoke_certificate"):
        raise PermissionDenied
    cohort = certificate.cohort
    form = RevocationForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.certificate_revoke(
                certificate=certificate, reason=form.cleaned_data["reason"], actor=request.user
            )
        except issuing.CertificateError as error:
            form.add_error("reason", str(error))
        else:
            messages.success(
                request,
                _("Das Zertifikat %(code)s ist widerrufen.") % {"code": certificate.display_code},
            )
            return redirect("workshops:certificates", cohort_id=cohort.pk)
    return render(
        request,
        "workshops/certificate_revoke.html",
        {"certificate": certificate, "cohort": cohort, "form": form},
    )


def _batch_for(request, cohort_id, pk):
    cohort = cohort_or_403(request, cohort_id, "workshops.print_certificates")
    batch = get_object_or_404(CertificateBatch.objects.filter(cohort=cohort), pk=pk)
    batch.cohort = cohort
    return batch


@login_required
@require_POST
def certificate_batch_start(request, cohort_id):
    """Starts (or, if stalled, resumes) printing all of the cohort's certificates."""
    cohort = cohort_or_403(request, cohort_id, "workshops.print_certificates")
    batch = services.certificate_batch_start(cohort=cohort, actor=request.user)
    return redirect("workshops:batch", cohort_id=cohort.pk, pk=batch.pk)


@login_required
def certificate_batch(request, cohort_id, pk):
    batch = _batch_for(request, cohort_id, pk)
    return render(
        request,
        "workshops/certificate_batch.html",
        {"cohort": batch.cohort, "batch": batch, "stalled": issuing.is_stalled(batch)},
    )


@login_required
def certificate_batch_progress(request, cohort_id, pk):
    """The progress page's poll: state and counts, nothing personal."""
    batch = _batch_for(request, cohort_id, pk)
    response = JsonResponse(
        {
            "state": batch.state,
            "state_display": batch.get_state_display(),
            "done": batch.done,
            "total": batch.total,
            "percent": batch.percent,
            "finished": not batch.is_active,
            # The page reloads to offer "Druck fortsetzen".
            "stalled": issuing.is_stalled(batch),
        }
    )
    response["Cache-Control"] = "no-store"
    return response


@login_required
def certificate_batch_file(request, cohort_id, pk):
    batch = _batch_for(request, cohort_id, pk)
    if not batch.file:
        raise Http404
    return private_pdf_response(batch.file, f"Zertifikate {batch.cohort.number}. Jahrgang")


# Anyone ------------------------------------------------------------------------------------


def verify(request):
    """The form where someone types the code from a certificate."""
    form = VerificationForm(request.GET if "code" in request.GET else None)
    if form.is_valid():
        code = normalise_code(form.cleaned_data["code"])
        if code:
            return redirect("workshops:verify", code=code)
        form.add_error("code", _("Bitte geben Sie den Prüfcode ein."))
    return render(request, "workshops/verify_form.html", {"form": form})


def verify_code(request, code):
    """Public: valid or revoked, name, programme, cohort, date of issue. Nothing else.

    Read from the certificate's own record, which outlives the participation it proves.
    """
    certificate = (
        Certificate.objects.select_related("cohort__programme")
        .only(
            "code",
            "participant_name",
            "issued_on",
            "revoked_at",
            "cohort__number",
            "cohort__year",
            "cohort__programme__name",
        )
        .filter(code=normalise_code(code))
        .first()
    )
    status = 200 if certificate else 404
    response = render(
        request,
        "workshops/verify.html",
        {"certificate": certificate, "code": code, "form": VerificationForm()},
        status=status,
    )
    response["X-Robots-Tag"] = "noindex"
    response["Cache-Control"] = "no-store"
    return response
