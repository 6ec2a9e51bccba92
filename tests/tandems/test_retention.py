"""Retention of what tandems wrote: contact content and goal agreements, after the cohort."""

import datetime as dt

import pytest

from applications.enums import ApplicationRole
from mentoring.models import ErasureRecord
from mentoring.retention import erase_due
from tandems.enums import ContactFormat, GoalAgreementAction
from tandems.models import Contact, GoalAgreement, GoalAgreementEntry
from tests.factories import ContactFactory, TandemFactory, TopicFactory, running_cohort

pytestmark = pytest.mark.django_db


@pytest.fixture
def tandem():
    """A tandem of a cohort that ended on 31 March 2025: its content is due on 31 March 2026."""
    cohort = running_cohort(start_date=dt.date(2024, 4, 1), end_date=dt.date(2025, 3, 31))
    return TandemFactory(cohort=cohort)


def written(tandem):
    contact = ContactFactory(
        tandem=tandem,
        date=dt.date(2024, 5, 6),
        format=ContactFormat.VIDEO,
        duration_minutes=45,
        topics_other="Gehaltsverhandlung",
        note="Sie überlegt, sich auf die Amtsleitung zu bewerben.",
    )
    contact.topics.add(TopicFactory(programme=tandem.cohort.programme))
    agreement = GoalAgreement.objects.create(tandem=tandem, expectations_mentee="Sichtbarkeit")
    GoalAgreementEntry.objects.create(
        agreement=agreement,
        actor=tandem.mentee.applicant,
        role=ApplicationRole.MENTEE,
        action=GoalAgreementAction.CHANGED,
        version=1,
        changes={"expectations_mentee": ["", "Sichtbarkeit"]},
    )
    return contact


def test_the_content_goes_twelve_months_after_the_cohort_and_the_fact_of_the_contact_stays(
    tandem,
):
    contact = written(tandem)

    assert erase_due(today=dt.date(2026, 3, 30)) == []
    assert Contact.objects.get(pk=contact.pk).note != ""

    erased = erase_due(today=dt.date(2026, 3, 31))

    cohort = str(tandem.cohort)
    assert sorted((row.kind, row.cohort, row.count) for row in erased) == [
        ("contact", cohort, 1),
        ("goal_agreement", cohort, 1),
    ]
    contact = Contact.objects.get(pk=contact.pk)
    assert (contact.note, contact.topics_other, contact.author, list(contact.topics.all())) == (
        "",
        "",
        None,
        [],
    )
    assert (contact.tandem, contact.date, contact.format, contact.duration_minutes) == (
        tandem,
        dt.date(2024, 5, 6),
        ContactFormat.VIDEO,
        45,
    )
    assert GoalAgreement.objects.count() == 0
    assert GoalAgreementEntry.objects.count() == 0
    assert sorted(ErasureRecord.objects.values_list("kind", "count", "cohort")) == [
        ("contact", 1, cohort),
        ("goal_agreement", 1, cohort),
    ]


def test_the_programme_sets_the_months(tandem):
    written(tandem)
    programme = tandem.cohort.programme
    programme.retention_tandem_months = 3
    programme.save()

    assert erase_due(today=dt.date(2025, 6, 29)) == []
    assert sorted(row.kind for row in erase_due(today=dt.date(2025, 6, 30))) == [
        "contact",
        "goal_agreement",
    ]


def test_a_running_cohort_keeps_its_content():
    tandem = TandemFactory()
    written(tandem)

    assert erase_due(today=tandem.cohort.end_date) == []


def test_erased_contacts_are_not_counted_again(tandem):
    written(tandem)
    erase_due(today=dt.date(2026, 3, 31))

    assert erase_due(today=dt.date(2026, 4, 1)) == []
    assert ErasureRecord.objects.count() == 2
