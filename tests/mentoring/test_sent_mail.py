"""Every e-mail of the app's tasks is recorded before it goes out and goes out once."""

import datetime as dt
import smtplib
import time

import pytest
from celery.exceptions import Retry
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.db import connection
from django.test.utils import CaptureQueriesContext, override_settings
from django.utils import timezone

from applications import services as application_services
from applications.enums import ApplicationState, Decision
from applications.models import Application
from applications.tasks import send_application_mail
from mentoring import outbox
from mentoring.enums import MailStatus
from mentoring.mail import MailDeferred, OutgoingMail, message_id, resume, send_once
from mentoring.models import OutboxTask, SentMail, SentReminder
from mentoring.reminders import sweep
from tandems import services as tandem_services
from tandems.tasks import send_tandem_introduction
from tests.concurrency import at_once
from tests.factories import (
    BERLIN,
    ApplicationFactory,
    BeiratMembershipFactory,
    CohortFactory,
    CohortOrganisationFactory,
    MentorApplicationFactory,
    ProgrammeOfficeFactory,
    TandemFactory,
    running_cohort,
)

pytestmark = pytest.mark.django_db
S = ApplicationState


class FlakyServer(EmailBackend):
    """The outside world: an SMTP server that fails as told, per address.

    ``drop_once`` addresses lose the connection on their first message; ``refuse``
    addresses are refused for good (550). Every try's Message-ID is noted in ``tries``.
    """

    drop_once = set()
    refuse = set()
    tries = []

    def send_messages(self, messages):
        for message in messages:
            address = message.to[0]
            self.tries.append((address, message.message()["Message-ID"]))
            if address in self.refuse:
                raise smtplib.SMTPRecipientsRefused({address: (550, b"no such user")})
            if address in self.drop_once:
                self.drop_once.discard(address)
                raise ConnectionResetError("Connection reset by peer")
        return super().send_messages(messages)


@pytest.fixture
def server():
    FlakyServer.drop_once, FlakyServer.refuse, FlakyServer.tries = set(), set(), []
    with override_settings(EMAIL_BACKEND="tests.mentoring.test_sent_mail.FlakyServer"):
        yield FlakyServer


def addresses():
    return sorted(message.to[0] for message in mail.outbox)


# The tandem introduction -------------------------------------------------------------------


@pytest.fixture
def pair():
    """An accepted mentee and mentor of different administrations, ready to be matched."""
    cohort = CohortFactory()
    common = {"cohort": cohort, "state": S.ACCEPTED, "submitted_at": timezone.now()}
    mentee = ApplicationFactory(applicant__email="anna@bottrop.example.org", **common)
    mentor = MentorApplicationFactory(applicant__email="berta@gladbeck.example.org", **common)
    return {"cohort": cohort, "mentee": mentee, "mentor": mentor}


def test_a_retried_introduction_mails_each_partner_exactly_once(
    pair, server, django_capture_on_commit_callbacks
):
    office = ProgrammeOfficeFactory()
    run = tandem_services.matching_run(cohort=pair["cohort"], actor=office)
    # The first e-mail (to the mentee) goes out, the second loses the connection.
    server.drop_once.add("berta@gladbeck.example.org")

    # The publication succeeds; the deferred e-mail waits for the task's retry (inline
    # here, as without a broker: the outbox logs the retry instead of failing the action).
    with django_capture_on_commit_callbacks(execute=True):
        (tandem,) = tandem_services.matching_publish(run=run, actor=office)
    assert addresses() == ["anna@bottrop.example.org"]
    waiting = SentMail.objects.get(recipient=pair["mentor"].applicant)
    assert (waiting.status, waiting.attempts) == (MailStatus.RETRY, 1)
    assert waiting.error == "Connection reset by peer"

    send_tandem_introduction(tandem_id=tandem.pk)  # Celery's retry
    send_tandem_introduction(tandem_id=tandem.pk)  # and a redelivery for good measure

    assert addresses() == ["anna@bottrop.example.org", "berta@gladbeck.example.org"]
    rows = {
        row.recipient_id: (row.purpose, row.status, row.attempts)
        for row in SentMail.objects.filter(object_id=tandem.pk)
    }
    assert rows == {
        pair["mentee"].applicant_id: ("tandem.introduction", MailStatus.SENT, 1),
        pair["mentor"].applicant_id: ("tandem.introduction", MailStatus.SENT, 2),
    }


