"""Settings, read from the environment.

Development needs nothing: SQLite next to ``manage.py``, tasks run inline, mail goes to the
console. Production (``DEBUG=0``) refuses to start without a real ``SECRET_KEY``,
``ALLOWED_HOSTS`` and ``DATABASE_URL``, each failure reported in one line.

Variables: ``DEBUG``, ``SECRET_KEY``, ``ALLOWED_HOSTS`` (comma-separated),
``CSRF_TRUSTED_ORIGINS``, ``DATABASE_URL``, ``DB_CONN_MAX_AGE`` (seconds; default 600 in
production, 0 in development and always 0 under ``runserver``), ``REDIS_URL``,
``OUTBOX_PUBLISH_TIMEOUT`` (seconds a request waits for Redis; default 1),
``MAIL_CLAIM_STALE_SECONDS``, ``RESUME_INTERVAL_SECONDS`` (taking over what a dead process
left; defaults 600 and 60),
``EMAIL_URL``-style pieces (``EMAIL_HOST``, ``EMAIL_PORT``, ``EMAIL_HOST_USER``,
``EMAIL_HOST_PASSWORD``, ``EMAIL_USE_TLS``, ``DEFAULT_FROM_EMAIL``), ``MEDIA_ROOT``,
``STATIC_ROOT``, ``SECURE_PROXY_SSL_HEADER`` (``1`` behind a TLS-terminating proxy that
sets ``X-Forwarded-Proto``), ``TRUSTED_PROXIES``, ``LOGIN_FAILURES_PER_ACCOUNT``,
``LOGIN_FAILURES_PER_ADDRESS``, ``LOGIN_LOCKOUT_MINUTES``, ``MENTORING_REQUIRE_OTP``,
``SESSION_IDLE_MINUTES``, ``SITE_NAME``, ``SITE_URL``, ``DB_RANDOM_PAGE_COST`` (PostgreSQL's
planner cost of a random page read, set per connection; default 1.1 for solid-state disks,
empty to keep the server's own, e.g. behind PgBouncer).

Security keys and passkeys (WebAuthn, the second factor beside the authenticator app) take
their site from ``SITE_URL``: its host name is the relying party ID that every key is bound
to, and its scheme, host and port are the only origin a key's answer may come from. So
``SITE_URL`` must be the address people type, over https (browsers offer WebAuthn only
there and on localhost); changing its host name later makes every registered key useless.
WebAuthn knows no IP addresses: a ``SITE_URL`` on 127.0.0.1 or ::1 (development) is taken as
localhost, so keys work at http://localhost:8000/.
"""

import math
import os
import sys
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

# A placeholder that development may use and production must never accept.
_DEV_SECRET_KEY = "dev-insecure-only-for-local-development-never-in-production"  # noqa: S105


class ConfigurationError(SystemExit):
    """Stops the process with one readable line instead of a traceback."""

    def __init__(self, message):
        super().__init__(f"mentoring: configuration error: {message}")


def env_bool(name, default):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ConfigurationError(f"{name}={value!r} is not a boolean (use 1 or 0).")


def env_int(name, default):
    value = os.environ.get(name, "")
    if value == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ConfigurationError(f"{name}={value!r} is not a whole number.") from None


def env_list(name, default=()):
    value = os.environ.get(name, "")
    return [item.strip() for item in value.split(",") if item.strip()] or list(default)


def parse_database_url(url, conn_max_age):
    try:
        config = dj_database_url.parse(url, conn_max_age=conn_max_age, conn_health_checks=True)
    except (ValueError, KeyError, IndexError) as exc:
        raise ConfigurationError(f"DATABASE_URL is malformed ({exc}).") from None
    if not config.get("ENGINE") or not config.get("NAME"):
        raise ConfigurationError("DATABASE_URL names no database engine or database.")
    # PostgreSQL's default (4) prices a random read as on a spinning disk: with it, the
    # contact grid's page of 50 tandems read 34 000 applications twice instead of looking
    # up 100 (25 ms instead of 2). Servers on SSDs are configured with 1.1.
    random_page_cost = os.environ.get("DB_RANDOM_PAGE_COST", "1.1")
    if "postgresql" in config["ENGINE"] and random_page_cost:
        try:
            cost = float(random_page_cost)
        except ValueError:
            cost = math.nan
        if not math.isfinite(cost) or cost <= 0:
            raise ConfigurationError(
                f"DB_RANDOM_PAGE_COST={random_page_cost!r} is not a positive number."
            )
        options = config.setdefault("OPTIONS", {})
        given = options.get("options", "")  # from DATABASE_URL's ?options=…: kept
        options["options"] = f"{given} -c random_page_cost={cost}".strip()
    return config


