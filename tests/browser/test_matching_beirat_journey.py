"""The Emscher-Lippe chair steers the tandem formation on the demo, as the Beirat works.

Kerstin Hahn's tandem with Ralf Zander ended early. The chair tries to pin her with a
mentor of her own administration through the page's own form and reads the refusal with
both names; she pairs Kerstin by hand with her former mentor on purpose, lifts that pin
again, publishes the new proposal after its confirmation page, and ends a tandem early on
its own page. axe runs on every page she sees.
"""

import io

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from applications.enums import ApplicationState
from cohorts import demo as cohorts_demo
from cohorts.models import Cohort
from tandems.enums import TandemStatus
from tandems.models import PairConstraint, Tandem
from tests.browser.conftest import assert_accessible, log_in
from tests.factories import MentorApplicationFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHAIR = "gleichstellung@kreis-recklinghausen.example.org"


def alert(page):
    return page.locator("[role=status] .alert")


def proposal_row(page, mentee):
    return page.locator("table.proposal-table tbody tr").filter(
        has=page.get_by_role("cell", name=mentee)
    )


def test_the_chair_pins_pairs_by_hand_lifts_the_pin_and_publishes_after_confirming(page):
    call_command("load_demo", stdout=io.StringIO())
    cohort = Cohort.objects.get(programme__slug=cohorts_demo.EMSCHER_LIPPE, number=9)
    ended = Tandem.objects.select_related(
        "mentee__applicant", "mentee__organisation", "mentor__applicant", "mentor__organisation"
    ).get(cohort=cohort, status=TandemStatus.ENDED)
    kerstin, ralf = ended.mentee, ended.mentor
    assert (kerstin.applicant.get_full_name(), ralf.applicant.get_full_name()) == (
        "Kerstin Hahn",
        "Ralf Zander",
    )
    own = kerstin.organisation
    other = cohort.organisations.exclude(pk__in=[own.pk, ralf.organisation_id]).first()

    def mentor(organisation, first, last):
        return MentorApplicationFactory(
            cohort=cohort,
            organisation=organisation,
            state=ApplicationState.ACCEPTED,
            submitted_at=timezone.now(),
            applicant__first_name=first,
            applicant__last_name=last,
        )

    nora = mentor(other, "Nora", "Neumann")
    sabine = mentor(own, "Sabine", "Selle")

    log_in(page, CHAIR)
    page.goto(f"/beirat/jahrgang/{cohort.pk}/tandembildung/")
    assert_accessible(page)
    page.get_by_role("button", name="Neuen Vorschlag berechnen").click()
    expect(alert(page)).to_have_text("Ein neuer Vorschlag ist berechnet.")
    # Her former mentor is free again, but the proposal gives her a new one.
    row = proposal_row(page, "Kerstin Hahn")
    expect(row.locator("td").nth(1)).to_contain_text("Nora Neumann")
    expect(row.locator("td").nth(3)).not_to_be_empty()  # the runner-up
    assert_accessible(page)

    # A pin with a mentor of her own administration, sent through the page's own form.
    row.locator("input[name=mentor]").evaluate("(input, pk) => { input.value = pk; }", sabine.pk)
    page.get_by_role("button", name="Festlegen Kerstin Hahn – Nora Neumann").click()
    expect(alert(page)).to_have_text(
        "Diese Vorgabe ist nicht möglich: Kerstin Hahn und Sabine Selle sind beide bei "
        f"{own.name}; ein Tandem verbindet zwei verschiedene Organisationen."
    )
    assert not PairConstraint.objects.exists()
    assert_accessible(page)

    # By hand: the valid mentors scored, the others with their rule; Ralf on purpose.
    page.get_by_role("link", name="Mentor:in von Hand wählen für Kerstin Hahn").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Von Hand zuordnen: Kerstin Hahn")
    expect(page.get_by_role("region", name="Nicht zulässig")).to_contain_text(
        f"Sabine Selle ({own.name}): Kerstin Hahn und Sabine Selle sind beide bei {own.name}"
    )
    expect(page.get_by_role("row").filter(has_text="Ralf Zander")).to_contain_text(
        "frühere Mentor:in"
    )
    assert_accessible(page)
    # "Abbrechen" is a link in the programme's colour like every other link.
    colours = page.evaluate(
        """() => [document.querySelector("main a:not(.btn)"), document.querySelector("a.btn-link")]
        .map((link) => getComputedStyle(link).color)"""
    )
    assert colours[0] == colours[1], colours
    page.get_by_label("Ralf Zander").check()
    page.get_by_role("button", name="Zuordnen und neu berechnen").click()
    expect(alert(page)).to_have_text(
        "Kerstin Hahn ist von Hand Ralf Zander zugeordnet (festgelegt); ein neuer Vorschlag "
        "ist berechnet."
    )
    row = proposal_row(page, "Kerstin Hahn")
    expect(row.locator("td").nth(1)).to_contain_text("Ralf Zander")
    expect(row).to_contain_text("festgelegt")
    assert_accessible(page)

    # Lift the pin from the list of every pin and ban.
    page.get_by_role("button", name="Aufheben festgelegt: Kerstin Hahn – Ralf Zander").click()
    expect(alert(page)).to_have_text(
        "Vorgabe aufgehoben: Kerstin Hahn – Ralf Zander. Das gilt ab dem nächsten Vorschlag."
    )
    expect(page.get_by_text("Keine Vorgaben.")).to_be_visible()
    page.get_by_role("button", name="Neuen Vorschlag berechnen").click()
    expect(proposal_row(page, "Kerstin Hahn").locator("td").nth(1)).to_contain_text("Nora Neumann")

    # Publishing says what will happen first.
    page.get_by_role("link", name="Diesen Vorschlag veröffentlichen …").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Vorschlag veröffentlichen")
    what = page.get_by_role("region", name="Was geschieht")
    expect(what).to_contain_text("1 Tandem wird gebildet")
    expect(what).to_contain_text("2 E-Mails gehen hinaus")
    without = page.get_by_role("region", name="Ohne Tandem bleiben")
    expect(without).to_contain_text(f"Sabine Selle (Mentor:in, {own.name}): ohne Mentee")
    expect(without).to_contain_text("Ralf Zander (Mentor:in")
    assert_accessible(page)
    assert not Tandem.objects.filter(mentor=nora).exists()
    page.get_by_role("button", name="1 Tandem bilden und E-Mails senden").click()
    expect(alert(page)).to_have_text("1 Tandem gebildet; beide Seiten erhalten eine E-Mail.")
    assert_accessible(page)
    assert Tandem.objects.get(mentor=nora, status=TandemStatus.ACTIVE).mentee == kerstin

    # Ending early is its own step, with a reason.
    page.get_by_role("link", name="Vorzeitig beenden … Kerstin Hahn – Nora Neumann").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Tandem vorzeitig beenden")
    assert_accessible(page)
    page.get_by_role("button", name="Tandem vorzeitig beenden").click()
    expect(page.get_by_text("Bitte geben Sie den Grund an.", exact=True)).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Grund der Beendigung").fill("Die Mentee wechselt die Stelle.")
    page.get_by_label("berufliche Veränderung").check()
    page.get_by_role("button", name="Tandem vorzeitig beenden").click()
    expect(alert(page)).to_have_text("Das Tandem Kerstin Hahn – Nora Neumann ist beendet.")
    assert Tandem.objects.get(mentor=nora).end_reason == "Die Mentee wechselt die Stelle."

    # Re-matching offers both former mentors, neither preselected.
    page.get_by_role("link", name="Mentee neu zuordnen … Kerstin Hahn").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Neu zuordnen: Kerstin Hahn")
    expect(page.locator("input[name=mentor]:checked")).to_have_count(0)
    expect(page.get_by_text("frühere Mentor:in", exact=True)).to_have_count(2)
    assert_accessible(page)
