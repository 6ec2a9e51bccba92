"""An officer registers a security key and confirms her next login with it.

Chromium's virtual authenticator (DevTools protocol, WebAuthn domain) plays the key: a
platform authenticator that verifies its user, as a passkey with fingerprint would.
"""

import re

import pytest
from django_otp_webauthn.models import WebAuthnCredential
from playwright.sync_api import expect

from tests.factories import PASSWORD, BeiratMembershipFactory

from .conftest import assert_accessible, assert_reflows, log_in, log_out

pytestmark = pytest.mark.browser


@pytest.fixture
def officer(transactional_db, settings, live_server):
    settings.MENTORING_REQUIRE_OTP = True
    # The live server answers at http://localhost:<port>, a secure context for WebAuthn.
    settings.OTP_WEBAUTHN_RP_ID = "localhost"
    settings.OTP_WEBAUTHN_ALLOWED_ORIGINS = [live_server.url]
    return BeiratMembershipFactory(user__email="martina@example.org").user


def add_virtual_authenticator(page):
    client = page.context.new_cdp_session(page)
    client.send("WebAuthn.enable")
    client.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
            }
        },
    )
    return client


def test_officer_registers_a_key_and_confirms_her_next_login_with_it(page, officer):
    add_virtual_authenticator(page)
    page.set_viewport_size({"width": 1280, "height": 900})
    log_in(page, officer.email, PASSWORD)
    page.wait_for_url(re.compile(r"/konto/zweiter-faktor/einrichten/\?next="))
    expect(page.get_by_role("heading", level=1)).to_have_text("Zweiten Faktor einrichten")
    expect(page.get_by_role("heading", name="Sicherheitsschlüssel und Passkeys")).to_be_visible()
    # The script found WebAuthn: the form shows, the note for other browsers does not.
    expect(page.locator(".security-key-unsupported")).to_be_hidden()
    assert_accessible(page)

    # Without a name the key is not registered; the status says why.
    page.get_by_role("button", name="Sicherheitsschlüssel hinzufügen").click()
    expect(page.get_by_role("status")).to_have_text(
        "Bitte geben Sie dem Schlüssel eine Bezeichnung."
    )
    expect(page.get_by_label("Bezeichnung des Schlüssels")).to_be_focused()
    assert WebAuthnCredential.objects.count() == 0

    page.get_by_label("Bezeichnung des Schlüssels").fill("Passkey Dienstlaptop")
    page.get_by_role("button", name="Sicherheitsschlüssel hinzufügen").click()
    page.wait_for_url(re.compile(r"/konto/zweiter-faktor/notfallcodes/\?next="))
    expect(page.get_by_role("status")).to_contain_text(
        "Ihr Sicherheitsschlüssel „Passkey Dienstlaptop“ ist eingerichtet."
    )
    key = WebAuthnCredential.objects.get(user=officer)
    assert key.name == "Passkey Dienstlaptop"
    page.get_by_role("link", name="Weiter").click()
    page.wait_for_url(re.compile(r"/(start|beirat)/"))

    # The key is listed on her second-factor page, with a button to remove it.
    page.goto("/konto/zweiter-faktor/einrichten/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Zweiter Faktor")
    expect(page.get_by_role("list", name="Ihre Sicherheitsschlüssel")).to_contain_text(
        "Passkey Dienstlaptop"
    )
    expect(page.get_by_role("button", name="Entfernen: Passkey Dienstlaptop")).to_be_visible()
    assert_accessible(page)

    # The next login asks for the second factor; the key answers it.
    log_out(page)
    log_in(page, officer.email, PASSWORD)
    page.wait_for_url(re.compile(r"/konto/zweiter-faktor/\?next="))
    page.set_viewport_size({"width": 320, "height": 800})
    expect(page.get_by_role("heading", level=1)).to_have_text("Anmeldung bestätigen")
    assert_accessible(page)
    assert_reflows(page)
    page.get_by_role("button", name="Sicherheitsschlüssel verwenden").click()
    page.wait_for_url(re.compile(r"/(start|beirat)/"))
    page.goto("/verwaltung/")
    expect(page.locator("#site-name")).to_be_visible()
    key.refresh_from_db()
    assert key.last_used_at is not None


def test_a_refused_key_is_said_in_the_status(page, officer, settings):
    """A key registered for another site (here: a changed RP ID) cannot confirm a login."""
    add_virtual_authenticator(page)
    log_in(page, officer.email, PASSWORD)
    page.get_by_label("Bezeichnung des Schlüssels").fill("YubiKey")
    page.get_by_role("button", name="Sicherheitsschlüssel hinzufügen").click()
    page.wait_for_url(re.compile(r"/konto/zweiter-faktor/notfallcodes/"))
    log_out(page)
    settings.OTP_WEBAUTHN_ALLOWED_ORIGINS = ["https://mentoring.example.org"]
    log_in(page, officer.email, PASSWORD)
    page.get_by_role("button", name="Sicherheitsschlüssel verwenden").click()
    expect(page.get_by_role("status")).to_have_text(
        "Die Antwort des Sicherheitsschlüssels ließ sich nicht prüfen. Bitte versuchen Sie es "
        "noch einmal."
    )
    expect(page.get_by_role("button", name="Sicherheitsschlüssel verwenden")).to_be_enabled()
    assert "/konto/zweiter-faktor/" in page.url
