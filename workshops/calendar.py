"""Workshops as iCalendar (RFC 5545): one file per workshop, or a participant's feed.

The file itself is written by ``mentoring.calendar`` (Berlin wall-clock times with a
TZID and a matching VTIMEZONE); this module says what a workshop's event contains.
"""

import datetime as dt

from django.utils.translation import gettext as _

from mentoring import calendar as ics

PRODID = "-//Cross-Mentoring MIT FRAUEN an die Spitze//Workshops//DE"


def workshop_uid(workshop):
    """Stable for the life of the workshop, whatever is changed about it."""
    return ics.event_uid("workshop", workshop.pk)


def _description(workshop):
    lines = [workshop.get_kind_display()]
    if workshop.facilitators:
        lines.append(_("Leitung: %(names)s") % {"names": workshop.facilitators})
    lines.append(
        _("Verbindlicher Workshop des Programms.")
        if workshop.mandatory
        else _("Freiwilliger Workshop des Programms.")
    )
    return "\n".join(lines)


def _location(workshop):
    return ", ".join(part for part in (workshop.venue_name, workshop.venue_address) if part)


def _event(workshop):
    return ics.CalendarEvent(
        uid=workshop_uid(workshop),
        start=dt.datetime.combine(workshop.date, workshop.start_time, tzinfo=ics.BERLIN),
        end=dt.datetime.combine(workshop.date, workshop.end_time, tzinfo=ics.BERLIN),
        summary=workshop.title,
        location=_location(workshop),
        description=_description(workshop),
    )


def calendar_bytes(workshops, *, name=None):
    """A VCALENDAR with one VEVENT per workshop and the Europe/Berlin VTIMEZONE."""
    return ics.calendar_bytes([_event(w) for w in workshops], name=name, prodid=PRODID)
