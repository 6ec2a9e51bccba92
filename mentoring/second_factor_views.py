"""Pages of the second factor: enrolment, verification, backup codes, security keys.

See second_factor; the JSON steps of the security keys are in second_factor_keys.
"""

import math
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import second_factor
from .forms import SecondFactorSetupForm, SecondFactorVerifyForm
from .views import _safe_next


def _with_next(name, next_url):
    url = reverse(name)
    return f"{url}?{urlencode({'next': next_url})}" if next_url != "/" else url


def _go_on(request, next_url):
    return HttpResponseRedirect(next_url if next_url != "/" else reverse("start"))


def _key_urls(next_url):
    """Where security-keys.js sends the steps of a ceremony (``next`` rides along)."""
    query = f"?{urlencode({'next': next_url})}" if next_url != "/" else ""
    return {
        "register_begin": reverse("second_factor_key_register_begin"),
        "register_complete": reverse("second_factor_key_register_complete") + query,
        "verify_begin": reverse("second_factor_key_verify_begin"),
        "verify_complete": reverse("second_factor_key_verify_complete") + query,
    }


@login_required
def setup(request):
    """Enrols an authenticator app or a security key; lists and adds keys later on.

    The app: QR code and typed secret, then its first code. Nothing is stored before the
    code is right (a GET writes nothing); the secret comes back signed in the form, so a
    wrong code shows the same QR code again. A key is registered by security-keys.js
    (second_factor_keys). Once she has either, the page is hers only in a session that
    passed the second factor: it then lists her keys and offers the other kind.
    """
    user = request.user
    next_url = _safe_next(request)
    if not user.is_staff:
        return _go_on(request, next_url)
    if second_factor.has_authenticator(user) and not user.is_verified():
        return HttpResponseRedirect(_with_next("second_factor_verify", next_url))
    keys = list(second_factor.security_keys(user).order_by("created_at", "pk"))
    has_app = second_factor.has_app(user)
    context = {
        "next": next_url if next_url != "/" else "",
        "keys": keys,
        "can_add_key": len(keys) < second_factor.MAX_SECURITY_KEYS,
        "key_urls": _key_urls(next_url),
        "has_app": has_app,
        "enrolled": has_app or bool(keys),
    }
    if has_app:
        return render(request, "registration/second_factor_setup.html", context)

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
        context
        | {
            "form": form,
            "enrolment": second_factor.sign_enrolment(user=user, key=key),
            "secret": second_factor.secret_for_typing(key),
            "qr_svg": second_factor.qr_code_svg(
                uri, title=_("QR-Code zum Einrichten der Authenticator-App")
            ),
        },
    )


@login_required
def verify(request):
    """Asks for a security key or a code from the app (or a backup code) once per login.

    The key answers through security-keys.js (second_factor_keys); the code is posted here.
    """
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
        {
            "form": form,
            "next": next_url if next_url != "/" else "",
            "has_keys": second_factor.security_keys(user).exists(),
            "has_app": second_factor.has_app(user),
            "key_urls": _key_urls(next_url),
        },
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


@login_required
@require_POST
def key_delete(request, key_id):
    """Forgets one of her security keys, in a session that passed the second factor."""
    user = request.user
    next_url = _safe_next(request)
    if not user.is_staff:
        return _go_on(request, next_url)
    if not user.is_verified():
        return HttpResponseRedirect(reverse("second_factor_verify"))
    try:
        key = second_factor.security_key_delete(user=user, key_id=key_id)
    except second_factor.LastFactor:
        messages.error(
            request,
            _(
                "Das ist Ihr einziger zweiter Faktor. Richten Sie zuerst einen weiteren "
                "Sicherheitsschlüssel oder die Authenticator-App ein; dann können Sie diesen "
                "Schlüssel entfernen."
            ),
        )
    else:
        if key is not None:
            messages.success(
                request, _("Der Sicherheitsschlüssel „%(name)s“ ist entfernt.") % {"name": key.name}
            )
    return HttpResponseRedirect(_with_next("second_factor_setup", next_url))
