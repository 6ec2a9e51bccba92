"""The application's life: submission, review, decisions released once, the audit trail."""

import datetime as dt
import threading

import pytest
from django.core import mail
from django.db import connection
from django.utils import timezone

from applications import services
from applications.enums import ApplicationLogAction, ApplicationState, Decision, EligibilityOutcome
from applications.models import Application, ApplicationLog
from applications.tasks import send_application_mail
from tests.factories import (
    ApplicationFactory,
    BeiratMembershipFactory,
    MentorApplicationFactory,
    ProgrammeOfficeFactory,
    ReviewCriterionFactory,
)

pytestmark = pytest.mark.django_db
S = ApplicationState


@pytest.fixture
def office():
    return ProgrammeOfficeFactory()


def in_state(state, **kwargs):
    submitted = None if state == S.DRAFT else timezone.now()
    return ApplicationFactory(state=state, submitted_at=submitted, **kwargs)


def test_submit_within_the_window_computes_eligibility_and_confirms(
    django_capture_on_commit_callbacks,
):
    application = ApplicationFactory()
    BeiratMembershipFactory(
        programme=application.cohort.programme,
        organisation=application.organisation,
        user__email="gb@example.org",
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.application_submit(application=application, actor=application.applicant)
    application.refresh_from_db()
    assert application.state == S.SUBMITTED
    assert application.submitted_at is not None
    assert application.eligibility_outcome == EligibilityOutcome.PASS
    assert [r["outcome"] for r in application.eligibility_report["results"]] == ["pass"] * 5
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [application.applicant.email]
    assert mail.outbox[0].subject.startswith("Ihre Bewerbung ist eingegangen")
    assert mail.outbox[0].reply_to == ["gb@example.org"]
    assert "http://127.0.0.1:8000/bewerbung/" in mail.outbox[0].body


def test_submit_after_the_deadline_is_refused_and_the_draft_stays():
    application = ApplicationFactory()
    after = application.cohort.application_deadline + dt.timedelta(seconds=1)
    with pytest.raises(services.ApplicationError) as error:
        services.application_submit(application=application, actor=application.applicant, now=after)
    assert str(error.value).startswith("Die Bewerbungsfrist ist am ")
    application.refresh_from_db()
    assert application.state == S.DRAFT
    assert application.motivation == "Ich möchte Führungsverantwortung übernehmen."


def test_submit_one_second_before_the_deadline_is_accepted():
    application = ApplicationFactory()
    before = application.cohort.application_deadline - dt.timedelta(seconds=1)
    services.application_submit(application=application, actor=application.applicant, now=before)
    assert Application.objects.get(pk=application.pk).state == S.SUBMITTED


def test_a_second_submit_is_refused_and_submits_nothing_twice():
    application = ApplicationFactory()
    services.application_submit(application=application, actor=application.applicant)
    with pytest.raises(services.ApplicationError) as error:
        services.application_submit(application=application, actor=application.applicant)
    assert str(error.value) == (
        "Diese Bewerbung ist bereits eingereicht und kann nicht mehr geändert werden. Möchten "
        "Sie etwas ergänzen, wenden Sie sich bitte an Ihre Gleichstellungsbeauftragte."
    )
    assert ApplicationLog.objects.filter(to_state=S.SUBMITTED).count() == 1


def test_submit_without_uploads_names_what_is_missing():
    application = ApplicationFactory(cv="", letter="", consent_at=None)
    with pytest.raises(services.ApplicationError) as error:
        services.application_submit(application=application, actor=application.applicant)
    assert str(error.value) == (
        "Bitte ergänzen Sie vor dem Einreichen: Lebenslauf (PDF), "
        "Motivationsanschreiben (PDF), Einwilligung in die Datenverarbeitung."
    )


def test_mentor_needs_no_uploads_but_leadership_facts():
    application = MentorApplicationFactory(leadership_years=None)
    with pytest.raises(services.ApplicationError) as error:
        services.application_submit(application=application, actor=application.applicant)
    assert str(error.value) == (
        "Bitte ergänzen Sie vor dem Einreichen: Jahre Führung mit Personalverantwortung."
    )


def test_resubmit_after_requested_changes_is_allowed_after_the_deadline(office):
    application = in_state(S.SUBMITTED)
    services.application_request_changes(
        application=application, actor=office, note="Bitte Lebenslauf aktualisieren."
    )
    after = application.cohort.application_deadline + dt.timedelta(days=3)
    services.application_submit(application=application, actor=application.applicant, now=after)
    application.refresh_from_db()
    assert application.state == S.SUBMITTED
    assert application.changes_requested_note == ""


# Which transitions each service allows, from every state.
ALL_STATES = list(S)
TRANSITIONS = {
    "start_review": ({S.SUBMITTED}, S.IN_REVIEW),
    "request_changes": ({S.SUBMITTED, S.IN_REVIEW}, S.CHANGES_REQUESTED),
    "invite_interview": ({S.SUBMITTED, S.IN_REVIEW}, S.INTERVIEW),
    "withdraw": ({S.SUBMITTED, S.IN_REVIEW, S.INTERVIEW, S.CHANGES_REQUESTED}, S.WITHDRAWN),
}


def call(name, application, actor):
    if name == "start_review":
        return services.application_start_review(application=application, actor=actor)
    if name == "request_changes":
        return services.application_request_changes(
            application=application, actor=actor, note="Bitte ergänzen."
        )
    if name == "invite_interview":
        return services.application_invite_interview(
            application=application,
            actor=actor,
            at=timezone.make_aware(dt.datetime(application.cohort.year, 10, 6, 10)),
            place="Rathaus Marl",
        )
    return services.application_withdraw(application=application, actor=actor)


@pytest.mark.parametrize("name", TRANSITIONS)
@pytest.mark.parametrize("state", ALL_STATES)
def test_transition_table(name, state, office):
    allowed, target = TRANSITIONS[name]
    application = in_state(state)
    if state in allowed:
        call(name, application, office)
        application.refresh_from_db()
        assert application.state == target
        entry = ApplicationLog.objects.get(application=application)
        assert (entry.actor, entry.from_state, entry.to_state) == (office, state, target)
    else:
        with pytest.raises(services.ApplicationError) as error:
            call(name, application, office)
        assert str(error.value).startswith("Das ist im Status „")
        application.refresh_from_db()
        assert application.state == state
        assert not ApplicationLog.objects.filter(application=application).exists()


@pytest.mark.parametrize("state", ALL_STATES)
def test_a_decision_can_be_recorded_only_under_review(state, office):
    application = in_state(state)
    if state in S.under_review():
        services.application_record_decision(
            application=application, actor=office, decision=Decision.ACCEPTED
        )
        application.refresh_from_db()
        assert (application.state, application.pending_decision) == (state, Decision.ACCEPTED)
    else:
        with pytest.raises(services.ApplicationError):
            services.application_record_decision(
                application=application, actor=office, decision=Decision.ACCEPTED
            )


def test_a_second_decision_is_refused_naming_the_first(office):
    application = in_state(S.IN_REVIEW)
    chair = BeiratMembershipFactory(user__first_name="Martina", user__last_name="Hoffmann").user
    services.application_record_decision(
        application=application, actor=chair, decision=Decision.ACCEPTED
    )
    with pytest.raises(services.ApplicationError) as error:
        services.application_record_decision(
            application=application, actor=office, decision=Decision.REJECTED
        )
    assert str(error.value) == (
        "Für diese Bewerbung ist bereits „annehmen“ vorgemerkt (Martina Hoffmann)."
    )
    assert Application.objects.get(pk=application.pk).pending_decision == Decision.ACCEPTED


@pytest.mark.postgres  # row locks: SQLite locks the whole file instead
@pytest.mark.django_db(transaction=True)
def test_two_officers_deciding_at_the_same_moment_cannot_both_win():
    application = in_state(S.IN_REVIEW)
    officers = [BeiratMembershipFactory().user, BeiratMembershipFactory().user]
    barrier = threading.Barrier(2)
    outcomes = []

    def decide(officer, decision):
        try:
            barrier.wait(timeout=10)
            services.application_record_decision(
                application=application, actor=officer, decision=decision
            )
            outcomes.append("won")
        except services.ApplicationError as error:
            outcomes.append(str(error))
        finally:
            connection.close()

    threads = [
        threading.Thread(target=decide, args=(officers[0], Decision.ACCEPTED)),
        threading.Thread(target=decide, args=(officers[1], Decision.REJECTED)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert len(outcomes) == 2
    assert outcomes.count("won") == 1
    loser = next(outcome for outcome in outcomes if outcome != "won")
    assert loser.startswith("Für diese Bewerbung ist bereits „")
    assert ApplicationLog.objects.filter(action=ApplicationLogAction.DECISION_RECORDED).count() == 1


def test_release_sends_one_mail_per_applicant_and_never_twice(
    office, django_capture_on_commit_callbacks
):
    accepted = in_state(S.IN_REVIEW)
    cohort = accepted.cohort
    waitlisted = in_state(S.INTERVIEW, cohort=cohort)
    rejected = in_state(S.SUBMITTED, cohort=cohort)
    undecided = in_state(S.IN_REVIEW, cohort=cohort)
    for application, decision in [
        (accepted, Decision.ACCEPTED),
        (waitlisted, Decision.WAITLISTED),
        (rejected, Decision.REJECTED),
    ]:
        services.application_record_decision(
            application=application, actor=office, decision=decision
        )
    assert mail.outbox == []  # recorded decisions are not sent

    with django_capture_on_commit_callbacks(execute=True):
        released = services.cohort_release_decisions(cohort=cohort, actor=office)
    assert {a.pk for a in released} == {accepted.pk, waitlisted.pk, rejected.pk}
    with django_capture_on_commit_callbacks(execute=True):
        assert services.cohort_release_decisions(cohort=cohort, actor=office) == []

    subjects = sorted((m.to[0], m.subject) for m in mail.outbox)
    assert subjects == sorted(
        [
            (accepted.applicant.email, "Ihre Teilnahme am Cross-Mentoring"),
            (waitlisted.applicant.email, "Ihre Bewerbung: Platz auf der Warteliste"),
            (rejected.applicant.email, "Ihre Bewerbung für das Cross-Mentoring"),
        ]
    )
    rejection = next(m for m in mail.outbox if m.to == [rejected.applicant.email])
    assert "Feedbackgespräch" in rejection.body
    states = dict(Application.objects.values_list("pk", "state"))
    assert states == {
        accepted.pk: S.ACCEPTED,
        waitlisted.pk: S.WAITLISTED,
        rejected.pk: S.REJECTED,
        undecided.pk: S.IN_REVIEW,
    }


def test_a_retried_decision_mail_task_sends_nothing_more(office):
    application = in_state(S.IN_REVIEW)
    services.application_record_decision(
        application=application, actor=office, decision=Decision.ACCEPTED
    )
    services.cohort_release_decisions(cohort=application.cohort, actor=office)
    send_application_mail(application_id=application.pk, kind="decision_accepted")
    send_application_mail(application_id=application.pk, kind="decision_accepted")
    assert len(mail.outbox) == 1


def test_the_release_preview_shows_the_decision_mail_as_sent_with_its_contact_line(
    client, office, django_capture_on_commit_callbacks
):
    application = in_state(S.IN_REVIEW)
    contact = BeiratMembershipFactory(
        organisation=application.organisation,
        programme=application.cohort.programme,
        user__full_name="Gisela Gleich",
        function_title="Gleichstellungsbeauftragte",
    ).user
    services.application_record_decision(
        application=application, actor=office, decision=Decision.ACCEPTED
    )
    client.force_login(office)

    page = client.get(f"/verwaltung/applications/application/freigabe/{application.cohort.pk}/")
    with django_capture_on_commit_callbacks(execute=True):
        services.cohort_release_decisions(cohort=application.cohort, actor=office)

    (sent,) = mail.outbox
    line = next(
        line for line in sent.body.splitlines() if line.startswith("Ihre Ansprechpartnerin")
    )
    assert line == (
        "Ihre Ansprechpartnerin: Gisela Gleich, Gleichstellungsbeauftragte, "
        f"{application.organisation.name}, {contact.email}"
    )
    (preview,) = page.context["previews"]
    assert (preview["subject"], preview["body"]) == (sent.subject, sent.body)
    assert line in page.content.decode()


def test_mail_task_for_a_deleted_application_does_nothing():
    send_application_mail(application_id=987654, kind="submitted")
    assert mail.outbox == []


def test_withdrawing_clears_a_pending_decision(office):
    application = in_state(S.IN_REVIEW)
    services.application_record_decision(
        application=application, actor=office, decision=Decision.ACCEPTED
    )
    services.application_withdraw(application=application, actor=application.applicant)
    application.refresh_from_db()
    assert (application.state, application.pending_decision) == (S.WITHDRAWN, "")


def test_override_needs_a_reason_and_is_kept_with_author_and_time(office):
    application = in_state(S.SUBMITTED)
    with pytest.raises(services.ApplicationError) as error:
        services.application_override_eligibility(
            application=application, actor=office, outcome=EligibilityOutcome.PASS, reason="  "
        )
    assert str(error.value) == "Bitte begründen Sie die Übersteuerung."
    services.application_override_eligibility(
        application=application,
        actor=office,
        outcome=EligibilityOutcome.PASS,
        reason="Gleichwertiger Abschluss nachgewiesen.",
    )
    application.refresh_from_db()
    assert application.effective_eligibility == EligibilityOutcome.PASS
    assert application.eligibility_override_by == office
    assert application.eligibility_override_at is not None
    entry = ApplicationLog.objects.get(action=ApplicationLogAction.ELIGIBILITY_OVERRIDE)
    assert entry.note == "erfüllt: Gleichwertiger Abschluss nachgewiesen."


def test_a_policy_change_rechecks_submitted_applications():
    application = ApplicationFactory(pay_grade="11")
    services.application_submit(application=application, actor=application.applicant)
    draft = ApplicationFactory(cohort=application.cohort)
    policy = services.policy_for(application.cohort)
    policy.minimum_grade_a = "12"
    policy.save()
    assert services.cohort_recheck_eligibility(cohort=application.cohort) == 1
    application.refresh_from_db()
    assert application.eligibility_outcome == EligibilityOutcome.FAIL
    grade = next(r for r in application.eligibility_report["results"] if r["rule"] == "pay_grade")
    assert (grade["reason"], grade["params"]) == (
        "Besoldungsgruppe %(grade)s liegt unter der Mindestanforderung %(minimum)s.",
        {"grade": "A 11", "minimum": "A 12"},
    )
    draft.refresh_from_db()
    assert draft.eligibility_outcome == ""


def test_first_review_starts_the_review_and_stores_the_mean():
    application = in_state(S.SUBMITTED)
    criteria = ReviewCriterionFactory.create_batch(3, cohort=application.cohort)
    reviewer = BeiratMembershipFactory().user
    review = services.review_save(
        application=application,
        reviewer=reviewer,
        scores={criteria[0].pk: 5, criteria[1].pk: 4, criteria[2].pk: 4},
        comment="Überzeugend.",
    )
    assert str(review.mean_score) == "4.33"
    application.refresh_from_db()
    assert application.state == S.IN_REVIEW
    with pytest.raises(services.ApplicationError) as error:
        services.review_save(application=application, reviewer=reviewer, scores={criteria[0].pk: 6})
    assert str(error.value) == "Bitte bewerten Sie jedes Kriterium."
