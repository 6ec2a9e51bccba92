import pytest

from cohorts.enums import BeiratRole
from tests.factories import (
    BeiratMembershipFactory,
    CohortFactory,
    OfficerFactory,
    OrganisationFactory,
    ProgrammeOfficeFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

COHORT_MODELS = ["programme", "cohort", "cohortorganisation", "beiratmembership", "organisation"]


def test_programme_office_may_do_everything():
    office = ProgrammeOfficeFactory()
    organisation = OrganisationFactory()
    assert office.has_perm("mentoring.access_admin")
    for model in COHORT_MODELS:
        for action in ("view", "add", "change", "delete"):
            assert office.has_perm(f"cohorts.{action}_{model}"), (action, model)
    assert office.has_perm("cohorts.change_organisation", organisation)
    assert office.has_perm("mentoring.change_user")
    assert office.has_perm("workshops.add_workshop")


def test_officer_sees_but_does_not_set_up_programmes():
    officer = BeiratMembershipFactory().user
    assert officer.has_perm("mentoring.access_admin")
    for model in COHORT_MODELS:
        assert officer.has_perm(f"cohorts.view_{model}"), model
        assert not officer.has_perm(f"cohorts.add_{model}"), model
        assert not officer.has_perm(f"cohorts.delete_{model}"), model
    assert not officer.has_perm("cohorts.change_cohort")
    assert not officer.has_perm("workshops.change_workshop")


def test_officer_may_change_only_her_own_organisation():
    membership = BeiratMembershipFactory()
    other = OrganisationFactory()
    assert membership.user.has_perm("cohorts.change_organisation", membership.organisation)
    assert not membership.user.has_perm("cohorts.change_organisation", other)


def test_officer_never_sees_user_accounts():
    officer = BeiratMembershipFactory().user
    for action in ("view", "add", "change", "delete"):
        assert not officer.has_perm(f"mentoring.{action}_user")


def test_officer_role_without_a_beirat_seat_has_no_admin():
    assert not OfficerFactory().has_perm("mentoring.access_admin")


def test_participant_has_no_admin_and_no_cohort_permissions():
    participant = UserFactory()
    assert not participant.is_staff
    assert not participant.has_perm("mentoring.access_admin")
    assert not participant.has_perm("cohorts.view_cohort")


def test_inactive_programme_office_has_nothing():
    office = ProgrammeOfficeFactory(is_active=False)
    assert not office.has_perm("mentoring.access_admin")
    assert not office.has_perm("cohorts.view_cohort")


def test_chair_predicate_covers_programme_and_cohort_seats():
    from cohorts.rules import is_chair_of_cohort

    cohort = CohortFactory()
    programme_chair = BeiratMembershipFactory(
        programme=cohort.programme, role=BeiratRole.CHAIR
    ).user
    cohort_chair = BeiratMembershipFactory(
        programme=None, cohort=cohort, role=BeiratRole.CHAIR
    ).user
    member = BeiratMembershipFactory(programme=cohort.programme).user
    other_cohort = CohortFactory()
    assert is_chair_of_cohort(programme_chair, cohort)
    assert is_chair_of_cohort(cohort_chair, cohort)
    assert not is_chair_of_cohort(member, cohort)
    assert not is_chair_of_cohort(programme_chair, other_cohort)
