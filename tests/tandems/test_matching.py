"""The matching solver: hard rules never broken, optimal against brute force, explained."""

from functools import cache

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from applications.enums import LeadershipLevel
from tandems.matching import (
    ACROSS,
    INTERNAL,
    LEVEL_RANK,
    MatchingError,
    Mentee,
    Mentor,
    Weights,
    feasibility,
    score_parts,
    solve,
)
from tandems.matching_display import explanation_text, reason_text

EPSILON = 1e-4  # pair scores are rounded to 6 decimals each


def brute_force(mentees, mentors, *, policy, forbidden=(), separate_departments=False):
    """The best (number of tandems, total score) by exhaustive search with memoisation."""
    mentees = sorted(mentees, key=lambda m: m.id)
    mentors = sorted(mentors, key=lambda m: m.id)
    allowed = feasibility(
        mentees,
        mentors,
        policy=policy,
        forbidden=forbidden,
        separate_departments=separate_departments,
    )
    parts, _details = score_parts(mentees, mentors)
    weights = Weights()
    scores = sum(getattr(weights, name) * matrix for name, matrix in parts.items())

    @cache
    def best(i, capacity):
        if i == len(mentees):
            return (0, 0.0)
        options = [best(i + 1, capacity)]
        for j, left in enumerate(capacity):
            if left and allowed[i, j]:
                rest = list(capacity)
                rest[j] -= 1
                count, total = best(i + 1, tuple(rest))
                options.append((count + 1, total + float(scores[i, j])))
        return max(options, key=lambda option: (option[0], round(option[1], 9)))

    return best(0, tuple(m.capacity for m in mentors))


def assert_hard_rules(proposal, mentees, mentors, *, policy, forbidden=()):
    by_mentee = {m.id: m for m in mentees}
    by_mentor = {m.id: m for m in mentors}
    load = {}
    for pair in proposal.pairs:
        mentee, mentor = by_mentee[pair.mentee_id], by_mentor[pair.mentor_id]
        if policy == ACROSS:
            assert mentee.organisation_id != mentor.organisation_id
        else:
            assert mentee.supervisor_id != mentor.id
        assert (mentee.id, mentor.id) not in forbidden
        assert mentor.id not in mentee.vetoes
        load[mentor.id] = load.get(mentor.id, 0) + 1
    assert all(load[mentor_id] <= by_mentor[mentor_id].capacity for mentor_id in load)
    matched = [pair.mentee_id for pair in proposal.pairs]
    assert len(matched) == len(set(matched))
    assert set(matched) | {mentee_id for mentee_id, _ in proposal.unmatched} == set(by_mentee)


topic_sets = st.frozensets(st.integers(0, 5), max_size=4)


@st.composite
def instances(draw):
    organisations = draw(st.integers(1, 4))
    n = draw(st.integers(0, 8))
    m = draw(st.integers(0, 8))
    mentors = [
        Mentor(
            id=100 + j,
            organisation_id=draw(st.integers(1, organisations)),
            topics=draw(topic_sets),
            level=draw(st.integers(0, 4)),
            capacity=draw(st.integers(0, 2)),
            latitude=draw(st.one_of(st.none(), st.floats(51.3, 51.9))),
            longitude=7.0,
        )
        for j in range(m)
    ]
    mentor_ids = [mentor.id for mentor in mentors]
    some_mentors = (
        st.frozensets(st.sampled_from(mentor_ids), max_size=2)
        if mentor_ids
        else st.just(frozenset())
    )
    mentees = [
        Mentee(
            id=i,
            organisation_id=draw(st.integers(1, organisations)),
            topics=draw(topic_sets),
            level=draw(st.integers(0, 2)),
            supervisor_id=draw(st.one_of(st.none(), st.sampled_from(mentor_ids)))
            if mentor_ids
            else None,
            wishes=draw(some_mentors),
            vetoes=draw(some_mentors),
            latitude=draw(st.one_of(st.none(), st.floats(51.3, 51.9))),
            longitude=7.1,
        )
        for i in range(n)
    ]
    pairs = [(mentee.id, mentor.id) for mentee in mentees for mentor in mentors]
    forbidden = draw(st.frozensets(st.sampled_from(pairs), max_size=4)) if pairs else frozenset()
    policy = draw(st.sampled_from([ACROSS, INTERNAL]))
    return mentees, mentors, policy, forbidden


