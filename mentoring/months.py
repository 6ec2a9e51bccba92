"""Calendar months as the programme counts them: a tandem's months run from the month of
its start to the month of its end, and each is named by its first day."""

from datetime import date, timedelta


def month_start(day):
    return day.replace(day=1)


def add_months(day, count):
    """The first day of the month ``count`` months after ``day``'s month."""
    index = day.year * 12 + day.month - 1 + count
    return date(index // 12, index % 12 + 1, 1)


def month_end(day):
    return add_months(day, 1) - timedelta(days=1)


def months_between(first, last):
    """Every month from ``first``'s to ``last``'s, both included, as first days."""
    months = []
    current, stop = month_start(first), month_start(last)
    while current <= stop:
        months.append(current)
        current = add_months(current, 1)
    return months


def period_key(day):
    """A month as stored in reminders and shown in exports: ``2026-03``."""
    return f"{day:%Y-%m}"
