"""Who may see and change programmes, cohorts, organisations and the Beirat."""

import rules

from mentoring.rules import has_officer_role, is_programme_office

from .selectors import officer_organisation_ids, user_chairs_cohort, user_sits_on_cohort_beirat


@rules.predicate
def is_beirat_member(user):
    """An equality officer with at least one seat on a Beirat."""
    return bool(officer_organisation_ids(user=user))


@rules.predicate
def is_officer_of_organisation(user, organisation):
    return organisation is not None and organisation.pk in officer_organisation_ids(user=user)


@rules.predicate
def sits_on_cohort_beirat(user, cohort=None):
    """A seat on this cohort's Beirat; asked without a cohort, a seat on any Beirat.

    With several programmes on one installation an officer works in the programmes she
    sits in, not in every cohort of every programme.
    """
    if cohort is None:
        return bool(officer_organisation_ids(user=user))
    return user_sits_on_cohort_beirat(user=user, cohort=cohort)


@rules.predicate
def is_chair_of_cohort(user, cohort):
    return user_chairs_cohort(user=user, cohort=cohort)


is_officer = has_officer_role & is_beirat_member
can_use_admin = is_programme_office | is_officer

rules.add_perm("mentoring.access_admin", can_use_admin)

for model in ("programme", "cohort", "cohortorganisation", "beiratmembership"):
    rules.add_perm(f"cohorts.view_{model}", can_use_admin)
    for action in ("add", "change", "delete"):
        rules.add_perm(f"cohorts.{action}_{model}", is_programme_office)

rules.add_perm("cohorts.view_organisation", can_use_admin)
rules.add_perm("cohorts.add_organisation", is_programme_office)
# An officer keeps her own administration's address and website up to date.
rules.add_perm(
    "cohorts.change_organisation", is_programme_office | (is_officer & is_officer_of_organisation)
)
rules.add_perm("cohorts.delete_organisation", is_programme_office)
