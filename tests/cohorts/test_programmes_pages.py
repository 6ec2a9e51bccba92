"""The home page lists the active programmes; each programme has its own call and look."""

import datetime as dt
import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import formats, timezone, translation

from cohorts.enums import CallTheme, CohortState, MatchingPolicy, OrganisationKind
from tests.factories import (
    BeiratMembershipFactory,
    CohortFactory,
    CohortOrganisationFactory,
    OrganisationFactory,
    ProgrammeFactory,
    ProgrammeOfficeFactory,
    WorkshopFactory,
)

pytestmark = pytest.mark.django_db


def text(html):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


def listed_programmes(response):
    """(name, link) of each programme card on the home page, in order."""
    html = response.content.decode()
    return [
        (name, href)
        for href, name in re.findall(r'id="programme-[^"]+"><a href="([^"]+)">([^<]+)</a>', html)
    ]


def cards(response):
    """The text of each programme card on the home page, in order."""
    html = response.content.decode()
    return [text(card) for card in re.findall(r"<article[^>]*>(.*?)</article>", html, re.S)]


def section(response, heading_id):
    html = response.content.decode()
    match = re.search(rf'<section aria-labelledby="{heading_id}".*?</section>', html, re.S)
    return match.group(0) if match else None


def items(fragment):
    return [text(item) for item in re.findall(r"<li>(.*?)</li>", fragment, re.S)]


def heading(response, heading_id):
    html = response.content.decode()
    return text(re.search(rf'<h2 id="{heading_id}"[^>]*>(.*?)</h2>', html, re.S).group(1))


def body_class(response):
    return re.search(r'<body class="([^"]+)"', response.content.decode()).group(1)


def column_header(response):
    """The header of the contact table's first column: "Verwaltung" or "Organisation"."""
    html = response.content.decode()
    return re.search(r'<thead><tr><th scope="col">([^<]+)</th>', html).group(1)


def german_date(value):
    with translation.override("de"):
        return formats.date_format(timezone.localtime(value), "j. F Y")


def programme_with(state, name, **programme):
    cohort = CohortFactory(programme=ProgrammeFactory(name=name, **programme), state=state)
    return cohort.programme


@pytest.fixture
def four_programmes():
    """Four active programmes (two open calls, one running, one in selection), one inactive."""
    now = timezone.now()
    alpha = programme_with(CohortState.OPEN, "Alpha", theme=CallTheme.PETROL)
    alpha.cohorts.update(application_deadline=now + dt.timedelta(days=30))
    gamma = programme_with(CohortState.OPEN, "Gamma", theme=CallTheme.BLUE)
    gamma.cohorts.update(application_deadline=now + dt.timedelta(days=10))
    beta = programme_with(
        CohortState.RUNNING,
        "Beta",
        matching_policy=MatchingPolicy.INTERNAL,
        theme=CallTheme.GREEN,
        organiser="Stadt Beta, Gleichstellungsreferat",
    )
    delta = programme_with(CohortState.SELECTION, "Delta")
    delta.organisations.add(OrganisationFactory(name="Muster AG", kind=OrganisationKind.COMPANY))
    epsilon = programme_with(CohortState.FINISHED, "Epsilon")
    CohortFactory(programme=epsilon, state=CohortState.PLANNED)
    return {"alpha": alpha, "beta": beta, "gamma": gamma, "delta": delta, "epsilon": epsilon}


# The home page


def test_home_lists_active_programmes_open_calls_first_then_by_name(client, four_programmes):
    response = client.get("/")
    assert response.status_code == 200
    assert [template.name for template in response.templates][0] == "cohorts/home.html"
    assert listed_programmes(response) == [
        ("Gamma", four_programmes["gamma"].get_absolute_url()),
        ("Alpha", four_programmes["alpha"].get_absolute_url()),
        ("Beta", four_programmes["beta"].get_absolute_url()),
        ("Delta", four_programmes["delta"].get_absolute_url()),
    ]


def test_programme_with_only_finished_and_planned_cohorts_is_not_listed(client, four_programmes):
    response = client.get("/")
    names = [name for name, _link in listed_programmes(response)]
    assert "Epsilon" not in names
    assert len(names) == 4


