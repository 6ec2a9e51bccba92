import datetime as dt

import pytest
from django.utils import timezone

from cohorts.enums import BeiratRole
from tests.factories import (
    ApplicationFactory,
    AttendanceFactory,
    BeiratMembershipFactory,
    CohortOrganisationFactory,
    MentorApplicationFactory,
    ProgrammeOfficeFactory,
    ProjectTeamFactory,
    UpcomingWorkshopFactory,
    UserFactory,
    running_cohort,
)
from workshops import rendering
from workshops.enums import WorkshopKind
from workshops.rendering import safe_url_fetcher

from .pdftools import Listener

ROLES = ["anonymous", "participant", "bottrop", "marl", "chair", "office"]


@pytest.fixture
def world():
    """A running cohort with a Bottrop mentee, a Gladbeck mentor and everyone who looks on.

    "bottrop" is the mentee's equality officer, "marl" the officer of an administration
    without people in it, "chair" chairs the programme's Beirat (from Marl).
    """
    cohort = running_cohort(programme__name="Mit Frauen an die Spitze", number=8)
    bottrop = CohortOrganisationFactory(cohort=cohort, organisation__name="Stadt Bottrop")
    gladbeck = CohortOrganisationFactory(cohort=cohort, organisation__name="Stadt Gladbeck")
    marl = CohortOrganisationFactory(cohort=cohort, organisation__name="Stadt Marl")
    programme = cohort.programme
    mentee = ApplicationFactory(
        accepted=True,
        cohort=cohort,
        organisation=bottrop.organisation,
        name="Sabine Kowalski",
        applicant__email="sabine.kowalski@bottrop.example.org",
    )
    mentor = MentorApplicationFactory(
        accepted=True, cohort=cohort, organisation=gladbeck.organisation, name="Birgit Gladbecker"
    )
    workshop = UpcomingWorkshopFactory(
        cohort=cohort,
        title="Zwischenworkshop",
        date=timezone.localdate() + dt.timedelta(days=14),
    )
    return {
        "cohort": cohort,
        "workshop": workshop,
        "mentee": mentee,
        "mentor": mentor,
        "organisations": {
            "bottrop": bottrop.organisation,
            "gladbeck": gladbeck.organisation,
            "marl": marl.organisation,
        },
        "people": {
            "anonymous": None,
            "participant": mentee.applicant,
            "bottrop": BeiratMembershipFactory(
                programme=programme, organisation=bottrop.organisation
            ).user,
            "marl": BeiratMembershipFactory(
                programme=programme, organisation=marl.organisation
            ).user,
            "chair": BeiratMembershipFactory(
                programme=programme, organisation=marl.organisation, role=BeiratRole.CHAIR
            ).user,
            "office": ProgrammeOfficeFactory(),
        },
    }


@pytest.fixture
def ceremony(world):
    """The world after its final workshop: the mentee and the mentor qualify."""
    today = timezone.localdate()
    interim = world["workshop"]
    interim.date = today - dt.timedelta(days=60)
    interim.save()
    final = UpcomingWorkshopFactory(
        cohort=world["cohort"],
        kind=WorkshopKind.FINAL,
        title="Abschlussworkshop",
        date=today - dt.timedelta(days=2),
        venue_city="Dorsten",
    )
    for workshop in (interim, final):
        for person in (world["mentee"], world["mentor"]):
            AttendanceFactory(workshop=workshop, application=person)
    ProjectTeamFactory(cohort=world["cohort"], members=[world["mentee"]], presented_on=final.date)
    world["final"] = final
    return world


@pytest.fixture
def outsider():
    return UserFactory()


@pytest.fixture
def listener():
    listener = Listener()
    yield listener
    listener.accepted()


@pytest.fixture
def fetched_urls(monkeypatch):
    """Every URL WeasyPrint asks our fetcher for, in order."""
    urls = []

    def recording_fetcher(url, *args, **kwargs):
        urls.append(url)
        return safe_url_fetcher(url, *args, **kwargs)

    monkeypatch.setattr(rendering, "safe_url_fetcher", recording_fetcher)
    # Fonts and stylesheet are fetched once per process: fetched again for this test.
    monkeypatch.delattr(rendering._renderers, "current", raising=False)
    return urls
