"""What the daily sweep reminds applicants and the Beirat of, and the follow-up questions
on her career it sends after a cohort (``follow_ups``)."""

from datetime import datetime, time, timedelta

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cohorts.models import BeiratMembership, Cohort
from mentoring.enums import ReminderKind, ReminderStatus
from mentoring.models import SentReminder
from mentoring.reminders import Due, finder

from . import follow_ups
from .enums import ApplicationState
from .models import Application, FollowUpAnswer
from .selectors import follow_up_applications, unscored_counts

# Reminder name -> the days before the date it covers. The first day of a window is the
# day it fires; a sweep that missed that day catches up within the window.
BEFORE_DEADLINE = {"7": range(2, 8), "1": range(0, 2)}


def window(days_left, windows=BEFORE_DEADLINE):
    """The reminder ("7" or "1") due ``days_left`` days before a date, or None."""
    return next((name for name, days in windows.items() if days_left in days), None)


def has_open_draft(user):
    """Whether she has a draft whose call is still open (one query)."""
    drafts = Application.objects.filter(
        applicant=user,
        state=ApplicationState.DRAFT,
        cohort__application_deadline__gt=timezone.now(),
    )
    return drafts.exists(), _("Sie haben keinen offenen Entwurf.")


def sits_on_a_beirat(user):
    """Whether she belongs to any Mentoringbeirat (one query)."""
    member = BeiratMembership.objects.filter(user=user).exists()
    return member, _("Sie gehören keinem Mentoringbeirat an.")


@finder(
    kind=ReminderKind.APPLICATION_DEADLINE,
    rule=_("7 Tage und 1 Tag vor dem Bewerbungsschluss, solange Ihre Bewerbung ein Entwurf ist."),
    applies_to=has_open_draft,
)
def application_deadline(day):
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


@finder(
    kind=ReminderKind.REVIEW_MISSING,
    rule=_(
        "Vor der Auswahlsitzung des Mentoringbeirats, wenn Bewerbungen, die Sie sehen, noch "
        "ohne Ihre Bewertung sind."
    ),
    applies_to=sits_on_a_beirat,
)
def reviews_missing(day):
    cohorts = [
        cohort
        for cohort in Cohort.objects.filter(
            selection_date__gte=day, selection_date__lte=day + timedelta(days=60)
        ).select_related("programme")
        if (cohort.selection_date - day).days <= cohort.review_reminder_days
    ]
    if not cohorts:
        return
    seats = BeiratMembership.objects.for_cohorts(cohorts).filter(user__is_active=True)
    people, members = {}, {cohort.pk: set() for cohort in cohorts}
    for seat in seats.select_related("user"):
        people.setdefault(seat.user_id, seat.user)
        for cohort in cohorts:
            if seat.cohort_id == cohort.pk or seat.programme_id == cohort.programme_id:
                members[cohort.pk].add(seat.user_id)
    open_counts = unscored_counts(cohorts=cohorts, users=people.values())
    for cohort in cohorts:
        for member in (people[pk] for pk in sorted(members[cohort.pk])):
            open_count = open_counts[cohort.pk, member.pk]
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


def is_asked_about_her_career(user):
    """Whether she gets the follow-up questions: a decided mentee application and her
    consent to them in force (one query)."""
    asked = follow_up_applications(queryset=Application.objects.filter(applicant=user)).exists()
    return asked, _(
        "Nur nach einer Bewerbung als Mentee, über die entschieden ist, und nur mit Ihrer "
        "Einwilligung in die Nachbefragungen."
    )


def _asked(day):
    """``(application, wave)`` for each application asked on ``day`` whose wave due is
    still unanswered, with its applicant and cohort (two queries)."""
    applications = (
        follow_up_applications()
        .filter(cohort__end_date__lte=day, cohort__end_date__gt=follow_ups.earliest_end(day))
        .select_related("applicant", "cohort__programme")
        .order_by("pk")
    )
    due = [
        (application, wave)
        for application in applications
        if (wave := follow_ups.due_wave(application.cohort.end_date, day)) is not None
    ]
    answered = set(
        FollowUpAnswer.objects.filter(
            application_id__in=[application.pk for application, _wave in due]
        ).values_list("application_id", "wave")
    )
    return [pair for pair in due if (pair[0].pk, pair[1].value) not in answered]


def _follow_up(kind, application, wave):
    return Due(
        kind=kind,
        about=application,
        recipient=application.applicant,
        period=wave.value,
        template=f"applications/email/{kind.value}",
        context=follow_ups.mail_context(application, wave),
    )


@finder(
    kind=ReminderKind.FOLLOW_UP,
    rule=_(
        "Zum Ende Ihres Jahrgangs und 6, 12 und 24 Monate danach eine kurze Frage zu Ihrem "
        "beruflichen Werdegang, solange Sie in die Nachbefragungen eingewilligt haben."
    ),
    applies_to=is_asked_about_her_career,
)
def follow_up(day):
    """The wave due for each participant and each of the comparison group who agreed;
    only the latest due wave (see ``follow_ups``)."""
    for application, wave in _asked(day):
        yield _follow_up(ReminderKind.FOLLOW_UP, application, wave)


@finder(
    kind=ReminderKind.FOLLOW_UP_REMINDER,
    rule=_(
        "Eine Woche nach dieser Frage einmal eine Erinnerung, wenn Sie noch nicht geantwortet "
        "haben."
    ),
    applies_to=is_asked_about_her_career,
)
def follow_up_reminder(day):
    """Once, ``REMINDER_AFTER`` the question went out, while its wave is the one due and
    unanswered (three queries)."""
    asked = _asked(day)
    if not asked:
        return
    application_type = Application._meta
    asked_before = set(
        SentReminder.objects.filter(
            kind=ReminderKind.FOLLOW_UP,
            status=ReminderStatus.SENT,
            due_on__lte=day - follow_ups.REMINDER_AFTER,
            content_type__app_label=application_type.app_label,
            content_type__model=application_type.model_name,
            object_id__in=[application.pk for application, _wave in asked],
        ).values_list("object_id", "period")
    )
    for application, wave in asked:
        if (application.pk, wave.value) in asked_before:
            yield _follow_up(ReminderKind.FOLLOW_UP_REMINDER, application, wave)