def test_home_card_says_kind_organiser_and_deadline(client, four_programmes):
    response = client.get("/")
    gamma_deadline = german_date(four_programmes["gamma"].cohorts.get().application_deadline)
    alpha_deadline = german_date(four_programmes["alpha"].cohorts.get().application_deadline)
    tagline = "Cross-Mentoring für Frauen in Kommunalverwaltungen"
    assert cards(response) == [
        f"Gamma {tagline} Art Cross-Mentoring zwischen Verwaltungen Träger Studieninstitut "
        f"Bewerbung Bewerbung bis {gamma_deadline}",
        f"Alpha {tagline} Art Cross-Mentoring zwischen Verwaltungen Träger Studieninstitut "
        f"Bewerbung Bewerbung bis {alpha_deadline}",
        f"Beta {tagline} Art Internes Mentoring in einer Verwaltung "
        "Träger Stadt Beta, Gleichstellungsreferat "
        "Bewerbung Zurzeit keine offene Ausschreibung",
        f"Delta {tagline} Art Cross-Mentoring zwischen Verwaltung und Unternehmen "
        "Träger Studieninstitut Bewerbung Zurzeit keine offene Ausschreibung",
    ]


def test_home_card_of_an_announced_call_says_when_it_opens(client):
    soon = programme_with(CohortState.OPEN, "Bald")
    soon.cohorts.update(application_opens_at=timezone.now() + dt.timedelta(days=3))
    programme_with(CohortState.RUNNING, "Laufend")
    response = client.get("/")
    opens = german_date(soon.cohorts.get().application_opens_at)
    assert [card.split(" Bewerbung ", 1)[1] for card in cards(response)] == [
        f"Bewerbung ab {opens}",
        "Zurzeit keine offene Ausschreibung",
    ]


def test_home_cards_carry_their_programme_theme(client, four_programmes):
    html = client.get("/").content.decode()
    assert re.findall(r'<article class="card h-100 programme-card (theme-\w+)"', html) == [
        "theme-blue",
        "theme-petrol",
        "theme-green",
        "theme-aubergine",
    ]


def test_home_with_one_programme_is_its_call_page(client):
    programme = programme_with(CohortState.OPEN, "Einzig")
    response = client.get("/")
    assert response.status_code == 200
    assert response.context["programme"] == programme
    assert [template.name for template in response.templates][0] == "cohorts/call.html"
    assert "Brotkrumen" not in response.content.decode()


def test_home_with_one_active_programme_among_inactive_ones_is_its_call_page(client):
    programme_with(CohortState.FINISHED, "Vorbei")
    active = programme_with(CohortState.RUNNING, "Aktiv")
    response = client.get("/")
    assert response.context["programme"] == active
    assert [template.name for template in response.templates][0] == "cohorts/call.html"


def test_home_with_one_programme_and_no_active_cohort_stays_its_call_page(client):
    programme = programme_with(CohortState.FINISHED, "Einzig")
    response = client.get("/")
    assert response.context["programme"] == programme
    assert "Zurzeit ist kein Jahrgang zur Bewerbung ausgeschrieben." in text(
        response.content.decode()
    )


def test_home_without_programmes_says_none_is_set_up(client):
    response = client.get("/")
    assert response.status_code == 200
    assert "Es ist noch kein Programm eingerichtet." in text(response.content.decode())


def test_home_with_several_inactive_programmes_lists_them_with_a_note(client):
    programme_with(CohortState.FINISHED, "Zweites")
    ProgrammeFactory(name="Erstes")
    response = client.get("/")
    assert [name for name, _link in listed_programmes(response)] == ["Erstes", "Zweites"]
    assert "Zurzeit ist in keinem Programm ein Jahrgang ausgeschrieben oder aktiv." in text(
        response.content.decode()
    )


# Each programme's call page


def test_call_page_lists_the_programmes_own_requirements(client):
    programme = programme_with(
        CohortState.OPEN,
        "Eigenes",
        mentee_requirements="Sie arbeiten bei der Stadt.\n\n  Sie führen ein Team.  \n",
        mentor_requirements="Sie leiten ein Amt.",
    )
    response = client.get(programme.get_absolute_url())
    assert response.status_code == 200
    assert items(section(response, "mentee-heading")) == [
        "Sie arbeiten bei der Stadt.",
        "Sie führen ein Team.",
    ]
    assert items(section(response, "mentor-heading")) == ["Sie leiten ein Amt."]
    assert "Laufbahngruppe 2" not in response.content.decode()


