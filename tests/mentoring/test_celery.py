"""Celery with the real Redis broker and a real worker (in a thread of this process)."""

import pytest

from mentoring.celery import app
from mentoring.tasks import ping

pytestmark = pytest.mark.redis


def test_a_task_round_trips_through_redis_and_a_worker(redis_worker):
    result = ping.delay()
    assert result.get(timeout=20) == "pong"
    assert result.backend.__class__.__name__ == "RedisBackend"


def test_beat_sends_reminders_every_morning_at_seven_berlin_time():
    assert app.conf.timezone == "Europe/Berlin"
    entry = app.conf.beat_schedule["send-reminders"]
    assert entry["task"] == "mentoring.send_reminders"
    assert entry["task"] in app.tasks
    schedule = entry["schedule"]
    assert (schedule.hour, schedule.minute) == ({7}, {0})


@pytest.mark.django_db(transaction=True)
def test_the_beat_entry_enqueues_the_sweep_and_a_real_worker_sends_its_mail(redis_worker):
    from celery.beat import Scheduler
    from django.core import mail

    from tests.factories import TandemFactory, running_cohort

    tandem = TandemFactory(cohort=running_cohort(contact_reminder_day=1))
    scheduler = Scheduler(app=redis_worker)
    # What beat does at 07:00: send the entry's task to the broker.
    result = scheduler.apply_async(scheduler.schedule["send-reminders"])
    outcome = result.get(timeout=30)
    assert outcome["sent"] == outcome["new"] >= 2
    addresses = {address for message in mail.outbox for address in message.to}
    assert {tandem.mentee.applicant.email, tandem.mentor.applicant.email} <= addresses
    assert any("Tandemkontakt" in message.subject for message in mail.outbox)
