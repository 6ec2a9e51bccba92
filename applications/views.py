from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from cohorts.models import Cohort
from mentoring import renewal
from mentoring.consents import (
    ConsentError,
    active_consent,
    consent_give,
    consent_withdraw,
    has_active_consent,
)
from mentoring.enums import ConsentKind
from mentoring.files import private_pdf_response
from mentoring.languages import speak_her_language

from . import follow_ups
from .consents import follow_up_keeps_applications
from .enums import ApplicationRole, ApplicationState, CareerStepKind
from .forms import FollowUpForm, MenteeApplicationForm, MentorApplicationForm, WithdrawForm
from .models import Application, FollowUpAnswer
from .selectors import applications_of, file_accesses_of
from .services import (
    WITHDRAWABLE,
    ApplicationError,
    ApplicationNotEditable,
    application_begin,
    application_save_answers,
    application_withdraw,
    begin_refusal,
    file_access_record,
    follow_up_answer,
    follow_up_stopped_message,
    not_editable_message,
    not_withdrawable_message,
)

FORMS = {
    ApplicationRole.MENTEE: MenteeApplicationForm,
    ApplicationRole.MENTOR: MentorApplicationForm,
}


@login_required
def my_applications(request):
    """The applicant's status page: where each application stands, in plain German.

    Once a mentee application is decided, the offer of the follow-up questions on her
    career (``follow_ups``) with a button to agree, or her consent in force. Below, a page
    of the log of who opened her CV or letter (``FileAccess``).
    """
    applications = list(applications_of(user=request.user))
    accesses = Paginator(file_accesses_of(user=request.user), 20).get_page(request.GET.get("seite"))
    follow_up_offered = any(follow_ups.is_asked(application) for application in applications)
    return render(
        request,
        "applications/mine.html",
        {
            "applications": applications,
            "accesses": accesses,
            "follow_up_offered": follow_up_offered,
            "follow_up_consent": active_consent(request.user, ConsentKind.FOLLOW_UP)
            if follow_up_offered
            else None,
        },
    )


@login_required
@require_POST
def follow_up_consent(request):
    """Her status page's button: she agrees to the follow-up questions on her career."""
    try:
        consent_give(user=request.user, kind=ConsentKind.FOLLOW_UP)
    except ConsentError as error:
        messages.error(request, str(error))
    else:
        renewal.refresh(request)
        messages.success(
            request,
            _(
                "Danke! Wir fragen Sie zum Ende des Jahrgangs und 6, 12 und 24 Monate danach "
                "nach Ihrem beruflichen Werdegang. Sie können die Einwilligung jederzeit "
                "widerrufen."
            ),
        )
    return redirect(reverse("applications:mine") + "#nachbefragung")


