"""Asking again after the privacy notice changed: at login, then on every page until done.

At login (``check_at_login``) one look tells whether a consent of hers in force was given
under an older notice than the one in force; the answer is kept in the session, so the
pages she then opens cost no query for it. While it is set, ``ConsentRenewalMiddleware``
sends each GET of her pages to the page that shows what changed, where she confirms or
goes on to withdraw. Pages she needs on the way stay open: the consents pages
themselves, the privacy notice and the other legal pages, logging in and out, the
language switch and the second factor. A notice published while she is logged in is
asked at her next login.
"""

from urllib.parse import urlencode

from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse

from .consents import needs_renewal

SESSION_KEY = "consent_renewal"

# Views that a person who has not yet answered may still reach.
OPEN_VIEWS = frozenset(
    {
        "consents",
        "consents_renew",
        "consent_give",
        "consent_withdraw",
        "privacy",
        "privacy_version",
        "impressum",
        "accessibility",
        "accessibility_feedback",
        "accessibility_feedback_sent",
        "easy_language",
        "login",
        "logout",
        "set_language",
        "admin:login",
        "admin:logout",
        "admin:jsi18n",
    }
)


def check_at_login(sender, request, user, **kwargs):
    """``user_logged_in``: notes in the session whether she is to be asked again."""
    if request is None or not hasattr(request, "session"):
        return
    if needs_renewal(user):
        request.session[SESSION_KEY] = True
    else:
        request.session.pop(SESSION_KEY, None)


def refresh(request):
    """After she answered (or withdrew): stop asking once nothing old is left."""
    if request.session.get(SESSION_KEY) and not needs_renewal(request.user):
        del request.session[SESSION_KEY]


def is_pending(request):
    return bool(request.session.get(SESSION_KEY))


class ConsentRenewalMiddleware:
    """Sends a GET of her pages to the renewal page while the session says she is asked.

    Goes after the authentication, message and second-factor middleware: an officer passes
    her second factor first.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.method not in ("GET", "HEAD"):
            return None
        # Without a session cookie there is nothing to ask (and nothing to load).
        if settings.SESSION_COOKIE_NAME not in request.COOKIES:
            return None
        if not request.session.get(SESSION_KEY) or not request.user.is_authenticated:
            return None
        view_name = request.resolver_match.view_name if request.resolver_match else ""
        if view_name in OPEN_VIEWS or view_name.startswith("second_factor"):
            return None
        # Static files: WhiteNoise answers them before any view; this is for other setups.
        if settings.STATIC_URL and request.path.startswith(settings.STATIC_URL):
            return None
        return redirect(
            f"{reverse('consents_renew')}?{urlencode({'next': request.get_full_path()})}"
        )
