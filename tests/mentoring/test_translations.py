"""The English catalogue is complete, its committed .mo is current, and Django serves it.

The .mo file is committed so that a checkout without gettext still gets English; these tests
make sure nobody forgets to translate a new string or to run ``compilemessages`` afterwards.
"""

import gettext
import os
import re
import shutil
import subprocess

import pytest
from django.conf import settings

CATALOGUE_DIR = settings.BASE_DIR / "locale" / "en" / "LC_MESSAGES"
PO_FILE = CATALOGUE_DIR / "django.po"
MO_FILE = CATALOGUE_DIR / "django.mo"

needs_msgfmt = pytest.mark.skipif(
    shutil.which("msgfmt") is None,
    reason="msgfmt (GNU gettext) is not on PATH; install gettext to check the catalogue",
)


def _statistics(po_file):
    """Count translated, fuzzy and untranslated messages as msgfmt reports them."""
    result = subprocess.run(
        ["msgfmt", "--check-format", "--statistics", "-o", "/dev/null", str(po_file)],
        capture_output=True,
        text=True,
        env={**os.environ, "LC_ALL": "C", "LANGUAGE": ""},
        check=False,
    )
    assert result.returncode == 0, result.stderr
    counts = {"translated": 0, "fuzzy": 0, "untranslated": 0}
    for number, kind in re.findall(r"(\d+) (translated|fuzzy|untranslated)", result.stderr):
        counts[kind] = int(number)
    return counts, result.stderr.strip()


def _catalogue(mo_file):
    with open(mo_file, "rb") as fp:
        return gettext.GNUTranslations(fp)._catalog


@needs_msgfmt
def test_english_catalogue_is_completely_translated():
    counts, report = _statistics(PO_FILE)
    assert counts["translated"] > 0, report
    assert counts["untranslated"] == 0, report
    assert counts["fuzzy"] == 0, report


@needs_msgfmt
def test_committed_mo_file_matches_the_po_file(tmp_path):
    assert MO_FILE.exists(), "run: python manage.py compilemessages -l en"
    compiled = tmp_path / "django.mo"
    # The same call Django's compilemessages makes.
    subprocess.run(
        ["msgfmt", "--check-format", "-o", str(compiled), str(PO_FILE)],
        check=True,
        capture_output=True,
    )
    if compiled.read_bytes() == MO_FILE.read_bytes():
        return
    # Another gettext version may lay out the file differently; what counts is the content.
    assert _catalogue(compiled) == _catalogue(MO_FILE), (
        "locale/en/LC_MESSAGES/django.mo is out of date; "
        "run: python manage.py compilemessages -l en"
    )


@pytest.mark.django_db
def test_legal_notice_is_served_in_english(client):
    response = client.get("/impressum/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="en"' in html
    assert "<h1>Legal notice</h1>" in html
    assert "<h1>Impressum</h1>" not in html
    assert "Angaben gemäß" not in html


# Every string of the code has its English, not only those already in the catalogue ---------


@needs_msgfmt
def test_every_string_of_templates_and_code_is_in_the_catalogue_and_translated(tmp_path, settings):
    """Extracts the messages afresh into a copy of the catalogue and finds none untranslated."""
    from django.core.management import call_command

    # makemessages writes to the "locale" directory next to the code it reads; a tree of
    # links to the code with a copy of the catalogue keeps the real one untouched.
    for entry in settings.BASE_DIR.iterdir():
        if entry.name not in {"locale", ".git", ".venv", "build", "tests", "node_modules"}:
            (tmp_path / entry.name).symlink_to(entry)
    copy = tmp_path / "locale" / "en" / "LC_MESSAGES"
    copy.mkdir(parents=True)
    shutil.copy(PO_FILE, copy / "django.po")
    settings.LOCALE_PATHS = [tmp_path / "locale"]
    cwd = os.getcwd()
    os.chdir(tmp_path)
    try:
        call_command("makemessages", "-l", "en", "--no-obsolete", "--symlinks", verbosity=0)
    finally:
        os.chdir(cwd)
    counts, report = _statistics(copy / "django.po")
    assert counts["untranslated"] == 0 and counts["fuzzy"] == 0, (
        f"{report}: run `make messages` and translate the new strings"
    )


DATE_FILTER = re.compile(r"\|\s*(?:date|time)\s*:\s*[\"']([^\"']*)[\"']")
NAMED_FORMATS = {
    "DATE_FORMAT",
    "DATETIME_FORMAT",
    "SHORT_DATE_FORMAT",
    "SHORT_DATETIME_FORMAT",
    "YEAR_MONTH_FORMAT",
    "MONTH_DAY_FORMAT",
    "TIME_FORMAT",
    # Machine-readable values (an <input type="date">'s value, <time datetime>), not text.
    "Y-m-d",
    "c",
}


def test_no_template_spells_out_a_date_format():
    """Dates follow the reader's language (mentoring/formats), so templates name formats only."""
    spelled_out = []
    for directory in [settings.BASE_DIR / "templates", *settings.BASE_DIR.glob("*/templates")]:
        for path in directory.rglob("*"):
            if path.suffix not in {".html", ".txt"}:
                continue
            for number, line in enumerate(path.read_text().splitlines(), 1):
                for found in DATE_FILTER.findall(line):
                    if found not in NAMED_FORMATS:
                        spelled_out.append(
                            f"{path.relative_to(settings.BASE_DIR)}:{number}: {found}"
                        )
    assert spelled_out == []


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("de", ["30. November 2026", "30.11.2026", "Montag, 30. November 2026, 14:05"]),
        ("en", ["30 November 2026", "30 Nov 2026", "Monday, 30 November 2026, 14:05"]),
    ],
)
def test_dates_read_the_same_way_in_each_language(language, expected):
    import datetime

    from django.template import Context, Template
    from django.utils import translation

    template = Template(
        '{% load dates %}{{ day|date:"DATE_FORMAT" }}|{{ day|date:"SHORT_DATE_FORMAT" }}|'
        "{{ moment|weekday_datetime }}"
    )
    moment = datetime.datetime(2026, 11, 30, 14, 5)
    with translation.override(language):
        rendered = template.render(Context({"day": moment.date(), "moment": moment}))
    assert rendered.split("|") == expected
