"""Upcoming workshops: 7 days and 1 day before, to everyone taking part in the cohort."""

from datetime import timedelta

from django.conf import settings

from applications.enums import ApplicationState
from applications.models import Application
from applications.reminders import window
from mentoring.enums import ReminderKind
from mentoring.reminders import Due, finder

from .models import Workshop


def invited(workshops):
    """{workshop: [application, ...]}: the accepted participants of each workshop's cohort.

    The one place that says who is expected at a workshop; invitations by role and
    declined RSVPs narrow it here.
    """
    people = Application.objects.filter(
        cohort__in={workshop.cohort_id for workshop in workshops},
        state=ApplicationState.ACCEPTED,
    ).select_related("applicant")
    by_cohort = {}
    for application in people:
        by_cohort.setdefault(application.cohort_id, []).append(application)
    return {workshop: by_cohort.get(workshop.cohort_id, []) for workshop in workshops}


@finder
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
