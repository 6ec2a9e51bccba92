"""The programme's admission rules as pure functions: facts and a policy in, a report out.

Each rule answers pass, fail or "needs a manual check", always with a reason that names
the concrete values, so an officer sees why at a glance. No Django, no database.

A result keeps its ``label`` and ``reason`` as German msgids (marked for the catalogue
with ``gettext_noop``) and the values in ``params``, so a stored report reads in the
language of whoever opens it (``eligibility_display``). ``params`` hold plain values:
numbers and grades as shown ("A 11"), and by name

- ``qualification`` / ``qualifications``: value(s) of ``Qualification``,
- ``level`` / ``levels``: value(s) of ``LeadershipLevel``, from the top down,
- ``pay_scale``: a value of ``PayScale``,
- ``date``: an ISO date,
- ``missing``: a msgid naming what is missing,
- ``error``: a message of its own, ``{"reason": msgid, "params": {...}}``.
"""

from dataclasses import asdict, dataclass, field
from datetime import date
from enum import StrEnum
from functools import partial

from . import paygrades
from .paygrades import gettext_noop


class Outcome(StrEnum):
    PASS = "pass"  # noqa: S105 -- an outcome, not a password
    FAIL = "fail"
    MANUAL = "manual"


@dataclass(frozen=True)
class RuleResult:
    rule: str
    label: str  # msgid
    outcome: Outcome
    reason: str  # msgid with %(name)s placeholders for ``params``
    params: dict = field(default_factory=dict, hash=False)


@dataclass(frozen=True)
class Report:
    results: tuple[RuleResult, ...]

    @property
    def overall(self):
        outcomes = {result.outcome for result in self.results}
        if Outcome.FAIL in outcomes:
            return Outcome.FAIL
        if Outcome.MANUAL in outcomes:
            return Outcome.MANUAL
        return Outcome.PASS

    def as_dict(self):
        return {
            "overall": self.overall.value,
            "results": [
                {**asdict(result), "outcome": result.outcome.value} for result in self.results
            ],
        }

    @classmethod
    def from_dict(cls, data):
        return cls(
            tuple(
                RuleResult(
                    rule=item["rule"],
                    label=item["label"],
                    outcome=Outcome(item["outcome"]),
                    reason=item["reason"],
                    params=item.get("params", {}),
                )
                for item in data.get("results", [])
            )
        )


@dataclass(frozen=True)
class Policy:
    """A cohort's rules; the defaults are those of the Emscher-Lippe flyer."""

    qualifications: frozenset = frozenset({"lg2", "al2"})
    manual_qualifications: frozenset = frozenset({"degree"})
    minimum_grades: tuple = (("A", "11"), ("EG", "10"), ("S", "15"))
    require_permanent: bool = True
    minimum_service_months: int = 24
    participating_organisation_ids: frozenset = frozenset()
    cohort_start: date | None = None
    minimum_leadership_years: int = 3
    # Leadership levels a mentor must hold (values of ``LeadershipLevel``); empty: any.
    mentor_levels: frozenset = frozenset()


@dataclass(frozen=True)
class MenteeFacts:
    organisation_id: int | None
    qualification: str | None
    pay_scale: str | None
    pay_grade: str | None
    permanent: bool | None
    service_start: date | None


@dataclass(frozen=True)
class MentorFacts:
    organisation_id: int | None
    leadership_years: int | None
    staff_count: int | None
    leadership_level: str | None = None


# Leadership levels from the top of an administration down: the order in which allowed
# levels are named (the values of ``LeadershipLevel``, in its order).
LEADERSHIP_LEVELS = ("executive", "department", "office", "division", "team", "other")


def months_between(start, end):
    """Full calendar months from ``start`` to ``end`` (negative if ``end`` is earlier).

    2021-03-01 → 2023-03-01 is 24; 2021-03-02 → 2023-03-01 is 23.
    """
    months = (end.year - start.year) * 12 + (end.month - start.month)
    if end.day < start.day:
        months -= 1
    return months


def _missing(result, what):
    return result(
        Outcome.MANUAL,
        gettext_noop("Angabe fehlt: %(missing)s; bitte manuell prüfen."),
        {"missing": what},
    )


