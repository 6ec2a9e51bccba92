"""Each role lands on her start page, in Chromium, at 1280 px and on a 320 px phone."""

import io
import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from .conftest import assert_accessible, log_in

pytestmark = pytest.mark.browser


@pytest.fixture
def logins(transactional_db):
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def running_mentee(output):
    section = output[output.index("\n  MIT FRAUEN an die Spitze\n") :]
    return re.search(r"Mentee im laufenden Tandem\s+(\S+)", section).group(1)


def test_officer_lands_on_her_queue_and_follows_it(page, logins):
    page.set_viewport_size({"width": 1280, "height": 900})
    log_in(page, "gleichstellung@kreis-recklinghausen.example.org")
    page.wait_for_url("**/start/")
    expect(page.locator("h1")).to_have_text("Guten Tag, Martina")
    assert_accessible(page)
    page.get_by_role("link", name="Bewerbungen ohne Ihre Bewertung").first.click()
    page.wait_for_url(re.compile(r"/verwaltung/applications/application/\?.*aufgabe=bewertung"))
    assert page.locator("#changelist").count() == 1


def test_mentee_on_a_phone_opens_the_menu_and_sees_what_is_missing(page, logins):
    log_in(page, running_mentee(logins))
    page.wait_for_url("**/start/")
    page.set_viewport_size({"width": 320, "height": 800})
    page.reload()
    expect(page.get_by_text("Kontakt in diesem Monat noch nicht eingetragen")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    menu = page.locator("details.nav-menu")
    expect(page.get_by_role("link", name="Mein Tandem")).not_to_be_visible()
    menu.locator("summary").click()
    expect(page.get_by_role("link", name="Mein Tandem")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Mein Tandem").click()
    expect(page.locator("h1")).to_have_text("Mein Tandem")
