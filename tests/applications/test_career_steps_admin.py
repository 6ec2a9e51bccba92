"""Career steps in the admin: the office sees all, an officer only her own people's, and she
records theirs with where she knows it from."""

import datetime as dt

import pytest

from applications.enums import ApplicationState, CareerStepKind
from applications.models import CareerStep
from cohorts.admin import CohortListFilter
from cohorts.enums import BeiratRole
from mentoring.consents import consent_give
from mentoring.enums import ConsentKind
from tests.factories import (
    ApplicationFactory,
    BeiratMembershipFactory,
    CohortFactory,
    ProgrammeOfficeFactory,
)

pytestmark = pytest.mark.django_db

URL = "/verwaltung/applications/careerstep/"


def step(application, kind=CareerStepKind.PROMOTION):
    return CareerStep.objects.create(
        application=application, kind=kind, date=dt.date(2026, 3, 1), pay_grade_from="A 11",
        pay_grade_to="A 12", source="officer", note="Personalamt",
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


def test_the_cohort_filter_offers_an_officer_only_the_cohorts_of_her_beirat(client):
    mine = ApplicationFactory(state=ApplicationState.ACCEPTED)
    other = ApplicationFactory(state=ApplicationState.ACCEPTED)  # another programme
    next_year = CohortFactory(programme=mine.cohort.programme)
    officer = BeiratMembershipFactory(
        organisation=mine.organisation, programme=mine.cohort.programme
    ).user

    def offered(user):
        client.force_login(user)
        changelist = client.get(URL).context["cl"]
        (cohorts,) = [
            spec for spec in changelist.filter_specs if isinstance(spec, CohortListFilter)
        ]
        return {pk for pk, _name in cohorts.lookup_choices}

    assert offered(officer) == {mine.cohort.pk, next_year.pk}
    assert offered(ProgrammeOfficeFactory()) == {mine.cohort.pk, other.cohort.pk, next_year.pk}


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


# An officer records the steps of her own people ---------------------------------------------


def officer_of(application, **seat):
    return BeiratMembershipFactory(
        organisation=application.organisation, programme=application.cohort.programme, **seat
    ).user


def entry(application, **fields):
    return {
        "application": application.pk,
        "kind": CareerStepKind.LEADERSHIP,
        "date": "2026-04-01",
        "source": "personnel",
        "pay_grade_from": "",
        "pay_grade_to": "",
        "note": "Mitteilung des Personalamts",
    } | fields


def test_a_chair_too_sees_only_her_own_organisations_steps(client):
    mine = ApplicationFactory(state=ApplicationState.ACCEPTED)
    other = ApplicationFactory(state=ApplicationState.ACCEPTED, cohort=mine.cohort)
    step(mine)
    foreign = step(other)
    client.force_login(officer_of(mine, role=BeiratRole.CHAIR))
    response = client.get(URL)
    assert [s.application_id for s in response.context["cl"].result_list] == [mine.pk]
    # Nor by its address: "not found", and a change is refused.
    assert client.get(f"{URL}{foreign.pk}/change/").status_code == 302
    client.post(f"{URL}{foreign.pk}/change/", entry(other, kind=CareerStepKind.NONE))
    foreign.refresh_from_db()
    assert foreign.kind == CareerStepKind.PROMOTION


def test_an_officer_records_a_step_of_her_own_people_with_its_source(client):
    mine = ApplicationFactory(state=ApplicationState.ACCEPTED)
    officer = officer_of(mine)
    client.force_login(officer)
    response = client.post(
        URL + "add/",
        entry(mine, kind=CareerStepKind.PROMOTION, pay_grade_from="a 11", pay_grade_to="A12"),
    )
    assert response.status_code == 302
    saved = CareerStep.objects.get()
    assert (
        saved.application,
        saved.kind,
        saved.pay_grade_from,
        saved.pay_grade_to,
        saved.source,
        saved.note,
        saved.recorded_by,
    ) == (mine, "promotion", "A 11", "A 12", "personnel", "Mitteilung des Personalamts", officer)


def test_an_officer_cannot_add_a_step_for_another_organisations_person(client):
    mine = ApplicationFactory(state=ApplicationState.ACCEPTED)
    other = ApplicationFactory(state=ApplicationState.ACCEPTED, cohort=mine.cohort)
    client.force_login(officer_of(mine, role=BeiratRole.CHAIR))
    response = client.post(URL + "add/", entry(other))
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["application"]
    assert CareerStep.objects.count() == 0


def test_the_picker_offers_her_participants_and_those_not_selected_who_agreed(client):
    mine = ApplicationFactory(state=ApplicationState.ACCEPTED)
    cohort, organisation = mine.cohort, mine.organisation
    agreed = ApplicationFactory(
        state=ApplicationState.REJECTED, cohort=cohort, organisation=organisation
    )
    consent_give(user=agreed.applicant, kind=ConsentKind.FOLLOW_UP)
    ApplicationFactory(state=ApplicationState.REJECTED, cohort=cohort, organisation=organisation)
    ApplicationFactory(state=ApplicationState.SUBMITTED, cohort=cohort, organisation=organisation)
    ApplicationFactory(state=ApplicationState.ACCEPTED, cohort=cohort)
    client.force_login(officer_of(mine, role=BeiratRole.CHAIR))
    response = client.get(
        "/verwaltung/autocomplete/",
        {"app_label": "applications", "model_name": "careerstep", "field_name": "application"},
    )
    assert sorted(int(result["id"]) for result in response.json()["results"]) == sorted(
        [mine.pk, agreed.pk]
    )


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"note": ""}, "note", "Dieses Feld ist zwingend erforderlich."),
        ({"source": "self"}, "source", "Bitte eine gültige Auswahl treffen."),
        (
            {"kind": "promotion", "pay_grade_from": "A 11", "pay_grade_to": "A 19"},
            "pay_grade_to",
            "Die Besoldungsgruppe „A 19“ gibt es nicht.",
        ),
        (
            {"kind": "promotion", "pay_grade_from": "EG 11", "pay_grade_to": "EG 10"},
            "pay_grade_to",
            "Die neue Gruppe (EG 10) muss über der bisherigen (EG 11) liegen.",
        ),
        (
            {"kind": "horizontal", "pay_grade_to": "A 12"},
            "pay_grade_to",
            "Besoldungs- und Entgeltgruppen gehören zu einer Beförderung",
        ),
        (
            {"date": "01.12.2099"},
            "date",
            "Das Datum liegt in der Zukunft. Erfassen Sie nur Schritte, die schon "
            "stattgefunden haben.",
        ),
    ],
)
def test_an_officers_entry_names_where_it_came_from_and_valid_grades(
    client, fields, field, message
):
    mine = ApplicationFactory(state=ApplicationState.ACCEPTED)
    client.force_login(officer_of(mine))
    response = client.post(URL + "add/", entry(mine, **fields))
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert list(errors) == [field]
    assert errors[field][0].startswith(message)
    assert CareerStep.objects.count() == 0


def test_her_own_answer_is_read_but_not_changed_in_the_admin(client):
    mine = ApplicationFactory(state=ApplicationState.ACCEPTED)
    own = CareerStep.objects.create(
        application=mine, kind=CareerStepKind.NONE, date=dt.date(2026, 3, 1), source="self"
    )
    client.force_login(officer_of(mine))
    assert client.get(f"{URL}{own.pk}/change/").status_code == 200
    response = client.post(f"{URL}{own.pk}/change/", entry(mine))
    assert response.status_code == 403
    own.refresh_from_db()
    assert (own.kind, own.source) == (CareerStepKind.NONE, "self")
