"""The daily reminder sweep: each kind on its day, to its people, and each e-mail once."""

import datetime as dt
import html
import smtplib

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext, override_settings
from django.utils import timezone

from applications.enums import ApplicationState
from applications.models import Review
from cohorts.enums import BeiratRole
from mentoring.enums import ReminderKind, ReminderLogAction, ReminderStatus
from mentoring.mail import message_id
from mentoring.models import ReminderLog, SentReminder
from mentoring.reminders import find_due, resume, sweep
from mentoring.retention import erase_person
from tandems.enums import TandemStatus
from tandems.models import GoalAgreement
from tests.concurrency import at_once
from tests.factories import (
    BERLIN,
    ApplicationFactory,
    BeiratMembershipFactory,
    CohortFactory,
    ContactFactory,
    MentorApplicationFactory,
    ProgrammeOfficeFactory,
    TandemFactory,
    UserFactory,
    WorkshopFactory,
    running_cohort,
)

pytestmark = pytest.mark.django_db
SECRET = "Vertraulich: sie denkt an einen Wechsel nach Dortmund"


def on(year, month, day):
    """07:00 in Berlin on that day, as Celery beat would run the sweep."""
    return dt.datetime(year, month, day, 7, 0, tzinfo=BERLIN)


def sent(kind=None):
    return [m for m in mail.outbox if kind is None or m.kind == kind]


@pytest.fixture(autouse=True)
def _tag_mail(monkeypatch):
    """Lets tests ask which kind of reminder an e-mail in the outbox was."""
    from mentoring import reminders

    original = reminders._deliver

    def tagging(row, item, *args):
        before = len(mail.outbox)
        status = original(row, item, *args)
        for message in mail.outbox[before:]:
            message.kind = item.kind
        return status

    monkeypatch.setattr(reminders, "_deliver", tagging)


@pytest.fixture
def tandem():
    """A tandem of a cohort that runs from March 2026 to February 2027."""
    cohort = running_cohort(start_date=dt.date(2026, 3, 1), end_date=dt.date(2027, 2, 28))
    return TandemFactory(cohort=cohort)


def agreed(tandem):
    """Both confirmed the goal agreement: only contact reminders remain for the tandem."""
    now = timezone.now()
    GoalAgreement.objects.create(tandem=tandem, mentee_confirmed_at=now, mentor_confirmed_at=now)
    return tandem


def recipients(kind):
    return sorted(address for m in sent(kind) for address in m.to)


# Monthly contact -------------------------------------------------------------------------


def test_contact_reminder_from_the_cohorts_day_to_both_partners(tandem):
    sweep(now=on(2026, 5, 19))
    assert sent(ReminderKind.CONTACT_MISSING) == []
    sweep(now=on(2026, 5, 20))
    assert recipients(ReminderKind.CONTACT_MISSING) == sorted(
        [tandem.mentee.applicant.email, tandem.mentor.applicant.email]
    )
    message = sent(ReminderKind.CONTACT_MISSING)[0]
    assert "Mai 2026" in message.subject
    assert f"/tandem/{tandem.pk}/" in message.body


def test_no_contact_reminder_when_the_month_has_a_contact(tandem):
    ContactFactory(tandem=tandem, date=dt.date(2026, 5, 2))
    sweep(now=on(2026, 5, 25))
    assert sent(ReminderKind.CONTACT_MISSING) == []


def test_the_reminder_day_is_the_cohorts_setting(tandem):
    tandem.cohort.contact_reminder_day = 10
    tandem.cohort.save()
    sweep(now=on(2026, 5, 10))
    assert len(sent(ReminderKind.CONTACT_MISSING)) == 2


