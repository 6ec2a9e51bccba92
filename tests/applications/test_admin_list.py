"""The officers' application list: what each officer sees, its filters, and its queries."""

import pytest
from django.contrib import admin
from django.contrib.admin import ModelAdmin
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from applications.enums import ApplicationState
from applications.models import Application
from cohorts.enums import BeiratRole
from tests.factories import (
    ApplicationFactory,
    BeiratMembershipFactory,
    CohortFactory,
    CohortOrganisationFactory,
    OrganisationFactory,
    ProgrammeOfficeFactory,
)

pytestmark = pytest.mark.django_db
LIST = "/verwaltung/applications/application/"
SUBMITTED = {"state": ApplicationState.SUBMITTED, "cv": "", "letter": ""}


@pytest.fixture
def world():
    cohort = CohortFactory()
    own, other = (
        CohortOrganisationFactory(cohort=cohort, organisation__name=name).organisation
        for name in ("Stadt Bottrop", "Stadt Marl")
    )
    OrganisationFactory(name="Stadt ohne Bewerbung")
    officer = BeiratMembershipFactory(programme=cohort.programme, organisation=own).user
    return {"cohort": cohort, "own": own, "other": other, "officer": officer}


def apply(world, organisation, count=1):
    for _ in range(count):
        ApplicationFactory(
            cohort=world["cohort"],
            organisation=organisation,
            submitted_at=timezone.now(),
            **SUBMITTED,
        )


def listed(client):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(LIST)
    assert response.status_code == 200
    return len(queries), response


def organisation_choices(response):
    spec = next(
        spec
        for spec in response.context["cl"].filter_specs
        if getattr(spec, "field_path", None) == "organisation"
    )
    return [name for _pk, name in spec.lookup_choices]


def test_the_scoped_list_queries_do_not_grow_with_applications(client, world):
    apply(world, world["own"])
    apply(world, world["other"])
    client.force_login(world["officer"])
    few, response = listed(client)
    assert response.context["cl"].result_count == 1
    apply(world, world["own"], 59)
    apply(world, world["other"], 20)
    many, response = listed(client)
    assert response.context["cl"].result_count == 60
    assert len(response.context["cl"].result_list) == 50
    assert many == few


def test_the_organisation_filter_offers_what_she_may_see(client, world):
    apply(world, world["own"])
    apply(world, world["other"])
    client.force_login(ProgrammeOfficeFactory())
    assert organisation_choices(listed(client)[1]) == ["Stadt Bottrop", "Stadt Marl"]
    client.force_login(world["officer"])
    assert organisation_choices(listed(client)[1]) == ["Stadt Bottrop"]


def test_the_chair_sees_and_may_filter_every_organisation_of_her_cohort(client, world):
    apply(world, world["own"])
    apply(world, world["other"])
    chair = BeiratMembershipFactory(
        cohort=world["cohort"], programme=None, organisation=world["own"], role=BeiratRole.CHAIR
    ).user
    client.force_login(chair)
    response = listed(client)[1]
    assert response.context["cl"].result_count == 2
    assert organisation_choices(response) == ["Stadt Bottrop", "Stadt Marl"]


def test_the_row_checkbox_is_djangos_own(world):
    apply(world, world["own"])
    application = Application.objects.select_related("applicant", "cohort").get()
    model_admin = admin.site._registry[Application]
    assert model_admin.action_checkbox(application) == ModelAdmin.action_checkbox(
        model_admin, application
    )


def test_each_row_links_to_its_application(client, world):
    apply(world, world["own"], 3)
    client.force_login(ProgrammeOfficeFactory())
    html = listed(client)[1].content.decode()
    for application in Application.objects.all():
        assert f'href="{LIST}{application.pk}/change/' in html
