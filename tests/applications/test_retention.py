"""Retention of applications: not selected or withdrawn, and drafts never submitted."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from applications.enums import ApplicationLogAction, ApplicationState, CareerStepKind
from applications.models import (
    Application,
    ApplicationLog,
    CareerStep,
    FileAccess,
    Review,
)
from mentoring.enums import ConsentKind, ErasureReason
from mentoring.models import Consent, ErasureRecord, PrivacyNotice, User
from mentoring.retention import erase_due, is_erased
from tests.factories import (
    ApplicationFactory,
    CohortFactory,
    OfficerFactory,
    TopicFactory,
)

pytestmark = pytest.mark.django_db

BERLIN = ZoneInfo("Europe/Berlin")


def berlin(*args):
    return dt.datetime(*args, tzinfo=BERLIN)


def rejected(**kwargs):
    """Rejected, the decision released on 15 January 2026 at 00:30 in Berlin (still the 14th
    in UTC): due on 15 July 2026 under the default six months."""
    return ApplicationFactory(
        state=ApplicationState.REJECTED,
        submitted_at=berlin(2025, 11, 2, 9),
        decision_released_at=berlin(2026, 1, 15, 0, 30),
        decision_reason="Andere Bewerberinnen passten besser.",
        **kwargs,
    )


def a_notice():
    # A migration may have published the first version already.
    return PrivacyNotice.objects.first() or PrivacyNotice.objects.create(version=1, text="…")


def run(day, capture):
    with capture(execute=True):
        return erase_due(today=day)


def test_a_rejected_application_is_anonymised_on_the_day_six_months_after_the_decision(
    django_capture_on_commit_callbacks,
):
    application = rejected()
    person = application.applicant
    organisation = application.organisation
    application.topics.add(TopicFactory(programme=application.cohort.programme))
    storage = application.cv.storage
    files = [application.cv.name, application.letter.name]
    assert [storage.exists(name) for name in files] == [True, True]

    assert run(dt.date(2026, 7, 14), django_capture_on_commit_callbacks) == []
    application.refresh_from_db()
    assert application.applicant == person

    erased = run(dt.date(2026, 7, 15), django_capture_on_commit_callbacks)

    assert [(row.kind, row.cohort, row.count) for row in erased] == [
        ("application", str(application.cohort), 1)
    ]
    application.refresh_from_db()
    assert is_erased(application.applicant) and not application.applicant.is_active
    assert application.applicant != person
    assert (application.cohort_id, application.role, application.state) == (
        application.cohort_id,
        "mentee",
        ApplicationState.REJECTED,
    )
    assert application.organisation == organisation
    assert application.submitted_at == berlin(2025, 11, 2, 9)
    assert (application.phone, application.department, application.position_title) == ("", "", "")
    assert (application.motivation, application.decision_reason, application.pay_grade) == (
        "",
        "",
        "",
    )
    assert (application.cv.name, application.letter.name) == ("", "")
    assert list(application.topics.all()) == []
    assert [storage.exists(name) for name in files] == [False, False]
    # Her account is hers: the retention rule takes the application, not the person.
    assert User.objects.get(pk=person.pk).is_active
    assert list(Application.objects.filter(applicant=person)) == []
    record = ErasureRecord.objects.get()
    assert (record.reason, record.kind, record.count, record.erased_by) == (
        ErasureReason.RETENTION,
        "application",
        1,
        None,
    )


def test_what_others_wrote_about_her_goes_and_the_statistics_stay(
    django_capture_on_commit_callbacks,
):
    application = rejected()
    officer = OfficerFactory()
    Review.objects.create(
        application=application, reviewer=officer, scores={}, mean_score=3, comment="Zu jung."
    )
    FileAccess.objects.create(
        application=application, document="cv", user=officer, user_name="Frau Prüferin"
    )
    ApplicationLog.objects.create(
        application=application,
        actor=officer,
        action=ApplicationLogAction.TRANSITION,
        from_state=ApplicationState.IN_REVIEW,
        to_state=ApplicationState.REJECTED,
        note="Keine Führungserfahrung",
    )
    CareerStep.objects.create(
        application=application,
        kind=CareerStepKind.PROMOTION,
        date=dt.date(2026, 3, 1),
        note="Beförderung nach A 12 bei der Stadt Marl",
    )

    run(dt.date(2026, 7, 15), django_capture_on_commit_callbacks)

    assert Review.objects.count() == 0
    assert FileAccess.objects.count() == 0
    assert list(ApplicationLog.objects.values_list("to_state", "note")) == [
        (ApplicationState.REJECTED, "")
    ]
    assert list(CareerStep.objects.values_list("kind", "date", "note")) == [
        (CareerStepKind.PROMOTION, dt.date(2026, 3, 1), "")
    ]


def test_the_programme_sets_the_months():
    application = rejected()
    programme = application.cohort.programme
    programme.retention_unselected_months = 12
    programme.save()

    assert erase_due(today=dt.date(2026, 7, 15)) == []
    assert erase_due(today=dt.date(2027, 1, 14)) == []
    assert [row.kind for row in erase_due(today=dt.date(2027, 1, 15))] == ["application"]


def test_a_waiting_list_counts_from_the_cohort_start_when_that_is_later():
    cohort = CohortFactory(start_date=dt.date(2026, 3, 1), end_date=dt.date(2027, 2, 28))
    ApplicationFactory(
        cohort=cohort,
        state=ApplicationState.WAITLISTED,
        decision_released_at=berlin(2026, 1, 15, 10),
    )

    assert erase_due(today=dt.date(2026, 8, 31)) == []
    assert [row.kind for row in erase_due(today=dt.date(2026, 9, 1))] == ["application"]


def test_a_withdrawal_counts_from_the_day_she_withdrew():
    application = ApplicationFactory(state=ApplicationState.WITHDRAWN)
    log = ApplicationLog.objects.create(
        application=application,
        actor=application.applicant,
        action=ApplicationLogAction.TRANSITION,
        from_state=ApplicationState.SUBMITTED,
        to_state=ApplicationState.WITHDRAWN,
    )
    ApplicationLog.objects.filter(pk=log.pk).update(created_at=berlin(2026, 2, 28, 18))

    assert erase_due(today=dt.date(2026, 8, 27)) == []
    assert [row.kind for row in erase_due(today=dt.date(2026, 8, 28))] == ["application"]


@pytest.mark.parametrize("kind", [ConsentKind.KEEP_FOR_LATER, ConsentKind.FOLLOW_UP])
def test_an_active_consent_keeps_the_application_and_its_withdrawal_ends_that(kind):
    application = rejected()
    notice = a_notice()
    consent = Consent.objects.create(user=application.applicant, kind=kind, notice=notice)

    assert erase_due(today=dt.date(2027, 1, 1)) == []

    consent.withdrawn_at = timezone.now()
    consent.save()
    assert [row.kind for row in erase_due(today=dt.date(2027, 1, 1))] == ["application"]


def test_another_consent_does_not_keep_it():
    application = rejected()
    notice = a_notice()
    Consent.objects.create(user=application.applicant, kind=ConsentKind.PROCESSING, notice=notice)

    assert [row.kind for row in erase_due(today=dt.date(2026, 7, 15))] == ["application"]


def test_accepted_and_open_applications_are_not_touched():
    for state in (
        ApplicationState.ACCEPTED,
        ApplicationState.SUBMITTED,
        ApplicationState.IN_REVIEW,
        ApplicationState.CHANGES_REQUESTED,
    ):
        ApplicationFactory(state=state, decision_released_at=berlin(2020, 1, 1))

    assert erase_due(today=dt.date(2030, 1, 1)) == []
    assert User.objects.filter(is_active=False).count() == 0


def test_a_draft_is_deleted_six_months_after_the_deadline_with_its_files(
    django_capture_on_commit_callbacks,
):
    cohort = CohortFactory(
        application_opens_at=berlin(2025, 9, 1),
        application_deadline=berlin(2025, 10, 31, 23, 59),
        start_date=dt.date(2026, 1, 1),
        end_date=dt.date(2026, 12, 31),
    )
    draft = ApplicationFactory(cohort=cohort)
    person = draft.applicant
    storage, files = draft.cv.storage, [draft.cv.name, draft.letter.name]
    assert [storage.exists(name) for name in files] == [True, True]

    assert run(dt.date(2026, 4, 29), django_capture_on_commit_callbacks) == []
    erased = run(dt.date(2026, 4, 30), django_capture_on_commit_callbacks)

    assert [(row.kind, row.count) for row in erased] == [("draft", 1)]
    assert not Application.objects.filter(pk=draft.pk).exists()
    assert [storage.exists(name) for name in files] == [False, False]
    assert User.objects.filter(pk=person.pk).exists()
    assert list(ErasureRecord.objects.values_list("kind", "count", "cohort")) == [
        ("draft", 1, str(cohort))
    ]


def test_running_twice_erases_once():
    rejected()
    assert [row.count for row in erase_due(today=dt.date(2026, 7, 15))] == [1]
    assert erase_due(today=dt.date(2026, 7, 16)) == []
    assert ErasureRecord.objects.count() == 1
    assert User.objects.filter(is_active=False).count() == 1  # one placeholder