def test_the_message_id_is_the_same_for_every_try_and_derived_from_the_key(pair, server):
    tandem = TandemFactory(cohort=pair["cohort"], mentee=pair["mentee"], mentor=pair["mentor"])
    server.drop_once.add("berta@gladbeck.example.org")
    with pytest.raises(Retry):
        send_tandem_introduction.delay(tandem_id=tandem.pk)
    send_tandem_introduction.delay(tandem_id=tandem.pk)

    expected = {
        person.applicant.email: message_id(
            purpose="tandem.introduction", about=tandem, recipient=person.applicant
        )
        for person in (pair["mentee"], pair["mentor"])
    }
    assert server.tries == [
        ("anna@bottrop.example.org", expected["anna@bottrop.example.org"]),
        ("berta@gladbeck.example.org", expected["berta@gladbeck.example.org"]),
        ("berta@gladbeck.example.org", expected["berta@gladbeck.example.org"]),
    ]
    assert expected["anna@bottrop.example.org"] != expected["berta@gladbeck.example.org"]
    assert expected["anna@bottrop.example.org"].endswith(".tandem.introduction@127.0.0.1>")
    stored = dict(SentMail.objects.values_list("address", "message_id"))
    assert stored == expected


def test_a_refused_address_is_recorded_as_failed_and_not_tried_again(pair, server):
    tandem = TandemFactory(cohort=pair["cohort"], mentee=pair["mentee"], mentor=pair["mentor"])
    server.refuse.add("berta@gladbeck.example.org")

    send_tandem_introduction.delay(tandem_id=tandem.pk)  # no Retry: 550 is for good
    send_tandem_introduction.delay(tandem_id=tandem.pk)

    assert addresses() == ["anna@bottrop.example.org"]
    failed = SentMail.objects.get(status=MailStatus.FAILED)
    assert (failed.recipient, failed.attempts) == (pair["mentor"].applicant, 1)
    assert failed.error == "{'berta@gladbeck.example.org': (550, b'no such user')}"
    assert [address for address, _id in server.tries] == [
        "anna@bottrop.example.org",
        "berta@gladbeck.example.org",
    ]


def test_a_connection_error_on_the_last_try_is_recorded_as_failed(pair, server):
    tandem = TandemFactory(cohort=pair["cohort"], mentee=pair["mentee"], mentor=pair["mentor"])
    server.drop_once.add("berta@gladbeck.example.org")

    send_tandem_introduction.apply(kwargs={"tandem_id": tandem.pk}, retries=5)

    failed = SentMail.objects.get(recipient=pair["mentor"].applicant)
    assert (failed.status, failed.error) == (MailStatus.FAILED, "Connection reset by peer")
    assert addresses() == ["anna@bottrop.example.org"]


# Application e-mails -----------------------------------------------------------------------


def _submitted(office):
    application = ApplicationFactory()
    application_services.application_submit(application=application, actor=application.applicant)
    return application


def _changes_requested(office):
    application = ApplicationFactory(state=S.SUBMITTED, submitted_at=timezone.now())
    application_services.application_request_changes(
        application=application, actor=office, note="Bitte den Lebenslauf ergänzen."
    )
    return application


def _interview(office):
    application = ApplicationFactory(state=S.SUBMITTED, submitted_at=timezone.now())
    application_services.application_invite_interview(
        application=application,
        actor=office,
        at=dt.datetime(2026, 6, 1, 10, 0, tzinfo=BERLIN),
        place="Rathaus Bottrop, Raum 101",
    )
    return application


