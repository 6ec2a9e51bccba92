"""How a tandem's months stand: done, missing, open or upcoming. Pure; no database."""

from dataclasses import dataclass, field
from datetime import date

from mentoring.months import add_months, month_start

from .enums import ContactFormat, MonthState

# The programme's alarm: the two whole calendar months before the current one without any
# contact (``tandems.selectors.quiet_condition`` is the rule).
QUIET_MONTHS = 2


def quiet_since(today):
    """The first day of the two whole months before ``today``'s: a contact on or after it
    keeps a tandem from being quiet on ``today``."""
    return add_months(today, -QUIET_MONTHS)


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
        formats = sorted(set(formats_by_month.get(month, ())), key=_FORMAT_ORDER.get)
        result.append(Month(month, month_state(month, bool(formats), today), formats))
    return result


_FORMAT_ORDER = {value: position for position, value in enumerate(ContactFormat.values)}
_FORMAT_LABELS = dict(ContactFormat.choices)
