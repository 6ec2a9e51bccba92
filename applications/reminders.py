"""What the daily sweep reminds applicants and the Beirat of."""

from datetime import datetime, time, timedelta

from django.conf import settings
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from cohorts.models import BeiratMembership, Cohort
from mentoring.enums import ReminderKind
from mentoring.reminders import Due, finder

from .enums import ApplicationState
from .models import Application
from .selectors import applications_visible_to

# Reminder name -> the days before the date it covers. The first day of a window is the
# day it fires; a sweep that missed that day catches up within the window.
BEFORE_DEADLINE = {"7": range(2, 8), "1": range(0, 2)}


def window(days_left, windows=BEFORE_DEADLINE):
    """The reminder ("7" or "1") due ``days_left`` days before a date, or None."""
    return next((name for name, days in windows.items() if days_left in days), None)


@finder
def application_deadline(day):
    """7 and 1 day(s) before the deadline: applicants whose application is still a draft."""
    start = timezone.make_aware(datetime.combine(day, time.min))
    drafts = Application.objects.filter(
        state=ApplicationState.DRAFT,
        cohort__application_deadline__gte=start,
        cohort__application_deadline__lt=start + timedelta(days=8),
    ).select_related("applicant", "cohort__programme")
    for application in drafts:
        deadline = timezone.localtime(application.cohort.application_deadline)
        name = window((deadline.date() - day).days)
        if name is None:
            continue
        yield Due(
            kind=ReminderKind.APPLICATION_DEADLINE,
            about=application,
            recipient=application.applicant,
            period=name,
            template="applications/email/reminder_deadline",
            context={
                "application": application,
                "deadline": deadline,
                "days_left": (deadline.date() - day).days,
                "edit_url": settings.SITE_URL + reverse("applications:edit", args=[application.pk]),
            },
        )


@finder
def reviews_missing(day):
    """Before the selection meeting: each Beirat member with applications she has not scored."""
    cohorts = [
        cohort
        for cohort in Cohort.objects.filter(
            selection_date__gte=day, selection_date__lte=day + timedelta(days=60)
        ).select_related("programme")
        if (cohort.selection_date - day).days <= cohort.review_reminder_days
    ]
    for cohort in cohorts:
        members = {
            membership.user
            for membership in BeiratMembership.objects.filter(
                Q(cohort=cohort) | Q(programme_id=cohort.programme_id), user__is_active=True
            ).select_related("user")
        }
        pending = Application.objects.filter(
            cohort=cohort, state__in=ApplicationState.under_review()
        )
        for member in sorted(members, key=lambda user: user.pk):
            open_count = (
                applications_visible_to(member, pending).exclude(reviews__reviewer=member).count()
            )
            if not open_count:
                continue
            yield Due(
                kind=ReminderKind.REVIEW_MISSING,
                about=cohort,
                recipient=member,
                period=cohort.selection_date.isoformat(),
                template="applications/email/reminder_reviews",
                context={
                    "cohort": cohort,
                    "member": member,
                    "open_count": open_count,
                    "admin_url": settings.SITE_URL
                    + reverse("admin:applications_application_changelist"),
                },
            )
