"""Eligibility reasons, pay-grade errors and the officers' actions in the reader's language.

Reports are stored with German msgids and their values (``eligibility``); they are put
into words when shown, so the same stored report reads in German and in English.
"""

import csv
import datetime as dt
import io
import re

import pytest
from django.utils import timezone, translation

from applications import eligibility, paygrades, services
from applications.eligibility_display import grade_error, render, report_rows
from applications.enums import ApplicationState
from mentoring import dates
from tests.factories import (
    ApplicationFactory,
    CohortFactory,
    MentorApplicationFactory,
    ProgrammeOfficeFactory,
)

# German words that show a German text slipped into an English page.
GERMAN_MARKERS = (
    "Angabe fehlt",
    "gibt es nicht",
    "erfüllt",
    "vormerken",
    "Voraussetzung",
    "bitte manuell prüfen",
    "Mindestanforderung",
    "Kommunalverwaltung",
    "Führungserfahrung",
    "Jahrgang",
)

POLICY = eligibility.Policy(
    participating_organisation_ids=frozenset({1}),
    cohort_start=dt.date(2023, 11, 21),
    mentor_levels=frozenset({"office", "executive"}),
)


def mentee(**changes):
    facts = {
        "organisation_id": 1,
        "qualification": "lg2",
        "pay_scale": "A",
        "pay_grade": "11",
        "permanent": True,
        "service_start": dt.date(2015, 4, 1),
        **changes,
    }
    return eligibility.check_mentee(eligibility.MenteeFacts(**facts), POLICY)


def reasons(report, language):
    with translation.override(language):
        return {row["rule"]: row["reason"] for row in report_rows(report.as_dict())}


def german_markers(text):
    return [marker for marker in GERMAN_MARKERS if marker in text]


# Putting stored reports into words --------------------------------------------------------


def test_choice_values_lists_and_dates_read_in_german():
    report = mentee(qualification="other", service_start=dt.date(2022, 1, 1))
    shown = reasons(report, "de")
    assert shown["qualification"] == (
        "sonstige Qualifikation: erforderlich ist Angestelltenlehrgang II oder "
        "Laufbahngruppe 2, 1. Einstiegsamt."
    )
    assert shown["service"] == (
        "22 Monate in der Kommunalverwaltung bis zum Beginn am 21.11.2023; "
        "erforderlich sind mindestens 24."
    )


def test_missing_facts_and_unknown_grades_read_in_german():
    shown = reasons(mentee(permanent=None, pay_scale="EG", pay_grade="9d"), "de")
    assert shown["permanent"] == "Angabe fehlt: Befristung; bitte manuell prüfen."
    assert shown["pay_grade"].startswith(
        "Die Entgeltgruppe „EG 9d“ gibt es nicht. Gültig sind: EG 1, EG 2, EG 2Ü,"
    )
    assert shown["pay_grade"].endswith("EG 15Ü. Bitte manuell prüfen.")


def test_a_scale_without_minimum_is_named_by_its_label():
    policy = eligibility.Policy(minimum_grades=(("A", "11"),), cohort_start=dt.date(2023, 1, 1))
    facts = eligibility.MenteeFacts(1, "lg2", "S", "15", True, dt.date(2015, 1, 1))
    report = eligibility.check_mentee(facts, policy)
    assert reasons(report, "de")["pay_grade"] == (
        "Für TVöD Sozial- und Erziehungsdienst (S) ist keine Mindestanforderung festgelegt; "
        "bitte manuell prüfen."
    )


def test_mentor_levels_are_named_from_the_top_down():
    facts = eligibility.MentorFacts(1, leadership_years=2, staff_count=4, leadership_level="team")
    shown = reasons(eligibility.check_mentor(facts, POLICY), "de")
    assert shown == {
        "leadership": "2 Jahre Führungserfahrung mit Personalverantwortung; "
        "erforderlich sind mindestens 3.",
        "leadership_level": "Sachgebiets- / Teamleitung: Mentor:innen in diesem Programm haben "
        "die Führungsebene Verwaltungsvorstand / Dezernat oder Amtsleitung.",
        "organisation": "Die Verwaltung nimmt am Jahrgang teil.",
    }


def test_the_same_stored_report_reads_in_english():
    report = mentee(qualification="degree", permanent=None, pay_scale="EG", pay_grade="9d")
    shown = reasons(report, "en")
    assert german_markers(" ".join(shown.values())) == []
    service = reasons(mentee(service_start=dt.date(2022, 1, 1)), "en")["service"]
    assert "21 Nov 2023" in service
    assert german_markers(service) == []
    with translation.override("en"):
        labels = [row["label"] for row in report_rows(report.as_dict())]
    assert german_markers(" ".join(labels)) == []
    assert labels[0] == "Qualification"


def test_a_report_stored_before_parameters_were_kept_shows_as_stored():
    stored = {
        "overall": "manual",
        "results": [
            {
                "rule": "grade",
                "label": "Besoldung",
                "outcome": "manual",
                "reason": "Bitte einzeln prüfen (100 % sicher).",
            }
        ],
    }
    with translation.override("en"):
        rows = report_rows(stored)
    assert rows == [
        {
            "rule": "grade",
            "label": "Besoldung",
            "outcome": "manual",
            "reason": "Bitte einzeln prüfen (100 % sicher).",
        }
    ]


