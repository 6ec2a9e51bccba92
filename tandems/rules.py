"""Who forms tandems and who sees them.

The programme office and the Beirat chair run, steer and publish proposals; an equality
officer sees the tandems in which a person of her administration takes part.
"""

import rules

from cohorts.rules import is_chair_of_cohort, is_officer, sits_on_cohort_beirat
from cohorts.selectors import officer_organisation_ids
from mentoring.rules import is_programme_office


@rules.predicate
def involves_officers_people(user, tandem):
    organisations = officer_organisation_ids(user=user)
    return tandem is not None and (
        tandem.mentee.organisation_id in organisations
        or tandem.mentor.organisation_id in organisations
    )


@rules.predicate
def chairs_tandems_cohort(user, tandem):
    return tandem is not None and is_chair_of_cohort(user, tandem.cohort)


rules.add_perm("tandems.manage_matching", is_programme_office | is_chair_of_cohort)
rules.add_perm(
    "tandems.view_cohort_tandems", is_programme_office | (is_officer & sits_on_cohort_beirat)
)
rules.add_perm(
    "tandems.end_tandem",
    is_programme_office | chairs_tandems_cohort | (is_officer & involves_officers_people),
)
