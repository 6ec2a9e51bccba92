"""The admission rules at every boundary, with the exact German reasons officers read.

A result holds its reason as a German msgid and its values apart (``params``);
``text`` fills in plain values the way ``eligibility_display`` does in German. Choice
values, dates and lists are shown by ``eligibility_display`` (test_eligibility_display).
"""

import datetime as dt

import pytest

from applications.eligibility import (
    MenteeFacts,
    MentorFacts,
    Outcome,
    Policy,
    Report,
    RuleResult,
    check_mentee,
    check_mentor,
    months_between,
)

BOTTROP, GLADBECK = 1, 2
POLICY = Policy(
    participating_organisation_ids=frozenset({BOTTROP}), cohort_start=dt.date(2023, 11, 21)
)
ELIGIBLE = MenteeFacts(
    organisation_id=BOTTROP,
    qualification="lg2",
    pay_scale="A",
    pay_grade="11",
    permanent=True,
    service_start=dt.date(2015, 4, 1),
)


def rule(report, name):
    return next(result for result in report.results if result.rule == name)


def text(result):
    return result.reason % result.params


def mentee(**changes):
    return check_mentee(MenteeFacts(**{**ELIGIBLE.__dict__, **changes}), POLICY)


def test_an_eligible_mentee_passes_every_rule():
    report = check_mentee(ELIGIBLE, POLICY)
    assert [r.rule for r in report.results] == [
        "qualification",
        "pay_grade",
        "permanent",
        "service",
        "organisation",
    ]
    assert {r.outcome for r in report.results} == {Outcome.PASS}
    assert report.overall == Outcome.PASS


@pytest.mark.parametrize(
    ("scale", "grade", "outcome", "reason"),
    [
        ("A", "10", Outcome.FAIL, "Besoldungsgruppe A 10 liegt unter der Mindestanforderung A 11."),
        ("A", "11", Outcome.PASS, "Besoldungsgruppe A 11 erfüllt die Mindestanforderung A 11."),
        ("B", "1", Outcome.PASS, "Besoldungsgruppe B 1 erfüllt die Mindestanforderung A 11."),
        ("EG", "9c", Outcome.FAIL, "Entgeltgruppe EG 9c liegt unter der Mindestanforderung EG 10."),
        ("EG", "10", Outcome.PASS, "Entgeltgruppe EG 10 erfüllt die Mindestanforderung EG 10."),
        ("S", "14", Outcome.FAIL, "Entgeltgruppe S 14 liegt unter der Mindestanforderung S 15."),
        ("S", "15", Outcome.PASS, "Entgeltgruppe S 15 erfüllt die Mindestanforderung S 15."),
    ],
)
def test_pay_grade_boundaries(scale, grade, outcome, reason):
    result = rule(mentee(pay_scale=scale, pay_grade=grade), "pay_grade")
    assert (result.outcome, text(result)) == (outcome, reason)


def test_a_scale_without_a_minimum_needs_a_manual_check():
    policy = Policy(minimum_grades=(("A", "11"),), cohort_start=dt.date(2023, 11, 21))
    facts = MenteeFacts(**{**ELIGIBLE.__dict__, "pay_scale": "S", "pay_grade": "15"})
    result = rule(check_mentee(facts, policy), "pay_grade")
    assert result.outcome == Outcome.MANUAL
    assert (result.reason, result.params) == (
        "Für %(pay_scale)s ist keine Mindestanforderung festgelegt; bitte manuell prüfen.",
        {"pay_scale": "S"},
    )


def test_an_unknown_grade_never_fails_eligibility_but_asks_for_a_check():
    result = rule(mentee(pay_scale="EG", pay_grade="9d"), "pay_grade")
    assert result.outcome == Outcome.MANUAL
    assert result.reason == "%(error)s Bitte manuell prüfen."
    error = result.params["error"]
    assert error["reason"] % error["params"] == (
        "Die Entgeltgruppe „EG 9d“ gibt es nicht. Gültig sind: EG 1, EG 2, EG 2Ü, EG 3, EG 4, "
        "EG 5, EG 6, EG 7, EG 8, EG 9a, EG 9b, EG 9c, EG 10, EG 11, EG 12, EG 13, EG 14, EG 15, "
        "EG 15Ü."
    )


@pytest.mark.parametrize(
    ("qualification", "outcome", "reason", "params"),
    [
        (
            "lg2",
            Outcome.PASS,
            "%(qualification)s: erfüllt die Voraussetzung.",
            {"qualification": "lg2"},
        ),
        (
            "al2",
            Outcome.PASS,
            "%(qualification)s: erfüllt die Voraussetzung.",
            {"qualification": "al2"},
        ),
        (
            "degree",
            Outcome.MANUAL,
            "%(qualification)s: Gleichwertigkeit mit Laufbahngruppe 2 bitte prüfen.",
            {"qualification": "degree"},
        ),
        (
            "other",
            Outcome.FAIL,
            "%(qualification)s: erforderlich ist %(qualifications)s.",
            {"qualification": "other", "qualifications": ["al2", "lg2"]},
        ),
    ],
)
def test_qualification(qualification, outcome, reason, params):
    result = rule(mentee(qualification=qualification), "qualification")
    assert (result.outcome, result.reason, result.params) == (outcome, reason, params)


