"""The daily reminder sweep: every app says what is due, this module sends it once.

Each app keeps its finders in ``<app>/reminders.py``, decorated with ``@finder``. A finder
gets the day (Europe/Berlin) and yields ``Due`` items; it asks the database a fixed number
of times, whatever the number of tandems or applications. Beside it, the decorator names
the rule it follows in the recipient's words and whom it applies to, for her account page
(``mentoring.subscriptions``). The sweep then drops what the
``SentReminder`` table already holds, claims all the rest (inserts that ignore conflicts,
tagged with this sweep's token, so two sweeps never both win a row) and then sends what it
claimed, one e-mail after the other over one connection to the mail server, each marked
sent before the next goes out.

A sweep that dies leaves its unsent rows "in Zustellung". While it lives it keeps its
claims fresh (before an e-mail goes out, it renews all of them once they are a third of
``MAIL_CLAIM_STALE_SECONDS`` old, and checks that this one is still its own), so a claim
older than ``MAIL_CLAIM_STALE_SECONDS`` was left by a dead sweep: the next sweep takes it
over, and so does ``resume``, which Celery beat runs every ``RESUME_INTERVAL_SECONDS``. The
taken-over reminder is written from the finders of the day it was due and carries the same
Message-ID (``mail.message_id``), so a server or client that got it before can drop the
copy. A reminder is sent twice only if a sweep dies after the mail server accepted it and
before its row says so: at most one e-mail per dead sweep, since a sweep sends one at a
time and marks each before the next.
"""

import logging
import smtplib
import time
import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from itertools import islice

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.mail import get_connection
from django.db import connection, transaction
from django.db.models import Model, Q
from django.utils import timezone
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext as _

from . import outbox
from .enums import ReminderKind, ReminderLogAction, ReminderStatus
from .mail import is_transient, message_id, templated_mail
from .models import ReminderLog, SentReminder

logger = logging.getLogger(__name__)

CLAIM_CHUNK = 500

_finders = []
_rules = []


@dataclass(frozen=True)
class Rule:
    """A kind of reminder as its recipient reads it on her account page."""

    kind: ReminderKind
    text: str  # when it is sent, in the recipient's words (lazily translated)
    # ``(user) -> (applies, why not)``: one query, whatever the person's history. Rules
    # that share this function share its query on the account page.
    applies_to: Callable


def finder(*, kind, rule, applies_to):
    """Registers a function ``(today) -> iterable of Due`` with the sweep, and its ``Rule``
    (the ``rule`` in words and whom it ``applies_to``) with the account page."""

    def register(function):
        _finders.append(function)
        _rules.append(Rule(kind=kind, text=rule, applies_to=applies_to))
        return function

    return register


def registered_finders():
    autodiscover_modules("reminders")
    return list(_finders)


def registered_rules():
    """Every app's rules, in the order of ``ReminderKind``."""
    autodiscover_modules("reminders")
    return sorted(_rules, key=lambda rule: ReminderKind.values.index(rule.kind))


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
    taken_over: int = 0  # claims a dead sweep had left, taken over by this one
    waiting: int = 0  # left pending for ``resume``: the mail server could not be reached

    def __str__(self):
        counts = ", ".join(f"{count} {status}" for status, count in sorted(self.outcome.items()))
        counts = f" ({counts})" if counts else ""
        waiting = f", {self.waiting} waiting for the mail server" if self.waiting else ""
        return f"{self.day}: {self.taken_over} taken over{counts}{waiting}"


def find_due(day):
    due = []
    for function in registered_finders():
        due.extend(function(day))
    return due


def sweep(*, now=None, dry_run=False):
    """Finds everything due on ``now``'s day and sends what was not sent before.

    Also sends what a sweep of the same day that died left claimed (see the module's
    docstring). With ``dry_run`` nothing is claimed or sent; the report lists what would be.
    """
    return _sweep(timezone.localdate(now or timezone.now()), dry_run=dry_run)


def resume():
    """Sends the reminders whose claim a dead sweep left behind (Celery beat, every
    ``RESUME_INTERVAL_SECONDS``); returns one report per day they were due on.

    Asks nothing but one indexed query when there are none. For today it is the whole
    sweep again, which also sends what the dead sweep had found but not yet claimed; for
    an earlier day only the claims are taken over.
    """
    days = list(
        _stale(SentReminder.objects.all())
        .order_by("due_on")
        .values_list("due_on", flat=True)
        .distinct()
    )
    today = timezone.localdate()
    return [_sweep(day, claim_new=day == today) for day in days]


