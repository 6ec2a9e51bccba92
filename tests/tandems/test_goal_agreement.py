"""The goal agreement: only the two partners ever read it.

Who writes which part, confirmations and the history: test_goal_agreement_parts.py.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from applications.enums import ApplicationState
from cohorts.enums import BeiratRole
from tandems import services
from tandems.models import GoalAgreement
from tests.factories import (
    ApplicationFactory,
    BeiratMembershipFactory,
    CohortFactory,
    CohortOrganisationFactory,
    MentorApplicationFactory,
    ProgrammeOfficeFactory,
    TopicFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
SECRET = "Vertraulich: Wechsel in die Kämmerei"


@pytest.fixture
def tandem():
    cohort = CohortFactory()
    bottrop = CohortOrganisationFactory(cohort=cohort, organisation__name="Stadt Bottrop")
    gladbeck = CohortOrganisationFactory(cohort=cohort, organisation__name="Stadt Gladbeck")
    common = {"cohort": cohort, "state": ApplicationState.ACCEPTED, "submitted_at": timezone.now()}
    ApplicationFactory(organisation=bottrop.organisation, **common)
    MentorApplicationFactory(
        organisation=gladbeck.organisation, position_title="Amtsleitung Jugend", **common
    )
    office = ProgrammeOfficeFactory()
    run = services.matching_run(cohort=cohort, actor=office)
    (tandem,) = services.matching_publish(run=run, actor=office)
    return tandem


def url(tandem):
    return f"/tandem/{tandem.pk}/zielvereinbarung/"


def draft(client, tandem, **changes):
    """The mentee writes her part: topics, her expectations, and the shared part."""
    topic = TopicFactory(name="Karriereplanung", programme=tandem.cohort.programme)
    data = {
        "topics": [topic.pk],
        "topics_other": SECRET,
        "cadence": "monatlich, im Wechsel persönlich und per Video",
        "excluded_topics": "",
        "expectations_mentee": "",
        "confidentiality": "on",
        "save": "1",
    }
    data.update(changes)
    return client.post(url(tandem), data)


def test_mentee_sees_her_mentor_and_drafts(client, tandem):
    client.force_login(tandem.mentee.applicant)
    html = client.get("/tandem/", follow=True).content.decode()
    assert tandem.mentor.applicant.get_full_name() in html
    assert "Amtsleitung Jugend" in html
    assert f"mailto:{tandem.mentor.applicant.email}" in html
    assert draft(client, tandem).status_code == 302
    agreement = GoalAgreement.objects.get(tandem=tandem)
    assert agreement.topics_other == SECRET
    assert [topic.name for topic in agreement.topics.all()] == ["Karriereplanung"]


def test_the_mentor_cannot_confirm_an_empty_agreement(client, tandem):
    client.force_login(tandem.mentor.applicant)
    response = client.post(url(tandem), {"confirm": "1"}, follow=True)
    assert "Die Mentee hat noch keine Themen eingetragen." in response.content.decode()


@pytest.mark.parametrize("who", ["anonymous", "stranger", "officer", "chair", "office"])
def test_nobody_but_the_two_reads_it(client, tandem, who):
    client.force_login(tandem.mentee.applicant)
    draft(client, tandem)
    client.post(url(tandem), {"confirm": "1"})
    client.logout()
    programme = tandem.cohort.programme
    people = {
        "anonymous": None,
        "stranger": UserFactory(),
        "officer": BeiratMembershipFactory(
            programme=programme, organisation=tandem.mentee.organisation
        ).user,
        "chair": BeiratMembershipFactory(programme=programme, role=BeiratRole.CHAIR).user,
        "office": ProgrammeOfficeFactory(),
    }
    if people[who]:
        client.force_login(people[who])
    response = client.get(url(tandem))
    assert response.status_code == (302 if who == "anonymous" else 404)
    # What officers can reach about the tandem never shows the agreement's content.
    if who in ("officer", "chair", "office"):
        listing = client.get(f"/beirat/jahrgang/{tandem.cohort.pk}/tandems/").content.decode()
        assert tandem.mentee.applicant.get_full_name() in listing
        assert SECRET not in listing
        assert "Karriereplanung" not in listing
        admin = client.get("/verwaltung/").content.decode()
        assert SECRET not in admin


def test_portal_query_count_does_not_grow_with_topics(client, tandem):
    client.force_login(tandem.mentee.applicant)
    draft(client, tandem)
    for page in ("/tandem/", url(tandem)):
        client.get(page)
        with CaptureQueriesContext(connection) as few:
            client.get(page)
        TopicFactory.create_batch(10)
        with CaptureQueriesContext(connection) as many:
            client.get(page)
        assert len(many) == len(few), page
