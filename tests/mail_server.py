"""The outside world of a worker process that a test starts: a mail server in a folder.

``FileMailServer`` keeps each message it accepts as a file in ``TEST_MAIL_DIR``, which the
test reads (``received``). ``TEST_MAIL_HANG_AT=n`` makes it hang on the n-th message of the
folder, before it accepts it, or, with ``TEST_MAIL_HANG_AFTER=1``, right after: it writes
the file ``hanging`` and waits, so that the test kills the worker at exactly that point.
"""

import email
import email.policy
import os
import time
import uuid
from pathlib import Path

from django.core.mail.backends.base import BaseEmailBackend

HANGING = "hanging"


class FileMailServer(BaseEmailBackend):
    def send_messages(self, messages):
        folder = Path(os.environ["TEST_MAIL_DIR"])
        hang_at = int(os.environ.get("TEST_MAIL_HANG_AT", "0"))
        after = os.environ.get("TEST_MAIL_HANG_AFTER", "") == "1"
        for message in messages:
            number = len(list(folder.glob("*.eml"))) + 1
            if number == hang_at and not after:
                _hang(folder)
            name = f"{time.time_ns():020d}-{uuid.uuid4().hex}"
            staged = folder / f".{name}.tmp"
            staged.write_bytes(message.message().as_bytes())
            staged.rename(folder / f"{name}.eml")  # whole, or not at all
            if number == hang_at and after:
                _hang(folder)
        return len(messages)


def _hang(folder):
    (folder / HANGING).write_text(str(os.getpid()))
    time.sleep(3600)


def received(folder):
    """The messages accepted so far, in the order they came: (To, Message-ID) each."""
    messages = [
        email.message_from_bytes(path.read_bytes()) for path in sorted(folder.glob("*.eml"))
    ]
    # A long header comes folded onto a second line; its value is the same unfolded.
    return [
        tuple(" ".join(message[name].split()) for name in ("To", "Message-ID"))
        for message in messages
    ]