def test_escalation_after_two_quiet_months_to_the_mentees_officers_only(tandem):
    programme = tandem.cohort.programme
    officer = BeiratMembershipFactory(
        organisation=tandem.mentee.organisation, programme=programme
    ).user
    cohort_officer = BeiratMembershipFactory(
        organisation=tandem.mentee.organisation, programme=None, cohort=tandem.cohort
    ).user
    BeiratMembershipFactory(organisation=tandem.mentor.organisation, programme=programme)
    ContactFactory(tandem=tandem, date=dt.date(2026, 3, 10), note=SECRET, topics_other=SECRET)

    sweep(now=on(2026, 5, 31))  # March had contact: April alone is no alarm
    assert sent(ReminderKind.CONTACT_ESCALATION) == []
    sweep(now=on(2026, 6, 1))  # April and May without contact
    assert recipients(ReminderKind.CONTACT_ESCALATION) == sorted(
        [officer.email, cohort_officer.email]
    )
    message = sent(ReminderKind.CONTACT_ESCALATION)[0]
    assert tandem.mentee.applicant.get_full_name() in message.subject
    assert "April 2026" in message.body and "Mai 2026" in message.body
    assert SECRET not in message.subject + message.body
    assert not SentReminder.objects.filter(subject__contains=SECRET).exists()


def test_goal_agreement_reminder_four_weeks_after_start_to_whoever_has_not_confirmed(tandem):
    GoalAgreement.objects.create(tandem=tandem, mentee_confirmed_at=timezone.now())
    ContactFactory(tandem=tandem, date=dt.date(2026, 3, 2))
    sweep(now=on(2026, 3, 28))
    assert sent(ReminderKind.GOAL_AGREEMENT) == []
    sweep(now=on(2026, 3, 29))
    assert recipients(ReminderKind.GOAL_AGREEMENT) == [tandem.mentor.applicant.email]
    sweep(now=on(2026, 4, 15))
    assert len(sent(ReminderKind.GOAL_AGREEMENT)) == 1


def test_a_tandem_that_ended_early_gets_no_reminders(tandem):
    BeiratMembershipFactory(
        organisation=tandem.mentee.organisation, programme=tandem.cohort.programme
    )
    tandem.status, tandem.ended_at = TandemStatus.ENDED, dt.date(2026, 3, 20)
    tandem.save()
    for day in (on(2026, 3, 29), on(2026, 5, 20), on(2026, 6, 1)):
        sweep(now=day)
    assert sent() == []


# Applications ------------------------------------------------------------------------------


@pytest.fixture
def draft():
    deadline = dt.datetime(2026, 4, 30, 23, 59, tzinfo=BERLIN)
    application = ApplicationFactory(
        cohort__application_opens_at=deadline - dt.timedelta(days=60),
        cohort__application_deadline=deadline,
    )
    ApplicationFactory(cohort=application.cohort, state=ApplicationState.SUBMITTED)
    return application


def test_deadline_reminders_seven_days_and_one_day_before_to_drafts_only(draft):
    sweep(now=on(2026, 4, 22))
    assert sent(ReminderKind.APPLICATION_DEADLINE) == []
    sweep(now=on(2026, 4, 23))
    assert recipients(ReminderKind.APPLICATION_DEADLINE) == [draft.applicant.email]
    assert "30. April 2026" in sent(ReminderKind.APPLICATION_DEADLINE)[0].subject
    sweep(now=on(2026, 4, 28))
    assert len(sent(ReminderKind.APPLICATION_DEADLINE)) == 1
    sweep(now=on(2026, 4, 29))
    assert len(sent(ReminderKind.APPLICATION_DEADLINE)) == 2
    assert SentReminder.objects.filter(kind=ReminderKind.APPLICATION_DEADLINE).count() == 2


def test_a_missed_sweep_catches_up_within_the_window(draft):
    sweep(now=on(2026, 4, 25))
    assert len(sent(ReminderKind.APPLICATION_DEADLINE)) == 1
    sweep(now=on(2026, 5, 1))  # after the deadline: nothing
    assert len(sent(ReminderKind.APPLICATION_DEADLINE)) == 1


