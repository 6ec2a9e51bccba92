"""Dates as text in the active language's formats (mentoring/formats), for code and templates.

Django names no format with a weekday; ``weekday_date`` puts the weekday before the
language's ``DATE_FORMAT``: "Montag, 30. November 2026", "Monday, 30 November 2026".
Aware datetimes are shown in local time (Europe/Berlin).
"""

import datetime as dt
from functools import lru_cache

from django.utils import formats, timezone
from django.utils.translation import get_language


def _local(value):
    if hasattr(value, "tzinfo") and timezone.is_aware(value):
        return timezone.localtime(value)
    return value


def _format(value, name):
    return formats.date_format(_local(value), name) if value else ""


@lru_cache(maxsize=4096)
def _day(day, name, language):
    return formats.date_format(day, name)


def short_date(value):
    """ "30.11.2026": each day formatted once per language, however many rows show it (a
    list of 50 applications has a handful of days; formatting costs as much as a column)."""
    if not value:
        return ""
    day = _local(value)
    if isinstance(day, dt.datetime):
        day = day.date()
    return _day(day, "SHORT_DATE_FORMAT", get_language())


def short_datetime(value):
    return _format(value, "SHORT_DATETIME_FORMAT")


def long_date(value):
    return _format(value, "DATE_FORMAT")


def long_datetime(value):
    return _format(value, "DATETIME_FORMAT")


def weekday_date(value):
    return f"{_format(value, 'l')}, {long_date(value)}" if value else ""


def weekday_datetime(value):
    return f"{_format(value, 'l')}, {long_datetime(value)}" if value else ""


def short_month(value):
    """A month as a column head: "Mär 26" / "Mar 26"; the full name goes in its title."""
    return _format(value, "M y")
