import datetime as dt

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from cohorts.enums import CohortState
from mentoring.models import User
from tests.factories import (
    BeiratMembershipFactory,
    CohortFactory,
    CohortOrganisationFactory,
    OrganisationFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def refused(**create):
    """Whether the database refuses a row (so a broken constraint fails this test)."""
    model_factory, kwargs = create.pop("factory"), create
    try:
        with transaction.atomic():
            model_factory(**kwargs)
    except IntegrityError:
        return True
    return False


def test_deadline_must_be_after_opening():
    now = timezone.now()
    assert refused(factory=CohortFactory, application_opens_at=now, application_deadline=now)
    assert not refused(
        factory=CohortFactory,
        application_opens_at=now,
        application_deadline=now + dt.timedelta(seconds=1),
    )


def test_cohort_must_end_after_it_starts():
    day = dt.date(2027, 3, 1)
    assert refused(factory=CohortFactory, start_date=day, end_date=day)


def test_cohort_number_is_unique_per_programme():
    cohort = CohortFactory(number=8)
    assert refused(factory=CohortFactory, programme=cohort.programme, number=8)
    assert not refused(factory=CohortFactory, number=8)


def test_an_organisation_takes_part_in_a_cohort_once():
    participation = CohortOrganisationFactory()
    assert refused(
        factory=CohortOrganisationFactory,
        cohort=participation.cohort,
        organisation=participation.organisation,
    )


def test_beirat_membership_belongs_to_a_programme_or_a_cohort_not_both():
    cohort = CohortFactory()
    assert refused(factory=BeiratMembershipFactory, programme=cohort.programme, cohort=cohort)
    assert refused(factory=BeiratMembershipFactory, programme=None, cohort=None)
    assert not refused(factory=BeiratMembershipFactory, programme=None, cohort=cohort)


def test_beirat_membership_is_unique_per_person_organisation_and_programme():
    membership = BeiratMembershipFactory()
    assert refused(
        factory=BeiratMembershipFactory,
        user=membership.user,
        organisation=membership.organisation,
        programme=membership.programme,
    )


def test_coordinates_come_in_pairs():
    assert refused(factory=OrganisationFactory, latitude="51.5", longitude=None)
    assert not refused(factory=OrganisationFactory, latitude="51.5", longitude="7.1")


def test_email_is_unique_regardless_of_case():
    UserFactory(email="Anna.Muster@example.org")
    assert refused(factory=UserFactory, email="anna.muster@EXAMPLE.org")


def test_login_name_lookup_ignores_case():
    user = UserFactory(email="anna@example.org")
    assert User.objects.get_by_natural_key("ANNA@example.org") == user


@pytest.mark.parametrize(
    ("offset", "state", "expected"),
    [
        (dt.timedelta(seconds=-1), CohortState.OPEN, True),
        (dt.timedelta(0), CohortState.OPEN, False),
        (dt.timedelta(seconds=-1), CohortState.SELECTION, False),
    ],
)
def test_application_window_closes_at_the_deadline(offset, state, expected):
    cohort = CohortFactory(state=state)
    at = cohort.application_deadline + offset
    assert cohort.is_application_window_open(at=at) is expected


def test_application_window_is_closed_before_it_opens():
    cohort = CohortFactory()
    assert cohort.is_application_window_open(at=cohort.application_opens_at) is True
    before = cohort.application_opens_at - dt.timedelta(seconds=1)
    assert cohort.is_application_window_open(at=before) is False