def test_review_reminder_before_the_selection_meeting_to_members_with_open_reviews():
    application = ApplicationFactory(state=ApplicationState.SUBMITTED)
    cohort = application.cohort
    cohort.selection_date, cohort.review_reminder_days = dt.date(2026, 6, 10), 5
    cohort.save()
    behind = BeiratMembershipFactory(
        organisation=application.organisation, programme=cohort.programme
    ).user
    done = BeiratMembershipFactory(
        organisation=application.organisation, programme=cohort.programme
    ).user
    Review.objects.create(application=application, reviewer=done, scores={}, mean_score=3)
    sweep(now=on(2026, 6, 4))
    assert sent(ReminderKind.REVIEW_MISSING) == []
    sweep(now=on(2026, 6, 5))
    assert recipients(ReminderKind.REVIEW_MISSING) == [behind.email]
    assert "1 Bewerbung" in sent(ReminderKind.REVIEW_MISSING)[0].subject


def test_workshop_reminders_seven_days_and_one_day_before_to_participants():
    workshop = WorkshopFactory(cohort=running_cohort(), date=dt.date(2026, 6, 16))
    mentee = ApplicationFactory(cohort=workshop.cohort, state=ApplicationState.ACCEPTED)
    mentor = MentorApplicationFactory(cohort=workshop.cohort, state=ApplicationState.ACCEPTED)
    ApplicationFactory(cohort=workshop.cohort, state=ApplicationState.REJECTED)
    sweep(now=on(2026, 6, 8))
    assert sent(ReminderKind.WORKSHOP_UPCOMING) == []
    sweep(now=on(2026, 6, 9))
    expected = sorted([mentee.applicant.email, mentor.applicant.email])
    assert recipients(ReminderKind.WORKSHOP_UPCOMING) == expected
    sweep(now=on(2026, 6, 15))
    assert recipients(ReminderKind.WORKSHOP_UPCOMING) == sorted(expected * 2)


# Exactly once --------------------------------------------------------------------------------


def test_running_the_sweep_twice_sends_each_email_once(tandem, draft):
    first = sweep(now=on(2026, 4, 29))
    count = len(mail.outbox)
    assert count >= 3 and first.outcome[ReminderStatus.SENT] == count
    second = sweep(now=on(2026, 4, 29))
    assert len(mail.outbox) == count
    assert second.new == [] and len(second.due) == len(first.due)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_parallel_sweeps_against_postgresql_send_each_email_once():
    cohort = running_cohort(start_date=dt.date(2026, 3, 1), end_date=dt.date(2027, 2, 28))
    for _ in range(12):
        agreed(TandemFactory(cohort=cohort))
    _, errors = at_once(lambda: sweep(now=on(2026, 5, 20)), times=4)
    assert errors == []
    addresses = [
        address for message in sent(ReminderKind.CONTACT_MISSING) for address in message.to
    ]
    assert len(addresses) == 24 == len(set(addresses))
    assert SentReminder.objects.filter(status=ReminderStatus.SENT).count() == 24


class DyingServer(EmailBackend):
    """Takes the first message; the worker dies while the server has the second."""

    def send_messages(self, messages):
        if mail.outbox:
            raise SystemExit("worker killed")
        return super().send_messages(messages)


def test_a_sweep_that_died_leaves_its_claims_to_the_next_once_they_are_stale(tandem):
    agreed(tandem)
    with (
        override_settings(EMAIL_BACKEND="tests.mentoring.test_reminders.DyingServer"),
        pytest.raises(SystemExit),
    ):
        sweep(now=on(2026, 5, 20))
    assert len(mail.outbox) == 1
    left = SentReminder.objects.get(status=ReminderStatus.PENDING)

    # While the claim is fresh, its sweep might still be at work: nothing is sent.
    report = sweep(now=on(2026, 5, 20))
    assert (report.new, report.outcome, len(mail.outbox)) == ([], {}, 1)

    with override_settings(MAIL_CLAIM_STALE_SECONDS=0):
        report = sweep(now=on(2026, 5, 20))
    assert report.new == [] and report.outcome == {ReminderStatus.SENT: 1}
    left.refresh_from_db()
    assert (left.status, left.attempts) == (ReminderStatus.SENT, 1)
    first, second = mail.outbox
    assert {first.to[0], second.to[0]} == {
        tandem.mentee.applicant.email,
        tandem.mentor.applicant.email,
    }
    assert second.extra_headers["Message-ID"] == message_id(
        purpose=f"reminder.{left.kind}",
        about=tandem,
        recipient=left.recipient,
        occasion=left.period,
    )


