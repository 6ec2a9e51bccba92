"""Who sets up surveys and who reads a request for contact.

The programme office sets up every cohort's surveys; the Beirat of a cohort may read its
surveys' set-up. A request for contact after the one-month check-in is read, by name, by
the equality officer the question named to her, while she sits on that cohort's Beirat,
and by the programme office (``selectors.warnings_visible_to``). Answers themselves are no
one's to read: no page shows a single answer.
"""

import rules

from cohorts.rules import is_officer, sits_on_cohort_beirat
from cohorts.selectors import user_sits_on_programme_beirat
from mentoring.rules import is_programme_office

from .selectors import warnings_visible_to


@rules.predicate
def sits_on_surveys_beirat(user, survey=None):
    """A seat on the Beirat of the survey's cohort; without a survey, on any Beirat."""
    return sits_on_cohort_beirat(user, survey.cohort if survey is not None else None)


@rules.predicate
def is_survey_unanswered(user, survey=None):
    """Nobody has answered it yet (deleting it would delete answers), or no survey asked."""
    return survey is None or not survey.answered.exists()


@rules.predicate
def reads_warning(user, warning=None):
    """Her request concerns the officer's people; without a request, she has people."""
    if warning is None:
        return sits_on_cohort_beirat(user)
    return warnings_visible_to(user=user).filter(pk=warning.pk).exists()


rules.add_perm(
    "evaluation.view_survey", is_programme_office | (is_officer & sits_on_surveys_beirat)
)
rules.add_perm("evaluation.add_survey", is_programme_office)
rules.add_perm("evaluation.change_survey", is_programme_office)
rules.add_perm("evaluation.delete_survey", is_programme_office & is_survey_unanswered)

can_read_warning = is_programme_office | (is_officer & reads_warning)
rules.add_perm("evaluation.view_earlywarning", can_read_warning)
# Marking a request as handled: whoever reads it (the officer who called her).
rules.add_perm("evaluation.handle_earlywarning", can_read_warning)


@rules.predicate
def sits_on_programme_beirat(user, programme=None):
    """A seat on the Beirat of ``programme`` or of one of its cohorts."""
    return user_sits_on_programme_beirat(user=user, programme=programme)


# The report: figures only, every group under five suppressed (evaluation.report); for the
# programme office and the Beirat of the cohort, or of the programme for its comparison.
rules.add_perm(
    "evaluation.view_cohort_report", is_programme_office | (is_officer & sits_on_cohort_beirat)
)
rules.add_perm(
    "evaluation.view_programme_report",
    is_programme_office | (is_officer & sits_on_programme_beirat),
)
