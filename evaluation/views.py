"""Participants' survey pages: answering, and asking for a call after a difficult start.

No page here, nor anywhere else, shows a single person's answers: she sees her form until
she sends it, and after that only that she answered.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from . import selectors, services
from .enums import SurveyKind, SurveyState
from .forms import EarlyWarningForm, SurveyAnswerForm
from .models import MIN_GROUP, EarlyWarning, Survey, SurveyAnswered

# The survey after which she may ask for a call, kept in a signed cookie in her browser
# only: neither the database nor her session (stored in the database) learns that her
# answers were low unless she asks. Bound to her account (a shared browser) and to an hour.
OFFER_COOKIE = "evaluation_offer"
OFFER_SALT = "evaluation.offer"
OFFER_SECONDS = 3600


def _offer_value(request, survey):
    return f"{request.user.pk}:{survey.pk}"


def _offered(request, survey):
    """Whether her browser holds the offer of a call after ``survey``."""
    held = request.get_signed_cookie(
        OFFER_COOKIE, default=None, salt=OFFER_SALT, max_age=OFFER_SECONDS
    )
    return held == _offer_value(request, survey)


def _to_offer(request, survey):
    response = redirect("evaluation:contact", pk=survey.pk)
    response.set_signed_cookie(
        OFFER_COOKIE,
        _offer_value(request, survey),
        salt=OFFER_SALT,
        max_age=OFFER_SECONDS,
        httponly=True,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
    )
    return response


def _offer_closed(response):
    response.delete_cookie(OFFER_COOKIE, samesite="Lax")
    return response


def _survey_for(request, pk):
    """The active survey ``pk`` and her role in it, or ``(None, None)`` if it does not ask her."""
    survey = (
        Survey.objects.select_related("cohort__programme").filter(pk=pk, is_active=True).first()
    )
    if survey is None:
        return None, None
    role = selectors.survey_role(survey=survey, user=request.user)
    return (survey, role) if role is not None else (None, None)


def _unavailable(request):
    """One page for an unknown survey, one not carried out, and one that does not ask her."""
    return render(request, "evaluation/unavailable.html", status=404)


def _state(survey, answered, today):
    """What her survey page shows: "answered", or where the survey stands on ``today``."""
    return "answered" if answered else survey.state_on(today)


@login_required
def survey_answer_page(request, pk):
    """Her survey: the questions while it is open, else whether she answered or when it runs.

    Showing it writes nothing. Sending it adds her answers to the counters
    (``services.survey_answer``); a low start in the one-month check-in leads on to the
    question whether her equality officer may contact her.
    """
    survey, role = _survey_for(request, pk)
    if survey is None:
        return _unavailable(request)
    today = timezone.localdate()
    answered = SurveyAnswered.objects.filter(survey=survey, user=request.user).exists()
    offered = _offered(request, survey)
    posted = request.method == "POST"
    if posted and answered and offered:
        # A second click on "send" (the browser shows its answer): the question still waits.
        return redirect("evaluation:contact", pk=survey.pk)
    state = _state(survey, answered, today)
    form = None
    if state == SurveyState.OPEN or (posted and not answered):
        form = SurveyAnswerForm(request.POST if posted else None, survey=survey, role=role)
    if posted and form is not None and form.is_valid():
        try:
            warning = services.survey_answer(
                survey=survey,
                user=request.user,
                ratings=form.ratings(),
                texts=form.texts(),
                today=today,
            )
        except services.SurveyError as error:
            if SurveyAnswered.objects.filter(survey=survey, user=request.user).exists():
                messages.info(request, str(error))
                return redirect("evaluation:survey", pk=survey.pk)
            # Closed meanwhile: she keeps what she wrote on the page, with the reason.
            form.add_error(None, str(error))
        else:
            if warning:
                return _to_offer(request, survey)
            messages.success(request, _("Vielen Dank! Ihre Antworten sind gespeichert."))
            return redirect("evaluation:survey", pk=survey.pk)
    elif posted and form is None:
        return redirect("evaluation:survey", pk=survey.pk)
    asked_for_contact = (
        EarlyWarning.objects.filter(survey=survey, user=request.user).first()
        if answered and survey.kind == SurveyKind.FIRST_MONTH
        else None
    )
    return render(
        request,
        "evaluation/survey.html",
        {
            "survey": survey,
            "role": role,
            "state": state,
            "form": form,
            "min_group": MIN_GROUP,
            "asked_for_contact": asked_for_contact,
            # She left the question unanswered: it waits for her, an hour at most.
            "offer_waits": answered and offered and asked_for_contact is None,
        },
    )


@login_required
def early_warning_offer(request, pk):
    """Asks, after a difficult start, whether her equality officer may contact her.

    Reached only right after her answers, as her browser remembers (``OFFER_COOKIE``);
    "yes" sends her request (``services.early_warning_raise``), "no" forgets the question.
    Neither stores her ratings; a POST with neither shows the question again.
    """
    survey, _role = _survey_for(request, pk)
    if survey is None:
        return _unavailable(request)
    if not _offered(request, survey):
        return redirect("evaluation:survey", pk=survey.pk)
    form = EarlyWarningForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and "no" in request.POST:
        messages.success(request, _("Vielen Dank! Ihre Antworten sind gespeichert."))
        return _offer_closed(redirect("evaluation:survey", pk=survey.pk))
    if request.method == "POST" and "yes" in request.POST and form.is_valid():
        try:
            warning = services.early_warning_raise(
                survey=survey, user=request.user, message=form.cleaned_data["message"]
            )
        except services.SurveyError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                _(
                    "Vielen Dank! Ihre Antworten sind gespeichert, und Ihre "
                    "Gleichstellungsbeauftragte weiß, dass Sie sich ein Gespräch wünschen."
                )
                if warning.contact_id
                else _(
                    "Vielen Dank! Ihre Antworten sind gespeichert, und das Programmbüro weiß, "
                    "dass Sie sich ein Gespräch wünschen."
                ),
            )
        return _offer_closed(redirect("evaluation:survey", pk=survey.pk))
    return render(
        request,
        "evaluation/contact.html",
        {
            "survey": survey,
            "form": form,
            "contact": selectors.her_contact(survey=survey, user=request.user),
        },
    )
