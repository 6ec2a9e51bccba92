"""How a tandem's months stand: done, missing, open or upcoming. Pure; no database."""

from dataclasses import dataclass, field
from datetime import date

from mentoring.months import month_start

from .enums import ContactFormat, MonthState

# The programme's alarm: two whole months in a row without any contact.
QUIET_MONTHS = 2


@dataclass
class Month:
    month: date
    state: MonthState
    formats: list = field(default_factory=list)  # ContactFormat values, each once, in order
    contacts: list = field(default_factory=list)  # the partners' own view only

    @property
    def format_labels(self):
        return [_FORMAT_LABELS[value] for value in self.formats]


def month_state(month, has_contact, today):
    if has_contact:
        return MonthState.DONE
    current = month_start(today)
    if month > current:
        return MonthState.UPCOMING
    return MonthState.OPEN if month == current else MonthState.MISSING


def months_of(tandem, formats_by_month, today, columns=None):
    """The tandem's months (or ``columns``, with the others outside its time) with states.

    ``formats_by_month`` maps a month's first day to the formats logged in it.
    """
    own = set(tandem.months)
    result = []
    for month in columns or tandem.months:
        if month not in own:
            result.append(Month(month, MonthState.OUTSIDE))
            continue
        formats = sorted(set(formats_by_month.get(month, ())), key=_FORMAT_ORDER.index)
        result.append(Month(month, month_state(month, bool(formats), today), formats))
    return result


def longest_quiet_run(months):
    longest = run = 0
    for month in months:
        run = run + 1 if month.state == MonthState.MISSING else 0
        longest = max(longest, run)
    return longest


def is_quiet(months):
    return longest_quiet_run(months) >= QUIET_MONTHS


_FORMAT_ORDER = list(ContactFormat.values)
_FORMAT_LABELS = dict(ContactFormat.choices)