def test_an_unknown_grade_reads_in_each_language():
    with pytest.raises(paygrades.UnknownGrade) as error:
        paygrades.normalise_grade("A", "17")
    with translation.override("de"):
        assert grade_error(error.value).startswith(
            "Die Besoldungsgruppe „A 17“ gibt es nicht. Gültig sind: A 2, A 3,"
        )
    with translation.override("en"):
        english = grade_error(error.value)
    assert "A 17" in english
    assert german_markers(english) == []


def test_render_leaves_a_message_without_values_as_it_is():
    assert render("Die Beschäftigung ist unbefristet.", {}) == "Die Beschäftigung ist unbefristet."
    assert render("", {}) == ""


# Pages -------------------------------------------------------------------------------------


@pytest.fixture
def office(client):
    client.force_login(ProgrammeOfficeFactory())
    return client


def submitted(**kwargs):
    application = ApplicationFactory(
        state=ApplicationState.SUBMITTED, submitted_at=timezone.now(), **kwargs
    )
    services.application_check_eligibility(application=application)
    return application


def change_page(client, application, language):
    client.cookies["django_language"] = language
    response = client.get(f"/verwaltung/applications/application/{application.pk}/change/")
    assert response.status_code == 200
    return response.content.decode()


def report_table(html):
    return re.search(r"<table><thead>.*?</table>", html, re.S).group(0)


@pytest.mark.django_db
def test_the_application_page_and_its_report_read_in_english(office):
    application = submitted(qualification="degree", permanent=None)
    html = change_page(office, application, "en")
    assert '<html lang="en"' in html
    assert german_markers(html) == []
    table = report_table(html)
    assert table.count("<tr>") == 6  # head and five rules


@pytest.mark.django_db
def test_the_application_page_and_its_report_read_in_german(office):
    application = submitted(qualification="degree", permanent=None)
    html = change_page(office, application, "de")
    table = report_table(html)
    assert "Angabe fehlt: Befristung; bitte manuell prüfen." in table
    assert "Hochschulabschluss: Gleichwertigkeit mit Laufbahngruppe 2 bitte prüfen." in table
    assert "Voraussetzungen" in html


@pytest.mark.django_db
def test_a_mentors_report_reads_in_english(office):
    cohort = CohortFactory()
    application = MentorApplicationFactory(
        cohort=cohort,
        state=ApplicationState.SUBMITTED,
        submitted_at=timezone.now(),
        leadership_years=1,
    )
    services.application_check_eligibility(application=application)
    assert german_markers(report_table(change_page(office, application, "en"))) == []


@pytest.mark.django_db
def test_the_list_actions_follow_the_officers_language(office):
    submitted()
    actions = {}
    for language in ("de", "en"):
        office.cookies["django_language"] = language
        html = office.get("/verwaltung/applications/application/").content.decode()
        actions[language] = re.search(r'<select name="action".*?</select>', html, re.S).group(0)
    assert "Entscheidung vormerken: annehmen" in actions["de"]
    assert german_markers(actions["en"]) == []


@pytest.mark.parametrize("language", ["de", "en"])
@pytest.mark.django_db
def test_a_pay_grade_error_is_in_her_language_at_the_field(client, language):
    application = ApplicationFactory()
    client.force_login(application.applicant)
    client.cookies["django_language"] = language
    data = {
        "phone": "02041 1234",
        "organisation": str(application.organisation_id),
        "department": "Fachbereich Finanzen",
        "position_title": "Sachgebietsleitung Haushalt",
        "employment_status": "employee",
        "qualification": "lg2",
        "pay_scale": "EG",
        "pay_grade": "9d",
        "permanent": "True",
        "service_start": "2016-08-01",
        "working_hours": "part_time",
        "motivation": "Text",
        "consent": "on",
    }
    response = client.post(f"/bewerbung/{application.pk}/bearbeiten/", data)
    assert response.status_code == 200
    html = response.content.decode()
    text = re.search(r'id="error_1_id_pay_grade"[^>]*>(?:<strong>)?(.*?)<', html, re.S).group(1)
    assert "EG 9d" in text
    if language == "de":
        assert text.startswith("Die Entgeltgruppe „EG 9d“ gibt es nicht. Gültig sind: EG 1,")
    else:
        assert german_markers(text) == []


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("de", {"Voraussetzungen": "erfüllt", "unbefristet": "ja", "eingereicht am": "SUBMITTED"}),
        ("en", {"Eligibility": "met", "permanent": "yes", "submitted on": "SUBMITTED"}),
    ],
)
@pytest.mark.django_db
def test_the_csv_export_speaks_the_officers_language(office, language, expected):
    application = submitted(service_start=dt.date(2015, 4, 1))
    office.cookies["django_language"] = language
    response = office.post(
        "/verwaltung/applications/application/",
        {"action": "export_csv", "_selected_action": [application.pk], "index": "0"},
    )
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    row = dict(zip(rows[0], rows[1], strict=True))
    with translation.override(language):
        expected = {
            key: dates.short_datetime(application.submitted_at) if value == "SUBMITTED" else value
            for key, value in expected.items()
        }
        since = dates.short_date(application.service_start)
    assert {key: row.get(key) for key in expected} == expected
    assert since in rows[1]
    if language == "en":
        assert german_markers(" ".join(rows[0])) == []
