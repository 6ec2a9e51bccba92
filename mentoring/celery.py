"""The Celery application.

Configured from Django settings (``CELERY_*``). Without ``REDIS_URL`` the settings make
tasks run inline (``task_always_eager``), so a laptop needs neither broker nor worker.

Production::

    celery -A mentoring worker --loglevel=INFO
    celery -A mentoring beat --loglevel=INFO
"""

import logging
import os

from celery import Celery, bootsteps

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mentoring.settings")

logger = logging.getLogger(__name__)

app = Celery("mentoring")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


class DrainOutboxOnConnect(bootsteps.StartStopStep):
    """Each time the worker (re)connects to the broker, hands over what waited meanwhile.

    A consumer step starts again after every reconnection (``worker_ready`` fires only
    once). It runs after the task queues were declared anew, which a Redis that restarted
    empty needs, and sends the drain as a task, so the database work happens in the pool.
    """

    requires = ("celery.worker.consumer.tasks:Tasks",)

    def start(self, consumer):
        # To a queue this worker consumes, so that it is this worker that drains; on a
        # new connection, as the pooled ones may still point at the Redis that went away.
        queue = next(iter(consumer.app.amqp.queues.consume_from or {}), None)
        routing = {"queue": queue} if queue else {}
        try:
            with consumer.app.connection_for_write() as connection:
                consumer.app.send_task(
                    "mentoring.drain_outbox",
                    connection=connection,
                    ignore_result=True,
                    expires=60,
                    **routing,
                )
        except Exception:
            # The minutely sweep (Celery beat) drains it all the same.
            logger.exception("outbox drain not queued on connect")


app.steps["consumer"].add(DrainOutboxOnConnect)
