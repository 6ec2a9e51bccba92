from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cohorts.models import Cohort
from mentoring.files import private_pdf_response

from .enums import ApplicationRole
from .forms import MenteeApplicationForm, MentorApplicationForm
from .models import Application
from .selectors import applications_of
from .services import ApplicationError, application_submit, application_withdraw, draft_for

FORMS = {
    ApplicationRole.MENTEE: MenteeApplicationForm,
    ApplicationRole.MENTOR: MentorApplicationForm,
}


@login_required
def my_applications(request):
    """The applicant's status page: where each application stands, in plain German."""
    return render(
        request, "applications/mine.html", {"applications": applications_of(request.user)}
    )


def apply(request, slug, number, role):
    """Starts (or resumes) the person's application to a cohort in the given role."""
    if role not in ApplicationRole.values:
        raise Http404
    cohort = get_object_or_404(
        Cohort.objects.select_related("programme"), programme__slug=slug, number=number
    )
    if role == ApplicationRole.MENTOR and not cohort.programme.mentors_self_register:
        # Nominated mentors reach their draft from the invitation; this link leads there too.
        nominated = (
            Application.objects.filter(cohort=cohort, applicant=request.user, role=role).first()
            if request.user.is_authenticated
            else None
        )
        if nominated is not None:
            return redirect("applications:edit", pk=nominated.pk)
        messages.error(
            request,
            _(
                "In diesem Programm melden sich Mentor:innen nicht selbst: Das "
                "Gleichstellungsbüro spricht sie an und schlägt sie vor. Bitte wenden Sie sich "
                "dorthin, wenn Sie Mentor:in werden möchten."
            ),
        )
        return redirect(cohort.get_absolute_url())
    if not request.user.is_authenticated:
        messages.info(
            request,
            _("Bitte legen Sie ein Konto an oder melden Sie sich an, um sich zu bewerben."),
        )
        return redirect(f"{reverse('register')}?next={request.path}")
    if not cohort.is_application_window_open():
        messages.error(request, _("Für diesen Jahrgang ist die Bewerbungsfrist abgelaufen."))
        return redirect(cohort.get_absolute_url())
    application = draft_for(cohort=cohort, applicant=request.user, role=role)
    return redirect("applications:edit", pk=application.pk)


@login_required
def edit(request, pk):
    """The Bewerbungsbogen: save a draft at any time, submit while the window is open."""
    application = get_object_or_404(applications_of(request.user), pk=pk)
    if not application.is_editable:
        messages.info(
            request, _("Diese Bewerbung ist eingereicht und kann nicht mehr geändert werden.")
        )
        return redirect("applications:mine")
    form_class = FORMS[application.role]
    form = form_class(
        request.POST or None, request.FILES or None, instance=application, cohort=application.cohort
    )
    if request.method == "POST":
        if form.is_valid():
            application = form.save()
            if "submit" not in request.POST:
                messages.success(request, _("Ihr Entwurf ist gespeichert."))
                return redirect("applications:edit", pk=application.pk)
            try:
                application_submit(application=application, actor=request.user)
            except ApplicationError as error:
                messages.error(request, str(error))
                return redirect("applications:edit", pk=application.pk)
            messages.success(
                request,
                _("Ihre Bewerbung ist eingereicht. Sie erhalten eine Bestätigung per E-Mail."),
            )
            return redirect("applications:mine")
        messages.error(
            request,
            _("Bitte prüfen Sie die markierten Angaben. Es wurde noch nichts gespeichert."),
        )
    return render(request, "applications/edit.html", {"application": application, "form": form})


@login_required
@require_POST
def withdraw(request, pk):
    # Another person's application is a 404: its existence is not disclosed.
    application = get_object_or_404(applications_of(request.user), pk=pk)
    try:
        application_withdraw(
            application=application, actor=request.user, reason=request.POST.get("reason", "")
        )
    except ApplicationError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Ihre Bewerbung wurde zurückgezogen."))
    return redirect("applications:mine")


FILE_NAMES = {"cv": "Lebenslauf", "letter": "Motivationsanschreiben"}


@login_required
def application_file(request, pk, kind):
    """Streams a CV or letter to the applicant herself or to an officer who may see it.

    Anyone else gets a 404, so that the existence of an application is not disclosed.
    """
    if kind not in FILE_NAMES:
        raise Http404
    application = get_object_or_404(Application.objects.select_related("applicant"), pk=pk)
    allowed = application.applicant_id == request.user.pk or request.user.has_perm(
        "applications.download_application_files", application
    )
    stored = getattr(application, kind)
    if not allowed or not stored:
        raise Http404
    name = application.applicant.get_full_name() or "Bewerbung"
    return private_pdf_response(stored, f"{FILE_NAMES[kind]} {name}")
