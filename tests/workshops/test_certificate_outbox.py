"""Starting a certificate print while Redis is away: an answer at once, and a batch that
runs once Redis is back instead of staying "queued" for ever (``mentoring.outbox``)."""

import time

import pytest
from django.core import mail
from django.urls import reverse

from mentoring import outbox
from mentoring.enums import OutboxState
from mentoring.models import OutboxTask
from tests.redis_server import celery_on, started_server, wait_for, worker_on
from workshops.enums import BatchState
from workshops.models import Certificate, CertificateBatch

pytestmark = [pytest.mark.redis, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def redis_server(monkeypatch):
    monkeypatch.setattr(outbox, "_paused_until", 0.0)
    yield from started_server()


def test_a_print_started_while_redis_is_down_runs_once_redis_is_back(
    client, ceremony, redis_server
):
    cohort = ceremony["cohort"]
    client.force_login(ceremony["people"]["office"])
    url = reverse("workshops:batch_start", kwargs={"cohort_id": cohort.pk})
    page = reverse("workshops:certificates", kwargs={"cohort_id": cohort.pk})
    assert client.get(page).status_code == 200  # warm: imports, URLs
    with celery_on(redis_server):
        redis_server.stop()
        started = time.monotonic()
        response = client.post(url)
        waited = time.monotonic() - started

    batch = CertificateBatch.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "workshops:batch", kwargs={"cohort_id": cohort.pk, "pk": batch.pk}
    )
    assert waited < 3
    assert batch.state == BatchState.QUEUED
    row = OutboxTask.objects.get()
    assert (row.task, row.args, row.kwargs, row.state) == (
        "workshops.print_certificates",
        [],
        {"batch_id": batch.pk},
        OutboxState.PENDING,
    )

    redis_server.start()  # empty
    with celery_on(redis_server):
        assert outbox.drain() == 1  # what beat does every minute
    with worker_on(redis_server):
        wait_for(lambda: CertificateBatch.objects.get().state == BatchState.DONE, 30, "the batch")
        # Each participant's "ready" e-mail went through the outbox as well.
        wait_for(lambda: len(mail.outbox) == 2, 15, "the two ready e-mails")

    batch.refresh_from_db()
    assert (batch.done, batch.total) == (2, 2)
    assert Certificate.objects.filter(ready_mailed_at__isnull=False).count() == 2
    assert sorted(row.task for row in OutboxTask.objects.all()) == [
        "workshops.print_certificates",
        "workshops.send_certificate_ready",
        "workshops.send_certificate_ready",
    ]
    assert set(OutboxTask.objects.values_list("state", flat=True)) == {OutboxState.DISPATCHED}
    assert sorted(message.to[0] for message in mail.outbox) == sorted(
        [ceremony["mentee"].applicant.email, ceremony["mentor"].applicant.email]
    )
