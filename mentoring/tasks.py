from celery import shared_task


@shared_task(name="mentoring.ping")
def ping():
    """A no-op round trip: lets operators (and the tests) see that a worker answers."""
    return "pong"
