"""Settings of the worker and beat processes a test starts (``tests.processes``).

The test settings, but tasks go through Redis for real (with ``task_always_eager`` a beat
process would run its tasks itself), to the queue ``TEST_CELERY_QUEUE`` of the test alone;
and e-mail goes to ``tests.mail_server.FileMailServer``, one file per message, where the
test reads it.
"""

import os

from tests.settings import *  # noqa: F403

CELERY_TASK_ALWAYS_EAGER = False
CELERY_TASK_DEFAULT_QUEUE = os.environ.get("TEST_CELERY_QUEUE", "celery")
EMAIL_BACKEND = "tests.mail_server.FileMailServer"
