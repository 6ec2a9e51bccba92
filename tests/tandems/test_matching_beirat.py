"""Matching and publication as the Beirat works (issue 12).

Pins that break a hard rule are refused when they are set, with names; every pin and ban
can be lifted; the chair pairs a mentee by hand from the scored valid mentors; each
proposed pair shows its runner-up and both sides' facts; re-matching leaves out the
former partner unless the chair chooses her; only the current proposal with pairs is
published, after a confirmation page; an early end has its own page; GET never writes.
"""

import datetime as dt
import importlib
import json

import pytest
from django.apps import apps as django_apps
from django.core import mail
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from applications.enums import LeadershipLevel
from applications.models import Application
from applications.retention import anonymise
from cohorts.enums import BeiratRole, MatchingPolicy
from mentoring import retention
from tandems import matching, selectors, services
from tandems.enums import ConstraintKind, TandemStatus
from tandems.matching_display import explanation_text, reason_text
from tandems.models import MatchingRun, MatchingSettings, PairConstraint, Tandem, TandemLog
from tests.factories import (
    ApplicationFactory,
    BeiratMembershipFactory,
    CohortFactory,
    CohortOrganisationFactory,
    MentorApplicationFactory,
    ProgrammeOfficeFactory,
    TopicFactory,
)
from tests.tandems.runs import matching_url, pairs_of, queries

pytestmark = pytest.mark.django_db

SAME_BOTTROP = (
    "Anna Aust und Berta Brandt sind beide bei Stadt Bottrop; ein Tandem verbindet zwei "
    "verschiedene Organisationen."
)


@pytest.fixture
def world():
    cohort = CohortFactory(programme__name="Cross-Mentoring Emscher-Lippe")
    bottrop, gladbeck, marl = (
        CohortOrganisationFactory(cohort=cohort, organisation__name=name).organisation
        for name in ("Stadt Bottrop", "Stadt Gladbeck", "Stadt Marl")
    )
    chair = BeiratMembershipFactory(
        programme=cohort.programme, organisation=marl, role=BeiratRole.CHAIR
    ).user
    member = BeiratMembershipFactory(programme=cohort.programme, organisation=bottrop).user
    return {
        "cohort": cohort,
        "bottrop": bottrop,
        "gladbeck": gladbeck,
        "marl": marl,
        "chair": chair,
        "member": member,
        "office": ProgrammeOfficeFactory(),
    }


def _person(factory_class, organisation, name):
    """A fixture (named after the variable it is assigned to): an accepted participant of
    ``world``'s cohort from one of its administrations."""

    @pytest.fixture
    def person(world):
        return factory_class(
            accepted=True, cohort=world["cohort"], organisation=world[organisation], name=name
        )

    return person


# The people of most tests. Berta heads an office, as the factory's mentors do.
anna = _person(ApplicationFactory, "bottrop", "Anna Aust")
clara = _person(ApplicationFactory, "bottrop", "Clara Cramer")
berta = _person(MentorApplicationFactory, "gladbeck", "Berta Brandt")
dora = _person(MentorApplicationFactory, "marl", "Dora Dahl")
# A mentor of Anna's own administration.
berta_of_bottrop = _person(MentorApplicationFactory, "bottrop", "Berta Brandt")


def messages_of(response):
    return [str(message) for message in response.context["messages"]]