def _nominated(office):
    cohort = CohortFactory()
    organisation = CohortOrganisationFactory(cohort=cohort).organisation
    return application_services.mentor_nominate(
        cohort=cohort,
        actor=office,
        email="mentorin@gladbeck.example.org",
        first_name="Maria",
        last_name="Mentorin",
        organisation=organisation,
    )


def _decided(decision):
    def decide(office):
        application = ApplicationFactory(state=S.IN_REVIEW, submitted_at=timezone.now())
        application_services.application_record_decision(
            application=application, actor=office, decision=decision
        )
        application_services.cohort_release_decisions(cohort=application.cohort, actor=office)
        return application

    return decide


KINDS = {
    "submitted": _submitted,
    "changes_requested": _changes_requested,
    "interview": _interview,
    "nominated": _nominated,
    "decision_accepted": _decided(Decision.ACCEPTED),
    "decision_waitlisted": _decided(Decision.WAITLISTED),
    "decision_rejected": _decided(Decision.REJECTED),
}


@pytest.mark.parametrize("kind", list(KINDS))
def test_each_application_mail_goes_out_once_however_often_its_task_runs(
    kind, django_capture_on_commit_callbacks
):
    office = ProgrammeOfficeFactory()
    with django_capture_on_commit_callbacks(execute=True):
        application = KINDS[kind](office)

    send_application_mail(application_id=application.pk, kind=kind)
    send_application_mail(application_id=application.pk, kind=kind)

    assert addresses() == [application.applicant.email]
    row = SentMail.objects.get()
    assert (row.purpose, row.status, row.recipient_id, row.object_id) == (
        f"application.{kind}",
        MailStatus.SENT,
        application.applicant_id,
        application.pk,
    )
    assert mail.outbox[0].message()["Message-ID"] == row.message_id
    assert row.subject == mail.outbox[0].subject


def test_a_released_decision_still_sets_decision_mailed_at(django_capture_on_commit_callbacks):
    office = ProgrammeOfficeFactory()
    with django_capture_on_commit_callbacks(execute=True):
        application = _decided(Decision.ACCEPTED)(office)

    application.refresh_from_db()
    assert application.decision_mailed_at == SentMail.objects.get().sent_at


def test_a_decision_mailed_before_the_mail_log_existed_is_not_mailed_again():
    application = ApplicationFactory(
        state=S.ACCEPTED, submitted_at=timezone.now(), decision_mailed_at=timezone.now()
    )

    send_application_mail(application_id=application.pk, kind="decision_accepted")

    assert mail.outbox == []
    assert SentMail.objects.count() == 0


def test_a_second_submission_after_requested_changes_is_confirmed_again(
    django_capture_on_commit_callbacks,
):
    office = ProgrammeOfficeFactory()
    application = ApplicationFactory()
    with django_capture_on_commit_callbacks(execute=True):
        application_services.application_submit(
            application=application, actor=application.applicant
        )
    with django_capture_on_commit_callbacks(execute=True):
        application_services.application_request_changes(
            application=application, actor=office, note="Bitte das Anschreiben ergänzen."
        )
    with django_capture_on_commit_callbacks(execute=True):
        application_services.application_submit(
            application=Application.objects.get(pk=application.pk), actor=application.applicant
        )
    send_application_mail(application_id=application.pk, kind="submitted")

    confirmation = f"Ihre Bewerbung ist eingegangen – {application.cohort.programme.name}"
    assert [message.subject for message in mail.outbox] == [
        confirmation,
        "Bitte ergänzen Sie Ihre Bewerbung",
        confirmation,
    ]
    assert list(SentMail.objects.order_by("pk").values_list("purpose", "status")) == [
        ("application.submitted", MailStatus.SENT),
        ("application.changes_requested", MailStatus.SENT),
        ("application.submitted", MailStatus.SENT),
    ]
    first, _changes, second = SentMail.objects.order_by("pk")
    assert first.message_id != second.message_id


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_workers_sending_the_same_mail_at_once_send_it_once():
    application = ApplicationFactory(state=S.SUBMITTED, submitted_at=timezone.now())
    _, errors = at_once(
        lambda: send_application_mail(application_id=application.pk, kind="submitted"), times=4
    )

    # Who finds the mail on its way defers to a retry (its sender might have died); the
    # retry finds it sent.
    assert [type(error) for error in errors] == [MailDeferred] * len(errors)
    for _retry in errors:
        assert send_application_mail(application_id=application.pk, kind="submitted") is None
    assert addresses() == [application.applicant.email]
    assert list(SentMail.objects.values_list("status", "attempts")) == [(MailStatus.SENT, 1)]


