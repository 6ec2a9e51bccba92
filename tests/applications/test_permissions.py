"""Who reaches which application URL: every role against every page, file and export.

An officer of Bottrop never sees a Gladbeck application, anywhere.
"""

import pytest
from django.utils import timezone

from applications.enums import ApplicationState
from cohorts.enums import BeiratRole
from tests.factories import (
    ApplicationFactory,
    BeiratMembershipFactory,
    CohortFactory,
    CohortOrganisationFactory,
    OrganisationFactory,
    ProgrammeOfficeFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "applicant_a", "applicant_b", "bottrop", "gladbeck", "chair", "office"]


@pytest.fixture
def world():
    cohort = CohortFactory()
    bottrop = OrganisationFactory(name="Stadt Bottrop")
    gladbeck = OrganisationFactory(name="Stadt Gladbeck")
    kreis = OrganisationFactory(name="Kreis Recklinghausen")
    for organisation in (bottrop, gladbeck, kreis):
        CohortOrganisationFactory(cohort=cohort, organisation=organisation)
    people = {
        "anonymous": None,
        "applicant_a": UserFactory(first_name="Anna", last_name="Bottroperin"),
        "applicant_b": UserFactory(first_name="Berta", last_name="Gladbeckerin"),
        "bottrop": BeiratMembershipFactory(programme=cohort.programme, organisation=bottrop).user,
        "gladbeck": BeiratMembershipFactory(programme=cohort.programme, organisation=gladbeck).user,
        "chair": BeiratMembershipFactory(
            programme=cohort.programme, organisation=kreis, role=BeiratRole.CHAIR
        ).user,
        "office": ProgrammeOfficeFactory(),
    }
    submitted = {"state": ApplicationState.SUBMITTED, "submitted_at": timezone.now()}
    a = ApplicationFactory(
        cohort=cohort, applicant=people["applicant_a"], organisation=bottrop, **submitted
    )
    b = ApplicationFactory(
        cohort=cohort, applicant=people["applicant_b"], organisation=gladbeck, **submitted
    )
    return {"cohort": cohort, "people": people, "a": a, "b": b}


def status_for(client, world, role, url, method="get", data=None):
    person = world["people"][role]
    if person is not None:
        client.force_login(person)
    response = getattr(client, method)(url, data or {})
    return response


# expected status of (role) for application A (Bottrop, submitted)
MATRIX = {
    "/bewerbung/": [302, 200, 200, 200, 200, 200, 200],
    "/bewerbung/{a}/datei/cv/": [302, 200, 404, 200, 404, 200, 200],
    "/bewerbung/{a}/datei/letter/": [302, 200, 404, 200, 404, 200, 200],
    "/bewerbung/{a}/datei/passwd/": [302, 404, 404, 404, 404, 404, 404],
    "/bewerbung/{a}/bearbeiten/": [302, 302, 404, 404, 404, 404, 404],
    "/verwaltung/applications/application/": [302, 302, 302, 200, 200, 200, 200],
    "/verwaltung/applications/application/{a}/change/": [302, 302, 302, 200, 302, 200, 200],
    "/verwaltung/applications/application/freigabe/{cohort}/": [
        302, 302, 302, 403, 403, 200, 200,
    ],
}  # fmt: skip


@pytest.mark.parametrize("url", MATRIX)
@pytest.mark.parametrize("index", range(len(ROLES)), ids=ROLES)
def test_permission_matrix(client, world, url, index):
    role = ROLES[index]
    path = url.format(a=world["a"].pk, cohort=world["cohort"].pk)
    response = status_for(client, world, role, path)
    assert response.status_code == MATRIX[url][index]


@pytest.mark.parametrize("role", ["bottrop", "gladbeck", "chair", "office"])
def test_admin_list_shows_exactly_the_scope(client, world, role):
    client.force_login(world["people"][role])
    html = client.get("/verwaltung/applications/application/").content.decode()
    expected = {
        "bottrop": (True, False),
        "gladbeck": (False, True),
        "chair": (True, True),
        "office": (True, True),
    }[role]
    assert ("Bottroperin" in html, "Gladbeckerin" in html) == expected


def test_officer_of_another_administration_gets_nothing_from_the_detail_page(client, world):
    client.force_login(world["people"]["gladbeck"])
    response = client.get(
        f"/verwaltung/applications/application/{world['a'].pk}/change/", follow=True
    )
    html = response.content.decode()
    assert "Bottroperin" not in html
    assert "Fachbereich Personal" not in html or "Gladbeckerin" in html


def test_drafts_stay_with_the_applicant(client, world):
    draft = ApplicationFactory(cohort=world["cohort"], organisation=world["a"].organisation)
    client.force_login(world["people"]["bottrop"])
    assert client.get(f"/bewerbung/{draft.pk}/datei/cv/").status_code == 404
    html = client.get("/verwaltung/applications/application/").content.decode()
    assert draft.applicant.last_name not in html


def test_export_respects_the_scope(client, world):
    client.force_login(world["people"]["bottrop"])
    response = client.post(
        "/verwaltung/applications/application/",
        {
            "action": "export_csv",
            "select_across": "1",
            "index": "0",
            "_selected_action": [world["a"].pk, world["b"].pk],
        },
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    body = response.content.decode("utf-8-sig")
    assert "Bottroperin" in body
    assert "Gladbeckerin" not in body


def test_withdrawing_someone_elses_application_is_refused(client, world):
    client.force_login(world["people"]["applicant_b"])
    response = client.post(f"/bewerbung/{world['a'].pk}/zurueckziehen/")
    assert response.status_code == 404
    world["a"].refresh_from_db()
    assert world["a"].state == ApplicationState.SUBMITTED


def test_applicant_withdraws_her_own(client, world):
    client.force_login(world["people"]["applicant_a"])
    response = client.post(f"/bewerbung/{world['a'].pk}/zurueckziehen/")
    assert response.status_code == 302
    world["a"].refresh_from_db()
    assert world["a"].state == ApplicationState.WITHDRAWN


def test_forged_post_to_someone_elses_form_changes_nothing(client, world):
    draft = ApplicationFactory(cohort=world["cohort"], organisation=world["a"].organisation)
    client.force_login(world["people"]["applicant_b"])
    response = client.post(f"/bewerbung/{draft.pk}/bearbeiten/", {"motivation": "gefälscht"})
    assert response.status_code == 404
    draft.refresh_from_db()
    assert draft.motivation == "Ich möchte Führungsverantwortung übernehmen."


def test_a_different_organisation_outside_the_cohort_is_not_offered(client, world):
    outsider = OrganisationFactory(name="Stadt Anderswo")
    draft = ApplicationFactory(cohort=world["cohort"], organisation=world["a"].organisation)
    client.force_login(draft.applicant)
    html = client.get(f"/bewerbung/{draft.pk}/bearbeiten/").content.decode()
    assert "Stadt Bottrop" in html
    assert outsider.name not in html
