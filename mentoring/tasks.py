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


@shared_task(name="mentoring.send_accessibility_feedback")
def send_accessibility_feedback(feedback_id):
    """Forwards a reported barrier to the contact and confirms it to the sender, each once."""
    from .accessibility import forward_feedback

    forward_feedback(feedback_id)
