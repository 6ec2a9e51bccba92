"""The office's erasure pages in a real browser: the preview and erasure on request pass axe."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from applications.enums import ApplicationState
from mentoring.models import ErasureRecord, User
from mentoring.retention import add_months
from tests.browser.conftest import assert_accessible, log_in
from tests.factories import PASSWORD, ApplicationFactory, ProgrammeOfficeFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BERLIN = ZoneInfo("Europe/Berlin")


def test_the_office_previews_and_erases_a_person(page):
    office = ProgrammeOfficeFactory()
    decided = add_months(timezone.localdate() + dt.timedelta(days=5), -6)
    application = ApplicationFactory(
        state=ApplicationState.REJECTED,
        decision_released_at=dt.datetime.combine(decided, dt.time(10), tzinfo=BERLIN),
        applicant__first_name="Sabine",
        applicant__last_name="Kowalski",
    )
    person = application.applicant
    log_in(page, office.email, PASSWORD)

    page.goto("/verwaltung/mentoring/erasurerecord/")
    assert_accessible(page)
    page.get_by_role("link", name="Was in den nächsten 30 Tagen gelöscht wird").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("in den nächsten 30 Tagen")
    expect(page.get_by_role("row", name=str(application.cohort))).to_be_visible()
    assert_accessible(page)

    page.goto(f"/verwaltung/mentoring/user/{person.pk}/change/")
    page.get_by_role("link", name="Auf Antrag löschen (Art. 17 DSGVO) …").click()
    table = page.get_by_role("table", name="Was gelöscht wird und was bleibt")
    expect(table).to_contain_text("Bewerbungen und Teilnahmen")
    assert_accessible(page)
    page.get_by_role("button", name="Endgültig löschen").click()
    expect(page.get_by_text("Bitte bestätigen Sie die Löschung.")).to_be_visible()
    assert_accessible(page)
    assert User.objects.filter(pk=person.pk).exists()

    page.get_by_label("Ich habe den Antrag geprüft.").check()
    page.get_by_role("button", name="Endgültig löschen").click()
    expect(page.get_by_text("Die Person ist gelöscht.")).to_be_visible()
    assert not User.objects.filter(pk=person.pk).exists()
    assert ErasureRecord.objects.filter(kind="person", erased_by=office).count() == 1
