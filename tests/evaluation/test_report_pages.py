"""The report as a page, a PDF and a workbook: the same figures in each, for those who may
read them, in a number of queries that does not grow with the cohort or the programme."""

from io import BytesIO

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cohorts.enums import BeiratRole
from evaluation import report_views
from evaluation.enums import SurveyKind
from evaluation.models import Survey
from tests.factories import (
    BeiratMembershipFactory,
    CohortFactory,
    ProgrammeOfficeFactory,
    TandemFactory,
)

from .reading import cell, overlapping_words, page_tables, pdf_text, trimmed, workbook_rows
from .report_world import TODAY, aware, world
from .test_report import D

pytestmark = pytest.mark.django_db

S = "< 5"
PARTICIPANTS = "Teilnehmerinnen (Mentees)"
COMPARISON = "Vergleichsgruppe (nicht ausgewählt, mit Einwilligung)"

APPLICATIONS = [
    ["Schritt", "Mentee", "Mentor:in"],
    ["eingereicht", "13", "8"],
    ["Voraussetzungen erfüllt", "11", "7"],
    ["ausgewählt", "6", "7"],
    ["abgeschlossen", "5", "5"],
]
EARLY_ENDINGS = [
    ["Art des Grundes", "Tandems"],
    # Two endings: too few to say why.
    ["berufliche Veränderung", "< 5"],
    ["Arbeitsbelastung / fehlende Zeit", "< 5"],
    ["Krankheit, Elternzeit oder Beurlaubung", "< 5"],
    ["Zusammenarbeit im Tandem", "< 5"],
    ["Ausscheiden aus der Organisation", "< 5"],
    ["sonstiger Grund", "< 5"],
    ["ohne Zuordnung", "< 5"],
]
CONTACTS = [
    ["Monat", "Tandems", "mit Kontakt", "Anteil"],
    ["Februar 2025", "6", "6", "100 %"],
    ["März 2025", "6", "5", "83 %"],
    ["April 2025", "6", "5", "83 %"],
    ["Mai 2025", "6", "5", "83 %"],
    ["Juni 2025", "6", "5", "83 %"],
    ["Juli 2025", "5", "4", "80 %"],
    ["August 2025", "5", "4", "80 %"],
    ["September 2025", "5", "5", "100 %"],
    ["Oktober 2025", "5", "4", "80 %"],
    ["November 2025", "5", "4", "80 %"],
    ["Dezember 2025", "5", "4", "80 %"],
    ["Januar 2026", "5", "5", "100 %"],
]
WORKSHOPS = [
    ["Workshop", "erfasst", "anwesend", "entschuldigt", "abwesend"],
    ["Auftaktworkshop und Tandembildung (05.02.2025)", "7", "6", "1", "0"],
    ["Zwischenworkshop (10.07.2025)", "6", "4", "1", "1"],
    ["Abschlussworkshop und Präsentation der Mentee-Teams (20.01.2026)", S, S, S, S],
    ["Netzwerktreffen (01.04.2026)", "0", "0", "0", "0"],
]
SURVEYS = {
    "survey-baseline-mentee": [
        ["Karriereförderung", "4,3", "6"],
        ["Persönliche Unterstützung", "3,6", "5"],
        ["Vorbild", S, S],
        ["Führungsambition", "4,5", "6"],
    ],
    "survey-first_month-mentee": [
        ["Start des Tandems", "3,6", "5"],
        ["Erstes Tandemgespräch hat stattgefunden (Anteil „ja“)", "80 %", "5"],
        ["Karriereförderung", "4,2", "5"],
        ["Persönliche Unterstützung", "4,6", "5"],
        ["Vorbild", "4,0", "5"],
    ],
    "survey-final-mentee": [
        ["Karriereförderung", "4,4", "6"],
        ["Persönliche Unterstützung", "4,2", "6"],
        ["Vorbild", "4,1", "6"],
        ["Zufriedenheit mit der Tandembildung", "4,2", "6"],
        ["Zufriedenheit mit den Workshops", S, S],
        ["Zufriedenheit mit der Unterstützung durch den Beirat", "5,0", "5"],
    ],
    "survey-final-mentor": [
        ["Karriereförderung", "4,0", "5"],
        ["Persönliche Unterstützung", "–", "0"],
        ["Vorbild", "–", "0"],
        ["Zufriedenheit mit der Tandembildung", "–", "0"],
        ["Zufriedenheit mit den Workshops", "–", "0"],
        ["Zufriedenheit mit der Unterstützung durch den Beirat", "–", "0"],
    ],
}
SURVEY_NAMES = {
    "baseline": "Eingangsbefragung",
    "first_month": "Kurzabfrage nach dem ersten Monat",
    "final": "Abschlussbefragung",
}
OUTCOMES = [
    ["Schritt", PARTICIPANTS, COMPARISON],
    ["Beförderung / Höhergruppierung", "2 (40 %)", "< 5"],
    ["erste oder größere Führungsaufgabe", "1 (20 %)", "< 5"],
    ["horizontale Veränderung", "1 (20 %)", "< 5"],
    ["Bewerbung auf eine Führungsposition", "1 (20 %)", "< 5"],
    ["keine Veränderung", "1 (20 %)", "< 5"],
]
OUTCOME_GROUPS = [
    ["Gruppe", "Personen", "davon mit Angaben"],
    [PARTICIPANTS, "6", "5"],
    [COMPARISON, "5", "3"],
]


