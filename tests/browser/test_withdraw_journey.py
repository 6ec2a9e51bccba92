"""On the demo: opening "Als Mentee bewerben" writes nothing; withdrawing asks first, and
the applicant who withdrew applies again while Emscher-Lippe's call is open."""

import io

import pytest
from django.core import mail
from django.core.management import call_command
from playwright.sync_api import expect

from applications.enums import ApplicationLogAction, ApplicationState
from applications.models import Application, ApplicationLog
from cohorts import demo as cohorts_demo
from cohorts.models import BeiratMembership
from tests.browser.conftest import assert_accessible, log_in, log_out, submitted_demo_mentee

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

S = ApplicationState
DRAFT_APPLICANT = "lea.sommer@gladbeck.example.org"


def heading(page):
    return page.get_by_role("heading", level=1)


def open_call(page):
    page.goto(f"/programm/{cohorts_demo.EMSCHER_LIPPE}/")
    page.get_by_role("link", name="Als Mentee bewerben").click()


def test_looking_writes_nothing_and_the_draft_applicant_reaches_her_draft(page):
    call_command("load_demo", stdout=io.StringIO())
    applications = Application.objects.count()
    officer = (
        BeiratMembership.objects.filter(programme__slug=cohorts_demo.EMSCHER_LIPPE)
        .select_related("user")
        .first()
        .user
    )

    # An officer who only looks sees what applying needs, and nothing is created.
    log_in(page, officer.email)
    open_call(page)
    expect(heading(page)).to_have_text("Bewerbung beginnen")
    expect(page.get_by_role("button", name="Bewerbung beginnen")).to_be_visible()
    assert_accessible(page)
    assert Application.objects.count() == applications
    log_out(page)

    # Lea Sommer has a draft: the same link leads straight to it.
    log_in(page, DRAFT_APPLICANT)
    open_call(page)
    expect(heading(page)).to_have_text("Bewerbungsbogen: Mentee")
    assert_accessible(page)
    assert Application.objects.count() == applications


def test_a_submitted_applicant_withdraws_with_confirmation_and_applies_again(page):
    call_command("load_demo", stdout=io.StringIO())
    application = submitted_demo_mentee()
    assert application is not None
    email = application.applicant.email
    log_in(page, email)

    page.goto("/bewerbung/")
    expect(heading(page)).to_have_text("Meine Bewerbungen")
    page.get_by_role("link", name="Bewerbung zurückziehen").click()

    # The confirmation: what happens, an optional reason; nothing has changed yet.
    expect(heading(page)).to_have_text("Bewerbung zurückziehen")
    expect(page.get_by_text("Ihre Angaben und Unterlagen bleiben gespeichert.")).to_be_visible()
    assert_accessible(page)
    application.refresh_from_db()
    assert application.state == S.SUBMITTED
    page.get_by_label("Grund (freiwillig)").fill("Ich wechsle die Stelle.")
    page.get_by_role("button", name="Bewerbung zurückziehen").click()

    expect(heading(page)).to_have_text("Meine Bewerbungen")
    expect(page.locator(".alert-success")).to_contain_text("Ihre Bewerbung ist zurückgezogen.")
    expect(page.locator("main")).to_contain_text("Stand: zurückgezogen")
    assert_accessible(page)
    application.refresh_from_db()
    assert application.state == S.WITHDRAWN

    # Apply again: a page that asks, then her answers are back in the form.
    page.get_by_role("link", name="Erneut bewerben").click()
    expect(heading(page)).to_have_text("Erneut bewerben")
    assert_accessible(page)
    application.refresh_from_db()
    assert application.state == S.WITHDRAWN
    page.get_by_role("button", name="Erneut bewerben").click()

    expect(heading(page)).to_have_text("Bewerbungsbogen: Mentee")
    expect(page.get_by_role("textbox", name="Motivation", exact=True)).to_have_value(
        application.motivation
    )
    assert_accessible(page)
    page.get_by_role("button", name="Bewerbung einreichen").click()

    expect(heading(page)).to_have_text("Meine Bewerbungen")
    expect(page.locator("main")).to_contain_text("Stand: eingereicht")
    assert_accessible(page)
    assert list(
        ApplicationLog.objects.filter(
            application=application, action=ApplicationLogAction.TRANSITION
        ).values_list("from_state", "to_state")
    )[-3:] == [(S.SUBMITTED, S.WITHDRAWN), (S.WITHDRAWN, S.DRAFT), (S.DRAFT, S.SUBMITTED)]
    assert Application.objects.filter(applicant=application.applicant).count() == 1
    assert [m.subject for m in mail.outbox if m.to == [email]][0].startswith(
        "Ihre Bewerbung ist eingegangen"
    )
