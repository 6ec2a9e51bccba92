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
