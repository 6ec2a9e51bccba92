from celery import shared_task


@shared_task(name="mentoring.ping")
def ping():
    """A no-op round trip: lets operators (and the tests) see that a worker answers."""
    return "pong"


@shared_task(name="mentoring.send_reminders", acks_late=False)
def send_reminders():
    """The daily sweep (Celery beat, 07:00 Europe/Berlin). Safe to run any number of times.

    Not acknowledged late: a sweep lost with its worker is not redelivered mid-way; the
    next one picks up whatever is still due, and nothing claimed is ever sent twice.
    """
    from .reminders import sweep

    report = sweep()
    return {"due": len(report.due), "new": len(report.new)} | dict(report.outcome)


@shared_task(name="mentoring.drain_outbox", acks_late=False, ignore_result=True)
def drain_outbox():
    """Hands the tasks that waited for the broker over to it (Celery beat, every minute;
    each worker when it connects). Safe to run any number of times, also at once."""
    from .outbox import drain

    return drain()


@shared_task(name="mentoring.send_accessibility_feedback")
def send_accessibility_feedback(feedback_id):
    """Forwards a reported barrier to the contact and confirms it to the sender, each once."""
    from .accessibility import forward_feedback

    forward_feedback(feedback_id)


@shared_task(name="mentoring.erase_due", acks_late=False)
def erase_due():
    """The nightly retention job (Celery beat, 02:30 Europe/Berlin); the same as
    ``manage.py erase_due``. Safe to run any number of times: what went is not found again.
    """
    from .retention import erase_due as run

    return {f"{row.kind} {row.cohort}".strip(): row.count for row in run()}
