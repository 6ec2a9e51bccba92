"""Demo surveys and their counted answers, so that `make run` shows a living report.

Every running or finished demo cohort gets its four surveys with the default dates
(``surveys_create_defaults``). Each survey that has closed by the day the demo is loaded
gets its answers, counted as a real answer is (``RatingCount``, ``TextAnswer``) and with
the "has answered" rows of the people who gave them; open and future surveys stay
unanswered, for the demo's participants to answer. In Emscher-Lippe's finished cohort the
mentees' groups are large enough to show, and the mentors' one-month check-in and final
survey are not ("< 5"). The finished cohort's applicants who were not selected and whose
career steps the applications demo records agree to the follow-up questions: they are its
comparison group (three people, so "< 5" as well).

So that the demo is alive on any day: in Emscher-Lippe's running cohort the programme
office has opened the mid-term survey early (from two days ago, for three weeks), so its
mentees and mentors find it on their start page, and one mentee of its second tandem asked
for a conversation after the one-month check-in, so that her equality officer finds the
request on hers.

Idempotent: answers are added only to a survey created in this run.
"""

from datetime import timedelta

from applications.enums import ApplicationRole, ApplicationState
from applications.models import Application
from cohorts import demo as cohorts_demo
from cohorts.enums import CohortState
from cohorts.models import Cohort
from mentoring.consents import consent_give
from mentoring.demo import PROGRAMME_OFFICE_EMAIL
from mentoring.enums import ConsentKind
from mentoring.models import User
from tandems.enums import TandemStatus
from tandems.models import Tandem

from . import questions, selectors
from .enums import Scale, SurveyKind
from .models import EarlyWarning, RatingCount, SurveyAnswered, SurveyGroup, TextAnswer
from .services import OPEN_FOR, surveys_create_defaults

# The ratings the demo's answers cycle through: mostly agreement, some doubt.
VALUES = (5, 4, 4, 5, 3, 4, 5, 4, 2, 5, 4, 3)
# How many of the finished Emscher-Lippe cohort's six mentees and six mentors answered.
FINISHED_RESPONSES = {
    SurveyKind.BASELINE: (6, 5),
    SurveyKind.FIRST_MONTH: (6, 4),
    SurveyKind.MIDTERM: (5, 5),
    SurveyKind.FINAL: (6, 3),
}
# What mentees and mentors wrote, in their own voice: {role: {item: texts}}.
TEXTS = {
    ApplicationRole.MENTEE: {
        "text_goals": (
            "Mehr Sicherheit darin, mich auf eine Leitungsstelle zu bewerben.",
            "Einblick in die Arbeit einer Amtsleitung und ein Netzwerk über die eigene Stadt "
            "hinaus.",
            "Klarheit, ob Führung in Teilzeit für mich infrage kommt.",
        ),
        "text_helped": (
            "Die Hospitation in der Dezernatskonferenz.",
            "Ehrliche Rückmeldungen zu meinen Präsentationen.",
            "Dass wir uns jeden Monat verbindlich getroffen haben.",
        ),
        "text_improve": (
            "Mehr Zeit für den Austausch zwischen den Tandems in den Workshops.",
            "Die Termine der Workshops früher bekanntgeben.",
            "Ein Treffen aller Mentees zu Beginn.",
        ),
        "text_remarks": ("Der Start war etwas holprig, jetzt läuft es gut.",),
    },
    ApplicationRole.MENTOR: {
        "text_goals": (
            "Meine Erfahrung mit Führung in Teilzeit weitergeben.",
            "Den Blick einer anderen Verwaltung auf meine eigene Arbeit.",
            "Eine Nachwuchskraft ein Jahr lang ehrlich begleiten.",
        ),
        "text_helped": (
            "Die klare Zielvereinbarung am Anfang.",
            "Dass meine Mentee ihre Fragen vorbereitet mitgebracht hat.",
            "Der Austausch mit anderen Mentor:innen im Auftaktworkshop.",
        ),
        "text_improve": (
            "Ein Treffen aller Mentor:innen zu Beginn.",
            "Eine kurze Handreichung, was von Mentor:innen erwartet wird.",
            "Weniger Termine in der Haushaltszeit.",
        ),
        "text_remarks": ("Eine lohnende Aufgabe, die ich gern wieder übernehme.",),
    },
}


def _participants(cohort, role):
    return list(
        Application.objects.filter(cohort=cohort, role=role, state=ApplicationState.ACCEPTED)
        .select_related("applicant")
        .order_by("pk")
    )