def test_call_page_without_requirements_leaves_those_sections_out(client):
    programme = programme_with(CohortState.OPEN, "Ohne", mentee_requirements="\n \n")
    response = client.get(programme.get_absolute_url())
    assert section(response, "mentee-heading") is None
    assert section(response, "mentor-heading") is None
    assert heading(response, "costs-heading") == "Welche Kosten entstehen?"


def test_call_and_cohort_page_carry_the_programme_theme(client):
    programme = programme_with(CohortState.OPEN, "Petrol", theme=CallTheme.PETROL)
    cohort = programme.cohorts.get()
    for url in [programme.get_absolute_url(), cohort.get_absolute_url()]:
        response = client.get(url)
        assert body_class(response) == "d-flex flex-column min-vh-100 theme-petrol", url


def test_other_pages_keep_the_default_look(client):
    assert body_class(client.get("/impressum/")) == "d-flex flex-column min-vh-100"


def test_internal_programme_explains_internal_mentoring(client):
    programme = programme_with(
        CohortState.OPEN, "Intern", matching_policy=MatchingPolicy.INTERNAL, organiser="Stadt X"
    )
    CohortOrganisationFactory(cohort=programme.cohorts.get())
    response = client.get(programme.get_absolute_url())
    assert heading(response, "what-heading") == "Was ist internes Mentoring?"
    assert "Programmträger: Stadt X." in text(response.content.decode())
    assert column_header(response) == "Verwaltung"


def test_cross_programme_explains_cross_mentoring(client):
    programme = programme_with(CohortState.OPEN, "Cross")
    CohortOrganisationFactory(cohort=programme.cohorts.get())
    response = client.get(programme.get_absolute_url())
    assert heading(response, "what-heading") == "Was ist Cross-Mentoring?"
    assert column_header(response) == "Verwaltung"


def test_cross_sector_cohort_calls_its_partners_organisations(client):
    programme = programme_with(CohortState.OPEN, "Mit Unternehmen")
    cohort = programme.cohorts.get()
    company = OrganisationFactory(name="Muster AG", kind=OrganisationKind.COMPANY)
    programme.organisations.add(company)
    CohortOrganisationFactory(cohort=cohort, organisation=company)
    CohortOrganisationFactory(cohort=cohort)
    for url in [programme.get_absolute_url(), cohort.get_absolute_url()]:
        response = client.get(url)
        assert column_header(response) == "Organisation", url
    page = text(client.get(programme.get_absolute_url()).content.decode())
    assert "Teilnehmende Organisationen und Ansprechpartnerinnen" in page
    assert "Eine Kooperation der teilnehmenden Verwaltungen und Unternehmen" in page


@pytest.mark.parametrize(
    "path",
    [
        "/programm/gibt-es-nicht/",
        "/programm/gibt-es-nicht/jahrgang/1/",
        "/programm/%C3%A4rger/",
        "/programm/ohne/jahrgang/99/",
        "/programm/ohne/jahrgang/99999999999999999999/",
    ],
)
def test_unknown_programme_or_cohort_is_a_404(client, path):
    programme_with(CohortState.OPEN, "Ohne", slug="ohne")
    assert client.get(path).status_code == 404


def test_cohort_number_of_another_programme_is_a_404(client):
    here = programme_with(CohortState.OPEN, "Hier")
    there = CohortFactory(programme=ProgrammeFactory(), state=CohortState.OPEN)
    assert client.get(f"{here.get_absolute_url()}jahrgang/{there.number}/").status_code == 404


def test_planned_cohort_is_hidden_from_the_public_but_not_from_the_office(client):
    programme = programme_with(CohortState.OPEN, "Geplant")
    shown = programme.cohorts.get()
    planned = CohortFactory(programme=programme, state=CohortState.PLANNED)
    cohort_links = r'href="(/programm/[^"]+/jahrgang/\d+/)"'

    html = client.get(programme.get_absolute_url()).content.decode()
    assert re.findall(cohort_links, html) == [shown.get_absolute_url()]
    assert client.get(planned.get_absolute_url()).status_code == 404

    client.force_login(ProgrammeOfficeFactory())
    html = client.get(programme.get_absolute_url()).content.decode()
    assert re.findall(cohort_links, html) == [
        planned.get_absolute_url(),
        shown.get_absolute_url(),
    ]
    assert client.get(planned.get_absolute_url()).status_code == 200


