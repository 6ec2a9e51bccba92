"""An Emscher-Lippe officer scores an application of the open call and proposes a decision.

On the demo, in the admin: the list shows its deciding columns at 1280 px without scrolling
sideways, the application's page takes her scores, comment and decision in one form (an
error stays next to its field and keeps what she typed), and a decided application is a
page to read. Every page passes axe.
"""

import pytest
from playwright.sync_api import expect

from applications.enums import ApplicationState, Decision
from applications.models import Application, Review
from cohorts.enums import CohortState
from cohorts.models import Cohort
from tests.browser.conftest import assert_accessible
from tests.browser.test_programme_journeys import load_demo, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

OFFICER = "gleichstellung@bottrop.example.org"
DESKTOP = {"width": 1280, "height": 900}
LIST_URL = "/verwaltung/applications/application/"


def assert_list_fits(page):
    """Neither the page nor the table of results scrolls sideways."""
    widths = page.evaluate(
        """() => {
            const results = document.querySelector('#changelist .results');
            return [document.documentElement.scrollWidth, window.innerWidth,
                    results.scrollWidth, results.clientWidth];
        }"""
    )
    assert widths[0] <= widths[1] and widths[2] <= widths[3], widths


def test_an_officer_scores_and_proposes_a_decision_on_the_applications_page(page):
    load_demo()
    cohort = Cohort.objects.get(programme__name="MIT FRAUEN an die Spitze", state=CohortState.OPEN)
    application = (
        Application.objects.filter(
            cohort=cohort,
            organisation__name="Stadt Bottrop",
            state__in=ApplicationState.under_review(),
            pending_decision="",
        )
        .select_related("applicant")
        .order_by("pk")
        .first()
    )
    assert application is not None
    name = application.applicant.get_full_name()
    page.set_viewport_size(DESKTOP)
    log_in(page, OFFICER)

    # The list: eligibility, mean, her own score and the date, without scrolling sideways.
    page.goto(f"{LIST_URL}?cohort__id__exact={cohort.pk}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Bewerbungen")
    for column in ("Voraussetzungen", "Ø Bewertung", "Meine Bewertung", "Eingereicht"):
        expect(page.get_by_role("columnheader", name=column)).to_be_visible()
    assert_list_fits(page)
    assert_accessible(page)
    # A Beirat member is not offered what only the chair may do.
    options = page.locator("select[name=action] option").all_inner_texts()
    assert "Vorgemerkte Entscheidungen versenden (mit Vorschau)" not in options

    page.get_by_role("link", name=name).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Bewerbung bewerten")
    assert_accessible(page)

    # First try: a decision without its reason. Nothing is saved, nothing typed is lost.
    form = page.locator("form#bewertung")
    for criterion, score in (("Motivation", "5"), ("Entwicklungspotenzial", "4")):
        form.get_by_role("group", name=criterion).get_by_label(score, exact=True).check()
    form.get_by_role("group", name="Passung zum Programm").get_by_label("4", exact=True).check()
    form.get_by_label("Ihr Kommentar").fill("Klare Ziele, gute Führungserfahrung im Team.")
    form.get_by_label("auf die Warteliste setzen").check()
    form.get_by_role("button", name="Speichern", exact=True).click()
    expect(page.locator(".field-reason .errorlist")).to_have_text(
        "Bitte begründen Sie die Entscheidung."
    )
    expect(form.get_by_label("Ihr Kommentar")).to_have_value(
        "Klare Ziele, gute Führungserfahrung im Team."
    )
    expect(form.get_by_label("auf die Warteliste setzen")).to_be_checked()
    assert Review.objects.filter(application=application).count() == 0
    assert_accessible(page)

    form.get_by_label("Begründung der Entscheidung (intern)").fill("Stark, aber Plätze knapp.")
    form.get_by_role("button", name="Speichern", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("Ihre Bewertung ist gespeichert.")
    expect(page.locator(".messagelist")).to_contain_text("„Warteliste“ ist vorgemerkt.")
    expect(page.locator(".application-summary")).to_contain_text("4,33")
    assert_accessible(page)

    application.refresh_from_db()
    review = Review.objects.get(application=application, reviewer__email=OFFICER)
    assert (str(review.mean_score), application.pending_decision, application.decision_reason) == (
        "4.33",
        Decision.WAITLISTED,
        "Stark, aber Plätze knapp.",
    )

    # A decided application of an earlier cohort is a page to read.
    decided = Application.objects.filter(
        organisation__name="Stadt Bottrop", state=ApplicationState.ACCEPTED
    ).first()
    page.goto(f"{LIST_URL}{decided.pk}/change/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Bewerbung ansehen")
    expect(page.get_by_role("button", name="Sichern")).to_have_count(0)
    expect(page.locator("form#bewertung")).to_have_count(0)
    assert_accessible(page)
