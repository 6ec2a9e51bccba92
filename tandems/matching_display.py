"""Matching explanations and reasons in the reader's language.

The solver (``matching``) and the services keep them as messages, ``(msgid, params)`` with
German msgids, also when they are stored (``ProposedPair.explanation`` and
``MatchingRun.unmatched``, both JSON); this turns them into text in the active language
when they are shown: the Beirat's proposal, the choice by hand, the confirmation before
publishing. Text stored before explanations kept their messages is German: it is shown
translated where it is a msgid (the reasons mostly are), else as it is.
"""

import json

from django.utils.translation import gettext

from applications.enums import LeadershipLevel

LEVELS = dict(LeadershipLevel.choices)


def _level(value):
    return str(LEVELS.get(value, value))


def _rules(messages):
    return ", ".join(message_text(message) for message in messages)


# How a parameter of that name is shown (see ``matching``); any other is shown as it is.
PARAMETERS = {"level": _level, "rules": _rules}


def message_text(message):
    """One message, ``(msgid, params)``, translated and filled in."""
    msgid, params = message
    shown = {name: PARAMETERS.get(name, _as_is)(value) for name, value in params.items()}
    return gettext(msgid) % shown if shown else gettext(msgid)


def _as_is(value):
    return value


def _messages(value):
    """The messages of ``value`` (a sequence, or JSON text), or None for plain text."""
    if isinstance(value, str):
        if not value.startswith("["):
            return None
        try:
            value = json.loads(value)
        except ValueError:
            return None
    return value


def _text(value, separator):
    if not value:
        return ""
    messages = _messages(value)
    if messages is None:
        return gettext(value)
    return separator.join(message_text(message) for message in messages)


def explanation_text(value):
    """Why a pair fits: "2 von 3 Themen gemeinsam; 16 km", "2 of 3 topics in common; 16 km"."""
    return _text(value, "; ")


def reason_text(value):
    """Why someone has no tandem (or cannot have this one): sentences, one after another."""
    return _text(value, " ")
