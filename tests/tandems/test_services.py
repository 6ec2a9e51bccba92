"""Proposals from accepted applications, pins and bans, publication once, early end."""

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from applications.enums import ApplicationState, LeadershipLevel
from tandems import services
from tandems.enums import ConstraintKind, TandemStatus
from tandems.matching_display import explanation_text, reason_text
from tandems.models import MatchingRun, Tandem, TandemLog
from tests.factories import (
    ApplicationFactory,
    CohortFactory,
    CohortOrganisationFactory,
    MentorApplicationFactory,
    TopicFactory,
)
from tests.tandems.runs import pairs_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def cohort():
    return CohortFactory()


def organisation(cohort, name):
    return CohortOrganisationFactory(cohort=cohort, organisation__name=name).organisation


def test_a_run_proposes_only_accepted_people_across_administrations(cohort, office):
    bottrop, gladbeck = (
        organisation(cohort, "Stadt Bottrop"),
        organisation(cohort, "Stadt Gladbeck"),
    )
    topic = TopicFactory(name="Karriereplanung")
    anna = ApplicationFactory(accepted=True, cohort=cohort, organisation=bottrop)
    anna.topics.add(topic)
    berta = MentorApplicationFactory(
        accepted=True,
        cohort=cohort,
        organisation=gladbeck,
        leadership_level=LeadershipLevel.HEAD_OF_OFFICE,
    )
    berta.topics.add(topic)
    # Of the same administration: never Anna's mentor.
    MentorApplicationFactory(accepted=True, cohort=cohort, organisation=bottrop)
    ApplicationFactory(cohort=cohort, organisation=bottrop, state=ApplicationState.WAITLISTED)
    run = services.matching_run(cohort=cohort, actor=office)
    assert pairs_of(run) == {(anna.pk, berta.pk)}
    pair = run.pairs.get()
    assert explanation_text(pair.explanation) == (
        "1 von 1 Themen gemeinsam; Mentor:in ist Amtsleitung"
    )
    assert run.unmatched == []
    assert run.published_at is None
    assert not Tandem.objects.exists()
    assert mail.outbox == []  # a proposal is a draft: nobody hears of it


def test_unmatched_mentees_are_stored_with_their_reason(cohort, office):
    bottrop = organisation(cohort, "Stadt Bottrop")
    anna = ApplicationFactory(accepted=True, cohort=cohort, organisation=bottrop)
    MentorApplicationFactory(accepted=True, cohort=cohort, organisation=bottrop)
    run = services.matching_run(cohort=cohort, actor=office)
    assert [(entry["mentee"], reason_text(entry["reason"])) for entry in run.unmatched] == [
        (
            anna.pk,
            "Keine Mentor:in außerhalb der eigenen Verwaltung ist zulässig "
            "(oder alle sind gesperrt).",
        )
    ]


def test_pins_and_bans_steer_the_next_run(cohort, office):
    bottrop, gladbeck, marl = (
        organisation(cohort, "Stadt Bottrop"),
        organisation(cohort, "Stadt Gladbeck"),
        organisation(cohort, "Stadt Marl"),
    )
    anna, clara = (
        ApplicationFactory(accepted=True, cohort=cohort, organisation=bottrop),
        ApplicationFactory(accepted=True, cohort=cohort, organisation=bottrop),
    )
    berta, dora = (
        MentorApplicationFactory(accepted=True, cohort=cohort, organisation=gladbeck),
        MentorApplicationFactory(accepted=True, cohort=cohort, organisation=marl),
    )
    services.pair_constrain(
        cohort=cohort, mentee=anna, mentor=dora, kind=ConstraintKind.PIN, actor=office
    )
    services.pair_constrain(
        cohort=cohort, mentee=clara, mentor=berta, kind=ConstraintKind.FORBID, actor=office
    )
    run = services.matching_run(cohort=cohort, actor=office)
    assert pairs_of(run) == {(anna.pk, dora.pk)}
    run.refresh_from_db()
    assert run.pinned == [[anna.pk, dora.pk]]
    assert [entry["mentee"] for entry in run.unmatched] == [clara.pk]
    services.pair_release(mentee=clara, mentor=berta, actor=office)
    assert pairs_of(services.matching_run(cohort=cohort, actor=office)) == {
        (anna.pk, dora.pk),
        (clara.pk, berta.pk),
    }
    assert MatchingRun.objects.count() == 2  # earlier proposals stay viewable