def test_fixed_term_fails_with_its_reason():
    result = rule(mentee(permanent=False), "permanent")
    assert result.outcome == Outcome.FAIL
    assert text(result) == (
        "Die Beschäftigung ist befristet; erforderlich ist ein unbefristetes "
        "Beschäftigungsverhältnis."
    )


@pytest.mark.parametrize(
    ("start", "outcome", "reason"),
    [
        (
            dt.date(2021, 11, 22),
            Outcome.FAIL,
            "23 Monate in der Kommunalverwaltung bis zum Beginn am 2023-11-21; "
            "erforderlich sind mindestens 24.",
        ),
        (
            dt.date(2021, 11, 21),
            Outcome.PASS,
            "24 Monate in der Kommunalverwaltung bis zum Beginn am 2023-11-21.",
        ),
    ],
)
def test_service_months_boundary(start, outcome, reason):
    """The cohort's start is kept as an ISO date; the reader sees it in her format."""
    result = rule(mentee(service_start=start), "service")
    assert (result.outcome, text(result)) == (outcome, reason)


def test_organisation_outside_the_cohort_fails():
    result = rule(mentee(organisation_id=GLADBECK), "organisation")
    assert result.outcome == Outcome.FAIL
    assert text(result) == "Die Verwaltung der Bewerberin nimmt an diesem Jahrgang nicht teil."


def test_missing_facts_need_a_manual_check_and_never_pass():
    report = mentee(qualification=None, pay_grade=None, permanent=None, service_start=None)
    assert [r.outcome for r in report.results] == [Outcome.MANUAL] * 4 + [Outcome.PASS]
    assert report.overall == Outcome.MANUAL
    assert [text(r) for r in report.results[:4]] == [
        "Angabe fehlt: Qualifikation; bitte manuell prüfen.",
        "Angabe fehlt: Besoldungs- bzw. Entgeltgruppe; bitte manuell prüfen.",
        "Angabe fehlt: Befristung; bitte manuell prüfen.",
        "Angabe fehlt: Beginn der Tätigkeit in der Kommunalverwaltung; bitte manuell prüfen.",
    ]


def test_fail_outweighs_manual():
    assert mentee(qualification="degree", permanent=False).overall == Outcome.FAIL


@pytest.mark.parametrize(
    ("years", "outcome", "reason"),
    [
        (
            2,
            Outcome.FAIL,
            "2 Jahre Führungserfahrung mit Personalverantwortung; erforderlich sind mindestens 3.",
        ),
        (3, Outcome.PASS, "3 Jahre Führungserfahrung mit Personalverantwortung."),
        (None, Outcome.MANUAL, "Angabe fehlt: Jahre Führungserfahrung; bitte manuell prüfen."),
    ],
)
def test_mentor_leadership_boundary(years, outcome, reason):
    report = check_mentor(MentorFacts(BOTTROP, leadership_years=years, staff_count=10), POLICY)
    assert (report.results[0].outcome, text(report.results[0])) == (outcome, reason)


@pytest.mark.parametrize(
    ("start", "end", "months"),
    [
        (dt.date(2021, 3, 1), dt.date(2023, 3, 1), 24),
        (dt.date(2021, 3, 2), dt.date(2023, 3, 1), 23),
        (dt.date(2021, 1, 31), dt.date(2021, 2, 28), 0),
        (dt.date(2023, 3, 1), dt.date(2021, 3, 1), -24),
    ],
)
def test_months_between(start, end, months):
    assert months_between(start, end) == months


def test_report_round_trips_through_json():
    report = Report(
        (
            RuleResult(
                "service",
                "Dienstzeit",
                Outcome.MANUAL,
                "Angabe fehlt: %(missing)s",
                {"missing": "Befristung"},
            ),
        )
    )
    data = report.as_dict()
    assert data == {
        "overall": "manual",
        "results": [
            {
                "rule": "service",
                "label": "Dienstzeit",
                "outcome": "manual",
                "reason": "Angabe fehlt: %(missing)s",
                "params": {"missing": "Befristung"},
            }
        ],
    }
    assert Report.from_dict(data) == report


def test_a_report_stored_before_it_kept_parameters_still_reads():
    data = {
        "overall": "manual",
        "results": [
            {"rule": "service", "label": "Dienstzeit", "outcome": "manual", "reason": "Fehlt."}
        ],
    }
    assert Report.from_dict(data).results == (
        RuleResult("service", "Dienstzeit", Outcome.MANUAL, "Fehlt.", {}),
    )


def test_an_invalid_minimum_in_the_policy_asks_for_a_check_instead_of_failing():
    policy = Policy(minimum_grades=(("EG", "9d"),), cohort_start=dt.date(2023, 11, 21))
    facts = MenteeFacts(**{**ELIGIBLE.__dict__, "pay_scale": "EG", "pay_grade": "10"})
    result = rule(check_mentee(facts, policy), "pay_grade")
    assert result.outcome == Outcome.MANUAL
    assert text(result).startswith("Die Mindestanforderung EG 9d ist ungültig;")
