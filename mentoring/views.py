from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .forms import RegistrationForm
from .models import SentReminder
from .start import start_page
from .subscriptions import reminder_subscriptions
from .verification import send_verification_mail, verify_token


def _safe_next(request):
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return "/"


def register(request):
    """Creates an applicant's account, logs her in and mails the verification link."""
    if request.user.is_authenticated:
        return redirect(_safe_next(request))
    form = RegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        send_verification_mail(user)
        messages.success(
            request,
            _(
                "Ihr Konto ist angelegt. Wir haben Ihnen einen Link an %(email)s geschickt; "
                "bitte bestätigen Sie damit Ihre Adresse."
            )
            % {"email": user.email},
        )
        return redirect(_safe_next(request))
    return render(
        request, "registration/register.html", {"form": form, "next": _safe_next(request)}
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
    return redirect("applications:mine" if request.user.is_authenticated else "login")


@login_required
@require_POST
def resend_verification(request):
    if request.user.email_verified_at is None:
        send_verification_mail(request.user)
        messages.success(request, _("Wir haben Ihnen den Link erneut geschickt."))
    return redirect(_safe_next(request))


class PasswordSetView(auth_views.PasswordResetConfirmView):
    """Setting a password through a mailed link proves the address as well."""

    def form_valid(self, form):
        if form.user.email_verified_at is None:
            form.user.email_verified_at = timezone.now()
        return super().form_valid(form)


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
