"""``manage.py resume_jobs`` takes over by hand what beat takes over every minute, and says
what it took over."""

import datetime as dt
import io

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.core.management import call_command
from django.test.utils import override_settings
from django.utils import timezone

from applications.enums import ApplicationState
from applications.tasks import send_application_mail
from mentoring.enums import MailStatus, ReminderStatus
from mentoring.models import OutboxTask, SentMail, SentReminder
from mentoring.reminders import sweep
from tests.factories import BERLIN, ApplicationFactory, TandemFactory, running_cohort
from workshops.enums import BatchState
from workshops.models import CertificateBatch

pytestmark = pytest.mark.django_db


class DyingServer(EmailBackend):
    """Takes the first message of the test; the worker dies while it has the next."""

    def send_messages(self, messages):
        if mail.outbox:
            raise SystemExit("worker killed")
        return super().send_messages(messages)


def resume_jobs():
    out = io.StringIO()
    call_command("resume_jobs", stdout=out)
    return out.getvalue()


@pytest.fixture
def left_behind():
    """A sweep that died after its first reminder, a task that died while sending, and a
    print whose worker died an hour ago."""
    cohort = running_cohort(start_date=dt.date(2026, 3, 1), end_date=dt.date(2027, 2, 28))
    tandem = TandemFactory(cohort=cohort)  # monthly contact and goal agreement, to both
    application = ApplicationFactory(state=ApplicationState.SUBMITTED, submitted_at=timezone.now())
    with override_settings(EMAIL_BACKEND=f"{__name__}.DyingServer"):
        with pytest.raises(SystemExit):
            sweep(now=dt.datetime(2026, 5, 20, 7, tzinfo=BERLIN))
        with pytest.raises(SystemExit):
            send_application_mail(application_id=application.pk, kind="submitted")
    batch = CertificateBatch.objects.create(
        cohort=cohort,
        state=BatchState.RUNNING,
        heartbeat_at=timezone.now() - dt.timedelta(hours=1),
    )
    return {"tandem": tandem, "application": application, "batch": batch}


def test_resume_jobs_takes_over_what_dead_processes_left_and_says_what(left_behind):
    assert SentReminder.objects.filter(status=ReminderStatus.PENDING).count() == 3
    left = SentMail.objects.get()
    assert left.status == MailStatus.SENDING

    with override_settings(MAIL_CLAIM_STALE_SECONDS=0):
        output = resume_jobs()

    assert output == (
        "reminders:\n"
        "  2026-05-20: 3 taken over (3 sent)\n"
        "mails:\n"
        f"  application.submitted → {left_behind['application'].applicant} (in Zustellung)\n"
        "certificate batches:\n"
        f"  {left_behind['batch']}\n"
    )
    # The reminders went out at once; the mail and the print are queued for a worker.
    assert len(mail.outbox) == 4
    assert set(SentReminder.objects.values_list("status", flat=True)) == {ReminderStatus.SENT}
    queued = OutboxTask.objects.order_by("pk").values_list("task", "kwargs")
    assert list(queued) == [
        (
            "applications.send_application_mail",
            {"application_id": left_behind["application"].pk, "kind": "submitted"},
        ),
        ("workshops.print_certificates", {"batch_id": left_behind["batch"].pk}),
    ]
    left_behind["batch"].refresh_from_db()
    assert left_behind["batch"].state == BatchState.QUEUED

    # What it queued counts as fresh again: a second run finds nothing to take over.
    assert resume_jobs() == (
        "reminders: nothing left behind\n"
        "mails: nothing left behind\n"
        "certificate batches: nothing left behind\n"
    )
    assert OutboxTask.objects.count() == 2


def test_resume_jobs_leaves_fresh_claims_to_the_processes_that_hold_them(left_behind):
    assert resume_jobs() == (
        "reminders: nothing left behind\n"
        "mails: nothing left behind\n"
        "certificate batches:\n"
        f"  {left_behind['batch']}\n"
    )
    assert SentReminder.objects.filter(status=ReminderStatus.PENDING).count() == 3
    assert SentMail.objects.get().status == MailStatus.SENDING
    assert len(mail.outbox) == 1
