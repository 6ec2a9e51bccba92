"""A finished cohort whose every report figure is known by hand (see test_report.py).

On ``TODAY`` (15 March 2026) the 8th cohort (February 2025 to January 2026) is over:

- mentees: 6 accepted (m1–m6), 3 rejected (r1–r3), 3 waitlisted (w1–w3), 1 withdrawn,
  1 draft; mentors: 7 accepted, 1 rejected;
- tandems: m1–m4 ran the whole year; m5's first tandem ended in April (no category,
  recorded before categories existed) and she got a new mentor in May; m6's ended in June
  (workload);
- contacts: 56 of 65 tandem-months;
- workshops: kick-off 7 recorded, interim 6, final 4 (too few), network (still ahead);
- surveys: baseline (mentors too few), one-month check-in (mentees only), final, and a
  mid-term one still open;
- career steps: participants 5 of 6 known, comparison 3 of 5 known (too few).
"""

import datetime as dt

from django.utils import timezone

from applications.enums import ApplicationRole, ApplicationState, CareerStepKind
from applications.enums import EligibilityOutcome as E
from applications.models import CareerStep
from cohorts.enums import CohortState
from evaluation.enums import SurveyKind
from evaluation.models import RatingCount, Survey, SurveyGroup, TextAnswer
from mentoring.consents import consent_give, consent_withdraw
from mentoring.enums import ConsentKind
from mentoring.months import add_months
from tandems.enums import EndCategory, TandemStatus
from tandems.models import Contact, Tandem
from tests.factories import (
    ApplicationFactory,
    AttendanceFactory,
    CohortFactory,
    MentorApplicationFactory,
    WorkshopFactory,
)
from workshops.enums import AttendanceStatus, WorkshopKind

D = dt.date
TODAY = D(2026, 3, 15)
START, END = D(2025, 2, 1), D(2026, 1, 31)


def aware(*args):
    return timezone.make_aware(dt.datetime(*args))


def cohort(**kwargs):
    return CohortFactory(
        **{
            "number": 8,
            "year": 2025,
            "start_date": START,
            "end_date": END,
            "state": CohortState.FINISHED,
            "application_opens_at": aware(2024, 9, 1),
            "application_deadline": aware(2024, 11, 1),
            **kwargs,
        }
    )


def mentee(cohort, state, outcome=E.PASS, override="", name=None):
    submitted = None if state == ApplicationState.DRAFT else aware(2024, 10, 15)
    return ApplicationFactory(
        cohort=cohort,
        state=state,
        submitted_at=submitted,
        eligibility_outcome=outcome,
        eligibility_override=override,
        cv="",
        letter="",
        name=name,
    )


def mentor(cohort, state=ApplicationState.ACCEPTED, outcome=E.PASS):
    return MentorApplicationFactory(
        cohort=cohort, state=state, submitted_at=aware(2024, 10, 20), eligibility_outcome=outcome
    )


def months(first, count, *, skip=()):
    """``count`` months from ``first``'s, without the months (first days) in ``skip``."""
    return [add_months(first, n) for n in range(count) if add_months(first, n) not in skip]


def contacts(tandem, months_, day=10):
    Contact.objects.bulk_create(
        Contact(
            tandem=tandem,
            author=tandem.mentee.applicant,
            date=month.replace(day=day),
            format="video",
            duration_minutes=60,
        )
        for month in months_
    )


def answers(survey, role, responses, ratings=None, texts=None):
    """A group of ``responses`` answers, counted: ``ratings`` {item: [values]}, ``texts``
    {item: [texts]}."""
    group = SurveyGroup.objects.create(survey=survey, role=role, responses=responses)
    counts = {}
    for item, values in (ratings or {}).items():
        for value in values:
            counts[item, value] = counts.get((item, value), 0) + 1
    RatingCount.objects.bulk_create(
        RatingCount(group=group, item=item, value=value, count=count)
        for (item, value), count in counts.items()
    )
    TextAnswer.objects.bulk_create(
        TextAnswer(group=group, item=item, text=text)
        for item, lines in (texts or {}).items()
        for text in lines
    )
    return group


