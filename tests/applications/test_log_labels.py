"""The application's log on its admin page names states in the reader's language."""

import re

import pytest

from applications.enums import ApplicationLogAction, ApplicationState
from applications.models import ApplicationLog
from tests.factories import ApplicationFactory, ProgrammeOfficeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def accepted(db):
    return ApplicationFactory(released=True, release_log__note="passt")


def log_lines(client, application, **headers):
    html = client.get(
        f"/verwaltung/applications/application/{application.pk}/change/", **headers
    ).content.decode()
    section = html.split('id="log-heading"')[1].split("</section>")[0]
    return [
        re.sub(r"\s+", " ", line).strip().split(": ", 1)[1]
        for line in re.findall(r'<div class="form-row">(.*?)</div>', section, re.S)
    ]


def test_log_names_states_in_german(client, accepted):
    client.force_login(ProgrammeOfficeFactory(first_name="Petra", last_name="Büro"))
    assert log_lines(client, accepted) == [
        "Entscheidung versandt (in Prüfung → angenommen) – passt",
        "Statuswechsel (eingereicht → in Prüfung)",
    ]


def test_log_names_states_in_english(client, accepted):
    client.force_login(ProgrammeOfficeFactory())
    client.cookies["django_language"] = "en"
    assert log_lines(client, accepted) == [
        "Decision sent (under review → accepted) – passt",
        "Status change (submitted → under review)",
    ]


def test_log_entry_reads_as_labels():
    entry = ApplicationLog(
        action=ApplicationLogAction.TRANSITION,
        from_state=ApplicationState.IN_REVIEW,
        to_state=ApplicationState.ACCEPTED,
    )
    assert str(entry) == "Statuswechsel: in Prüfung → angenommen"
    assert str(ApplicationLog(action=ApplicationLogAction.ELIGIBILITY_CHECKED)) == (
        "Voraussetzungen geprüft: – → –"
    )
