"""The second factor for officers and the programme office (django-otp).

After the password, a person who works in the admin (``User.is_staff``) proves that she
holds her authenticator app or a security key: a TOTP code (RFC 6238) from the app she
enrolled, a key or passkey she registered (WebAuthn, see ``second_factor_keys``), or one of
her one-time backup codes. ``SecondFactorMiddleware`` sends her to enrolment or to
verification until the session has passed it; participants are never asked.

Enrolment writes nothing before she types a correct code: the new secret travels signed
in the form (it is on the page anyway, as QR code and in groups), and the device is stored
only once the first code proves that her app has it. The programme office resets a lost
device in the admin; she then enrols again at her next login.
"""

import secrets
import time
from base64 import b32encode
from binascii import unhexlify
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import quote, urlencode

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.safestring import mark_safe
from django_otp import login as otp_login
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex
from django_otp_webauthn.models import WebAuthnCredential

from .models import User
from .numbers import ascii_digits

ENROLMENT_SALT = "mentoring.second_factor.enrolment"
# Time to scan the code and type the first one; after that the page shows a new secret.
ENROLMENT_MAX_AGE = 30 * 60
TOTP_DIGITS = 6
BACKUP_CODE_COUNT = 10
# Ten digits: typed on the same numeric keypad as the app's codes, told apart by length.
BACKUP_CODE_DIGITS = 10
TOTP_DEVICE_NAME = "Authenticator-App"
BACKUP_DEVICE_NAME = "Notfallcodes"
# Security keys a person may register: a few (one on the key ring, one in the drawer, a
# passkey on the laptop), and a short list on her page.
MAX_SECURITY_KEYS = 10

# Pages that an unverified officer may still reach: logging in and out, the second factor
# itself, and switching the language of those pages.
OPEN_VIEWS = frozenset(
    {
        "login",
        "logout",
        "second_factor_setup",
        "second_factor_verify",
        # The JSON steps of registering a key (the first one, or one more in a session that
        # passed: django-otp-webauthn checks that) and of confirming a login with one.
        "second_factor_key_register_begin",
        "second_factor_key_register_complete",
        "second_factor_key_verify_begin",
        "second_factor_key_verify_complete",
        "set_language",
        "admin:login",
        "admin:logout",
    }
)


class EnrolmentExpired(Exception):
    """The signed secret is too old, forged, or meant for another person."""


class LastFactor(Exception):
    """The key is the person's only way to confirm a login."""


class AlreadyEnrolled(Exception):
    """The person confirmed an authenticator app in the meantime (another tab)."""


@dataclass(frozen=True)
class Verification:
    device: object | None = None
    # Set when too many wrong codes lock the devices for a while.
    locked_until: datetime | None = None


def is_required(user):
    """Whether this person must pass the second factor in this installation."""
    return settings.MENTORING_REQUIRE_OTP and user.is_authenticated and user.is_staff


def has_app(user):
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def security_keys(user):
    return WebAuthnCredential.objects.filter(user=user, confirmed=True)


def has_authenticator(user):
    """Whether she has an app or a key to confirm a login with (backup codes alone are not)."""
    return has_app(user) or security_keys(user).exists()


def new_enrolment_secret():
    """A fresh TOTP secret, hex-encoded as django-otp stores it (20 bytes, as RFC 4226)."""
    return random_hex(20)


def sign_enrolment(*, user, key):
    return signing.dumps({"user": user.pk, "key": key}, salt=ENROLMENT_SALT)


def unsign_enrolment(*, user, token):
    """The secret from the form; raises ``EnrolmentExpired`` if it is old or not hers."""
    try:
        data = signing.loads(token, salt=ENROLMENT_SALT, max_age=ENROLMENT_MAX_AGE)
    except signing.BadSignature:
        raise EnrolmentExpired from None
    if not isinstance(data, dict) or data.get("user") != user.pk:
        raise EnrolmentExpired
    return data["key"]


def secret_for_typing(key):
    """The secret as apps ask for it when typed: base32, in groups of four."""
    text = b32encode(unhexlify(key)).decode("ascii")
    return " ".join(text[start : start + 4] for start in range(0, len(text), 4))


def provisioning_uri(*, user, key):
    """The otpauth:// address the QR code carries (Google's Key URI format)."""
    issuer = settings.OTP_TOTP_ISSUER.replace(":", "")
    label = f"{issuer}:{user.email}"
    query = urlencode(
        {
            "secret": b32encode(unhexlify(key)).decode("ascii"),
            "issuer": issuer,
            "algorithm": "SHA1",
            "digits": TOTP_DIGITS,
            "period": 30,
        }
    )
    return f"otpauth://totp/{quote(label)}?{query}"


def qr_code_svg(uri, *, title):
    """The QR code as inline SVG: no style attribute, so the CSP allows it.

    Sized by the style sheet (it has a viewBox); ``role="img"`` with its ``<title>`` names
    it for screen readers.
    """
    import segno  # ~35 ms to import, for the enrolment page only

    # segno builds the markup itself and escapes the title.
    svg = segno.make(uri, error="m").svg_inline(
        omitsize=True, title=title, svgclass="qr-code", lineclass=None
    )
    return mark_safe(svg.replace("<svg ", '<svg role="img" ', 1))  # noqa: S308


