"""Matching under the programme's rules: consent to pass data on to partner organisations
(cross-sector), never the own supervisor and, where set, never the own department (internal)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from applications.enums import ApplicationState
from cohorts.enums import MatchingPolicy, OrganisationKind
from tandems import services
from tandems.matching import INTERNAL, Mentee, Mentor, solve
from tandems.models import MatchingRun, Tandem
from tests.factories import (
    ApplicationFactory,
    CohortFactory,
    CohortOrganisationFactory,
    MentorApplicationFactory,
    ProgrammeOfficeFactory,
    TopicFactory,
)

pytestmark = pytest.mark.django_db

NO_CONSENT = "keine Einwilligung in die Weitergabe an Partnerorganisationen"


@pytest.fixture
def office():
    return ProgrammeOfficeFactory()


def accepted(factory, cohort, organisation, **kwargs):
    return factory(
        cohort=cohort,
        organisation=organisation,
        state=ApplicationState.ACCEPTED,
        submitted_at=timezone.now(),
        **kwargs,
    )


def matching_url(cohort, run=None):
    url = f"/beirat/jahrgang/{cohort.pk}/tandembildung/"
    return f"{url}?lauf={run.pk}" if run else url


def pairs_of(run):
    return {(pair.mentee_id, pair.mentor_id) for pair in run.pairs.all()}


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
    return accepted(factory, cohort, organisation, transfer_consent_at=timezone.now(), **kwargs)


def test_without_consent_mentee_and_mentor_are_left_out_of_the_matching(cologne, office):
    cohort, city, company = cologne["cohort"], cologne["city"], cologne["company"]
    anna = consenting(ApplicationFactory, cohort, city)
    nina = accepted(ApplicationFactory, cohort, company, transfer_consent_at=None)
    berta = consenting(MentorApplicationFactory, cohort, company)
    # Otto would be Nina's only possible mentor (another organisation), but he did not
    # consent either.
    otto = accepted(MentorApplicationFactory, cohort, city, transfer_consent_at=None)
    run = services.matching_run(cohort=cohort, actor=office)
    assert pairs_of(run) == {(anna.pk, berta.pk)}
    assert run.unmatched == [
        {"mentee": nina.pk, "reason": NO_CONSENT},
        {"mentor": otto.pk, "reason": NO_CONSENT},
    ]


def test_consent_to_pass_data_on_is_not_needed_in_other_programmes(office):
    cohort = CohortFactory()
    bottrop = CohortOrganisationFactory(cohort=cohort).organisation
    gladbeck = CohortOrganisationFactory(cohort=cohort).organisation
    anna = accepted(ApplicationFactory, cohort, bottrop, transfer_consent_at=None)
    berta = accepted(MentorApplicationFactory, cohort, gladbeck, transfer_consent_at=None)
    run = services.matching_run(cohort=cohort, actor=office)
    assert (pairs_of(run), run.unmatched) == ({(anna.pk, berta.pk)}, [])


def test_a_pin_for_someone_without_consent_is_not_applied(cologne, office):
    from tandems.enums import ConstraintKind

    cohort, city, company = cologne["cohort"], cologne["city"], cologne["company"]
    nina = accepted(ApplicationFactory, cohort, company, transfer_consent_at=None)
    otto = consenting(MentorApplicationFactory, cohort, city)
    services.pair_constrain(
        cohort=cohort, mentee=nina, mentor=otto, kind=ConstraintKind.PIN, actor=office
    )
    run = services.matching_run(cohort=cohort, actor=office)
    assert (pairs_of(run), run.unmatched) == (set(), [{"mentee": nina.pk, "reason": NO_CONSENT}])


def test_beirat_page_names_the_people_left_out_and_why(client, cologne, office):
    cohort, city, company = cologne["cohort"], cologne["city"], cologne["company"]
    nina = accepted(
        ApplicationFactory,
        cohort,
        company,
        transfer_consent_at=None,
        applicant__first_name="Nina",
        applicant__last_name="Pohl",
    )
    accepted(
        MentorApplicationFactory,
        cohort,
        city,
        transfer_consent_at=None,
        applicant__first_name="Otto",
        applicant__last_name="Weber",
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


def _queries(client, url):
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_matching_page_queries_do_not_grow_with_the_people_left_out(client, cologne, office):
    cohort, city, company = cologne["cohort"], cologne["city"], cologne["company"]
    consenting(ApplicationFactory, cohort, city)
    consenting(MentorApplicationFactory, cohort, company)
    accepted(ApplicationFactory, cohort, company, transfer_consent_at=None)
    client.force_login(office)
    one = services.matching_run(cohort=cohort, actor=office)
    few = _queries(client, matching_url(cohort, one))
    for _ in range(6):
        accepted(ApplicationFactory, cohort, company, transfer_consent_at=None)
        accepted(MentorApplicationFactory, cohort, city, transfer_consent_at=None)
    many = services.matching_run(cohort=cohort, actor=office)
    assert (len(one.unmatched), len(many.unmatched)) == (1, 13)
    assert _queries(client, matching_url(cohort, many)) == few


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


def test_the_mentee_is_never_paired_with_her_supervisor_even_at_the_best_score(kerpen, office):
    cohort, city, topics = kerpen["cohort"], kerpen["city"], kerpen["topics"]
    julia = accepted(
        ApplicationFactory,
        cohort,
        city,
        department="Amt für Finanzen",
        supervisor_email="Karin.Roth@Kerpen.example.org",
    )
    julia.topics.set(topics)
    karin = accepted(
        MentorApplicationFactory,
        cohort,
        city,
        department="Personalamt",
        applicant__email="karin.roth@kerpen.example.org",
    )
    karin.topics.set(topics)
    otto = accepted(MentorApplicationFactory, cohort, city, department="Amt für Jugend")
    mentees, _mentors, _left_out = services.participants(cohort)
    assert [(mentee.id, mentee.supervisor_id) for mentee in mentees] == [(julia.pk, karin.pk)]
    run = services.matching_run(cohort=cohort, actor=office)
    assert (pairs_of(run), run.unmatched) == ({(julia.pk, otto.pk)}, [])


def test_with_only_her_supervisor_as_mentor_she_stays_unmatched_with_the_reason(
    client, kerpen, office
):
    cohort, city = kerpen["cohort"], kerpen["city"]
    julia = accepted(
        ApplicationFactory,
        cohort,
        city,
        department="Amt für Finanzen",
        supervisor_email="karin.roth@kerpen.example.org",
        applicant__first_name="Julia",
        applicant__last_name="Peters",
    )
    accepted(
        MentorApplicationFactory,
        cohort,
        city,
        department="Personalamt",
        applicant__email="karin.roth@kerpen.example.org",
    )
    run = services.matching_run(cohort=cohort, actor=office)
    reason = "Einzige mögliche Mentor:in ist die eigene Vorgesetzte."
    assert (pairs_of(run), run.unmatched) == (set(), [{"mentee": julia.pk, "reason": reason}])
    client.force_login(office)
    html = client.get(matching_url(cohort, run)).content.decode()
    assert f"Julia Peters (Mentee, Stadt Kerpen): {reason}" in html


def test_the_mentee_is_never_paired_within_her_own_department(kerpen, office):
    cohort, city, topics = kerpen["cohort"], kerpen["city"], kerpen["topics"]
    lena = accepted(ApplicationFactory, cohort, city, department="Amt für Jugend")
    lena.topics.set(topics)
    # Typed by hand before the list existed: the same department all the same.
    same = accepted(MentorApplicationFactory, cohort, city, department=" amt für  Jugend")
    same.topics.set(topics)
    other = accepted(MentorApplicationFactory, cohort, city, department="Personalamt")
    run = services.matching_run(cohort=cohort, actor=office)
    assert pairs_of(run) == {(lena.pk, other.pk)}

    services.tandem_end(
        tandem=services.matching_publish(run=run, actor=office)[0], actor=office, reason="Test"
    )
    other.state = ApplicationState.WITHDRAWN
    other.save()
    alone = services.matching_run(cohort=cohort, actor=office)
    assert (pairs_of(alone), alone.unmatched) == (
        set(),
        [{"mentee": lena.pk, "reason": "Keine zulässige Mentor:in: 1 im selben Fachbereich."}],
    )


def test_the_department_rule_can_be_switched_off(kerpen, office):
    cohort, city = kerpen["cohort"], kerpen["city"]
    lena = accepted(ApplicationFactory, cohort, city, department="Amt für Jugend")
    same = accepted(MentorApplicationFactory, cohort, city, department="Amt für Jugend")
    config = services.settings_for(cohort)
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
    assert proposal.unmatched == (
        (
            1,
            "Keine zulässige Mentor:in: die eigene Vorgesetzte, 2 im selben Fachbereich, "
            "1 von der Mentee ausgeschlossen, 1 vom Beirat gesperrt.",
        ),
    )


def test_without_any_mentor_the_reason_says_so():
    proposal = solve([Mentee(id=1, organisation_id=1)], [], policy=INTERNAL)
    assert proposal.unmatched == ((1, "Es gibt keine Mentor:in mit freiem Platz."),)


def test_a_taken_mentor_is_a_matter_of_capacity_not_of_a_rule():
    mentors = [Mentor(id=100, organisation_id=1, topics=frozenset({1}))]
    mentees = [
        Mentee(id=1, organisation_id=1, topics=frozenset({1})),
        Mentee(id=2, organisation_id=1),
    ]
    proposal = solve(mentees, mentors, policy=INTERNAL)
    assert proposal.unmatched == ((2, "Keine zulässige Mentor:in hat noch Kapazität."),)
