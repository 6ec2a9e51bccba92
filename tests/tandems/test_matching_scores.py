"""The solver's matrices and assignment, against plain per-pair code on random cohorts.

``score_parts``, ``feasibility`` and ``solve`` work on whole matrices at once (numpy, the
auction's prices, no "stays unmatched" columns); here each pair is worked out on its own,
the way a person would, and the assignment the textbook way, and they must agree.
"""

import math
import random

import numpy as np
import pytest
from scipy.optimize import linear_sum_assignment

from tandems.matching import (
    ACROSS,
    EARTH_RADIUS_KM,
    INTERNAL,
    Mentee,
    Mentor,
    Weights,
    broken_rule,
    feasibility,
    score_parts,
    solve,
    weighted_scores,
)

KINDS = ("city", "district", "company")


def reference_parts(mentee, mentor, *, max_distance_km=100.0):
    """The soft criteria of one pair, and its distance in km (NaN if unknown)."""
    wanted = len(mentee.topics)
    coordinates = (mentee.latitude, mentee.longitude, mentor.latitude, mentor.longitude)
    if None in coordinates:
        km, distance = math.nan, 0.0
    else:
        lat1, lon1, lat2, lon2 = map(math.radians, coordinates)
        a = (
            math.sin((lat2 - lat1) / 2) ** 2
            + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
        )
        km = 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(min(max(a, 0.0), 1.0)))
        distance = 1.0 - min(km, max_distance_km) / max_distance_km
    parts = {
        "topics": len(mentee.topics & mentor.topics) / max(wanted, 1),
        "kind": float(mentor.organisation_kind in mentee.wished_kinds),
        "level": min(max(mentor.level - mentee.level, 0), 3) / 3.0,
        "distance": distance,
        "wish": float(mentor.id in mentee.wishes),
    }
    return parts, km