def _requirement_lines(text):
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def apply(request, slug, number, role):
    """The call's links to apply: what applying needs, then a button to begin.

    A GET only shows (and never writes): the page "Bewerbung beginnen", or her own
    application where she has one. The POST from its button creates the draft, or
    reopens the application she withdrew.
    """
    if role not in ApplicationRole.values:
        raise Http404
    cohort = get_object_or_404(
        Cohort.objects.select_related("programme"), programme__slug=slug, number=number
    )
    existing = None
    if request.user.is_authenticated:
        existing = applications_of(user=request.user).filter(cohort=cohort, role=role).first()
    if existing is not None and existing.is_editable:
        return redirect("applications:edit", pk=existing.pk)
    reopening = existing is not None and existing.state == ApplicationState.WITHDRAWN
    if existing is not None and not (reopening and cohort.is_application_window_open()):
        messages.info(request, not_editable_message(existing))
        return redirect("applications:mine")
    if existing is None:
        refusal = begin_refusal(cohort=cohort, role=role)
        if refusal:
            messages.error(request, refusal)
            return redirect(cohort.get_absolute_url())
    if not request.user.is_authenticated:
        messages.info(
            request,
            _("Bitte legen Sie ein Konto an oder melden Sie sich an, um sich zu bewerben."),
        )
        return redirect(f"{reverse('register')}?next={request.path}")
    if request.method == "POST":
        try:
            application = application_begin(cohort=cohort, applicant=request.user, role=role)
        except ApplicationNotEditable as error:
            messages.info(request, str(error))
            return redirect("applications:mine")
        except ApplicationError as error:
            messages.error(request, str(error))
            return redirect(cohort.get_absolute_url())
        if reopening:
            messages.success(
                request,
                _(
                    "Ihre Bewerbung ist wieder ein Entwurf; Ihre Angaben sind erhalten. Bitte "
                    "prüfen Sie sie und reichen Sie die Bewerbung bis zum %(deadline)s Uhr ein."
                )
                % {"deadline": date_format(localtime(cohort.application_deadline), "j. F Y, H:i")},
            )
        return redirect("applications:edit", pk=application.pk)
    requirements = (
        cohort.programme.mentor_requirements
        if role == ApplicationRole.MENTOR
        else cohort.programme.mentee_requirements
    )
    return render(
        request,
        "applications/begin.html",
        {
            "cohort": cohort,
            "programme": cohort.programme,
            "role": role,
            "role_label": ApplicationRole(role).label,
            "withdrawn": existing,
            "requirements": _requirement_lines(requirements),
            "organisations": [
                participation.organisation
                for participation in cohort.participations.select_related("organisation").order_by(
                    "organisation__name"
                )
            ],
            "upload_limit": settings.APPLICATION_UPLOAD_MAX_BYTES,
        },
    )


@login_required
def edit(request, pk):
    """The Bewerbungsbogen: save a draft at any time, submit while the window is open.

    A submission that still lacks answers is saved as a draft, and each missing answer is
    named at its field. A form that fails its checks saves nothing but the uploads that
    passed theirs (the browser cannot send a file again); she sees them as already
    uploaded, under the name they had on her computer.
    """
    application = get_object_or_404(applications_of(user=request.user), pk=pk)
    if not application.is_editable:
        messages.info(request, not_editable_message(application))
        return redirect("applications:mine")
    form_class = FORMS[application.role]
    form = form_class(
        request.POST or None, request.FILES or None, instance=application, cohort=application.cohort
    )
    intro = ""
    if request.method == "POST":
        submit = "submit" in request.POST
        valid = form.is_valid()
        missing = form.missing_for_submission() if valid and submit else {}
        # Read before saving: the stored file gets a random name.
        upload_names = {name: upload.name for name, upload in form.kept_uploads().items()}
        if valid or upload_names:
            try:
                application_save_answers(
                    application=application,
                    actor=request.user,
                    write_answers=form.save if valid else form.save_uploads,
                    submit=submit and valid and not missing,
                    consents={
                        ConsentKind.KEEP_FOR_LATER: form.cleaned_data["keep_for_later"],
                    }
                    if valid
                    else None,
                )
            except ApplicationNotEditable as error:
                # Submitted meanwhile, e.g. by the first of two clicks: nothing was saved.
                messages.info(request, str(error))
                return redirect("applications:mine")
            except ApplicationError as error:
                # The answers are saved; only the submission was refused.
                _remember_upload_names(request, application, upload_names)
                messages.error(request, str(error))
                return redirect("applications:edit", pk=application.pk)
            _remember_upload_names(request, application, upload_names)
        for name, message in missing.items():
            form.add_error(name, message)
        if not form.errors and not submit:
            messages.success(request, _("Ihr Entwurf ist gespeichert."))
            return redirect("applications:edit", pk=application.pk)
        if not form.errors:
            messages.success(
                request,
                _("Ihre Bewerbung ist eingereicht. Sie erhalten eine Bestätigung per E-Mail."),
            )
            return redirect("applications:mine")
        if missing:
            intro = _(
                "Ihre Angaben sind als Entwurf gespeichert, aber noch nicht eingereicht: "
                "Zum Einreichen fehlt noch etwas."
            )
        elif upload_names:
            intro = _(
                "Gespeichert sind nur Ihre neuen Unterlagen; Ihre übrigen Angaben noch nicht. "
                "Sie stehen unverändert im Formular."
            )
        else:
            intro = _(
                "Es wurde noch nichts gespeichert. Ihre Angaben stehen unverändert im Formular."
            )
    return render(
        request,
        "applications/edit.html",
        {
            "application": application,
            "form": form,
            "form_intro": intro,
            "upload_names": _upload_names(request, application),
        },
    )


