"""Career steps in the admin: the office sees all, an officer only her own people's."""

import datetime as dt

import pytest

from applications.enums import ApplicationState, CareerStepKind
from applications.models import CareerStep
from tests.factories import ApplicationFactory, BeiratMembershipFactory, ProgrammeOfficeFactory

pytestmark = pytest.mark.django_db

URL = "/verwaltung/applications/careerstep/"


def step(application, kind=CareerStepKind.PROMOTION):
    return CareerStep.objects.create(
        application=application, kind=kind, date=dt.date(2026, 3, 1), pay_grade_from="A 11",
        pay_grade_to="A 12",
    )  # fmt: skip


def test_officer_sees_her_peoples_steps_and_the_office_all(client):
    mine = ApplicationFactory(state=ApplicationState.ACCEPTED)
    other = ApplicationFactory(state=ApplicationState.ACCEPTED)
    step(mine)
    step(other, CareerStepKind.HORIZONTAL)
    officer = BeiratMembershipFactory(
        organisation=mine.organisation, programme=mine.cohort.programme
    ).user
    client.force_login(officer)
    response = client.get(URL)
    assert response.status_code == 200
    assert [s.application_id for s in response.context["cl"].result_list] == [mine.pk]
    client.force_login(ProgrammeOfficeFactory())
    response = client.get(URL)
    assert sorted(s.application_id for s in response.context["cl"].result_list) == sorted(
        [mine.pk, other.pk]
    )


def test_the_office_records_a_step_with_who_recorded_it(client):
    application = ApplicationFactory(state=ApplicationState.ACCEPTED)
    office = ProgrammeOfficeFactory()
    client.force_login(office)
    response = client.post(
        URL + "add/",
        {
            "application": application.pk,
            "kind": CareerStepKind.LEADERSHIP,
            "date": "2026-04-01",
            "source": "officer",
            "pay_grade_from": "",
            "pay_grade_to": "",
            "note": "Teamleitung übernommen",
        },
    )
    assert response.status_code == 302
    saved = CareerStep.objects.get()
    assert (saved.kind, saved.recorded_by) == (CareerStepKind.LEADERSHIP, office)


def test_the_list_queries_do_not_grow_with_the_steps(client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    step(ApplicationFactory(state=ApplicationState.ACCEPTED))
    client.force_login(ProgrammeOfficeFactory())
    client.get(URL)
    with CaptureQueriesContext(connection) as one:
        assert client.get(URL).status_code == 200
    for _ in range(15):
        step(ApplicationFactory(state=ApplicationState.ACCEPTED))
    with CaptureQueriesContext(connection) as many:
        response = client.get(URL)
    assert len(response.context["cl"].result_list) == 16
    assert len(many) == len(one)