class DyingServer(EmailBackend):
    """The worker dies while the mail server has the message, before the server took it."""

    def send_messages(self, messages):
        raise SystemExit("worker killed")


def submitted_and_left_on_its_way():
    """A submitted application whose confirmation a worker was killed while sending."""
    application = ApplicationFactory(state=S.SUBMITTED, submitted_at=timezone.now())
    with (
        override_settings(EMAIL_BACKEND="tests.mentoring.test_sent_mail.DyingServer"),
        pytest.raises(SystemExit),
    ):
        send_application_mail(application_id=application.pk, kind="submitted")
    return application


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_a_mail_a_dead_worker_left_on_its_way_goes_out_once_its_claim_is_stale(redis_worker):
    application = submitted_and_left_on_its_way()
    left = SentMail.objects.get()
    assert (left.status, left.attempts, mail.outbox) == (MailStatus.SENDING, 1, [])

    with override_settings(MAIL_CLAIM_STALE_SECONDS=2):
        # Delivered again, as Celery does after a lost worker, to a real worker: its first
        # try finds the claim fresh and waits for it with a retry, which takes it over.
        send_application_mail.delay(application_id=application.pk, kind="submitted")
        deadline = time.monotonic() + 20
        # The worker marks the row right after the server took the message: wait for both.
        while time.monotonic() < deadline and not (
            mail.outbox and SentMail.objects.get().status != MailStatus.SENDING
        ):
            time.sleep(0.05)

    row = SentMail.objects.get()
    assert (row.status, row.attempts, row.message_id) == (MailStatus.SENT, 2, left.message_id)
    assert row.sent_at >= left.claimed_at + dt.timedelta(seconds=2)
    assert [message.message()["Message-ID"] for message in mail.outbox] == [left.message_id]


def test_beat_queues_the_task_of_a_mail_left_on_its_way_once_per_stale_time(
    django_capture_on_commit_callbacks,
):
    application = submitted_and_left_on_its_way()
    left = SentMail.objects.get()
    task = (
        "applications.send_application_mail",
        {"application_id": application.pk, "kind": "submitted"},
    )

    assert resume() == []  # its claim is fresh
    with override_settings(MAIL_CLAIM_STALE_SECONDS=60):
        with override_settings(MAIL_CLAIM_STALE_SECONDS=0):
            assert resume() == [left]
        # Queued, and released for the task's next try; until that try comes, or the
        # release is stale in turn, beat does not queue it again.
        assert resume() == []
    assert list(OutboxTask.objects.values_list("task", "kwargs")) == [task]
    released = SentMail.objects.get()
    assert (released.status, released.claim, released.attempts) == (MailStatus.SENDING, None, 1)

    # The task's next try takes it over at once and sends it with its Message-ID.
    with django_capture_on_commit_callbacks(execute=True):
        outbox.drain()
    row = SentMail.objects.get()
    assert (row.status, row.attempts) == (MailStatus.SENT, 2)
    assert [message.message()["Message-ID"] for message in mail.outbox] == [left.message_id]


