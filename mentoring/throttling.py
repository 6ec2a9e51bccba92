"""Login throttling: django-axes, told how this product counts and what it answers.

Failed logins are counted per account (the address typed in) and per client address. An
account is locked after ``LOGIN_FAILURES_PER_ACCOUNT`` failures, a client address after
``LOGIN_FAILURES_PER_ADDRESS``: a whole town hall may reach us through one address, so that
limit is higher. A lock lasts ``LOGIN_LOCKOUT_MINUTES`` after the last failure; setting a new
password through the mailed link, or the programme office in the admin, lifts it earlier.
Both login pages (``/konto/anmelden/`` and ``/verwaltung/login/``) answer a locked login
with their own page, the German message in the form and status 429.
"""

import ipaddress

from axes.handlers.database import AxesDatabaseHandler
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum
from django.http import HttpResponse
from django.utils.translation import ngettext


def username_of(request, credentials):
    """The account a login names, as stored: lower case, bounded, without NUL characters."""
    source = credentials if credentials else getattr(request, "POST", {})
    value = source.get("username") if source else None
    if not isinstance(value, str):
        return None
    return value.replace("\x00", "").strip().lower()[:255] or None


def client_address(request):
    """The client's IP address.

    Behind ``TRUSTED_PROXIES`` proxies that each append to ``X-Forwarded-For`` it is that
    many entries from the right (what is left of them the client may have forged);
    otherwise ``REMOTE_ADDR``. Anything that is not an IP address counts as none.
    """
    candidate = request.META.get("REMOTE_ADDR", "")
    hops = settings.TRUSTED_PROXIES
    if hops:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        forwarded = [part.strip() for part in forwarded if part.strip()]
        if len(forwarded) >= hops:
            candidate = forwarded[-hops]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return None


def lockout_message():
    minutes = settings.LOGIN_LOCKOUT_MINUTES
    return ngettext(
        "Zu viele Fehlversuche für dieses Konto oder von Ihrem Netzwerk aus. Bitte versuchen "
        "Sie es in %(minutes)d Minute erneut oder setzen Sie Ihr Passwort zurück.",
        "Zu viele Fehlversuche für dieses Konto oder von Ihrem Netzwerk aus. Bitte versuchen "
        "Sie es in %(minutes)d Minuten erneut oder setzen Sie Ihr Passwort zurück.",
        minutes,
    ) % {"minutes": minutes}


def lockout_response(request, original_response=None, credentials=None):
    """The login page as the view rendered it (its form says why), with status 429."""
    if original_response is None:
        original_response = HttpResponse(lockout_message(), content_type="text/plain")
    original_response.status_code = 429
    return original_response


def unlock(user):
    """Lifts the lock on ``user``'s account (not on any client address)."""
    return AccessAttempt.objects.filter(username=user.email.lower()).delete()[0]


class LoginThrottleHandler(AxesDatabaseHandler):
    """Axes' database handler with one limit per account and a higher one per address.

    Axes compares a single count with a single limit (``AXES_FAILURE_LIMIT``, the account
    limit); the failures from one address are scaled to that limit so that they lock only at
    ``LOGIN_FAILURES_PER_ADDRESS``.
    """

    def get_failures(self, request, credentials=None):
        per_account, per_address = (
            attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0
            for attempts in self.get_user_attempts(request, credentials)
        )
        account_limit = settings.LOGIN_FAILURES_PER_ACCOUNT
        address_limit = settings.LOGIN_FAILURES_PER_ADDRESS
        return max(per_account, per_address * account_limit // address_limit)

    def reset_user_attempts(self, request, credentials=None):
        # A successful login forgives the account's own failures, not its address's.
        username = username_of(request, credentials)
        if not username:
            return 0
        return AccessAttempt.objects.filter(username=username).delete()[0]
