"""Tandem matching: the whole cohort at once, exactly, with a reason for every pair.

Pure: plain data in, a ``Proposal`` out; no Django, no database. The caller turns
applications into ``Mentee``/``Mentor`` records and stores the result.

Objective, in this order: as many tandems as the hard rules allow, then the highest total
score. Solved exactly as a rectangular assignment problem
(``scipy.optimize.linear_sum_assignment``): mentors are repeated once per free seat, and
a pair that breaks a rule costs more than all scores together, so the fewest such pairs
come first; they are then left out (``_assign``). The matrices are built with array
operations, never a loop per pair, so that a cohort of 1 000 costs about twice the bare
assignment. Among proposals exactly as good as each other, which one comes out is the
solver's choice (the same for the same input).

Hard rules, never broken: across-organisation programmes never pair two people of the
same organisation; internal programmes never pair a mentee with her own supervisor and,
where configured, never within one department; a mentor's capacity; pairs the Beirat
forbade or the mentee vetoed. Pairs the Beirat pinned are always kept (a pin that breaks
a hard rule is refused with a ``MatchingError``).

Explanations and reasons are for people, who read them in their own language: they are
tuples of messages, each ``(msgid, params)`` with a German msgid (marked for the
catalogue with ``gettext_noop``) and plain values, and stay so when stored (as JSON).
``tandems.matching_display`` turns them into text in the reader's language. By name,
``level`` is the mentor's leadership level as the caller gave it and ``rules`` a list of
messages; any other parameter is shown as it is.
"""

import math
from dataclasses import dataclass, field

import numpy as np

ACROSS = "across"
INTERNAL = "internal"
EARTH_RADIUS_KM = 6371.0

# How far up the hierarchy a mentor is, by her leadership level (the values of
# ``applications.enums.LeadershipLevel``); mentees count as 0 (the level part rewards
# distance).
LEVEL_RANK = {
    "executive": 4,
    "department": 3,
    "office": 3,
    "division": 2,
    "team": 1,
    "other": 1,
}


def gettext_noop(message):
    """Marks ``message`` for the catalogue without translating it (no Django in here)."""
    return message


def message(msgid, **params):
    """One sentence or phrase for people: a German msgid and the values it names."""
    return (msgid, params)


# The hard rules, as named by ``broken_rule' (the caller words them for people).
SAME_ORGANISATION = "organisation"
SUPERVISOR = "supervisor"
DEPARTMENT = "department"
VETO = "veto"
FORBIDDEN = "forbidden"

# What a ``MatchingError`` is about (its ``code``).
PIN_BREAKS_RULE = "pin_rule"
PIN_PERSON_MISSING = "pin_missing"
PIN_TWICE = "pin_twice"
PIN_NO_SEAT = "pin_seat"


class MatchingError(ValueError):
    """Input the solver refuses, e.g. a pinned pair that breaks a hard rule.

    The message is German but names people by id only; ``code``, ``mentee_id``,
    ``mentor_id`` and ``rule`` (see ``broken_rule``) let the caller say it with names.
    """

    def __init__(self, message, *, code, mentee_id=None, mentor_id=None, rule=None):
        super().__init__(message)
        self.code = code
        self.mentee_id = mentee_id
        self.mentor_id = mentor_id
        self.rule = rule


@dataclass(frozen=True)
class Mentee:
    id: int
    organisation_id: int
    topics: frozenset = frozenset()
    department: str = ""
    supervisor_id: int | None = None  # a mentor id: her own line manager (internal programmes)
    level: int = 0
    latitude: float | None = None
    longitude: float | None = None
    wished_kinds: frozenset = frozenset()  # kinds of organisation she would like
    wishes: frozenset = frozenset()  # mentor ids she asked for
    vetoes: frozenset = frozenset()  # mentor ids she does not want


@dataclass(frozen=True)
class Mentor:
    id: int
    organisation_id: int
    topics: frozenset = frozenset()
    department: str = ""
    level: int = 0
    level_name: str = ""  # the caller's name of her leadership level (``level`` parameter)
    organisation_kind: str = ""
    capacity: int = 1
    latitude: float | None = None
    longitude: float | None = None


