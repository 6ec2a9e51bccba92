import smtplib

from celery import shared_task

from . import issuing


@shared_task(name="workshops.print_certificates", acks_late=True)
def print_certificates(*, batch_id):
    """Renders a cohort's certificates; see ``issuing.run_batch``.

    Acknowledged late, so a batch whose worker died is delivered again; the batch's
    heartbeat keeps a second delivery from working beside a live first one. A delivery
    that comes too early for that, or none at all (the broker's visibility timeout is an
    hour), is made up for by ``resume_certificate_batches``.
    """
    issuing.run_batch(batch_id)


@shared_task(name="workshops.resume_certificate_batches", acks_late=False, ignore_result=True)
def resume_certificate_batches():
    """Queues again the batches whose worker died (Celery beat, every
    ``RESUME_INTERVAL_SECONDS``); see ``issuing.resume_stalled``."""
    issuing.resume_stalled()


@shared_task(
    name="workshops.send_certificate_ready",
    autoretry_for=(ConnectionError, TimeoutError, smtplib.SMTPServerDisconnected),
    retry_backoff=30,
    max_retries=5,
)
def send_certificate_ready(*, certificate_id):
    """The e-mail "your certificate is ready"; see ``issuing.send_ready_mail`` (at most once)."""
    issuing.send_ready_mail(certificate_id)