def test_cohort_page_links_back_to_its_programme_and_the_list(client, four_programmes):
    cohort = four_programmes["beta"].cohorts.get()
    html = client.get(cohort.get_absolute_url()).content.decode()
    crumbs = re.search(r'<ol class="breadcrumb">(.*?)</ol>', html, re.S).group(1)
    assert re.findall(r'<a href="([^"]+)">([^<]+)</a>', crumbs) == [
        ("/", "Programme"),
        (four_programmes["beta"].get_absolute_url(), "Beta"),
    ]


def test_call_page_links_to_the_list_only_when_there_is_one(client, four_programmes):
    html = client.get(four_programmes["alpha"].get_absolute_url()).content.decode()
    assert '<li class="breadcrumb-item"><a href="/">Programme</a></li>' in html

    single = programme_with(CohortState.OPEN, "Allein")
    for programme in four_programmes.values():
        programme.cohorts.update(state=CohortState.FINISHED)
    html = client.get(single.get_absolute_url()).content.decode()
    assert "breadcrumb" not in html


# Queries do not grow with programmes, cohorts or organisations


def _queries(client, url):
    """The queries of rendering ``url``; not its copy in the cache (test_public_page_cache)."""
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def _cohorts(programme, count, organisations):
    for _ in range(count):
        cohort = CohortFactory(programme=programme, state=CohortState.RUNNING)
        for _ in range(organisations):
            organisation = OrganisationFactory()
            programme.organisations.add(organisation)
            CohortOrganisationFactory(cohort=cohort, organisation=organisation)
            BeiratMembershipFactory(programme=programme, organisation=organisation)
        WorkshopFactory(cohort=cohort)


def test_home_list_query_count_does_not_grow_with_programmes_and_cohorts(client):
    programme_with(CohortState.OPEN, "Eins")
    programme_with(CohortState.RUNNING, "Zwei")
    few = _queries(client, "/")

    for name in ["Drei", "Vier"]:
        _cohorts(programme_with(CohortState.OPEN, name), count=3, organisations=3)
    programme_with(CohortState.FINISHED, "Fünf")
    response = client.get("/")
    assert len(listed_programmes(response)) == 4
    many = _queries(client, "/")
    # The programmes; when the page next changes by the clock (for its cached copy).
    assert (few, many) == (2, 2)


def test_home_with_one_programme_query_count_does_not_grow_with_cohorts(client):
    programme = programme_with(CohortState.OPEN, "Einzig")
    CohortOrganisationFactory(cohort=programme.cohorts.get())
    few = _queries(client, "/")

    _cohorts(programme, count=4, organisations=5)
    open_cohort = programme.cohorts.get(state=CohortState.OPEN)
    for _ in range(10):
        CohortOrganisationFactory(cohort=open_cohort)
    many = _queries(client, "/")
    # Programmes, open call, cohorts, organisations, their contacts, workshops; when the
    # page next changes by the clock.
    assert (few, many) == (7, 7)


@pytest.mark.parametrize("page", ["call", "cohort"])
def test_programme_pages_query_count_does_not_grow(client, page):
    programme = programme_with(CohortState.OPEN, "Eins")
    programme_with(CohortState.RUNNING, "Zwei")
    cohort = programme.cohorts.get()
    CohortOrganisationFactory(cohort=cohort)
    url = programme.get_absolute_url() if page == "call" else cohort.get_absolute_url()
    few = _queries(client, url)

    _cohorts(programme, count=4, organisations=5)
    for name in ["Drei", "Vier"]:
        _cohorts(programme_with(CohortState.OPEN, name), count=2, organisations=2)
    for _ in range(10):
        organisation = OrganisationFactory()
        CohortOrganisationFactory(cohort=cohort, organisation=organisation)
        BeiratMembershipFactory(programme=programme, organisation=organisation)
        WorkshopFactory(cohort=cohort)
    many = _queries(client, url)
    # The programme, how many are listed at home, then as on the single-programme page;
    # when the page next changes by the clock.
    assert (few, many) == (8, 8)