@dataclass(frozen=True)
class Weights:
    topics: float = 3.0
    kind: float = 1.0
    level: float = 1.0
    distance: float = 1.0
    wish: float = 2.0


@dataclass(frozen=True)
class Pair:
    mentee_id: int
    mentor_id: int
    score: float
    parts: dict = field(default_factory=dict)
    explanation: tuple = ()  # messages, see the module's docstring
    pinned: bool = False


@dataclass(frozen=True)
class Candidate:
    """One mentor as seen for one mentee: her score, why, and the hard rule against her."""

    mentor_id: int
    score: float
    parts: dict = field(default_factory=dict)
    explanation: tuple = ()  # messages, see the module's docstring
    rule: str | None = None  # None: allowed (capacity aside)
    km: float | None = None


@dataclass(frozen=True)
class Proposal:
    pairs: tuple
    unmatched: tuple  # (mentee id, reason: messages, see the module's docstring)

    @property
    def total_score(self):
        return sum(pair.score for pair in self.pairs)


def _coordinates(people):
    lat = np.array([np.nan if p.latitude is None else p.latitude for p in people], dtype=float)
    lon = np.array([np.nan if p.longitude is None else p.longitude for p in people], dtype=float)
    return np.radians(lat), np.radians(lon)


def _half_angle_sines(first, second):
    """sin((second - first) / 2) for every pair, as outer products of per-person sines.

    The angle-difference identity needs no trigonometry per pair; it agrees with the
    direct formula to within a few units in the last place.
    """
    sin1, cos1 = np.sin(first / 2), np.cos(first / 2)
    sin2, cos2 = np.sin(second / 2), np.cos(second / 2)
    result = np.multiply.outer(cos1, sin2)
    result -= np.multiply.outer(sin1, cos2)
    return result


def _missing(people):
    """Whether each person lacks a coordinate."""
    lat, lon = _coordinates(people)
    return np.isnan(lat) | np.isnan(lon)


def distances_km(mentees, mentors):
    """Great-circle distances (haversine), NaN where a coordinate is missing."""
    lat1, lon1 = _coordinates(mentees)
    lat2, lon2 = _coordinates(mentors)
    a = _half_angle_sines(lat1, lat2)
    a *= a
    dlon = _half_angle_sines(lon1, lon2)
    dlon *= dlon
    dlon *= np.multiply.outer(np.cos(lat1), np.cos(lat2))
    a += dlon
    np.clip(a, 0, 1, out=a)
    np.sqrt(a, out=a)
    np.arcsin(a, out=a)
    a *= 2 * EARTH_RADIUS_KM
    return a


def _membership(people, attribute, universe):
    """people × universe: 1.0 where the person's ``attribute`` (a set) holds the item."""
    index = {item: position for position, item in enumerate(universe)}
    rows = [row for row, person in enumerate(people) for _item in getattr(person, attribute)]
    columns = [index[item] for person in people for item in getattr(person, attribute)]
    matrix = np.zeros((len(people), len(universe)))
    matrix[rows, columns] = 1.0
    return matrix


def _pair_set(pairs, mentee_index, mentor_index):
    """The (row, column) positions of those ``pairs`` whose two people are both present."""
    positions = [
        (mentee_index[mentee_id], mentor_index[mentor_id])
        for mentee_id, mentor_id in pairs
        if mentee_id in mentee_index and mentor_id in mentor_index
    ]
    if not positions:
        return (np.zeros(0, dtype=int), np.zeros(0, dtype=int))
    rows, columns = zip(*positions, strict=True)
    return (np.array(rows), np.array(columns))


