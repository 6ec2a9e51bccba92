"""The programme office starts "Zertifikatsdruck" in the admin while one already runs."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.conftest import AXE_SCRIPT, WCAG_21_AA, assert_accessible
from tests.browser.test_matching_journey import log_in
from tests.factories import ProgrammeOfficeFactory, running_cohort
from workshops.enums import BatchState
from workshops.models import CertificateBatch

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def admin_form_violations(page):
    """axe on a stock Django admin form, without axe's style sheet preload: it re-injects
    forms.css's @import as an inline style, which the Content-Security-Policy refuses."""
    if not page.evaluate("() => typeof axe !== 'undefined'"):
        page.evaluate(AXE_SCRIPT)
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, preload: false})",
        WCAG_21_AA,
    )
    return [(violation["id"], violation["help"]) for violation in result["violations"]]


def test_the_office_starting_a_second_print_is_shown_the_running_one(page):
    cohort = running_cohort(programme__name="Mit Frauen an die Spitze", number=8)
    chair_started = CertificateBatch.objects.create(
        cohort=cohort, state=BatchState.RUNNING, heartbeat_at=timezone.now(), total=12, done=5
    )
    office = ProgrammeOfficeFactory()

    log_in(page, office.email)
    page.goto("/verwaltung/workshops/certificatebatch/add/")
    assert admin_form_violations(page) == []
    page.get_by_label("Jahrgang").select_option(label=str(cohort))
    page.get_by_role("button", name="Sichern", exact=True).click()

    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Alle Zertifikate als ein PDF: {cohort}"
    )
    expect(page.get_by_text(f"Für {cohort} läuft bereits ein Druck")).to_be_visible()
    expect(page.locator("[data-batch-text]")).to_have_text(
        "Stand: läuft – 5 von 12 Zertifikaten erstellt"
    )
    assert page.url.endswith(f"/druck/{chair_started.pk}/")
    assert CertificateBatch.objects.count() == 1
    assert_accessible(page)
