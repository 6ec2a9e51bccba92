from celery import shared_task

from . import accessibility, mail, outbox, reminders, retention


@shared_task(name="mentoring.ping")
def ping():
    """A no-op round trip: lets operators (and the tests) see that a worker answers."""
    return "pong"


@shared_task(name="mentoring.send_reminders", acks_late=False)
def send_reminders():
    """The daily sweep (Celery beat, 07:00 Europe/Berlin). Safe to run any number of times.

    Not acknowledged late: a sweep lost with its worker is not delivered again; what it
    had claimed is taken over by ``resume_reminders`` once the claims are stale.
    """
    report = reminders.sweep()
    return {"due": len(report.due), "new": len(report.new)} | dict(report.outcome)


@shared_task(name="mentoring.resume_reminders", acks_late=False, ignore_result=True)
def resume_reminders():
    """Sends what a sweep that died left "in Zustellung" (Celery beat, every
    ``RESUME_INTERVAL_SECONDS``; and at once after "Erneut senden" in the admin)."""
    reminders.resume()


@shared_task(name="mentoring.resume_mails", acks_late=False, ignore_result=True)
def resume_mails():
    """Queues again the tasks of the e-mails a worker that died left "in Zustellung" (Celery
    beat, every ``RESUME_INTERVAL_SECONDS``); see ``mail.resume``."""
    mail.resume()


@shared_task(name="mentoring.drain_outbox", acks_late=False, ignore_result=True)
def drain_outbox():
    """Hands the tasks that waited for the broker over to it (Celery beat, every minute;
    each worker when it connects). Safe to run any number of times, also at once."""
    return outbox.drain()


@shared_task(name="mentoring.send_accessibility_feedback")
def send_accessibility_feedback(feedback_id):
    """Forwards a reported barrier to the contact and confirms it to the sender, each once."""
    accessibility.forward_feedback(feedback_id)


@shared_task(name="mentoring.erase_due", acks_late=False)
def erase_due():
    """The nightly retention job (Celery beat, 02:30 Europe/Berlin); the same as
    ``manage.py erase_due``. Safe to run any number of times: what went is not found again.
    """
    return {f"{row.kind} {row.cohort}".strip(): row.count for row in retention.erase_due()}