def world(cohort_=None):
    c = cohort_ or cohort()
    A = ApplicationState
    m = [None] + [mentee(c, A.ACCEPTED) for _ in range(5)]
    m.append(mentee(c, A.ACCEPTED, outcome=E.MANUAL, override=E.PASS))  # m6
    r = [mentee(c, A.REJECTED, outcome=E.FAIL), mentee(c, A.REJECTED), mentee(c, A.REJECTED)]
    w = [mentee(c, A.WAITLISTED) for _ in range(3)]
    withdrawn = mentee(c, A.WITHDRAWN, outcome=E.FAIL)
    mentee(c, A.DRAFT, outcome="")
    mt = [None] + [mentor(c) for _ in range(6)]
    mt.append(mentor(c, outcome=E.MANUAL))  # mt7
    mentor(c, A.REJECTED)

    def tandem(mentee_, mentor_, start=START, **kwargs):
        return Tandem.objects.create(
            cohort=c, mentee=mentee_, mentor=mentor_, start_date=start, **kwargs
        )

    done = TandemStatus.COMPLETED
    t = [None] + [tandem(m[n], mt[n], status=done) for n in range(1, 5)]
    t.append(tandem(m[5], mt[5], status=TandemStatus.ENDED, ended_at=D(2025, 4, 10)))
    t.append(
        tandem(
            m[6],
            mt[6],
            status=TandemStatus.ENDED,
            ended_at=D(2025, 6, 20),
            end_category=EndCategory.WORKLOAD,
        )
    )
    t.append(tandem(m[5], mt[7], start=D(2025, 5, 1), status=done))  # t7

    contacts(t[1], months(START, 12))
    contacts(t[2], months(START, 12, skip=(D(2025, 7, 1), D(2025, 8, 1))))
    contacts(t[3], months(START, 12))
    contacts(t[3], [D(2025, 3, 1)], day=20)  # a second contact in March counts once
    contacts(t[4], months(START, 12, skip=(D(2025, 10, 1), D(2025, 11, 1), D(2025, 12, 1))))
    contacts(t[5], [START, D(2025, 6, 1)])  # June is after its end: not counted
    contacts(t[6], months(START, 3))
    contacts(t[7], months(D(2025, 5, 1), 9))

    people = [*m[1:], *mt[1:]]
    kick_off = WorkshopFactory(cohort=c, kind=WorkshopKind.KICK_OFF, date=D(2025, 2, 5))
    interim = WorkshopFactory(cohort=c, kind=WorkshopKind.INTERIM, date=D(2025, 7, 10))
    final = WorkshopFactory(cohort=c, kind=WorkshopKind.FINAL, date=D(2026, 1, 20))
    WorkshopFactory(cohort=c, kind=WorkshopKind.NETWORK, date=D(2026, 4, 1))
    P, X, N = AttendanceStatus.PRESENT, AttendanceStatus.EXCUSED, AttendanceStatus.ABSENT
    for workshop, statuses in (
        (kick_off, [P, P, P, P, P, P, X]),
        (interim, [P, P, P, P, X, N]),
        (final, [P, P, P, X]),
    ):
        for person, status in zip(people, statuses, strict=False):
            note = "krank" if status == X else ""
            AttendanceFactory(workshop=workshop, application=person, status=status, note=note)

    mentee_role, mentor_role = ApplicationRole.MENTEE, ApplicationRole.MENTOR
    baseline = Survey.objects.create(
        cohort=c, kind=SurveyKind.BASELINE, opens_on=D(2025, 2, 1), closes_on=D(2025, 2, 28)
    )
    answers(
        baseline,
        mentee_role,
        6,
        {
            "expect_career": [5, 5, 4, 4, 3, 5],
            "expect_psychosocial": [4, 4, 4, 3, 3],
            "expect_role_model": [2, 3, 4, 5],
            "aspiration_leadership": [5, 5, 5, 4, 4, 4],
        },
        {"text_goals": ["Sichtbarkeit", "=SUMME(A1)", "Netzwerk"]},
    )
    answers(
        baseline,
        mentor_role,
        4,
        {"expect_career": [1, 1, 1, 1]},
        {"text_goals": ["Erfahrung weitergeben", "Geheim"]},
    )
    first_month = Survey.objects.create(
        cohort=c,
        kind=SurveyKind.FIRST_MONTH,
        opens_on=D(2025, 3, 1),
        closes_on=D(2025, 3, 15),
        for_mentors=False,
    )
    answers(
        first_month,
        mentee_role,
        5,
        {
            "check_in_met": [1, 1, 1, 1, 0],
            "check_in_going": [4, 4, 5, 2, 3],
            "career_goals": [3, 4, 4, 5, 5],
            "psychosocial_openness": [5, 5, 5, 4, 4],
            "role_model_leadership": [4, 4, 4, 4, 4],
        },
    )
    midterm = Survey.objects.create(
        cohort=c, kind=SurveyKind.MIDTERM, opens_on=D(2025, 8, 1), closes_on=D(2026, 3, 20)
    )
    answers(midterm, mentee_role, 7, {"career_goals": [5] * 7}, {"text_helped": ["offen"]})
    final_survey = Survey.objects.create(
        cohort=c,
        kind=SurveyKind.FINAL,
        opens_on=D(2026, 1, 15),
        closes_on=D(2026, 2, 15),
        extra_question="Was nehmen Sie mit?",
    )
    answers(
        final_survey,
        mentee_role,
        6,
        {
            "career_goals": [5, 4, 4, 5, 3, 4],
            "career_insight": [4] * 6,
            "career_visibility": [5] * 6,
            "psychosocial_openness": [5] * 6,
            "psychosocial_concerns": [5, 5, 5, 5, 4, 4],
            "psychosocial_confidence": [3] * 6,
            "role_model_leadership": [4] * 6,
            "role_model_adopt": [3] * 5,
            "role_model_attitude": [5] * 6,
            "satisfaction_matching": [5, 5, 4, 4, 4, 3],
            "satisfaction_workshops": [3, 3, 4, 4],
            "satisfaction_beirat": [5] * 5,
        },
        {
            "text_helped": ["Die Hospitation", "Ehrliches Feedback"],
            "text_improve": ["Mehr Netzwerktreffen"],
            "text_extra": ["Mut"],
        },
    )
    answers(
        final_survey,
        mentor_role,
        5,
        {"career_goals": [4] * 5, "career_insight": [3] * 5, "career_visibility": [5] * 5},
    )

    def step(application, kind, day):
        CareerStep.objects.create(application=application, kind=kind, date=day)

    K = CareerStepKind
    step(m[1], K.PROMOTION, D(2025, 9, 1))
    step(m[1], K.LEADERSHIP, D(2025, 12, 1))
    step(m[2], K.PROMOTION, D(2026, 2, 1))
    step(m[3], K.HORIZONTAL, D(2025, 10, 1))
    step(m[4], K.NONE, D(2026, 2, 1))
    step(m[5], K.APPLIED, D(2025, 11, 1))
    step(m[5], K.NONE, D(2026, 2, 1))
    step(m[6], K.PROMOTION, D(2024, 12, 1))  # before the cohort: m6's outcome is unknown
    step(mt[1], K.PROMOTION, D(2025, 9, 1))  # a mentor's steps are not counted
    for person in (*r, *w, withdrawn):
        consent_give(user=person.applicant, kind=ConsentKind.FOLLOW_UP)
    consent_withdraw(user=w[2].applicant, kind=ConsentKind.FOLLOW_UP)
    step(r[0], K.PROMOTION, D(2025, 6, 1))
    step(r[1], K.NONE, D(2026, 1, 1))
    step(w[0], K.HORIZONTAL, D(2025, 8, 1))
    step(w[2], K.PROMOTION, D(2025, 8, 1))  # withdrew her consent: not in the group
    step(withdrawn, K.PROMOTION, D(2025, 8, 1))
    return {"cohort": c, "mentees": m, "mentors": mt, "tandems": t}
