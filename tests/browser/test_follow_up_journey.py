"""The follow-up question from her e-mail, without logging in: she answers, then stops."""

import datetime as dt
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from applications import follow_ups
from applications.enums import ApplicationState, CareerStepKind, FollowUpWave
from applications.models import CareerStep
from mentoring.consents import consent_give, has_active_consent
from mentoring.enums import ConsentKind
from tests.browser.conftest import assert_accessible, assert_reflows
from tests.factories import ApplicationFactory, ended_cohort

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_she_answers_from_the_mail_and_then_asks_for_no_further_questions(page):
    application = ApplicationFactory(
        cohort=ended_cohort(dt.date(2026, 2, 28)), state=ApplicationState.ACCEPTED, cv="", letter=""
    )
    consent_give(user=application.applicant, kind=ConsentKind.FOLLOW_UP)
    url = follow_ups.answer_url(
        follow_ups.make_token(application, FollowUpWave.END), CareerStepKind.PROMOTION
    )
    page.set_viewport_size({"width": 320, "height": 800})
    parts = urlsplit(url)
    page.goto(f"{parts.path}?{parts.query}")
    expect(page.get_by_role("checkbox", name="Beförderung / Höhergruppierung")).to_be_checked()
    assert_accessible(page)
    assert_reflows(page)
    page.get_by_role("button", name="Antwort senden").click()
    expect(page.get_by_text("Danke! Ihre Antwort ist gespeichert.")).to_be_visible()
    assert CareerStep.objects.filter(application=application).count() == 1

    page.get_by_role("button", name="Keine weiteren Fragen").click()
    expect(page.get_by_role("heading", name="Keine weiteren Fragen?", level=1)).to_be_visible()
    assert_accessible(page)
    assert has_active_consent(application.applicant, ConsentKind.FOLLOW_UP)
    page.get_by_role("button", name="Ja, keine weiteren Fragen").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_text("Ihre bisherigen Angaben sind gelöscht.")).to_be_visible()
    assert_accessible(page)
    assert not has_active_consent(application.applicant, ConsentKind.FOLLOW_UP)
    assert not CareerStep.objects.filter(application=application).exists()
