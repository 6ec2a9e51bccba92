"""The tandems' audit trails: the Beirat's pins and bans, and confirmations of the goal
agreement, each with who, when and what it replaced."""

import pytest

from tandems import services
from tandems.enums import ConstraintKind, MatchingLogAction, TandemLogAction
from tandems.models import GoalAgreement, MatchingLog, PairConstraint, TandemLog
from tests.factories import (
    ApplicationFactory,
    CohortFactory,
    CohortOrganisationFactory,
    MentorApplicationFactory,
    ProgrammeOfficeFactory,
    TandemFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def pair():
    cohort = CohortFactory()
    bottrop, gladbeck, marl = (
        CohortOrganisationFactory(cohort=cohort, organisation__name=name).organisation
        for name in ("Stadt Bottrop", "Stadt Gladbeck", "Stadt Marl")
    )
    return {
        "cohort": cohort,
        "office": ProgrammeOfficeFactory(),
        "anna": ApplicationFactory(accepted=True, cohort=cohort, organisation=bottrop),
        "berta": MentorApplicationFactory(accepted=True, cohort=cohort, organisation=gladbeck),
        "dora": MentorApplicationFactory(accepted=True, cohort=cohort, organisation=marl),
    }


def constrain(pair, mentor, kind):
    return services.pair_constrain(
        cohort=pair["cohort"], mentee=pair["anna"], mentor=mentor, kind=kind, actor=pair["office"]
    )


def matching_log():
    return list(
        MatchingLog.objects.order_by("pk").values_list(
            "cohort", "mentee", "mentor", "actor", "action", "from_state"
        )
    )


def test_a_pin_is_logged_with_who_set_it(pair):
    constrain(pair, pair["berta"], ConstraintKind.PIN)
    cohort, anna, berta, office = pair["cohort"], pair["anna"], pair["berta"], pair["office"]
    assert matching_log() == [
        (cohort.pk, anna.pk, berta.pk, office.pk, MatchingLogAction.PINNED, "")
    ]


def test_a_ban_that_replaces_a_pin_is_logged_with_the_pin_it_replaced(pair):
    constrain(pair, pair["berta"], ConstraintKind.PIN)
    constrain(pair, pair["berta"], ConstraintKind.FORBID)
    assert [entry[4:] for entry in matching_log()] == [
        (MatchingLogAction.PINNED, ""),
        (MatchingLogAction.FORBIDDEN, ConstraintKind.PIN),
    ]


def test_lifting_a_ban_is_logged_with_who_lifted_it(pair):
    constrain(pair, pair["berta"], ConstraintKind.FORBID)
    chair = ProgrammeOfficeFactory()
    services.pair_release(mentee=pair["anna"], mentor=pair["berta"], actor=chair)
    assert not PairConstraint.objects.exists()
    entry = MatchingLog.objects.latest("pk")
    assert (entry.actor, entry.action, entry.from_state) == (
        chair,
        MatchingLogAction.RELEASED,
        ConstraintKind.FORBID,
    )
    assert str(entry).startswith("Vorgabe aufgehoben (")


def test_a_refused_pin_or_release_logs_nothing(pair):
    colleague = MentorApplicationFactory(
        accepted=True, cohort=pair["cohort"], organisation=pair["anna"].organisation
    )
    with pytest.raises(services.TandemError):
        constrain(pair, colleague, ConstraintKind.PIN)
    with pytest.raises(services.TandemError):
        services.pair_release(mentee=pair["anna"], mentor=pair["berta"], actor=pair["office"])
    assert matching_log() == []


def test_pairing_by_hand_logs_the_pin_it_replaced_and_the_new_one(pair):
    constrain(pair, pair["berta"], ConstraintKind.PIN)
    services.pair_by_hand(
        cohort=pair["cohort"], mentee=pair["anna"], mentor=pair["dora"], actor=pair["office"]
    )
    berta, dora = pair["berta"].pk, pair["dora"].pk
    assert [(entry[2], entry[4], entry[5]) for entry in matching_log()] == [
        (berta, MatchingLogAction.PINNED, ""),
        (berta, MatchingLogAction.RELEASED, ConstraintKind.PIN),
        (dora, MatchingLogAction.PINNED, ""),
    ]


def test_each_confirmation_of_the_goal_agreement_is_logged_without_its_content():
    tandem = TandemFactory()
    agreement = GoalAgreement.objects.create(tandem=tandem, topics_other="Führen in Teilzeit")
    mentee, mentor = tandem.mentee.applicant, tandem.mentor.applicant
    services.goal_agreement_confirm(agreement=agreement, actor=mentee)
    services.goal_agreement_confirm(agreement=agreement, actor=mentor)
    entries = list(TandemLog.objects.filter(tandem=tandem).order_by("pk"))
    assert [(entry.actor, entry.action, entry.note) for entry in entries] == [
        (mentee, TandemLogAction.GOAL_AGREEMENT_CONFIRMED, ""),
        (mentor, TandemLogAction.GOAL_AGREEMENT_CONFIRMED, ""),
    ]
    assert entries[0].get_action_display() == "Zielvereinbarung bestätigt"


def test_a_refused_confirmation_logs_nothing():
    tandem = TandemFactory()
    agreement = GoalAgreement.objects.create(tandem=tandem)
    with pytest.raises(services.TandemError):
        services.goal_agreement_confirm(agreement=agreement, actor=tandem.mentee.applicant)
    assert not TandemLog.objects.filter(tandem=tandem).exists()
