"""On the demo: after a new privacy notice an applicant is asked at login and confirms; on
her consents page she withdraws processing (asked first, her application goes with it)
and gives the follow-up consent with one click."""

import io

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from applications.enums import ApplicationState
from mentoring.enums import ConsentKind
from mentoring.models import Consent, PrivacyNotice
from tests.browser.conftest import assert_accessible, log_in, submitted_demo_mentee

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

K = ConsentKind
S = ApplicationState


def heading(page):
    return page.get_by_role("heading", level=1)


def in_force(user):
    return sorted(
        Consent.objects.filter(user=user, withdrawn_at__isnull=True).values_list(
            "kind", "notice__version"
        )
    )


def test_asked_again_after_a_new_notice_then_withdrawing_with_one_click(page):
    call_command("load_demo", stdout=io.StringIO())
    application = submitted_demo_mentee()
    user = application.applicant
    assert in_force(user) == [(K.PROCESSING, 1)]
    PrivacyNotice.objects.create(
        version=2,
        text="Neue Fassung.\n\nMit Nachbefragungen.",
        changes="Neu: freiwillige Nachbefragungen nach dem Jahrgang.",
    )

    # At login: what changed, and her consents to confirm.
    log_in(page, user.email)
    expect(heading(page)).to_have_text("Unsere Datenschutzhinweise haben sich geändert")
    expect(page.get_by_text("Neu: freiwillige Nachbefragungen nach dem Jahrgang.")).to_be_visible()
    assert_accessible(page)
    assert in_force(user) == [(K.PROCESSING, 1)]
    page.get_by_role("button", name="Einwilligungen bestätigen").click()
    expect(page).to_have_url("/start/")
    expect(page.locator(".alert-success")).to_contain_text("Version 2")
    assert in_force(user) == [(K.PROCESSING, 2)]

    # Her consents, from her account.
    page.goto("/konto/")
    page.get_by_role("link", name="Meine Einwilligungen").click()
    expect(heading(page)).to_have_text("Meine Einwilligungen")
    assert_accessible(page)

    # Withdrawing processing asks first, since her application goes with it.
    page.get_by_role("button", name="Widerrufen: Verarbeitung meiner Angaben").click()
    expect(heading(page)).to_have_text("Einwilligung widerrufen")
    expect(page.locator("main")).to_contain_text("wird zurückgezogen")
    assert_accessible(page)
    application.refresh_from_db()
    assert application.state == S.SUBMITTED
    page.get_by_role("button", name="Einwilligung widerrufen").click()

    expect(heading(page)).to_have_text("Meine Einwilligungen")
    expect(page.locator(".alert-success")).to_contain_text("Der Widerruf gilt ab sofort.")
    expect(page.locator(".alert-info")).to_contain_text("ist zurückgezogen")
    assert_accessible(page)
    application.refresh_from_db()
    assert application.state == S.WITHDRAWN
    assert in_force(user) == []

    # An optional consent is one click as well.
    page.get_by_role("button", name="Einwilligen: Nachbefragungen").click()
    expect(page.locator(".alert-success")).to_contain_text("ist erteilt")
    expect(page.get_by_role("button", name="Widerrufen: Nachbefragungen")).to_be_visible()
    assert in_force(user) == [(K.FOLLOW_UP, 2)]