def resend(*, reminders, actor):
    """Sends those of ``reminders`` that failed again, each with its first Message-ID.

    Marks them as claimed by nobody and queues ``resume``, which takes them over within
    seconds and writes each from the finders of the day it was due. A reminder that those
    no longer find (its reason went away) is not sent, and its row says so. Records in each
    reminder's log (``ReminderLog``) who sent it again and why it had failed. Returns how
    many were queued.
    """
    with transaction.atomic():
        failed = list(
            SentReminder.objects.select_for_update()
            .filter(pk__in=reminders.values("pk"), status=ReminderStatus.FAILED)
            .order_by("pk")
        )
        SentReminder.objects.filter(pk__in=[row.pk for row in failed]).update(
            status=ReminderStatus.PENDING, claimed_at=None, error=""
        )
        ReminderLog.objects.bulk_create(
            ReminderLog(
                reminder=row,
                actor=actor,
                action=ReminderLogAction.RESENT,
                from_state=ReminderStatus.FAILED,
                note=row.error,
            )
            for row in failed
        )
        if failed:
            outbox.enqueue("mentoring.resume_reminders")
    logger.info("%d failed reminder(s) queued again by %s", len(failed), actor.pk)
    return len(failed)


class MailServerUnreachable(Exception):
    """No connection to the mail server, after every try: the sweep stops sending."""


def _sweep(day, *, claim_new=True, dry_run=False):
    report = SweepReport(day=day, due=find_due(day))
    content_types = ContentType.objects.get_for_models(
        *{type(item.about) for item in report.due}, for_concrete_models=False
    )
    keys = {item.key(content_types): item for item in report.due}
    claimed = _claimed(keys)
    if claim_new:
        report.new = [item for key, item in keys.items() if key not in claimed]
    if dry_run:
        return report
    token = uuid.uuid4()
    claims = _Claims(token)  # before the first claim is written: on the safe side
    for chunk in _chunks(report.new, CLAIM_CHUNK):
        _claim(chunk, token, content_types, day)
    report.taken_over = _stale(SentReminder.objects.filter(due_on=day)).update(
        sweep=token, claimed_at=timezone.now()
    )
    rows = SentReminder.objects.filter(sweep=token, status=ReminderStatus.PENDING)
    # One connection to the mail server for all, opened by the first e-mail within its own
    # error handling: a server that cannot be reached stops the sending, not the sweep, and
    # fails no e-mail.
    connection = get_connection()
    try:
        for row in rows.order_by("pk"):
            item = keys.get(
                (row.kind, row.content_type_id, row.object_id, row.recipient_id, row.period)
            )
            status = _deliver(row, item, claims, connection) if item is not None else _not_due(row)
            if status is not None:
                report.outcome[status] += 1
    except MailServerUnreachable as error:
        # Nothing failed: the rest keep their claims, which ``resume`` takes over once they
        # are stale (``MAIL_CLAIM_STALE_SECONDS``), and tries the server again then.
        report.waiting = rows.count()
        logger.warning(
            "reminder sweep %s: mail server unreachable (%s); %d reminder(s) wait",
            day,
            error,
            report.waiting,
        )
    finally:
        connection.close()
    logger.info(
        "reminder sweep %s: %d due, %d new, %d taken over, %s",
        day,
        len(report.due),
        len(report.new),
        report.taken_over,
        dict(report.outcome),
    )
    return report


def _stale(queryset):
    """The rows of ``queryset`` claimed by nobody, or by a sweep that has died."""
    threshold = timezone.now() - timedelta(seconds=settings.MAIL_CLAIM_STALE_SECONDS)
    return queryset.filter(status=ReminderStatus.PENDING).filter(
        Q(claimed_at__isnull=True) | Q(claimed_at__lt=threshold)
    )


class _Claims:
    """The pending claims of a sweep, kept fresh while it works, so that none looks abandoned."""

    def __init__(self, token):
        self.token = token
        self.renewed = time.monotonic()

    def hold(self, row, attempt):
        """Whether ``row`` is still this sweep's to send, right before a try: False if
        another sweep took it over (this one had stalled) or it is gone (the person was
        erased meanwhile). Every third of ``MAIL_CLAIM_STALE_SECONDS``, first renews all
        the sweep's claims, so that those still waiting never look abandoned.
        """
        if time.monotonic() - self.renewed >= settings.MAIL_CLAIM_STALE_SECONDS / 3:
            renewed = time.monotonic()
            SentReminder.objects.filter(sweep=self.token, status=ReminderStatus.PENDING).update(
                claimed_at=timezone.now()
            )
            self.renewed = renewed
        return _hold(row, attempt)


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


