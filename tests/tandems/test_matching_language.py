"""Why a pair was proposed, and why someone was not, in the reader's language (issue 15).

A proposal stores its explanations as messages, not as German text: a chair reading in
English sees it in English, whoever computed it in whichever language.
"""

import html

import pytest
from django.utils import translation

from applications.enums import LeadershipLevel
from cohorts.enums import BeiratRole
from tandems import services
from tandems.matching import Mentee, Mentor, solve
from tandems.matching_display import explanation_text, reason_text
from tests.factories import (
    ApplicationFactory,
    BeiratMembershipFactory,
    CohortFactory,
    CohortOrganisationFactory,
    MentorApplicationFactory,
    TopicFactory,
)

pytestmark = pytest.mark.django_db


def test_the_solvers_explanations_and_reasons_read_in_the_active_language():
    mentor = Mentor(id=100, organisation_id=2, topics=frozenset({1, 2}), level_name="office")
    mentees = [
        Mentee(id=1, organisation_id=1, topics=frozenset({1, 2}), wishes=frozenset({100})),
        Mentee(id=2, organisation_id=1),
        Mentee(id=3, organisation_id=2),
    ]
    proposal = solve(mentees, [mentor])
    [pair] = proposal.pairs

    texts = {}
    for language in ("de", "en"):
        with translation.override(language):
            texts[language] = [
                explanation_text(pair.explanation),
                *(reason_text(reason) for _mentee, reason in proposal.unmatched),
            ]

    assert texts == {
        "de": [
            "2 von 2 Themen gemeinsam; Mentor:in ist Amtsleitung; Wunsch der Mentee",
            "Keine Mentor:in außerhalb der eigenen Verwaltung hat noch Kapazität.",
            "Keine Mentor:in außerhalb der eigenen Verwaltung ist zulässig "
            "(oder alle sind gesperrt).",
        ],
        "en": [
            "2 of 2 topics in common; mentor's role: Head of office; the mentee's wish",
            "No mentor outside her own administration has a place left.",
            "No mentor outside her own administration is allowed (or all are ruled out).",
        ],
    }


@pytest.fixture
def proposal():
    """A proposal computed in German: Anna with Berta; Clara left without a mentor."""
    cohort = CohortFactory(programme__name="Cross-Mentoring Emscher-Lippe")
    bottrop, gladbeck = (
        CohortOrganisationFactory(cohort=cohort, organisation__name=name).organisation
        for name in ("Stadt Bottrop", "Stadt Gladbeck")
    )
    chair = BeiratMembershipFactory(
        programme=cohort.programme, organisation=gladbeck, role=BeiratRole.CHAIR
    ).user
    career, conflict = TopicFactory(name="Karriereplanung"), TopicFactory(name="Konflikte")
    anna = ApplicationFactory(accepted=True, cohort=cohort, organisation=bottrop, name="Anna Aust")
    anna.topics.add(career, conflict)
    clara = ApplicationFactory(
        accepted=True, cohort=cohort, organisation=bottrop, name="Clara Cramer"
    )
    berta = MentorApplicationFactory(
        accepted=True,
        cohort=cohort,
        organisation=gladbeck,
        name="Berta Brandt",
        leadership_level=LeadershipLevel.HEAD_OF_OFFICE,
        capacity=1,
    )
    berta.topics.add(career, conflict)
    with translation.override("de"):
        run = services.matching_run(cohort=cohort, actor=chair)
    return {"cohort": cohort, "chair": chair, "run": run, "clara": clara}


def page(client, proposal, url, language):
    client.force_login(proposal["chair"])
    client.cookies["django_language"] = language
    response = client.get(url)
    assert response.status_code == 200
    return html.unescape(response.content.decode())


def matching_url(proposal):
    return f"/beirat/jahrgang/{proposal['cohort'].pk}/tandembildung/"


@pytest.mark.parametrize(
    ("language", "explanation", "reason"),
    [
        (
            "en",
            "2 of 2 topics in common; mentor's role: Head of office",
            "Clara Cramer (Mentee, Stadt Bottrop): "
            "No mentor outside her own administration has a place left.",
        ),
        (
            "de",
            "2 von 2 Themen gemeinsam; Mentor:in ist Amtsleitung",
            "Clara Cramer (Mentee, Stadt Bottrop): "
            "Keine Mentor:in außerhalb der eigenen Verwaltung hat noch Kapazität.",
        ),
    ],
)
def test_the_proposal_page_explains_in_the_readers_language(
    client, proposal, language, explanation, reason
):
    text = page(client, proposal, matching_url(proposal), language)

    assert f'<span class="small">{explanation}</span>' in text
    assert reason in text


def test_the_choice_by_hand_explains_in_english(client, proposal):
    url = matching_url(proposal) + f"von-hand/{proposal['clara'].pk}/"

    text = page(client, proposal, url, "en")

    assert "mentor's role: Head of office" in text
    assert "Mentor:in ist" not in text


def test_the_publish_confirmation_gives_the_reasons_in_english(client, proposal):
    url = matching_url(proposal) + f"{proposal['run'].pk}/veroeffentlichen/"

    text = page(client, proposal, url, "en")

    assert (
        "Clara Cramer (Mentee, Stadt Bottrop): "
        "No mentor outside her own administration has a place left."
    ) in text
