"""Settings for `make bench`: production-like (DEBUG off), its own PostgreSQL database."""

import os
import warnings

os.environ.setdefault("DEBUG", "0")
os.environ.setdefault("SECRET_KEY", "bench-only-secret-" + "b" * 50)
os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/mentoring_bench")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")

from mentoring.settings import *  # noqa: E402,F403
from mentoring.settings import BASE_DIR, TEMPLATES  # noqa: E402

ROOT_URLCONF = "bench.urls"
TEMPLATES[0]["DIRS"] = [*TEMPLATES[0]["DIRS"], BASE_DIR / "bench" / "templates"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
# Files come from the finders; STATIC_ROOT need not exist, so whitenoise's warning is noise.
warnings.filterwarnings("ignore", message="No directory at: ", category=UserWarning)
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
LOGGING = {"version": 1, "disable_existing_loggers": True, "root": {"level": "ERROR"}}
# Reminder e-mails stay in memory: the bench measures the sweep, not a mail server.
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
REMINDER_RETRY_DELAY_SECONDS = 0
