"""reminders.invited(): who is expected at a workshop, by invitation and RSVP."""

import pytest

from applications.enums import ApplicationState
from tests.factories import (
    ApplicationFactory,
    MentorApplicationFactory,
    RsvpFactory,
    UpcomingWorkshopFactory,
)
from workshops.enums import Invitees, RsvpAnswer
from workshops.reminders import invited

pytestmark = pytest.mark.django_db


def test_invitation_by_role(world):
    cohort = world["cohort"]
    both = world["workshop"]
    mentees = UpcomingWorkshopFactory(cohort=cohort, invitees=Invitees.MENTEES)
    mentors = UpcomingWorkshopFactory(cohort=cohort, invitees=Invitees.MENTORS)
    ApplicationFactory(cohort=cohort, state=ApplicationState.REJECTED)

    result = invited([both, mentees, mentors])

    assert result == {
        both: [world["mentor"], world["mentee"]],
        mentees: [world["mentee"]],
        mentors: [world["mentor"]],
    }


def test_a_no_leaves_her_out_of_that_workshop_only(world):
    other = UpcomingWorkshopFactory(cohort=world["cohort"])
    RsvpFactory(
        workshop=world["workshop"],
        application=world["mentee"],
        answer=RsvpAnswer.NO,
        reason="Urlaub",
    )
    RsvpFactory(workshop=world["workshop"], application=world["mentor"], answer=RsvpAnswer.YES)

    result = invited([world["workshop"], other])

    assert result == {
        world["workshop"]: [world["mentor"]],
        other: [world["mentor"], world["mentee"]],
    }


def test_constant_number_of_queries(world, django_assert_num_queries):
    def workshops(count):
        cohorts = [UpcomingWorkshopFactory().cohort for _ in range(count)]
        for cohort in cohorts:
            for _ in range(3):
                ApplicationFactory(accepted=True, cohort=cohort)
                MentorApplicationFactory(accepted=True, cohort=cohort)
        return [UpcomingWorkshopFactory(cohort=cohort) for cohort in cohorts]

    few, many = workshops(1), workshops(4)
    for batch in (few, many):
        with django_assert_num_queries(2):
            result = invited(batch)
            names = [a.applicant.email for people in result.values() for a in people]
        assert len(names) == 6 * len(batch)
