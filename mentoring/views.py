from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.hashers import make_password
from django.core.paginator import Paginator
from django.db import IntegrityError, transaction
from django.http import FileResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views import i18n
from django.views.decorators.http import require_POST

from .accessibility import feedback_submit
from .export import personal_data_archive
from .forms import AccessibilityFeedbackForm, RegistrationForm
from .mail import active_language
from .models import AccessibilityStatement, SentReminder, User
from .start import start_page
from .subscriptions import reminder_subscriptions
from .throttling import unlock
from .verification import send_account_exists_mail, send_verification_mail, verify_token


def _safe_next(request):
    """The page to go on to: a path on this site, or the home page.

    Only a path ("/…") is taken: anything else, even harmless text, would be read as the
    name of a view by ``redirect`` and fail.
    """
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target.startswith("/") and url_has_allowed_host_and_scheme(
        target, {request.get_host()}, request.is_secure()
    ):
        return target
    return "/"


def register(request):
    """Creates an applicant's account and mails the link that confirms her address.

    Whether the address already has an account is not shown, to the person at the screen
    or to anyone else: the answer is the same page either way. A new address gets the
    account and the verification mail; a known one gets a mail that says so and leads to
    the login and the password reset. Nobody is logged in here.
    """
    if request.user.is_authenticated:
        return HttpResponseRedirect(_safe_next(request))
    next_url = _safe_next(request)
    form = RegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"]
        existing = User.objects.filter(email__iexact=email).first()
        if existing is None:
            # Her e-mails and documents speak the language she registered in.
            form.instance.language = active_language()
            try:
                with transaction.atomic():
                    user = form.save()
            except IntegrityError:
                # Registered at the same moment by another request: the account exists.
                existing = User.objects.filter(email__iexact=email).first()
            else:
                send_verification_mail(user, next_url=next_url)
        if existing is not None:
            # The same work as for a new account, so that the answer takes as long.
            make_password(form.cleaned_data["password1"])
            send_account_exists_mail(existing, next_url=next_url)
        request.session["registered_email"] = email
        return HttpResponseRedirect(f"{reverse('registered')}?{urlencode({'next': next_url})}")
    return render(request, "registration/register.html", {"form": form, "next": next_url})


def registered(request):
    """After registering: where the mail went, and what to do next."""
    return render(
        request,
        "registration/registered.html",
        {"email": request.session.get("registered_email", ""), "next": _safe_next(request)},
    )


def verify_email(request, token):
    user = verify_token(token, get_user_model())
    if user is None:
        messages.error(
            request,
            _("Dieser Link ist ungültig oder abgelaufen. Bitte fordern Sie einen neuen an."),
        )
    else:
        messages.success(request, _("Danke, Ihre E-Mail-Adresse ist bestätigt."))
    if request.user.is_authenticated:
        return redirect("applications:mine")
    return HttpResponseRedirect(f"{reverse('login')}?{urlencode({'next': _safe_next(request)})}")


@login_required
@require_POST
def resend_verification(request):
    if request.user.email_verified_at is None:
        send_verification_mail(request.user)
        messages.success(request, _("Wir haben Ihnen den Link erneut geschickt."))
    return HttpResponseRedirect(_safe_next(request))


class PasswordSetView(auth_views.PasswordResetConfirmView):
    """Setting a password through a mailed link proves the address as well."""

    def form_valid(self, form):
        if form.user.email_verified_at is None:
            form.user.email_verified_at = timezone.now()
        # Whoever reads her mail may log in again at once (see mentoring.throttling).
        unlock(form.user)
        return super().form_valid(form)


def set_language(request):
    """Django's language switch; a logged-in person's choice is kept for her e-mails and
    documents as well (``User.language``). Only a POST changes anything."""
    response = i18n.set_language(request)
    language = request.POST.get(i18n.LANGUAGE_QUERY_PARAMETER, "")
    user = request.user
    if (
        request.method == "POST"
        and user.is_authenticated
        and language in dict(settings.LANGUAGES)
        and language != user.language
    ):
        User.objects.filter(pk=user.pk).update(language=language)
    return response


@login_required
def start(request):
    """Her start page: what needs her now, from every part of the programme."""
    page = start_page(user=request.user, today=timezone.localdate())
    return render(request, "registration/start.html", {"page": page})


@login_required
def profile(request):
    """The person's account: which reminders she gets and why, and those sent to her."""
    sent = Paginator(
        SentReminder.objects.filter(recipient=request.user).only(
            "kind", "subject", "status", "created_at", "sent_at"
        ),
        20,
    ).get_page(request.GET.get("seite"))
    return render(
        request,
        "registration/profile.html",
        {"subscriptions": reminder_subscriptions(request.user), "sent": sent},
    )


@login_required
def personal_data(request):
    """Her copy of everything the product holds about her (Art. 15 GDPR), as one ZIP.

    The GET explains what the download holds; the button's POST builds and sends it and
    writes nothing. A POST, so that no link preview or prefetch builds it by the way.
    """
    if request.method != "POST":
        return render(request, "registration/personal_data.html")
    archive, filename = personal_data_archive(user=request.user)
    response = FileResponse(
        archive, as_attachment=True, filename=filename, content_type="application/zip"
    )
    response["Cache-Control"] = "private, no-store"
    return response


# Accessibility (BITV 2.0, § 12b BGG) ----------------------------------------------------------


def accessibility(request):
    return render(
        request, "pages/accessibility.html", {"statement": AccessibilityStatement.current()}
    )


def accessibility_feedback(request):
    """The feedback form linked from every page; the page it came from is prefilled."""
    if request.method == "POST":
        form = AccessibilityFeedbackForm(request.POST)
        if form.is_valid():
            feedback_submit(form=form, language=active_language())
            return redirect("accessibility_feedback_sent")
    else:
        user = request.user
        initial = {"page": request.GET.get("seite", "")[:500]}
        if user.is_authenticated:
            initial |= {"name": user.get_full_name(), "email": user.email}
        form = AccessibilityFeedbackForm(initial=initial)
    return render(request, "pages/accessibility_feedback.html", {"form": form})


def accessibility_feedback_sent(request):
    return render(
        request,
        "pages/accessibility_feedback_sent.html",
        {"statement": AccessibilityStatement.current()},
    )
