"""Pages of the second factor: enrolment, verification, backup codes (see second_factor)."""

import math
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from . import second_factor
from .forms import SecondFactorSetupForm, SecondFactorVerifyForm
from .views import _safe_next


def _with_next(name, next_url):
    url = reverse(name)
    return f"{url}?{urlencode({'next': next_url})}" if next_url != "/" else url


def _go_on(request, next_url):
    return HttpResponseRedirect(next_url if next_url != "/" else reverse("start"))


@login_required
def setup(request):
    """Enrols an authenticator app: QR code and typed secret, then its first code.

    Nothing is stored before the code is right (a GET writes nothing); the secret comes
    back signed in the form, so a wrong code shows the same QR code again.
    """
    user = request.user
    next_url = _safe_next(request)
    if not user.is_staff:
        return _go_on(request, next_url)
    if second_factor.has_authenticator(user):
        if user.is_verified():
            return _go_on(request, next_url)
        return HttpResponseRedirect(_with_next("second_factor_verify", next_url))

    form = SecondFactorSetupForm(request.POST or None)
    key = None
    if request.method == "POST":
        try:
            key = second_factor.unsign_enrolment(user=user, token=request.POST.get("enrolment", ""))
        except second_factor.EnrolmentExpired:
            form.is_valid()
            form.add_error(
                "code",
                _(
                    "Die Einrichtung hat zu lange gedauert. Bitte richten Sie die App mit dem "
                    "neuen QR-Code ein und geben Sie dann deren Code ein."
                ),
            )
        if key is not None and form.is_valid():
            try:
                device = second_factor.totp_enrol(
                    request=request, key=key, code=form.cleaned_data["code"]
                )
            except second_factor.AlreadyEnrolled:
                return HttpResponseRedirect(_with_next("second_factor_verify", next_url))
            if device is not None:
                # A new level of trust: a new session key, as at a login.
                request.session.cycle_key()
                messages.success(
                    request,
                    _(
                        "Ihre Authenticator-App ist eingerichtet. Legen Sie jetzt Notfallcodes "
                        "für den Fall an, dass Sie Ihr Telefon einmal nicht zur Hand haben."
                    ),
                )
                return HttpResponseRedirect(_with_next("second_factor_backup_codes", next_url))
            form.add_error(
                "code",
                _(
                    "Dieser Code passt nicht. Bitte geben Sie den Code ein, den Ihre App jetzt "
                    "anzeigt, und prüfen Sie, ob die Uhrzeit Ihres Telefons stimmt."
                ),
            )
    if key is None:
        key = second_factor.new_enrolment_secret()
    uri = second_factor.provisioning_uri(user=user, key=key)
    return render(
        request,
        "registration/second_factor_setup.html",
        {
            "form": form,
            "next": next_url if next_url != "/" else "",
            "enrolment": second_factor.sign_enrolment(user=user, key=key),
            "secret": second_factor.secret_for_typing(key),
            "qr_svg": second_factor.qr_code_svg(
                uri, title=_("QR-Code zum Einrichten der Authenticator-App")
            ),
        },
    )


@login_required
def verify(request):
    """Asks for a code from the app (or a backup code) once per login."""
    user = request.user
    next_url = _safe_next(request)
    if not user.is_staff or user.is_verified():
        return _go_on(request, next_url)
    if not second_factor.has_authenticator(user):
        return HttpResponseRedirect(_with_next("second_factor_setup", next_url))

    form = SecondFactorVerifyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        result = second_factor.verify(request=request, code=form.cleaned_data["code"])
        if result.device is not None:
            request.session.cycle_key()
            return _go_on(request, next_url)
        if result.locked_until is not None:
            seconds = max(1, math.ceil((result.locked_until - timezone.now()).total_seconds()))
            form.add_error(
                "code",
                _(
                    "Zu viele falsche Codes. Bitte warten Sie %(seconds)d Sekunden und "
                    "versuchen Sie es dann erneut."
                )
                % {"seconds": seconds},
            )
        else:
            form.add_error(
                "code",
                _(
                    "Dieser Code passt nicht. Bitte geben Sie den Code ein, den Ihre App jetzt "
                    "anzeigt, oder einen unbenutzten Notfallcode."
                ),
            )
    return render(
        request,
        "registration/second_factor_verify.html",
        {"form": form, "next": next_url if next_url != "/" else ""},
    )


@login_required
def backup_codes(request):
    """Shows how many backup codes are left; a POST replaces them and shows the new ones.

    The codes are shown once, in the answer to the POST, and never again.
    """
    user = request.user
    next_url = _safe_next(request)
    if not user.is_staff:
        return _go_on(request, next_url)
    if not user.is_verified():
        # Only a session that passed the second factor may make codes that replace it.
        target = (
            "second_factor_verify"
            if second_factor.has_authenticator(user)
            else "second_factor_setup"
        )
        return HttpResponseRedirect(_with_next(target, request.get_full_path()))
    codes = None
    if request.method == "POST":
        codes = [
            second_factor.group_code(code) for code in second_factor.backup_codes_renew(user=user)
        ]
    return render(
        request,
        "registration/second_factor_backup_codes.html",
        {
            "codes": codes,
            "left": second_factor.backup_codes_left(user) if codes is None else len(codes),
            "next": next_url if next_url != "/" else "",
            "continue_url": next_url if next_url != "/" else reverse("start"),
        },
    )
