"""Dates with their weekday, and short month heads, in the active language's formats.

Templates never spell out a format themselves (``tests/mentoring/test_translations.py``).
"""

from django import template

from mentoring import dates

register = template.Library()

register.filter("weekday_date", dates.weekday_date)
register.filter("weekday_datetime", dates.weekday_datetime)
register.filter("short_month", dates.short_month)
