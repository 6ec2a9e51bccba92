"""The Beirat's matching page and the tandem list: who reaches them, what they do."""

import re

import pytest

from cohorts.enums import BeiratRole
from tandems import services
from tandems.enums import TandemStatus
from tandems.models import MatchingRun, PairConstraint, Tandem
from tests.factories import (
    ApplicationFactory,
    BeiratMembershipFactory,
    CohortFactory,
    CohortOrganisationFactory,
    MentorApplicationFactory,
    ProgrammeOfficeFactory,
    UserFactory,
)
from tests.tandems.runs import queries

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    cohort = CohortFactory()
    bottrop = CohortOrganisationFactory(cohort=cohort, organisation__name="Stadt Bottrop")
    gladbeck = CohortOrganisationFactory(cohort=cohort, organisation__name="Stadt Gladbeck")
    marl = CohortOrganisationFactory(cohort=cohort, organisation__name="Stadt Marl")
    programme = cohort.programme
    return {
        "cohort": cohort,
        "mentee": ApplicationFactory(
            accepted=True, cohort=cohort, organisation=bottrop.organisation
        ),
        "mentor": MentorApplicationFactory(
            accepted=True, cohort=cohort, organisation=gladbeck.organisation
        ),
        "people": {
            "anonymous": None,
            "participant": UserFactory(),
            "bottrop": BeiratMembershipFactory(
                programme=programme, organisation=bottrop.organisation
            ).user,
            "marl": BeiratMembershipFactory(
                programme=programme, organisation=marl.organisation
            ).user,
            "chair": BeiratMembershipFactory(
                programme=programme,
                organisation=marl.organisation,
                role=BeiratRole.CHAIR,
                user__email="chair@example.org",
            ).user,
            "office": ProgrammeOfficeFactory(),
        },
    }


MATRIX = {
    # role:            anonymous, participant, bottrop, marl, chair, office
    "tandembildung/": [302, 403, 403, 403, 200, 200],
    "tandems/": [302, 403, 200, 200, 200, 200],
}


@pytest.mark.parametrize("page", MATRIX)
@pytest.mark.parametrize(
    "index", range(6), ids=["anonymous", "participant", "bottrop", "marl", "chair", "office"]
)
def test_permission_matrix(client, world, page, index):
    role = ["anonymous", "participant", "bottrop", "marl", "chair", "office"][index]
    if world["people"][role]:
        client.force_login(world["people"][role])
    response = client.get(f"/beirat/jahrgang/{world['cohort'].pk}/{page}")
    assert response.status_code == MATRIX[page][index]


@pytest.mark.parametrize("role", ["participant", "bottrop", "marl"])
def test_only_chair_and_office_run_and_publish(client, world, role):
    client.force_login(world["people"][role])
    base = f"/beirat/jahrgang/{world['cohort'].pk}/tandembildung/"
    assert client.post(base + "berechnen/").status_code == 403
    run = services.matching_run(cohort=world["cohort"], actor=world["people"]["office"])
    assert client.post(base + f"{run.pk}/veroeffentlichen/").status_code == 403
    assert not Tandem.objects.exists()


def test_chair_runs_pins_forbids_and_publishes(client, world):
    client.force_login(world["people"]["chair"])
    cohort, mentee, mentor = world["cohort"], world["mentee"], world["mentor"]
    base = f"/beirat/jahrgang/{cohort.pk}/tandembildung/"
    response = client.post(base + "berechnen/", follow=True)
    html = response.content.decode()
    assert "Ein neuer Vorschlag ist berechnet." in html
    assert mentee.applicant.get_full_name() in html
    assert "Stadt Gladbeck" in html

    client.post(base + "paar/", {"mentee": mentee.pk, "mentor": mentor.pk, "kind": "forbid"})
    assert PairConstraint.objects.get().kind == "forbid"
    html = client.post(base + "berechnen/", follow=True).content.decode()
    assert "Keine Mentor:in außerhalb der eigenen Verwaltung ist zulässig" in html

    client.post(base + "paar/", {"mentee": mentee.pk, "mentor": mentor.pk, "kind": "pin"})
    client.post(base + "berechnen/")
    run = MatchingRun.objects.first()
    assert run.pairs.get().pinned is True

    response = client.post(base + f"{run.pk}/veroeffentlichen/", follow=True)
    assert "1 Tandem gebildet" in response.content.decode()
    assert Tandem.objects.get().status == TandemStatus.ACTIVE
    again = client.post(base + f"{run.pk}/veroeffentlichen/", follow=True)
    assert "Dieser Vorschlag ist bereits veröffentlicht." in again.content.decode()
    assert Tandem.objects.count() == 1