def _qualification(facts, policy):
    result = partial(RuleResult, "qualification", gettext_noop("Qualifikation"))
    if not facts.qualification:
        return _missing(result, gettext_noop("Qualifikation"))
    params = {"qualification": facts.qualification}
    if facts.qualification in policy.qualifications:
        return result(
            Outcome.PASS, gettext_noop("%(qualification)s: erfüllt die Voraussetzung."), params
        )
    if facts.qualification in policy.manual_qualifications:
        return result(
            Outcome.MANUAL,
            gettext_noop("%(qualification)s: Gleichwertigkeit mit Laufbahngruppe 2 bitte prüfen."),
            params,
        )
    return result(
        Outcome.FAIL,
        gettext_noop("%(qualification)s: erforderlich ist %(qualifications)s."),
        {**params, "qualifications": sorted(policy.qualifications)},
    )


# Civil servants' pay has Besoldungsgruppen, the TVöD scales have Entgeltgruppen.
_GRADE_MEETS = {
    "civil": gettext_noop("Besoldungsgruppe %(grade)s erfüllt die Mindestanforderung %(minimum)s."),
    "tvoed": gettext_noop("Entgeltgruppe %(grade)s erfüllt die Mindestanforderung %(minimum)s."),
}
_GRADE_BELOW = {
    "civil": gettext_noop(
        "Besoldungsgruppe %(grade)s liegt unter der Mindestanforderung %(minimum)s."
    ),
    "tvoed": gettext_noop(
        "Entgeltgruppe %(grade)s liegt unter der Mindestanforderung %(minimum)s."
    ),
}
_SCALE_KIND = {"A": "civil", "B": "civil", "EG": "tvoed", "S": "tvoed"}


def _pay_grade(facts, policy):
    result = partial(RuleResult, "pay_grade", gettext_noop("Bewertung der Stelle"))
    if not facts.pay_scale or not facts.pay_grade:
        return _missing(result, gettext_noop("Besoldungs- bzw. Entgeltgruppe"))
    scale = facts.pay_scale
    try:
        grade = paygrades.normalise_grade(scale, facts.pay_grade)
    except paygrades.UnknownGrade as error:
        return result(
            Outcome.MANUAL,
            gettext_noop("%(error)s Bitte manuell prüfen."),
            {"error": {"reason": error.message, "params": error.params}},
        )
    for minimum_scale, minimum_grade in policy.minimum_grades:
        try:
            verdict = paygrades.at_least(scale, grade, minimum_scale, minimum_grade)
        except paygrades.UnknownGrade:
            return result(
                Outcome.MANUAL,
                gettext_noop(
                    "Die Mindestanforderung %(minimum)s ist ungültig; "
                    "bitte die Zulassungsvoraussetzungen des Jahrgangs prüfen."
                ),
                {"minimum": f"{minimum_scale} {minimum_grade}"},
            )
        if verdict is None:
            continue
        params = {
            "grade": paygrades.display(scale, grade),
            "minimum": paygrades.display(minimum_scale, minimum_grade),
        }
        reasons = _GRADE_MEETS if verdict else _GRADE_BELOW
        outcome = Outcome.PASS if verdict else Outcome.FAIL
        return result(outcome, reasons[_SCALE_KIND[scale]], params)
    return result(
        Outcome.MANUAL,
        gettext_noop(
            "Für %(pay_scale)s ist keine Mindestanforderung festgelegt; bitte manuell prüfen."
        ),
        {"pay_scale": scale},
    )


def _permanent(facts, policy):
    result = partial(RuleResult, "permanent", gettext_noop("unbefristete Beschäftigung"))
    if not policy.require_permanent:
        return result(Outcome.PASS, gettext_noop("Keine Anforderung an die Befristung."))
    if facts.permanent is None:
        return _missing(result, gettext_noop("Befristung"))
    if facts.permanent:
        return result(Outcome.PASS, gettext_noop("Die Beschäftigung ist unbefristet."))
    return result(
        Outcome.FAIL,
        gettext_noop(
            "Die Beschäftigung ist befristet; erforderlich ist ein unbefristetes "
            "Beschäftigungsverhältnis."
        ),
    )


