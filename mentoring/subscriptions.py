"""Which reminders a person gets, in words, for her account page.

The finders in each app's ``reminders.py`` decide what is sent; beside each, its ``@finder``
registers the rule in words and whom it applies to (``mentoring.reminders.Rule``). This
module asks them: one query for each distinct ``applies_to``, whatever the person's history.
"""

from dataclasses import dataclass

from .enums import ReminderKind
from .reminders import registered_rules


@dataclass
class Subscription:
    kind: ReminderKind
    rule: str
    active: bool
    reason: str = ""

    @property
    def label(self):
        return self.kind.label


def reminder_subscriptions(user):
    answers = {}  # applies_to -> (applies, why not); asked once for the rules sharing it
    subscriptions = []
    for rule in registered_rules():
        if rule.applies_to not in answers:
            answers[rule.applies_to] = rule.applies_to(user)
        active, reason = answers[rule.applies_to]
        subscriptions.append(Subscription(rule.kind, rule.text, active, "" if active else reason))
    return subscriptions
