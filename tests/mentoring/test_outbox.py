"""The outbox: what a person did is stored with its background task, and the task reaches
a worker once Redis is there, however long Redis was away (``mentoring.outbox``).

Outages are played on a Redis of the test's own (``tests.redis_server``); the shared one
stays up for everyone else.
"""

import base64
import json
import os
import signal
import socket
import subprocess
import sys
import time
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.core import mail
from django.core.cache import caches
from django.db import connection, transaction
from django.test import override_settings

from applications import services
from applications.enums import ApplicationState
from applications.tasks import send_application_mail
from mentoring import outbox
from mentoring import settings as production
from mentoring.celery import DrainOutboxOnConnect, app
from mentoring.enums import OutboxState
from mentoring.models import OutboxTask, PrivacyNotice, SentMail
from tests.concurrency import at_once
from tests.factories import (
    ApplicationFactory,
    CohortFactory,
    CohortOrganisationFactory,
    MenteeFormFactory,
)
from tests.redis_server import celery_on, started_server, wait_for, worker_on

SUBMITTED_MAIL = "applications.send_application_mail"


@pytest.fixture
def redis_server():
    yield from started_server()


@pytest.fixture(autouse=True)
def _no_pause_from_earlier_tests(monkeypatch):
    """A failure in an earlier test must not make this one's actions wait for the sweep."""
    monkeypatch.setattr(outbox, "_paused_until", 0.0)


def draft():
    # Submitting needs a published privacy notice; a flushed database (transactional
    # tests) may have none.
    PrivacyNotice.objects.get_or_create(version=1, defaults={"text": "Datenschutzhinweise"})
    cohort = CohortFactory()
    organisation = CohortOrganisationFactory(cohort=cohort).organisation
    return ApplicationFactory(cohort=cohort, organisation=organisation)


def edit_url(application):
    return f"/bewerbung/{application.pk}/bearbeiten/"


def queued_args(server, queue="celery"):
    """The positional arguments of every task message waiting in ``queue``."""
    messages = server.client().lrange(queue, 0, -1)
    return [json.loads(base64.b64decode(json.loads(raw)["body"]))[0] for raw in messages]


# Without a broker ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_without_a_broker_the_task_runs_inline_once_the_action_is_committed(
    django_capture_on_commit_callbacks,
):
    application = draft()
    with django_capture_on_commit_callbacks(execute=True):
        services.application_submit(application=application, actor=application.applicant)
        row = OutboxTask.objects.get()
        assert (row.task, row.state, mail.outbox) == (SUBMITTED_MAIL, OutboxState.PENDING, [])

    row.refresh_from_db()
    assert (row.args, row.kwargs) == ([], {"application_id": application.pk, "kind": "submitted"})
    assert (row.state, row.attempts, row.error) == (OutboxState.DISPATCHED, 1, "")
    assert [message.to for message in mail.outbox] == [[application.applicant.email]]


@pytest.mark.django_db
def test_a_refused_action_leaves_no_task_behind(django_capture_on_commit_callbacks):
    application = draft()
    services.application_submit(application=application, actor=application.applicant)
    mail.outbox.clear()
    OutboxTask.objects.all().delete()

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(services.ApplicationError):
        services.application_submit(application=application, actor=application.applicant)

    assert (OutboxTask.objects.count(), mail.outbox) == (0, [])


@pytest.mark.django_db
def test_enqueue_refuses_a_task_nobody_would_run():
    with pytest.raises(ValueError, match="applications.send_mail_typo"):
        outbox.enqueue("applications.send_mail_typo", application_id=1)
    assert OutboxTask.objects.count() == 0


def test_beat_drains_the_outbox_every_minute_and_a_worker_on_each_connection():
    entry = app.conf.beat_schedule["drain-outbox"]
    assert (entry["task"], entry["schedule"], entry["options"]) == (
        "mentoring.drain_outbox",
        60.0,
        {"expires": 55},
    )
    assert entry["task"] in app.tasks
    assert DrainOutboxOnConnect in app.steps["consumer"]