def test_beat_takes_over_what_a_dead_sweep_left_on_the_day_it_was_due(tandem):
    agreed(tandem)
    with (
        override_settings(EMAIL_BACKEND="tests.mentoring.test_reminders.DyingServer"),
        pytest.raises(SystemExit),
    ):
        sweep(now=on(2026, 5, 20))
    assert resume() == []  # the claim is fresh

    with override_settings(MAIL_CLAIM_STALE_SECONDS=0):
        (report,) = resume()
    assert (report.day, report.new, report.outcome) == (
        dt.date(2026, 5, 20),
        [],  # a past day: only what was claimed
        {ReminderStatus.SENT: 1},
    )
    assert len(mail.outbox) == 2
    assert SentReminder.objects.filter(status=ReminderStatus.SENT).count() == 2
    with override_settings(MAIL_CLAIM_STALE_SECONDS=0):
        assert resume() == []


def test_a_taken_over_claim_no_longer_due_is_not_sent_and_says_why(tandem):
    agreed(tandem)
    with (
        override_settings(EMAIL_BACKEND="tests.mentoring.test_reminders.DyingServer"),
        pytest.raises(SystemExit),
    ):
        sweep(now=on(2026, 5, 20))
    ContactFactory(tandem=tandem, date=dt.date(2026, 5, 19))  # logged late, for the 19th

    with override_settings(MAIL_CLAIM_STALE_SECONDS=0):
        (report,) = resume()

    assert report.outcome == {ReminderStatus.FAILED: 1} and len(mail.outbox) == 1
    row = SentReminder.objects.get(status=ReminderStatus.FAILED)
    assert row.error == "Bei der Wiederaufnahme nicht mehr fällig; nicht gesendet."


class FlakyBackend(EmailBackend):
    """Refuses one address for good and drops the connection once for another."""

    dropped = set()

    def send_messages(self, messages):
        for message in messages:
            if any(address.startswith("refuse") for address in message.to):
                raise smtplib.SMTPRecipientsRefused({message.to[0]: (550, b"no such user")})
            flaky = [address for address in message.to if address.startswith("flaky")]
            if flaky and flaky[0] not in self.dropped:
                self.dropped.add(flaky[0])
                raise smtplib.SMTPServerDisconnected("connection lost")
        return super().send_messages(messages)


@override_settings(
    EMAIL_BACKEND="tests.mentoring.test_reminders.FlakyBackend", REMINDER_SMTP_ATTEMPTS=3
)
def test_a_refused_recipient_is_recorded_and_the_others_still_get_theirs():
    cohort = running_cohort(start_date=dt.date(2026, 3, 1), end_date=dt.date(2027, 2, 28))
    refused, flaky = (
        TandemFactory(
            cohort=cohort,
            mentee=ApplicationFactory(
                cohort=cohort,
                state=ApplicationState.ACCEPTED,
                applicant__email=email,
                cv="",
                letter="",
            ),
        )
        for email in ("refuse@example.org", "flaky@example.org")
    )
    fine = TandemFactory(cohort=cohort)
    for tandem in (refused, flaky, fine):
        agreed(tandem)
    FlakyBackend.dropped.clear()
    report = sweep(now=on(2026, 5, 20))
    assert report.outcome == {ReminderStatus.SENT: 5, ReminderStatus.FAILED: 1}
    failed = SentReminder.objects.get(status=ReminderStatus.FAILED)
    assert failed.recipient == refused.mentee.applicant
    assert "550" in failed.error and failed.attempts == 1  # permanent: not retried
    retried = SentReminder.objects.get(recipient=flaky.mentee.applicant)
    assert (retried.status, retried.attempts) == (ReminderStatus.SENT, 2)
    assert fine.mentor.applicant.email in recipients(ReminderKind.CONTACT_MISSING)
    sweep(now=on(2026, 5, 21))  # a failure is recorded, not retried every morning
    assert len(mail.outbox) == 5