def test_a_pin_that_breaks_a_rule_is_refused(cohort, office):
    bottrop = organisation(cohort, "Stadt Bottrop")
    anna = ApplicationFactory(accepted=True, cohort=cohort, organisation=bottrop, name="Anna Aust")
    berta = MentorApplicationFactory(
        accepted=True, cohort=cohort, organisation=bottrop, name="Berta Brandt"
    )
    with pytest.raises(services.TandemError) as error:
        services.pair_constrain(
            cohort=cohort, mentee=anna, mentor=berta, kind=ConstraintKind.PIN, actor=office
        )
    assert str(error.value) == (
        "Diese Vorgabe ist nicht möglich: Anna Aust und Berta Brandt sind beide bei Stadt "
        "Bottrop; ein Tandem verbindet zwei verschiedene Organisationen."
    )
    assert services.matching_run(cohort=cohort, actor=office).pairs.count() == 0


def one_pair_proposed(cohort, office, *, start_date, end_date):
    """``cohort`` running from ``start_date`` to ``end_date``, with one pair proposed."""
    cohort.start_date, cohort.end_date = start_date, end_date
    cohort.save()
    ApplicationFactory(
        accepted=True, cohort=cohort, organisation=organisation(cohort, "Stadt Bottrop")
    )
    MentorApplicationFactory(
        accepted=True, cohort=cohort, organisation=organisation(cohort, "Stadt Gladbeck")
    )
    return services.matching_run(cohort=cohort, actor=office)


def test_tandems_published_after_the_cohort_started_begin_on_that_day(client, cohort, office):
    start = timezone.localdate() - dt.timedelta(days=120)
    run = one_pair_proposed(
        cohort, office, start_date=start, end_date=start + dt.timedelta(days=365)
    )
    client.force_login(office)
    page = client.get(f"/beirat/jahrgang/{cohort.pk}/tandembildung/{run.pk}/veroeffentlichen/")
    today = timezone.localdate()
    assert f"es beginnt am {today:%d.%m.%Y}" in page.content.decode()
    (tandem,) = services.matching_publish(run=run, actor=office)
    assert tandem.start_date == today


def test_a_proposal_is_not_published_once_the_cohort_has_ended(client, cohort, office):
    """Its tandems would begin after their last day: no month, no date for a contact."""
    end = timezone.localdate() - dt.timedelta(days=1)
    run = one_pair_proposed(cohort, office, start_date=end - dt.timedelta(days=365), end_date=end)
    refusal = (
        f"Der Jahrgang endete am {cohort.end_date:%d.%m.%Y}; danach werden keine Tandems "
        "mehr gebildet."
    )
    client.force_login(office)
    page = client.get(f"/beirat/jahrgang/{cohort.pk}/tandembildung/{run.pk}/veroeffentlichen/")
    assert page.context["refusal"] == refusal
    with pytest.raises(services.TandemError) as error:
        services.matching_publish(run=run, actor=office)
    assert (str(error.value), Tandem.objects.count()) == (refusal, 0)


def test_publishing_creates_tandems_and_introduces_the_partners_once(
    cohort, office, django_capture_on_commit_callbacks
):
    bottrop, gladbeck = (
        organisation(cohort, "Stadt Bottrop"),
        organisation(cohort, "Stadt Gladbeck"),
    )
    anna = ApplicationFactory(
        accepted=True,
        cohort=cohort,
        organisation=bottrop,
        applicant__first_name="Anna",
        position_title="SGL",
    )
    berta = MentorApplicationFactory(
        accepted=True,
        cohort=cohort,
        organisation=gladbeck,
        applicant__first_name="Berta",
        position_title="Amtsleitung Jugend",
    )
    run = services.matching_run(cohort=cohort, actor=office)
    with django_capture_on_commit_callbacks(execute=True):
        created = services.matching_publish(run=run, actor=office)
    assert [(t.mentee_id, t.mentor_id, t.status) for t in created] == [
        (anna.pk, berta.pk, TandemStatus.ACTIVE)
    ]
    assert created[0].start_date == cohort.start_date  # the cohort has not started yet
    assert sorted(message.to[0] for message in mail.outbox) == sorted(
        [anna.applicant.email, berta.applicant.email]
    )
    to_anna = next(m for m in mail.outbox if m.to == [anna.applicant.email])
    assert "Amtsleitung Jugend" in to_anna.body
    assert "Stadt Gladbeck" in to_anna.body
    assert berta.applicant.email in to_anna.body

    with pytest.raises(services.TandemError) as error:
        services.matching_publish(run=run, actor=office)
    assert str(error.value) == "Dieser Vorschlag ist bereits veröffentlicht."
    assert Tandem.objects.count() == 1
    assert len(mail.outbox) == 2