def test_a_worker_keeps_reconnecting_for_as_long_as_redis_is_away():
    assert app.conf.broker_connection_retry is True
    assert app.conf.broker_connection_max_retries is None
    options = production.CELERY_BROKER_TRANSPORT_OPTIONS
    assert (options["socket_timeout"], options["health_check_interval"]) == (10, 10)
    # Publishing for a person: about a second, once, then the sweep's turn.
    assert production.OUTBOX_PUBLISH_TIMEOUT == 1


# Redis away and back -------------------------------------------------------------------------


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_a_submission_while_redis_is_down_answers_at_once_and_the_mail_follows_once_it_is_back(
    client, redis_server
):
    """The whole outage, with a real worker: Redis stops, the applicant submits, Redis comes
    back empty, and the worker reconnects by itself and sends the confirmation. Nobody
    drains by hand."""
    application = draft()
    client.force_login(application.applicant)
    assert client.get(edit_url(application)).status_code == 200  # warm: imports, URLs
    with worker_on(redis_server):
        redis_server.stop()
        started = time.monotonic()
        response = client.post(
            edit_url(application),
            MenteeFormFactory(organisation=application.organisation, submit="1"),
        )
        waited = time.monotonic() - started

        assert (response.status_code, response["Location"]) == (302, "/bewerbung/")
        assert waited < 3
        application.refresh_from_db()
        assert application.state == ApplicationState.SUBMITTED
        row = OutboxTask.objects.get()
        assert (row.task, row.kwargs, row.state, row.attempts) == (
            SUBMITTED_MAIL,
            {"application_id": application.pk, "kind": "submitted"},
            OutboxState.PENDING,
            1,
        )
        assert f"127.0.0.1:{redis_server.port}" in row.error
        assert mail.outbox == []

        redis_server.start()  # empty, as after a crash: no queue bindings, no messages
        wait_for(lambda: len(mail.outbox) == 1, 20, "the worker to reconnect and send")
        row.refresh_from_db()
        assert (row.state, row.attempts, row.error) == (OutboxState.DISPATCHED, 2, "")
        assert outbox.drain() == 0
        # Handed over twice after all (a commit lost after the hand-over): no second mail.
        send_application_mail(application_id=application.pk, kind="submitted")

    assert [message.to for message in mail.outbox] == [[application.applicant.email]]
    assert SentMail.objects.filter(purpose="application.submitted").count() == 1


@pytest.mark.redis
@pytest.mark.django_db
def test_a_redis_that_does_not_answer_holds_the_person_up_for_about_a_second(
    django_capture_on_commit_callbacks,
):
    application = draft()
    with socket.socket() as silent:
        # Accepts connections (the kernel does) and never answers, as a hung Redis.
        silent.bind(("127.0.0.1", 0))
        silent.listen(16)
        port = silent.getsockname()[1]
        broker = SimpleNamespace(url=f"redis://127.0.0.1:{port}/0")
        with celery_on(broker), django_capture_on_commit_callbacks(execute=True):
            started = time.monotonic()
            services.application_submit(application=application, actor=application.applicant)
        waited = time.monotonic() - started

    assert waited < 2.5
    row = OutboxTask.objects.get()
    assert (row.state, row.attempts) == (OutboxState.PENDING, 1)
    assert row.error != ""


@pytest.mark.redis
@pytest.mark.postgres  # SKIP LOCKED
@pytest.mark.django_db(transaction=True)
def test_two_drains_at_once_hand_over_each_task_once(redis_server, monkeypatch):
    monkeypatch.setattr(outbox, "BATCH_SIZE", 3)  # many small batches, so the drains interleave
    OutboxTask.objects.bulk_create(
        OutboxTask(task="mentoring.ping", args=[number]) for number in range(40)
    )
    with celery_on(redis_server):
        handed, errors = at_once(outbox.drain, times=2)

    assert errors == []
    assert sum(handed) == 40
    assert sorted(args[0] for args in queued_args(redis_server)) == list(range(40))
    assert OutboxTask.objects.filter(state=OutboxState.DISPATCHED).count() == 40


