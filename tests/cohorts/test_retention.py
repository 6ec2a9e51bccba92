"""The per-cohort counting that every app's ``retention`` module shares."""

import datetime as dt
from collections import Counter

import pytest
from django.db import transaction
from django.db.models import F

from cohorts.models import CohortOrganisation
from cohorts.retention import erased_per_cohort, locked_per_cohort, pending_per_cohort
from mentoring.retention import Erased, Pending
from tests.factories import CohortFactory, CohortOrganisationFactory

pytestmark = pytest.mark.django_db


def _dated():
    # Any row with a cohort will do: here a cohort's administrations, due at its end.
    return CohortOrganisation.objects.annotate(due_on=F("cohort__end_date"))


def test_pending_rows_are_counted_per_cohort_up_to_and_including_the_day():
    first = CohortFactory(start_date=dt.date(2025, 1, 1), end_date=dt.date(2025, 12, 31))
    second = CohortFactory(start_date=dt.date(2025, 2, 1), end_date=dt.date(2026, 1, 31))
    later = CohortFactory(start_date=dt.date(2025, 3, 1), end_date=dt.date(2026, 2, 1))
    CohortOrganisationFactory.create_batch(2, cohort=first)
    CohortOrganisationFactory(cohort=second)
    CohortOrganisationFactory(cohort=later)

    pending = pending_per_cohort(_dated(), "organisation", until=dt.date(2026, 1, 31))

    assert sorted(pending, key=lambda row: row.due_on) == [
        Pending("organisation", str(first), dt.date(2025, 12, 31), 2),
        Pending("organisation", str(second), dt.date(2026, 1, 31), 1),
    ]


def test_locked_rows_are_named_by_their_cohort_and_erased_rows_counted_per_cohort():
    first, second = CohortFactory(), CohortFactory()
    one, two = CohortOrganisationFactory.create_batch(2, cohort=first)
    three = CohortOrganisationFactory(cohort=second)

    with transaction.atomic():
        locked = locked_per_cohort(CohortOrganisation.objects.all())

    assert locked == {one.pk: str(first), two.pk: str(first), three.pk: str(second)}
    erased = erased_per_cohort("organisation", Counter(locked.values()))
    assert sorted(erased, key=lambda row: row.count) == [
        Erased("organisation", str(second), 1),
        Erased("organisation", str(first), 2),
    ]