# The names her files had on her computer, by application and document; the storage name
# is random (``private_upload_path``). In her session only, which is hers and short-lived.
UPLOAD_NAMES_KEY = "application_upload_names"


def _remember_upload_names(request, application, names):
    if not names:
        return
    remembered = request.session.get(UPLOAD_NAMES_KEY, {})
    own = remembered.get(str(application.pk), {})
    for kind, name in names.items():
        own[kind] = [getattr(application, kind).name, name[:100]]
    remembered[str(application.pk)] = own
    request.session[UPLOAD_NAMES_KEY] = remembered


def _upload_names(request, application):
    """The original names of the application's current files, where her session knows them."""
    own = request.session.get(UPLOAD_NAMES_KEY, {}).get(str(application.pk), {})
    return {
        kind: name
        for kind, (stored, name) in own.items()
        if kind in FILE_NAMES and getattr(application, kind).name == stored
    }


@login_required
def withdraw(request, pk):
    """Withdrawing asks first: the GET says what happens, the POST withdraws."""
    # Another person's application is a 404: its existence is not disclosed.
    application = get_object_or_404(applications_of(user=request.user), pk=pk)
    if application.state not in WITHDRAWABLE:
        messages.info(request, not_withdrawable_message(application))
        return redirect("applications:mine")
    form = WithdrawForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            application_withdraw(
                application=application,
                actor=request.user,
                reason=form.cleaned_data["reason"],
            )
        except ApplicationError as error:
            messages.error(request, str(error))
            return redirect("applications:mine")
        if application.cohort.is_application_window_open():
            messages.success(
                request,
                _(
                    "Ihre Bewerbung ist zurückgezogen. Bis zum %(deadline)s Uhr können Sie "
                    "sich erneut bewerben; Ihre Angaben bleiben erhalten."
                )
                % {
                    "deadline": date_format(
                        localtime(application.cohort.application_deadline), "j. F Y, H:i"
                    )
                },
            )
        else:
            messages.success(request, _("Ihre Bewerbung ist zurückgezogen."))
        return redirect("applications:mine")
    return render(
        request,
        "applications/withdraw.html",
        {
            "application": application,
            "form": form,
            "can_apply_again": application.cohort.is_application_window_open(),
        },
    )


FILE_NAMES = {"cv": "Lebenslauf", "letter": "Motivationsanschreiben"}


