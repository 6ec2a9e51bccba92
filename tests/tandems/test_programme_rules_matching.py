"""Matching under the programme's rules: consent to pass data on to partner organisations
(cross-sector), never the own supervisor and, where set, never the own department (internal)."""

import pytest
from django.utils import timezone

from applications.enums import ApplicationState
from cohorts.enums import MatchingPolicy, OrganisationKind
from tandems import selectors, services
from tandems.matching import INTERNAL, Mentee, Mentor, solve
from tandems.matching_display import reason_text
from tandems.models import MatchingRun, Tandem
from tests.factories import (
    ApplicationFactory,
    CohortFactory,
    CohortOrganisationFactory,
    MentorApplicationFactory,
    TopicFactory,
)
from tests.tandems.runs import matching_url, pairs_of, queries

pytestmark = pytest.mark.django_db

NO_CONSENT = "keine Einwilligung in die Weitergabe an Partnerorganisationen"


def shown(unmatched):
    """A run's or a proposal's people without a tandem, with the reason as it reads."""
    if isinstance(unmatched, tuple):
        return tuple((mentee, reason_text(reason)) for mentee, reason in unmatched)
    return [{**entry, "reason": reason_text(entry["reason"])} for entry in unmatched]


# Cross-sector: consent to pass data on ----------------------------------------------------


@pytest.fixture
def cologne():
    cohort = CohortFactory(
        programme__name="Cross-Mentoring Köln", programme__transfer_consent_required=True
    )
    city = CohortOrganisationFactory(cohort=cohort, organisation__name="Stadt Köln").organisation
    company = CohortOrganisationFactory(
        cohort=cohort,
        organisation__name="Muster Medien GmbH",
        organisation__kind=OrganisationKind.COMPANY,
    ).organisation
    return {"cohort": cohort, "city": city, "company": company}


def consenting(factory, cohort, organisation, **kwargs):
    return factory(
        accepted=True,
        cohort=cohort,
        organisation=organisation,
        transfer_consent_at=timezone.now(),
        **kwargs,
    )


def test_without_consent_mentee_and_mentor_are_left_out_of_the_matching(cologne, office):
    cohort, city, company = cologne["cohort"], cologne["city"], cologne["company"]
    anna = consenting(ApplicationFactory, cohort, city)
    nina = ApplicationFactory(
        accepted=True, cohort=cohort, organisation=company, transfer_consent_at=None
    )
    berta = consenting(MentorApplicationFactory, cohort, company)
    # Otto would be Nina's only possible mentor (another organisation), but he did not
    # consent either.
    otto = MentorApplicationFactory(
        accepted=True, cohort=cohort, organisation=city, transfer_consent_at=None
    )
    run = services.matching_run(cohort=cohort, actor=office)
    assert pairs_of(run) == {(anna.pk, berta.pk)}
    assert shown(run.unmatched) == [
        {"mentee": nina.pk, "reason": NO_CONSENT},
        {"mentor": otto.pk, "reason": NO_CONSENT},
    ]


def test_consent_to_pass_data_on_is_not_needed_in_other_programmes(office):
    cohort = CohortFactory()
    bottrop = CohortOrganisationFactory(cohort=cohort).organisation
    gladbeck = CohortOrganisationFactory(cohort=cohort).organisation
    anna = ApplicationFactory(
        accepted=True, cohort=cohort, organisation=bottrop, transfer_consent_at=None
    )
    berta = MentorApplicationFactory(
        accepted=True, cohort=cohort, organisation=gladbeck, transfer_consent_at=None
    )
    run = services.matching_run(cohort=cohort, actor=office)
    assert (pairs_of(run), run.unmatched) == ({(anna.pk, berta.pk)}, [])


def test_a_pin_for_someone_without_consent_is_not_applied(cologne, office):
    from tandems.enums import ConstraintKind

    cohort, city, company = cologne["cohort"], cologne["city"], cologne["company"]
    nina = ApplicationFactory(
        accepted=True, cohort=cohort, organisation=company, transfer_consent_at=None
    )
    otto = consenting(MentorApplicationFactory, cohort, city)
    services.pair_constrain(
        cohort=cohort, mentee=nina, mentor=otto, kind=ConstraintKind.PIN, actor=office
    )
    run = services.matching_run(cohort=cohort, actor=office)
    assert (pairs_of(run), shown(run.unmatched)) == (
        set(),
        [{"mentee": nina.pk, "reason": NO_CONSENT}],
    )


