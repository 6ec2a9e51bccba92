"""Workshops in the browser: the participant answers, the officer records attendance."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible
from tests.browser.test_matching_journey import log_in, log_out
from tests.factories import (
    ApplicationFactory,
    BeiratMembershipFactory,
    ProjectTeamFactory,
    UpcomingWorkshopFactory,
)
from workshops.enums import AttendanceStatus, RsvpAnswer
from workshops.models import Attendance, Rsvp

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_participant_declines_with_a_reason_and_the_officer_records_attendance(page):
    workshop = UpcomingWorkshopFactory(title="Zwischenworkshop")
    mentee = ApplicationFactory(accepted=True, cohort=workshop.cohort)
    ProjectTeamFactory(cohort=workshop.cohort, title="Digitale Verwaltung", members=[mentee])
    officer = BeiratMembershipFactory(
        organisation=mentee.organisation, programme=workshop.cohort.programme
    ).user

    log_in(page, mentee.applicant.email)
    page.get_by_role("link", name="Workshops").first.click()
    card = page.locator(f"#workshop-{workshop.pk}")
    expect(card).to_contain_text("Zwischenworkshop")
    expect(page.get_by_text("Digitale Verwaltung").first).to_be_visible()
    assert_accessible(page)
    card.locator(f"input[value='{RsvpAnswer.NO}']").check()
    card.get_by_role("button", name="Rückmeldung speichern").click()
    expect(page.get_by_text("Bitte nennen Sie den Grund Ihrer Absage.", exact=True)).to_be_visible()
    assert_accessible(page)
    card = page.locator(f"#workshop-{workshop.pk}")
    card.locator(f"input[value='{RsvpAnswer.NO}']").check()
    card.locator("textarea").fill("Dienstreise nach Berlin")
    card.get_by_role("button", name="Rückmeldung speichern").click()
    expect(page.get_by_text("Danke, wir haben Ihre Absage gespeichert.")).to_be_visible()
    assert Rsvp.objects.get(application=mentee).reason == "Dienstreise nach Berlin"
    log_out(page)

    log_in(page, officer.email)
    page.goto(f"/beirat/jahrgang/{workshop.cohort_id}/workshops/")
    assert_accessible(page)
    page.goto(f"/beirat/jahrgang/{workshop.cohort_id}/workshops/{workshop.pk}/anwesenheit/")
    assert "Dienstreise nach Berlin" in page.content()
    page.locator("select").first.select_option(AttendanceStatus.PRESENT)
    page.get_by_role("button", name="Anwesenheit speichern").click()
    expect(page.get_by_text("Anwesenheit gespeichert.")).to_be_visible()
    assert Attendance.objects.get(application=mentee).status == AttendanceStatus.PRESENT
    assert_accessible(page)
    page.goto(f"/beirat/jahrgang/{workshop.cohort_id}/projektteams/")
    expect(page.get_by_text("Digitale Verwaltung").first).to_be_visible()
    assert_accessible(page)
    page.goto("/beirat/")
    page.get_by_role(
        "link",
        name=f"Zertifikate {workshop.cohort.programme.name}, {workshop.cohort.display_title}",
    ).click()
    expect(page.locator("main")).to_contain_text(
        "Projektteam „Digitale Verwaltung“ hat noch nicht präsentiert"
    )
    assert_accessible(page)
