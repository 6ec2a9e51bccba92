import pytest
from django.conf import settings

SERVICE_PROBLEMS = {
    "postgres": lambda: settings.POSTGRES_PROBLEM,
    "redis": lambda: settings.REDIS_PROBLEM,
    "browser": lambda: settings.CHROMIUM_PROBLEM,
}


def pytest_report_header(config):
    db = settings.DATABASES["default"]
    if settings.POSTGRES_PROBLEM:
        database = f"SQLite (PostgreSQL: {settings.POSTGRES_PROBLEM})"
    else:
        database = f"PostgreSQL at {db['HOST']}:{db['PORT']}"
    return [
        f"database: {database}",
        f"redis: {settings.REDIS_PROBLEM or settings.REDIS_URL}",
        f"chromium: {settings.CHROMIUM_PROBLEM or settings.CHROMIUM_PATH}",
        f"services required: {'yes' if settings.REQUIRE_SERVICES else 'no'}",
    ]


def pytest_sessionstart(session):
    """Says in one line, whatever the verbosity, when a real component is missing."""
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    if reporter is None:
        return
    if settings.POSTGRES_PROBLEM:
        reporter.write_line(
            f"tests: PostgreSQL not reachable ({settings.POSTGRES_PROBLEM}); running on SQLite, "
            "skipping what needs PostgreSQL",
            yellow=True,
        )
    for name in ("redis", "browser"):
        problem = SERVICE_PROBLEMS[name]()
        if problem and not settings.REQUIRE_SERVICES:
            reporter.write_line(f"tests: {name} unavailable ({problem}); skipping its tests")


def pytest_collection_modifyitems(config, items):
    """Skip (or, when services are required, fail) tests whose real component is missing."""
    for item in items:
        # Every database test runs on PostgreSQL when it is there; those that need it
        # for what they test carry the marker explicitly.
        for marker, problem in SERVICE_PROBLEMS.items():
            if item.get_closest_marker(marker) is None:
                continue
            reason = problem()
            if reason is None:
                continue
            if settings.REQUIRE_SERVICES:
                item.add_marker(pytest.mark.usefixtures("_fail_missing_service"))
                item.user_properties.append(("missing", f"{marker}: {reason}"))
            else:
                item.add_marker(pytest.mark.skip(reason=f"needs {marker}: {reason}"))


@pytest.fixture
def _fail_missing_service(request):
    missing = dict(request.node.user_properties)["missing"]
    pytest.fail(f"required component missing ({missing})")


@pytest.fixture(autouse=True)
def _site_language():
    """Every test starts in German: a request in English must not leak into the next test."""
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _empty_cache():
    """Every test starts with an empty cache: no public page kept from the last test's rows."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def redis_worker():
    """A real Celery worker (a thread of this process) on the real Redis broker."""
    from celery.contrib.testing.worker import start_worker

    from mentoring.celery import app

    previous = app.conf.task_always_eager
    app.conf.update(
        task_always_eager=False,
        broker_url=settings.REDIS_URL,
        result_backend=settings.REDIS_URL,
    )
    try:
        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
            yield app
    finally:
        app.conf.task_always_eager = previous
