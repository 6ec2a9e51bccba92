"""What every app's demo loader shares: the password, the logins it prints, people, PDFs.

The demo is computed from the day it is loaded, so that a running cohort is always in its
fifth month and an open call always open. Everything in it is fictitious: people and
companies are invented, and every address ends in ``example.org``.
"""

import datetime as dt
import functools
import zlib
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.utils import timezone

from .enums import UserRole

DEMO_PASSWORD = "demo-mentoring"  # noqa: S105 -- printed on purpose, for the local demo only
BERLIN = ZoneInfo("Europe/Berlin")

# The programme office of the installation (the Studieninstitut runs the first programme).
PROGRAMME_OFFICE_EMAIL = "programmbuero@studieninstitut.example.org"


@dataclass(frozen=True)
class Login:
    """One line of what ``load_demo`` prints: where, as whom, with which address."""

    programme: str
    role: str
    email: str
    note: str = ""


def berlin(day, hour=0, minute=0):
    """An aware datetime at ``hour:minute`` German time on ``day``."""
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=BERLIN)


def person(email, first_name, last_name, *, role=UserRole.PARTICIPANT, verified=True):
    """The demo person with ``email``, created with the demo password if new."""
    User = get_user_model()
    user, created = User.objects.get_or_create(
        email=email,
        defaults={
            "first_name": first_name,
            "last_name": last_name,
            "role": role,
            "email_verified_at": timezone.now() if verified else None,
        },
    )
    if created:
        user.password = _demo_password_hash()
        user.save(update_fields=["password"])
    return user


@functools.cache
def _demo_password_hash():
    # One hash for every demo person: a strong hasher costs a quarter second per call,
    # which would be most of the demo's loading time.
    return make_password(DEMO_PASSWORD)


def slug(text):
    """``Haltern am See`` → ``haltern-am-see``, for demo e-mail addresses."""
    table = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", " ": "-", ".": ""})
    return text.lower().translate(table).replace("--", "-")


def _pdf_text(text):
    # Latin-1 with PDF string escapes: enough for German names in the standard fonts.
    raw = text.encode("latin-1", "replace").decode("latin-1")
    return raw.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def text_pdf(title, lines):
    """A small, valid one-page PDF with a title and lines of text (Helvetica).

    The demo's CVs and letters are written here rather than shipped as binaries; they pass
    the upload check (``%PDF-`` header, ``%%EOF`` trailer) like any real PDF.
    """
    commands = ["BT", "/F1 16 Tf", "56 780 Td", f"({_pdf_text(title)}) Tj", "/F1 11 Tf"]
    for line in lines:
        commands += ["0 -22 Td", f"({_pdf_text(line)}) Tj"]
    commands.append("ET")
    stream = zlib.compress("\n".join(commands).encode("latin-1"))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)