# The command and the query count -----------------------------------------------------------


def test_dry_run_lists_what_would_be_sent_and_sends_nothing(tandem, capsys):
    agreed(tandem)
    call_command("send_reminders", "--dry-run", "--date", "2026-05-20")
    out = capsys.readouterr().out
    assert tandem.mentee.applicant.email in out and "contact_missing" in out
    assert "2 reminder(s) would be sent" in out
    assert mail.outbox == [] and not SentReminder.objects.exists()
    call_command("send_reminders", "--date", "2026-05-20")
    assert len(mail.outbox) == 2
    assert "2 new" in capsys.readouterr().out


def test_a_bad_date_is_a_one_line_error():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="expected YYYY-MM-DD"):
        call_command("send_reminders", "--date", "20.05.2026")


def test_finding_what_is_due_asks_the_database_a_fixed_number_of_times():
    def queries(count):
        cohort = running_cohort(start_date=dt.date(2026, 3, 1), end_date=dt.date(2027, 2, 28))
        BeiratMembershipFactory(programme=cohort.programme, role=BeiratRole.CHAIR)
        tandems = [TandemFactory(cohort=cohort) for _ in range(count)]
        for tandem in tandems:
            BeiratMembershipFactory(
                organisation=tandem.mentee.organisation, programme=cohort.programme
            )
        # A cohort whose selection meeting is four days away: its members hear of their
        # open reviews, each of her own organisation's applications.
        selection = CohortFactory(selection_date=dt.date(2026, 6, 5), review_reminder_days=5)
        BeiratMembershipFactory(programme=selection.programme, role=BeiratRole.CHAIR)
        for number in range(count):
            application = ApplicationFactory(cohort=selection, state=ApplicationState.SUBMITTED)
            seat = {"cohort": selection, "programme": None} if number % 2 else {}
            member = BeiratMembershipFactory(
                organisation=application.organisation, **{"programme": selection.programme, **seat}
            ).user
            if number % 3 == 2:
                Review.objects.create(
                    application=application, reviewer=member, scores={}, mean_score=3
                )
        with CaptureQueriesContext(connection) as captured:
            due = find_due(dt.date(2026, 6, 1))
        SentReminder.objects.all().delete()
        cohort.tandems.all().delete()
        selection.selection_date = None  # over: the next round does not see it
        selection.save()
        reviews = [item for item in due if item.kind == ReminderKind.REVIEW_MISSING]
        return len(captured), len(due), len(reviews)

    few, few_due, few_reviews = queries(1)
    many, many_due, many_reviews = queries(25)
    assert many_due > few_due > 0
    # Each member with an unscored one, and the chair, who sees them all.
    assert (few_reviews, many_reviews) == (2, 1 + 25 - 8)
    assert many == few


def test_sending_reminders_asks_the_database_twice_per_email():
    """Besides a fixed number of queries, two per e-mail: her claim right before it goes
    (an erased person's is gone), and its row says "gesendet" before the next goes out.
    Writing an e-mail asks nothing: the finders loaded what it reads."""

    def queries(count):
        cohort = running_cohort(start_date=dt.date(2026, 3, 1), end_date=dt.date(2027, 2, 28))
        for _ in range(count):
            agreed(TandemFactory(cohort=cohort))
        with CaptureQueriesContext(connection) as captured:
            report = sweep(now=on(2026, 5, 20))
        SentReminder.objects.all().delete()
        cohort.tandems.all().delete()  # the next round does not see them
        return len(captured), report.outcome[ReminderStatus.SENT]

    queries(1)  # the first sweep of a process fills its caches (content types)
    few, few_sent = queries(1)
    many, many_sent = queries(20)
    assert (few_sent, many_sent) == (2, 40)
    assert many - few == 2 * (many_sent - few_sent)


