"""Follow-up questions on her career after a cohort: when each wave is asked, and the
signed link with which she answers without logging in.

Asked are a cohort's mentee applications that were accepted (the participants) or
waitlisted or rejected (the comparison group), each only while the applicant has a consent
to follow-up questions in force (``ConsentKind.FOLLOW_UP``): withdrawing it stops every
further question at once, since the reminder sweep asks for the consent each day. The
waves come at the cohort's end and 6, 12 and 24 months after it. A wave is due from its
date until the next wave's (the last one for ``LAST_WAVE_MONTHS``), and only the latest
due wave is asked: a programme that adopts the product late asks once about now, not
about every wave it missed. The e-mails go out through the reminder sweep
(``reminders.follow_up`` and ``reminders.follow_up_reminder``).

The link carries a signed token (``django.core.signing``, its own salt) naming the
application and the wave; it expires after ``TOKEN_MAX_AGE``. Whoever holds it may answer
that wave and stop the questions, nothing else: it shows no personal data but the cohort.
"""

from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from mentoring.retention import add_months

from .enums import ApplicationRole, ApplicationState, CareerStepKind, FollowUpWave

ROLE = ApplicationRole.MENTEE
# Participants, and those not selected (the comparison group).
STATES = frozenset(
    {ApplicationState.ACCEPTED, ApplicationState.WAITLISTED, ApplicationState.REJECTED}
)
WAVES = tuple(FollowUpWave)
LAST_WAVE_MONTHS = 12
REMINDER_AFTER = timedelta(days=7)

ANSWER_SALT = "applications.follow-up.answer"
TOKEN_MAX_AGE = timedelta(days=120)
# The query parameter of the answer she clicked in the e-mail.
ANSWER_PARAMETER = "antwort"


def is_asked(application):
    """Whether the follow-up questions are about ``application``: a mentee's that was
    accepted (a participant) or not selected (the comparison group). She is asked only
    while her consent is in force as well (``selectors.follow_up_applications``)."""
    return application.role == ROLE and application.state in STATES


def asked_filter(prefix=""):
    """``is_asked`` as a Q, for the application at ``prefix`` (``"application__"``)."""
    return Q(**{f"{prefix}role": ROLE, f"{prefix}state__in": STATES})


def wave_date(end_date, wave):
    return add_months(end_date, FollowUpWave(wave).months)


def due_wave(end_date, day):
    """The wave due on ``day`` for a cohort that ended on ``end_date``, or None."""
    for wave, following in zip(WAVES, WAVES[1:] + (None,), strict=True):
        opens = wave_date(end_date, wave)
        closes = (
            wave_date(end_date, following)
            if following is not None
            else add_months(end_date, wave.months + LAST_WAVE_MONTHS)
        )
        if opens <= day < closes:
            return wave
    return None


def earliest_end(day):
    """A bound below every end date that may have a wave due on ``day`` (for a query)."""
    return add_months(day, -(WAVES[-1].months + LAST_WAVE_MONTHS + 1))


# The link ------------------------------------------------------------------------------


class InvalidToken(Exception):
    """A link that was altered, cut short or never ours."""


class ExpiredToken(InvalidToken):
    """A genuine link older than ``TOKEN_MAX_AGE``."""


def make_token(application, wave):
    return signing.dumps({"a": application.pk, "w": FollowUpWave(wave).value}, salt=ANSWER_SALT)


def read_token(token):
    """``(application id, wave)`` of a token; ``ExpiredToken`` or ``InvalidToken`` if not."""
    try:
        data = signing.loads(token, salt=ANSWER_SALT, max_age=TOKEN_MAX_AGE)
    except signing.SignatureExpired as error:
        raise ExpiredToken from error
    except signing.BadSignature as error:
        raise InvalidToken from error
    if not isinstance(data, dict) or data.get("w") not in FollowUpWave.values:
        raise InvalidToken
    if not isinstance(data.get("a"), int):
        raise InvalidToken
    return data["a"], FollowUpWave(data["w"])


def answer_url(token, kind=None):
    url = settings.SITE_URL + reverse("applications:follow_up", kwargs={"token": token})
    return f"{url}?{urlencode({ANSWER_PARAMETER: kind})}" if kind else url


def mail_context(application, wave):
    """What the follow-up e-mail and its reminder show: one link per answer, each with
    the same token and its answer preselected, and the day the links expire."""
    token = make_token(application, wave)
    return {
        "application": application,
        "wave": FollowUpWave(wave),
        "participant": application.state == ApplicationState.ACCEPTED,
        "answers": [
            {"kind": kind, "label": kind.label, "url": answer_url(token, kind.value)}
            for kind in CareerStepKind
        ],
        "page_url": answer_url(token),
        "valid_until": timezone.localdate() + TOKEN_MAX_AGE,
        "consents_url": settings.SITE_URL + reverse("consents"),
    }
