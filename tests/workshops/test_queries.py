"""The participants' page and the attendance page cost the same with 1 or many people."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import (
    ApplicationFactory,
    AttendanceFactory,
    MentorApplicationFactory,
    ProjectTeamFactory,
    RsvpFactory,
    UpcomingWorkshopFactory,
)
from workshops.enums import RsvpAnswer

pytestmark = pytest.mark.django_db


def count_queries(client, url):
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context.captured_queries)


def add_people(world, count):
    cohort = world["cohort"]
    bottrop = world["organisations"]["bottrop"]
    people = []
    for index in range(count):
        mentee = ApplicationFactory(accepted=True, cohort=cohort, organisation=bottrop)
        mentor = MentorApplicationFactory(
            accepted=True, cohort=cohort, organisation=world["organisations"]["gladbeck"]
        )
        RsvpFactory(workshop=world["workshop"], application=mentee)
        if index % 2:
            RsvpFactory(
                workshop=world["workshop"],
                application=mentor,
                answer=RsvpAnswer.NO,
                reason="Termin",
            )
        AttendanceFactory(workshop=world["workshop"], application=mentee)
        people.append(mentee)
    return people


@pytest.mark.parametrize("role", ["bottrop", "chair", "office"])
def test_attendance_page_queries_do_not_grow(client, world, role):
    client.force_login(world["people"][role])
    url = reverse(
        "workshops:attendance",
        kwargs={"cohort_id": world["cohort"].pk, "pk": world["workshop"].pk},
    )
    few = count_queries(client, url)
    add_people(world, 20)
    assert count_queries(client, url) == few


def test_participant_page_queries_do_not_grow(client, world):
    team = ProjectTeamFactory(cohort=world["cohort"], members=[world["mentee"]])
    client.force_login(world["mentee"].applicant)
    url = reverse("workshops:mine")
    few = count_queries(client, url)

    people = add_people(world, 10)
    for _ in range(4):
        UpcomingWorkshopFactory(cohort=world["cohort"])
    team.members.add(*people)
    RsvpFactory(workshop=world["workshop"], application=world["mentee"])

    assert count_queries(client, url) == few


@pytest.mark.parametrize("role", ["bottrop", "chair", "office"])
def test_team_list_queries_do_not_grow(client, world, role):
    ProjectTeamFactory(cohort=world["cohort"], members=[world["mentee"]])
    client.force_login(world["people"][role])
    url = reverse("workshops:teams", kwargs={"cohort_id": world["cohort"].pk})
    few = count_queries(client, url)
    people = add_people(world, 12)
    for start in range(0, 12, 3):
        ProjectTeamFactory(cohort=world["cohort"], members=people[start : start + 3])
    assert count_queries(client, url) == few


def test_cohort_workshop_list_queries_do_not_grow(client, world):
    client.force_login(world["people"]["office"])
    url = reverse("workshops:cohort", kwargs={"cohort_id": world["cohort"].pk})
    few = count_queries(client, url)
    for _ in range(10):
        UpcomingWorkshopFactory(cohort=world["cohort"])
    assert count_queries(client, url) == few
