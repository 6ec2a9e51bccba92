"""A mentee logs a contact, her mentor reads it, the officer sees only that it happened."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible
from tests.browser.test_matching_journey import log_in, log_out
from tests.factories import BeiratMembershipFactory, TandemFactory, WorkshopFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
NOTE = "Wir üben das Gespräch mit dem Dezernenten."


def test_contact_is_logged_shared_and_counted_without_its_note(page):
    tandem = TandemFactory(
        mentee__applicant__first_name="Anna",
        mentee__applicant__last_name="Aust",
    )
    WorkshopFactory(cohort=tandem.cohort, title="Zwischenworkshop")
    officer = BeiratMembershipFactory(
        organisation=tandem.mentee.organisation, programme=tandem.cohort.programme
    ).user
    today = timezone.localdate()

    log_in(page, tandem.mentee.applicant.email)
    page.get_by_role("link", name="Mein Tandem").click()
    expect(page.get_by_role("heading", name="Mein Tandem", level=1)).to_be_visible()
    expect(page.get_by_text("Zwischenworkshop")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Kontakt eintragen").click()
    # A date in the future is refused next to the field; what she typed stays.
    page.locator("#id_date").fill(today.replace(year=today.year + 1).isoformat())
    page.get_by_label("Video").check()
    page.locator("#id_duration_minutes").fill("50")
    page.locator("#id_note").fill(NOTE)
    page.get_by_role("button", name="Speichern").click()
    expect(page.get_by_text("Das Datum liegt in der Zukunft.", exact=True)).to_be_visible()
    assert page.locator("#id_note").input_value() == NOTE
    assert_accessible(page)
    page.locator("#id_date").fill(today.isoformat())
    page.get_by_role("button", name="Speichern").click()
    expect(page.get_by_text("Kontakt gespeichert.")).to_be_visible()
    current = page.locator(".month-timeline li.month-done")
    assert current.count() == 1 and "Kontakt" in current.inner_text()
    assert_accessible(page)
    log_out(page)

    log_in(page, tandem.mentor.applicant.email)
    page.goto("/tandem/")
    expect(page.get_by_text(NOTE)).to_be_visible()
    expect(page.get_by_text("eingetragen von Anna Aust")).to_be_visible()
    log_out(page)

    log_in(page, officer.email)
    page.get_by_role("link", name="Mentoringbeirat").click()
    page.get_by_role(
        "link", name=f"Monatskontakte {tandem.cohort.programme.name}, {tandem.cohort.display_title}"
    ).click()
    row = page.locator("tbody tr", has_text="Anna Aust")
    expect(row.locator("td.cell-done")).to_have_count(1)
    assert "Kontakt: Video" in row.inner_text()
    assert NOTE not in page.content()
    assert_accessible(page)