# A drain that dies while it holds rows --------------------------------------------------------

HANGING_DRAIN = """
import django
django.setup()
from mentoring import outbox
from mentoring.celery import app
app.conf.broker_url = {broker!r}  # a Redis that takes the connection and never answers
outbox.drain()
"""


def _waiting_in_transaction(text):
    """How many other sessions of this database sit in a transaction after a query with
    ``text``."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
            "AND pid <> pg_backend_pid() AND state = 'idle in transaction' AND query LIKE %s",
            [f"%{text}%"],
        )
        return cursor.fetchone()[0]


@pytest.mark.redis
@pytest.mark.postgres  # SKIP LOCKED
@pytest.mark.django_db(transaction=True)
def test_rows_held_by_a_drain_that_died_are_handed_over_by_the_next(redis_server, tmp_path):
    OutboxTask.objects.bulk_create(
        OutboxTask(task="mentoring.ping", args=[number]) for number in range(5)
    )

    def unlocked():
        with transaction.atomic():
            return len(outbox._pending(OutboxTask.objects.all()))

    database = connection.settings_dict
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(16)
        broker = f"redis://127.0.0.1:{silent.getsockname()[1]}/0"
        drain = subprocess.Popen(
            [sys.executable, "-c", HANGING_DRAIN.format(broker=broker)],
            cwd=settings.BASE_DIR,
            env={
                **os.environ,
                "DJANGO_SETTINGS_MODULE": "tests.settings_worker",
                "DATABASE_URL": (
                    f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}"
                    f"/{database['NAME']}"
                ),
                "REDIS_URL": settings.REDIS_URL,
                "OUTBOX_PUBLISH_TIMEOUT": "120",
            },
            stdout=(log := open(tmp_path / "drain.log", "wb")),  # noqa: SIM115 - closed below
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            # Starting Django in a new process takes long while the other test processes
            # drive browsers; a drain that died on its own says why. Watched from
            # pg_stat_activity: asking for the rows themselves would lock them for a moment,
            # and a drain that looked just then would find none and stop.
            def holding():
                assert drain.poll() is None, (tmp_path / "drain.log").read_text()
                return _waiting_in_transaction("FOR UPDATE SKIP LOCKED") > 0

            wait_for(holding, 90, "the drain to lock the rows")
            assert unlocked() == 0
        finally:
            os.killpg(drain.pid, signal.SIGKILL)
            drain.wait(10)
            log.close()

    # PostgreSQL rolled the dead drain's transaction back: the rows wait, unlocked.
    assert unlocked() == 5
    assert set(OutboxTask.objects.values_list("state", flat=True)) == {OutboxState.PENDING}
    with celery_on(redis_server):
        assert outbox.drain() == 5
    assert sorted(args[0] for args in queued_args(redis_server)) == list(range(5))


# The cache and the sessions --------------------------------------------------------------------


@pytest.mark.redis
@pytest.mark.django_db
def test_while_redis_is_away_the_cache_is_empty_and_pages_and_sessions_work(client, redis_server):
    config = {**production.CACHES["default"], "LOCATION": redis_server.url}
    with override_settings(CACHES={"default": config}):
        cache = caches["default"]
        cache.set("greeting", "hallo")
        assert cache.get("greeting") == "hallo"

        redis_server.stop()
        started = time.monotonic()
        assert cache.get("greeting", "nichts") == "nichts"
        cache.set("greeting", "wieder")
        assert cache.get_or_set("answer", 42) == 42
        assert cache.get_many(["greeting"]) == {}
        assert cache.delete("greeting") is False
        assert time.monotonic() - started < 2
        application = draft()
        client.force_login(application.applicant)
        assert client.get("/bewerbung/").status_code == 200

        redis_server.start()
        cache.set("greeting", "wieder da")
        assert cache.get("greeting") == "wieder da"
    # Sessions live in PostgreSQL: a Redis outage logs nobody out.
    assert production.SESSION_ENGINE == "django.contrib.sessions.backends.db"