def test_a_second_run_never_matches_someone_in_an_active_tandem(cohort, office):
    bottrop, gladbeck = (
        organisation(cohort, "Stadt Bottrop"),
        organisation(cohort, "Stadt Gladbeck"),
    )
    anna = ApplicationFactory(accepted=True, cohort=cohort, organisation=bottrop)
    MentorApplicationFactory(accepted=True, cohort=cohort, organisation=gladbeck)
    services.matching_publish(run=services.matching_run(cohort=cohort, actor=office), actor=office)
    assert Tandem.objects.filter(mentee=anna).count() == 1
    assert pairs_of(services.matching_run(cohort=cohort, actor=office)) == set()


def test_ending_early_is_recorded_and_the_mentee_can_be_matched_again(cohort, office):
    bottrop, gladbeck, marl = (
        organisation(cohort, "Stadt Bottrop"),
        organisation(cohort, "Stadt Gladbeck"),
        organisation(cohort, "Stadt Marl"),
    )
    anna = ApplicationFactory(accepted=True, cohort=cohort, organisation=bottrop)
    berta = MentorApplicationFactory(accepted=True, cohort=cohort, organisation=gladbeck)
    (tandem,) = services.matching_publish(
        run=services.matching_run(cohort=cohort, actor=office), actor=office
    )
    with pytest.raises(services.TandemError):
        services.tandem_end(tandem=tandem, actor=office, reason=" ")
    services.tandem_end(tandem=tandem, actor=office, reason="Stellenwechsel der Mentorin")
    tandem.refresh_from_db()
    assert (tandem.status, tandem.end_reason) == (TandemStatus.ENDED, "Stellenwechsel der Mentorin")
    assert TandemLog.objects.filter(tandem=tandem, action="ended").get().actor == office
    dora = MentorApplicationFactory(accepted=True, cohort=cohort, organisation=marl)
    rematch = services.matching_run(cohort=cohort, actor=office)
    # Berta's seat is free again too, so either mentor may be proposed; Anna is matched.
    assert {mentee for mentee, _ in pairs_of(rematch)} == {anna.pk}
    assert pairs_of(rematch) <= {(anna.pk, berta.pk), (anna.pk, dora.pk)}
    with pytest.raises(services.TandemError):
        services.tandem_end(tandem=tandem, actor=office, reason="noch einmal")


def test_mentor_capacity_counts_active_tandems(cohort, office):
    bottrop, gladbeck = (
        organisation(cohort, "Stadt Bottrop"),
        organisation(cohort, "Stadt Gladbeck"),
    )
    ApplicationFactory(accepted=True, cohort=cohort, organisation=bottrop)
    berta = MentorApplicationFactory(
        accepted=True, cohort=cohort, organisation=gladbeck, capacity=2
    )
    services.matching_publish(run=services.matching_run(cohort=cohort, actor=office), actor=office)
    clara = ApplicationFactory(accepted=True, cohort=cohort, organisation=bottrop)
    third = ApplicationFactory(accepted=True, cohort=cohort, organisation=bottrop)
    run = services.matching_run(cohort=cohort, actor=office)
    assert len(run.pairs.all()) == 1
    assert {mentor for _, mentor in pairs_of(run)} == {berta.pk}
    assert {entry["mentee"] for entry in run.unmatched} <= {clara.pk, third.pk}


def test_the_mentees_wishes_and_vetoes_from_her_application_steer_the_proposal(cohort, office):
    from cohorts.enums import OrganisationKind

    bottrop, gladbeck, marl = (
        organisation(cohort, "Stadt Bottrop"),
        organisation(cohort, "Stadt Gladbeck"),
        organisation(cohort, "Stadt Marl"),
    )
    marl.kind = OrganisationKind.DISTRICT
    marl.save()
    anna = ApplicationFactory(accepted=True, cohort=cohort, organisation=bottrop)
    anna.avoided_organisations.add(gladbeck)
    berta = MentorApplicationFactory(accepted=True, cohort=cohort, organisation=gladbeck)
    dora = MentorApplicationFactory(accepted=True, cohort=cohort, organisation=marl)
    run = services.matching_run(cohort=cohort, actor=office)
    assert pairs_of(run) == {(anna.pk, dora.pk)}

    anna.avoided_organisations.clear()
    anna.wished_organisations.add(gladbeck)
    run = services.matching_run(cohort=cohort, actor=office)
    assert pairs_of(run) == {(anna.pk, berta.pk)}
    assert explanation_text(run.pairs.get().explanation).endswith("Wunsch der Mentee")

    anna.wished_organisations.clear()
    anna.wished_organisation_kinds = [OrganisationKind.DISTRICT]
    anna.save()
    run = services.matching_run(cohort=cohort, actor=office)
    assert pairs_of(run) == {(anna.pk, dora.pk)}
    assert "gewünschte Art der Organisation" in explanation_text(run.pairs.get().explanation)
