"""The daily reminder sweep: every app says what is due, this module sends it at most once.

Each app keeps its finders in ``<app>/reminders.py``, decorated with ``@finder``. A finder
gets the day (Europe/Berlin) and yields ``Due`` items; it asks the database a fixed number
of times, whatever the number of tandems or applications. The sweep then drops what the
``SentReminder`` table already holds, claims the rest in chunks (an insert that ignores
conflicts, tagged with this sweep's token, so two sweeps never both win a row) and sends
what it claimed. A sweep that dies after claiming leaves rows "in Zustellung" for the
programme office to see; they are never sent twice.
"""

import logging
import smtplib
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from itertools import islice

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import Model
from django.utils import timezone
from django.utils.module_loading import autodiscover_modules

from .enums import ReminderKind, ReminderStatus
from .mail import is_transient, message_id, templated_mail
from .models import SentReminder

logger = logging.getLogger(__name__)

CLAIM_CHUNK = 25

_finders = []


def finder(function):
    """Registers a function ``(today) -> iterable of Due`` with the sweep."""
    _finders.append(function)
    return function


def registered_finders():
    autodiscover_modules("reminders")
    return list(_finders)


@dataclass(frozen=True)
class Due:
    kind: ReminderKind
    about: Model  # the application, tandem, cohort or workshop the reminder is about
    recipient: Model  # a User
    period: str
    template: str
    context: dict = field(default_factory=dict, compare=False, hash=False)

    def key(self, content_types):
        return (
            self.kind,
            content_types[type(self.about)].pk,
            self.about.pk,
            self.recipient.pk,
            self.period,
        )


@dataclass
class SweepReport:
    day: object
    due: list = field(default_factory=list)  # everything the finders found today
    new: list = field(default_factory=list)  # of those, what no sweep has claimed yet
    outcome: Counter = field(default_factory=Counter)  # ReminderStatus -> count (this sweep)


def find_due(day):
    due = []
    for function in registered_finders():
        due.extend(function(day))
    return due


def sweep(*, now=None, dry_run=False):
    """Finds everything due on ``now``'s day and sends what was not sent before.

    With ``dry_run`` nothing is claimed or sent; the report lists what would be.
    """
    now = now or timezone.now()
    day = timezone.localdate(now)
    report = SweepReport(day=day, due=find_due(day))
    content_types = ContentType.objects.get_for_models(
        *{type(item.about) for item in report.due}, for_concrete_models=False
    )
    keys = {item.key(content_types): item for item in report.due}
    claimed = _claimed(keys)
    report.new = [item for key, item in keys.items() if key not in claimed]
    if dry_run:
        return report
    token = uuid.uuid4()
    for chunk in _chunks(report.new, CLAIM_CHUNK):
        for row, item in _claim(chunk, token, content_types):
            report.outcome[_deliver(row, item)] += 1
    logger.info(
        "reminder sweep %s: %d due, %d new, %s",
        day,
        len(report.due),
        len(report.new),
        dict(report.outcome),
    )
    return report


def _claimed(keys):
    """The keys among ``keys`` that some sweep has claimed already (one query)."""
    if not keys:
        return set()
    kinds = {key[0] for key in keys}
    periods = {key[4] for key in keys}
    rows = SentReminder.objects.filter(kind__in=kinds, period__in=periods).values_list(
        "kind", "content_type_id", "object_id", "recipient_id", "period"
    )
    return set(rows) & keys.keys()


def _claim(items, token, content_types):
    """Inserts ``items`` as pending rows of this sweep; returns the rows this sweep won.

    A row another sweep inserted first is ignored by the insert and keeps that sweep's
    token, so it is not among the rows read back.
    """
    SentReminder.objects.bulk_create(
        [
            SentReminder(
                kind=item.kind,
                content_type=content_types[type(item.about)],
                object_id=item.about.pk,
                recipient=item.recipient,
                period=item.period,
                sweep=token,
            )
            for item in items
        ],
        ignore_conflicts=True,
    )
    by_key = {item.key(content_types): item for item in items}
    won = SentReminder.objects.filter(sweep=token, status=ReminderStatus.PENDING)
    return [
        (row, by_key[(row.kind, row.content_type_id, row.object_id, row.recipient_id, row.period)])
        for row in won
    ]


def _chunks(items, size):
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


def _deliver(row, item):
    """Sends one claimed reminder, retrying transient failures a bounded number of times."""
    try:
        # The same Message-ID scheme as every other mail of the app (``mail.message_id``).
        key = message_id(
            purpose=f"reminder.{row.kind}",
            about=item.about,
            recipient=item.recipient,
            occasion=row.period,
        )
        message = templated_mail(
            template=item.template,
            to=[item.recipient.email],
            context=item.context,
            headers={"Message-ID": key},
        )
    except Exception as error:  # a broken template must not stop the other reminders
        logger.exception("reminder %s to %s could not be rendered", row.kind, row.recipient_id)
        row.status, row.error = ReminderStatus.FAILED, repr(error)[:500]
        row.save(update_fields=["status", "error"])
        return row.status
    row.subject = message.subject[:255]
    attempts = settings.REMINDER_SMTP_ATTEMPTS
    for attempt in range(1, attempts + 1):
        row.attempts = attempt
        try:
            message.send()
        except (smtplib.SMTPException, OSError) as error:
            if is_transient(error) and attempt < attempts:
                time.sleep(settings.REMINDER_RETRY_DELAY_SECONDS * attempt)
                continue
            logger.warning("reminder %s to %s failed: %s", row.kind, row.recipient_id, error)
            row.status, row.error = ReminderStatus.FAILED, (str(error) or repr(error))[:500]
        else:
            row.status, row.sent_at = ReminderStatus.SENT, timezone.now()
        break
    row.save(update_fields=["status", "subject", "attempts", "error", "sent_at"])
    return row.status
