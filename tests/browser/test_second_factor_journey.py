"""An officer sets up her authenticator app, makes backup codes, and logs in with a code."""

import re
import time
from base64 import b32decode

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from tests.factories import PASSWORD, BeiratMembershipFactory

from .conftest import assert_accessible, assert_reflows, log_in, log_out

pytestmark = pytest.mark.browser


@pytest.fixture
def officer(transactional_db, settings):
    settings.MENTORING_REQUIRE_OTP = True
    return BeiratMembershipFactory(user__email="martina@example.org").user


def code(secret, ahead=0):
    return f"{totp(b32decode(secret.replace(' ', '')), drift=ahead):06d}"


def next_code(secret, device):
    """A code the server takes now and has not seen yet: a step after the last one used, at
    the device's drift (-1 if the enrolment's request crossed a 30-second boundary)."""
    now = int(time.time()) // device.step
    return code(secret, ahead=max(device.drift, device.last_t + 1 - now))


def test_officer_enrols_her_app_and_confirms_her_next_login(page, officer):
    page.set_viewport_size({"width": 1280, "height": 900})
    log_in(page, officer.email, PASSWORD)
    page.wait_for_url(re.compile(r"/konto/zweiter-faktor/einrichten/\?next="))
    expect(page.get_by_role("heading", level=1)).to_have_text("Zweiten Faktor einrichten")
    expect(
        page.get_by_role("img", name="QR-Code zum Einrichten der Authenticator-App")
    ).to_be_visible()
    assert_accessible(page)
    secret = page.locator(".otp-secret code").inner_text()

    # A wrong code: the error stands at the field, which says so to a screen reader.
    field = page.get_by_label("Code aus der App")
    assert field.get_attribute("autocomplete") == "one-time-code"
    assert field.get_attribute("inputmode") == "numeric"
    field.fill(f"{(int(code(secret)) + 1) % 1_000_000:06d}")
    page.get_by_role("button", name="Einrichten").click()
    expect(page.locator("#error_1_id_code")).to_have_text(re.compile("^Dieser Code passt nicht."))
    assert page.get_by_label("Code aus der App").get_attribute("aria-invalid") == "true"
    assert page.locator(".otp-secret code").inner_text() == secret
    assert_accessible(page)

    page.get_by_label("Code aus der App").fill(code(secret))
    page.get_by_role("button", name="Einrichten").click()
    page.wait_for_url(re.compile(r"/konto/zweiter-faktor/notfallcodes/"))
    assert_accessible(page)
    page.get_by_role("button", name="Notfallcodes erzeugen").click()
    expect(page.locator(".backup-codes code")).to_have_count(10)
    codes = page.locator(".backup-codes code").all_inner_texts()
    assert all(re.fullmatch(r"\d{5} \d{5}", backup) for backup in codes)
    assert_accessible(page)
    page.get_by_role("link", name="Weiter").click()
    page.wait_for_url("**/start/")

    # The next login asks for a code; the one just used would be a replay, the next is not.
    log_out(page)
    log_in(page, officer.email, PASSWORD)
    page.wait_for_url(re.compile(r"/konto/zweiter-faktor/\?next="))
    page.set_viewport_size({"width": 320, "height": 800})
    expect(page.get_by_role("heading", level=1)).to_have_text("Anmeldung bestätigen")
    assert_accessible(page)
    assert_reflows(page)
    device = TOTPDevice.objects.get(user=officer)
    page.get_by_label("Bestätigungscode").fill(next_code(secret, device))
    page.get_by_role("button", name="Bestätigen").click()
    page.wait_for_url("**/start/")
    page.goto("/verwaltung/")
    expect(page.locator("#site-name")).to_be_visible()


def test_enrolment_page_fits_a_phone(page, officer):
    log_in(page, officer.email, PASSWORD)
    page.wait_for_url(re.compile(r"/konto/zweiter-faktor/einrichten/"))
    page.set_viewport_size({"width": 320, "height": 800})
    page.reload()
    assert_reflows(page)
    assert_accessible(page)