def normalise_code(text):
    return "".join(character for character in text if character not in " -\u00a0").lower()


def totp_enrol(*, request, key, code):
    """Confirms a new authenticator app for the logged-in person and marks the session.

    Stores the TOTP device only if ``code`` matches ``key`` now (one step of clock drift
    either way); returns it, or None for a wrong code. The session counts as verified
    afterwards. Raises ``AlreadyEnrolled`` if she confirmed an app meanwhile, or a key while
    her session has not passed the second factor (that key must confirm it first).
    """
    user = request.user
    totp = TOTP(unhexlify(key), step=30, t0=0, digits=TOTP_DIGITS, drift=0)
    totp.time = time.time()
    if not ascii_digits(code) or not totp.verify(int(code), tolerance=1):
        return None
    with transaction.atomic():
        # One enrolment at a time per person, even from two tabs.
        User.objects.select_for_update().filter(pk=user.pk).first()
        if has_app(user) or (not user.is_verified() and has_authenticator(user)):
            raise AlreadyEnrolled
        TOTPDevice.objects.filter(user=user).delete()
        device = TOTPDevice.objects.create(
            user=user,
            name=TOTP_DEVICE_NAME,
            key=key,
            digits=TOTP_DIGITS,
            confirmed=True,
            # The code just typed cannot be used once more to verify a session.
            last_t=totp.t(),
            drift=totp.drift,
        )
    otp_login(request, device)
    return device


def verify(*, request, code):
    """Checks a code from the app or a backup code and, if right, marks the session.

    Six digits go to the authenticator app, anything else to the backup codes (a used
    backup code is gone). Wrong codes lock the device for 1, 2, 4, … seconds (django-otp's
    throttling); a locked device is not even asked, and ``locked_until`` says till when.
    """
    user = request.user
    code = normalise_code(code)
    model = TOTPDevice if len(code) == TOTP_DIGITS and ascii_digits(code) else StaticDevice
    with transaction.atomic():
        devices = list(
            model.objects.devices_for_user(user, confirmed=True).select_for_update().order_by("pk")
        )
        for device in devices:
            allowed, details = device.verify_is_allowed()
            if not allowed:
                return Verification(locked_until=(details or {}).get("locked_until"))
        verified = next((device for device in devices if device.verify_token(code)), None)
    if verified is not None:
        otp_login(request, verified)
    return Verification(device=verified)


def backup_codes_left(user):
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def backup_codes_renew(*, user):
    """Replaces the person's backup codes with new ones; returns them, to be shown once."""
    codes = [
        f"{secrets.randbelow(10**BACKUP_CODE_DIGITS):0{BACKUP_CODE_DIGITS}d}"
        for _ in range(BACKUP_CODE_COUNT)
    ]
    with transaction.atomic():
        User.objects.select_for_update().filter(pk=user.pk).first()
        StaticDevice.objects.filter(user=user).delete()
        device = StaticDevice.objects.create(user=user, name=BACKUP_DEVICE_NAME, confirmed=True)
        StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def security_key_delete(*, user, key_id):
    """Forgets one of the person's security keys; returns it, or None if it is not hers.

    Raises ``LastFactor`` for her last app or key: without it she could not confirm her
    next login, and the programme office would have to reset her second factor.
    """
    with transaction.atomic():
        User.objects.select_for_update().filter(pk=user.pk).first()
        key = security_keys(user).filter(pk=key_id).first()
        if key is None:
            return None
        if not has_app(user) and security_keys(user).count() == 1:
            raise LastFactor
        key.delete()
    return key


def second_factor_reset(*, user):
    """Forgets the person's authenticator app, security keys and backup codes (a lost phone).

    She enrols a new app or key at her next login. Sessions already verified with the old device
    lose that state at their next request (django-otp finds the device gone).
    """
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        WebAuthnCredential.objects.filter(user=user).delete()
        StaticDevice.objects.filter(user=user).delete()


def group_code(code):
    """A backup code as printed: two groups of five digits."""
    return f"{code[:5]} {code[5:]}"


class SecondFactorMiddleware:
    """Keeps officers whose session has not passed the second factor on its pages.

    Runs after django-otp's ``OTPMiddleware`` (which sets ``user.is_verified``). Every view
    but those in ``OPEN_VIEWS`` answers such a person with a redirect: to the enrolment
    without an authenticator app or a security key, else to the verification; a GET comes
    back to where she was going afterwards.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not settings.MENTORING_REQUIRE_OTP:
            return None
        user = request.user
        if not is_required(user) or user.is_verified():
            return None
        if request.resolver_match.view_name in OPEN_VIEWS:
            return None
        target = "second_factor_verify" if has_authenticator(user) else "second_factor_setup"
        url = reverse(target)
        if request.method in ("GET", "HEAD"):
            url += "?" + urlencode({"next": request.get_full_path()})
        return redirect(url)