def cohort(seed, n, m, *, organisations=13, spread=0.4):
    """Random people around the Ruhr; one in ten without coordinates."""
    rng = random.Random(seed)

    def place():
        if rng.random() < 0.1:
            return None, None
        return 51.4 + rng.random() * spread, 6.9 + rng.random() * spread

    mentors = [
        Mentor(
            id=1000 + j,
            organisation_id=rng.randint(1, organisations),
            topics=frozenset(rng.sample(range(70), rng.randint(0, 5))),
            department=rng.choice(["", "Personal", "Finanzen"]),
            level=rng.randint(0, 4),
            organisation_kind=rng.choice(KINDS),
            capacity=rng.choice([0, 1, 1, 2]),
            latitude=(where := place())[0],
            longitude=where[1],
        )
        for j in range(m)
    ]
    ids = [mentor.id for mentor in mentors]
    mentees = [
        Mentee(
            id=i,
            organisation_id=rng.randint(1, organisations),
            topics=frozenset(rng.sample(range(70), rng.randint(0, 4))),
            department=rng.choice(["", "Personal", "Finanzen"]),
            supervisor_id=rng.choice([None, *ids[:3]]),
            level=rng.randint(0, 2),
            latitude=(where := place())[0],
            longitude=where[1],
            wished_kinds=frozenset(rng.sample(KINDS, rng.randint(0, 2))),
            wishes=frozenset(rng.sample(ids, min(m, rng.randint(0, 2)))),
            vetoes=frozenset(rng.sample(ids, min(m, rng.randint(0, 2)))),
        )
        for i in range(n)
    ]
    forbidden = {(rng.randrange(n), rng.choice(ids)) for _ in range(n // 4)} if ids else set()
    return mentees, mentors, forbidden


@pytest.mark.parametrize("seed", range(6))
def test_every_part_and_score_is_the_one_worked_out_for_the_pair_alone(seed):
    mentees, mentors, _forbidden = cohort(seed, 40, 50)
    weights = Weights(topics=2.5, kind=0.5, level=1.5, distance=2.0, wish=1.0)
    parts, details = score_parts(mentees, mentors, max_distance_km=30.0)
    scores = weighted_scores(parts, weights)
    for i, mentee in enumerate(mentees):
        for j, mentor in enumerate(mentors):
            expected, km = reference_parts(mentee, mentor, max_distance_km=30.0)
            found = {name: float(matrix[i, j]) for name, matrix in parts.items()}
            assert {k: v for k, v in found.items() if k != "distance"} == {
                k: v for k, v in expected.items() if k != "distance"
            }
            assert found["distance"] == pytest.approx(expected["distance"], abs=1e-12)
            if math.isnan(km):
                assert math.isnan(details["km"][i, j])
            else:
                assert details["km"][i, j] == pytest.approx(km, rel=1e-9, abs=1e-9)
            score = sum(getattr(weights, name) * value for name, value in expected.items())
            assert scores[i, j] == pytest.approx(score, abs=1e-12)
            assert details["common_topics"][i, j] == len(mentee.topics & mentor.topics)
        assert details["wanted_topics"][i] == len(mentee.topics)


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("policy", [ACROSS, INTERNAL])
def test_feasibility_is_the_hard_rules_of_each_pair(seed, policy):
    mentees, mentors, forbidden = cohort(seed, 30, 30, organisations=3)
    allowed = feasibility(
        mentees, mentors, policy=policy, separate_departments=True, forbidden=forbidden
    )
    for i, mentee in enumerate(mentees):
        for j, mentor in enumerate(mentors):
            rule = broken_rule(
                mentee, mentor, policy=policy, separate_departments=True, forbidden=forbidden
            )
            assert bool(allowed[i, j]) == (rule is None)


def textbook(mentees, mentors, *, policy, forbidden, pinned=()):
    """The pairs of the classic formulation: a seat per unit of capacity, a "stays
    unmatched" column per mentee, and a bonus per pair above any total of scores."""
    mentees = sorted(mentees, key=lambda m: m.id)
    mentors = sorted(mentors, key=lambda m: m.id)
    allowed = feasibility(mentees, mentors, policy=policy, forbidden=forbidden)
    parts, _details = score_parts(mentees, mentors)
    scores = weighted_scores(parts, Weights())
    pairs = set(pinned)
    capacity = [mentor.capacity for mentor in mentors]
    for _mentee, mentor_id in pinned:
        capacity[[m.id for m in mentors].index(mentor_id)] -= 1
    rows = [i for i, m in enumerate(mentees) if m.id not in {pin[0] for pin in pinned}]
    seats = [j for j, left in enumerate(capacity) for _ in range(left)]
    bonus = float(scores.max(initial=0)) * len(mentees) + 1
    never = 2 * bonus * (len(mentees) + 1)
    cost = np.full((len(rows), len(seats) + len(rows)), never)
    for r, i in enumerate(rows):
        for s, j in enumerate(seats):
            if allowed[i, j]:
                cost[r, s] = -(bonus + scores[i, j])
        cost[r, len(seats) + r] = 0.0
    for r, s in zip(*linear_sum_assignment(cost), strict=True):
        if s < len(seats) and allowed[rows[r], seats[s]]:
            pairs.add((mentees[rows[r]].id, mentors[seats[s]].id))
    return pairs


@pytest.mark.parametrize("seed", range(12))
def test_the_proposal_is_the_textbook_assignment(seed):
    """Continuous distances make ties between proposals improbable: the pairs must be the
    same, not only as good (among equally good proposals either may be chosen)."""
    rng = random.Random(seed)
    n, m = rng.choice([(30, 30), (60, 20), (20, 45), (80, 80)])
    mentees, mentors, forbidden = cohort(seed, n, m, organisations=rng.choice([2, 13]))
    mentees = [m for m in mentees if m.latitude is not None]
    mentors = [m for m in mentors if m.latitude is not None]
    free = [(m.id, m.organisation_id) for m in mentors if m.capacity]
    pinned = set()
    for mentee in mentees[:2]:
        mentor_id = next(
            (j for j, organisation in free if organisation != mentee.organisation_id), None
        )
        allowed = mentor_id not in mentee.vetoes and (mentee.id, mentor_id) not in forbidden
        if mentor_id is not None and allowed:
            pinned.add((mentee.id, mentor_id))
            free.remove(next(seat for seat in free if seat[0] == mentor_id))
    proposal = solve(mentees, mentors, policy=ACROSS, forbidden=forbidden, pinned=pinned)
    expected = textbook(mentees, mentors, policy=ACROSS, forbidden=forbidden, pinned=pinned)
    assert {(pair.mentee_id, pair.mentor_id) for pair in proposal.pairs} == expected
