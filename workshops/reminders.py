"""Upcoming workshops: 7 days and 1 day before, to everyone taking part in the cohort."""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from applications.enums import ApplicationState
from applications.models import Application
from applications.reminders import window
from mentoring.enums import ReminderKind
from mentoring.reminders import Due, finder

from .models import Workshop
from .selectors import invitees


def invited(workshops):
    """{workshop: [application, ...]}: who is expected at each workshop.

    The one place that says who is expected at a workshop: the accepted participants of
    its cohort in the invited role (mentees, mentors or both), without those who answered
    "no". Two queries, whatever the number of workshops and people.
    """
    return invitees(workshops=workshops)


def takes_part(user):
    """Whether she is an accepted participant of a cohort not yet over (one query)."""
    participant = Application.objects.filter(
        applicant=user, state=ApplicationState.ACCEPTED, cohort__end_date__gte=timezone.localdate()
    ).exists()
    return participant, _("Sie nehmen derzeit an keinem Jahrgang teil.")


@finder(
    kind=ReminderKind.WORKSHOP_UPCOMING,
    rule=_("7 Tage und 1 Tag vor jedem Workshop Ihres Jahrgangs."),
    applies_to=takes_part,
)
def workshop_upcoming(day):
    workshops = list(
        Workshop.objects.filter(date__gte=day, date__lte=day + timedelta(days=7)).select_related(
            "cohort__programme"
        )
    )
    for workshop, applications in invited(workshops).items():
        name = window((workshop.date - day).days)
        if name is None:
            continue
        for application in applications:
            yield Due(
                kind=ReminderKind.WORKSHOP_UPCOMING,
                about=workshop,
                recipient=application.applicant,
                period=name,
                template="workshops/email/reminder_workshop",
                context={
                    "workshop": workshop,
                    "application": application,
                    "site_url": settings.SITE_URL,
                },
            )