def _service(facts, policy):
    result = partial(RuleResult, "service", gettext_noop("Dienstzeit in der Kommunalverwaltung"))
    if facts.service_start is None:
        return _missing(result, gettext_noop("Beginn der Tätigkeit in der Kommunalverwaltung"))
    if policy.cohort_start is None:
        return result(
            Outcome.MANUAL, gettext_noop("Der Beginn des Jahrgangs steht noch nicht fest.")
        )
    params = {
        "months": months_between(facts.service_start, policy.cohort_start),
        "date": policy.cohort_start.isoformat(),
    }
    if params["months"] >= policy.minimum_service_months:
        return result(
            Outcome.PASS,
            gettext_noop("%(months)d Monate in der Kommunalverwaltung bis zum Beginn am %(date)s."),
            params,
        )
    return result(
        Outcome.FAIL,
        gettext_noop(
            "%(months)d Monate in der Kommunalverwaltung bis zum Beginn am %(date)s; "
            "erforderlich sind mindestens %(minimum)d."
        ),
        {**params, "minimum": policy.minimum_service_months},
    )


def _organisation(organisation_id, policy, not_taking_part):
    result = partial(RuleResult, "organisation", gettext_noop("teilnehmende Verwaltung"))
    if organisation_id is None:
        return _missing(result, gettext_noop("Verwaltung"))
    if organisation_id in policy.participating_organisation_ids:
        return result(Outcome.PASS, gettext_noop("Die Verwaltung nimmt am Jahrgang teil."))
    return result(Outcome.FAIL, not_taking_part)


def check_mentee(facts, policy):
    return Report(
        (
            _qualification(facts, policy),
            _pay_grade(facts, policy),
            _permanent(facts, policy),
            _service(facts, policy),
            _organisation(
                facts.organisation_id,
                policy,
                gettext_noop("Die Verwaltung der Bewerberin nimmt an diesem Jahrgang nicht teil."),
            ),
        )
    )


def _mentor_level(facts, policy):
    result = partial(RuleResult, "leadership_level", gettext_noop("Führungsebene"))
    if facts.leadership_level is None:
        return _missing(result, gettext_noop("Führungsebene"))
    params = {"level": facts.leadership_level}
    if facts.leadership_level in policy.mentor_levels:
        return result(Outcome.PASS, gettext_noop("%(level)s: erfüllt die Voraussetzung."), params)
    return result(
        Outcome.FAIL,
        gettext_noop(
            "%(level)s: Mentor:innen in diesem Programm haben die Führungsebene %(levels)s."
        ),
        {**params, "levels": sorted(policy.mentor_levels, key=_level_rank)},
    )


def _level_rank(level):
    order = LEADERSHIP_LEVELS
    return (order.index(level), level) if level in order else (len(order), level)


def check_mentor(facts, policy):
    result = partial(
        RuleResult, "leadership", gettext_noop("Führungserfahrung mit Personalverantwortung")
    )
    if facts.leadership_years is None:
        leadership = _missing(result, gettext_noop("Jahre Führungserfahrung"))
    elif facts.leadership_years >= policy.minimum_leadership_years:
        leadership = result(
            Outcome.PASS,
            gettext_noop("%(years)d Jahre Führungserfahrung mit Personalverantwortung."),
            {"years": facts.leadership_years},
        )
    else:
        leadership = result(
            Outcome.FAIL,
            gettext_noop(
                "%(years)d Jahre Führungserfahrung mit Personalverantwortung; "
                "erforderlich sind mindestens %(minimum)d."
            ),
            {"years": facts.leadership_years, "minimum": policy.minimum_leadership_years},
        )
    results = [leadership]
    if policy.mentor_levels:
        results.append(_mentor_level(facts, policy))
    results.append(
        _organisation(
            facts.organisation_id,
            policy,
            gettext_noop("Die Verwaltung der Person nimmt an diesem Jahrgang nicht teil."),
        )
    )
    return Report(tuple(results))