def test_a_person_erased_while_the_sweep_runs_gets_no_reminder(monkeypatch, tandem):
    """Her claim is asked for right before her e-mail goes: erasure took it, so none goes."""
    from mentoring import reminders

    agreed(tandem)
    partners = {tandem.mentee.applicant, tandem.mentor.applicant}
    render = reminders.templated_mail
    erased = []

    def erasing_the_other(*, to, **kwargs):
        if not erased:
            (other,) = (person for person in partners if person.email not in to)
            erased.append(other.email)
            erase_person(user=other, actor=ProgrammeOfficeFactory())
        return render(to=to, **kwargs)

    monkeypatch.setattr(reminders, "templated_mail", erasing_the_other)
    report = sweep(now=on(2026, 5, 20))
    assert len(sent()) == 1
    assert erased[0] not in sent()[0].to
    assert report.outcome[ReminderStatus.SENT] == 1


# Who sees what -----------------------------------------------------------------------------


def test_the_profile_says_which_reminders_she_gets(client, tandem):
    client.force_login(tandem.mentee.applicant)
    page = client.get("/konto/").content.decode()
    assert "Monatskontakt fehlt" in page and "erhalten Sie" in page
    tandem.status, tandem.ended_at = TandemStatus.ENDED, timezone.localdate()
    tandem.save()
    page = client.get("/konto/").content.decode()
    assert "dazu erhalten Sie keine Erinnerungen mehr" in page


def test_the_profile_lists_what_was_sent_to_her(client, tandem):
    sweep(now=on(2026, 5, 20))
    client.force_login(tandem.mentor.applicant)
    page = client.get("/konto/").content.decode()
    assert "Ihr Tandemkontakt im Mai 2026" in page


def test_only_the_programme_office_sees_the_reminder_log(client, tandem):
    sweep(now=on(2026, 5, 20))
    client.force_login(ProgrammeOfficeFactory())
    page = client.get("/verwaltung/mentoring/sentreminder/").content.decode()
    assert tandem.mentee.applicant.email in page or str(tandem.mentee.applicant) in page
    officer = BeiratMembershipFactory(programme=tandem.cohort.programme).user
    client.force_login(officer)
    assert client.get("/verwaltung/mentoring/sentreminder/").status_code == 403
    client.force_login(UserFactory())
    assert client.get("/verwaltung/mentoring/sentreminder/").status_code == 302


class RefusingServer(EmailBackend):
    """Refuses every recipient for good, as a mail server does for a mistyped address."""

    def send_messages(self, messages):
        raise smtplib.SMTPRecipientsRefused({messages[0].to[0]: (550, b"no such user")})


class UnreachableServer(EmailBackend):
    """A mail server nobody can connect to."""

    def open(self):
        raise ConnectionRefusedError(111, "Connection refused")


def test_a_mail_server_out_of_reach_leaves_the_reminders_for_a_later_try(tandem):
    """Nothing fails for good: the claims wait, and ``resume`` sends once they are stale."""
    agreed(tandem)
    with override_settings(EMAIL_BACKEND="tests.mentoring.test_reminders.UnreachableServer"):
        report = sweep(now=on(2026, 5, 20))
    rows = SentReminder.objects.all()
    assert rows.count() == 2 and mail.outbox == []
    assert {row.status for row in rows} == {ReminderStatus.PENDING}
    assert (report.outcome, report.waiting) == ({}, 2)
    assert resume() == []  # the claims are fresh: not yet
    rows.update(claimed_at=timezone.now() - dt.timedelta(seconds=601))
    resume()
    assert {row.status for row in rows} == {ReminderStatus.SENT}
    assert sorted(address for m in mail.outbox for address in m.to) == sorted(
        [tandem.mentee.applicant.email, tandem.mentor.applicant.email]
    )