@pytest.fixture(autouse=True)
def on_the_day(monkeypatch):
    monkeypatch.setattr(report_views, "localdate", lambda: TODAY)


@pytest.fixture
def built():
    return world()


@pytest.fixture
def cohort(built):
    return built["cohort"]


def urls(cohort):
    base, programme = f"/beirat/jahrgang/{cohort.pk}/", f"/beirat/programm/{cohort.programme_id}/"
    return {
        "page": base + "bericht/",
        "pdf": base + "bericht.pdf",
        "xlsx": base + "bericht.xlsx",
        "programme": programme + "bericht/",
        "programme_pdf": programme + "bericht.pdf",
        "programme_xlsx": programme + "bericht.xlsx",
    }


def test_the_page_shows_every_figure_and_suppresses_small_groups(client, cohort):
    client.force_login(ProgrammeOfficeFactory())
    html = client.get(urls(cohort)["page"]).content.decode()
    tables = page_tables(html)
    assert tables["applications"] == APPLICATIONS
    assert tables["early_endings"] == EARLY_ENDINGS
    assert tables["contacts"] == CONTACTS
    assert tables["workshops"] == WORKSHOPS
    for section, rows in SURVEYS.items():
        assert tables[section] == [["Frage", "Mittelwert / Anteil", "n"], *rows], section
    assert "survey-baseline-mentor" not in tables  # four answers
    assert "Mentor:in: &lt; 5 Antworten – zu wenige für Ergebnisse." in html
    assert "Die Befragung läuft bis zum 20.03.2026" in html
    assert "erscheinen als „&lt; 5“" in html  # the note on small groups, escaped
    assert tables["outcomes"] == OUTCOMES
    assert tables["outcome_groups"] == OUTCOME_GROUPS
    assert "2 von 5 Mentees befördert (40 %), 1 horizontale Veränderung" in html
    # Free text of the group of five shows, escaped; that of the four mentors never does,
    # nor that of the open survey.
    assert "=SUMME(A1)" in html
    assert "Freitexte ohne Namen und in zufälliger Reihenfolge." in html
    assert "Geheim" not in html
    assert "offen</li>" not in html


def test_the_pdf_shows_the_pages_figures(client, cohort):
    client.force_login(ProgrammeOfficeFactory())
    page = page_tables(client.get(urls(cohort)["page"]).content.decode())
    response = client.get(urls(cohort)["pdf"])
    assert response["Content-Type"] == "application/pdf"
    assert (
        response["Content-Disposition"]
        == 'attachment; filename="bericht-jahrgang-8-2026-03-15.pdf"'
    )
    text = pdf_text(response.content)
    assert "VORLAGE FÜR DEN AUSSCHUSS Bericht: " in text
    missing = [" ".join(row) for rows in page.values() for row in rows if " ".join(row) not in text]
    assert missing == []
    assert "2 von 5 Mentees befördert (40 %), 1 horizontale Veränderung" in text
    assert "Geheim" not in text
    # A committee paper is public: not even the free texts of a group of five go in.
    assert "=SUMME(A1)" not in text
    assert "Freitexte der Befragungen stehen nicht in dieser Vorlage" in text
    assert "Freitexte ohne Namen" not in text
    assert "Seite 1 von" in text


