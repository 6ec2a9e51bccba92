from datetime import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from mentoring.retention import erase_due


class Command(BaseCommand):
    help = (
        "Erases what its retention period has run out for (not-selected and withdrawn "
        "applications, drafts, what tandems wrote), files included, and logs it without "
        "personal data. Celery beat runs the same every night."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="List what would be erased; change nothing."
        )
        parser.add_argument("--date", help="Erase as on this day (YYYY-MM-DD).")

    def handle(self, *args, dry_run, date, **options):
        today = timezone.localdate()
        if date:
            try:
                today = datetime.strptime(date, "%Y-%m-%d").date()
            except ValueError as error:
                raise CommandError(f"--date: expected YYYY-MM-DD, got {date!r}") from error
        erased = erase_due(today=today, dry_run=dry_run)
        for row in sorted(erased, key=lambda row: (row.cohort, row.kind)):
            self.stdout.write(f"{row.count}\t{row.kind}\t{row.cohort or '-'}\t{row.label}")
        total = sum(row.count for row in erased)
        verb = "would be erased" if dry_run else "erased"
        self.stdout.write(f"{today}: {total} row(s) {verb}.")