def _claim(items, token, content_types, day):
    """Inserts ``items`` as pending rows of this sweep.

    A row another sweep inserted first is ignored by the insert and keeps that sweep's
    token, so it is not among the rows this sweep reads back.
    """
    now = timezone.now()
    SentReminder.objects.bulk_create(
        [
            SentReminder(
                kind=item.kind,
                content_type=content_types[type(item.about)],
                object_id=item.about.pk,
                recipient=item.recipient,
                period=item.period,
                sweep=token,
                due_on=day,
                claimed_at=now,
            )
            for item in items
        ],
        ignore_conflicts=True,
    )


def _chunks(items, size):
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


def _hold(row, attempt):
    """Renews the claim on ``row``; False if another sweep took it over."""
    held = {"sweep": row.sweep, "status": ReminderStatus.PENDING}
    return _update(row, {"claimed_at": timezone.now(), "attempts": attempt}, where=held) == 1


def _finish(row, **fields):
    """Records the outcome, unless another sweep has taken the row over meanwhile."""
    for name, value in fields.items():
        setattr(row, name, value)
    _update(row, fields, where={"sweep": row.sweep})
    return row.status


def _update(row, fields, *, where):
    """``SentReminder.objects.filter(pk=row.pk, **where).update(**fields)``; the number of
    rows changed.

    Written in SQL: it runs twice per e-mail, and the ORM's building of it took longer
    than the database took to run it.
    """
    opts, quote = SentReminder._meta, connection.ops.quote_name
    columns = [opts.get_field(name) for name in fields]
    conditions = [opts.get_field(name) for name in where]
    assignments = ", ".join(f"{quote(column.column)} = %s" for column in columns)
    matches = " AND ".join(f"{quote(column.column)} = %s" for column in conditions)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {quote(opts.db_table)} SET {assignments} "  # noqa: S608 -- names from the model
            f"WHERE {quote(opts.pk.column)} = %s AND {matches}",
            [
                *(column.get_db_prep_save(fields[column.name], connection) for column in columns),
                row.pk,
                *(cond.get_db_prep_value(where[cond.name], connection) for cond in conditions),
            ],
        )
        return cursor.rowcount


def _not_due(row):
    """A taken-over claim that the finders of its day no longer find: nothing to write."""
    logger.info("reminder %s (%s) is no longer due; not sent", row.pk, row.kind)
    return _finish(
        row,
        status=ReminderStatus.FAILED,
        error=_("Bei der Wiederaufnahme nicht mehr fällig; nicht gesendet."),
    )


def _deliver(row, item, claims, connection):
    """Sends one claimed reminder over ``connection``, retrying transient failures a
    bounded number of times, and records the outcome before the next one goes out.

    Returns its new status, or None if another sweep took it over (this one had stalled).
    """
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
            language=item.recipient.language,
            headers={"Message-ID": key},
        )
    except Exception as error:  # a broken template must not stop the other reminders
        logger.exception("reminder %s to %s could not be rendered", row.kind, row.recipient_id)
        return _finish(row, status=ReminderStatus.FAILED, error=repr(error)[:500])
    subject = message.subject[:255]
    attempts = settings.REMINDER_SMTP_ATTEMPTS
    message.connection = connection
    for attempt in range(1, attempts + 1):
        if not claims.hold(row, attempt):
            logger.warning("reminder %s was taken over by another sweep", row.pk)
            return None
        try:
            connection.open()  # at once if it is open already
        except (smtplib.SMTPException, OSError) as error:
            if attempt < attempts:
                time.sleep(settings.REMINDER_RETRY_DELAY_SECONDS * attempt)
                continue
            raise MailServerUnreachable(str(error) or repr(error)) from error
        try:
            message.send()
        except (smtplib.SMTPException, OSError) as error:
            _reconnect(connection)
            if is_transient(error) and attempt < attempts:
                time.sleep(settings.REMINDER_RETRY_DELAY_SECONDS * attempt)
                continue
            logger.warning("reminder %s to %s failed: %s", row.kind, row.recipient_id, error)
            return _finish(
                row,
                status=ReminderStatus.FAILED,
                subject=subject,
                attempts=attempt,
                error=(str(error) or repr(error))[:500],
            )
        return _finish(
            row,
            status=ReminderStatus.SENT,
            subject=subject,
            attempts=attempt,
            error="",
            sent_at=timezone.now(),
        )
    return None  # not reached: the last try records its outcome


def _reconnect(connection):
    """After a failure, a new connection for the next e-mail: the server may have hung up."""
    connection.close()
    try:
        connection.open()
    except (smtplib.SMTPException, OSError):
        # The next try opens one for itself (and fails in its turn, if the server is gone).
        logger.warning("no new connection to the mail server", exc_info=True)