def test_the_workbook_shows_the_pages_figures_one_sheet_per_section(client, cohort):
    client.force_login(ProgrammeOfficeFactory())
    page = page_tables(client.get(urls(cohort)["page"]).content.decode())
    response = client.get(urls(cohort)["xlsx"])
    assert response["Content-Disposition"] == (
        'attachment; filename="bericht-jahrgang-8-2026-03-15.xlsx"'
    )
    sheets = {name: trimmed(rows) for name, rows in workbook_rows(response.content).items()}
    assert list(sheets) == [
        "Übersicht",
        "Bewerbungen",
        "Vorzeitige Beendigungen",
        "Monatskontakte",
        "Workshops",
        "Befragungen",
        "Freitexte",
        "Werdegang",
    ]
    assert sheets["Bewerbungen"] == page["applications"]
    assert sheets["Vorzeitige Beendigungen"] == [
        *page["early_endings"],
        ["vorzeitig beendet", "2"],
        ["Tandems insgesamt", "7"],
    ]
    assert sheets["Monatskontakte"] == [
        *page["contacts"],
        ["insgesamt", "65", "56", "86 %"],
        ["Tandems", "7"],
    ]
    workshops = [[f"{title} ({day})", *rest] for title, day, *rest in sheets["Workshops"][1:]]
    assert workshops == page["workshops"][1:]
    surveys = sheets["Befragungen"]
    for section in SURVEYS:
        _survey, kind, role = section.split("-")
        label = {"mentee": "Mentee", "mentor": "Mentor:in"}[role]
        lines = [row[2:] for row in surveys if row[:2] == [SURVEY_NAMES[kind], label]]
        assert lines[1:] == page[section][1:], section
    assert ["Eingangsbefragung", "Mentor:in", "Antworten", S] in surveys
    assert ["Zwischenbefragung", "", "läuft bis zum 20.03.2026"] in surveys
    steps = [[label, cell(a, b), cell(c, d)] for label, a, b, c, d in sheets["Werdegang"][3:8]]
    assert steps == page["outcomes"][1:]
    assert sheets["Werdegang"][1:3] == [
        ["Personen", "6", "", "5"],
        ["davon mit Angaben", "5", "", "3"],
    ]
    free = sheets["Freitexte"]
    assert sorted(row[3] for row in free[1:] if row[0] == "Eingangsbefragung") == [
        "'=SUMME(A1)",  # defused: never a formula
        "Netzwerk",
        "Sichtbarkeit",
    ]
    assert not any("Geheim" in cell for row in free for cell in row)


@pytest.mark.parametrize(("language", "shown"), [("de", "DD.MM.YYYY"), ("en", "D MMM YYYY")])
def test_the_workbooks_days_are_dates_in_the_readers_format(client, cohort, language, shown):
    """Text that looks like a date does not sort or filter as one in a spreadsheet."""
    from openpyxl import load_workbook

    client.force_login(ProgrammeOfficeFactory())
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    for name in ("xlsx", "programme_xlsx"):
        workbook = load_workbook(BytesIO(client.get(urls(cohort)[name]).content))
        overview = {row[0].value: row[1] for row in workbook.worksheets[0].iter_rows() if row[1:]}
        as_of = overview["Stand" if language == "de" else "As of"]
        assert (as_of.value.date(), as_of.number_format) == (TODAY, shown), name
    workshops = load_workbook(BytesIO(client.get(urls(cohort)["xlsx"]).content))["Workshops"]
    days = [row[1] for row in workshops.iter_rows(min_row=2)]
    assert days and all(day.is_date and day.number_format == shown for day in days)


def test_the_workbook_holds_no_formula(client, cohort):
    from openpyxl import load_workbook

    client.force_login(ProgrammeOfficeFactory())
    workbook = load_workbook(BytesIO(client.get(urls(cohort)["xlsx"]).content))
    kinds = {cell.data_type for sheet in workbook for row in sheet.iter_rows() for cell in row}
    assert "f" not in kinds


def test_programme_view_page_pdf_and_workbook(client, cohort):
    client.force_login(ProgrammeOfficeFactory())
    page = page_tables(client.get(urls(cohort)["programme"]).content.decode())
    row = ["8. Jahrgang 2025", "13", "6", "5", "86 %", "40 %", S, "4,4", "4,2", "4,1"]
    assert page["programme"][1:] == [row]
    assert page["programme_contacts"][1:] == [["8. Jahrgang 2025", "86 %"]]
    assert page["programme_promoted"][1:] == [["8. Jahrgang 2025", "40 %", S]]
    text = pdf_text(client.get(urls(cohort)["programme_pdf"]).content)
    assert " ".join(row) in text
    sheets = workbook_rows(client.get(urls(cohort)["programme_xlsx"]).content)
    assert [trimmed(sheets["Jahrgänge"])[1]] == [row]


