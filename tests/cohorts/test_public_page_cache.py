"""The public pages' copies in the shared cache (mentoring.public_pages).

An anonymous visitor gets a copy that costs no query; an edit of anything the page shows
is on the next request; a logged-in person, a visitor with a message waiting and every
language get their own page; each visitor gets her own CSRF token.
"""

import datetime as dt
import re

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cohorts import services as cohort_services
from cohorts.enums import CohortState
from tests.factories import (
    BeiratMembershipFactory,
    CohortFactory,
    CohortOrganisationFactory,
    OrganisationFactory,
    ProgrammeOfficeFactory,
    WorkshopFactory,
)

pytestmark = pytest.mark.django_db


def text(response):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def csrf_token(response):
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', response.content.decode())[1]


def queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured), response


@pytest.fixture
def cohort():
    """The one open call, so that the home page is its programme's call page."""
    cohort = CohortFactory(state=CohortState.OPEN)
    participation = CohortOrganisationFactory(cohort=cohort, organisation__name="Stadt Gladbeck")
    BeiratMembershipFactory(
        programme=cohort.programme,
        organisation=participation.organisation,
        user__first_name="Gerda",
        user__last_name="Gleich",
    )
    WorkshopFactory(cohort=cohort, title="Auftaktworkshop")
    return cohort


@pytest.mark.parametrize("organisations", [1, 15])
def test_a_cached_page_costs_no_query_however_many_rows(client, cohort, organisations):
    for _ in range(organisations - 1):
        organisation = OrganisationFactory()
        CohortOrganisationFactory(cohort=cohort, organisation=organisation)
        BeiratMembershipFactory(programme=cohort.programme, organisation=organisation)
    for url in ["/", cohort.programme.get_absolute_url(), cohort.get_absolute_url()]:
        rendered, first = queries(client, url)
        cached, again = queries(client, url)
        assert rendered > 0
        assert cached == 0
        assert text(again) == text(first)
        assert len(re.findall(r'<th scope="row">', again.content.decode())) == organisations


def test_the_cached_page_sends_the_same_headers_and_sets_the_csrf_cookie(client, cohort):
    first = client.get("/")
    visitor = Client()
    again = visitor.get("/")
    for header in ["Content-Type", "Vary", "Content-Language", "Content-Security-Policy"]:
        assert again.get(header) == first.get(header), header
    assert "Cookie" in again["Vary"] and "Accept-Language" in again["Vary"]
    assert settings.CSRF_COOKIE_NAME in again.cookies
    assert "Cache-Control" not in again  # no proxy keeps a page with a CSRF token


@pytest.mark.parametrize(
    "edit",
    [
        "programme name",
        "cohort deadline",
        "organisation name",
        "new participant",
        "contact's name",
        "contact removed",
        "workshop title",
        "new workshop",
        "cohort state by its service",
    ],
)
def test_an_edit_shows_at_once(client, cohort, edit):
    before = text(client.get("/"))
    assert queries(client, "/")[0] == 0  # from now on, the copy
    participation = cohort.participations.get()
    membership = cohort.programme.beirat_memberships.get()
    workshop = cohort.workshops.get()
    if edit == "programme name":
        cohort.programme.name = "Frauen an die Spitze"
        cohort.programme.save()
        expected = "„Frauen an die Spitze“"
    elif edit == "cohort deadline":
        cohort.application_deadline = timezone.make_aware(dt.datetime(2099, 3, 31, 23, 59))
        cohort.save()
        expected = "Bewerbungen sind bis zum 31. März 2099 möglich."
    elif edit == "organisation name":
        participation.organisation.name = "Stadt Gladbeck (Gleichstellungsstelle)"
        participation.organisation.save()
        expected = "Stadt Gladbeck (Gleichstellungsstelle)"
    elif edit == "new participant":
        CohortOrganisationFactory(cohort=cohort, organisation__name="Stadt Marl")
        expected = "Stadt Marl"
    elif edit == "contact's name":
        membership.user.last_name = "Gleichberechtigt"
        membership.user.save(update_fields=["last_name"])
        expected = "Gerda Gleichberechtigt"
    elif edit == "contact removed":
        membership.delete()
        expected = "Stadt Gladbeck – –"
    elif edit == "workshop title":
        workshop.title = "Auftakt und Tandembildung"
        workshop.save()
        expected = "Auftakt und Tandembildung"
    elif edit == "new workshop":
        WorkshopFactory(cohort=cohort, title="Zwischenbilanz")
        expected = "Zwischenbilanz"
    else:
        cohort_services.cohort_transition(
            cohort=cohort, to=CohortState.SELECTION, actor=ProgrammeOfficeFactory()
        )
        expected = "Zurzeit ist kein Jahrgang zur Bewerbung ausgeschrieben."
    assert expected not in before
    assert expected in text(client.get("/"))


