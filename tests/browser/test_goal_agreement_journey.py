"""On the demo: the mentor of a running tandem writes her part of the goal agreement, the
mentee reads it with what changed, and both confirm the new version."""

import pytest
from playwright.sync_api import expect

from tandems.enums import TandemStatus
from tandems.models import GoalAgreement, GoalAgreementEntry, Tandem
from tests.browser.conftest import assert_accessible
from tests.browser.test_programme_journeys import load_demo, log_in, log_out

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
OFFER = "Hospitation in meiner Amtsleitungsrunde und zwei Kontakte aus meinem Netzwerk"


def open_agreement(page):
    page.get_by_role("link", name="Mein Tandem").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mein Tandem")
    page.get_by_role("link", name="Zur Zielvereinbarung").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Zielvereinbarung")


def test_the_mentor_writes_her_part_and_both_confirm(page):
    logins = load_demo()
    (email,) = logins["MIT FRAUEN an die Spitze"]["Mentor:in im laufenden Tandem"]
    tandem = Tandem.objects.select_related("mentee__applicant").get(
        mentor__applicant__email=email, status=TandemStatus.ACTIVE
    )
    before = GoalAgreement.objects.get(tandem=tandem)
    assert before.is_confirmed  # the demo's agreement was confirmed by both at the start

    log_in(page, email)
    open_agreement(page)
    current = page.get_by_role("region", name="Aktuelle Fassung")
    expect(current).to_contain_text(before.expectations_mentee)  # the mentee's part, to read
    assert page.locator("#id_topics_other").count() == 0  # ... not to write
    assert_accessible(page)
    page.locator("#id_offer_mentor").fill(OFFER)
    page.get_by_role("button", name="Speichern").click()
    expect(page.get_by_text("Gespeichert. Bitte bestätigen Sie beide")).to_be_visible()
    confirmations = page.locator("#confirmations")
    expect(confirmations).to_have_text(
        "Mentee: noch nicht bestätigt Mentor:in: noch nicht bestätigt", use_inner_text=True
    )
    page.get_by_role("button", name="Diese Fassung bestätigen").click()
    expect(page.get_by_text("Sie haben die Zielvereinbarung bestätigt.")).to_be_visible()
    assert_accessible(page)
    log_out(page)

    log_in(page, tandem.mentee.applicant.email)
    page.get_by_role("link", name="Mein Tandem").first.click()
    expect(
        page.get_by_text("Die aktuelle Fassung ist von Ihnen noch nicht bestätigt.")
    ).to_be_visible()
    page.get_by_role("link", name="Zur Zielvereinbarung").click()
    expect(page.get_by_role("region", name="Aktuelle Fassung")).to_contain_text(OFFER)
    history = page.get_by_role("region", name="Verlauf")
    entry = history.get_by_role("listitem").filter(
        has_text="Fassung 1 – Was die Mentor:in anbietet"
    )
    entry.get_by_text("Was sich geändert hat").click()
    expect(entry).to_contain_text(f"neu: {OFFER}")
    assert_accessible(page)
    page.get_by_role("button", name="Diese Fassung bestätigen").click()
    expect(page.get_by_text("Sie haben die Zielvereinbarung bestätigt.")).to_be_visible()
    assert page.get_by_role("button", name="Diese Fassung bestätigen").count() == 0
    page.get_by_role("link", name="Zurück zu Ihrem Tandem").click()
    expect(page.get_by_text("Von Ihnen beiden bestätigt am")).to_be_visible()
    assert_accessible(page)

    agreement = GoalAgreement.objects.get(tandem=tandem)
    assert (agreement.offer_mentor, agreement.version, agreement.is_confirmed) == (OFFER, 1, True)
    assert list(
        GoalAgreementEntry.objects.filter(agreement=agreement)
        .order_by("pk")
        .values_list("action", "role")
    ) == [("changed", "mentor"), ("confirmed", "mentor"), ("confirmed", "mentee")]
