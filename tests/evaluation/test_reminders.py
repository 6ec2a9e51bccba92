"""Survey invitations and the one reminder go out once, through the daily sweep."""

import datetime as dt

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from evaluation.enums import SurveyKind
from evaluation.services import survey_answer
from mentoring.enums import ReminderKind, ReminderStatus
from mentoring.models import SentReminder
from mentoring.reminders import find_due, sweep
from tests.factories import BERLIN, SurveyFactory, TandemFactory, running_cohort

from .conftest import mentees

pytestmark = pytest.mark.django_db

OPENS = dt.date(2026, 9, 1)
SURVEY_KINDS = (ReminderKind.SURVEY_INVITATION, ReminderKind.SURVEY_REMINDER)


def on(day):
    """07:00 in Berlin on ``day``, as Celery beat runs the sweep."""
    return dt.datetime.combine(day, dt.time(7), tzinfo=BERLIN)


def after(days):
    return OPENS + dt.timedelta(days=days)


@pytest.fixture
def midterm():
    """A tandem's cohort (March 2026 to February 2027) and its mid-term survey."""
    cohort = running_cohort(start_date=dt.date(2026, 3, 3), end_date=dt.date(2027, 3, 2))
    tandem = TandemFactory(cohort=cohort)
    survey = SurveyFactory(cohort=cohort, opens_on=OPENS, closes_on=after(20))
    return survey, tandem


def survey_mail():
    """(kind, recipient) of each survey e-mail sent so far, in the order of the log."""
    rows = SentReminder.objects.filter(kind__in=SURVEY_KINDS).order_by("pk")
    return [(row.kind, row.recipient.email) for row in rows]


def outbox():
    """The survey e-mails among everything the sweep sent (tandems get their reminders too)."""
    return [m for m in mail.outbox if "befragung" in m.subject or "survey" in m.subject]


def test_the_invitation_goes_on_the_first_day_to_both_partners_once(midterm):
    survey, tandem = midterm
    mentee, mentor = tandem.mentee.applicant, tandem.mentor.applicant
    sweep(now=on(after(-1)))
    assert outbox() == []
    for _run in range(3):
        sweep(now=on(OPENS))
    sweep(now=on(after(1)))
    assert sorted(survey_mail()) == sorted(
        [
            (ReminderKind.SURVEY_INVITATION, mentee.email),
            (ReminderKind.SURVEY_INVITATION, mentor.email),
        ]
    )
    assert len(outbox()) == 2
    message = next(m for m in outbox() if m.to == [mentee.email])
    assert (
        message.subject == f"Ihre Meinung zählt: Zwischenbefragung – {survey.cohort.programme.name}"
    )
    assert reverse("evaluation:survey", args=[survey.pk]) in message.body
    assert "ohne Ihren Namen" in message.body


def test_one_reminder_a_week_later_to_who_has_not_answered_and_never_again(midterm):
    survey, tandem = midterm
    mentee, mentor = tandem.mentee.applicant, tandem.mentor.applicant
    sweep(now=on(OPENS))
    survey_answer(survey=survey, user=mentor, ratings={}, texts={}, today=after(2))
    for day in range(1, 7):
        sweep(now=on(after(day)))
    assert len(survey_mail()) == 2
    for day in (7, 7, 8, 14, 20):
        sweep(now=on(after(day)))
    assert survey_mail()[2:] == [(ReminderKind.SURVEY_REMINDER, mentee.email)]
    assert outbox()[-1].subject == "Erinnerung: Zwischenbefragung läuft noch"


def test_nothing_after_she_answered_nor_after_the_survey_closed(midterm):
    survey, tandem = midterm
    for person in (tandem.mentee.applicant, tandem.mentor.applicant):
        survey_answer(survey=survey, user=person, ratings={}, texts={}, today=OPENS)
    sweep(now=on(OPENS))
    sweep(now=on(after(7)))
    late = SurveyFactory(
        cohort=survey.cohort, kind=SurveyKind.FINAL, opens_on=after(30), closes_on=after(40)
    )
    sweep(now=on(after(41)))
    assert survey_mail() == [] and outbox() == []
    assert late.pk


