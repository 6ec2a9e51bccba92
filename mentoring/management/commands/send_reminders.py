from datetime import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from mentoring.reminders import sweep


class Command(BaseCommand):
    help = (
        "Sends every reminder that is due today (deadline, reviews, monthly contact, "
        "escalation, goal agreement, workshops), each at most once. Celery beat runs the "
        "same sweep every morning."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="List what would be sent; send nothing."
        )
        parser.add_argument(
            "--date",
            help="Sweep as on this day (YYYY-MM-DD, 07:00 Europe/Berlin), e.g. to catch up.",
        )

    def handle(self, *args, dry_run, date, **options):
        now = None
        if date:
            try:
                day = datetime.strptime(date, "%Y-%m-%d")
            except ValueError as error:
                raise CommandError(f"--date: expected YYYY-MM-DD, got {date!r}") from error
            now = timezone.make_aware(day.replace(hour=7))
        report = sweep(now=now, dry_run=dry_run)
        if dry_run:
            for item in report.new:
                self.stdout.write(
                    f"{item.kind}\t{item.recipient.email}\t{item.period}\t{item.about}"
                )
            self.stdout.write(
                f"{report.day}: {len(report.new)} reminder(s) would be sent "
                f"({len(report.due) - len(report.new)} due but sent before)."
            )
            return
        counts = ", ".join(f"{count} {status}" for status, count in sorted(report.outcome.items()))
        self.stdout.write(
            f"{report.day}: {len(report.due)} due, {len(report.new)} new"
            + (f" ({counts})" if counts else "")
            + "."
        )