@login_required
def application_file(request, pk, kind):
    """Streams a CV or letter to the applicant herself or to an officer who may see it.

    Anyone else gets a 404, so that the existence of an application is not disclosed.
    Every opening by someone other than the applicant is logged (``FileAccess``).
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
    response = private_pdf_response(stored, f"{FILE_NAMES[kind]} {name}")
    # The one write in a GET: she is told who opened her documents (Art. 15 GDPR).
    file_access_record(application=application, document=kind, user=request.user)
    return response


# The follow-up questions, answered from the e-mail without logging in ---------------------


class _LinkRefused(Exception):
    def __init__(self, *, expired):
        super().__init__()
        self.expired = expired


def _follow_up_link(token):
    """The application and wave a follow-up link names (one query); ``_LinkRefused`` if
    the link is forged, cut short, expired, or names no application that is asked."""
    try:
        application_id, wave = follow_ups.read_token(token)
    except follow_ups.ExpiredToken as error:
        raise _LinkRefused(expired=True) from error
    except follow_ups.InvalidToken as error:
        raise _LinkRefused(expired=False) from error
    application = (
        Application.objects.filter(follow_ups.asked_filter(), pk=application_id)
        .select_related("applicant", "cohort__programme")
        .first()
    )
    if application is None:
        raise _LinkRefused(expired=False)
    return application, wave


def _link_refused(request, refused):
    return render(
        request,
        "applications/follow_up_refused.html",
        {"expired": refused.expired, "days": follow_ups.TOKEN_MAX_AGE.days},
        status=410 if refused.expired else 404,
    )


def _follow_up_initial(clicked, today):
    """What the form shows first: this month, and the answer she clicked in the e-mail.

    Nothing known about her: whoever holds the link (a forwarded e-mail) would read it, so
    neither her pay grade nor an earlier answer fills the form.
    """
    initial = {"month": today.replace(day=1)}
    if clicked in CareerStepKind.values:
        initial["steps"] = [clicked]
    return initial


@require_http_methods(["GET", "HEAD", "POST"])
def follow_up(request, token):
    """Her answer to a wave of the follow-up questions, reached from the e-mail's links.

    No login: the signed token names the application and the wave, and the link's
    ``antwort`` the answer she clicked, shown preselected. A GET only shows and never
    writes: mail scanners and link previews open every link of an e-mail, so a GET that
    recorded the clicked answer would record answers she never gave. Only the POST of
    "Antwort senden" records it (``services.follow_up_answer``; a second answer to the
    same wave replaces the first). A forged or expired link gets a page that says so.
    """
    try:
        application, wave = _follow_up_link(token)
    except _LinkRefused as refused:
        return _link_refused(request, refused)
    speak_her_language(request, application.applicant)
    context = {
        "application": application,
        "wave": wave,
        "token": token,
        "participant": application.state == ApplicationState.ACCEPTED,
    }
    if not has_active_consent(application.applicant, ConsentKind.FOLLOW_UP):
        return render(request, "applications/follow_up_stopped.html", context)
    today = timezone.localdate()
    answer = FollowUpAnswer.objects.filter(application=application, wave=wave).first()
    form = FollowUpForm(request.POST if request.method == "POST" else None, today=today)
    if request.method == "POST" and form.is_valid():
        try:
            follow_up_answer(application=application, wave=wave, **form.cleaned_data)
        except ApplicationError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                _(
                    "Danke! Ihre Antwort ist gespeichert. Möchten Sie etwas ändern, senden Sie "
                    "die Antwort einfach noch einmal; sie ersetzt die vorige."
                ),
            )
        return redirect("applications:follow_up", token=token)
    if request.method != "POST":
        form = FollowUpForm(
            initial=_follow_up_initial(request.GET.get(follow_ups.ANSWER_PARAMETER), today),
            today=today,
        )
    return render(
        request,
        "applications/follow_up.html",
        context | {"form": form, "answer": answer},
    )


@require_http_methods(["GET", "POST"])
def follow_up_stop(request, token):
    """ "Keine weiteren Fragen": withdraws her consent to the follow-up questions, from the
    link's page without logging in (the token is hers), with effect at once. The first POST
    shows what follows and changes nothing; the POST from there (``confirmed``) withdraws."""
    try:
        application, _wave = _follow_up_link(token)
    except _LinkRefused as refused:
        return _link_refused(request, refused)
    applicant = application.applicant
    speak_her_language(request, applicant)
    if request.method == "GET":
        # Reached again by the language switch or a reload: back to the question.
        return redirect("applications:follow_up", token=token)
    if not request.POST.get("confirmed"):
        if not has_active_consent(applicant, ConsentKind.FOLLOW_UP):
            return redirect("applications:follow_up", token=token)  # stopped already
        # Her answers go with the consent: one more click, on a page that says so.
        return render(
            request,
            "applications/follow_up_stop.html",
            {
                "application": application,
                "token": token,
                # Any application of hers that this consent alone keeps (retention).
                "application_erased": follow_up_keeps_applications(user=applicant),
            },
        )
    if consent_withdraw(user=applicant, kind=ConsentKind.FOLLOW_UP, actor=applicant) is not None:
        messages.success(request, follow_up_stopped_message())
    return redirect("applications:follow_up", token=token)
