"""Who may see, review and decide applications.

An equality officer sees the applications of her own organisation(s); the Beirat chair
and the programme office see the whole cohort. The same predicates guard the admin, the
file downloads and the export.
"""

import rules

from cohorts.rules import can_use_admin, is_chair_of_cohort, is_officer
from cohorts.selectors import officer_organisation_ids, user_chairs_cohort
from mentoring.rules import is_programme_office


@rules.predicate
def is_own_application(user, application):
    return application is not None and application.applicant_id == user.pk


@rules.predicate
def is_officer_of_applicant(user, application):
    return (
        application is not None
        and application.organisation_id is not None
        and application.organisation_id in officer_organisation_ids(user)
    )


@rules.predicate
def chairs_applications_cohort(user, application):
    return application is not None and user_chairs_cohort(user, application.cohort)


@rules.predicate
def is_draft(user, application):
    return application is not None and application.state == "draft"


@rules.predicate
def is_object_given(user, obj):
    return obj is not None


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
rules.add_perm("applications.add_application", is_programme_office)
rules.add_perm("applications.delete_application", is_programme_office)
rules.add_perm("applications.download_application_files", sees_application)
rules.add_perm("applications.release_decisions", is_programme_office | is_chair_of_cohort)
rules.add_perm("applications.see_all_comments", is_programme_office | is_chair_of_cohort)

for model in ("topic", "eligibilitypolicy", "reviewcriterion"):
    rules.add_perm(f"applications.view_{model}", can_use_admin)
    for action in ("add", "change", "delete"):
        rules.add_perm(f"applications.{action}_{model}", is_programme_office)
rules.add_perm("applications.view_review", can_use_admin)
rules.add_perm("applications.view_applicationlog", is_programme_office)