def _responses(cohort, survey, people):
    """How many of each role answered: the finished cohort's table, else all but one."""
    if cohort.state == CohortState.FINISHED and cohort.programme.slug == cohorts_demo.EMSCHER_LIPPE:
        mentees, mentors = FINISHED_RESPONSES[survey.kind]
        return {ApplicationRole.MENTEE: mentees, ApplicationRole.MENTOR: mentors}
    return {role: max(len(group) - 1, 0) for role, group in people.items()}


def _answer(survey, role, people, responses):
    """``responses`` answers of ``role``: counted ratings, a few texts, who answered."""
    group = SurveyGroup.objects.create(survey=survey, role=role, responses=responses)
    counts = {}
    offset = 1 if role == ApplicationRole.MENTOR else 0
    for index, item in enumerate(questions.ITEMS[survey.kind]):
        for answer in range(responses):
            if item.scale == Scale.YES_NO:
                value = questions.NO if answer % 5 == 4 else questions.YES
            else:
                value = VALUES[(index * 5 + answer + offset) % len(VALUES)]
            counts[item.key, value] = counts.get((item.key, value), 0) + 1
    RatingCount.objects.bulk_create(
        RatingCount(group=group, item=item, value=value, count=count)
        for (item, value), count in counts.items()
    )
    TextAnswer.objects.bulk_create(
        TextAnswer(group=group, item=item.key, text=text)
        for item in questions.TEXT_ITEMS[survey.kind]
        for text in TEXTS[role].get(item.key, ())[: min(responses, 3)]
    )
    SurveyAnswered.objects.bulk_create(
        SurveyAnswered(survey=survey, user=application.applicant)
        for application in people[:responses]
    )


def _is_alive(cohort):
    return cohort.state == CohortState.RUNNING and (
        cohort.programme.slug == cohorts_demo.EMSCHER_LIPPE
    )


def _open_midterm_now(created, today):
    for survey in created:
        if survey.kind == SurveyKind.MIDTERM and not survey.is_open_on(today):
            survey.opens_on = today - timedelta(days=2)
            survey.closes_on = survey.opens_on + OPEN_FOR[SurveyKind.MIDTERM] - timedelta(days=1)
            survey.save(update_fields=["opens_on", "closes_on"])


def _request_for_contact(cohort):
    """One mentee of the cohort's second tandem asked for a conversation (see above)."""
    check_in = cohort.surveys.filter(kind=SurveyKind.FIRST_MONTH).first()
    tandem = (
        Tandem.objects.filter(cohort=cohort, status=TandemStatus.ACTIVE)
        .select_related("mentee__applicant")
        .order_by("pk")[1:2]
        .first()
    )
    if check_in is None or tandem is None:
        return
    mentee = tandem.mentee.applicant
    if not SurveyAnswered.objects.filter(survey=check_in, user=mentee).exists():
        return
    contact = selectors.her_contact(survey=check_in, user=mentee)
    EarlyWarning.objects.get_or_create(
        survey=check_in,
        user=mentee,
        defaults={
            "tandem": tandem,
            "contact": contact.user if contact else None,
            "message": "Am besten erreichen Sie mich dienstags nach 14 Uhr.",
        },
    )


def _surveys(cohort, office, today):
    created = surveys_create_defaults(cohort=cohort, actor=office)
    if _is_alive(cohort):
        _open_midterm_now(created, today)
    people = {role: _participants(cohort, role) for role in ApplicationRole}
    for survey in created:
        if not survey.is_closed_on(today):
            continue
        responses = _responses(cohort, survey, people)
        for role in survey.roles():
            _answer(survey, role, people[role], min(responses[role], len(people[role])))


def _comparison_group(cohort):
    """The finished cohort's applicants with a recorded career step who were not selected
    agree to the follow-up questions (giving it twice changes nothing)."""
    others = Application.objects.filter(
        cohort=cohort,
        role=ApplicationRole.MENTEE,
        state__in=(ApplicationState.WAITLISTED, ApplicationState.REJECTED),
        career_steps__isnull=False,
    ).select_related("applicant")
    for application in others.distinct():
        consent_give(user=application.applicant, kind=ConsentKind.FOLLOW_UP)


def load(*, today):
    office = User.objects.get(email=PROGRAMME_OFFICE_EMAIL)
    cohorts = Cohort.objects.filter(
        programme__slug__in=[p.slug for p in cohorts_demo.PROGRAMMES],
        state__in=[CohortState.RUNNING, CohortState.FINISHED],
    ).select_related("programme")
    for cohort in cohorts.order_by("pk"):
        _surveys(cohort, office, today)
        if _is_alive(cohort):
            _request_for_contact(cohort)
        if cohort.state == CohortState.FINISHED:
            _comparison_group(cohort)
    return []
