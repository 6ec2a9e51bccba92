from celery import shared_task

from . import issuing


@shared_task(name="workshops.print_certificates", acks_late=True)
def print_certificates(batch_id):
    """Renders a cohort's certificates; see ``issuing.run_batch``.

    Acknowledged late, so a batch whose worker died is delivered again; the batch's
    heartbeat keeps a second delivery from working beside a live first one.
    """
    issuing.run_batch(batch_id)
