import datetime as dt

import factory
from django.utils import timezone

from applications.enums import ApplicationState
from tests.factories import (
    ApplicationFactory,
    MentorApplicationFactory,
    WorkshopFactory,
    running_cohort,
)
from workshops.enums import AttendanceStatus, RsvpAnswer
from workshops.models import Attendance, ProjectTeam, Rsvp, TeamMembership


def accepted_mentee(cohort, organisation=None, **kwargs):
    if organisation is not None:
        kwargs["organisation"] = organisation
    return ApplicationFactory(
        cohort=cohort, state=ApplicationState.ACCEPTED, cv="", letter="", **kwargs
    )


def accepted_mentor(cohort, organisation=None, **kwargs):
    if organisation is not None:
        kwargs["organisation"] = organisation
    return MentorApplicationFactory(cohort=cohort, state=ApplicationState.ACCEPTED, **kwargs)


class UpcomingWorkshopFactory(WorkshopFactory):
    """A workshop of a running cohort a month from now, so participants can still answer."""

    cohort = factory.LazyFunction(running_cohort)
    date = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=30))
    facilitators = "Dr. Anna Beispiel (Trainerin)"


class RsvpFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Rsvp

    workshop = factory.SubFactory(UpcomingWorkshopFactory)
    application = factory.LazyAttribute(lambda o: accepted_mentee(o.workshop.cohort))
    answer = RsvpAnswer.YES
    reason = ""


class AttendanceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Attendance

    workshop = factory.SubFactory(UpcomingWorkshopFactory)
    application = factory.LazyAttribute(lambda o: accepted_mentee(o.workshop.cohort))
    status = AttendanceStatus.PRESENT
    note = ""
    recorded_at = factory.LazyFunction(timezone.now)


class ProjectTeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProjectTeam
        skip_postgeneration_save = True

    cohort = factory.LazyFunction(running_cohort)
    title = factory.Sequence(lambda n: f"Projekt {n}: Führen in Teilzeit")
    description = "Wie Führung in Teilzeit in Kommunalverwaltungen gelingt."

    @factory.post_generation
    def members(obj, create, extracted, **kwargs):
        if create and extracted:
            TeamMembership.objects.bulk_create(
                TeamMembership(team=obj, application=application) for application in extracted
            )
