"""Who may see, review and decide applications.

An equality officer sees the applications of her own organisation(s); the Beirat chair
and the programme office see the whole cohort. The same predicates guard the admin, the
file downloads and the export.
"""

import rules

from cohorts.rules import can_use_admin, is_officer
from cohorts.selectors import chairs_any_cohort, officer_organisation_ids, user_chairs_cohort
from mentoring.rules import is_programme_office

from .enums import ApplicationState, CareerStepSource
from .selectors import sees_others_reviews


@rules.predicate
def is_own_application(user, application):
    return application is not None and application.applicant_id == user.pk


@rules.predicate
def is_officer_of_applicant(user, application):
    return (
        application is not None
        and application.organisation_id is not None
        and application.organisation_id in officer_organisation_ids(user=user)
    )


@rules.predicate
def chairs_applications_cohort(user, application):
    return application is not None and user_chairs_cohort(user=user, cohort=application.cohort)


@rules.predicate
def is_draft(user, application):
    return application is not None and application.state == "draft"


@rules.predicate
def is_object_given(user, obj):
    return obj is not None


@rules.predicate
def is_under_review(user, application):
    """The Beirat's work on it is open: scores, interview, corrections, a decision."""
    return application is not None and application.state in ApplicationState.under_review()


@rules.predicate
def chairs_cohort(user, cohort=None):
    """Chairs ``cohort``'s Beirat; asked without a cohort (a list's action), chairs any."""
    if cohort is None:
        return chairs_any_cohort(user=user)
    return user_chairs_cohort(user=user, cohort=cohort)


@rules.predicate
def may_see_others_reviews(user, application):
    """The one rule for the others' scores and comments; see ``selectors.sees_others_reviews``."""
    return application is not None and sees_others_reviews(user=user, application=application)


# The Beirat's view: drafts are the applicant's own until she submits.
sees_application = is_programme_office | (
    is_officer & ~is_draft & (is_officer_of_applicant | chairs_applications_cohort)
)
# Lists (no object) are open to everyone in the admin; the queryset does the scoping.
rules.add_perm(
    "applications.view_application", can_use_admin & (~is_object_given | sees_application)
)
rules.add_perm(
    "applications.change_application", can_use_admin & (~is_object_given | sees_application)
)
# Scoring and proposing a decision on the application's own page; where this is not
# given, the page is one to read.
rules.add_perm(
    "applications.review_application",
    can_use_admin & is_object_given & sees_application & is_under_review,
)
rules.add_perm("applications.add_application", is_programme_office)
rules.add_perm("applications.delete_application", is_programme_office)
rules.add_perm("applications.download_application_files", sees_application)
rules.add_perm("applications.release_decisions", is_programme_office | chairs_cohort)
rules.add_perm("applications.see_others_reviews", sees_application & may_see_others_reviews)


@rules.predicate
def is_officer_of_steps_person(user, step):
    """The step is of one of her own organisation's people (not merely of her cohort)."""
    return step is not None and step.application.organisation_id in officer_organisation_ids(
        user=user
    )


@rules.predicate
def is_her_own_answer(user, step):
    """Recorded from the person's own answer to the follow-up questions."""
    return step is not None and step.source == CareerStepSource.SELF


# Career steps: an officer records those of her own people; her own answers stay as she
# gave them (the programme office may delete one, e.g. a mistaken test entry).
own_people_step = is_programme_office | (
    is_officer & (~is_object_given | is_officer_of_steps_person)
)
rules.add_perm("applications.view_careerstep", can_use_admin & own_people_step)
rules.add_perm("applications.add_careerstep", is_programme_office | is_officer)
rules.add_perm("applications.change_careerstep", own_people_step & ~is_her_own_answer)
rules.add_perm(
    "applications.delete_careerstep",
    is_programme_office | (own_people_step & ~is_her_own_answer),
)

for model in ("topic", "eligibilitypolicy", "reviewcriterion"):
    rules.add_perm(f"applications.view_{model}", can_use_admin)
    for action in ("add", "change", "delete"):
        rules.add_perm(f"applications.{action}_{model}", is_programme_office)
rules.add_perm("applications.view_review", can_use_admin)
rules.add_perm("applications.view_applicationlog", is_programme_office)