def test_no_words_of_the_report_pdfs_are_drawn_over_each_other(client, cohort):
    """Long German headings in the programme table's narrow columns ran into the next."""
    client.force_login(ProgrammeOfficeFactory())
    for name in ("pdf", "programme_pdf"):
        assert overlapping_words(client.get(urls(cohort)[name]).content) == [], name


# Who may read it -----------------------------------------------------------------------


def statuses(client, cohort, user):
    client.force_login(user)
    return {name: client.get(url).status_code for name, url in urls(cohort).items()}


def everything(status):
    return dict.fromkeys(
        ("page", "pdf", "xlsx", "programme", "programme_pdf", "programme_xlsx"), status
    )


def test_the_programme_office_and_the_cohorts_beirat_read_it(client, cohort):
    assert statuses(client, cohort, ProgrammeOfficeFactory()) == everything(200)
    programme_seat = BeiratMembershipFactory(programme=cohort.programme).user
    assert statuses(client, cohort, programme_seat) == everything(200)
    cohort_seat = BeiratMembershipFactory(programme=None, cohort=cohort).user
    assert statuses(client, cohort, cohort_seat) == everything(200)


def test_a_beirat_member_of_another_cohort_gets_403(client, cohort):
    elsewhere = BeiratMembershipFactory(role=BeiratRole.CHAIR).user
    assert statuses(client, cohort, elsewhere) == everything(403)
    # A seat on another cohort of the same programme: its comparison, not this cohort.
    sibling = CohortFactory(programme=cohort.programme, number=9)
    neighbour = BeiratMembershipFactory(programme=None, cohort=sibling).user
    assert statuses(client, cohort, neighbour) == {
        **everything(200),
        "page": 403,
        "pdf": 403,
        "xlsx": 403,
    }
    client.force_login(neighbour)
    html = client.get(urls(cohort)["programme"]).content.decode()
    assert f'href="/beirat/jahrgang/{cohort.pk}/bericht/"' not in html


def test_a_participant_gets_403_and_a_visitor_the_login(client, built, cohort):
    mentee = built["mentees"][1].applicant
    assert statuses(client, cohort, mentee) == everything(403)
    client.logout()
    response = client.get(urls(cohort)["page"])
    assert (response.status_code, response["Location"].startswith("/konto/anmelden/")) == (
        302,
        True,
    )


def test_the_beirat_home_links_to_each_cohorts_report(client, cohort):
    client.force_login(BeiratMembershipFactory(programme=cohort.programme).user)
    html = client.get("/beirat/").content.decode()
    assert f'href="/beirat/jahrgang/{cohort.pk}/bericht/"' in html


def test_the_report_links_to_the_programme_view_for_those_who_may_see_it(client, cohort):
    client.force_login(BeiratMembershipFactory(programme=cohort.programme).user)
    html = client.get(urls(cohort)["page"]).content.decode()
    assert f'href="/beirat/programm/{cohort.programme_id}/bericht/"' in html


# Queries ---------------------------------------------------------------------------------


def queries(client, url):
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize("who", ["office", "member"])
def test_the_report_page_does_not_grow_with_the_cohort(client, who):
    small = TandemFactory().cohort
    Survey.objects.create(
        cohort=small, kind=SurveyKind.BASELINE, opens_on=D(2025, 2, 1), closes_on=D(2025, 2, 28)
    )
    big = world(CohortFactory(programme=small.programme, start_date=D(2025, 2, 1),
                              end_date=D(2026, 1, 31), application_opens_at=aware(2024, 9, 1),
                              application_deadline=aware(2024, 11, 1)))["cohort"]  # fmt: skip
    user = (
        ProgrammeOfficeFactory()
        if who == "office"
        else BeiratMembershipFactory(programme=small.programme).user
    )
    client.force_login(user)
    for kind in ("page", "pdf", "xlsx", "programme", "programme_pdf", "programme_xlsx"):
        assert queries(client, urls(small)[kind]) == queries(client, urls(big)[kind]), kind


def test_the_programme_view_does_not_grow_with_its_cohorts(client):
    one = world()["cohort"]
    client.force_login(BeiratMembershipFactory(programme=one.programme).user)
    few = queries(client, urls(one)["programme"])
    for number in (10, 11, 12):
        world(CohortFactory(programme=one.programme, number=number, start_date=D(2025, 2, 1),
                            end_date=D(2026, 1, 31), application_opens_at=aware(2024, 9, 1),
                            application_deadline=aware(2024, 11, 1)))  # fmt: skip
    assert queries(client, urls(one)["programme"]) == few