@settings(max_examples=150, deadline=None)
@given(instances())
def test_solver_never_breaks_a_hard_rule_and_is_optimal(instance):
    mentees, mentors, policy, forbidden = instance
    proposal = solve(mentees, mentors, policy=policy, forbidden=forbidden)
    assert_hard_rules(proposal, mentees, mentors, policy=policy, forbidden=forbidden)
    count, total = brute_force(mentees, mentors, policy=policy, forbidden=forbidden)
    assert len(proposal.pairs) == count
    assert proposal.total_score == pytest.approx(total, abs=EPSILON)


@settings(max_examples=40, deadline=None)
@given(instances())
def test_solver_is_deterministic(instance):
    mentees, mentors, policy, forbidden = instance
    first = solve(mentees, mentors, policy=policy, forbidden=forbidden)
    again = solve(
        list(reversed(mentees)), list(reversed(mentors)), policy=policy, forbidden=forbidden
    )
    assert first == again


def test_programme_case_thirteen_administrations():
    """20 mentees and 20 mentors; one administration has three mentees and no mentors."""
    mentors = [
        Mentor(id=100 + j, organisation_id=1 + j % 12, topics=frozenset({j % 6})) for j in range(20)
    ]
    mentees = [Mentee(id=i, organisation_id=13, topics=frozenset({0})) for i in range(3)]
    mentees += [
        Mentee(id=i, organisation_id=1 + i % 12, topics=frozenset({i % 6})) for i in range(3, 20)
    ]
    proposal = solve(mentees, mentors, policy=ACROSS)
    assert len(proposal.pairs) == 20
    assert proposal.unmatched == ()
    assert_hard_rules(proposal, mentees, mentors, policy=ACROSS)


def test_a_mentee_with_no_valid_mentor_is_listed_with_her_reason():
    mentors = [Mentor(id=100, organisation_id=1), Mentor(id=101, organisation_id=2)]
    mentees = [
        Mentee(id=1, organisation_id=1),
        Mentee(id=2, organisation_id=2),
        Mentee(id=3, organisation_id=1, vetoes=frozenset({101})),
    ]
    proposal = solve(mentees, mentors, policy=ACROSS)
    assert {(p.mentee_id, p.mentor_id) for p in proposal.pairs} == {(1, 101), (2, 100)}
    assert proposal.unmatched == (
        (
            3,
            (
                (
                    "Keine Mentor:in außerhalb der eigenen Verwaltung ist zulässig "
                    "(oder alle sind gesperrt).",
                    {},
                ),
            ),
        ),
    )


def test_capacity_used_up_is_its_own_reason():
    mentors = [Mentor(id=100, organisation_id=2, capacity=1)]
    mentees = [
        Mentee(id=1, organisation_id=1, topics=frozenset({1})),
        Mentee(id=2, organisation_id=1),
    ]
    mentors = [Mentor(id=100, organisation_id=2, topics=frozenset({1}))]
    proposal = solve(mentees, mentors, policy=ACROSS)
    assert [(p.mentee_id, p.mentor_id) for p in proposal.pairs] == [(1, 100)]
    [(mentee_id, reason)] = proposal.unmatched
    assert (mentee_id, reason_text(reason)) == (
        2,
        "Keine Mentor:in außerhalb der eigenen Verwaltung hat noch Kapazität.",
    )


def test_matching_everyone_beats_a_higher_score_for_one():
    # Mentee 1 fits mentor A best but could take B; mentee 2 can only take A.
    mentors = [
        Mentor(id=100, organisation_id=3, topics=frozenset({1, 2, 3})),
        Mentor(id=101, organisation_id=3),
    ]
    mentees = [
        Mentee(id=1, organisation_id=1, topics=frozenset({1, 2, 3})),
        Mentee(id=2, organisation_id=2, vetoes=frozenset({101})),
    ]
    proposal = solve(mentees, mentors, policy=ACROSS)
    assert {(p.mentee_id, p.mentor_id) for p in proposal.pairs} == {(1, 101), (2, 100)}


