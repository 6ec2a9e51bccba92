"""Workshops as iCalendar (RFC 5545): one file per workshop, or a participant's feed.

Times are local Berlin wall-clock times with a TZID and a matching VTIMEZONE, so a
calendar shows 09:00 on either side of a daylight-saving change.
"""

import datetime as dt
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

BERLIN = ZoneInfo("Europe/Berlin")
PRODID = "-//Cross-Mentoring MIT FRAUEN an die Spitze//Workshops//DE"


def workshop_uid(workshop):
    """Stable for the life of the workshop, whatever is changed about it."""
    host = urlsplit(settings.SITE_URL).hostname or "localhost"
    return f"workshop-{workshop.pk}@{host}"


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


def _event(workshop, stamp):
    from icalendar import Event

    event = Event()
    event.add("uid", workshop_uid(workshop))
    event.add("dtstamp", stamp)
    event.add("dtstart", dt.datetime.combine(workshop.date, workshop.start_time, tzinfo=BERLIN))
    event.add("dtend", dt.datetime.combine(workshop.date, workshop.end_time, tzinfo=BERLIN))
    event.add("summary", workshop.title)
    event.add("location", _location(workshop))
    event.add("description", _description(workshop))
    return event


def calendar_bytes(workshops, *, name=None):
    """A VCALENDAR with one VEVENT per workshop and the Europe/Berlin VTIMEZONE."""
    from icalendar import Calendar

    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    if name:
        calendar.add("x-wr-calname", name)
    stamp = timezone.now().astimezone(dt.UTC)
    workshops = list(workshops)
    for workshop in workshops:
        calendar.add_component(_event(workshop, stamp))
    if workshops:
        # Transitions only around the workshops, so the file stays small.
        first = min(w.date for w in workshops) - dt.timedelta(days=366)
        last = max(w.date for w in workshops) + dt.timedelta(days=366)
        calendar.add_missing_timezones(first_date=first, last_date=last)
    return calendar.to_ical()
