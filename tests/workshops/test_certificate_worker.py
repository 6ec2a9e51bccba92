"""A real Celery worker process printing certificates, killed with SIGKILL half-way.

Nothing runs in-process here: the worker is a separate `celery worker` on the real Redis
and the test database, so its death is a real death (no ``finally``, no rollback hook).
"""

import datetime as dt
import os
import signal
import subprocess
import sys
import time

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

from mentoring.celery import app
from tests.factories import ApplicationFactory, AttendanceFactory, ProjectTeamFactory
from tests.processes import Processes
from workshops import issuing
from workshops.enums import BatchState
from workshops.models import Certificate, CertificateBatch

pytestmark = [
    pytest.mark.redis,
    pytest.mark.django_db(transaction=True),
    # The test settings run tasks inline; send_task goes to the broker regardless, as meant.
    pytest.mark.filterwarnings("ignore::celery.exceptions.AlwaysEagerIgnored"),
]

QUEUE = "certificates-worker-test"
PARTICIPANTS = 20
CHUNK = 2


def start_worker(log_path):
    database = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "DATABASE_URL": (
            f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}"
            f"/{database['NAME']}"
        ),
        "REDIS_URL": settings.REDIS_URL,
        "CERTIFICATE_BATCH_CHUNK": str(CHUNK),
    }
    command = [
        sys.executable,
        "-m",
        "celery",
        "-A",
        "mentoring",
        "worker",
        "--pool=solo",
        f"--queues={QUEUE}",
        "--without-mingle",
        "--without-gossip",
        "--loglevel=WARNING",
    ]
    log = open(log_path, "wb")  # noqa: SIM115 - closed with the process
    return subprocess.Popen(
        command,
        cwd=settings.BASE_DIR,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def wait_for(condition, timeout, what, log_path):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.02)
    pytest.fail(f"timed out waiting for {what}; worker log:\n{log_path.read_text()}")


@pytest.fixture
def crowd(ceremony):
    cohort = ceremony["cohort"]
    for number in range(PARTICIPANTS - 2):
        mentee = ApplicationFactory(
            accepted=True, cohort=cohort, applicant__last_name=f"Zander {number:02d}"
        )
        for workshop in cohort.workshops.all():
            AttendanceFactory(workshop=workshop, application=mentee)
        ProjectTeamFactory(cohort=cohort, members=[mentee], presented_on=ceremony["final"].date)
    return ceremony


def test_a_killed_worker_loses_nothing_and_a_rerun_finishes(crowd, tmp_path):
    cohort = crowd["cohort"]
    batch = CertificateBatch.objects.create(cohort=cohort)
    log_path = tmp_path / "worker.log"
    worker = start_worker(log_path)
    try:
        app.send_task("workshops.print_certificates", kwargs={"batch_id": batch.pk}, queue=QUEUE)

        def half_way():
            return CertificateBatch.objects.get(pk=batch.pk).done >= 4 * CHUNK

        wait_for(half_way, 60, "the worker to render a few chunks", log_path)
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait(10)
    finally:
        if worker.poll() is None:
            os.killpg(worker.pid, signal.SIGKILL)
            worker.wait(10)

    batch.refresh_from_db()
    assert batch.state == BatchState.RUNNING, log_path.read_text()
    assert 4 * CHUNK <= batch.done < batch.total == PARTICIPANTS
    codes = dict(Certificate.objects.values_list("application_id", "code"))
    assert len(codes) == PARTICIPANTS  # all issued before the first page was laid out
    rendered = dict(Certificate.objects.exclude(file="").values_list("code", "file"))
    assert len(rendered) >= 4 * CHUNK
    assert len(rendered) < PARTICIPANTS

    # The officer comes back later and resumes: the stalled batch is queued again.
    CertificateBatch.objects.filter(pk=batch.pk).update(
        heartbeat_at=timezone.now() - dt.timedelta(hours=1)
    )
    assert issuing.is_stalled(CertificateBatch.objects.get(pk=batch.pk))
    issuing.run_batch(batch.pk)

    batch.refresh_from_db()
    assert (batch.state, batch.done, batch.total) == (BatchState.DONE, PARTICIPANTS, PARTICIPANTS)
    assert dict(Certificate.objects.values_list("application_id", "code")) == codes
    after = dict(Certificate.objects.values_list("code", "file"))
    assert all(after[code] == name for code, name in rendered.items())
    assert all(after.values())
    assert batch.file.read().startswith(b"%PDF")


STALE_SECONDS = 6
INTERVAL_SECONDS = 1


def test_a_batch_whose_worker_died_finishes_by_itself_with_nobody_clicking(crowd, tmp_path):
    cohort = crowd["cohort"]
    batch = CertificateBatch.objects.create(cohort=cohort)
    mailbox = tmp_path / "mail"
    mailbox.mkdir()
    processes = Processes(
        tmp_path,
        TEST_MAIL_DIR=mailbox,
        CERTIFICATE_BATCH_CHUNK=CHUNK,
        CERTIFICATE_BATCH_STALE_SECONDS=STALE_SECONDS,
        RESUME_INTERVAL_SECONDS=INTERVAL_SECONDS,
    )
    try:
        doomed = processes.worker("doomed", queue=f"{processes.queue}-doomed")
        app.send_task(
            "workshops.print_certificates",
            kwargs={"batch_id": batch.pk},
            queue=f"{processes.queue}-doomed",
        )
        # Beat and a second worker stand by, as in production.
        processes.worker("worker")
        processes.beat()
        processes.wait_for(
            lambda: CertificateBatch.objects.get(pk=batch.pk).done >= 4 * CHUNK,
            60,
            "the worker to render a few chunks",
        )
        processes.kill(doomed)
        killed = CertificateBatch.objects.get(pk=batch.pk)
        assert killed.state == BatchState.RUNNING, processes.logs()
        assert killed.done < killed.total == PARTICIPANTS
        codes = dict(Certificate.objects.values_list("application_id", "code"))
        rendered = dict(Certificate.objects.exclude(file="").values_list("code", "file"))

        # Nobody clicks "Druck fortsetzen": beat queues the batch again once it is stale.
        processes.wait_for(
            lambda: CertificateBatch.objects.get(pk=batch.pk).worker_token != killed.worker_token,
            60,
            "beat to queue the batch again",
        )
        resumed_after = (timezone.now() - killed.heartbeat_at).total_seconds()
        processes.wait_for(
            lambda: not CertificateBatch.objects.get(pk=batch.pk).is_active,
            120,
            "the batch to finish",
        )
    finally:
        processes.close()

    # Stale after STALE_SECONDS, seen at the next beat; a moment for the task's way.
    assert STALE_SECONDS <= resumed_after <= STALE_SECONDS + INTERVAL_SECONDS + 2
    batch.refresh_from_db()
    assert (batch.state, batch.done, batch.total) == (BatchState.DONE, PARTICIPANTS, PARTICIPANTS)
    assert dict(Certificate.objects.values_list("application_id", "code")) == codes
    after = dict(Certificate.objects.values_list("code", "file"))
    assert all(after[code] == name for code, name in rendered.items())
    assert all(after.values())
    assert batch.file.read().startswith(b"%PDF")
