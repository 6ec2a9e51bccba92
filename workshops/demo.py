"""Demo workshops, attendance, project teams and certificates for every demo cohort.

Emscher-Lippe's cohorts get the flyer's three mandatory workshops at the Gemeinschaftshaus
Wulfen; the finished one has its attendance, presented teams and issued certificates
(real PDFs from the print batch), the running one its kick-off attended and the interim
workshop ahead. The other programmes get the events their documents name.
"""

import datetime as dt

from django.contrib.auth import get_user_model
from django.utils import timezone

from applications.enums import ApplicationRole, ApplicationState
from cohorts import demo as cohorts_demo
from cohorts.enums import CohortState
from cohorts.models import Cohort
from mentoring.demo import PROGRAMME_OFFICE_EMAIL, berlin
from mentoring.enums import UserRole

from .enums import AttendanceStatus, Invitees, WorkshopKind
from .issuing import issue_missing, run_batch
from .models import (
    Attendance,
    Certificate,
    CertificateBatch,
    ProjectTeam,
    TeamMembership,
    Workshop,
)

WULFEN = {
    "venue_name": "Gemeinschaftshaus Wulfen",
    "venue_street": "Wulfener Markt 5",
    "venue_postcode": "46286",
    "venue_city": "Dorsten",
}
VENUES = {
    cohorts_demo.INTERCOMMUNAL: {
        "venue_name": "Museum für Angewandte Kunst",
        "venue_street": "An der Rechtschule",
        "venue_postcode": "50667",
        "venue_city": "Köln",
    },
    cohorts_demo.CROSS_SECTOR: {
        "venue_name": "Historisches Archiv",
        "venue_street": "Eifelwall 5",
        "venue_postcode": "50674",
        "venue_city": "Köln",
    },
    cohorts_demo.INTERNAL: {
        "venue_name": "Rathaus Kerpen, Sitzungssaal",
        "venue_street": "Jahnplatz 1",
        "venue_postcode": "50171",
        "venue_city": "Kerpen",
    },
}

# The flyer says only "experienced female speakers"; these names are made up for the demo.
FACILITATORS = {
    WorkshopKind.KICK_OFF: "Dr. Anna Beispiel (Referentin), Petra Muster (Moderation)",
    WorkshopKind.INTERIM: "Dr. Anna Beispiel (Referentin)",
    WorkshopKind.FINAL: "Dr. Anna Beispiel (Referentin), Petra Muster (Moderation)",
    WorkshopKind.SEMINAR: "Dr. Anja Beispiel (externe Beraterin)",
    WorkshopKind.NETWORK: "",
}
TEAM_TITLES = [
    ("Führen in Teilzeit – ein Leitfaden für die Verwaltung", "Befragung in vier Verwaltungen."),
    ("Digitale Bürgerdienste: was Frauen in Führung anders machen", "Interviews und Thesen."),
]


def next_tuesday(day):
    """The flyer's workshops are on Tuesdays; keep the demo's on a working day too."""
    return day + dt.timedelta(days=(1 - day.weekday()) % 7)


def plan(cohort):
    """(kind, date, mandatory, invitees, title) of the cohort's events."""
    start, end = cohort.start_date, cohort.end_date
    slug = cohort.programme.slug
    if slug == cohorts_demo.EMSCHER_LIPPE:
        return [
            (WorkshopKind.KICK_OFF, next_tuesday(start), True, Invitees.BOTH, ""),
            (WorkshopKind.INTERIM, next_tuesday(start + dt.timedelta(days=200)), True,
             Invitees.BOTH, ""),
            (WorkshopKind.FINAL, next_tuesday(end - dt.timedelta(days=10)), True,
             Invitees.BOTH, ""),
        ]  # fmt: skip
    if slug == cohorts_demo.INTERNAL:
        return [
            (WorkshopKind.SEMINAR, next_tuesday(start), False, Invitees.MENTORS,
             "Einführungsworkshop für Mentor:innen"),
            (WorkshopKind.KICK_OFF, next_tuesday(start + dt.timedelta(days=7)), True,
             Invitees.BOTH, ""),
            (WorkshopKind.NETWORK, next_tuesday(start + dt.timedelta(days=120)), False,
             Invitees.BOTH, "Netzwerktreffen"),
        ]  # fmt: skip
    return [
        (WorkshopKind.KICK_OFF, next_tuesday(start), True, Invitees.BOTH, "Feierlicher Auftakt"),
        (WorkshopKind.SEMINAR, next_tuesday(start + dt.timedelta(days=120)), False,
         Invitees.MENTEES, "Fachseminar Verhandeln"),
        (WorkshopKind.NETWORK, next_tuesday(start + dt.timedelta(days=200)), False,
         Invitees.BOTH, "Netzwerktreffen"),
        (WorkshopKind.FINAL, next_tuesday(end - dt.timedelta(days=10)), True, Invitees.BOTH, ""),
    ]  # fmt: skip


