"""The admin's autocomplete boxes are named, closed and open (Select2 names neither)."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, log_in
from tests.factories import PASSWORD, ApplicationFactory, ProgrammeOfficeFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize(
    "path, name",
    [
        ("/verwaltung/applications/careerstep/add/", "Bewerbung"),
        ("/verwaltung/cohorts/beiratmembership/add/", "Person"),
    ],
)
def test_an_empty_autocomplete_box_is_named_and_its_open_search_too(page, path, name):
    ApplicationFactory(accepted=True)
    log_in(page, ProgrammeOfficeFactory().email, PASSWORD)
    page.goto(path)
    box = page.get_by_role("combobox", name=re.compile(rf"^{name}"))
    expect(box).to_be_visible()
    assert_accessible(page)
    box.focus()
    page.keyboard.press("Enter")
    search = page.locator(".select2-container--open .select2-search__field")
    expect(search).to_be_focused()
    expect(search).to_have_attribute("aria-label", re.compile(rf"^{name}"))
    # Once the choices have come (a busy machine shows "Suche läuft…" a moment longer).
    expect(page.locator(".select2-results .loading-results")).to_have_count(0)
    expect(page.locator(".select2-results__option--highlighted")).to_have_count(1)
    assert_accessible(page)
    page.keyboard.press("Escape")
    expect(box).not_to_have_attribute("aria-controls", re.compile(".+"))
