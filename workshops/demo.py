"""Demo workshops: the flyer's three for the 8th cohort, the same three for the open 9th."""

import datetime as dt

from cohorts.demo import PROGRAMME_SLUG
from cohorts.models import Cohort

from .enums import Invitees, WorkshopKind
from .models import Workshop

VENUE = {
    "venue_name": "Gemeinschaftshaus Wulfen",
    "venue_street": "Wulfener Markt 5",
    "venue_postcode": "46286",
    "venue_city": "Dorsten",
}
KINDS = [WorkshopKind.KICK_OFF, WorkshopKind.INTERIM, WorkshopKind.FINAL]

# The flyer says only "experienced female speakers"; these names are made up for the demo.
FACILITATORS = {
    WorkshopKind.KICK_OFF: "Dr. Anna Beispiel (Referentin), Petra Muster (Moderation)",
    WorkshopKind.INTERIM: "Dr. Anna Beispiel (Referentin)",
    WorkshopKind.FINAL: "Dr. Anna Beispiel (Referentin), Petra Muster (Moderation)",
}

# As printed on the flyer of the 8th cohort.
FLYER_DATES = [dt.date(2023, 11, 21), dt.date(2024, 6, 11), dt.date(2024, 11, 26)]


def next_tuesday(day):
    """The flyer's workshops are on Tuesdays; keep the demo's on a working day too."""
    return day + dt.timedelta(days=(1 - day.weekday()) % 7)


def workshop_dates(cohort):
    if cohort.number == 8:
        return FLYER_DATES
    # Kick-off at the start, interim after about half a year, final near the end.
    return [
        next_tuesday(cohort.start_date),
        next_tuesday(cohort.start_date + dt.timedelta(days=200)),
        next_tuesday(cohort.end_date - dt.timedelta(days=10)),
    ]


def load(*, today):
    cohorts = Cohort.objects.filter(programme__slug=PROGRAMME_SLUG, number__in=[8, 9])
    for cohort in cohorts:
        for kind, date in zip(KINDS, workshop_dates(cohort), strict=True):
            Workshop.objects.get_or_create(
                cohort=cohort,
                kind=kind,
                defaults={
                    "title": kind.label,
                    "date": date,
                    "start_time": dt.time(9, 0),
                    "end_time": dt.time(16, 0),
                    "facilitators": FACILITATORS[kind],
                    # "verbindlich für alle Teilnehmenden": mentees and mentors alike.
                    "mandatory": True,
                    "invitees": Invitees.BOTH,
                    **VENUE,
                },
            )
    return []