def _workshops(cohort):
    venue = VENUES.get(cohort.programme.slug, WULFEN)
    workshops = []
    for kind, date, mandatory, invitees, title in plan(cohort):
        workshop = Workshop.objects.create(
            cohort=cohort,
            kind=kind,
            date=date,
            **{
                "title": title or kind.label,
                "start_time": dt.time(9, 0),
                "end_time": dt.time(16, 0),
                "facilitators": FACILITATORS[kind],
                "mandatory": mandatory,
                "invitees": invitees,
                **venue,
            },
        )
        workshops.append(workshop)
    return workshops


def _attendance(workshops, participants, today, office):
    rows = []
    for workshop in workshops:
        if workshop.date >= today:
            continue
        for number, application in enumerate(participants):
            if not workshop.invites(application):
                continue
            excused = workshop.kind == WorkshopKind.INTERIM and number == 1
            rows.append(
                Attendance(
                    workshop=workshop,
                    application=application,
                    status=AttendanceStatus.EXCUSED if excused else AttendanceStatus.PRESENT,
                    note="Dienstreise, vorher abgesprochen." if excused else "",
                    recorded_by=office,
                    recorded_at=timezone.now(),
                )
            )
    Attendance.objects.bulk_create(rows)


def _teams(cohort, mentees, presented_on):
    for number, (title, description) in enumerate(TEAM_TITLES):
        members = mentees[number::2]
        if not members:
            continue
        team = ProjectTeam.objects.create(
            cohort=cohort, title=title, description=description, presented_on=presented_on
        )
        TeamMembership.objects.bulk_create(
            TeamMembership(team=team, application=member) for member in members
        )


def load(*, today):
    office = get_user_model().objects.get(
        email=PROGRAMME_OFFICE_EMAIL, role=UserRole.PROGRAMME_OFFICE
    )
    cohorts = Cohort.objects.filter(
        programme__slug__in=[p.slug for p in cohorts_demo.PROGRAMMES]
    ).select_related("programme")
    for cohort in cohorts:
        if cohort.workshops.exists():
            continue
        workshops = _workshops(cohort)
        if cohort.state not in (CohortState.RUNNING, CohortState.FINISHED):
            continue
        participants = list(
            cohort.applications.filter(state=ApplicationState.ACCEPTED)
            .select_related("applicant", "organisation")
            .order_by("role", "pk")
        )
        _attendance(workshops, participants, today, office)
        mentees = [a for a in participants if a.role == ApplicationRole.MENTEE]
        if cohort.programme.slug != cohorts_demo.EMSCHER_LIPPE:
            continue
        finished = cohort.state == CohortState.FINISHED
        final = next(w for w in workshops if w.kind == WorkshopKind.FINAL)
        _teams(cohort, mentees, final.date if finished else None)
        if finished:
            issued = issue_missing(cohort, actor=office, today=final.date + dt.timedelta(days=3))
            # Handed over at the final workshop long ago: nobody is told again by e-mail.
            Certificate.objects.filter(pk__in=[c.pk for c in issued]).update(
                ready_mailed_at=berlin(final.date, 18)
            )
            batch = CertificateBatch.objects.create(cohort=cohort, requested_by=office)
            run_batch(batch.pk)
    return []
