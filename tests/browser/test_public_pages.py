import io

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, axe_violations
from tests.factories import PASSWORD, BeiratMembershipFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo():
    call_command("load_demo", stdout=io.StringIO())


def test_home_lists_the_programmes_and_is_accessible(page, demo):
    page.goto("/")
    assert page.locator("html").get_attribute("lang") == "de"
    expect(page.locator("h1")).to_have_text("Mentoring-Programme")
    assert page.locator("main h2").all_inner_texts() == [
        "MIT FRAUEN an die Spitze",
        "Interkommunales Cross-Mentoring Köln–Düsseldorf",
        "Internes Mentoring der Stadt Kerpen",
        "Mit Frauen in Führung – Cross-Mentoring Köln",
    ]
    assert_accessible(page)
    page.get_by_role("link", name="Internes Mentoring der Stadt Kerpen").click()
    expect(page.locator("h1")).to_have_text("„Internes Mentoring der Stadt Kerpen“")


def test_call_page_is_accessible_and_complete(page, demo):
    page.goto("/programm/mit-frauen-an-die-spitze/")
    assert page.locator("html").get_attribute("lang") == "de"
    assert page.locator("h1").count() == 1
    expect(page.locator("h1")).to_have_text("„MIT FRAUEN an die Spitze“")
    assert page.get_by_role("row", name="Stadt Gladbeck").count() == 1
    assert_accessible(page)


@pytest.mark.parametrize(
    ("slug", "accent"),
    [
        ("interkommunal-koeln-duesseldorf", "rgb(23, 69, 138)"),
        ("mit-frauen-in-fuehrung-koeln", "rgb(0, 85, 96)"),
        ("internes-mentoring-kerpen", "rgb(26, 86, 50)"),
    ],
)
def test_other_programmes_call_pages_are_accessible_in_their_colour(page, demo, slug, accent):
    page.goto(f"/programm/{slug}/")
    assert page.locator("h1").count() == 1
    navbar = page.locator(".navbar-mf")
    assert navbar.evaluate("element => getComputedStyle(element).backgroundColor") == accent
    assert_accessible(page)
    with page.expect_navigation():
        page.locator("#cohorts-heading + ul a").first.click()
    assert page.locator("h1").count() == 1
    assert navbar.evaluate("element => getComputedStyle(element).backgroundColor") == accent
    assert_accessible(page)


def test_navigation_stays_on_one_row_at_1280_pixels(page, demo):
    officer = BeiratMembershipFactory(user__email="gb@kerpen.example.org").user
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto("/konto/anmelden/")
    page.get_by_label("E-Mail-Adresse").fill(officer.email)
    page.get_by_label("Passwort").fill(PASSWORD)
    page.get_by_role("button", name="Anmelden").last.click()
    page.goto("/programm/internes-mentoring-kerpen/")
    tops = page.locator(".navbar-mf ul.d-md-flex > .nav-item").evaluate_all(
        "items => items.map(item => Math.round(item.getBoundingClientRect().top))"
    )
    # Start, Programme, Beirat, Verwaltung, Konto and the logout button.
    assert len(tops) == 6
    assert len(set(tops)) == 1


def test_skip_link_is_the_first_stop_and_visible_on_focus(page, demo):
    page.goto("/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent")
    assert focused == "Zum Inhalt springen"
    box = page.locator(".skip-link").bounding_box()
    assert box["y"] >= 0
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#main"


@pytest.mark.parametrize(
    "path",
    [
        "/programm/mit-frauen-an-die-spitze/jahrgang/8/",
        "/programm/mit-frauen-an-die-spitze/jahrgang/9/",
        "/konto/anmelden/",
        "/konto/passwort/vergessen/",
        "/impressum/",
        "/datenschutz/",
        "/barrierefreiheit/",
        "/gibt-es-nicht/",
    ],
)
def test_public_pages_are_accessible(page, demo, path):
    page.goto(path)
    assert page.locator("h1").count() == 1
    assert_accessible(page)


def test_login_error_is_accessible_and_keeps_the_address(page, demo):
    page.goto("/konto/anmelden/")
    page.get_by_label("E-Mail-Adresse").fill("gleichstellung@bottrop.example.org")
    page.get_by_label("Passwort").fill("falsch")
    page.get_by_role("button", name="Anmelden").last.click()
    expect(page.get_by_text("E-Mail-Adresse oder Passwort sind nicht korrekt.")).to_be_visible()
    assert page.get_by_label("E-Mail-Adresse").input_value() == (
        "gleichstellung@bottrop.example.org"
    )
    assert_accessible(page)


def test_officer_logs_in_and_finds_the_admin(page):
    officer = BeiratMembershipFactory(user__email="gb@bottrop.example.org").user
    page.goto("/konto/anmelden/")
    page.get_by_label("E-Mail-Adresse").fill(officer.email)
    page.get_by_label("Passwort").fill(PASSWORD)
    page.get_by_role("button", name="Anmelden").last.click()
    page.get_by_role("link", name="Verwaltung").click()
    expect(page.locator("#site-name")).to_have_text("Cross-Mentoring – Verwaltung")


def test_axe_harness_reports_violations(page):
    """The accessibility check can fail: a page with an unlabelled field and no lang."""
    page.set_content("<html><body><main><input type='text'><img src='x.png'></main></body></html>")
    ids = {violation["id"] for violation in axe_violations(page)}
    assert {"html-has-lang", "label", "image-alt"} <= ids