def test_a_login_changes_no_public_page(client, cohort):
    membership = cohort.programme.beirat_memberships.get()
    client.get("/")
    membership.user.last_login = timezone.now()
    membership.user.save(update_fields=["last_login"])
    assert queries(client, "/")[0] == 0


def test_the_office_edits_the_programme_in_the_admin_and_the_call_shows_it(client, cohort):
    visitor = Client()
    assert "„Neuer Name“" not in text(visitor.get("/"))
    client.force_login(ProgrammeOfficeFactory())
    programme = cohort.programme
    url = f"/verwaltung/cohorts/programme/{programme.pk}/change/"
    form = client.get(url).context["adminform"].form
    data = {
        **{name: value for name, value in form.initial.items() if value is not None},
        "name": "Neuer Name",
        "organisations": [o.pk for o in programme.organisations.all()],
        "beirat_memberships-TOTAL_FORMS": "0",
        "beirat_memberships-INITIAL_FORMS": "0",
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert "„Neuer Name“" in text(visitor.get("/"))


def test_a_logged_in_person_gets_her_own_page(client, cohort):
    CohortFactory(programme=cohort.programme, state=CohortState.PLANNED, number=99, year=2030)
    anonymous = Client()
    assert "99. Jahrgang" not in text(anonymous.get("/"))
    client.force_login(ProgrammeOfficeFactory())
    own = client.get("/")
    # Rendered for her: the office sees planned cohorts, and her logout button.
    assert own.context is not None
    assert "99. Jahrgang (2030)" in text(own)
    assert "Abmelden" in text(own) and "Anmelden" not in text(own)
    again = anonymous.get("/")
    assert "99. Jahrgang" not in text(again) and "Abmelden" not in text(again)


def test_each_language_has_its_own_copy(client, cohort):
    german = client.get("/")
    english_visitor = Client()
    english_visitor.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = english_visitor.get("/")
    browser = Client(HTTP_ACCEPT_LANGUAGE="en")
    assert "Welche Kosten entstehen?" in text(german)
    assert "Welche Kosten entstehen?" not in text(english)
    assert english["Content-Language"] == "en" and german["Content-Language"] == "de"
    count, again = queries(english_visitor, "/")
    assert count == 0 and text(again) == text(english)
    assert text(browser.get("/")) == text(english)
    assert text(client.get("/")) == text(german)


def test_each_visitor_gets_her_own_csrf_token_and_it_works(cohort):
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    first_page = first.get("/")
    second_page = second.get("/")  # the copy
    token = csrf_token(second_page)
    assert token != csrf_token(first_page)
    assert "\x00" not in second_page.content.decode()
    response = second.post(
        "/i18n/setlang/", {"language": "en", "next": "/", "csrfmiddlewaretoken": token}
    )
    assert response.status_code == 302
    assert "Welche Kosten entstehen?" not in text(second.get("/"))


def test_a_waiting_message_is_shown_and_not_kept_for_others(client, cohort):
    client.get("/konto/bestaetigen/kein-gueltiger-link/")
    mine = client.get("/")
    assert "Dieser Link ist ungültig oder abgelaufen." in text(mine)
    assert "Dieser Link ist ungültig" not in text(Client().get("/"))
    assert "Dieser Link ist ungültig" not in text(client.get("/"))  # shown once


def test_a_deadline_passing_shows_at_once(client, cohort, monkeypatch):
    assert "Als Mentee bewerben" in text(client.get("/"))
    after = cohort.application_deadline + dt.timedelta(seconds=1)
    monkeypatch.setattr(timezone, "now", lambda: after)
    assert "Als Mentee bewerben" not in text(client.get("/"))


def test_a_query_string_is_rendered_not_served_from_the_copy(client, cohort):
    client.get("/")
    count, response = queries(client, "/?utm_source=flyer")
    assert count > 0
    assert 'value="/?utm_source=flyer"' in response.content.decode()
