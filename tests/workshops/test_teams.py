"""Mentee project teams: formed by the office and the chair, seen by members and officers."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.urls import reverse
from django.utils import timezone

from tests.factories import ApplicationFactory, ProjectTeamFactory
from workshops.models import TeamMembership, WorkshopLog
from workshops.selectors import team_of

from .conftest import ROLES

pytestmark = pytest.mark.django_db


@pytest.fixture
def team(world):
    colleague = ApplicationFactory(
        accepted=True,
        cohort=world["cohort"],
        organisation=world["organisations"]["gladbeck"],
        name="Jana Teamkollegin",
        applicant__email="jana@gladbeck.example.org",
        phone="02043 99-0",
    )
    return ProjectTeamFactory(
        cohort=world["cohort"], title="Führen in Teilzeit", members=[world["mentee"], colleague]
    )


def teams_url(world):
    return reverse("workshops:teams", kwargs={"cohort_id": world["cohort"].pk})


def test_chair_forms_a_team(client, world):
    second = ApplicationFactory(
        accepted=True, cohort=world["cohort"], organisation=world["organisations"]["gladbeck"]
    )
    client.force_login(world["people"]["chair"])

    response = client.post(
        reverse("workshops:team_create", kwargs={"cohort_id": world["cohort"].pk}),
        {
            "title": "Digitale Verwaltung",
            "description": "Ein Leitfaden",
            "members": [world["mentee"].pk, second.pk],
        },
    )

    assert response.status_code == 302
    team = team_of(application=world["mentee"])
    assert (team.title, team.cohort) == ("Digitale Verwaltung", world["cohort"])
    assert sorted(m.pk for m in team.members.all()) == sorted([world["mentee"].pk, second.pk])
    assert WorkshopLog.objects.get().action == "team_created"


def test_a_mentee_in_a_second_team_gets_a_friendly_error(client, world, team):
    client.force_login(world["people"]["office"])

    response = client.post(
        reverse("workshops:team_create", kwargs={"cohort_id": world["cohort"].pk}),
        {"title": "Zweites Team", "description": "", "members": [world["mentee"].pk]},
    )

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "members": ["Sabine Kowalski ist bereits im Team „Führen in Teilzeit“."]
    }
    assert "Zweites Team" in response.content.decode()
    assert team.memberships.count() == 2


def test_the_database_refuses_a_mentee_in_two_teams(world, team):
    other = ProjectTeamFactory(cohort=world["cohort"])
    with pytest.raises(IntegrityError):
        TeamMembership.objects.create(team=other, application=world["mentee"])


def test_mentors_cannot_join_a_team(client, world):
    client.force_login(world["people"]["office"])
    response = client.post(
        reverse("workshops:team_create", kwargs={"cohort_id": world["cohort"].pk}),
        {"title": "Team", "members": [world["mentor"].pk]},
    )
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["members"]


def test_editing_a_team_keeps_its_own_members_valid(client, world, team):
    client.force_login(world["people"]["office"])
    response = client.post(
        reverse("workshops:team_edit", kwargs={"cohort_id": world["cohort"].pk, "pk": team.pk}),
        {"title": "Führen in Teilzeit 2.0", "members": [world["mentee"].pk]},
    )
    assert response.status_code == 302
    team.refresh_from_db()
    assert team.title == "Führen in Teilzeit 2.0"
    assert [m.pk for m in team.members.all()] == [world["mentee"].pk]


def test_members_see_their_team_with_contacts(client, world, team):
    client.force_login(world["mentee"].applicant)

    response = client.get(reverse("workshops:mine"))

    page = response.content.decode()
    assert [t.title for t in response.context["teams"]] == ["Führen in Teilzeit"]
    assert "Ihr Projektteam: Führen in Teilzeit" in page
    assert "Jana Teamkollegin" in page
    assert "Stadt Gladbeck" in page
    assert "mailto:jana@gladbeck.example.org" in page
    assert "02043 99-0" in page


def test_outsiders_do_not_see_the_team(client, world, team, outsider):
    client.force_login(world["mentor"].applicant)
    assert list(client.get(reverse("workshops:mine")).context["teams"]) == []
    client.force_login(outsider)
    assert list(client.get(reverse("workshops:mine")).context["teams"]) == []
    edit = reverse("workshops:team_edit", kwargs={"cohort_id": world["cohort"].pk, "pk": team.pk})
    assert client.get(edit).status_code == 403
    client.force_login(world["people"]["office"])
    other_cohort = ProjectTeamFactory()
    foreign = reverse(
        "workshops:team_edit", kwargs={"cohort_id": world["cohort"].pk, "pk": other_cohort.pk}
    )
    assert client.get(foreign).status_code == 404


def test_officers_see_teams_with_their_people(client, world, team):
    ProjectTeamFactory(
        cohort=world["cohort"],
        title="Marl-freies Team",
        members=[
            ApplicationFactory(
                accepted=True,
                cohort=world["cohort"],
                organisation=world["organisations"]["gladbeck"],
            )
        ],
    )
    client.force_login(world["people"]["bottrop"])
    assert [t.title for t in client.get(teams_url(world)).context["page"]] == ["Führen in Teilzeit"]
    client.force_login(world["people"]["marl"])
    assert list(client.get(teams_url(world)).context["page"]) == []
    client.force_login(world["people"]["chair"])
    assert [t.title for t in client.get(teams_url(world)).context["page"]] == [
        "Führen in Teilzeit",
        "Marl-freies Team",
    ]


def test_presentation_is_recorded_with_date_and_who(client, world, team):
    chair = world["people"]["chair"]
    client.force_login(chair)
    day = timezone.localdate() - dt.timedelta(days=1)

    response = client.post(
        reverse(
            "workshops:team_presented", kwargs={"cohort_id": world["cohort"].pk, "pk": team.pk}
        ),
        {"presented_on": day.isoformat()},
    )

    assert response.status_code == 302
    team.refresh_from_db()
    assert (team.presented_on, team.presentation_recorded_by) == (day, chair)
    assert team.presentation_recorded_at is not None
    assert team_of(application=world["mentee"]).presented_on == day
    assert WorkshopLog.objects.get(team=team).action == "presented"


def test_presentation_in_the_future_is_refused(client, world, team):
    client.force_login(world["people"]["office"])
    client.post(
        reverse(
            "workshops:team_presented", kwargs={"cohort_id": world["cohort"].pk, "pk": team.pk}
        ),
        {"presented_on": (timezone.localdate() + dt.timedelta(days=3)).isoformat()},
    )
    team.refresh_from_db()
    assert team.presented_on is None


def test_team_of_is_none_without_a_team_and_constant_in_queries(
    world, team, django_assert_num_queries
):
    assert team_of(application=world["mentor"]) is None
    with django_assert_num_queries(2):
        found = team_of(application=world["mentee"])
        members = [(m.applicant.get_full_name(), m.organisation.name) for m in found.members.all()]
    assert members == [
        ("Sabine Kowalski", "Stadt Bottrop"),
        ("Jana Teamkollegin", "Stadt Gladbeck"),
    ]


MATRIX = {
    # page:        anonymous, participant, bottrop, marl, chair, office
    "list": [302, 403, 200, 200, 200, 200],
    "create": [302, 403, 403, 403, 200, 200],
    "edit": [302, 403, 403, 403, 200, 200],
}


@pytest.mark.parametrize("page", MATRIX)
@pytest.mark.parametrize("index", range(len(ROLES)), ids=ROLES)
def test_permission_matrix(client, world, team, page, index):
    user = world["people"][ROLES[index]]
    if user:
        client.force_login(user)
    cohort = world["cohort"].pk
    url = {
        "list": reverse("workshops:teams", kwargs={"cohort_id": cohort}),
        "create": reverse("workshops:team_create", kwargs={"cohort_id": cohort}),
        "edit": reverse("workshops:team_edit", kwargs={"cohort_id": cohort, "pk": team.pk}),
    }[page]
    response = client.get(url)
    assert response.status_code == MATRIX[page][index]
    if response.status_code == 302:
        assert response["Location"].startswith(reverse("login"))


def test_admin_validation_keeps_mentors_and_other_cohorts_out(world, team):
    foreign = ApplicationFactory(accepted=True)
    for application in (world["mentor"], foreign):
        with pytest.raises(ValidationError):
            TeamMembership(team=team, application=application).clean()