def test_a_pair_from_another_cohort_is_refused(client, world):
    client.force_login(world["people"]["chair"])
    stranger = ApplicationFactory()
    response = client.post(
        f"/beirat/jahrgang/{world['cohort'].pk}/tandembildung/paar/",
        {"mentee": stranger.pk, "mentor": world["mentor"].pk, "kind": "pin"},
        follow=True,
    )
    assert "Das Paar gehört nicht zu diesem Jahrgang." in response.content.decode()
    assert not PairConstraint.objects.exists()


def test_a_pin_set_on_a_later_page_of_the_proposal_leads_back_to_that_page(client, world):
    office = world["people"]["office"]
    run = services.matching_run(cohort=world["cohort"], actor=office)
    client.force_login(office)
    base = f"/beirat/jahrgang/{world['cohort'].pk}/tandembildung/"
    pair = {"mentee": world["mentee"].pk, "mentor": world["mentor"].pk, "kind": "pin"}
    response = client.post(base + "paar/", {**pair, "lauf": run.pk, "seite": "2"})
    assert response.url == f"{base}?lauf={run.pk}&seite=2"
    assert 'name="seite" value="1"' in client.get(f"{base}?lauf={run.pk}").content.decode()


def test_a_proposal_or_page_number_in_other_digits_is_ignored(client, world):
    """ "²" passes str.isdigit() but is no number to the database: it answered 500."""
    office = world["people"]["office"]
    run = services.matching_run(cohort=world["cohort"], actor=office)
    client.force_login(office)
    base = f"/beirat/jahrgang/{world['cohort'].pk}/tandembildung/"
    assert client.get(f"{base}?lauf=²").context["run"] == run
    pair = {"mentee": world["mentee"].pk, "mentor": world["mentor"].pk, "kind": "pin"}
    assert client.post(base + "paar/", {**pair, "lauf": "²"}).url == base
    response = client.post(base + "paar/", {**pair, "lauf": run.pk, "seite": "²"})
    assert response.url == f"{base}?lauf={run.pk}"