def test_beirat_page_names_the_people_left_out_and_why(client, cologne, office):
    cohort, city, company = cologne["cohort"], cologne["city"], cologne["company"]
    nina = ApplicationFactory(
        accepted=True,
        cohort=cohort,
        organisation=company,
        transfer_consent_at=None,
        name="Nina Pohl",
    )
    MentorApplicationFactory(
        accepted=True, cohort=cohort, organisation=city, transfer_consent_at=None, name="Otto Weber"
    )
    client.force_login(office)
    response = client.post(matching_url(cohort) + "berechnen/", follow=True)
    html = response.content.decode()
    assert (
        "Nina Pohl (Mentee, Muster Medien GmbH): keine Einwilligung in die Weitergabe an "
        "Partnerorganisationen" in html
    )
    assert (
        "Otto Weber (Mentor:in, Stadt Köln): keine Einwilligung in die Weitergabe an "
        "Partnerorganisationen" in html
    )
    assert [entry["application"] for entry in response.context["unmatched"]][0] == nina


def test_matching_page_queries_do_not_grow_with_the_people_left_out(client, cologne, office):
    cohort, city, company = cologne["cohort"], cologne["city"], cologne["company"]
    consenting(ApplicationFactory, cohort, city)
    consenting(MentorApplicationFactory, cohort, company)
    ApplicationFactory(accepted=True, cohort=cohort, organisation=company, transfer_consent_at=None)
    client.force_login(office)
    one = services.matching_run(cohort=cohort, actor=office)
    few = queries(client, matching_url(cohort, one))
    for _ in range(6):
        ApplicationFactory(
            accepted=True, cohort=cohort, organisation=company, transfer_consent_at=None
        )
        MentorApplicationFactory(
            accepted=True, cohort=cohort, organisation=city, transfer_consent_at=None
        )
    many = services.matching_run(cohort=cohort, actor=office)
    assert (len(one.unmatched), len(many.unmatched)) == (1, 13)
    assert queries(client, matching_url(cohort, many)) == few


def test_a_rematch_without_consent_is_refused_with_the_reason(cologne, office):
    cohort, city, company = cologne["cohort"], cologne["city"], cologne["company"]
    nina = consenting(ApplicationFactory, cohort, company)
    consenting(MentorApplicationFactory, cohort, city)
    (tandem,) = services.matching_publish(
        run=services.matching_run(cohort=cohort, actor=office), actor=office
    )
    services.tandem_end(tandem=tandem, actor=office, reason="Stellenwechsel")
    nina.transfer_consent_at = None
    nina.save()
    with pytest.raises(services.TandemError) as error:
        services.tandem_rematch(ended=tandem, actor=office)
    assert str(error.value) == f"Keine neue Zuordnung möglich: {NO_CONSENT}"
    assert Tandem.objects.count() == 1


# Internal: supervisor and department ----------------------------------------------------


@pytest.fixture
def kerpen():
    cohort = CohortFactory(
        programme__name="Mentoring Kerpen",
        programme__matching_policy=MatchingPolicy.INTERNAL,
        programme__mentors_self_register=False,
    )
    city = CohortOrganisationFactory(
        cohort=cohort,
        organisation__name="Stadt Kerpen",
        organisation__departments="Amt für Finanzen\nAmt für Jugend\nPersonalamt",
    ).organisation
    topics = [TopicFactory(programme=cohort.programme, name=f"Thema {n}") for n in range(3)]
    return {"cohort": cohort, "city": city, "topics": topics}


@pytest.fixture
def julia(kerpen):
    """A mentee of Kerpen who names Karin Roth as her supervisor (the address in other case)."""
    return ApplicationFactory(
        accepted=True,
        cohort=kerpen["cohort"],
        organisation=kerpen["city"],
        department="Amt für Finanzen",
        supervisor_email="Karin.Roth@Kerpen.example.org",
        name="Julia Peters",
    )


@pytest.fixture
def karin(kerpen):
    """Julia's supervisor, a mentor of Kerpen."""
    return MentorApplicationFactory(
        accepted=True,
        cohort=kerpen["cohort"],
        organisation=kerpen["city"],
        department="Personalamt",
        applicant__email="karin.roth@kerpen.example.org",
    )


def test_the_mentee_is_never_paired_with_her_supervisor_even_at_the_best_score(
    kerpen, office, julia, karin
):
    cohort, city, topics = kerpen["cohort"], kerpen["city"], kerpen["topics"]
    julia.topics.set(topics)
    karin.topics.set(topics)
    otto = MentorApplicationFactory(
        accepted=True, cohort=cohort, organisation=city, department="Amt für Jugend"
    )
    mentees, _mentors, _left_out = selectors.participants(cohort=cohort)
    assert [(mentee.id, mentee.supervisor_id) for mentee in mentees] == [(julia.pk, karin.pk)]
    run = services.matching_run(cohort=cohort, actor=office)
    assert (pairs_of(run), run.unmatched) == ({(julia.pk, otto.pk)}, [])


