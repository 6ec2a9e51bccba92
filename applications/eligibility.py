"""The programme's admission rules as pure functions: facts and a policy in, a report out.

Each rule answers pass, fail or "needs a manual check", always with a German reason that
names the concrete values, so an officer sees why at a glance. No Django, no database.
"""

from dataclasses import asdict, dataclass
from datetime import date
from enum import StrEnum

from . import paygrades


class Outcome(StrEnum):
    PASS = "pass"  # noqa: S105 -- an outcome, not a password
    FAIL = "fail"
    MANUAL = "manual"


@dataclass(frozen=True)
class RuleResult:
    rule: str
    label: str
    outcome: Outcome
    reason: str


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


QUALIFICATION_LABELS = {
    "lg2": "Laufbahngruppe 2, 1. Einstiegsamt",
    "al2": "Angestelltenlehrgang II",
    "degree": "Hochschulabschluss",
    "other": "sonstige Qualifikation",
}
# From the top of an administration down; the order in which allowed levels are named.
LEADERSHIP_LEVEL_LABELS = {
    "executive": "Verwaltungsvorstand / Dezernat",
    "department": "Fachbereichsleitung",
    "office": "Amtsleitung",
    "division": "Abteilungsleitung",
    "team": "Sachgebiets- / Teamleitung",
    "other": "sonstige Führungsfunktion",
}
_GROUP_NOUN = {
    "A": "Besoldungsgruppe",
    "B": "Besoldungsgruppe",
    "EG": "Entgeltgruppe",
    "S": "Entgeltgruppe",
}


def months_between(start, end):
    """Full calendar months from ``start`` to ``end`` (negative if ``end`` is earlier).

    2021-03-01 → 2023-03-01 is 24; 2021-03-02 → 2023-03-01 is 23.
    """
    months = (end.year - start.year) * 12 + (end.month - start.month)
    if end.day < start.day:
        months -= 1
    return months


def _missing(rule, label, what):
    return RuleResult(rule, label, Outcome.MANUAL, f"Angabe fehlt: {what}; bitte manuell prüfen.")


def _qualification(facts, policy):
    rule, label = "qualification", "Qualifikation"
    if not facts.qualification:
        return _missing(rule, label, "Qualifikation")
    name = QUALIFICATION_LABELS.get(facts.qualification, facts.qualification)
    if facts.qualification in policy.qualifications:
        return RuleResult(rule, label, Outcome.PASS, f"{name}: erfüllt die Voraussetzung.")
    if facts.qualification in policy.manual_qualifications:
        return RuleResult(
            rule,
            label,
            Outcome.MANUAL,
            f"{name}: Gleichwertigkeit mit Laufbahngruppe 2 bitte prüfen.",
        )
    required = " oder ".join(QUALIFICATION_LABELS.get(q, q) for q in sorted(policy.qualifications))
    return RuleResult(rule, label, Outcome.FAIL, f"{name}: erforderlich ist {required}.")


def _pay_grade(facts, policy):
    rule, label = "pay_grade", "Bewertung der Stelle"
    if not facts.pay_scale or not facts.pay_grade:
        return _missing(rule, label, "Besoldungs- bzw. Entgeltgruppe")
    scale = facts.pay_scale
    try:
        grade = paygrades.normalise_grade(scale, facts.pay_grade)
    except paygrades.UnknownGrade as error:
        return RuleResult(rule, label, Outcome.MANUAL, f"{error} Bitte manuell prüfen.")
    shown = f"{_GROUP_NOUN[scale]} {paygrades.display(scale, grade)}"
    for minimum_scale, minimum_grade in policy.minimum_grades:
        try:
            verdict = paygrades.at_least(scale, grade, minimum_scale, minimum_grade)
        except paygrades.UnknownGrade:
            return RuleResult(
                rule,
                label,
                Outcome.MANUAL,
                f"Die Mindestanforderung {minimum_scale} {minimum_grade} ist ungültig; "
                "bitte die Zulassungsvoraussetzungen des Jahrgangs prüfen.",
            )
        if verdict is None:
            continue
        minimum = paygrades.display(minimum_scale, minimum_grade)
        if verdict:
            return RuleResult(
                rule, label, Outcome.PASS, f"{shown} erfüllt die Mindestanforderung {minimum}."
            )
        return RuleResult(
            rule, label, Outcome.FAIL, f"{shown} liegt unter der Mindestanforderung {minimum}."
        )
    return RuleResult(
        rule,
        label,
        Outcome.MANUAL,
        f"Für {paygrades.SCALE_LABELS[scale]} ist keine Mindestanforderung festgelegt; "
        "bitte manuell prüfen.",
    )


