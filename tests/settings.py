"""Test settings: the real PostgreSQL and Redis when reachable, SQLite and skips otherwise.

``MENTORING_REQUIRE_SERVICES=1`` (set by ``.ci/run``) turns a missing PostgreSQL into an
error at start and a missing Redis or Chromium into failing tests instead of skips.
"""

import os
import shutil
import sys

os.environ.setdefault("DEBUG", "0")
os.environ.setdefault("SECRET_KEY", "test-secret-key-" + "x" * 50)
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/mentoring")
# Under pytest-xdist (``make test``), each worker has a database of its own (pytest-django
# adds the worker's name to it), and here a Redis database and a media folder of its own:
# the Celery workers that tests start must not take each other's tasks.
XDIST_WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")
# Celery processes that a test starts inherit the worker's environment, its REDIS_URL
# already moved: they must not move it again.
if XDIST_WORKER and os.environ.get("REDIS_URL") and not os.environ.get("TEST_REDIS_MOVED"):
    from urllib.parse import urlsplit, urlunsplit

    _url = urlsplit(os.environ["REDIS_URL"])
    _base = int(_url.path.strip("/") or 0)
    _db = (_base + int(XDIST_WORKER.removeprefix("gw"))) % 16
    os.environ["REDIS_URL"] = urlunsplit(_url._replace(path=f"/{_db}"))
    os.environ["TEST_REDIS_MOVED"] = "1"
# Playwright's sync API runs an event loop in the test thread; the ORM calls it makes
# there are synchronous all the same.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from mentoring.settings import *  # noqa: E402,F403
from mentoring.settings import DATABASES, REDIS_URL  # noqa: E402

REQUIRE_SERVICES = os.environ.get("MENTORING_REQUIRE_SERVICES", "") not in ("", "0")


def _postgres_reachable(config):
    import psycopg

    try:
        psycopg.connect(
            host=config.get("HOST") or "127.0.0.1",
            port=config.get("PORT") or 5432,
            user=config.get("USER") or "postgres",
            password=config.get("PASSWORD") or None,
            dbname="postgres",
            connect_timeout=3,
        ).close()
    except psycopg.Error as exc:
        return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return None


def _redis_reachable(url):
    if not url:
        return "REDIS_URL is not set"
    import redis

    try:
        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except redis.RedisError as exc:
        return str(exc)
    return None


_db = DATABASES["default"]
POSTGRES_PROBLEM = None
if "postgresql" in _db["ENGINE"]:
    POSTGRES_PROBLEM = _postgres_reachable(_db)
else:
    POSTGRES_PROBLEM = "DATABASE_URL does not name PostgreSQL"
if POSTGRES_PROBLEM:
    where = f"{_db.get('HOST')}:{_db.get('PORT')}"
    if REQUIRE_SERVICES:
        sys.exit(f"tests: PostgreSQL is required but not reachable at {where}: {POSTGRES_PROBLEM}")
    # tests/conftest.py says so in one line at the start of the session.
    DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}}
else:
    DATABASES["default"]["CONN_MAX_AGE"] = 0

REDIS_PROBLEM = _redis_reachable(REDIS_URL)
CHROMIUM_PATH = os.environ.get("CHROMIUM_PATH", shutil.which("chromium") or "/usr/bin/chromium")
CHROMIUM_PROBLEM = None if os.path.exists(CHROMIUM_PATH) else f"no Chromium at {CHROMIUM_PATH}"

# Tasks run inline unless a test starts a real worker (tests/mentoring/test_celery.py).
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
SECURE_SSL_REDIRECT = False
MEDIA_ROOT = BASE_DIR / "build" / f"test-media{'-' + XDIST_WORKER if XDIST_WORKER else ''}"  # noqa: F405
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "WARNING"}}
# Tests serve static files from the finders; nothing is collected.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
REMINDER_RETRY_DELAY_SECONDS = 0
# The tests log officers in with force_login; those about the second factor turn it on
# (tests/mentoring/test_second_factor.py).
MENTORING_REQUIRE_OTP = False
