"""Background tasks that survive a Redis outage: stored with the action, handed over after.

``enqueue`` writes an ``OutboxTask`` row in the caller's transaction, so what a person did
and the work it causes (a confirmation e-mail, a certificate print) are committed together
or not at all. After the commit it tries once to hand the row to the broker, with a short
timeout (``OUTBOX_PUBLISH_TIMEOUT``) and no retries: when Redis is away the row stays
"wartet" with the error, and the person who clicked gets her normal answer at once.

``drain`` hands over whatever waits, oldest first. Celery beat runs it every minute
(``mentoring.drain_outbox``), and every worker each time it (re)connects to the broker
(``DrainOutboxOnConnect`` in ``mentoring.celery``). Rows are taken with
``SELECT ... FOR UPDATE SKIP LOCKED``, so two drains never hand over the same row; a drain
that dies holding rows leaves them to the next, as PostgreSQL ends its transaction with
its connection.

A row is marked "übergeben" in the transaction that holds its lock, after the broker took
the message; should that commit be lost, the row is handed over again. The tasks sent this
way are idempotent for that reason (``mentoring.mail.send_once``, the batch's claim), and a
broker that restarts empty loses nothing that was not yet marked.

Each hand-over uses a connection of its own, which declares the queue again: a Redis that
came back empty has lost the queue's binding, and a pooled connection that declared it
before would publish into nowhere until a worker declared it anew.

Without a broker (``CELERY_TASK_ALWAYS_EAGER``: ``make run``, most tests) the task runs
inline once the action is committed.
"""

import logging
import time

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import autodiscover_modules

from .celery import app
from .enums import OutboxState
from .models import OutboxTask

logger = logging.getLogger(__name__)

# Rows locked and handed over per transaction; a drain takes batches until none is left.
BATCH_SIZE = 100
# A drain stops after this many batches; the next one (a minute later) goes on.
MAX_BATCHES = 50
# After a failed hand-over, the rows queued by this process's next actions wait for the
# sweep instead of trying again: an action that queues many tasks (publishing a matching)
# must not wait for one timeout per task while the broker is away.
PAUSE_AFTER_FAILURE_SECONDS = 10

_paused_until = 0.0


def enqueue(task, *args, **kwargs):
    """Stores ``task`` (a Celery task or its registered name) to run after the commit.

    ``args`` and ``kwargs`` must be JSON: primary keys and short strings, as the tasks
    take them. Call it inside the transaction of the action that causes the task; outside
    one the row is committed, and handed over, at once. Returns the row.
    """
    name = task if isinstance(task, str) else task.name
    if _task(name) is None:
        raise ValueError(f"No Celery task is registered as {name!r}.")
    row = OutboxTask.objects.create(task=name, args=list(args), kwargs=kwargs)
    transaction.on_commit(lambda pk=row.pk: dispatch(pk))
    return row


def dispatch(pk):
    """Hands the row ``pk`` over right after its commit; never raises for a broker failure.

    Returns the number of rows handed over (0 or 1).
    """
    if app.conf.task_always_eager:
        return _run_inline(OutboxTask.objects.filter(pk=pk))
    if time.monotonic() < _paused_until:
        logger.info("outbox task %s waits for the sweep: the broker failed just now", pk)
        return 0
    try:
        return _hand_over(OutboxTask.objects.filter(pk=pk))
    except Exception:
        # Whatever went wrong after the commit, the action itself succeeded and the row
        # waits for the sweep; the person who clicked must not see an error for it.
        logger.exception("outbox task %s not handed over; it waits for the sweep", pk)
        return 0


def drain():
    """Hands over every waiting row, oldest first; returns how many were handed over.

    Stops at the first broker failure (the rest wait for the next drain). Safe to run in
    several processes at once.
    """
    if app.conf.task_always_eager:
        return _run_inline(OutboxTask.objects.all())
    return _hand_over(OutboxTask.objects.all())


def _task(name):
    """The registered task ``name``, or None; imports every app's tasks module if needed
    (a web process has not necessarily imported the one that declares it)."""
    if name not in app.tasks:
        # Not Celery's own import_default_modules: in a Django process that runs every
        # system check first, seconds a person would wait.
        autodiscover_modules("tasks")
    return app.tasks.get(name)


def _pending(queryset):
    return (
        queryset.select_for_update(skip_locked=True)
        .filter(state=OutboxState.PENDING)
        .order_by("created_at", "pk")[:BATCH_SIZE]
    )


def _mark_dispatched(rows):
    now = timezone.now()
    for row in rows:
        row.state = OutboxState.DISPATCHED
        row.dispatched_at = now
        row.attempts += 1
        row.error = ""
    OutboxTask.objects.bulk_update(rows, ["state", "dispatched_at", "attempts", "error"])


def _broker_connection():
    """A new connection to the broker that gives up after ``OUTBOX_PUBLISH_TIMEOUT``."""
    timeout = settings.OUTBOX_PUBLISH_TIMEOUT
    return app.connection_for_write(
        connect_timeout=timeout,
        transport_options={
            "max_retries": 0,
            "socket_connect_timeout": timeout,
            "socket_timeout": timeout,
            "retry_on_timeout": False,
        },
    )


def _publish(row, connection):
    # No result is kept: nobody waits for one, and subscribing to it would make the
    # publication depend on the result backend (and its long retries) as well.
    app.send_task(
        row.task,
        args=row.args,
        kwargs=row.kwargs,
        connection=connection,
        ignore_result=True,
        retry=False,
    )


def _hand_over(queryset):
    global _paused_until
    handed = 0
    with _broker_connection() as connection:
        for _batch in range(MAX_BATCHES):
            failure = None
            with transaction.atomic():
                rows = list(_pending(queryset))
                sent = []
                for row in rows:
                    try:
                        _publish(row, connection)
                    except Exception as error:
                        failure = (row, error)
                        break
                    sent.append(row)
                _mark_dispatched(sent)
                if failure is not None:
                    row, error = failure
                    text = (str(error) or repr(error))[:500]
                    OutboxTask.objects.filter(pk=row.pk).update(
                        attempts=row.attempts + 1, error=text
                    )
            handed += len(sent)
            if failure is not None:
                _paused_until = time.monotonic() + PAUSE_AFTER_FAILURE_SECONDS
                logger.warning(
                    "broker unavailable; outbox task %s (%s) and later ones wait: %s",
                    failure[0].pk,
                    failure[0].task,
                    text,
                )
                break
            _paused_until = 0.0
            if len(rows) < BATCH_SIZE:
                break
    return handed


def _run_inline(queryset):
    """Without a broker: marks the rows as handed over, then runs each task here.

    A task that fails is logged and does not fail the action that queued it, as with a
    worker: the action was committed before.
    """
    with transaction.atomic():
        rows = list(_pending(queryset))
        _mark_dispatched(rows)
    for row in rows:
        try:
            _task(row.task).apply_async(args=row.args, kwargs=row.kwargs)
        except Exception:
            logger.exception("outbox task %s (%s) failed", row.pk, row.task)
    return len(rows)
