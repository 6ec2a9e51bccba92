import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import (
    BeiratMembershipFactory,
    CohortFactory,
    CohortOrganisationFactory,
    OrganisationFactory,
    ProgrammeOfficeFactory,
    UserFactory,
    WorkshopFactory,
)

pytestmark = pytest.mark.django_db

LIST_PAGES = [
    "/verwaltung/",
    "/verwaltung/cohorts/programme/",
    "/verwaltung/cohorts/cohort/",
    "/verwaltung/cohorts/organisation/",
    "/verwaltung/cohorts/beiratmembership/",
    "/verwaltung/workshops/workshop/",
]


@pytest.fixture
def data():
    cohort = CohortFactory()
    CohortOrganisationFactory(cohort=cohort)
    WorkshopFactory(cohort=cohort)
    membership = BeiratMembershipFactory(programme=cohort.programme)
    return {"cohort": cohort, "officer": membership.user, "own": membership.organisation}


@pytest.mark.parametrize("url", [*LIST_PAGES, "/verwaltung/mentoring/user/"])
def test_programme_office_reaches_every_admin_list(client, data, url):
    client.force_login(ProgrammeOfficeFactory())
    response = client.get(url)
    assert response.status_code == 200


@pytest.mark.parametrize("url", LIST_PAGES)
def test_officer_reaches_the_lists_her_role_allows(client, data, url):
    client.force_login(data["officer"])
    assert client.get(url).status_code == 200


def test_admin_speaks_german(client, data):
    client.force_login(data["officer"])
    html = client.get("/verwaltung/").content.decode()
    assert '<html lang="de"' in html
    assert "Cross-Mentoring – Verwaltung" in html
    assert "Jahrgänge" in html
    assert "Abmelden" in html


def test_officer_sees_no_user_accounts(client, data):
    client.force_login(data["officer"])
    assert client.get("/verwaltung/mentoring/user/").status_code == 403
    html = client.get("/verwaltung/").content.decode()
    assert "/verwaltung/mentoring/user/" not in html


def test_officer_cannot_add_cohorts_or_programmes(client, data):
    client.force_login(data["officer"])
    assert client.get("/verwaltung/cohorts/cohort/add/").status_code == 403
    assert client.get("/verwaltung/cohorts/programme/add/").status_code == 403
    response = client.post(
        f"/verwaltung/cohorts/cohort/{data['cohort'].pk}/change/", {"number": 99}
    )
    assert response.status_code == 403


def test_officer_edits_her_own_organisation_only(client, data):
    client.force_login(data["officer"])
    own, other = data["own"], OrganisationFactory()
    form = {"name": own.name, "kind": "city", "street": "Neue Straße 1", "postcode": "46236"}
    form |= {"city": "Bottrop", "website": "", "latitude": "", "longitude": ""}
    response = client.post(f"/verwaltung/cohorts/organisation/{own.pk}/change/", form)
    assert response.status_code == 302
    own.refresh_from_db()
    assert own.street == "Neue Straße 1"
    form["name"] = other.name
    response = client.post(f"/verwaltung/cohorts/organisation/{other.pk}/change/", form)
    assert response.status_code == 403
    other.refresh_from_db()
    assert other.street == "Rathausplatz 1"


def test_participant_is_sent_to_the_admin_login(client, data):
    client.force_login(UserFactory())
    response = client.get("/verwaltung/cohorts/cohort/")
    assert response.status_code == 302
    assert response["Location"].startswith("/verwaltung/login/")


def test_anonymous_is_sent_to_the_admin_login(client):
    response = client.get("/verwaltung/")
    assert response.status_code == 302


def _admin_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("url", LIST_PAGES[1:])
def test_admin_list_query_count_does_not_grow(client, url):
    office = ProgrammeOfficeFactory()
    client.force_login(office)
    cohort = CohortFactory()
    CohortOrganisationFactory(cohort=cohort)
    WorkshopFactory(cohort=cohort)
    BeiratMembershipFactory(programme=cohort.programme)
    few = _admin_queries(client, url)
    for _ in range(15):
        cohort = CohortFactory()
        CohortOrganisationFactory(cohort=cohort)
        WorkshopFactory(cohort=cohort)
        BeiratMembershipFactory(programme=cohort.programme)
    many = _admin_queries(client, url)
    # Filters list the programmes and cohorts (one query each); rows cost nothing more.
    assert many == few


def test_programme_form_groups_the_call_and_the_procedure(client, data):
    client.force_login(ProgrammeOfficeFactory())
    url = f"/verwaltung/cohorts/programme/{data['cohort'].programme.pk}/change/"
    html = client.get(url).content.decode()
    fieldsets = re.findall(
        r'<fieldset class="module aligned[^"]*"[^>]*>(.*?)</fieldset>', html, re.S
    )
    legends = [re.search(r"<h2[^>]*>([^<]+)</h2>", f) for f in fieldsets]
    grouped = {
        legend.group(1).strip() if legend else None: re.findall(r'\sname="([a-z_]+)"', fieldset)
        for legend, fieldset in zip(legends, fieldsets, strict=True)
    }
    assert grouped == {
        None: ["name", "slug", "organiser", "website"],
        "Ausschreibung": [
            "tagline",
            "description",
            "theme",
            "mentee_requirements",
            "mentor_requirements",
        ],
        "Verfahren": [
            "matching_policy",
            "seats_binding",
            "interview_required",
            "transfer_consent_required",
            "mentors_self_register",
        ],
        "Partnerorganisationen": ["organisations"],
    }