def _writes(captured):
    return [
        query["sql"]
        for query in captured.captured_queries
        if query["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
    ]


# 1. Pins that break a hard rule ----------------------------------------------------------


def test_a_pin_within_one_administration_is_refused_with_both_names_and_the_rule(
    world, anna, berta_of_bottrop
):
    cohort = world["cohort"]
    with pytest.raises(services.TandemError) as error:
        services.pair_constrain(
            cohort=cohort,
            mentee=anna,
            mentor=berta_of_bottrop,
            kind=ConstraintKind.PIN,
            actor=world["chair"],
        )
    assert str(error.value) == f"Diese Vorgabe ist nicht möglich: {SAME_BOTTROP}"
    assert not PairConstraint.objects.exists()
    # Matching is not blocked: the run simply finds no valid mentor for her.
    run = services.matching_run(cohort=cohort, actor=world["chair"])
    assert (pairs_of(run), [entry["mentee"] for entry in run.unmatched]) == (set(), [anna.pk])


def test_the_pin_sent_through_the_pages_form_is_refused_and_nothing_is_stored(
    client, world, anna, berta_of_bottrop
):
    cohort = world["cohort"]
    client.force_login(world["chair"])
    response = client.post(
        matching_url(cohort) + "paar/",
        {"mentee": anna.pk, "mentor": berta_of_bottrop.pk, "kind": "pin"},
        follow=True,
    )
    assert messages_of(response) == [f"Diese Vorgabe ist nicht möglich: {SAME_BOTTROP}"]
    assert not PairConstraint.objects.exists()
    followed = client.post(matching_url(cohort) + "berechnen/", follow=True)
    assert messages_of(followed) == ["Ein neuer Vorschlag ist berechnet."]


@pytest.fixture
def kerpen():
    cohort = CohortFactory(programme__matching_policy=MatchingPolicy.INTERNAL)
    kerpen = CohortOrganisationFactory(cohort=cohort, organisation__name="Stadt Kerpen")
    return cohort, kerpen.organisation


@pytest.mark.parametrize(
    ("mentor", "mentee", "refusal"),
    [
        pytest.param(
            {
                "name": "Karin Roth",
                "applicant__email": "karin.roth@kerpen.example.org",
                "department": "Dezernat I",
            },
            {
                "name": "Julia Peters",
                "supervisor_email": "Karin.Roth@kerpen.example.org",
                "department": "Amt 10",
            },
            "Karin Roth ist in der Bewerbung von Julia Peters als direkte Führungskraft angegeben.",
            id="with-her-own-line-manager",
        ),
        pytest.param(
            {"name": "Frank Vogt", "department": "amt 20  Finanzen"},
            {"name": "Kerstin Brenner", "department": "Amt 20 Finanzen"},
            "Kerstin Brenner und Frank Vogt arbeiten im selben Fachbereich / Amt (Amt 20 "
            "Finanzen).",
            id="within-her-own-department",
        ),
    ],
)
def test_a_pin_is_refused_in_an_internal_programme(kerpen, mentor, mentee, refusal):
    cohort, organisation = kerpen
    mentor = MentorApplicationFactory(
        accepted=True, cohort=cohort, organisation=organisation, **mentor
    )
    mentee = ApplicationFactory(accepted=True, cohort=cohort, organisation=organisation, **mentee)
    with pytest.raises(services.TandemError) as error:
        services.pair_constrain(
            cohort=cohort,
            mentee=mentee,
            mentor=mentor,
            kind=ConstraintKind.PIN,
            actor=ProgrammeOfficeFactory(),
        )
    assert str(error.value) == f"Diese Vorgabe ist nicht möglich: {refusal}"


def test_a_pin_against_the_mentees_own_veto_is_refused(world, anna, berta):
    cohort = world["cohort"]
    anna.avoided_organisations.add(world["gladbeck"])
    with pytest.raises(services.TandemError) as error:
        services.pair_constrain(
            cohort=cohort, mentee=anna, mentor=berta, kind=ConstraintKind.PIN, actor=world["chair"]
        )
    assert str(error.value) == (
        "Diese Vorgabe ist nicht möglich: Anna Aust möchte laut ihrer Bewerbung keine "
        "Mentor:in aus Stadt Gladbeck."
    )


def test_a_second_pin_for_one_mentee_and_a_pin_beyond_the_seats_are_refused(
    world, anna, clara, berta, dora
):
    cohort = world["cohort"]
    chair = world["chair"]
    services.pair_constrain(
        cohort=cohort, mentee=anna, mentor=berta, kind=ConstraintKind.PIN, actor=chair
    )
    with pytest.raises(services.TandemError) as twice:
        services.pair_constrain(
            cohort=cohort, mentee=anna, mentor=dora, kind=ConstraintKind.PIN, actor=chair
        )
    assert str(twice.value) == (
        "Für Anna Aust ist bereits Berta Brandt festgelegt. Heben Sie diese Vorgabe zuerst auf."
    )
    with pytest.raises(services.TandemError) as full:
        services.pair_constrain(
            cohort=cohort, mentee=clara, mentor=berta, kind=ConstraintKind.PIN, actor=chair
        )
    assert str(full.value) == "Die freien Plätze von Berta Brandt sind schon festgelegt: Anna Aust."
    assert list(PairConstraint.objects.values_list("mentee_id", "mentor_id")) == [
        (anna.pk, berta.pk)
    ]
    run = services.matching_run(cohort=cohort, actor=chair)
    assert pairs_of(run) == {(anna.pk, berta.pk), (clara.pk, dora.pk)}


def test_a_pin_that_a_later_change_breaks_stops_the_run_with_names_not_ids(world, anna, berta):
    cohort = world["cohort"]
    services.pair_constrain(
        cohort=cohort, mentee=anna, mentor=berta, kind=ConstraintKind.PIN, actor=world["chair"]
    )
    # Valid when set; then the mentee's application rules Gladbeck out.
    anna.avoided_organisations.add(world["gladbeck"])
    with pytest.raises(services.TandemError) as error:
        services.matching_run(cohort=cohort, actor=world["chair"])
    assert str(error.value) == (
        "Das festgelegte Paar Anna Aust – Berta Brandt verletzt eine feste Regel: Anna Aust "
        "möchte laut ihrer Bewerbung keine Mentor:in aus Stadt Gladbeck. Heben Sie die Vorgabe "
        "unter „Vorgaben“ auf, um neu zu berechnen."
    )


def test_every_pin_and_ban_is_listed_with_a_button_that_lifts_it(
    client, world, anna, clara, berta, dora
):
    cohort, chair = world["cohort"], world["chair"]
    services.matching_run(cohort=cohort, actor=chair)
    # Set after the current proposal: neither is in it.
    services.pair_constrain(
        cohort=cohort, mentee=anna, mentor=dora, kind=ConstraintKind.PIN, actor=chair
    )
    services.pair_constrain(
        cohort=cohort, mentee=clara, mentor=dora, kind=ConstraintKind.FORBID, actor=chair
    )
    client.force_login(chair)
    html = client.get(matching_url(cohort)).content.decode()
    for kind, mentee in (("festgelegt", anna), ("ausgeschlossen", clara)):
        label = f"{kind}: {mentee.applicant.get_full_name()} – Dora Dahl"
        assert f'<span class="visually-hidden"> {label}</span>' in html
    response = client.post(
        matching_url(cohort) + "paar/",
        {"mentee": anna.pk, "mentor": dora.pk, "kind": "release"},
        follow=True,
    )
    assert messages_of(response) == [
        "Vorgabe aufgehoben: Anna Aust – Dora Dahl. Das gilt ab dem nächsten Vorschlag."
    ]
    assert list(PairConstraint.objects.values_list("mentee_id", "kind")) == [
        (clara.pk, ConstraintKind.FORBID)
    ]
    again = client.post(
        matching_url(cohort) + "paar/",
        {"mentee": anna.pk, "mentor": dora.pk, "kind": "release"},
        follow=True,
    )
    assert messages_of(again) == ["Diese Vorgabe besteht nicht mehr."]
    # The ban still holds: Clara never gets Dora.
    assert pairs_of(services.matching_run(cohort=cohort, actor=chair)) == {
        (anna.pk, dora.pk),
        (clara.pk, berta.pk),
    }


@settings(max_examples=200, deadline=None)
@given(
    st.integers(1, 3),
    st.integers(1, 3),
    st.sampled_from([matching.ACROSS, matching.INTERNAL]),
    st.booleans(),
    st.sampled_from(["", "amt 10", "amt 20"]),
    st.sampled_from(["", "amt 10", "amt 20"]),
    st.booleans(),
    st.booleans(),
    st.booleans(),
)
def test_broken_rule_names_a_rule_exactly_where_feasibility_forbids_the_pair(
    mentee_org, mentor_org, policy, separate, mentee_dept, mentor_dept, supervisor, veto, ban
):
    mentor = matching.Mentor(id=7, organisation_id=mentor_org, department=mentor_dept)
    mentee = matching.Mentee(
        id=22,
        organisation_id=mentee_org,
        department=mentee_dept,
        supervisor_id=7 if supervisor else None,
        vetoes=frozenset({7}) if veto else frozenset(),
    )
    forbidden = {(22, 7)} if ban else set()
    allowed = matching.feasibility(
        [mentee], [mentor], policy=policy, separate_departments=separate, forbidden=forbidden
    )[0, 0]
    rule = matching.broken_rule(
        mentee, mentor, policy=policy, separate_departments=separate, forbidden=forbidden
    )
    assert (rule is None) == bool(allowed)


def test_candidates_score_one_mentee_as_the_solver_scores_her_pair():
    mentee = matching.Mentee(id=1, organisation_id=1, topics=frozenset({1, 2}))
    mentors = [
        matching.Mentor(id=10, organisation_id=2, topics=frozenset({1}), level=3),
        matching.Mentor(id=11, organisation_id=3, topics=frozenset({1, 2}), level=1),
        matching.Mentor(id=12, organisation_id=1, topics=frozenset({1, 2}), level=4),
    ]
    (pair,) = matching.solve([mentee], mentors).pairs
    found = matching.candidates(mentee, mentors)
    assert [(c.mentor_id, c.rule) for c in found] == [
        (11, None),
        (10, None),
        (12, matching.SAME_ORGANISATION),
    ]
    assert (found[0].mentor_id, found[0].score, found[0].explanation) == (
        pair.mentor_id,
        pair.score,
        pair.explanation,
    )


# 2. Pairing by hand ----------------------------------------------------------------------


@pytest.fixture
def hand(world, anna, clara, berta, dora):
    career, conflict = TopicFactory(name="Karriereplanung"), TopicFactory(name="Konflikte")
    anna.topics.add(career, conflict)
    berta.topics.add(career, conflict)
    dora.leadership_level = LeadershipLevel.TEAM_LEAD
    dora.save()
    dora.topics.add(career)
    sabine = MentorApplicationFactory(
        accepted=True, cohort=world["cohort"], organisation=world["bottrop"], name="Sabine Selle"
    )
    return {**world, "anna": anna, "clara": clara, "berta": berta, "dora": dora, "sabine": sabine}


def test_mentor_choices_score_every_mentor_and_name_the_rule_against_the_others(hand):
    choices = services.mentor_choices(cohort=hand["cohort"], mentee=hand["anna"])
    assert [
        (c["application"], c["score"], explanation_text(c["explanation"]), c["reason"], c["former"])
        for c in choices
    ] == [
        (hand["berta"], 4.0, "2 von 2 Themen gemeinsam; Mentor:in ist Amtsleitung", None, False),
        (
            hand["dora"],
            1.833333,
            "1 von 2 Themen gemeinsam; Mentor:in ist Sachgebiets- / Teamleitung",
            None,
            False,
        ),
        (
            hand["sabine"],
            1.0,
            "0 von 2 Themen gemeinsam; Mentor:in ist Amtsleitung",
            "Anna Aust und Sabine Selle sind beide bei Stadt Bottrop; ein Tandem verbindet "
            "zwei verschiedene Organisationen.",
            False,
        ),
    ]


def test_pairing_by_hand_pins_the_choice_and_computes_a_new_proposal_around_it(hand):
    cohort, chair = hand["cohort"], hand["chair"]
    anna, clara, berta, dora = hand["anna"], hand["clara"], hand["berta"], hand["dora"]
    first = services.matching_run(cohort=cohort, actor=chair)
    assert pairs_of(first) == {(anna.pk, berta.pk), (clara.pk, dora.pk)}
    services.pair_constrain(
        cohort=cohort, mentee=anna, mentor=berta, kind=ConstraintKind.PIN, actor=chair
    )
    office = hand["office"]
    run = services.pair_by_hand(cohort=cohort, mentee=anna, mentor=dora, actor=office)
    run.refresh_from_db()
    assert pairs_of(run) == {(anna.pk, dora.pk), (clara.pk, berta.pk)}
    assert run.pairs.get(mentee=anna).pinned is True
    assert (run.created_by, run.pinned) == (office, [[anna.pk, dora.pk]])
    # The hand-made pin replaced the earlier one and keeps who set it.
    assert list(PairConstraint.objects.values_list("mentee", "mentor", "kind", "created_by")) == [
        (anna.pk, dora.pk, ConstraintKind.PIN, office.pk)
    ]
    assert MatchingRun.objects.first() == run


def test_pairing_by_hand_refuses_a_mentor_a_hard_rule_forbids_with_the_reason(hand):
    cohort, anna = hand["cohort"], hand["anna"]
    with pytest.raises(services.TandemError) as error:
        services.pair_by_hand(
            cohort=cohort, mentee=anna, mentor=hand["sabine"], actor=hand["chair"]
        )
    assert str(error.value) == (
        "Anna Aust und Sabine Selle können kein Tandem bilden: Anna Aust und Sabine Selle "
        "sind beide bei Stadt Bottrop; ein Tandem verbindet zwei verschiedene Organisationen."
    )
    with pytest.raises(services.TandemError) as mentee_as_mentor:
        services.pair_by_hand(cohort=cohort, mentee=anna, mentor=hand["clara"], actor=hand["chair"])
    assert str(mentee_as_mentor.value) == (
        "Clara Cramer steht nicht zur Wahl: keine angenommene Mentor:in dieses Jahrgangs mit "
        "freiem Platz."
    )
    assert (PairConstraint.objects.count(), MatchingRun.objects.count()) == (0, 0)


def by_hand_url(cohort, mentee):
    return f"/beirat/jahrgang/{cohort.pk}/tandembildung/von-hand/{mentee.pk}/"


def test_the_hand_pairing_page_offers_the_valid_mentors_scored_and_shows_why_not_the_others(
    client, hand
):
    cohort, anna = hand["cohort"], hand["anna"]
    client.force_login(hand["chair"])
    response = client.get(by_hand_url(cohort, anna))
    html = response.content.decode()
    assert [c["application"] for c in response.context["allowed"]] == [hand["berta"], hand["dora"]]
    assert f'value="{hand["berta"].pk}"' in html
    assert f'value="{hand["sabine"].pk}"' not in html  # no radio for a forbidden mentor
    assert "2 von 2 Themen gemeinsam; Mentor:in ist Amtsleitung" in html
    assert (
        "Sabine Selle (Stadt Bottrop): Anna Aust und Sabine Selle sind beide bei Stadt "
        "Bottrop; ein Tandem verbindet zwei verschiedene Organisationen." in html
    )

    refused = client.post(by_hand_url(cohort, anna), {"mentor": hand["sabine"].pk}, follow=True)
    assert messages_of(refused) == [
        "Anna Aust und Sabine Selle können kein Tandem bilden: Anna Aust und Sabine Selle "
        "sind beide bei Stadt Bottrop; ein Tandem verbindet zwei verschiedene Organisationen."
    ]
    done = client.post(by_hand_url(cohort, anna), {"mentor": hand["dora"].pk}, follow=True)
    run = MatchingRun.objects.get()
    assert done.redirect_chain[-1][0] == matching_url(cohort, run)
    assert messages_of(done) == [
        "Anna Aust ist von Hand Dora Dahl zugeordnet (festgelegt); ein neuer Vorschlag ist "
        "berechnet."
    ]
    assert run.pairs.get(mentee=anna).mentor == hand["dora"]


@pytest.mark.parametrize(
    "sent",
    [{}, {"mentor": "abc"}, {"mentor": "-3"}, {"mentor": "999999"}, {"mentor": "9" * 30}],
)
def test_hand_pairing_with_nonsense_is_a_message_not_an_error(client, hand, sent):
    client.force_login(hand["chair"])
    response = client.post(by_hand_url(hand["cohort"], hand["anna"]), sent, follow=True)
    assert response.status_code == 200
    assert messages_of(response) == ["Bitte wählen Sie eine Mentor:in dieses Jahrgangs."]
    assert not PairConstraint.objects.exists()


def test_choosing_no_mentor_is_answered_by_the_site_not_the_browser(client, ended):
    """The browser's own check ("Please select one of these options.") speaks the
    browser's language, not the site's: the forms leave checking to the site."""
    client.force_login(ended["chair"])
    urls = [
        by_hand_url(ended["cohort"], ended["anna"]),
        f"/beirat/tandem/{ended['tandem'].pk}/neu-zuordnen/",
    ]
    for url in urls:
        html = client.get(url).content.decode()
        assert '<form method="post" novalidate>' in html, url
        assert 'name="mentor"' in html, url


def test_hand_pairing_is_for_the_chair_and_office_and_for_this_cohorts_mentees(client, hand):
    cohort = hand["cohort"]
    client.force_login(hand["member"])
    assert client.get(by_hand_url(cohort, hand["anna"])).status_code == 403
    assert client.post(by_hand_url(cohort, hand["anna"]), {"mentor": 1}).status_code == 403
    client.force_login(hand["chair"])
    assert client.get(by_hand_url(cohort, hand["berta"])).status_code == 404
    assert client.get(by_hand_url(cohort, ApplicationFactory())).status_code == 404


def test_a_mentee_in_a_tandem_is_not_paired_by_hand(client, hand):
    cohort, chair = hand["cohort"], hand["chair"]
    services.matching_publish(run=services.matching_run(cohort=cohort, actor=chair), actor=chair)
    client.force_login(chair)
    response = client.get(by_hand_url(cohort, hand["anna"]))
    assert response.context["refusal"] == "Anna Aust hat bereits ein Tandem mit Berta Brandt."
    assert 'type="radio"' not in response.content.decode()


def test_the_hand_pairing_page_does_not_grow_with_the_mentors(client, hand):
    cohort = hand["cohort"]
    client.force_login(hand["chair"])
    url = by_hand_url(cohort, hand["anna"])
    few = queries(client, url)
    topic = TopicFactory(name="Netzwerk")
    for number in range(12):
        mentor = MentorApplicationFactory(
            accepted=True, cohort=cohort, organisation=hand["marl"], name=f"Mentorin Nummer{number}"
        )
        mentor.topics.add(topic)
    assert len(client.get(url).context["allowed"]) == 14
    assert queries(client, url) == few


# 3. Runner-up and facts side by side -----------------------------------------------------


def test_each_proposed_pair_shows_the_runner_up_and_both_sides_facts(client, hand):
    cohort, chair = hand["cohort"], hand["chair"]
    run = services.matching_run(cohort=cohort, actor=chair)
    client.force_login(chair)
    response = client.get(matching_url(cohort, run))
    pairs = {pair.mentee: pair for pair in response.context["pairs"]}
    anna = pairs[hand["anna"]]
    assert anna.mentor == hand["berta"]
    assert anna.facts == {
        "mentee_topics": [("Karriereplanung", True), ("Konflikte", True)],
        "mentor_topics": [("Karriereplanung", True), ("Konflikte", True)],
        "mentee_level": "Sachgebietsleitung, A 11",
        "mentor_level": "Amtsleitung",
        "km": None,
    }
    assert {**anna.runner_up, "explanation": explanation_text(anna.runner_up["explanation"])} == {
        "application": hand["dora"],
        "score": 1.833333,
        "explanation": "1 von 2 Themen gemeinsam; Mentor:in ist Sachgebiets- / Teamleitung",
        "taken": True,  # Dora is Clara's mentor in this proposal
    }
    html = response.content.decode()
    assert "in diesem Vorschlag einer anderen Mentee zugeordnet" in html
    assert "<strong>Karriereplanung</strong>" in html


def test_a_run_keeps_what_its_page_compares_as_it_was_when_computed(client, hand):
    cohort, chair = hand["cohort"], hand["chair"]
    run = services.matching_run(cohort=cohort, actor=chair)
    stored = run.pairs.get(mentee=hand["anna"])
    assert (stored.km, stored.runner_up_mentor, stored.runner_up_score) == (
        None,
        hand["dora"],
        1.833333,
    )
    assert explanation_text(stored.runner_up_explanation) == (
        "1 von 2 Themen gemeinsam; Mentor:in ist Sachgebiets- / Teamleitung"
    )
    # Dora's topics change after the run: the page still shows the run's comparison, as
    # it shows the run's pairs and scores.
    hand["dora"].topics.clear()
    client.force_login(chair)
    pairs = {pair.mentee: pair for pair in client.get(matching_url(cohort, run)).context["pairs"]}
    assert pairs[hand["anna"]].runner_up["score"] == 1.833333


def test_a_run_from_before_comparisons_were_stored_has_them_worked_out_when_shown(client, hand):
    cohort, chair = hand["cohort"], hand["chair"]
    run = services.matching_run(cohort=cohort, actor=chair)
    MatchingRun.objects.filter(pk=run.pk).update(compared=False)
    run.pairs.update(km=None, runner_up_mentor=None, runner_up_score=None, runner_up_explanation=[])
    client.force_login(chair)
    pairs = {pair.mentee: pair for pair in client.get(matching_url(cohort, run)).context["pairs"]}
    anna = pairs[hand["anna"]]
    assert {**anna.runner_up, "explanation": explanation_text(anna.runner_up["explanation"])} == {
        "application": hand["dora"],
        "score": 1.833333,
        "explanation": "1 von 2 Themen gemeinsam; Mentor:in ist Sachgebiets- / Teamleitung",
        "taken": True,
    }


def test_an_erased_runner_up_is_no_longer_named_in_the_proposal(client, hand):
    cohort, chair = hand["cohort"], hand["chair"]
    run = services.matching_run(cohort=cohort, actor=chair)
    # Dora, Anna's runner-up, asks to be erased.
    retention.erase_person(user=hand["dora"].applicant, actor=hand["chair"])
    stored = run.pairs.get(mentee=hand["anna"])
    assert (stored.runner_up_mentor, stored.runner_up_explanation) == (None, [])
    client.force_login(chair)
    response = client.get(matching_url(cohort, run))
    pairs = {pair.mentee: pair for pair in response.context["pairs"]}
    assert (pairs[hand["anna"]].runner_up, pairs[hand["anna"]].runner_up_erased) == (None, True)
    assert "nicht mehr angezeigt (Daten gelöscht)" in response.content.decode()


def test_a_runner_up_anonymised_when_her_time_was_up_is_forgotten_the_night_after(hand):
    run = services.matching_run(cohort=hand["cohort"], actor=hand["chair"])
    dora = hand["dora"]
    with transaction.atomic():
        anonymise([Application.objects.select_for_update().get(pk=dora.pk)])
    assert run.pairs.get(mentee=hand["anna"]).runner_up_mentor == dora
    retention.erase_due(today=timezone.localdate())
    assert run.pairs.get(mentee=hand["anna"]).runner_up_mentor is None


def test_the_distance_between_the_two_organisations_is_shown(client, world, anna, berta):
    cohort = world["cohort"]
    for organisation, (lat, lon) in (
        (world["bottrop"], ("51.5236", "6.9285")),
        (world["gladbeck"], ("51.5728", "6.9853")),
    ):
        organisation.latitude, organisation.longitude = lat, lon
        organisation.save()
    run = services.matching_run(cohort=cohort, actor=world["chair"])
    client.force_login(world["chair"])
    (pair,) = client.get(matching_url(cohort, run)).context["pairs"]
    assert round(pair.facts["km"]) == 7
    assert "Entfernung: 7 km" in client.get(matching_url(cohort, run)).content.decode()


@pytest.mark.parametrize("compared", [True, False], ids=["stored", "worked-out-when-shown"])
def test_the_matching_page_with_runner_ups_does_not_grow_with_the_pairs(client, world, compared):
    cohort, chair = world["cohort"], world["chair"]
    topic = TopicFactory(name="Karriereplanung")

    def couple(number):
        mentee = ApplicationFactory(
            accepted=True,
            cohort=cohort,
            organisation=world["bottrop"],
            name=f"Mentee Nummer{number}",
        )
        mentor = MentorApplicationFactory(
            accepted=True,
            cohort=cohort,
            organisation=world["gladbeck"],
            name=f"Mentorin Nummer{number}",
        )
        mentee.topics.add(topic)
        mentor.topics.add(topic)

    couple(0)
    one = services.matching_run(cohort=cohort, actor=chair)
    MatchingRun.objects.filter(pk=one.pk).update(compared=compared)
    services.pair_constrain(
        cohort=cohort,
        mentee=one.pairs.get().mentee,
        mentor=one.pairs.get().mentor,
        kind=ConstraintKind.FORBID,
        actor=chair,
    )
    client.force_login(chair)
    few = queries(client, matching_url(cohort, one))
    for number in range(1, 15):
        couple(number)
    many = services.matching_run(cohort=cohort, actor=chair)
    MatchingRun.objects.filter(pk=many.pk).update(compared=compared)
    for pair in many.pairs.all()[:3]:
        PairConstraint.objects.get_or_create(
            cohort=cohort, mentee=pair.mentee, mentor=pair.mentor, kind=ConstraintKind.PIN
        )
    assert many.pairs.count() == 15
    assert queries(client, matching_url(cohort, many)) == few


# 4. Re-matching after an early end -------------------------------------------------------


@pytest.fixture
def ended(world, anna, berta):
    """Anna's tandem with Berta ended early; Berta (best by topics) and Dora have seats."""
    cohort, chair = world["cohort"], world["chair"]
    topic = TopicFactory(name="Karriereplanung")
    anna.topics.add(topic)
    berta.topics.add(topic)
    (tandem,) = services.matching_publish(
        run=services.matching_run(cohort=cohort, actor=chair), actor=chair
    )
    services.tandem_end(tandem=tandem, actor=chair, reason="Stellenwechsel der Mentorin")
    # Dora applies only now: the first proposal had Berta alone.
    dora = MentorApplicationFactory(
        accepted=True, cohort=cohort, organisation=world["marl"], name="Dora Dahl"
    )
    tandem.refresh_from_db()
    return {**world, "tandem": tandem, "anna": anna, "berta": berta, "dora": dora}


def test_rematching_never_proposes_the_former_mentor_while_another_seat_is_free(
    ended, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        tandem = services.tandem_rematch(ended=ended["tandem"], actor=ended["chair"])
    assert (tandem.mentee, tandem.mentor, tandem.status) == (
        ended["anna"],
        ended["dora"],
        TandemStatus.ACTIVE,
    )
    assert sorted(message.to[0] for message in mail.outbox) == sorted(
        [ended["anna"].applicant.email, ended["dora"].applicant.email]
    )


def test_a_new_proposal_leaves_out_the_former_pair_too(ended):
    run = services.matching_run(cohort=ended["cohort"], actor=ended["chair"])
    assert pairs_of(run) == {(ended["anna"].pk, ended["dora"].pk)}


def test_no_rematch_after_the_cohort_has_ended(client, ended):
    """A tandem beginning after its cohort's last day would have no month for a contact."""
    cohort = ended["cohort"]
    cohort.start_date = timezone.localdate() - dt.timedelta(days=400)
    cohort.end_date = timezone.localdate() - dt.timedelta(days=1)
    cohort.save()
    refusal = (
        f"Der Jahrgang endete am {cohort.end_date:%d.%m.%Y}; danach werden keine Tandems mehr "
        "gebildet."
    )
    with pytest.raises(services.TandemError) as error:
        services.tandem_rematch(ended=ended["tandem"], actor=ended["chair"])
    assert str(error.value) == refusal
    client.force_login(ended["chair"])
    page = client.get(f"/beirat/tandem/{ended['tandem'].pk}/neu-zuordnen/")
    assert refusal in page.content.decode()
    assert Tandem.objects.filter(status=TandemStatus.ACTIVE).count() == 0


def test_with_only_the_former_mentor_free_rematching_says_so_by_name(ended):
    ended["dora"].delete()
    with pytest.raises(services.TandemError) as error:
        services.tandem_rematch(ended=ended["tandem"], actor=ended["chair"])
    assert str(error.value) == (
        "Keine neue Zuordnung möglich: Einen freien Platz hat nur die frühere Mentor:in Berta "
        "Brandt. Wählen Sie sie bewusst aus, wenn das Tandem neu beginnen soll."
    )
    run = services.matching_run(cohort=ended["cohort"], actor=ended["chair"])
    shown = selectors.unmatched_of(run=run)
    assert [(entry["application"], reason_text(entry["reason"])) for entry in shown] == [
        (
            ended["anna"],
            "Keine Mentor:in außerhalb der eigenen Verwaltung ist zulässig (oder alle "
            "sind gesperrt). Ihre frühere Mentor:in Berta Brandt (Tandem vorzeitig beendet) wird "
            "nicht neu vorgeschlagen; wählen Sie sie bei Bedarf bewusst von Hand.",
        )
    ]


def test_a_former_partner_is_named_in_a_stored_proposal_only_until_she_is_erased(ended):
    ended["dora"].delete()
    run = services.matching_run(cohort=ended["cohort"], actor=ended["chair"])
    run.refresh_from_db()
    # The run keeps who, not the name.
    assert "Brandt" not in json.dumps(run.unmatched)
    note = [selectors.FORMER_PARTNERS, {"mentors": [ended["berta"].pk]}]
    assert run.unmatched[0]["reason"][-1] == note
    retention.erase_person(user=ended["berta"].applicant, actor=ended["chair"])
    run.refresh_from_db()
    (entry,) = selectors.unmatched_of(run=run)
    assert reason_text(entry["reason"]) == (
        "Keine Mentor:in außerhalb der eigenen Verwaltung ist zulässig (oder alle sind gesperrt)."
    )


def test_notes_stored_with_names_before_are_rewritten_to_ids(ended):
    """Migration 0009 on a run stored the old way: the name becomes the mentor's id."""
    legacy = [
        ["Keine Mentor:in ist zulässig.", {}],
        [selectors.FORMER_PARTNERS, {"names": "Berta Brandt"}],
    ]
    # A note whose tandem is gone: left out.
    unknown = [[selectors.FORMER_PARTNERS, {"names": "Niemand Bekannt"}]]
    run = MatchingRun.objects.create(
        cohort=ended["cohort"],
        unmatched=[
            {"mentee": ended["anna"].pk, "reason": legacy},
            {"mentee": 10**9, "reason": unknown},
            {"mentor": ended["dora"].pk, "reason": "Ohne Einwilligung zur Weitergabe."},
        ],
    )
    migration = importlib.import_module("tandems.migrations.0009_former_partners_by_id")
    migration.names_to_ids(django_apps, None)
    run.refresh_from_db()
    assert run.unmatched == [
        {
            "mentee": ended["anna"].pk,
            "reason": [legacy[0], [selectors.FORMER_PARTNERS, {"mentors": [ended["berta"].pk]}]],
        },
        {"mentee": 10**9, "reason": []},
        {"mentor": ended["dora"].pk, "reason": "Ohne Einwilligung zur Weitergabe."},
    ]


def test_the_chair_may_choose_the_former_mentor_on_purpose(ended):
    tandem = services.tandem_rematch(
        ended=ended["tandem"], actor=ended["chair"], mentor=ended["berta"]
    )
    assert (tandem.mentee, tandem.mentor) == (ended["anna"], ended["berta"])
    assert TandemLog.objects.get(tandem=tandem).note == (
        "frühere Mentor:in bewusst gewählt; von Hand gewählt: 1 von 1 Themen gemeinsam; "
        "Mentor:in ist Amtsleitung"
    )
    # A pin chosen on purpose is kept by a run, too.
    services.tandem_end(tandem=tandem, actor=ended["chair"], reason="noch einmal")
    services.pair_constrain(
        cohort=ended["cohort"],
        mentee=ended["anna"],
        mentor=ended["berta"],
        kind=ConstraintKind.PIN,
        actor=ended["chair"],
    )
    run = services.matching_run(cohort=ended["cohort"], actor=ended["chair"])
    assert pairs_of(run) == {(ended["anna"].pk, ended["berta"].pk)}


def rematch_url(tandem):
    return f"/beirat/tandem/{tandem.pk}/neu-zuordnen/"


def test_the_rematch_page_marks_the_former_mentor_and_preselects_another(client, ended):
    client.force_login(ended["chair"])
    response = client.get(rematch_url(ended["tandem"]))
    html = response.content.decode()
    assert [(c["application"], c["former"]) for c in response.context["allowed"]] == [
        (ended["berta"], True),
        (ended["dora"], False),
    ]
    assert response.context["suggested"] == ended["dora"].pk
    assert f'value="{ended["dora"].pk}" checked' in html
    assert f'value="{ended["berta"].pk}" required' in html
    done = client.post(rematch_url(ended["tandem"]), {"mentor": ended["berta"].pk}, follow=True)
    assert messages_of(done) == ["Neues Tandem: Anna Aust mit Berta Brandt."]
    assert Tandem.objects.get(status=TandemStatus.ACTIVE).mentor == ended["berta"]
    again = client.get(rematch_url(ended["tandem"]))
    assert again.context["refusal"] == "Anna Aust hat bereits ein Tandem mit Berta Brandt."


def test_the_rematch_page_does_not_grow_with_the_mentors(client, ended):
    client.force_login(ended["chair"])
    url = rematch_url(ended["tandem"])
    few = queries(client, url)
    for number in range(10):
        MentorApplicationFactory(
            accepted=True,
            cohort=ended["cohort"],
            organisation=ended["marl"],
            name=f"Mentorin Nr{number}",
        )
    assert len(client.get(url).context["allowed"]) == 12
    assert queries(client, url) == few


# 5. Publishing ---------------------------------------------------------------------------


@pytest.mark.usefixtures("anna", "berta")
def test_an_older_proposal_is_not_published(world):
    cohort, chair = world["cohort"], world["chair"]
    older = services.matching_run(cohort=cohort, actor=chair)
    services.matching_run(cohort=cohort, actor=chair)
    with pytest.raises(services.TandemError) as error:
        services.matching_publish(run=older, actor=chair)
    assert str(error.value) == (
        "Veröffentlicht werden kann nur der neueste Vorschlag. Öffnen Sie ihn oder berechnen "
        "Sie einen neuen."
    )
    older.refresh_from_db()
    assert (older.published_at, Tandem.objects.count()) == (None, 0)


@pytest.mark.usefixtures("anna")
def test_an_empty_proposal_is_not_published_nor_marked_published(client, world):
    cohort, chair = world["cohort"], world["chair"]
    empty = services.matching_run(cohort=cohort, actor=chair)
    with pytest.raises(services.TandemError) as error:
        services.matching_publish(run=empty, actor=chair)
    assert str(error.value) == (
        "Dieser Vorschlag enthält kein Paar; es gibt nichts zu veröffentlichen."
    )
    client.force_login(chair)
    response = client.post(matching_url(cohort) + f"{empty.pk}/veroeffentlichen/", follow=True)
    assert messages_of(response) == [
        "Dieser Vorschlag enthält kein Paar; es gibt nichts zu veröffentlichen."
    ]
    empty.refresh_from_db()
    assert (empty.published_at, Tandem.objects.count(), mail.outbox) == (None, 0, [])
    page = client.get(matching_url(cohort) + f"{empty.pk}/veroeffentlichen/")
    assert page.context["refusal"] == (
        "Dieser Vorschlag enthält kein Paar; es gibt nichts zu veröffentlichen."
    )
    assert '<form method="post" class="my-3">' not in page.content.decode()


def test_a_proposal_whose_pairs_are_all_taken_meanwhile_is_not_published(ended):
    cohort, chair = ended["cohort"], ended["chair"]
    run = services.matching_run(cohort=cohort, actor=chair)
    services.tandem_rematch(ended=ended["tandem"], actor=chair)
    with pytest.raises(services.TandemError) as error:
        services.matching_publish(run=run, actor=chair)
    assert str(error.value) == (
        "Keines der Paare dieses Vorschlags kann noch gebildet werden. Berechnen Sie einen "
        "neuen Vorschlag."
    )
    run.refresh_from_db()
    assert run.published_at is None


def publish_url(cohort, run):
    return f"/beirat/jahrgang/{cohort.pk}/tandembildung/{run.pk}/veroeffentlichen/"


def test_publishing_asks_first_and_says_what_will_happen(
    client, hand, django_capture_on_commit_callbacks
):
    cohort, chair = hand["cohort"], hand["chair"]
    leftover = ApplicationFactory(
        accepted=True, cohort=cohort, organisation=hand["gladbeck"], name="Greta Gold"
    )
    leftover.avoided_organisations.add(hand["bottrop"], hand["marl"])
    run = services.matching_run(cohort=cohort, actor=chair)
    client.force_login(chair)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(publish_url(cohort, run))
    assert _writes(captured) == []
    context = response.context
    assert [(p.mentee, p.mentor) for p in context["formed"]] == [
        (hand["anna"], hand["berta"]),
        (hand["clara"], hand["dora"]),
    ]
    assert (context["emails"], context["refusal"], context["skipped"]) == (4, None, [])
    assert [e["application"] for e in context["unmatched"]] == [leftover]
    assert context["idle_mentors"] == [hand["sabine"]]
    html = response.content.decode()
    assert "2 Tandems werden gebildet" in html
    assert "4 E-Mails gehen hinaus" in html
    assert "Sabine Selle (Mentor:in, Stadt Bottrop): ohne Mentee" in html
    assert "2 Tandems bilden und E-Mails senden" in html
    assert Tandem.objects.count() == 0

    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(publish_url(cohort, run), follow=True)
    assert messages_of(done) == ["2 Tandems gebildet; beide Seiten erhalten eine E-Mail."]
    assert (Tandem.objects.count(), len(mail.outbox)) == (2, 4)
    run.refresh_from_db()
    assert run.published_by == chair


@pytest.mark.usefixtures("anna", "berta")
def test_the_publish_confirmation_does_not_grow_with_the_pairs(client, world):
    cohort, chair = world["cohort"], world["chair"]
    # In both cases someone stays without a tandem: a mentee and a mentor.
    alone = ApplicationFactory(
        accepted=True, cohort=cohort, organisation=world["bottrop"], name="Ohne Partnerin"
    )
    alone.avoided_organisations.add(world["gladbeck"], world["marl"])
    MentorApplicationFactory(
        accepted=True, cohort=cohort, organisation=world["bottrop"], name="Frei Bleibend"
    )
    client.force_login(chair)
    one = services.matching_run(cohort=cohort, actor=chair)
    assert one.pairs.count() == 1
    few = queries(client, publish_url(cohort, one))
    for number in range(12):
        ApplicationFactory(
            accepted=True, cohort=cohort, organisation=world["bottrop"], name=f"Mentee Nr{number}"
        )
        MentorApplicationFactory(
            accepted=True, cohort=cohort, organisation=world["marl"], name=f"Mentorin Nr{number}"
        )
    run = services.matching_run(cohort=cohort, actor=chair)
    assert run.pairs.count() == 13
    assert queries(client, publish_url(cohort, run)) == few


@pytest.mark.usefixtures("anna", "berta")
def test_only_the_chair_and_office_see_the_publish_confirmation(client, world):
    cohort = world["cohort"]
    run = services.matching_run(cohort=cohort, actor=world["office"])
    client.force_login(world["member"])
    assert client.get(publish_url(cohort, run)).status_code == 403
    client.force_login(world["office"])
    assert client.get(publish_url(cohort, run)).status_code == 200
    other = CohortFactory()
    assert client.get(publish_url(other, run)).status_code == 404


# 6. Ending a tandem early ----------------------------------------------------------------


@pytest.fixture
def running(world, anna, berta):
    cohort, chair = world["cohort"], world["chair"]
    (tandem,) = services.matching_publish(
        run=services.matching_run(cohort=cohort, actor=chair), actor=chair
    )
    return {**world, "tandem": tandem}


def end_url(tandem):
    return f"/beirat/tandem/{tandem.pk}/beenden/"


def test_ending_early_is_a_page_with_a_reason(client, running):
    tandem, officer = running["tandem"], running["member"]  # Bottrop: Anna's administration
    client.force_login(officer)
    listing = client.get(f"/beirat/jahrgang/{running['cohort'].pk}/tandems/").content.decode()
    assert f'href="{end_url(tandem)}"' in listing
    assert 'name="reason"' not in listing

    with CaptureQueriesContext(connection) as captured:
        page = client.get(end_url(tandem))
    assert _writes(captured) == []
    html = page.content.decode()
    assert "Anna Aust (Stadt Bottrop)" in html
    assert 'name="reason"' in html
    assert 'name="category"' in html

    empty = client.post(end_url(tandem), {"reason": "   "})
    assert empty.status_code == 200
    assert empty.context["form"].errors == {
        "category": ["Bitte wählen Sie die Art des Grundes."],
        "reason": ["Bitte geben Sie den Grund an."],
    }
    tandem.refresh_from_db()
    assert tandem.status == TandemStatus.ACTIVE

    done = client.post(
        end_url(tandem), {"reason": "Elternzeit der Mentee", "category": "absence"}, follow=True
    )
    assert messages_of(done) == ["Das Tandem Anna Aust – Berta Brandt ist beendet."]
    tandem.refresh_from_db()
    assert (tandem.status, tandem.end_reason, tandem.end_category, tandem.ended_at) == (
        TandemStatus.ENDED,
        "Elternzeit der Mentee",
        "absence",
        timezone.localdate(),
    )
    assert TandemLog.objects.get(tandem=tandem, action="ended").actor == officer
    assert "Dieses Tandem ist nicht mehr aktiv." in client.get(end_url(tandem)).content.decode()
    listing = client.get(f"/beirat/jahrgang/{running['cohort'].pk}/tandems/").content.decode()
    assert f'href="{rematch_url(tandem)}"' in listing


def test_only_those_who_may_end_it_reach_the_end_page(client, running):
    marl_officer = BeiratMembershipFactory(
        programme=running["cohort"].programme, organisation=running["marl"]
    ).user
    client.force_login(marl_officer)
    assert client.get(end_url(running["tandem"])).status_code == 403
    assert client.post(end_url(running["tandem"]), {"reason": "x"}).status_code == 403
    assert client.get("/beirat/tandem/999999/beenden/").status_code == 404


# 7. GET requests write nothing -------------------------------------------------------


def test_opening_the_matching_page_writes_nothing_and_the_first_save_creates_the_settings(
    client, world
):
    cohort = world["cohort"]
    client.force_login(world["chair"])
    client.get(matching_url(cohort))
    with CaptureQueriesContext(connection) as captured:
        response = client.get(matching_url(cohort))
    assert response.status_code == 200
    assert _writes(captured) == []
    assert not MatchingSettings.objects.exists()
    assert selectors.settings_for(cohort=cohort).weight_topics == 3
    client.post(
        matching_url(cohort) + "gewichte/",
        {
            "weight_topics": "2",
            "weight_kind": "1",
            "weight_level": "1",
            "weight_distance": "0",
            "weight_wish": "2",
            "max_distance_km": "80",
        },
    )
    saved = MatchingSettings.objects.get(cohort=cohort)
    assert (saved.weight_topics, saved.max_distance_km, saved.separate_departments) == (
        2,
        80,
        False,
    )


def test_the_beirats_matching_pages_write_nothing_on_get(client, ended):
    cohort, chair = ended["cohort"], ended["chair"]
    run = services.matching_run(cohort=cohort, actor=chair)
    active = services.tandem_rematch(ended=ended["tandem"], actor=chair)
    client.force_login(chair)
    urls = [
        matching_url(cohort, run),
        by_hand_url(cohort, ended["anna"]),
        publish_url(cohort, run),
        end_url(active),
        rematch_url(ended["tandem"]),
        f"/beirat/jahrgang/{cohort.pk}/tandems/",
    ]
    for url in urls:
        client.get(url)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200, url
        assert _writes(captured) == [], url
    assert not MatchingSettings.objects.exists()


@pytest.mark.parametrize(
    "sent",
    [
        {"mentee": "9" * 30, "mentor": "1", "kind": "pin"},
        {"mentee": "1", "mentor": "2", "kind": "marry"},
        {"kind": "release"},
    ],
)
def test_the_pair_buttons_with_nonsense_give_a_message_not_an_error(client, world, sent):
    client.force_login(world["chair"])
    response = client.post(matching_url(world["cohort"]) + "paar/", sent, follow=True)
    assert response.status_code == 200
    assert len(messages_of(response)) == 1
    assert not PairConstraint.objects.exists()


def test_a_rematch_with_a_mentor_of_another_cohort_is_refused(client, ended):
    client.force_login(ended["chair"])
    stranger = MentorApplicationFactory(accepted=True)
    response = client.post(rematch_url(ended["tandem"]), {"mentor": stranger.pk}, follow=True)
    assert messages_of(response) == ["Bitte wählen Sie eine Mentor:in dieses Jahrgangs."]
    assert not Tandem.objects.filter(status=TandemStatus.ACTIVE).exists()
