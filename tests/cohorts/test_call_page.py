import datetime as dt
import re

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cohorts.demo import EMSCHER_LIPPE as EMSCHER_LIPPE_SLUG
from cohorts.demo import ORGANISATIONS, officer_email
from cohorts.enums import CohortState
from tests.factories import (
    EMSCHER_LIPPE,
    BeiratMembershipFactory,
    CohortFactory,
    CohortOrganisationFactory,
    OrganisationFactory,
    WorkshopFactory,
)
from workshops.enums import WorkshopKind

pytestmark = pytest.mark.django_db


# The demo has four active programmes, so the home page lists them and each call has its page.
CALL = f"/programm/{EMSCHER_LIPPE_SLUG}/"


def text_of(response):
    html = response.content.decode()
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def organisation_rows(response):
    return re.findall(r'<th scope="row">([^<]+)</th>', response.content.decode())


@pytest.fixture
def demo():
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115


def test_call_page_presents_programme_and_eligibility(client, demo):
    response = client.get(CALL)
    assert response.status_code == 200
    text = text_of(response)
    assert "„MIT FRAUEN an die Spitze“" in text
    assert "Was ist Cross-Mentoring?" in text
    assert "Mentee und Mentor:in aus unterschiedlichen Kommunalverwaltungen" in text
    for criterion in [
        "Laufbahngruppe 2, 1. Einstiegsamt",
        "Angestelltenlehrgangs II",
        "mindestens nach Bes.-Gr. A 11 bzw. EG 10 / S 15 TVöD bewertet",
        "unbefristeten Beschäftigungsverhältnis",
        "seit mindestens zwei Jahren in der Kommunalverwaltung",
        "Führungspersönlichkeiten mit langjähriger nachgewiesener Personalleitung",
    ]:
        assert criterion in text, criterion


def test_call_page_shows_the_open_cohort_with_deadline_and_workshops(client, demo):
    response = client.get(CALL)
    text = text_of(response)
    cohort = response.context["cohort"]
    assert (cohort.number, cohort.state) == (10, CohortState.OPEN)
    assert response.context["application_open"] is True
    deadline = timezone.localtime(cohort.application_deadline)
    assert f"Bewerbungsschluss {deadline.day}. " in text
    assert "23:59 Uhr" in text
    workshops = response.context["workshops"]
    assert [w.kind for w in workshops] == [
        WorkshopKind.KICK_OFF,
        WorkshopKind.INTERIM,
        WorkshopKind.FINAL,
    ]
    assert all(w.date.weekday() == 1 for w in workshops)  # Tuesdays, as on the flyer
    assert text.count("Gemeinschaftshaus Wulfen Wulfener Markt 5, 46286 Dorsten") == 3


def test_call_page_lists_every_administration_with_its_equality_officer(client, demo):
    response = client.get(CALL)
    assert organisation_rows(response) == EMSCHER_LIPPE
    html = response.content.decode()
    for organisation in ORGANISATIONS:
        assert f'href="mailto:{officer_email(organisation.name)}"' in html
        assert f"{organisation.contact_first} {organisation.contact_last}" in html
    assert "Vorsitz Mentoringbeirat" in html


def test_call_page_links_every_public_cohort(client, demo):
    html = client.get(CALL).content.decode()
    assert re.findall(r'href="(/programm/[^"]+/jahrgang/\d+/)"', html) == [
        f"{CALL}jahrgang/10/",
        f"{CALL}jahrgang/9/",
        f"{CALL}jahrgang/8/",
    ]


def test_finished_cohort_page_shows_its_workshops_as_past(client, demo):
    response = client.get(f"{CALL}jahrgang/8/")
    assert response.status_code == 200
    text = text_of(response)
    cohort = response.context["cohort"]
    assert cohort.state == CohortState.FINISHED
    assert f"8. Jahrgang ({cohort.year})" in text
    assert [w.kind for w in response.context["workshops"]] == [
        WorkshopKind.KICK_OFF,
        WorkshopKind.INTERIM,
        WorkshopKind.FINAL,
    ]
    assert text.count(" vergangen ") == 3
    assert "Abschlussworkshop und Präsentation der Mentee-Teams" in text
    assert response.context["application_open"] is False
    assert organisation_rows(response) == EMSCHER_LIPPE


def test_planned_cohort_page_is_not_public(client):
    cohort = CohortFactory(state=CohortState.PLANNED)
    url = cohort.get_absolute_url()
    assert client.get(url).status_code == 404


def test_unknown_cohort_is_a_german_404(client, demo):
    response = client.get("/programm/mit-frauen-an-die-spitze/jahrgang/99/")
    assert response.status_code == 404
    assert "Seite nicht gefunden" in text_of(response)


def test_without_an_open_cohort_the_call_says_so(client):
    CohortFactory(state=CohortState.FINISHED)
    response = client.get("/")
    assert response.status_code == 200
    assert "Zurzeit ist kein Jahrgang zur Bewerbung ausgeschrieben." in text_of(response)


def _cohort_with(organisations):
    cohort = CohortFactory(state=CohortState.OPEN)
    for _ in range(organisations):
        organisation = OrganisationFactory()
        CohortOrganisationFactory(cohort=cohort, organisation=organisation)
        BeiratMembershipFactory(programme=cohort.programme, organisation=organisation)
    for offset, kind in enumerate(WorkshopKind):
        WorkshopFactory(
            cohort=cohort, kind=kind, date=cohort.start_date + dt.timedelta(days=offset * 90)
        )
    return cohort


def _queries_for_call_page(client):
    cache.clear()  # the queries of rendering it, not of its cached copy
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/")
    assert response.status_code == 200
    return len(queries), response


def test_call_page_query_count_does_not_grow_with_organisations(client):
    _cohort_with(1)
    few, response = _queries_for_call_page(client)
    assert len(organisation_rows(response)) == 1

    cohort = response.context["cohort"]
    for _ in range(19):
        organisation = OrganisationFactory()
        CohortOrganisationFactory(cohort=cohort, organisation=organisation)
        BeiratMembershipFactory(programme=cohort.programme, organisation=organisation)
    many, response = _queries_for_call_page(client)
    assert len(organisation_rows(response)) == 20
    assert many == few
    assert few <= 7