DEBUG = env_bool("DEBUG", True)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ConfigurationError("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = _DEV_SECRET_KEY
elif not DEBUG and (SECRET_KEY == _DEV_SECRET_KEY or len(SECRET_KEY) < 50):
    raise ConfigurationError("SECRET_KEY is too short or a placeholder (use 50+ random chars).")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"] if DEBUG else [])
if not DEBUG and not ALLOWED_HOSTS:
    raise ConfigurationError("ALLOWED_HOSTS must be set when DEBUG is off.")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "mentoring",
    "cohorts",
    "applications",
    "tandems",
    "workshops",
    "evaluation",
    "mentoring.apps.MentoringAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rules.apps.AutodiscoverRulesConfig",
    "crispy_forms",
    "crispy_bootstrap5",
    "axes",
    "csp",
    "django_otp",
    "mentoring.apps.SecondFactorConfig",
    "django_otp.plugins.otp_static",
    "mentoring.apps.SecurityKeysConfig",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # Sets the language cookie to her saved language when she logs in.
    "mentoring.languages.LoginLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # After sessions, authentication and messages: it logs out and says why.
    "mentoring.idle.IdleTimeoutMiddleware",
    # Sets user.is_verified(); ours then keeps unverified officers on the second factor.
    "django_otp.middleware.OTPMiddleware",
    "mentoring.second_factor.SecondFactorMiddleware",
    # After the second factor: a changed privacy notice is asked before her pages.
    "mentoring.renewal.ConsentRenewalMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "mentoring.middleware.PrivacyHeadersMiddleware",
    # Last, as django-axes asks: it turns a locked login into its answer.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "mentoring.urls"
WSGI_APPLICATION = "mentoring.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "mentoring.context_processors.navigation",
            ],
        },
    },
]

# Database. Under gunicorn connections stay open between requests: opening one per request
# cut a one-query page from ~1 300 to ~210 requests per second on this kind of machine
# (FLOORS.md). runserver starts a thread per request, and each thread would keep its own
# connection until PostgreSQL refuses more ("too many clients"): there, and in development
# by default, every request closes its connection.
RUNSERVER = len(sys.argv) > 1 and sys.argv[1] == "runserver"
DB_CONN_MAX_AGE = 0 if RUNSERVER else env_int("DB_CONN_MAX_AGE", 0 if DEBUG else 600)
_database_url = os.environ.get("DATABASE_URL", "")
if _database_url:
    DATABASES = {"default": parse_database_url(_database_url, DB_CONN_MAX_AGE)}
elif DEBUG:
    DATABASES = {
        "default": {"ENGINE": "django.db.backends.sqlite3", "NAME": BASE_DIR / "db.sqlite3"}
    }
else:
    raise ConfigurationError("DATABASE_URL must be set when DEBUG is off.")

