from celery import shared_task

from mentoring import mail

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


@shared_task(name="workshops.send_certificate_ready", bind=True, **mail.RETRY)
def send_certificate_ready(self, *, certificate_id):
    """The e-mail "your certificate is ready"; see ``issuing.send_ready_mail`` (at most once)."""
    issuing.send_ready_mail(certificate_id, last_try=mail.is_last_try(self))


@mail.resends(issuing.READY_PURPOSE)
def _resend_ready_mail(row):
    if not issuing.is_announceable(row.object_id):
        return None
    return send_certificate_ready.name, {"certificate_id": row.object_id}
