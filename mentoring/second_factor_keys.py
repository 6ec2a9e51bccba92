"""Security keys and passkeys as the second factor (WebAuthn, django-otp-webauthn).

django-otp-webauthn runs the two ceremonies, each a pair of JSON requests (options from
the server, the authenticator's signed answer back), and stores a key as a django-otp
device, so ``OTPMiddleware`` and ``SecondFactorMiddleware`` treat a session confirmed
with a key as one confirmed with a code. The subclasses here add what this site needs:
only officers and the programme office, at most ``MAX_SECURITY_KEYS`` keys each, the name
she gives a key, a new session key once a session passes, German error texts, and where
to go next. The browser side is ``static/js/security-keys.js``: the package's own script
wants a script catalogue for its texts, which are only half translated into German.

Registering needs a session that passed the second factor unless she has none yet (the
package checks this); the key she registers first then confirms the session, as the
first code from the app does.
"""

import json

from django.contrib import messages
from django.http import JsonResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_otp_webauthn import exceptions
from django_otp_webauthn.helpers import WebAuthnHelper
from django_otp_webauthn.models import WebAuthnCredential
from django_otp_webauthn.views import (
    BeginCredentialAuthenticationView,
    BeginCredentialRegistrationView,
    CompleteCredentialAuthenticationView,
    CompleteCredentialRegistrationView,
)

from .second_factor import MAX_SECURITY_KEYS, security_keys
from .second_factor_views import _with_next
from .views import _safe_next

# As django-otp's Device.name.
KEY_NAME_MAX_LENGTH = 64


def key_name(text):
    """The name she gave the key, on one line and short enough; a plain one if none."""
    name = " ".join(str(text or "").split())[:KEY_NAME_MAX_LENGTH].strip()
    return name or _("Sicherheitsschlüssel")


class KeyHelper(WebAuthnHelper):
    """django-otp-webauthn's ceremonies; a new key gets the name sent with its answer."""

    def create_credential(self, user, response, parsed_credential, original_data):
        key = super().create_credential(user, response, parsed_credential, original_data)
        # A browser refuses a key it was told she has; a hand-made answer is refused here
        # rather than by the unique index.
        sha256 = WebAuthnCredential.get_credential_id_sha256(key.credential_id)
        if WebAuthnCredential.objects.filter(credential_id_sha256=sha256).exists():
            raise KeyKnown
        key.name = key_name(original_data.get("name"))
        return key


class NotStaff(exceptions.OTPWebAuthnApiError):
    status_code = 403
    default_code = "not_staff"


class TooManyKeys(exceptions.OTPWebAuthnApiError):
    status_code = 409
    default_code = "too_many_keys"


class KeyKnown(exceptions.OTPWebAuthnApiError):
    status_code = 409
    default_code = "key_known"


# What the page says for each refusal (the package's own texts are English); anything
# else, such as an answer whose signature does not match, is UNREADABLE.
ERRORS = {
    "not_authenticated": gettext_lazy("Bitte melden Sie sich erneut an."),
    "passwordless_login_disabled": gettext_lazy("Bitte melden Sie sich erneut an."),
    "not_staff": gettext_lazy("Sicherheitsschlüssel gibt es nur für die Verwaltung."),
    "user_not_verified": gettext_lazy(
        "Bitte bestätigen Sie zuerst Ihre Anmeldung; dann können Sie einen weiteren "
        "Sicherheitsschlüssel einrichten."
    ),
    "too_many_keys": gettext_lazy(
        "Sie haben schon %(count)d Sicherheitsschlüssel. Bitte entfernen Sie zuerst einen, "
        "den Sie nicht mehr benutzen."
    )
    % {"count": MAX_SECURITY_KEYS},
    "key_known": gettext_lazy("Dieser Sicherheitsschlüssel ist schon eingerichtet."),
    "invalid_state": gettext_lazy(
        "Das hat zu lange gedauert, oder Sie haben in einem anderen Fenster neu begonnen. "
        "Bitte versuchen Sie es noch einmal."
    ),
    "credential_not_found": gettext_lazy(
        "Diesen Sicherheitsschlüssel kennt die Anwendung nicht (mehr). Bitte nehmen Sie einen "
        "anderen oder einen Code."
    ),
    "credential_user_mismatch": gettext_lazy(
        "Dieser Sicherheitsschlüssel gehört zu einem anderen Konto."
    ),
    "credential_disabled": gettext_lazy("Dieser Sicherheitsschlüssel ist gesperrt."),
    "user_disabled": gettext_lazy("Dieses Konto ist gesperrt."),
}
UNREADABLE = gettext_lazy(
    "Die Antwort des Sicherheitsschlüssels ließ sich nicht prüfen. Bitte versuchen Sie es "
    "noch einmal."
)


class KeyCeremonyMixin:
    """Officers and the programme office only; refusals as German JSON."""

    def handle_exception(self, exc):
        if isinstance(exc, exceptions.OTPWebAuthnApiError):
            detail = ERRORS.get(exc.code, UNREADABLE)
            return JsonResponse({"detail": str(detail), "code": exc.code}, status=exc.status_code)
        raise exc

    def refuse_participants(self):
        user = self.request.user
        if user.is_authenticated and not user.is_staff:
            raise NotStaff


class KeyRegistrationMixin(KeyCeremonyMixin):
    def check_can_register(self):
        self.refuse_participants()
        if security_keys(self.request.user).count() >= MAX_SECURITY_KEYS:
            raise TooManyKeys


class RegisterBegin(KeyRegistrationMixin, BeginCredentialRegistrationView):
    """The options for a new key: this site, her account, her keys not to register twice."""


class RegisterComplete(KeyRegistrationMixin, CompleteCredentialRegistrationView):
    """Stores the new key; the first one confirms the session, as the app's first code does.

    Answers where to go on: after the first key to the backup codes, else back to the page
    that lists her keys.
    """

    def post(self, request, *args, **kwargs):
        first = not request.user.is_verified()
        response = super().post(request, *args, **kwargs)
        key = security_keys(request.user).get(pk=json.loads(response.content)["id"])
        next_url = _safe_next(request)
        if first:
            # A new level of trust: a new session key, as at a login.
            request.session.cycle_key()
            messages.success(
                request,
                _(
                    "Ihr Sicherheitsschlüssel „%(name)s“ ist eingerichtet. Legen Sie jetzt "
                    "Notfallcodes für den Fall an, dass Sie ihn einmal nicht zur Hand haben."
                )
                % {"name": key.name},
            )
            target = "second_factor_backup_codes"
        else:
            messages.success(
                request,
                _("Ihr Sicherheitsschlüssel „%(name)s“ ist eingerichtet.") % {"name": key.name},
            )
            target = "second_factor_setup"
        return JsonResponse({"id": key.pk, "redirect_url": _with_next(target, next_url)})


class VerifyBegin(KeyCeremonyMixin, BeginCredentialAuthenticationView):
    """The options to confirm a login: a challenge and the keys of the logged-in person."""

    def check_can_authenticate(self):
        super().check_can_authenticate()
        self.refuse_participants()


class VerifyComplete(KeyCeremonyMixin, CompleteCredentialAuthenticationView):
    """Checks the key's signed answer and marks the session; answers where to go on."""

    def check_can_authenticate(self):
        super().check_can_authenticate()
        self.refuse_participants()

    def complete_auth(self, device):
        super().complete_auth(device)
        # A new level of trust: a new session key, as at a login.
        self.request.session.cycle_key()

    def get_success_url(self):
        next_url = _safe_next(self.request)
        return next_url if next_url != "/" else reverse("start")