@pytest.mark.usefixtures("karin")
def test_with_only_her_supervisor_as_mentor_she_stays_unmatched_with_the_reason(
    client, kerpen, office, julia
):
    cohort = kerpen["cohort"]
    run = services.matching_run(cohort=cohort, actor=office)
    reason = "Einzige mögliche Mentor:in ist die eigene Vorgesetzte."
    assert (pairs_of(run), shown(run.unmatched)) == (
        set(),
        [{"mentee": julia.pk, "reason": reason}],
    )
    client.force_login(office)
    html = client.get(matching_url(cohort, run)).content.decode()
    assert f"Julia Peters (Mentee, Stadt Kerpen): {reason}" in html


def test_the_mentee_is_never_paired_within_her_own_department(kerpen, office):
    cohort, city, topics = kerpen["cohort"], kerpen["city"], kerpen["topics"]
    lena = ApplicationFactory(
        accepted=True, cohort=cohort, organisation=city, department="Amt für Jugend"
    )
    lena.topics.set(topics)
    # Typed by hand before the list existed: the same department all the same.
    same = MentorApplicationFactory(
        accepted=True, cohort=cohort, organisation=city, department=" amt für  Jugend"
    )
    same.topics.set(topics)
    other = MentorApplicationFactory(
        accepted=True, cohort=cohort, organisation=city, department="Personalamt"
    )
    run = services.matching_run(cohort=cohort, actor=office)
    assert pairs_of(run) == {(lena.pk, other.pk)}

    services.tandem_end(
        tandem=services.matching_publish(run=run, actor=office)[0], actor=office, reason="Test"
    )
    other.state = ApplicationState.WITHDRAWN
    other.save()
    alone = services.matching_run(cohort=cohort, actor=office)
    assert (pairs_of(alone), shown(alone.unmatched)) == (
        set(),
        [{"mentee": lena.pk, "reason": "Keine zulässige Mentor:in: 1 im selben Fachbereich."}],
    )


def test_the_department_rule_can_be_switched_off(kerpen, office):
    cohort, city = kerpen["cohort"], kerpen["city"]
    lena = ApplicationFactory(
        accepted=True, cohort=cohort, organisation=city, department="Amt für Jugend"
    )
    same = MentorApplicationFactory(
        accepted=True, cohort=cohort, organisation=city, department="Amt für Jugend"
    )
    config = selectors.settings_for(cohort=cohort)
    config.separate_departments = False
    config.save()
    assert pairs_of(services.matching_run(cohort=cohort, actor=office)) == {(lena.pk, same.pk)}
    assert MatchingRun.objects.count() == 1


# The solver's reasons in internal programmes ---------------------------------------------


def test_the_reason_names_every_rule_that_ruled_a_mentor_out():
    mentors = [
        Mentor(id=100, organisation_id=1, department="Personalamt"),
        Mentor(id=101, organisation_id=1, department="Amt für Jugend"),
        Mentor(id=102, organisation_id=1, department="Amt für Jugend"),
        Mentor(id=103, organisation_id=1, department="Amt für Finanzen"),
        Mentor(id=104, organisation_id=1, department="Amt für Kultur"),
    ]
    mentee = Mentee(
        id=1,
        organisation_id=1,
        department="Amt für Jugend",
        supervisor_id=100,
        vetoes=frozenset({103}),
    )
    proposal = solve(
        [mentee], mentors, policy=INTERNAL, separate_departments=True, forbidden={(1, 104)}
    )
    assert shown(proposal.unmatched) == (
        (
            1,
            "Keine zulässige Mentor:in: die eigene Vorgesetzte, 2 im selben Fachbereich, "
            "1 von der Mentee ausgeschlossen, 1 vom Beirat gesperrt.",
        ),
    )


def test_without_any_mentor_the_reason_says_so():
    proposal = solve([Mentee(id=1, organisation_id=1)], [], policy=INTERNAL)
    assert shown(proposal.unmatched) == ((1, "Es gibt keine Mentor:in mit freiem Platz."),)


def test_a_taken_mentor_is_a_matter_of_capacity_not_of_a_rule():
    mentors = [Mentor(id=100, organisation_id=1, topics=frozenset({1}))]
    mentees = [
        Mentee(id=1, organisation_id=1, topics=frozenset({1})),
        Mentee(id=2, organisation_id=1),
    ]
    proposal = solve(mentees, mentors, policy=INTERNAL)
    assert shown(proposal.unmatched) == ((2, "Keine zulässige Mentor:in hat noch Kapazität."),)
