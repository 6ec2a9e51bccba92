"""The chair forms the tandems; the mentee meets her mentor and drafts the goal agreement."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from applications.enums import ApplicationState
from cohorts.enums import BeiratRole
from tandems.models import GoalAgreement, Tandem
from tests.browser.conftest import assert_accessible
from tests.factories import (
    PASSWORD,
    ApplicationFactory,
    BeiratMembershipFactory,
    CohortFactory,
    CohortOrganisationFactory,
    MentorApplicationFactory,
    TopicFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page, email):
    page.goto("/konto/anmelden/")
    page.get_by_label("E-Mail-Adresse").fill(email)
    page.get_by_label("Passwort").fill(PASSWORD)
    page.get_by_role("button", name="Anmelden").last.click()


def log_out(page):
    page.get_by_role("button", name="Abmelden").click()


def test_chair_forms_tandems_and_the_tandem_agrees_its_goals(page):
    cohort = CohortFactory(title="Cross-Mentoring 2027")
    bottrop, gladbeck, marl = (
        CohortOrganisationFactory(cohort=cohort, organisation__name=name).organisation
        for name in ("Stadt Bottrop", "Stadt Gladbeck", "Stadt Marl")
    )
    career, conflict = TopicFactory(name="Karriereplanung"), TopicFactory(name="Konflikte")
    common = {"cohort": cohort, "state": ApplicationState.ACCEPTED, "submitted_at": timezone.now()}

    def person(factory, organisation, first, last, topic=None):
        application = factory(
            organisation=organisation,
            applicant__first_name=first,
            applicant__last_name=last,
            **common,
        )
        if topic:
            application.topics.add(topic)
        return application

    anna = person(ApplicationFactory, bottrop, "Anna", "Aust", career)
    clara = person(ApplicationFactory, bottrop, "Clara", "Cramer", conflict)
    berta = person(MentorApplicationFactory, gladbeck, "Berta", "Brandt", conflict)
    doris = person(MentorApplicationFactory, marl, "Doris", "Dahl", career)
    emma = person(MentorApplicationFactory, marl, "Emma", "Ernst")
    chair = BeiratMembershipFactory(
        programme=cohort.programme,
        organisation=marl,
        role=BeiratRole.CHAIR,
        user__email="vorsitz@example.org",
    ).user

    log_in(page, chair.email)
    page.goto(f"/beirat/jahrgang/{cohort.pk}/tandembildung/")
    assert_accessible(page)
    page.get_by_role("button", name="Neuen Vorschlag berechnen").click()
    expect(page.get_by_text("Ein neuer Vorschlag ist berechnet.")).to_be_visible()
    table = page.locator("table.proposal-table tbody")
    assert "1 von 1 Themen gemeinsam" in table.inner_text()
    assert_accessible(page)

    # Shared topics give Anna–Doris and Clara–Berta; keep the first, exclude the second.
    page.get_by_role("button", name="Festlegen Anna Aust – Doris Dahl").click()
    page.get_by_role("button", name="Ausschließen Clara Cramer – Berta Brandt").click()
    page.get_by_role("button", name="Neuen Vorschlag berechnen").click()
    proposal = page.locator("table.proposal-table tbody tr")
    expect(proposal.filter(has_text="festgelegt")).to_have_count(1)
    rows = [row.inner_text() for row in proposal.all()]
    assert len(rows) == 2
    assert any("Anna Aust" in row and "Doris Dahl" in row and "festgelegt" in row for row in rows)
    assert any("Clara Cramer" in row and "Emma Ernst" in row for row in rows)
    page.get_by_role("link", name="Diesen Vorschlag veröffentlichen …").click()
    page.get_by_role("button", name="2 Tandems bilden und E-Mails senden").click()
    expect(page.get_by_text("2 Tandems gebildet")).to_be_visible()
    assert_accessible(page)
    assert Tandem.objects.get(mentee=anna).mentor == doris
    assert Tandem.objects.get(mentee=clara).mentor == emma
    assert not Tandem.objects.filter(mentor=berta).exists()
    log_out(page)

    # The mentee sees her mentor and drafts the goal agreement.
    log_in(page, anna.applicant.email)
    page.get_by_role("link", name="Mein Tandem").first.click()
    expect(page.locator("main")).to_contain_text("Doris Dahl")
    assert_accessible(page)
    page.get_by_role("link", name="Zielvereinbarung").click()
    page.get_by_label("Karriereplanung").check()
    page.get_by_label("Wie oft und wie treffen wir uns?").fill("Monatlich, abwechselnd vor Ort")
    page.get_by_role("button", name="Speichern").click()
    expect(page.get_by_text("Gespeichert. Bitte bestätigen Sie beide")).to_be_visible()
    page.get_by_role("button", name="Diese Fassung bestätigen").click()
    expect(page.get_by_text("Mentee: bestätigt am")).to_be_visible()
    assert_accessible(page)
    log_out(page)

    # The mentor reads it and confirms.
    log_in(page, doris.applicant.email)
    page.goto(f"/tandem/{Tandem.objects.get(mentee=anna).pk}/zielvereinbarung/")
    assert "Monatlich, abwechselnd vor Ort" in page.locator("main").inner_text()
    page.get_by_role("button", name="Diese Fassung bestätigen").click()
    expect(page.get_by_text("Sie haben die Zielvereinbarung bestätigt.")).to_be_visible()
    assert_accessible(page)
    assert GoalAgreement.objects.get(tandem__mentee=anna).is_confirmed
