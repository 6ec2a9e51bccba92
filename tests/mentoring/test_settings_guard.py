"""Production settings refuse to start when misconfigured, with one readable line."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
GOOD_KEY = "k" * 20 + "-production-secret-" + "q" * 30


def manage(*args, **env):
    base = {
        key: value
        for key, value in os.environ.items()
        if key
        not in {"DATABASE_URL", "SECRET_KEY", "ALLOWED_HOSTS", "DEBUG", "REDIS_URL"}
        | {"DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    base["DJANGO_SETTINGS_MODULE"] = "mentoring.settings"
    base.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=base,
        capture_output=True,
        text=True,
        timeout=60,
    )


PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": GOOD_KEY,
    "ALLOWED_HOSTS": "mentoring.example.org",
    "DATABASE_URL": "postgres://mentoring@127.0.0.1:5432/mentoring",
}


def one_line_error(result):
    lines = result.stderr.strip().splitlines()
    assert result.returncode != 0
    assert len(lines) == 1, result.stderr
    return lines[0]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"SECRET_KEY": ""}, "SECRET_KEY must be set when DEBUG is off."),
        ({"SECRET_KEY": "short"}, "SECRET_KEY is too short or a placeholder"),
        ({"ALLOWED_HOSTS": ""}, "ALLOWED_HOSTS must be set when DEBUG is off."),
        ({"DATABASE_URL": ""}, "DATABASE_URL must be set when DEBUG is off."),
        ({"DATABASE_URL": "nosuchdb://x/y"}, "DATABASE_URL is malformed"),
        ({"DATABASE_URL": "postgres://h:notaport/db"}, "DATABASE_URL is malformed"),
        ({"DEBUG": "maybe"}, "DEBUG='maybe' is not a boolean"),
    ],
)
def test_misconfigured_production_fails_in_one_line(change, message):
    line = one_line_error(manage("check", **(PRODUCTION | change)))
    assert line.startswith("mentoring: configuration error: ")
    assert message in line


def test_check_deploy_is_clean_with_production_settings():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stderr
    # Only HSTS preload is silenced: submitting a domain to the preload list is the
    # operator's decision (SECURE_HSTS_PRELOAD=1 turns it on and the check back on).
    assert result.stdout.strip() == "System check identified no issues (1 silenced)."


def test_development_starts_with_no_environment_at_all():
    result = manage("check")
    assert result.returncode == 0, result.stderr


@pytest.mark.django_db
def test_makemigrations_is_clean():
    from django.core.management import call_command

    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


def conn_max_age(argv, **env):
    """CONN_MAX_AGE as the settings compute it for a process started as ``argv``."""
    code = (
        "import sys; sys.argv = " + repr(argv) + "\n"
        "import django; from django.conf import settings\n"
        "print(settings.DATABASES['default']['CONN_MAX_AGE'])"
    )
    base = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "SECRET_KEY", "ALLOWED_HOSTS", "DEBUG", "DB_CONN_MAX_AGE"}
    }
    base["DJANGO_SETTINGS_MODULE"] = "mentoring.settings"
    base.update(env)
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=base, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    return int(result.stdout.strip())


GUNICORN = ["gunicorn", "mentoring.wsgi"]
RUNSERVER = ["manage.py", "runserver"]
DEVELOPMENT_POSTGRES = {"DATABASE_URL": "postgres://mentoring@127.0.0.1:5432/mentoring"}


@pytest.mark.parametrize(
    ("argv", "env", "expected"),
    [
        # Production under gunicorn: connections are kept, ten minutes by default.
        (GUNICORN, PRODUCTION, 600),
        (GUNICORN, PRODUCTION | {"DB_CONN_MAX_AGE": "60"}, 60),
        # Development: one connection per request, unless asked for.
        (GUNICORN, DEVELOPMENT_POSTGRES, 0),
        (GUNICORN, DEVELOPMENT_POSTGRES | {"DB_CONN_MAX_AGE": "30"}, 30),
        # runserver starts a thread per request: never a kept connection, whatever is set.
        (RUNSERVER, DEVELOPMENT_POSTGRES, 0),
        (RUNSERVER, DEVELOPMENT_POSTGRES | {"DB_CONN_MAX_AGE": "600"}, 0),
        (RUNSERVER, PRODUCTION, 0),
    ],
)
def test_database_connections_are_kept_under_gunicorn_only(argv, env, expected):
    assert conn_max_age(argv, **env) == expected