def feasibility(mentees, mentors, *, policy, separate_departments=False, forbidden=()):
    """The boolean matrix of allowed pairs under the hard rules (capacity aside)."""
    mentee_index = {m.id: i for i, m in enumerate(mentees)}
    mentor_index = {m.id: j for j, m in enumerate(mentors)}
    mentee_orgs = np.array([m.organisation_id for m in mentees])
    mentor_orgs = np.array([m.organisation_id for m in mentors])
    if policy == ACROSS:
        allowed = np.not_equal.outer(mentee_orgs, mentor_orgs)
    else:
        allowed = np.ones((len(mentees), len(mentors)), dtype=bool)
        supervisors = [(m.id, m.supervisor_id) for m in mentees if m.supervisor_id is not None]
        allowed[_pair_set(supervisors, mentee_index, mentor_index)] = False
        if separate_departments:
            # Departments as numbers (0: none given), so that the comparison is numeric.
            names = {"": 0}
            mentee_departments = np.array(
                [names.setdefault(m.department or "", len(names)) for m in mentees]
            )
            mentor_departments = np.array(
                [names.setdefault(m.department or "", len(names)) for m in mentors]
            )
            same_department = np.equal.outer(mentee_departments, mentor_departments)
            same_department &= (mentee_departments != 0)[:, None]
            same_department &= np.equal.outer(mentee_orgs, mentor_orgs)
            allowed &= ~same_department
    vetoes = [(m.id, mentor_id) for m in mentees for mentor_id in m.vetoes]
    allowed[_pair_set(vetoes, mentee_index, mentor_index)] = False
    allowed[_pair_set(forbidden, mentee_index, mentor_index)] = False
    return allowed


