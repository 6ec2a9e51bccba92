"""Events as iCalendar (RFC 5545) files: for downloads, feeds and e-mail attachments.

Times are written as Berlin wall-clock times with a TZID and a matching VTIMEZONE, so a
calendar shows 10:30 on either side of a daylight-saving change. Shared by every app
that hands out dates (workshops, selection interviews); it knows none of their models.
"""

import datetime as dt
from dataclasses import dataclass
from email.utils import parseaddr
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone

BERLIN = ZoneInfo("Europe/Berlin")
PRODID = "-//Cross-Mentoring MIT FRAUEN an die Spitze//DE"
ICS_CONTENT_TYPE = "text/calendar"


@dataclass(frozen=True)
class CalendarEvent:
    """One VEVENT. ``start`` and ``end`` are aware datetimes (any zone) or Berlin-naive."""

    uid: str
    start: dt.datetime
    end: dt.datetime
    summary: str
    location: str = ""
    description: str = ""
    # An e-mail address (a "Name <address>" string is accepted); PUBLISH requires one.
    organizer: str = ""


def event_uid(kind, pk):
    """Stable for the life of the object, whatever is changed about it."""
    host = urlsplit(settings.SITE_URL).hostname or "localhost"
    return f"{kind}-{pk}@{host}"


def _berlin(moment):
    if timezone.is_naive(moment):
        return moment.replace(tzinfo=BERLIN)
    return moment.astimezone(BERLIN)


def _vevent(event, stamp):
    # icalendar takes ~60 ms to import; only calendar files need it, not every process.
    from icalendar import Event, vCalAddress

    vevent = Event()
    vevent.add("uid", event.uid)
    vevent.add("dtstamp", stamp)
    vevent.add("dtstart", _berlin(event.start))
    vevent.add("dtend", _berlin(event.end))
    vevent.add("summary", event.summary)
    if event.location:
        vevent.add("location", event.location)
    if event.description:
        vevent.add("description", event.description)
    address = parseaddr(event.organizer)[1]
    if address:
        vevent.add("organizer", vCalAddress(f"mailto:{address}"))
    return vevent


def calendar_bytes(events, *, name=None, method=None, prodid=PRODID):
    """A VCALENDAR with one VEVENT per event and the Europe/Berlin VTIMEZONE.

    ``method`` (e.g. ``"PUBLISH"``) marks a file sent by e-mail (RFC 5546); downloads
    and feeds leave it out.
    """
    from icalendar import Calendar  # imported here, as in _vevent

    calendar = Calendar()
    calendar.add("prodid", prodid)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    if method:
        calendar.add("method", method)
    if name:
        calendar.add("x-wr-calname", name)
    stamp = timezone.now().astimezone(dt.UTC)
    events = list(events)
    for event in events:
        calendar.add_component(_vevent(event, stamp))
    if events:
        # Transitions only around the events, so the file stays small.
        first = min(_berlin(e.start).date() for e in events) - dt.timedelta(days=366)
        last = max(_berlin(e.end).date() for e in events) + dt.timedelta(days=366)
        calendar.add_missing_timezones(first_date=first, last_date=last)
    return calendar.to_ical()