def test_a_mail_left_about_an_application_deleted_since_is_failed_with_the_reason():
    application = submitted_and_left_on_its_way()
    Application.objects.filter(pk=application.pk).delete()

    with override_settings(MAIL_CLAIM_STALE_SECONDS=0):
        assert resume() == []

    row = SentMail.objects.get()
    assert (row.status, row.error) == (
        MailStatus.FAILED,
        "Bei der Wiederaufnahme nicht mehr zu senden; nicht gesendet.",
    )
    assert OutboxTask.objects.count() == 0


def test_a_fresh_claim_of_another_sender_is_waited_for_on_all_but_the_last_try():
    application = submitted_and_left_on_its_way()

    with pytest.raises(MailDeferred) as deferred:
        send_application_mail(application_id=application.pk, kind="submitted")
    assert 590 < deferred.value.countdown <= 601  # until the claim is 10 minutes old

    outgoing = OutgoingMail(
        purpose="application.submitted",
        about=application,
        recipient=application.applicant,
        template="applications/email/submitted",
    )
    assert send_once(outgoing, last_try=True) is None
    assert (mail.outbox, SentMail.objects.get().status) == ([], MailStatus.SENDING)


def test_reminders_carry_the_message_id_of_their_key_too():
    cohort = running_cohort(start_date=dt.date(2026, 3, 1), end_date=dt.date(2027, 2, 28))
    TandemFactory(cohort=cohort)

    sweep(now=dt.datetime(2026, 5, 20, 7, 0, tzinfo=BERLIN))

    expected = sorted(
        message_id(
            purpose=f"reminder.{row.kind}",
            about=row.subject_object,
            recipient=row.recipient,
            occasion=row.period,
        )
        for row in SentReminder.objects.all()
    )
    assert len(expected) == 4  # contact and goal agreement, to both partners
    assert sorted(message.message()["Message-ID"] for message in mail.outbox) == expected


# The log in the admin ----------------------------------------------------------------------

LOG_URL = "/verwaltung/mentoring/sentmail/"


def test_the_programme_office_reads_the_mail_log_and_nobody_changes_it(client, pair):
    TandemFactory(cohort=pair["cohort"], mentee=pair["mentee"], mentor=pair["mentor"])
    send_tandem_introduction(tandem_id=pair["cohort"].tandems.get().pk)
    row = SentMail.objects.get(recipient=pair["mentee"].applicant)
    client.force_login(ProgrammeOfficeFactory())

    page = client.get(LOG_URL).content.decode()
    detail = client.get(f"{LOG_URL}{row.pk}/change/")

    assert page.count('<td class="field-purpose">tandem.introduction</td>') == 2
    assert row.subject in page
    assert detail.status_code == 200
    assert 'name="_save"' not in detail.content.decode()
    assert client.get(f"{LOG_URL}add/").status_code == 403
    assert client.post(f"{LOG_URL}{row.pk}/delete/", {"post": "yes"}).status_code == 403
    assert SentMail.objects.count() == 2


def test_officers_and_participants_do_not_see_the_mail_log(client, pair):
    officer = BeiratMembershipFactory(programme=pair["cohort"].programme).user
    client.force_login(officer)
    assert client.get(LOG_URL).status_code == 403
    client.force_login(pair["mentee"].applicant)
    assert client.get(LOG_URL).status_code == 302


def test_the_mail_log_costs_the_same_with_one_or_many_rows(client):
    client.force_login(ProgrammeOfficeFactory())

    def queries():
        with CaptureQueriesContext(connection) as context:
            assert client.get(LOG_URL).status_code == 200
        return len(context.captured_queries)

    send_tandem_introduction(tandem_id=TandemFactory().pk)
    one = queries()
    for _ in range(12):
        send_tandem_introduction(tandem_id=TandemFactory().pk)
    assert SentMail.objects.count() == 26
    assert queries() == one