def _bit_masks(people, attribute, index):
    """people × words: the items of each person's ``attribute`` (a set) as bits, 64 a word."""
    words = range(max(1, -(-len(index) // 64)))
    sets = [sum(1 << index[item] for item in getattr(person, attribute)) for person in people]
    return np.array(
        [[(bits >> (64 * word)) & 0xFFFF_FFFF_FFFF_FFFF for word in words] for bits in sets],
        dtype=np.uint64,
    ).reshape(len(people), len(words))


def _overlaps(first, second):
    """len(A & B) for every set A of ``first`` and B of ``second`` (bit masks, ``_bit_masks``)."""
    words = [
        np.bitwise_count(np.bitwise_and.outer(first[:, word], second[:, word]))
        for word in range(first.shape[1])
    ]
    return words[0] if len(words) == 1 else np.sum(words, axis=0, dtype=np.uint16)


def score_parts(mentees, mentors, *, max_distance_km=100.0):
    """Each soft criterion as an n×m matrix of values between 0 and 1."""
    topics = {
        t: k for k, t in enumerate(sorted({t for p in (*mentees, *mentors) for t in p.topics}))
    }
    common = _overlaps(_bit_masks(mentees, "topics", topics), _bit_masks(mentors, "topics", topics))
    wanted_topics = np.array([len(m.topics) for m in mentees], dtype=int)
    kinds = sorted(
        {k for m in mentees for k in m.wished_kinds} | {m.organisation_kind for m in mentors}
    )
    kind_wish = _membership(mentees, "wished_kinds", kinds)
    mentor_kind = [kinds.index(mentor.organisation_kind) for mentor in mentors]
    km = distances_km(mentees, mentors)
    distance = np.minimum(km, max_distance_km)
    distance /= max_distance_km
    np.subtract(1.0, distance, out=distance)
    # No points where a coordinate is missing (km is NaN in exactly those rows and columns).
    distance[_missing(mentees)] = 0.0
    distance[:, _missing(mentors)] = 0.0
    levels = np.add.outer(
        -np.array([m.level for m in mentees], dtype=int),
        np.array([m.level for m in mentors], dtype=int),
    )
    np.clip(levels, 0, 3, out=levels)
    wish = np.zeros((len(mentees), len(mentors)))
    wish[
        _pair_set(
            [(m.id, mentor_id) for m in mentees for mentor_id in m.wishes],
            {m.id: i for i, m in enumerate(mentees)},
            {m.id: j for j, m in enumerate(mentors)},
        )
    ] = 1.0
    return {
        "topics": common / np.maximum(wanted_topics, 1)[:, None],
        "kind": kind_wish[:, mentor_kind],
        "level": levels / 3.0,
        "distance": distance,
        "wish": wish,
    }, {"common_topics": common, "wanted_topics": wanted_topics, "km": km}


def weighted_scores(parts, weights):
    """The score of every pair: the parts times their weights, added up in their order."""
    names = list(parts)
    scores = getattr(weights, names[0]) * parts[names[0]]
    term = np.empty_like(scores)
    for name in names[1:]:
        # A part that is zero everywhere (no wishes, say) would add zeros: no change.
        if parts[name].any():
            np.multiply(parts[name], getattr(weights, name), out=term)
            scores += term
    return scores


# Rounds of bidding that give the exact solver its starting prices (see ``_prices``).
BIDDING_ROUNDS = 50


def _prices(cost, spread, rounds=BIDDING_ROUNDS):
    """Prices for the columns of ``cost`` from a few rounds of a Jacobi auction.

    Adding a price to every cost of a column changes the cost of every complete assignment
    by the same amount, as long as each column is assigned, so the optimum stays where it
    was. SciPy's shortest-augmenting-path solver starts from zero prices and is slow when
    many rows want the same few columns (here: the same attractive mentors); started
    from prices that already spread the rows out, its paths stay short. As in Bertsekas'
    auction, the rows without a column bid the gap between their best and second-best
    column (at most ``spread``); the highest bid wins, the outbid row bids again.
    """
    rows, columns = cost.shape
    prices = np.zeros(columns)
    if columns < 2 or rows < 2:
        return prices
    # The gap counts at most the spread of the scores: an infeasible second-best column
    # would otherwise make one bid outweigh all others.
    step = spread / 100 + 1e-9
    owner = np.full(columns, -1)
    bidders = np.arange(rows)
    for _round in range(rounds):
        if not len(bidders):
            break
        seen = np.take(cost, bidders, axis=0)
        seen += prices
        best = np.argmin(seen, axis=1)
        positions = np.arange(len(bidders))
        first = seen[positions, best]
        seen[positions, best] = np.inf
        bids = np.minimum(seen.min(axis=1) - first, spread) + step
        # Each column goes to its highest bid (the first bidder of equal ones).
        order = np.lexsort((-bids, best))
        ranked = best[order]
        winners = order[np.r_[True, ranked[1:] != ranked[:-1]]]
        won = best[winners]
        prices[won] += bids[winners]
        outbid = owner[won]
        owner[won] = bidders[winners]
        losing = np.ones(len(bidders), dtype=bool)
        losing[winners] = False
        bidders = np.concatenate([bidders[losing], outbid[outbid >= 0]])
    return prices


def _assign(scores, feasible):
    """The pairs (row and column indices) of the assignment with the most feasible pairs,
    then the highest total score; a row or column may stay unassigned.

    One rectangular assignment problem with no "stays unmatched" columns: it assigns all of
    the shorter side, and an infeasible pair costs more than any total of scores can make
    up, so the fewest infeasible pairs (the most tandems) come first. Those are dropped.
    """
    # scipy.optimize takes ~1 s to import: only a process that matches pays for it.
    from scipy.optimize import linear_sum_assignment

    highest = max(float(scores.max(initial=0.0)), 0.0)
    lowest = min(float(scores.min(initial=0.0)), 0.0)
    infeasible = (highest - lowest) * (min(scores.shape) + 1) + 1.0
    cost = np.negative(scores)
    cost[~feasible] = infeasible
    # Prices go on the shorter side, which is assigned whole, so that they change nothing.
    if cost.shape[0] >= cost.shape[1]:
        cost += _prices(cost, highest - lowest)
    else:
        cost += _prices(cost.T, highest - lowest)[:, None]
    rows, columns = linear_sum_assignment(cost)
    keep = feasible[rows, columns]
    return rows[keep], columns[keep]


def _explain(mentor, *, wanted, common, km, kind, wish):
    words = []
    if wanted:
        words.append(
            message(
                gettext_noop("%(common)s von %(wanted)s Themen gemeinsam"),
                common=int(common),
                wanted=int(wanted),
            )
        )
    if not math.isnan(km):
        words.append(message(gettext_noop("%(km)s km"), km=f"{km:.0f}"))
    if mentor.level_name:
        words.append(message(gettext_noop("Mentor:in ist %(level)s"), level=mentor.level_name))
    if kind:
        words.append(message(gettext_noop("gewünschte Art der Organisation")))
    if wish:
        words.append(message(gettext_noop("Wunsch der Mentee")))
    return tuple(words)


def _scored(rows, columns, scores, parts, details):
    """For the pairs (``rows[k]``, ``columns[k]``): score, parts and what ``_explain``
    needs, each a list of plain floats, read out of the matrices at once."""
    rows, columns = np.asarray(rows, dtype=int), np.asarray(columns, dtype=int)
    values = {name: matrix[rows, columns].tolist() for name, matrix in parts.items()}
    return [
        {
            "score": round(score, 6),
            "parts": {name: round(values[name][k], 4) for name in parts},
            "explain": {
                "wanted": wanted,
                "common": common,
                "km": km,
                "kind": values["kind"][k],
                "wish": values["wish"][k],
            },
        }
        for k, (score, wanted, common, km) in enumerate(
            zip(
                scores[rows, columns].tolist(),
                details["wanted_topics"][rows].tolist(),
                details["common_topics"][rows, columns].tolist(),
                details["km"][rows, columns].tolist(),
                strict=True,
            )
        )
    ]


def solve(
    mentees,
    mentors,
    *,
    policy=ACROSS,
    weights=Weights(),
    forbidden=(),
    pinned=(),
    separate_departments=False,
    max_distance_km=100.0,
):
    """The optimal proposal for a whole cohort; deterministic for the same input."""
    mentees = sorted(mentees, key=lambda m: m.id)
    mentors = sorted(mentors, key=lambda m: m.id)
    mentee_index = {m.id: i for i, m in enumerate(mentees)}
    mentor_index = {m.id: j for j, m in enumerate(mentors)}
    allowed = feasibility(
        mentees,
        mentors,
        policy=policy,
        separate_departments=separate_departments,
        forbidden=forbidden,
    )
    parts, details = score_parts(mentees, mentors, max_distance_km=max_distance_km)
    scores = weighted_scores(parts, weights)

    capacity = np.array([max(m.capacity, 0) for m in mentors], dtype=int)
    assignment = {}
    for mentee_id, mentor_id in sorted(pinned):
        ids = {"mentee_id": mentee_id, "mentor_id": mentor_id}
        if mentee_id not in mentee_index or mentor_id not in mentor_index:
            raise MatchingError(
                f"Festgelegtes Paar {mentee_id}–{mentor_id}: Person fehlt.",
                code=PIN_PERSON_MISSING,
                **ids,
            )
        i, j = mentee_index[mentee_id], mentor_index[mentor_id]
        if not allowed[i, j]:
            rule = broken_rule(
                mentees[i],
                mentors[j],
                policy=policy,
                separate_departments=separate_departments,
                forbidden=forbidden,
            )
            raise MatchingError(
                f"Festgelegtes Paar {mentee_id}–{mentor_id} verletzt eine feste Regel.",
                code=PIN_BREAKS_RULE,
                rule=rule,
                **ids,
            )
        if i in assignment:
            raise MatchingError(
                f"Mentee {mentee_id} ist mehrfach festgelegt.", code=PIN_TWICE, **ids
            )
        if capacity[j] == 0:
            raise MatchingError(
                f"Mentor:in {mentor_id} hat keine Kapazität mehr.", code=PIN_NO_SEAT, **ids
            )
        assignment[i] = j
        capacity[j] -= 1

    free_rows = np.array([i for i in range(len(mentees)) if i not in assignment], dtype=int)
    slot_mentor = np.repeat(np.arange(len(mentors)), capacity)
    if len(free_rows) and len(slot_mentor):
        if len(free_rows) == len(mentees) and (capacity == 1).all():
            # No pins and one seat each: the matrices as they are, without a copy.
            block, feasible = scores, allowed
        else:
            block = scores[np.ix_(free_rows, slot_mentor)]
            feasible = allowed[np.ix_(free_rows, slot_mentor)]
        rows, columns = _assign(block, feasible)
        assignment.update(zip(free_rows[rows].tolist(), slot_mentor[columns].tolist(), strict=True))

    pinned_rows = {mentee_index[mentee_id] for mentee_id, _mentor in pinned}
    chosen = sorted(assignment.items())
    pairs = tuple(
        Pair(
            mentee_id=mentees[i].id,
            mentor_id=mentors[j].id,
            score=values["score"],
            parts=values["parts"],
            explanation=_explain(mentors[j], **values["explain"]),
            pinned=i in pinned_rows,
        )
        for (i, j), values in zip(
            chosen,
            _scored([i for i, _j in chosen], [j for _i, j in chosen], scores, parts, details),
            strict=True,
        )
    )
    forbidden_pairs = {tuple(pair) for pair in forbidden}
    unmatched = tuple(
        (
            mentee.id,
            _why_unmatched(
                mentee,
                mentors,
                allowed[i],
                policy=policy,
                separate_departments=separate_departments,
                forbidden=forbidden_pairs,
            ),
        )
        for i, mentee in enumerate(mentees)
        if i not in assignment
    )
    return Proposal(pairs=pairs, unmatched=unmatched)


def broken_rule(mentee, mentor, *, policy, separate_departments=False, forbidden=()):
    """The first hard rule that forbids this one pair, or None if it is allowed.

    Agrees with ``feasibility`` for every pair (capacity aside): one of
    ``SAME_ORGANISATION``, ``SUPERVISOR``, ``DEPARTMENT``, ``VETO``, ``FORBIDDEN``.
    """
    forbidden = {tuple(pair) for pair in forbidden}
    if policy == ACROSS:
        if mentee.organisation_id == mentor.organisation_id:
            return SAME_ORGANISATION
        if mentor.id in mentee.vetoes:
            return VETO
        if (mentee.id, mentor.id) in forbidden:
            return FORBIDDEN
        return None
    return _blocking_rule(
        mentee, mentor, separate_departments=separate_departments, forbidden=forbidden
    )


def candidates(
    mentee,
    mentors,
    *,
    policy=ACROSS,
    weights=Weights(),
    forbidden=(),
    separate_departments=False,
    max_distance_km=100.0,
):
    """Every mentor scored for one mentee, best first; each with the rule against her.

    The same scores and explanations as ``solve`` gives a pair; capacity is not looked at.
    Allowed mentors come first (by score, then id), then those a hard rule forbids.
    """
    mentors = sorted(mentors, key=lambda m: m.id)
    if not mentors:
        return ()
    parts, details = score_parts([mentee], mentors, max_distance_km=max_distance_km)
    scores = weighted_scores(parts, weights)
    everyone = range(len(mentors))
    result = []
    for mentor, values in zip(
        mentors, _scored([0] * len(mentors), everyone, scores, parts, details), strict=True
    ):
        km = values["explain"]["km"]
        result.append(
            Candidate(
                mentor_id=mentor.id,
                score=values["score"],
                parts=values["parts"],
                explanation=_explain(mentor, **values["explain"]),
                rule=broken_rule(
                    mentee,
                    mentor,
                    policy=policy,
                    separate_departments=separate_departments,
                    forbidden=forbidden,
                ),
                km=None if math.isnan(km) else km,
            )
        )
    return tuple(sorted(result, key=lambda c: (c.rule is not None, -c.score, c.mentor_id)))


def _blocking_rule(mentee, mentor, *, separate_departments, forbidden):
    """The first internal-programme rule that rules ``mentor`` out for ``mentee``."""
    if mentee.supervisor_id == mentor.id:
        return SUPERVISOR
    if (
        separate_departments
        and mentee.organisation_id == mentor.organisation_id
        and mentee.department
        and mentee.department == mentor.department
    ):
        return DEPARTMENT
    if mentor.id in mentee.vetoes:
        return VETO
    if (mentee.id, mentor.id) in forbidden:
        return FORBIDDEN
    return None


def _why_unmatched(mentee, mentors, allowed_row, *, policy, separate_departments, forbidden):
    """A valid mentor existed but was taken, or none was valid, and which rule said no."""
    return (
        _why_unmatched_message(
            mentee,
            mentors,
            allowed_row,
            policy=policy,
            separate_departments=separate_departments,
            forbidden=forbidden,
        ),
    )


def _why_unmatched_message(
    mentee, mentors, allowed_row, *, policy, separate_departments, forbidden
):
    if not mentors:
        return message(gettext_noop("Es gibt keine Mentor:in mit freiem Platz."))
    if allowed_row.any():
        if policy == ACROSS:
            return message(
                gettext_noop("Keine Mentor:in außerhalb der eigenen Verwaltung hat noch Kapazität.")
            )
        return message(gettext_noop("Keine zulässige Mentor:in hat noch Kapazität."))
    if policy == ACROSS:
        return message(
            gettext_noop(
                "Keine Mentor:in außerhalb der eigenen Verwaltung ist zulässig "
                "(oder alle sind gesperrt)."
            )
        )
    rules = [
        _blocking_rule(
            mentee, mentor, separate_departments=separate_departments, forbidden=forbidden
        )
        for mentor in mentors
    ]
    if rules == ["supervisor"]:
        return message(gettext_noop("Einzige mögliche Mentor:in ist die eigene Vorgesetzte."))
    counts = {rule: rules.count(rule) for rule in dict.fromkeys(rules)}
    words = []
    if counts.get("supervisor"):
        words.append(message(gettext_noop("die eigene Vorgesetzte")))
    if counts.get("department"):
        words.append(
            message(gettext_noop("%(count)s im selben Fachbereich"), count=counts["department"])
        )
    if counts.get("veto"):
        words.append(
            message(gettext_noop("%(count)s von der Mentee ausgeschlossen"), count=counts["veto"])
        )
    if counts.get("forbidden"):
        words.append(
            message(gettext_noop("%(count)s vom Beirat gesperrt"), count=counts["forbidden"])
        )
    if not words:
        return message(
            gettext_noop("Keine zulässige Mentor:in (Vorgesetzte, Abteilung oder Sperre).")
        )
    return message(gettext_noop("Keine zulässige Mentor:in: %(rules)s."), rules=words)


def runners_up(
    mentees,
    mentors,
    *,
    proposed,
    policy=ACROSS,
    weights=Weights(),
    forbidden=(),
    separate_departments=False,
    max_distance_km=100.0,
):
    """For each mentee and the mentor proposed for her: the distance between the two, and
    the best other mentor the hard rules allow, as ``candidates`` ranks them.

    ``proposed`` holds a mentor id per mentee. Returns a (km or None, Candidate or None)
    per mentee: what ``candidates`` gives for each, in one pass over the mentees × mentors
    matrices rather than one per mentee (the proposal page asks it for a page of pairs).
    """
    mentors = sorted(mentors, key=lambda m: m.id)
    if not mentees or not mentors:
        return [(None, None)] * len(mentees)
    parts, details = score_parts(mentees, mentors, max_distance_km=max_distance_km)
    scores = weighted_scores(parts, weights)
    allowed = feasibility(
        mentees,
        mentors,
        policy=policy,
        separate_departments=separate_departments,
        forbidden=forbidden,
    )
    column = {mentor.id: j for j, mentor in enumerate(mentors)}
    own = [column.get(mentor_id) for mentor_id in proposed]
    # Ranked as in ``candidates``: by the rounded score, ties to the lowest id (the first
    # column of the maximum, mentors being in id order).
    ranked = np.where(allowed, np.round(scores, 6), -np.inf)
    for row, j in enumerate(own):
        if j is not None:
            ranked[row, j] = -np.inf
    best = ranked.argmax(axis=1)
    found = [row for row in range(len(mentees)) if ranked[row, best[row]] > -np.inf]
    scored = dict(zip(found, _scored(found, best[found], scores, parts, details), strict=True))
    result = []
    for row, j in enumerate(own):
        km = (
            None if j is None or math.isnan(details["km"][row, j]) else float(details["km"][row, j])
        )
        values = scored.get(row)
        if values is None:
            result.append((km, None))
            continue
        mentor = mentors[best[row]]
        other_km = values["explain"]["km"]
        result.append(
            (
                km,
                Candidate(
                    mentor_id=mentor.id,
                    score=values["score"],
                    parts=values["parts"],
                    explanation=_explain(mentor, **values["explain"]),
                    km=None if math.isnan(other_km) else other_km,
                ),
            )
        )
    return result