def _permanent(facts, policy):
    rule, label = "permanent", "unbefristete Beschäftigung"
    if not policy.require_permanent:
        return RuleResult(rule, label, Outcome.PASS, "Keine Anforderung an die Befristung.")
    if facts.permanent is None:
        return _missing(rule, label, "Befristung")
    if facts.permanent:
        return RuleResult(rule, label, Outcome.PASS, "Die Beschäftigung ist unbefristet.")
    return RuleResult(
        rule,
        label,
        Outcome.FAIL,
        "Die Beschäftigung ist befristet; erforderlich ist ein unbefristetes "
        "Beschäftigungsverhältnis.",
    )


def _service(facts, policy):
    rule, label = "service", "Dienstzeit in der Kommunalverwaltung"
    if facts.service_start is None:
        return _missing(rule, label, "Beginn der Tätigkeit in der Kommunalverwaltung")
    if policy.cohort_start is None:
        return RuleResult(
            rule, label, Outcome.MANUAL, "Der Beginn des Jahrgangs steht noch nicht fest."
        )
    months = months_between(facts.service_start, policy.cohort_start)
    reason = (
        f"{months} Monate in der Kommunalverwaltung bis zum Beginn am "
        f"{policy.cohort_start:%d.%m.%Y}"
    )
    if months >= policy.minimum_service_months:
        return RuleResult(rule, label, Outcome.PASS, f"{reason}.")
    return RuleResult(
        rule,
        label,
        Outcome.FAIL,
        f"{reason}; erforderlich sind mindestens {policy.minimum_service_months}.",
    )


def _organisation(organisation_id, policy, who):
    rule, label = "organisation", "teilnehmende Verwaltung"
    if organisation_id is None:
        return _missing(rule, label, "Verwaltung")
    if organisation_id in policy.participating_organisation_ids:
        return RuleResult(rule, label, Outcome.PASS, "Die Verwaltung nimmt am Jahrgang teil.")
    return RuleResult(
        rule, label, Outcome.FAIL, f"Die Verwaltung {who} nimmt an diesem Jahrgang nicht teil."
    )


def check_mentee(facts, policy):
    return Report(
        (
            _qualification(facts, policy),
            _pay_grade(facts, policy),
            _permanent(facts, policy),
            _service(facts, policy),
            _organisation(facts.organisation_id, policy, "der Bewerberin"),
        )
    )


def _either(names):
    """ "A", "A oder B", "A, B oder C"."""
    names = list(names)
    if len(names) <= 1:
        return "".join(names)
    return f"{', '.join(names[:-1])} oder {names[-1]}"


def _mentor_level(facts, policy):
    rule, label = "leadership_level", "Führungsebene"
    if facts.leadership_level is None:
        return _missing(rule, label, "Führungsebene")
    name = LEADERSHIP_LEVEL_LABELS.get(facts.leadership_level, facts.leadership_level)
    if facts.leadership_level in policy.mentor_levels:
        return RuleResult(rule, label, Outcome.PASS, f"{name}: erfüllt die Voraussetzung.")
    allowed = _either(
        LEADERSHIP_LEVEL_LABELS.get(level, level)
        for level in sorted(policy.mentor_levels, key=_level_rank)
    )
    return RuleResult(
        rule,
        label,
        Outcome.FAIL,
        f"{name}: Mentor:innen in diesem Programm haben die Führungsebene {allowed}.",
    )


def _level_rank(level):
    order = list(LEADERSHIP_LEVEL_LABELS)
    return (order.index(level), level) if level in order else (len(order), level)


def check_mentor(facts, policy):
    rule, label = "leadership", "Führungserfahrung mit Personalverantwortung"
    if facts.leadership_years is None:
        leadership = _missing(rule, label, "Jahre Führungserfahrung")
    elif facts.leadership_years >= policy.minimum_leadership_years:
        leadership = RuleResult(
            rule,
            label,
            Outcome.PASS,
            f"{facts.leadership_years} Jahre Führungserfahrung mit Personalverantwortung.",
        )
    else:
        leadership = RuleResult(
            rule,
            label,
            Outcome.FAIL,
            f"{facts.leadership_years} Jahre Führungserfahrung mit Personalverantwortung; "
            f"erforderlich sind mindestens {policy.minimum_leadership_years}.",
        )
    results = [leadership]
    if policy.mentor_levels:
        results.append(_mentor_level(facts, policy))
    results.append(_organisation(facts.organisation_id, policy, "der Person"))
    return Report(tuple(results))
