"""The e-mail "your certificate is ready" goes out exactly once, also when a worker dies
while sending it or the mail server refuses it: it is a ``SentMail`` like every other mail
of the app's tasks, taken over by beat when its sender died and tried again by the next
print when it failed for good."""

import smtplib

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.test.utils import override_settings

from mentoring import mail as mailing
from mentoring.enums import MailStatus
from mentoring.models import SentMail
from workshops import issuing, services
from workshops.models import Certificate, CertificateBatch

pytestmark = pytest.mark.django_db


class DyingServer(EmailBackend):
    """The worker is killed while the mail server has the message."""

    def send_messages(self, messages):
        raise SystemExit("worker killed")


class RefusingServer(EmailBackend):
    """Refuses every address for good, as for a mistyped one."""

    def send_messages(self, messages):
        raise smtplib.SMTPRecipientsRefused({messages[0].to[0]: (550, b"no such user")})


def printed(cohort):
    """The cohort's certificates, issued and rendered, with no "ready" e-mail sent yet (in
    these tests the batch's commit callbacks, which queue the e-mails, do not run)."""
    issuing.run_batch(CertificateBatch.objects.create(cohort=cohort).pk)
    return Certificate.objects.select_related("application__applicant").order_by("kind")


def killed_while_sending(certificate):
    with override_settings(EMAIL_BACKEND=f"{__name__}.DyingServer"), pytest.raises(SystemExit):
        issuing.send_ready_mail(certificate.pk)
    return SentMail.objects.get(object_id=certificate.pk)


def test_a_ready_mail_a_dead_worker_left_is_taken_over_once_its_claim_is_stale(
    ceremony, django_capture_on_commit_callbacks
):
    certificate = printed(ceremony["cohort"])[0]
    left = killed_while_sending(certificate)
    assert (left.purpose, left.status, left.attempts) == ("certificate.ready", "sending", 1)
    assert mail.outbox == []

    # While the claim is fresh its worker may still be at it: beat leaves it alone.
    with django_capture_on_commit_callbacks(execute=True):
        assert mailing.resume() == []
    assert mail.outbox == []

    # Nobody delivers the task again; beat queues it once the claim is stale.
    with (
        override_settings(MAIL_CLAIM_STALE_SECONDS=0),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert mailing.resume() == [left]

    row = SentMail.objects.get()
    assert (row.status, row.attempts, row.message_id) == (MailStatus.SENT, 2, left.message_id)
    (message,) = mail.outbox
    assert message.to == [certificate.application.applicant.email]
    assert message.extra_headers["Message-ID"] == left.message_id
    certificate.refresh_from_db()
    assert certificate.ready_mailed_at == row.sent_at
    with (
        override_settings(MAIL_CLAIM_STALE_SECONDS=0),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert mailing.resume() == []
    assert issuing.send_ready_mail(certificate.pk) is False
    assert len(mail.outbox) == 1


def test_a_ready_mail_left_for_a_certificate_revoked_since_is_not_sent_and_says_why(
    ceremony, django_capture_on_commit_callbacks
):
    certificate = printed(ceremony["cohort"])[0]
    killed_while_sending(certificate)
    services.certificate_revoke(
        certificate=certificate, reason="Versehen", actor=ceremony["people"]["office"]
    )

    with (
        override_settings(MAIL_CLAIM_STALE_SECONDS=0),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert mailing.resume() == []

    row = SentMail.objects.get()
    assert (row.status, row.error) == (
        MailStatus.FAILED,
        "Bei der Wiederaufnahme nicht mehr zu senden; nicht gesendet.",
    )
    assert mail.outbox == []


def test_a_ready_mail_refused_for_good_goes_out_with_the_next_print(
    ceremony, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = f"{__name__}.RefusingServer"
    cohort = ceremony["cohort"]
    with django_capture_on_commit_callbacks(execute=True):
        issuing.run_batch(CertificateBatch.objects.create(cohort=cohort).pk)
    assert sorted(SentMail.objects.values_list("status", "attempts")) == [
        (MailStatus.FAILED, 1),
        (MailStatus.FAILED, 1),
    ]
    assert Certificate.objects.filter(ready_mailed_at__isnull=False).count() == 0

    # The address is corrected; the next print is a new occasion, and each hears once.
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    for _print in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            issuing.run_batch(CertificateBatch.objects.create(cohort=cohort).pk)

    assert sorted(message.to[0] for message in mail.outbox) == sorted(
        [ceremony["mentee"].applicant.email, ceremony["mentor"].applicant.email]
    )
    assert sorted(SentMail.objects.values_list("status", "attempts")) == [
        (MailStatus.SENT, 2),
        (MailStatus.SENT, 2),
    ]
    assert Certificate.objects.filter(ready_mailed_at__isnull=True).count() == 0


def test_a_ready_mail_sent_by_a_worker_that_died_before_noting_it_is_noted_by_the_next_try(
    ceremony,
):
    certificate = printed(ceremony["cohort"])[0]
    assert issuing.send_ready_mail(certificate.pk) is True
    # The worker died after the server took the message, before it noted the date here.
    Certificate.objects.filter(pk=certificate.pk).update(ready_mailed_at=None)
    assert len(mail.outbox) == 1

    # The next try sends nothing again, but notes when the e-mail went out.
    assert issuing.send_ready_mail(certificate.pk) is False
    certificate.refresh_from_db()
    sent = SentMail.objects.get(object_id=certificate.pk)
    assert (certificate.ready_mailed_at, len(mail.outbox)) == (sent.sent_at, 1)
