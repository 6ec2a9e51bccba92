"""Survey invitations and the one reminder, through the daily sweep (``mentoring.reminders``).

An invitation goes while a survey is open to each person it asks who has not answered; the
reminder once, a week after her invitation, if she still has not answered and the survey is
still open. Neither says anything about anyone's answers. Each finder asks at most four
queries, whatever the number of surveys and people.
"""

from datetime import timedelta

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mentoring.enums import ReminderKind, ReminderStatus
from mentoring.models import SentReminder
from mentoring.reminders import Due, finder

from .models import Survey
from .selectors import respondents, surveys_of

REMINDER_AFTER = timedelta(days=7)
# ``Due.period``: each is sent once per survey and person.
INVITATION, REMINDER = "invitation", "reminder"


def _open(day):
    return Survey.objects.filter(is_active=True, opens_on__lte=day, closes_on__gte=day)


def is_asked(user):
    """Whether a survey that is active and not yet over asks her (one query)."""
    asked = surveys_of(user=user).filter(closes_on__gte=timezone.localdate()).exists()
    return asked, _("Zurzeit ist keine Befragung für Sie vorgesehen.")


def _due(kind, survey, user, period, template):
    return Due(
        kind=kind,
        about=survey,
        recipient=user,
        period=period,
        template=template,
        context={
            "survey": survey,
            "person": user,
            "survey_url": settings.SITE_URL + reverse("evaluation:survey", args=[survey.pk]),
        },
    )


@finder(
    kind=ReminderKind.SURVEY_INVITATION,
    rule=_(
        "Wenn eine Befragung Ihres Jahrgangs beginnt, die Einladung mit dem Link; Ihre "
        "Antworten sind anonym."
    ),
    applies_to=is_asked,
)
def survey_invitation(day):
    surveys = list(_open(day).select_related("cohort__programme"))
    people = respondents(surveys=surveys)
    for survey in surveys:
        for user in people.get(survey.pk, ()):
            yield _due(
                ReminderKind.SURVEY_INVITATION,
                survey,
                user,
                INVITATION,
                "evaluation/email/survey_invitation",
            )


@finder(
    kind=ReminderKind.SURVEY_REMINDER,
    rule=_(
        "Eine Woche nach der Einladung zu einer Befragung einmal, wenn Sie noch nicht "
        "geantwortet haben und sie noch läuft."
    ),
    applies_to=is_asked,
)
def survey_reminder(day):
    surveys = list(
        _open(day).filter(opens_on__lte=day - REMINDER_AFTER).select_related("cohort__programme")
    )
    if not surveys:
        return
    # Who was invited a week ago or earlier: a late invitation (she joined late, or the
    # survey was set up late) gets its reminder a week after it, not on the same day.
    invited = set(
        SentReminder.objects.filter(
            kind=ReminderKind.SURVEY_INVITATION,
            content_type__app_label=Survey._meta.app_label,
            content_type__model=Survey._meta.model_name,
            object_id__in=[survey.pk for survey in surveys],
            due_on__lte=day - REMINDER_AFTER,
            # An invitation that failed or is still on its way is no reason to remind.
            status=ReminderStatus.SENT,
        ).values_list("object_id", "recipient_id")
    )
    people = respondents(surveys=surveys)
    for survey in surveys:
        for user in people.get(survey.pk, ()):
            if (survey.pk, user.pk) not in invited:
                continue
            yield _due(
                ReminderKind.SURVEY_REMINDER,
                survey,
                user,
                REMINDER,
                "evaluation/email/survey_reminder",
            )
