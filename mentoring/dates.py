"""Dates as text in the active language's formats (mentoring/formats), for code and templates.

Django names no format with a weekday; ``weekday_date`` puts the weekday before the
language's ``DATE_FORMAT``: "Montag, 30. November 2026", "Monday, 30 November 2026".
Aware datetimes are shown in local time (Europe/Berlin).
"""

from django.utils import formats, timezone


def _local(value):
    if hasattr(value, "tzinfo") and timezone.is_aware(value):
        return timezone.localtime(value)
    return value


def _format(value, name):
    return formats.date_format(_local(value), name) if value else ""


def short_date(value):
    return _format(value, "SHORT_DATE_FORMAT")


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