@pytest.fixture
def failed(tandem):
    """The tandem's two contact reminders of 20 May, refused for good by the mail server."""
    agreed(tandem)
    with override_settings(EMAIL_BACKEND="tests.mentoring.test_reminders.RefusingServer"):
        sweep(now=on(2026, 5, 20))
    return list(SentReminder.objects.filter(status=ReminderStatus.FAILED).order_by("pk"))


def test_the_programme_office_sends_failed_reminders_again(
    client, tandem, failed, django_capture_on_commit_callbacks
):
    assert len(failed) == 2 and mail.outbox == []
    officer = BeiratMembershipFactory(programme=tandem.cohort.programme).user
    client.force_login(officer)
    selected = {"action": "resend", "_selected_action": [row.pk for row in failed]}
    assert client.post("/verwaltung/mentoring/sentreminder/", selected).status_code == 403

    client.force_login(ProgrammeOfficeFactory())
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/verwaltung/mentoring/sentreminder/", selected, follow=True)

    assert "2 Erinnerungen werden erneut gesendet." in response.content.decode()
    assert [row.status for row in SentReminder.objects.order_by("pk")] == [
        ReminderStatus.SENT,
        ReminderStatus.SENT,
    ]
    assert sorted(message.extra_headers["Message-ID"] for message in mail.outbox) == sorted(
        message_id(
            purpose=f"reminder.{row.kind}",
            about=tandem,
            recipient=row.recipient,
            occasion=row.period,
        )
        for row in failed
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/verwaltung/mentoring/sentreminder/", selected, follow=True)
    assert "keine fehlgeschlagene" in response.content.decode() and len(mail.outbox) == 2


def test_sending_again_is_noted_in_each_reminders_history_with_who_and_why(
    client, failed, django_capture_on_commit_callbacks
):
    office = ProgrammeOfficeFactory()
    client.force_login(office)

    selected = {"action": "resend", "_selected_action": [row.pk for row in failed]}
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/verwaltung/mentoring/sentreminder/", selected)

    entries = [
        (entry.reminder_id, entry.actor, entry.action, entry.from_state, entry.note)
        for entry in ReminderLog.objects.order_by("pk")
    ]
    assert entries == [
        (row.pk, office, ReminderLogAction.RESENT, ReminderStatus.FAILED, row.error)
        for row in failed
    ]
    page = client.get(f"/verwaltung/mentoring/sentreminder/{failed[0].pk}/change/")
    assert page.status_code == 200
    shown = html.unescape(page.content.decode())
    assert str(office) in shown and f"war fehlgeschlagen: {failed[0].error}" in shown

    # Only what failed is sent again, and only that is noted.
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/verwaltung/mentoring/sentreminder/", selected)
    assert ReminderLog.objects.count() == 2


def test_the_profile_costs_the_same_with_one_or_many_reminders(client, tandem):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/konto/").status_code == 200
        return len(captured)

    client.force_login(tandem.mentee.applicant)
    sweep(now=on(2026, 3, 29))  # the goal-agreement reminder only
    one = queries()
    for month in (4, 5, 6, 7, 8):
        sweep(now=on(2026, month, 20))
    assert SentReminder.objects.filter(recipient=tandem.mentee.applicant).count() > 3
    assert queries() == one


def test_the_cohorts_reminder_settings_refuse_impossible_days():
    from django.core.exceptions import ValidationError

    cohort = running_cohort()
    cohort.contact_reminder_day, cohort.review_reminder_days = 31, 90
    with pytest.raises(ValidationError) as refused:
        cohort.full_clean()
    assert {"contact_reminder_day", "review_reminder_days"} <= refused.value.error_dict.keys()
