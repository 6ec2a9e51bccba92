"""Dates with their weekday, in the active language's own formats.

Django names no format with a weekday; these put the weekday before the language's
``DATE_FORMAT``/``DATETIME_FORMAT``: "Montag, 30. November 2026", "Monday, 30 November 2026".
Templates never spell out a format themselves (``tests/mentoring/test_translations.py``).
"""

from django import template
from django.utils import formats, timezone

register = template.Library()


def _local(value):
    if hasattr(value, "tzinfo") and timezone.is_aware(value):
        return timezone.localtime(value)
    return value


@register.filter
def weekday_date(value):
    if not value:
        return ""
    value = _local(value)
    return f"{formats.date_format(value, 'l')}, {formats.date_format(value, 'DATE_FORMAT')}"


@register.filter
def weekday_datetime(value):
    if not value:
        return ""
    value = _local(value)
    return f"{formats.date_format(value, 'l')}, {formats.date_format(value, 'DATETIME_FORMAT')}"


@register.filter
def short_month(value):
    """A month as a column head: "Mär 26" / "Mar 26"; the full name goes in its title."""
    if not value:
        return ""
    return formats.date_format(_local(value), "M y")
