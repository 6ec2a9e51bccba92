import logging
import time

from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import models, transaction
from django.test.utils import override_settings
from django.utils import timezone
from django.utils.module_loading import import_string

from mentoring.celery import app as celery_app
from mentoring.demo import DEMO_PASSWORD
from mentoring.models import User


class Command(BaseCommand):
    help = (
        "Loads the demo: four programmes with cohorts, applications, tandems, workshops and "
        "certificates, dated from today (idempotent). --reset starts over."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--reset",
            action="store_true",
            help="Delete everything (a demo database only) and load the demo anew.",
        )

    def handle(self, *args, reset=False, **options):
        started = time.monotonic()
        if reset:
            self._reset()
        today = timezone.localdate()
        logins = []
        # The demo sends no e-mail: tasks run inline against a mail backend that drops all.
        previous_eager = celery_app.conf.task_always_eager
        celery_app.conf.task_always_eager = True
        # Inline tasks log each run; the demo's few dozen are not news.
        task_logger = logging.getLogger("celery.app.trace")
        previous_level = task_logger.level
        task_logger.setLevel(logging.WARNING)
        try:
            with (
                override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"),
                transaction.atomic(),
            ):
                for path in settings.DEMO_LOADERS:
                    logins += import_string(path)(today=today)
        finally:
            celery_app.conf.task_always_eager = previous_eager
            task_logger.setLevel(previous_level)
        seconds = time.monotonic() - started
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data loaded in {seconds:.1f} s. Logins (password: {DEMO_PASSWORD}):"
            )
        )
        self._print(logins)

    def _print(self, logins):
        """Logins grouped by programme (in the order they first appear), then by role."""
        groups = {}
        for login in logins:
            groups.setdefault(login.programme, []).append(login)
        for programme, group in groups.items():
            self.stdout.write("")
            self.stdout.write(f"  {programme or 'Alle Programme'}")
            for login in group:
                note = f"  ({login.note})" if login.note else ""
                self.stdout.write(f"    {login.role:<46} {login.email}{note}")

    def _reset(self):
        strangers = User.objects.exclude(email__iendswith="example.org")
        if strangers.exists():
            raise CommandError(
                "--reset deletes everything, so it runs only on a demo database; this one "
                f"has {strangers.count()} accounts outside example.org."
            )
        # Files first: a flush forgets the rows that name them.
        for model in apps.get_models():
            fields = [f for f in model._meta.get_fields() if isinstance(f, models.FileField)]
            for field in fields:
                for row in model.objects.exclude(**{field.name: ""}).only(field.name).iterator():
                    getattr(row, field.name).delete(save=False)
        call_command("flush", interactive=False, verbosity=0)
