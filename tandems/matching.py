"""Tandem matching: the whole cohort at once, exactly, with a reason for every pair.

Pure: plain data in, a ``Proposal`` out; no Django, no database. The caller turns
applications into ``Mentee``/``Mentor`` records and stores the result.

Objective, in this order: as many tandems as the hard rules allow, then the highest total
score. Solved exactly as a rectangular assignment problem
(``scipy.optimize.linear_sum_assignment``): mentors are repeated once per free seat, and
every mentee also gets a private "stays unmatched" column, so nobody is forced into a
pair that breaks a rule.

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


def distances_km(mentees, mentors):
    """Great-circle distances (haversine), NaN where a coordinate is missing."""
    lat1, lon1 = _coordinates(mentees)
    lat2, lon2 = _coordinates(mentors)
    dlat = lat2[None, :] - lat1[:, None]
    dlon = lon2[None, :] - lon1[:, None]
    a = (
        np.sin(dlat / 2) ** 2
        + np.cos(lat1)[:, None] * np.cos(lat2)[None, :] * np.sin(dlon / 2) ** 2
    )
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(a, 0, 1)))


def _membership(people, attribute, universe):
    index = {item: position for position, item in enumerate(universe)}
    matrix = np.zeros((len(people), len(universe)), dtype=np.int32)
    for row, person in enumerate(people):
        for item in getattr(person, attribute):
            matrix[row, index[item]] = 1
    return matrix


def _pair_set(pairs, mentee_index, mentor_index):
    matrix = np.zeros((len(mentee_index), len(mentor_index)), dtype=bool)
    for mentee_id, mentor_id in pairs:
        if mentee_id in mentee_index and mentor_id in mentor_index:
            matrix[mentee_index[mentee_id], mentor_index[mentor_id]] = True
    return matrix


def feasibility(mentees, mentors, *, policy, separate_departments=False, forbidden=()):
    """The boolean matrix of allowed pairs under the hard rules (capacity aside)."""
    mentee_index = {m.id: i for i, m in enumerate(mentees)}
    mentor_index = {m.id: j for j, m in enumerate(mentors)}
    mentee_orgs = np.array([m.organisation_id for m in mentees])[:, None]
    mentor_orgs = np.array([m.organisation_id for m in mentors])[None, :]
    allowed = np.ones((len(mentees), len(mentors)), dtype=bool)
    if policy == ACROSS:
        allowed &= mentee_orgs != mentor_orgs
    else:
        supervisors = [(m.id, m.supervisor_id) for m in mentees if m.supervisor_id is not None]
        allowed &= ~_pair_set(supervisors, mentee_index, mentor_index)
        if separate_departments:
            same_org = mentee_orgs == mentor_orgs
            mentee_departments = np.array([m.department or "" for m in mentees], dtype=object)
            mentor_departments = np.array([m.department or "" for m in mentors], dtype=object)
            same_department = (mentee_departments[:, None] == mentor_departments[None, :]) & (
                mentee_departments[:, None] != ""
            )
            allowed &= ~(same_org & same_department)
    vetoes = [(m.id, mentor_id) for m in mentees for mentor_id in m.vetoes]
    allowed &= ~_pair_set(vetoes, mentee_index, mentor_index)
    allowed &= ~_pair_set(forbidden, mentee_index, mentor_index)
    return allowed


def score_parts(mentees, mentors, *, max_distance_km=100.0):
    """Each soft criterion as an n×m matrix of values between 0 and 1."""
    topics = sorted({t for p in (*mentees, *mentors) for t in p.topics})
    wished = _membership(mentees, "topics", topics)
    offered = _membership(mentors, "topics", topics)
    common = wished @ offered.T
    wanted = np.maximum(wished.sum(axis=1), 1)[:, None]
    kinds = sorted(
        {k for m in mentees for k in m.wished_kinds} | {m.organisation_kind for m in mentors}
    )
    kind_wish = _membership(mentees, "wished_kinds", kinds)
    mentor_kind = np.zeros((len(mentors), len(kinds)), dtype=np.int32)
    for j, mentor in enumerate(mentors):
        if mentor.organisation_kind in kinds:
            mentor_kind[j, kinds.index(mentor.organisation_kind)] = 1
    km = distances_km(mentees, mentors)
    levels = (
        np.array([m.level for m in mentors])[None, :]
        - np.array([m.level for m in mentees])[:, None]
    )
    wishes = _pair_set(
        [(m.id, mentor_id) for m in mentees for mentor_id in m.wishes],
        {m.id: i for i, m in enumerate(mentees)},
        {m.id: j for j, m in enumerate(mentors)},
    )
    return {
        "topics": common / wanted,
        "kind": (kind_wish @ mentor_kind.T > 0).astype(float),
        "level": np.clip(levels, 0, 3) / 3.0,
        "distance": np.nan_to_num(1.0 - np.minimum(km, max_distance_km) / max_distance_km, nan=0.0),
        "wish": wishes.astype(float),
    }, {"common_topics": common, "wanted_topics": wished.sum(axis=1), "km": km}


def _explain(i, j, mentee, mentor, details, parts):
    words = []
    wanted = int(details["wanted_topics"][i])
    if wanted:
        common = int(details["common_topics"][i, j])
        words.append(
            message(
                gettext_noop("%(common)s von %(wanted)s Themen gemeinsam"),
                common=common,
                wanted=wanted,
            )
        )
    km = details["km"][i, j]
    if not np.isnan(km):
        words.append(message(gettext_noop("%(km)s km"), km=f"{km:.0f}"))
    if mentor.level_name:
        words.append(message(gettext_noop("Mentor:in ist %(level)s"), level=mentor.level_name))
    if parts["kind"][i, j]:
        words.append(message(gettext_noop("gewünschte Art der Organisation")))
    if parts["wish"][i, j]:
        words.append(message(gettext_noop("Wunsch der Mentee")))
    return tuple(words)


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
    # scipy.optimize takes ~1 s to import: only a process that matches pays for it.
    from scipy.optimize import linear_sum_assignment

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
    scores = sum(getattr(weights, name) * matrix for name, matrix in parts.items())
    if not isinstance(scores, np.ndarray):
        scores = np.zeros((len(mentees), len(mentors)))

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
        # Matching someone always beats any difference in score, so the bonus per pair
        # exceeds the largest possible total score.
        bonus = float(scores.max(initial=0.0)) * len(mentees) + 1.0
        block = scores[np.ix_(free_rows, slot_mentor)]
        feasible = allowed[np.ix_(free_rows, slot_mentor)]
        forbidden_cost = 2 * bonus * (len(mentees) + 1)
        cost = np.where(feasible, -(bonus + block), forbidden_cost)
        stay = np.full((len(free_rows), len(free_rows)), forbidden_cost)
        np.fill_diagonal(stay, 0.0)
        rows, columns = linear_sum_assignment(np.hstack([cost, stay]))
        for row, column in zip(rows, columns, strict=True):
            if column < len(slot_mentor) and feasible[row, column]:
                assignment[int(free_rows[row])] = int(slot_mentor[column])

    pinned_rows = {mentee_index[mentee_id] for mentee_id, _mentor in pinned}
    pairs = tuple(
        Pair(
            mentee_id=mentees[i].id,
            mentor_id=mentors[j].id,
            score=round(float(scores[i, j]), 6),
            parts={name: round(float(matrix[i, j]), 4) for name, matrix in parts.items()},
            explanation=_explain(i, j, mentees[i], mentors[j], details, parts),
            pinned=i in pinned_rows,
        )
        for i, j in sorted(assignment.items())
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
    scores = sum(getattr(weights, name) * matrix for name, matrix in parts.items())
    result = []
    for j, mentor in enumerate(mentors):
        km = details["km"][0, j]
        result.append(
            Candidate(
                mentor_id=mentor.id,
                score=round(float(scores[0, j]), 6),
                parts={name: round(float(matrix[0, j]), 4) for name, matrix in parts.items()},
                explanation=_explain(0, j, mentee, mentor, details, parts),
                rule=broken_rule(
                    mentee,
                    mentor,
                    policy=policy,
                    separate_departments=separate_departments,
                    forbidden=forbidden,
                ),
                km=None if np.isnan(km) else float(km),
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
