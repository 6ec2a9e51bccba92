"""Sessions end after ``SESSION_IDLE_MINUTES`` without a request, for everyone.

Everyone, not only officers: a participant's pages show her CV, her tandem and what it
wrote, and the machines in a town hall are shared as often as an officer's are. One rule
for all is also one rule less to get wrong.

The time of the last request is kept in the session, but written at most once a minute:
a session write per request would cost a database write on every page (and a Set-Cookie
header); a minute is nothing against thirty.
"""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.utils.translation import gettext as _

LAST_ACTIVITY_KEY = "last_activity"
# Seconds between two writes of the last activity.
REFRESH_SECONDS = 60


def mark_login(sender, request, user, **kwargs):
    """``user_logged_in``: a fresh login counts as activity (the login saves the session)."""
    if request is not None and hasattr(request, "session"):
        request.session[LAST_ACTIVITY_KEY] = int(time.time())


class IdleTimeoutMiddleware:
    """Logs out a session that has been idle too long and says so on the login page.

    Goes after the session, authentication and message middleware.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = int(time.time())
            last = request.session.get(LAST_ACTIVITY_KEY)
            if isinstance(last, int) and now - last > settings.SESSION_IDLE_MINUTES * 60:
                logout(request)
                messages.info(
                    request,
                    _("Sie wurden nach %(minutes)d Minuten ohne Aktivität abgemeldet.")
                    % {"minutes": settings.SESSION_IDLE_MINUTES},
                )
                return redirect_to_login(
                    request.get_full_path() if request.method in ("GET", "HEAD") else "/"
                )
            if not isinstance(last, int) or now - last >= REFRESH_SECONDS:
                request.session[LAST_ACTIVITY_KEY] = now
        return self.get_response(request)