def test_a_late_invitation_gets_its_reminder_a_week_after_it(midterm):
    survey, tandem = midterm
    sweep(now=on(after(9)))  # the survey was set up late, or the sweep did not run
    assert [kind for kind, _email in survey_mail()] == [ReminderKind.SURVEY_INVITATION] * 2
    sweep(now=on(after(15)))
    assert len(survey_mail()) == 2
    sweep(now=on(after(16)))
    assert [kind for kind, _email in survey_mail()][2:] == [ReminderKind.SURVEY_REMINDER] * 2


def test_mentors_only_where_the_survey_asks_them_and_not_when_it_is_not_carried_out(midterm):
    survey, tandem = midterm
    survey.for_mentors = False
    survey.save()
    sweep(now=on(OPENS))
    assert survey_mail() == [(ReminderKind.SURVEY_INVITATION, tandem.mentee.applicant.email)]
    other = SurveyFactory(
        cohort=survey.cohort, kind=SurveyKind.BASELINE, opens_on=OPENS, is_active=False
    )
    sweep(now=on(after(1)))
    assert len(survey_mail()) == 1 and other.pk


def test_the_mail_is_in_her_language(midterm):
    survey, tandem = midterm
    mentee = tandem.mentee.applicant
    mentee.language = "en"
    mentee.save()
    sweep(now=on(OPENS))
    message = next(m for m in outbox() if m.to == [mentee.email])
    assert (
        message.subject == f"Your opinion counts: Mid-term survey – {survey.cohort.programme.name}"
    )
    assert "without your name" in message.body


def test_finding_survey_mail_asks_the_database_a_fixed_number_of_times():
    def queries(count):
        cohort = running_cohort(start_date=dt.date(2026, 3, 3), end_date=dt.date(2027, 3, 2))
        for _index in range(count):
            TandemFactory(cohort=cohort)
        mentees(cohort, count)
        for kind, opens in ((SurveyKind.MIDTERM, OPENS), (SurveyKind.FINAL, after(-10))):
            SurveyFactory(cohort=cohort, kind=kind, opens_on=opens, closes_on=after(20))
        sweep(now=on(after(-10)))
        with CaptureQueriesContext(connection) as captured:
            due = [item for item in find_due(after(8)) if item.kind in SURVEY_KINDS]
        SentReminder.objects.all().delete()
        cohort.surveys.all().delete()
        return len(captured), len(due)

    few, few_due = queries(1)
    many, many_due = queries(12)
    # One tandem and one more mentee: 3 people × (the mid-term's invitation, the final's
    # invitation, which the sweep drops as sent, and its reminder); with twelve of each, 36.
    assert (few_due, many_due) == (9, 108)
    assert many == few


def test_her_account_page_says_when_survey_mail_comes(client):
    tandem = TandemFactory()
    survey = SurveyFactory(cohort=tandem.cohort)  # open today
    client.force_login(tandem.mentee.applicant)
    html = client.get(reverse("profile")).content.decode()
    assert "Einladung zur Befragung" in html and "Erinnerung an die Befragung" in html
    assert "Zurzeit ist keine Befragung für Sie vorgesehen." not in html
    survey.delete()
    html = client.get(reverse("profile")).content.decode()
    assert "Zurzeit ist keine Befragung für Sie vorgesehen." in html


def test_no_reminder_of_an_invitation_that_never_reached_her(midterm):
    """ "A week ago we invited you" only after an invitation that went out."""
    survey, tandem = midterm
    mentee = tandem.mentee.applicant
    sweep(now=on(OPENS))
    SentReminder.objects.filter(kind=ReminderKind.SURVEY_INVITATION, recipient=mentee).update(
        status=ReminderStatus.FAILED
    )
    sweep(now=on(after(7)))
    reminded = SentReminder.objects.filter(kind=ReminderKind.SURVEY_REMINDER)
    assert list(reminded.values_list("recipient", flat=True)) == [tandem.mentor.applicant_id]
