"""A reminder sweep killed with SIGKILL half-way, in a real worker process: every e-mail
arrives anyway, once, with the Message-ID of its key, and nobody has to do anything.

The sweep runs in a `celery worker` on the real Redis and the test database; the mail
server is a folder (``tests.mail_server``) that hangs on the 15th message, so that the
worker is killed at exactly that point. A second worker and Celery beat, with a stale time
and a beat interval of seconds, then do what they do in production every minute.
"""

import datetime as dt

import pytest
from django.utils import timezone

from mentoring.celery import app
from mentoring.enums import ReminderStatus
from mentoring.mail import message_id
from mentoring.models import SentReminder
from tests.factories import ApplicationFactory, CohortFactory
from tests.mail_server import HANGING, received
from tests.processes import Processes

pytestmark = [
    pytest.mark.redis,
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    # The test settings run tasks inline; send_task goes to the broker regardless, as meant.
    pytest.mark.filterwarnings("ignore::celery.exceptions.AlwaysEagerIgnored"),
    pytest.mark.filterwarnings("ignore:Results are not stored:RuntimeWarning"),
]

DRAFTS = 42
KILLED_AT = 15
STALE_SECONDS = 3
INTERVAL_SECONDS = 1


@pytest.fixture
def drafts():
    """42 drafts of a cohort whose deadline is five days away: one reminder each, today."""
    cohort = CohortFactory(application_deadline=timezone.now() + dt.timedelta(days=5))
    return [ApplicationFactory(cohort=cohort, blank=True) for _ in range(DRAFTS)]


@pytest.fixture
def processes(tmp_path):
    mailbox = tmp_path / "mail"
    mailbox.mkdir()
    group = Processes(
        tmp_path,
        TEST_MAIL_DIR=mailbox,
        MAIL_CLAIM_STALE_SECONDS=STALE_SECONDS,
        RESUME_INTERVAL_SECONDS=INTERVAL_SECONDS,
    )
    group.mailbox = mailbox
    yield group
    group.close()


def kill_the_sweep_at_the_15th_mail(processes, *, after_acceptance):
    """Runs the daily sweep in a worker of its own and kills it on the 15th e-mail."""
    doomed = processes.worker(
        "doomed",
        queue=f"{processes.queue}-doomed",
        TEST_MAIL_HANG_AT=KILLED_AT,
        TEST_MAIL_HANG_AFTER=int(after_acceptance),
    )
    app.send_task("mentoring.send_reminders", queue=f"{processes.queue}-doomed")
    processes.wait_for(
        lambda: (processes.mailbox / HANGING).exists(), 60, "the sweep to reach the 15th mail"
    )
    processes.kill(doomed)
    (processes.mailbox / HANGING).unlink()


def expected_message_ids():
    return {
        row.recipient.email: message_id(
            purpose=f"reminder.{row.kind}",
            about=row.subject_object,
            recipient=row.recipient,
            occasion=row.period,
        )
        for row in SentReminder.objects.select_related("recipient")
    }


def test_a_sweep_killed_before_the_15th_mail_leaves_nothing_lost_and_nothing_twice(
    drafts, processes
):
    kill_the_sweep_at_the_15th_mail(processes, after_acceptance=False)

    assert len(received(processes.mailbox)) == KILLED_AT - 1
    statuses = list(SentReminder.objects.values_list("status", flat=True))
    # The sweep claimed all 42 before sending: the 28 unsent wait "in Zustellung".
    assert sorted(statuses) == [ReminderStatus.PENDING] * 28 + [ReminderStatus.SENT] * 14

    # Nobody clicks: beat and a worker take the claims over once they are stale.
    processes.worker("worker")
    processes.beat()
    processes.wait_for(
        lambda: len(received(processes.mailbox)) >= DRAFTS, 60, "all reminders to arrive"
    )

    # The next daily sweep finds nothing left to send.
    result = app.send_task("mentoring.send_reminders", queue=processes.queue)
    assert result.get(timeout=60) == {"due": DRAFTS, "new": 0}

    mails = received(processes.mailbox)
    expected = expected_message_ids()
    assert sorted(mails) == sorted(expected.items())  # each once, with its key's Message-ID
    assert sorted(expected) == sorted(draft.applicant.email for draft in drafts)
    assert set(SentReminder.objects.values_list("status", flat=True)) == {ReminderStatus.SENT}


def test_a_sweep_killed_after_the_server_took_the_15th_mail_repeats_that_one_alone(
    drafts, processes
):
    kill_the_sweep_at_the_15th_mail(processes, after_acceptance=True)
    fifteenth = received(processes.mailbox)[-1]
    assert len(received(processes.mailbox)) == KILLED_AT

    processes.worker("worker")
    processes.beat()
    processes.wait_for(
        lambda: len(received(processes.mailbox)) >= DRAFTS + 1, 60, "all reminders to arrive"
    )

    # The one e-mail whose row could not say "gesendet" before the kill comes twice, with
    # the same Message-ID, so that the recipient's mail client shows it once.
    mails = received(processes.mailbox)
    expected = expected_message_ids()
    assert sorted(mails) == sorted([*expected.items(), fifteenth])
    assert fifteenth == (fifteenth[0], expected[fifteenth[0]])
    assert set(SentReminder.objects.values_list("status", flat=True)) == {ReminderStatus.SENT}
