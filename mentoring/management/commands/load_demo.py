from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string


class Command(BaseCommand):
    help = "Loads the demo programme with its cohorts, administrations and logins (idempotent)."

    def handle(self, *args, **options):
        today = timezone.localdate()
        logins = []
        with transaction.atomic():
            for path in settings.DEMO_LOADERS:
                logins += import_string(path)(today=today)
        self.stdout.write(self.style.SUCCESS("Demo data loaded. Logins:"))
        for label, email, password in logins:
            self.stdout.write(f"  {label:<48} {email:<52} {password}")