def test_pinned_pairs_are_kept_and_forbidden_pairs_never_proposed():
    mentors = [
        Mentor(id=100, organisation_id=2, topics=frozenset({1})),
        Mentor(id=101, organisation_id=3),
    ]
    mentees = [
        Mentee(id=1, organisation_id=1, topics=frozenset({1})),
        Mentee(id=2, organisation_id=1, topics=frozenset({1})),
    ]
    free = solve(mentees, mentors, policy=ACROSS)
    assert (1, 100) in {(p.mentee_id, p.mentor_id) for p in free.pairs}
    steered = solve(mentees, mentors, policy=ACROSS, pinned={(2, 100)}, forbidden={(1, 101)})
    assert {(p.mentee_id, p.mentor_id, p.pinned) for p in steered.pairs} == {(2, 100, True)}
    assert [mentee_id for mentee_id, _ in steered.unmatched] == [1]


def test_a_pin_that_breaks_a_hard_rule_is_refused():
    mentors = [Mentor(id=100, organisation_id=1)]
    mentees = [Mentee(id=1, organisation_id=1)]
    with pytest.raises(MatchingError) as error:
        solve(mentees, mentors, policy=ACROSS, pinned={(1, 100)})
    assert str(error.value) == "Festgelegtes Paar 1–100 verletzt eine feste Regel."


def test_internal_programme_keeps_supervisor_and_department_apart():
    mentors = [
        Mentor(id=100, organisation_id=1, department="Personal"),
        Mentor(id=101, organisation_id=1, department="Finanzen"),
        Mentor(id=102, organisation_id=1, department="Jugend"),
    ]
    mentees = [
        Mentee(id=1, organisation_id=1, department="Finanzen", supervisor_id=100),
        Mentee(id=2, organisation_id=1, department="Personal"),
    ]
    proposal = solve(mentees, mentors, policy=INTERNAL, separate_departments=True)
    pairs = {(p.mentee_id, p.mentor_id) for p in proposal.pairs}
    assert (1, 100) not in pairs and (1, 101) not in pairs and (2, 100) not in pairs
    assert len(pairs) == 2


def test_every_pair_is_explained():
    mentor = Mentor(
        id=100,
        organisation_id=2,
        topics=frozenset({1, 2, 3, 4}),
        level=3,
        level_name="office",
        latitude=51.5216,
        longitude=6.9289,
    )
    mentee = Mentee(
        id=1,
        organisation_id=1,
        topics=frozenset({1, 2, 3, 4, 5}),
        level=0,
        latitude=51.6604,
        longitude=6.9646,
        wishes=frozenset({100}),
    )
    (pair,) = solve([mentee], [mentor], policy=ACROSS).pairs
    assert pair.explanation == (
        ("%(common)s von %(wanted)s Themen gemeinsam", {"common": 4, "wanted": 5}),
        ("%(km)s km", {"km": "16"}),
        ("Mentor:in ist %(level)s", {"level": "office"}),
        ("Wunsch der Mentee", {}),
    )
    assert explanation_text(pair.explanation) == (
        "4 von 5 Themen gemeinsam; 16 km; Mentor:in ist Amtsleitung; Wunsch der Mentee"
    )
    assert pair.parts == {"topics": 0.8, "kind": 0.0, "level": 1.0, "distance": 0.8437, "wish": 1.0}
    weights = Weights()
    expected = (
        0.8 * weights.topics + 1.0 * weights.level + 0.84459 * weights.distance + weights.wish
    )
    assert pair.score == pytest.approx(expected, abs=1e-3)


def test_weights_change_the_proposal():
    mentors = [
        Mentor(id=100, organisation_id=2, topics=frozenset({1}), latitude=53.5, longitude=10.0),
        Mentor(id=101, organisation_id=3, latitude=51.52, longitude=6.93),
    ]
    mentee = Mentee(id=1, organisation_id=1, topics=frozenset({1}), latitude=51.52, longitude=6.93)
    by_topic = solve([mentee], mentors, policy=ACROSS)
    by_distance = solve([mentee], mentors, policy=ACROSS, weights=Weights(topics=0.1, distance=5))
    assert by_topic.pairs[0].mentor_id == 100
    assert by_distance.pairs[0].mentor_id == 101


def test_empty_cohort():
    assert solve([], [], policy=ACROSS).pairs == ()
    assert solve([Mentee(id=1, organisation_id=1)], [], policy=ACROSS).unmatched[0][0] == 1


def test_every_leadership_level_has_a_rank_and_the_top_ranks_highest():
    assert set(LEVEL_RANK) == set(LeadershipLevel.values)
    assert max(LEVEL_RANK, key=LEVEL_RANK.get) == LeadershipLevel.EXECUTIVE
