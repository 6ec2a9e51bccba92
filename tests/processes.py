"""Real Celery worker and beat processes for a test, killed with SIGKILL when it says so.

Each runs ``celery -A mentoring`` with ``tests.settings_worker`` on the test database and
the test Redis, in a session of its own, so that a kill takes the whole process group: a
real death, with no ``finally`` and no rollback hook. ``Processes.close`` kills whatever is
still running at the end of the test.
"""

import os
import signal
import subprocess
import sys
import time
import uuid

import pytest
import redis
from django.conf import settings
from django.db import connection


class Processes:
    def __init__(self, folder, **env):
        self.folder = folder
        self.queue = f"test-{uuid.uuid4().hex[:12]}"
        self.env = env
        self.running = []

    def _start(self, name, arguments, env):
        database = connection.settings_dict
        environment = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "tests.settings_worker",
            "DATABASE_URL": (
                f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}"
                f"/{database['NAME']}"
            ),
            "REDIS_URL": settings.REDIS_URL,
            "TEST_CELERY_QUEUE": self.queue,
            **{key: str(value) for key, value in (self.env | env).items()},
        }
        log_path = self.folder / f"{name}.log"
        log = open(log_path, "wb")  # noqa: SIM115 - closed with the process
        process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "mentoring", *arguments],
            cwd=settings.BASE_DIR,
            env=environment,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        process.log_path = log_path
        self.running.append(process)
        return process

    def worker(self, name, *, queue=None, **env):
        """A worker with one process (solo pool) on ``queue``, by default the test's own."""
        process = self._start(
            name,
            [
                "worker",
                "--pool=solo",
                f"--queues={queue or self.queue}",
                f"--hostname={name}-{self.queue}@%h",
                "--without-mingle",
                "--without-gossip",
                "--loglevel=INFO",
            ],
            env,
        )
        self.wait_for(lambda: b" ready." in process.log_path.read_bytes(), 60, f"{name} ready")
        return process

    def beat(self, **env):
        """Celery beat with the project's schedule, sending to the test's queue."""
        return self._start(
            "beat",
            ["beat", f"--schedule={self.folder / 'beat-schedule'}", "--loglevel=INFO"],
            env,
        )

    def kill(self, process):
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(10)

    def close(self):
        for process in self.running:
            if process.poll() is None:
                self.kill(process)
        # The test's queues, with the beat runs that expired in them.
        client = redis.Redis.from_url(settings.REDIS_URL)
        for key in client.scan_iter(match=f"*{self.queue}*"):
            client.delete(key)

    def logs(self):
        return "\n".join(
            f"--- {process.log_path.name}\n{process.log_path.read_text(errors='replace')}"
            for process in self.running
        )

    def wait_for(self, condition, timeout, what):
        deadline = time.monotonic() + timeout
        while not condition():
            if time.monotonic() > deadline:
                pytest.fail(f"timed out after {timeout} s waiting for {what}\n{self.logs()}")
            time.sleep(0.05)
