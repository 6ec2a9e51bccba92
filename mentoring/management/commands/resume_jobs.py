from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils.module_loading import import_string


class Command(BaseCommand):
    help = (
        "Takes over what a process that died left behind, as Celery beat does every "
        "RESUME_INTERVAL_SECONDS: reminders and e-mails left 'in Zustellung' for longer than "
        "MAIL_CLAIM_STALE_SECONDS, certificate batches without a heartbeat for longer than "
        "CERTIFICATE_BATCH_STALE_SECONDS. Prints what it took over. Safe to run at any time."
    )

    def handle(self, *args, **options):
        for label, path in settings.RESUME_JOBS.items():
            taken_over = import_string(path)()
            self.stdout.write(f"{label}:" if taken_over else f"{label}: nothing left behind")
            for item in taken_over:
                self.stdout.write(f"  {item}")
