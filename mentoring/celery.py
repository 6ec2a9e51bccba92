"""The Celery application.

Configured from Django settings (``CELERY_*``). Without ``REDIS_URL`` the settings make
tasks run inline (``task_always_eager``), so a laptop needs neither broker nor worker.

Production::

    celery -A mentoring worker --loglevel=INFO
    celery -A mentoring beat --loglevel=INFO
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mentoring.settings")

app = Celery("mentoring")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
