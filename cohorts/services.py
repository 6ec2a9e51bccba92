"""Every write that matters to a cohort as a whole: its state changes.

A cohort's state (planned, applications open, selection, running, finished) opens and
closes whole parts of the programme: the call and its application form, the Beirat's
review, the tandems' pages. So it changes only here, along ``COHORT_TRANSITIONS``, with
the row locked and an entry in the cohort's log.
"""

from django.db import transaction
from django.utils.translation import gettext as _

from .enums import COHORT_TRANSITIONS, CohortLogAction, CohortState
from .models import Cohort, CohortLog


class CohortError(Exception):
    """A refused action; the message is German, for the person who clicked."""


@transaction.atomic
def cohort_transition(*, cohort, to, actor, note=""):
    """Moves ``cohort`` to the state ``to`` and logs who did it, from which state, and why.

    Refuses (``CohortError``) a state that ``COHORT_TRANSITIONS`` does not allow from the
    cohort's current state, read under a row lock so that two officers cannot both move
    it. Updates ``cohort`` in place and returns it. Sends nothing.
    """
    if to not in CohortState.values:
        raise CohortError(_("Unbekannter Status."))
    locked = Cohort.objects.select_for_update().get(pk=cohort.pk)
    to = CohortState(to)
    if to not in COHORT_TRANSITIONS[locked.state]:
        raise CohortError(
            _("Im Status „%(state)s“ kann ein Jahrgang nicht auf „%(to)s“ wechseln.")
            % {"state": locked.get_state_display(), "to": to.label}
        )
    CohortLog.objects.create(
        cohort=locked,
        actor=actor,
        action=CohortLogAction.TRANSITION,
        from_state=locked.state,
        to_state=to,
        note=(note or "").strip(),
    )
    locked.state = to
    locked.save(update_fields=["state"])
    cohort.state = to
    return cohort