AUTH_USER_MODEL = "mentoring.User"
AUTHENTICATION_BACKENDS = [
    # First: refuses a locked login before any password is checked (mentoring.throttling).
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "start"
LOGOUT_REDIRECT_URL = "home"

# Login throttling (django-axes, see mentoring.throttling): failures per account and per
# client address within the lock's duration; a lock lasts this long after the last failure.
LOGIN_FAILURES_PER_ACCOUNT = env_int("LOGIN_FAILURES_PER_ACCOUNT", 5)
LOGIN_FAILURES_PER_ADDRESS = env_int("LOGIN_FAILURES_PER_ADDRESS", 50)
LOGIN_LOCKOUT_MINUTES = env_int("LOGIN_LOCKOUT_MINUTES", 15)
# Behind a reverse proxy (SECURE_PROXY_SSL_HEADER=1) the client's address is the last one the
# proxy appended to X-Forwarded-For; TRUSTED_PROXIES says how many proxies append.
TRUSTED_PROXIES = env_int("TRUSTED_PROXIES", 1 if env_bool("SECURE_PROXY_SSL_HEADER", False) else 0)
AXES_HANDLER = "mentoring.throttling.LoginThrottleHandler"
AXES_FAILURE_LIMIT = LOGIN_FAILURES_PER_ACCOUNT
AXES_COOLOFF_TIME = timedelta(minutes=LOGIN_LOCKOUT_MINUTES)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_USERNAME_FORM_FIELD = "username"
AXES_USERNAME_CALLABLE = "mentoring.throttling.username_of"
AXES_CLIENT_IP_CALLABLE = "mentoring.throttling.client_address"
AXES_LOCKOUT_CALLABLE = "mentoring.throttling.lockout_response"
AXES_RESET_ON_SUCCESS = True
# Successful logins are not logged: an IP address per login is personal data we do not need.
AXES_DISABLE_ACCESS_LOG = True
AXES_VERBOSE = False

# Second factor (django-otp, see mentoring.second_factor): officers and the programme office
# pass a TOTP code or a security key after the password before any page of theirs. On by
# default in production; off under DEBUG so that `make run`'s demo logins stay one step.
MENTORING_REQUIRE_OTP = env_bool("MENTORING_REQUIRE_OTP", not DEBUG)
# Wrong codes lock a device for 1, 2, 4, 8, … seconds (django-otp doubles the wait).
OTP_TOTP_THROTTLE_FACTOR = 1
OTP_STATIC_THROTTLE_FACTOR = 1
# The admin never shows a device's secret, to the programme office or anyone.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

# Sessions end after this many idle minutes, for everyone (mentoring.idle). The cookie and
# the stored session last a working day past their last write only so that the login page
# can say why a session ended; the idle check refuses them long before.
SESSION_IDLE_MINUTES = env_int("SESSION_IDLE_MINUTES", 30)
SESSION_COOKIE_AGE = max(8 * 60 * 60, 2 * SESSION_IDLE_MINUTES * 60)

# Language and time. German is the source language of the UI; English is the second one.
LANGUAGE_CODE = "de"
LANGUAGES = [("de", _("Deutsch")), ("en", _("Englisch"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# One date format per language everywhere: pages, admin, e-mails and PDFs.
FORMAT_MODULE_PATH = ["mentoring.formats"]
TIME_ZONE = "Europe/Berlin"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
# Private uploads (CVs, letters, certificates): never below STATIC_ROOT and never served by a
# public URL; views that check permission stream them.
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
# Uploaded CVs and letters: PDF only, at most this size each.
APPLICATION_UPLOAD_MAX_BYTES = env_int("APPLICATION_UPLOAD_MAX_BYTES", 5 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# E-mail: the console in development, SMTP when EMAIL_HOST is set.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = env_int("EMAIL_PORT", 587)
    EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
    EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 30)
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
# One installation may run several programmes; this names the installation as a whole.
SITE_NAME = os.environ.get("SITE_NAME", "Cross-Mentoring")
# The name under which authenticator apps list this installation's codes.
OTP_TOTP_ISSUER = SITE_NAME
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", f"{SITE_NAME} <mentoring@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Where reports of barriers go until the programme office edits the accessibility statement.
ACCESSIBILITY_CONTACT_EMAIL = os.environ.get(
    "ACCESSIBILITY_CONTACT_EMAIL", "barrierefreiheit@localhost"
)
# Where links in e-mails point to (no request is at hand in a Celery task).
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")


def webauthn_site(url):
    """The relying party ID and the origin of security keys (WebAuthn) for ``url``.

    WebAuthn takes no IP address as a site; the loopback addresses become localhost.
    """
    parts = urlsplit(url)
    host = parts.hostname or "localhost"
    if host in {"127.0.0.1", "::1"}:
        host = "localhost"
    port = f":{parts.port}" if parts.port else ""
    return host, f"{parts.scheme}://{host}{port}"


# Security keys and passkeys (django-otp-webauthn, see mentoring.second_factor_keys), bound
# to SITE_URL's host (see the docstring above). Only as the second factor after the
# password: a login with the key alone would pass by the password and its throttling.
OTP_WEBAUTHN_RP_ID, _webauthn_origin = webauthn_site(SITE_URL)
OTP_WEBAUTHN_ALLOWED_ORIGINS = [_webauthn_origin]
OTP_WEBAUTHN_RP_NAME = SITE_NAME
OTP_WEBAUTHN_ALLOW_PASSWORDLESS_LOGIN = False
OTP_WEBAUTHN_HELPER_CLASS = "mentoring.second_factor_keys.KeyHelper"

# Redis: broker, results and the shared cache. Without it, tasks run inline.
REDIS_URL = os.environ.get("REDIS_URL", "")
CELERY_TIMEZONE = TIME_ZONE
CELERY_ENABLE_UTC = True
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Redis may go away and come back (empty). A worker keeps trying for as long as it is away
# (every 2 s at first, at most every 30 s) and takes up again by itself; commands time out
# instead of hanging on a connection a restart or a firewall left half-open, and the
# health check (Redis' counterpart of a broker heartbeat) notices one that went quiet.
CELERY_BROKER_CONNECTION_RETRY = True
CELERY_BROKER_CONNECTION_MAX_RETRIES = None
CELERY_BROKER_CONNECTION_TIMEOUT = 5
CELERY_BROKER_HEARTBEAT = 10  # used by AMQP brokers; for Redis see health_check_interval
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "socket_connect_timeout": 5,
    # Above the worker's BRPOP wait (1 s), so an idle worker is not taken for a lost one.
    "socket_timeout": 10,
    "socket_keepalive": True,
    "retry_on_timeout": True,
    "health_check_interval": 10,
}
CELERY_REDIS_SOCKET_CONNECT_TIMEOUT = 5
CELERY_REDIS_SOCKET_TIMEOUT = 10
CELERY_REDIS_SOCKET_KEEPALIVE = True
CELERY_REDIS_RETRY_ON_TIMEOUT = True
CELERY_REDIS_BACKEND_HEALTH_CHECK_INTERVAL = 10
# Storing a result retries for about 5 s, not the default 20 (a worker does not stall).
CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS = {
    "retry_policy": {"max_retries": 5, "interval_start": 0, "interval_step": 1, "interval_max": 1}
}
# A task sent straight to the broker (beat, a worker) tries for about 2 s. What a person
# causes goes through the outbox instead (mentoring.outbox): stored with her action,
# handed over after at most OUTBOX_PUBLISH_TIMEOUT seconds, or later by the sweep.
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 2,
    "interval_start": 0,
    "interval_step": 0.5,
    "interval_max": 1,
}
OUTBOX_PUBLISH_TIMEOUT = env_int("OUTBOX_PUBLISH_TIMEOUT", 1)
# A claim on sending one e-mail (a reminder, a mail of the app's tasks) not renewed for this
# long was left by a process that died: the next sweep or try takes it over and sends it
# with the same Message-ID. It must exceed what one try at the mail server can take
# (EMAIL_TIMEOUT), or a slow server could be sent the same message twice.
MAIL_CLAIM_STALE_SECONDS = env_int("MAIL_CLAIM_STALE_SECONDS", 600)
# How often beat looks for work that a dead process left behind: reminders and e-mails
# "in Zustellung" and certificate batches without a heartbeat (see
# CERTIFICATE_BATCH_STALE_SECONDS).
RESUME_INTERVAL_SECONDS = env_int("RESUME_INTERVAL_SECONDS", 60)
# What beat resumes, for `manage.py resume_jobs` to do the same by hand: a label and a
# function that takes over what a dead process left and returns what it took over. The list
# lives here (wiring) so that the shared command imports no domain app.
RESUME_JOBS = {
    "reminders": "mentoring.reminders.resume",
    "mails": "mentoring.mail.resume",
    "certificate batches": "workshops.issuing.resume_stalled",
}
# The periodic jobs (times are Europe/Berlin). Run beat next to the worker:
# `celery -A mentoring beat`.
CELERY_BEAT_SCHEDULE = {
    "send-reminders": {
        "task": "mentoring.send_reminders",
        "schedule": crontab(hour=7, minute=0),
    },
    # Erases what its retention period has run out for (mentoring.retention), at night.
    "erase-due": {
        "task": "mentoring.erase_due",
        "schedule": crontab(hour=2, minute=30),
    },
    # Hands over the tasks that waited for Redis (mentoring.outbox); a run that no worker
    # took within the minute is dropped, the next one does the same work.
    "drain-outbox": {
        "task": "mentoring.drain_outbox",
        "schedule": 60.0,
        "options": {"expires": 55},
    },
    # Takes over what a sweep or task that died left "in Zustellung" (mentoring.reminders
    # and mentoring.mail.resume) and prints what a worker that died left half-done
    # (workshops.issuing.resume_stalled); the same as RESUME_JOBS. A run that no worker
    # took within its interval is dropped; the next one does the same.
    "resume-reminders": {
        "task": "mentoring.resume_reminders",
        "schedule": float(RESUME_INTERVAL_SECONDS),
        "options": {"expires": RESUME_INTERVAL_SECONDS},
    },
    "resume-mails": {
        "task": "mentoring.resume_mails",
        "schedule": float(RESUME_INTERVAL_SECONDS),
        "options": {"expires": RESUME_INTERVAL_SECONDS},
    },
    "resume-certificate-batches": {
        "task": "workshops.resume_certificate_batches",
        "schedule": float(RESUME_INTERVAL_SECONDS),
        "options": {"expires": RESUME_INTERVAL_SECONDS},
    },
}
# Reminder e-mails: tries per e-mail when the mail server fails transiently (4xx, gone).
REMINDER_SMTP_ATTEMPTS = env_int("REMINDER_SMTP_ATTEMPTS", 3)
REMINDER_RETRY_DELAY_SECONDS = env_int("REMINDER_RETRY_DELAY_SECONDS", 5)
# Certificate printing: certificates per WeasyPrint layout, and how long a batch may go
# without a heartbeat before it counts as stalled; beat then queues it again by itself.
CERTIFICATE_BATCH_CHUNK = env_int("CERTIFICATE_BATCH_CHUNK", 25)
CERTIFICATE_BATCH_STALE_SECONDS = env_int("CERTIFICATE_BATCH_STALE_SECONDS", 300)
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CELERY_RESULT_BACKEND = REDIS_URL
    # Nothing needed lives in the cache; while Redis is away it is empty (mentoring.cache).
    CACHES = {
        "default": {
            "BACKEND": "mentoring.cache.TolerantRedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
else:
    CELERY_TASK_ALWAYS_EAGER = True
    CELERY_TASK_EAGER_PROPAGATES = True
    CELERY_BROKER_URL = "memory://"
    CELERY_RESULT_BACKEND = "cache+memory://"

# Sessions in PostgreSQL, never in the cache: a Redis outage logs nobody out.
SESSION_ENGINE = "django.contrib.sessions.backends.db"

# Security. Production settings pass `manage.py check --deploy` without warnings.
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = not DEBUG
# The language cookie says no more than the others, and travels no further.
LANGUAGE_COOKIE_SECURE = SESSION_COOKIE_SECURE
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
# Content-Security-Policy (django-csp): scripts, styles, fonts and images from this site
# only, no inline script or style anywhere (the templates keep theirs in static/). data:
# images are Bootstrap's form icons, written into its style sheet.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
# Powerful browser features this product never uses (mentoring.middleware).
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
    "microphone=(), payment=(), usb=()"
)
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31_536_000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
    if env_bool("SECURE_PROXY_SSL_HEADER", False):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    # HSTS preload is a decision for the operator, not a default.
    SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        # WeasyPrint logs every page it lays out; a batch of 300 certificates is not news.
        "weasyprint.progress": {"level": "WARNING"},
    },
}

# Who contributes to the start page and the navigation (see mentoring.start); the list
# lives here (wiring) so that the shared pieces import no domain app.
START_PAGE_PROVIDERS = [
    "mentoring.panels",
    "applications.start",
    "tandems.start",
    "workshops.start",
    "evaluation.start",
]

# Who contributes to a person's data export (Art. 15 GDPR, see mentoring.export).
PERSONAL_DATA_PROVIDERS = [
    "mentoring.personal_data",
    "cohorts.personal_data",
    "applications.personal_data",
    "tandems.personal_data",
    "workshops.personal_data",
    "evaluation.personal_data",
]

# What follows when a person withdraws a consent (see mentoring.consents).
CONSENT_PROVIDERS = [
    "applications.consents",
]

# What each app erases when its time is up or a person asks (mentoring.retention); run in
# this order, from the top of the stack down: each app finds a person's rows through her
# applications before the applications app detaches them from her.
RETENTION_PROVIDERS = [
    "evaluation.retention",
    "workshops.retention",
    "tandems.retention",
    "applications.retention",
    "cohorts.retention",
]

# Demo data loaders, run in this order by `manage.py load_demo`. Each app contributes its
# own; the list lives here (wiring) so that the shared command imports no domain app.
DEMO_LOADERS = [
    "cohorts.demo.load",
    "applications.demo.load",
    "tandems.demo.load",
    "workshops.demo.load",
    "evaluation.demo.load",
]

# Who copies which part of a cohort's set-up into a new cohort (see cohorts.copying).
COHORT_COPY_PROVIDERS = [
    "cohorts.copying",
    "applications.copying",
    "tandems.copying",
    "workshops.copying",
]
