"""A Redis server of a test's own, which the test may stop and start again (empty).

The shared Redis of the test run must stay up for the other tests; outages are played on
a ``redis-server`` started here, on a free port, without persistence, so that a restart
comes back as empty as a crashed production Redis without its data.
"""

import shutil
import socket
import subprocess
import time
from contextlib import contextmanager

import pytest
import redis
from django.conf import settings

from mentoring.celery import app


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class RedisServer:
    def __init__(self):
        self.binary = shutil.which("redis-server")
        self.port = free_port()
        self.process = None

    @property
    def url(self):
        return f"redis://127.0.0.1:{self.port}/0"

    def client(self):
        return redis.Redis(port=self.port, socket_connect_timeout=1, socket_timeout=1)

    def start(self):
        self.process = subprocess.Popen(
            [
                self.binary,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--daemonize",
                "no",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while True:
            try:
                self.client().ping()
                return
            except redis.RedisError:
                if time.monotonic() > deadline or self.process.poll() is not None:
                    raise RuntimeError(f"redis-server did not start on {self.port}") from None
                time.sleep(0.02)

    def stop(self):
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(10)
        self.process = None

    def restart(self):
        """Stops the server and starts it again, empty (nothing is saved)."""
        self.stop()
        self.start()


def started_server():
    """A started ``RedisServer``, stopped at the end whatever the test did with it; for a
    fixture to ``yield from``."""
    server = RedisServer()
    if server.binary is None:
        if settings.REQUIRE_SERVICES:
            pytest.fail("redis-server is required but not installed")
        pytest.skip("redis-server is not installed")
    server.start()
    yield server
    server.stop()


@contextmanager
def celery_on(server):
    """Celery sends to ``server`` for real (not inline) while the block runs."""
    keys = ("task_always_eager", "broker_url", "result_backend")
    previous = {key: app.conf[key] for key in keys}
    app.conf.update(task_always_eager=False, broker_url=server.url, result_backend=server.url)
    try:
        yield app
    finally:
        app.conf.update(previous)


@contextmanager
def worker_on(server):
    """A real Celery worker (a thread of this process) consuming from ``server``."""
    from celery.contrib.testing.worker import start_worker

    with (
        celery_on(server),
        start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=20),
    ):
        yield app


def wait_for(condition, timeout, what):
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out after {timeout} s waiting for {what}")
        time.sleep(0.05)