def test_negative_weight_is_an_error_next_to_the_field(client, world):
    client.force_login(world["people"]["office"])
    response = client.post(
        f"/beirat/jahrgang/{world['cohort'].pk}/tandembildung/gewichte/",
        {
            "weight_topics": "-1",
            "weight_kind": "1",
            "weight_level": "1",
            "weight_distance": "1",
            "weight_wish": "2",
            "max_distance_km": "100",
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Gewichte dürfen nicht negativ sein." in html
    assert 'value="-1"' in html


def test_the_links_on_the_weights_error_page_lead_to_the_matching_page(client, world):
    """The errors are shown at the form's address, which takes only a POST: a link of the
    page that only adds a query (``?lauf=…``) answered 405 from there."""
    office = world["people"]["office"]
    run = services.matching_run(cohort=world["cohort"], actor=office)
    client.force_login(office)
    url = f"/beirat/jahrgang/{world['cohort'].pk}/tandembildung/"
    response = client.post(f"{url}gewichte/", {"weight_topics": "-1"})
    links = re.findall(r'href="([^"]*lauf=[^"]*)"', response.content.decode())
    assert links == [f"{url}?lauf={run.pk}"]
    assert client.get(links[0]).status_code == 200


def test_officer_sees_her_peoples_tandems_and_ends_one_with_a_reason(client, world):
    office = world["people"]["office"]
    run = services.matching_run(cohort=world["cohort"], actor=office)
    (tandem,) = services.matching_publish(run=run, actor=office)
    url = f"/beirat/jahrgang/{world['cohort'].pk}/tandems/"
    client.force_login(world["people"]["marl"])
    html = client.get(url).content.decode()
    assert world["mentee"].applicant.get_full_name() not in html
    assert client.post(f"/beirat/tandem/{tandem.pk}/beenden/", {"reason": "x"}).status_code == 403

    client.force_login(world["people"]["bottrop"])
    assert world["mentee"].applicant.get_full_name() in client.get(url).content.decode()
    response = client.post(
        f"/beirat/tandem/{tandem.pk}/beenden/", {"reason": "", "category": "absence"}, follow=True
    )
    assert "Bitte geben Sie den Grund an." in response.content.decode()
    client.post(
        f"/beirat/tandem/{tandem.pk}/beenden/",
        {"reason": "Elternzeit der Mentee", "category": "absence"},
    )
    tandem.refresh_from_db()
    assert (tandem.status, tandem.end_reason, tandem.end_category) == (
        TandemStatus.ENDED,
        "Elternzeit der Mentee",
        "absence",
    )


@pytest.mark.parametrize("role", ["bottrop", "chair"])
def test_tandem_list_does_not_grow_for_officers(client, world, role):
    office = world["people"]["office"]
    cohort = world["cohort"]
    services.matching_publish(run=services.matching_run(cohort=cohort, actor=office), actor=office)
    client.force_login(world["people"][role])
    url = f"/beirat/jahrgang/{cohort.pk}/tandems/"
    few = queries(client, url)
    bottrop, gladbeck = world["mentee"].organisation, world["mentor"].organisation
    for _ in range(8):
        ApplicationFactory(accepted=True, cohort=cohort, organisation=bottrop)
        MentorApplicationFactory(accepted=True, cohort=cohort, organisation=gladbeck)
    services.matching_publish(run=services.matching_run(cohort=cohort, actor=office), actor=office)
    assert Tandem.objects.count() == 9
    assert queries(client, url) == few


def test_matching_page_and_tandem_list_do_not_grow(client, world):
    office = world["people"]["office"]
    client.force_login(office)
    cohort = world["cohort"]
    small = services.matching_run(cohort=cohort, actor=office)
    services.matching_publish(run=small, actor=office)
    base = f"/beirat/jahrgang/{cohort.pk}/"
    few = (
        queries(client, f"{base}tandembildung/?lauf={small.pk}"),
        queries(client, f"{base}tandems/"),
    )
    bottrop, gladbeck = world["mentee"].organisation, world["mentor"].organisation
    for _ in range(12):
        ApplicationFactory(accepted=True, cohort=cohort, organisation=bottrop)
        MentorApplicationFactory(accepted=True, cohort=cohort, organisation=gladbeck)
    large = services.matching_run(cohort=cohort, actor=office)
    services.matching_publish(run=large, actor=office)
    assert (small.pairs.count(), large.pairs.count(), Tandem.objects.count()) == (1, 12, 13)
    many = (
        queries(client, f"{base}tandembildung/?lauf={large.pk}"),
        queries(client, f"{base}tandems/"),
    )
    assert many == few


def test_officer_rematches_a_mentee_whose_tandem_ended(
    client, world, django_capture_on_commit_callbacks
):
    from django.core import mail

    office = world["people"]["office"]
    cohort = world["cohort"]
    (tandem,) = services.matching_publish(
        run=services.matching_run(cohort=cohort, actor=office), actor=office
    )
    marl = world["people"]["marl"].beirat_memberships.get().organisation
    new_mentor = MentorApplicationFactory(accepted=True, cohort=cohort, organisation=marl)
    client.force_login(world["people"]["bottrop"])
    refused = client.post(f"/beirat/tandem/{tandem.pk}/neu-zuordnen/", follow=True)
    assert "Neu zugeordnet wird nur nach einem vorzeitigen Ende." in refused.content.decode()
    client.post(
        f"/beirat/tandem/{tandem.pk}/beenden/",
        {"reason": "Wechsel der Mentorin", "category": "job_change"},
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/beirat/tandem/{tandem.pk}/neu-zuordnen/")
    active = Tandem.objects.get(mentee=world["mentee"], status=TandemStatus.ACTIVE)
    assert active.mentor in (new_mentor, world["mentor"])
    assert len(mail.outbox) == 2
    again = client.post(f"/beirat/tandem/{tandem.pk}/neu-zuordnen/", follow=True)
    assert "Die Mentee hat bereits ein aktives Tandem." in again.content.decode()
    client.force_login(world["people"]["marl"])
    assert client.post(f"/beirat/tandem/{tandem.pk}/neu-zuordnen/").status_code == 403


def test_beirat_start_page_links_each_cohort_by_role(client, world):
    cohort = world["cohort"]
    client.force_login(world["people"]["bottrop"])
    html = client.get("/beirat/").content.decode()
    assert f'href="/beirat/jahrgang/{cohort.pk}/tandems/"' in html
    assert f'href="/beirat/jahrgang/{cohort.pk}/tandembildung/"' not in html
    assert 'href="/beirat/"' in html  # in the navigation
    client.force_login(world["people"]["chair"])
    assert (
        f'href="/beirat/jahrgang/{cohort.pk}/tandembildung/"'
        in client.get("/beirat/").content.decode()
    )
    client.force_login(world["people"]["participant"])
    assert client.get("/beirat/").status_code == 403
    assert 'href="/beirat/"' not in client.get("/tandem/").content.decode()


def test_beirat_start_page_names_each_cohort_once(client, world):
    cohort = world["cohort"]
    client.force_login(world["people"]["chair"])
    name = f"{cohort.programme.name}: {cohort.number}. Jahrgang {cohort.year}</th>"
    assert name in client.get("/beirat/").content.decode()
    # A cohort with a title of its own is also called by its number.
    cohort.title = "Herbstjahrgang"
    cohort.save()
    assert f"{cohort.programme.name}: Herbstjahrgang ({cohort.number}. Jahrgang)</th>" in (
        client.get("/beirat/").content.decode()
    )


@pytest.mark.parametrize("role", ["chair", "office"])
def test_beirat_start_page_query_count_does_not_grow(client, world, role):
    client.force_login(world["people"][role])
    few = queries(client, "/beirat/")
    for _ in range(10):
        CohortFactory(programme=world["cohort"].programme)
    assert queries(client, "/beirat/") == few
