"""The Beirat chair opens her cohort's report, downloads it as a PDF and as a workbook, and
finds in both the figures of the page; then she compares the programme's cohorts."""

import pytest
from playwright.sync_api import expect

from cohorts.enums import BeiratRole
from evaluation import report_views
from tests.browser.conftest import assert_accessible, assert_reflows
from tests.browser.test_matching_journey import log_in
from tests.evaluation.reading import cell, page_tables, pdf_text, trimmed, workbook_rows
from tests.evaluation.report_world import TODAY, world
from tests.factories import BeiratMembershipFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def download(page, name):
    """Clicks the link ``name``; returns the file's bytes and its suggested name."""
    with page.expect_download() as info:
        page.get_by_role("link", name=name).click()
    return info.value.path().read_bytes(), info.value.suggested_filename


def test_the_chair_downloads_the_report_and_finds_the_pages_figures(page, monkeypatch):
    monkeypatch.setattr(report_views, "localdate", lambda: TODAY)
    cohort = world()["cohort"]
    chair = BeiratMembershipFactory(programme=cohort.programme, role=BeiratRole.CHAIR).user
    title = f"{cohort.programme.name}, {cohort.display_title}"

    log_in(page, chair.email)
    page.get_by_role("link", name="Mentoringbeirat").click()
    page.get_by_role("link", name=f"Bericht {title}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Bericht: {title}")
    expect(page.get_by_role("img", name="Bewerbungen und Auswahl")).to_be_visible()
    expect(page.get_by_role("table", name="Bewerbungen nach Rolle")).to_be_visible()
    assert_accessible(page)
    tables = page_tables(page.content())
    assert tables["applications"][1:] == [
        ["eingereicht", "13", "8"],
        ["Voraussetzungen erfüllt", "11", "7"],
        ["ausgewählt", "6", "7"],
        ["abgeschlossen", "5", "5"],
    ]
    assert tables["outcome_groups"][2] == [
        "Vergleichsgruppe (nicht ausgewählt, mit Einwilligung)",
        "5",
        "3",
    ]

    content, name = download(page, "Als PDF herunterladen (Ausschussvorlage)")
    assert (content[:5], name) == (b"%PDF-", "bericht-jahrgang-8-2026-03-15.pdf")
    text = pdf_text(content)
    rows = [" ".join(row) for section in tables.values() for row in section]
    assert [row for row in rows if row not in text] == []

    content, name = download(page, "Als Excel-Tabelle herunterladen")
    assert name == "bericht-jahrgang-8-2026-03-15.xlsx"
    sheets = {title: trimmed(rows) for title, rows in workbook_rows(content).items()}
    assert sheets["Bewerbungen"] == tables["applications"]
    assert (
        sheets["Vorzeitige Beendigungen"][: len(tables["early_endings"])] == tables["early_endings"]
    )
    assert sheets["Monatskontakte"][: len(tables["contacts"])] == tables["contacts"]
    steps = [[label, cell(a, b), cell(c, d)] for label, a, b, c, d in sheets["Werdegang"][3:8]]
    assert steps == tables["outcomes"][1:]

    for width in (320, 1024):
        page.set_viewport_size({"width": width, "height": 900})
        assert_reflows(page)
    page.set_viewport_size({"width": 1280, "height": 900})
    assert_reflows(page)

    page.get_by_role("link", name="Alle Jahrgänge des Programms vergleichen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Programmbericht: {cohort.programme.name}"
    )
    assert_accessible(page)
    programme = page_tables(page.content())["programme"]
    assert programme[1] == ["8. Jahrgang 2025", "13", "6", "5", "86 %", "40 %", "< 5", "4,4",
                            "4,2", "4,1"]  # fmt: skip
    content, _name = download(page, "Als Excel-Tabelle herunterladen")
    assert trimmed(workbook_rows(content)["Jahrgänge"])[1] == programme[1]
    page.set_viewport_size({"width": 320, "height": 900})
    assert_reflows(page)
