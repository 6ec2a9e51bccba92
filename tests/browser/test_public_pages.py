import io

import pytest
from django.core.management import call_command

from tests.browser.conftest import assert_accessible, axe_violations
from tests.factories import PASSWORD, BeiratMembershipFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo():
    call_command("load_demo", stdout=io.StringIO())


def test_call_page_is_accessible_and_complete(page, demo):
    page.goto("/")
    assert page.locator("html").get_attribute("lang") == "de"
    assert page.locator("h1").count() == 1
    assert page.locator("h1").inner_text() == "„MIT FRAUEN an die Spitze“"
    assert page.get_by_role("row", name="Stadt Gladbeck").count() == 1
    assert_accessible(page)


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
    assert page.get_by_text("E-Mail-Adresse oder Passwort sind nicht korrekt.").is_visible()
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
    assert page.locator("#site-name").inner_text() == "MIT FRAUEN an die Spitze – Verwaltung"


def test_axe_harness_reports_violations(page):
    """The accessibility check can fail: a page with an unlabelled field and no lang."""
    page.set_content("<html><body><main><input type='text'><img src='x.png'></main></body></html>")
    ids = {violation["id"] for violation in axe_violations(page)}
    assert {"html-has-lang", "label", "image-alt"} <= ids
