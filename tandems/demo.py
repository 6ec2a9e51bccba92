"""Demo tandems: formed by the real matching, then a year (or five months) of contacts.

Every running or finished demo cohort without tandems gets a proposal from
``matching_run`` and its publication, so the demo's pairs obey the same hard rules as
real ones (across organisations, the Kerpen supervisor, the cross-sector consent). In
Emscher-Lippe's running cohort one tandem is quiet for two months and one ended early.
"""

import datetime as dt
from itertools import cycle

from applications.models import Topic
from cohorts import demo as cohorts_demo
from cohorts.enums import BeiratRole, CohortState
from cohorts.models import BeiratMembership, Cohort
from mentoring.demo import Login, berlin
from mentoring.months import months_between

from .enums import ContactFormat, EndCategory, TandemStatus
from .models import Contact, GoalAgreement, Tandem
from .services import matching_publish, matching_run, tandem_end

FORMATS = [ContactFormat.IN_PERSON, ContactFormat.VIDEO, ContactFormat.PHONE, ContactFormat.WRITTEN]
NOTES = [
    "Wir haben über den nächsten Karriereschritt gesprochen; sie bereitet eine Bewerbung vor.",
    "Hospitation in der Dezernatskonferenz vereinbart.",
    "Feedback zur Präsentation im Ausschuss; zwei Punkte zum Üben mitgenommen.",
    "Kurzer Austausch per E-Mail zu einem Konflikt im Team.",
]
QUIET, ENDED = 1, 2  # which tandem of the running Emscher-Lippe cohort is which


def _chair(cohort):
    return (
        BeiratMembership.objects.filter(programme=cohort.programme, role=BeiratRole.CHAIR)
        .select_related("user")
        .first()
        .user
    )


def _agreement(tandem, topics, *, confirmed, at):
    agreement = GoalAgreement.objects.create(
        tandem=tandem,
        cadence="Einmal im Monat, abwechselnd persönlich und per Video, während der Dienstzeit.",
        excluded_topics="Konkrete Personalangelegenheiten Dritter.",
        expectations_mentee="Ehrliches Feedback und Einblick in den Alltag einer Amtsleitung.",
        expectations_mentor="Dass sie die Themen setzt und Termine verbindlich einhält.",
        confidentiality=True,
        mentee_confirmed_at=at,
        mentor_confirmed_at=at if confirmed else None,
    )
    agreement.topics.set(topics)


def _contacts(tandem, months, topics, offset):
    """One contact a month in ``months``; two bulk inserts, however many months."""
    formats = cycle(FORMATS[offset % 4 :] + FORMATS[: offset % 4])
    contacts = Contact.objects.bulk_create(
        Contact(
            tandem=tandem,
            author=tandem.mentee.applicant if number % 3 else tandem.mentor.applicant,
            date=month + dt.timedelta(days=(7 + offset * 3 + number * 5) % 20),
            format=next(formats),
            duration_minutes=(45, 60, 90, 30)[(number + offset) % 4],
            note=NOTES[(number + offset) % len(NOTES)],
        )
        for number, month in enumerate(months)
    )
    Through = Contact.topics.through
    Through.objects.bulk_create(
        Through(contact_id=contact.pk, topic_id=topics[number % len(topics)].pk)
        for number, contact in enumerate(contacts)
    )


def _form(cohort, today):
    chair = _chair(cohort)
    run = matching_run(cohort=cohort, actor=chair)
    matching_publish(run=run, actor=chair, start_date=cohort.start_date)
    tandems = list(
        Tandem.objects.filter(cohort=cohort).select_related(
            "mentee__applicant", "mentor__applicant"
        )
    )
    topics = list(Topic.objects.filter(programme=cohort.programme)[:6])
    finished = cohort.state == CohortState.FINISHED
    last = cohort.end_date if finished else today
    months = [m for m in months_between(cohort.start_date, last) if m <= last]
    # Contacts up to the month before this one, and this month for every other tandem.
    done_months = months if finished else months[:-1]
    for offset, tandem in enumerate(tandems):
        _agreement(
            tandem,
            topics[offset % 3 :: 2][:3],
            confirmed=offset != 3,
            at=berlin(cohort.start_date + dt.timedelta(days=20 + offset), 18),
        )
        running_emscher = cohort.programme.slug == cohorts_demo.EMSCHER_LIPPE and not finished
        if running_emscher and offset == QUIET:
            _contacts(tandem, done_months[:-2], topics, offset)
        elif running_emscher and offset == ENDED:
            _contacts(tandem, done_months[:2], topics, offset)
            tandem_end(
                tandem=tandem,
                actor=chair,
                reason="Die Mentor:in ist für längere Zeit erkrankt.",
                category=EndCategory.ABSENCE,
                on=done_months[2] + dt.timedelta(days=14),
            )
        else:
            this_month = [] if finished or offset % 2 else months[-1:]
            this_month = [m for m in this_month if m + dt.timedelta(days=7) <= today]
            _contacts(tandem, done_months + this_month, topics, offset)
    if finished:
        Tandem.objects.filter(cohort=cohort, status=TandemStatus.ACTIVE).update(
            status=TandemStatus.COMPLETED
        )


def load(*, today):
    cohorts = Cohort.objects.filter(
        programme__slug__in=[p.slug for p in cohorts_demo.PROGRAMMES],
        state__in=[CohortState.RUNNING, CohortState.FINISHED],
    ).select_related("programme")
    for cohort in cohorts:
        if not cohort.tandems.exists():
            _form(cohort, today)
    logins = []
    for slug, number, label in (
        (cohorts_demo.EMSCHER_LIPPE, 9, ""),
        (cohorts_demo.CROSS_SECTOR, 9, ""),
        (cohorts_demo.INTERNAL, 1, ""),
    ):
        tandem = (
            Tandem.objects.filter(
                cohort__programme__slug=slug, cohort__number=number, status=TandemStatus.ACTIVE
            )
            .select_related("mentee__applicant", "mentor__applicant", "cohort__programme")
            .order_by("pk")
            .first()
        )
        if tandem is None:
            continue
        programme = tandem.cohort.programme.name
        logins += [
            Login(programme, "Mentee im laufenden Tandem", tandem.mentee.applicant.email, label),
            Login(programme, "Mentor:in im laufenden Tandem", tandem.mentor.applicant.email),
        ]
    return logins
