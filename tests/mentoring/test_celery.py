"""Celery with the real Redis broker and a real worker (in a thread of this process)."""

import pytest
from celery.contrib.testing.worker import start_worker
from django.conf import settings

from mentoring.celery import app
from mentoring.tasks import ping

pytestmark = pytest.mark.redis


@pytest.fixture
def redis_worker():
    previous = app.conf.task_always_eager
    app.conf.update(
        task_always_eager=False,
        broker_url=settings.REDIS_URL,
        result_backend=settings.REDIS_URL,
    )
    try:
        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
            yield
    finally:
        app.conf.task_always_eager = previous


def test_a_task_round_trips_through_redis_and_a_worker(redis_worker):
    result = ping.delay()
    assert result.get(timeout=20) == "pong"
    assert result.backend.__class__.__name__ == "RedisBackend"


def test_beat_schedule_uses_berlin_time():
    assert app.conf.timezone == "Europe/Berlin"
    assert isinstance(app.conf.beat_schedule, dict)
