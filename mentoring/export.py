"""A person's copy of her data (right of access, Art. 15 GDPR), as one ZIP.

The ZIP holds ``uebersicht.html`` (readable, self-contained: no script, no external
resource), ``daten.json`` (the same content, machine-readable, keys in English) and her
own files below ``dateien/`` (CV, letter, certificates).

The shared ground floor knows no domain app. Each app offers, in its ``personal_data.py``,
``personal_data(*, user)``, which returns the ``Section`` objects it holds about her;
settings name those modules (``PERSONAL_DATA_PROVIDERS``), as they name the start-page
providers. Every provider answers with a fixed number of queries, so the export's query
count does not grow with what she has.

What is hers, and so in the export: what she entered, what the product recorded about
her and told her (states, released decisions with their reasons, interview dates,
attendance, certificates, mails), what she shares with her tandem partner (the goal
agreement, the partner's name and organisation, that and how the partner logged a
contact), and who opened her documents. What stays out, because it is someone else's
or the Beirat's deliberation: reviews, scores and comments; decisions recorded but not
released; an officer's override of the eligibility check and its justification; the
reason an officer gave for ending a tandem; notes, topics and durations of contacts
the partner logged; other members of a project team; what she, as an officer, wrote
about other people. The overview says so, and where to ask for the rest.
"""

import datetime as dt
import json
import logging
import shutil
import tempfile
import zipfile
from dataclasses import dataclass
from importlib import import_module

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

FORMAT_VERSION = 1
FILES_FOLDER = "dateien"
# Larger archives (many certificates, large PDFs) go to a temporary file, not memory.
IN_MEMORY_BYTES = 16 * 1024 * 1024


@dataclass(frozen=True)
class Facts:
    """Label and value pairs of one thing (an application, her account) for the overview."""

    heading: str
    items: tuple  # ((label, value), ...)
    kind: str = "facts"


@dataclass(frozen=True)
class Table:
    """Rows of like things (consents, contacts, mails) for the overview."""

    heading: str
    columns: tuple
    rows: tuple  # ((value, ...), ...)
    empty: str = ""
    kind: str = "table"


@dataclass(frozen=True)
class Attachment:
    """One of her stored files, copied into the ZIP at ``path`` (below ``dateien/``)."""

    path: str
    stored: object  # a FieldFile


@dataclass(frozen=True)
class Section:
    """What one app holds about her: ``data`` under ``key`` in daten.json, ``parts`` in the
    overview, ``files`` in ``dateien/``. ``note`` says what it leaves out, and why."""

    key: str
    title: str
    data: object
    parts: tuple = ()
    files: tuple = ()
    note: str = ""
    order: int = 50


def file_path(name):
    """The path of an attachment called ``name`` inside the ZIP, as daten.json names it."""
    return f"{FILES_FOLDER}/{name}"


def readable(value):
    """A value as the overview shows it: dates in German, yes/no, "–" for nothing."""
    if value is None or value == "" or value == [] or value == ():
        return "–"
    if isinstance(value, bool):
        return _("ja") if value else _("nein")
    if isinstance(value, dt.datetime):
        return date_format(timezone.localtime(value), "j. F Y, H:i")
    if isinstance(value, dt.date):
        return date_format(value, "j. F Y")
    if isinstance(value, list | tuple):
        return ", ".join(readable(item) for item in value)
    return str(value)


def _providers():
    for path in settings.PERSONAL_DATA_PROVIDERS:
        provider = getattr(import_module(path), "personal_data", None)
        if provider is not None:
            yield provider


def sections_for(user):
    sections = [section for provider in _providers() for section in provider(user=user)]
    return sorted(sections, key=lambda section: (section.order, section.key))


def _readable_part(part):
    if part.kind == "table":
        rows = tuple(tuple(readable(value) for value in row) for row in part.rows)
        return Table(part.heading, part.columns, rows, part.empty)
    return Facts(part.heading, tuple((label, readable(value)) for label, value in part.items))


def _copy_files(archive, sections):
    """Copies each section's files into ``archive``; returns the paths the storage lost."""
    missing = []
    for section in sections:
        for attachment in section.files:
            stored = attachment.stored
            try:
                source = stored.storage.open(stored.name, "rb")
            except OSError:
                logger.warning("personal data export: file %s is missing", stored.name)
                missing.append(attachment.path)
                continue
            with source, archive.open(attachment.path, "w") as target:
                shutil.copyfileobj(source, target)
    return missing


def export_filename(now=None):
    day = timezone.localdate(now or timezone.now())
    return f"meine-daten-{day.isoformat()}.zip"


def personal_data_archive(*, user, now=None):
    """Her data as a ZIP, in a temporary file opened at its start; writes nothing.

    Returns ``(file, filename)``. A file the storage has lost is listed as missing in both
    the overview and daten.json instead of failing the whole export.
    """
    now = now or timezone.now()
    sections = sections_for(user)
    # Handed to the caller open; the response closes it once sent.
    archive_file = tempfile.SpooledTemporaryFile(max_size=IN_MEMORY_BYTES)  # noqa: SIM115
    try:
        _write_archive(archive_file, user=user, now=now, sections=sections)
    except BaseException:
        archive_file.close()
        raise
    archive_file.seek(0)
    return archive_file, export_filename(now)


def _write_archive(archive_file, *, user, now, sections):
    with zipfile.ZipFile(archive_file, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        missing = _copy_files(archive, sections)
        data = {
            "export": {
                "format": "personal-data",
                "version": FORMAT_VERSION,
                "created_at": now,
                "site": settings.SITE_NAME,
                "missing_files": missing,
            },
            **{section.key: section.data for section in sections},
        }
        archive.writestr(
            "daten.json",
            json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2),
        )
        overview = render_to_string(
            "registration/export/overview.html",
            {
                "person": user,
                "created_at": readable(now),
                "site_name": settings.SITE_NAME,
                "language": get_language() or settings.LANGUAGE_CODE,
                "sections": [
                    {
                        "key": section.key,
                        "title": section.title,
                        "note": section.note,
                        "parts": [_readable_part(part) for part in section.parts],
                    }
                    for section in sections
                ],
                "missing": missing,
            },
        )
        archive.writestr("uebersicht.html", overview)
