"""Eligibility reports and pay-grade errors in the reader's language.

The pure modules (``eligibility``, ``paygrades``) keep their texts as German msgids with
parameters; this turns them into text in the active language when they are shown: the
admin's report table, her data export, the form's error at the pay-grade field.
"""

import datetime as dt

from django.utils.translation import gettext

from mentoring import dates

from .enums import LeadershipLevel, PayScale, Qualification


def _choice(choices):
    labels = dict(choices.choices)
    return lambda value: str(labels.get(value, value))


def either(names):
    """ "A", "A oder B", "A, B oder C" in the active language."""
    names = [str(name) for name in names]
    if len(names) <= 1:
        return "".join(names)
    return gettext("%(names)s oder %(last)s") % {"names": ", ".join(names[:-1]), "last": names[-1]}


def _many(show):
    return lambda values: either(show(value) for value in values)


def _date(value):
    return dates.short_date(dt.date.fromisoformat(value))


def _message(value):
    return render(value.get("reason", ""), value.get("params"))


# How a parameter of that name is shown (see the docstring of ``eligibility``); any other
# parameter is shown as it is.
PARAMETERS = {
    "qualification": _choice(Qualification),
    "qualifications": _many(_choice(Qualification)),
    "level": _choice(LeadershipLevel),
    "levels": _many(_choice(LeadershipLevel)),
    "pay_scale": _choice(PayScale),
    "date": _date,
    "missing": gettext,
    "error": _message,
}


def render(message, params=None):
    """``message`` (a German msgid) translated and filled in with ``params`` shown."""
    if not message:
        return ""
    if params is None:
        # Stored before reports kept their parameters: a finished German text.
        return gettext(message)
    shown = {name: PARAMETERS.get(name, _as_is)(value) for name, value in params.items()}
    return gettext(message) % shown if shown else gettext(message)


def _as_is(value):
    return value


def report_rows(report):
    """The rows of a stored report (``Application.eligibility_report``), to show.

    Each a dict with ``rule``, ``label``, ``outcome`` (its value) and ``reason``.
    """
    return [
        {
            "rule": result.get("rule", ""),
            "label": gettext(result["label"]) if result.get("label") else "",
            "outcome": result.get("outcome", ""),
            "reason": render(result.get("reason", ""), result.get("params")),
        }
        for result in (report or {}).get("results", [])
    ]


def grade_error(error):
    """A ``paygrades.UnknownGrade`` as the form shows it."""
    return render(error.message, error.params)
