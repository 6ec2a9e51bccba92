"""Security keys and passkeys (WebAuthn) as the second factor beside the app.

``SoftKey`` stands in for the person's key: it signs what a real authenticator signs (an
EC P-256 key, "none" attestation), so django-otp-webauthn and py_webauthn check real
answers; nothing of our own is mocked.
"""

import hashlib
import json
import re
import secrets
import struct
from base64 import urlsafe_b64decode, urlsafe_b64encode

import cbor2
import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from django.conf import settings
from django.contrib.admin.models import DELETION, LogEntry
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential

from mentoring.second_factor import backup_codes_renew
from mentoring.settings import webauthn_site
from tests.factories import BeiratMembershipFactory, ProgrammeOfficeFactory, UserFactory

pytestmark = pytest.mark.django_db

SETUP = "/konto/zweiter-faktor/einrichten/"
VERIFY = "/konto/zweiter-faktor/"
REGISTER_BEGIN = "/konto/zweiter-faktor/schluessel/einrichten/start/"
REGISTER_COMPLETE = "/konto/zweiter-faktor/schluessel/einrichten/abschluss/"
VERIFY_BEGIN = "/konto/zweiter-faktor/schluessel/pruefen/start/"
VERIFY_COMPLETE = "/konto/zweiter-faktor/schluessel/pruefen/abschluss/"


def b64(data):
    return urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def unb64(text):
    return urlsafe_b64decode(text + "=" * (-len(text) % 4))


class SoftKey:
    """A security key in software: registers for a site and signs logins there."""

    def __init__(self, *, rp_id=None, origin=None):
        self.private = ec.generate_private_key(ec.SECP256R1())
        self.credential_id = secrets.token_bytes(32)
        self.rp_id = rp_id or settings.OTP_WEBAUTHN_RP_ID
        self.origin = origin or settings.OTP_WEBAUTHN_ALLOWED_ORIGINS[0]
        self.count = 0

    def _client_data(self, kind, challenge):
        return json.dumps(
            {"type": kind, "challenge": challenge, "origin": self.origin, "crossOrigin": False}
        ).encode()

    def _cose_key(self):
        numbers = self.private.public_key().public_numbers()
        return cbor2.dumps(
            {
                1: 2,
                3: -7,
                -1: 1,
                -2: numbers.x.to_bytes(32, "big"),
                -3: numbers.y.to_bytes(32, "big"),
            }
        )

    def register(self, options, **extra):
        """The answer to ``navigator.credentials.create`` for these options, as JSON."""
        client_data = self._client_data("webauthn.create", options["challenge"])
        auth_data = (
            hashlib.sha256(self.rp_id.encode()).digest()
            + bytes([0x45])  # user present, user verified, attested credential data
            + struct.pack(">I", self.count)
            + bytes(16)  # AAGUID
            + struct.pack(">H", len(self.credential_id))
            + self.credential_id
            + self._cose_key()
        )
        attestation = cbor2.dumps({"fmt": "none", "attStmt": {}, "authData": auth_data})
        return {
            "id": b64(self.credential_id),
            "rawId": b64(self.credential_id),
            "type": "public-key",
            "response": {
                "clientDataJSON": b64(client_data),
                "attestationObject": b64(attestation),
                "transports": ["usb"],
            },
            "clientExtensionResults": {"credProps": {"rk": False}},
            **extra,
        }

    def sign(self, options):
        """The answer to ``navigator.credentials.get`` for these options, as JSON."""
        self.count += 1
        client_data = self._client_data("webauthn.get", options["challenge"])
        auth_data = (
            hashlib.sha256(self.rp_id.encode()).digest()
            + bytes([0x05])
            + struct.pack(">I", self.count)
        )
        signature = self.private.sign(
            auth_data + hashlib.sha256(client_data).digest(), ec.ECDSA(hashes.SHA256())
        )
        return {
            "id": b64(self.credential_id),
            "rawId": b64(self.credential_id),
            "type": "public-key",
            "response": {
                "clientDataJSON": b64(client_data),
                "authenticatorData": b64(auth_data),
                "signature": b64(signature),
                "userHandle": None,
            },
            "clientExtensionResults": {},
        }


@pytest.fixture
def otp_required(settings):
    settings.MENTORING_REQUIRE_OTP = True


def beirat_officer():
    return BeiratMembershipFactory().user


def post_json(client, url, data=None):
    return client.post(url, json.dumps(data or {}), content_type="application/json")


def register_key(client, key, *, name="YubiKey am Schlüsselbund", next_url=None):
    options = post_json(client, REGISTER_BEGIN).json()
    url = REGISTER_COMPLETE + (f"?next={next_url}" if next_url else "")
    return post_json(client, url, key.register(options, name=name))


def confirm_with(client, key, *, next_url=None):
    options = post_json(client, VERIFY_BEGIN).json()
    url = VERIFY_COMPLETE + (f"?next={next_url}" if next_url else "")
    return post_json(client, url, key.sign(options))


def with_key(client, user, name="Schlüssel"):
    """A person who registered ``SoftKey`` as her first factor, logged out again."""
    key = SoftKey()
    client.force_login(user)
    assert register_key(client, key, name=name).status_code == 200
    client.logout()
    return key


def verified_session(client, user, device):
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()


# Settings


def test_relying_party_comes_from_site_url():
    assert webauthn_site("https://mentoring.example.org") == (
        "mentoring.example.org",
        "https://mentoring.example.org",
    )
    assert webauthn_site("https://mentoring.example.org:8443/") == (
        "mentoring.example.org",
        "https://mentoring.example.org:8443",
    )
    # WebAuthn knows no IP addresses: development's loopback address is localhost.
    assert webauthn_site("http://127.0.0.1:8000") == ("localhost", "http://localhost:8000")
    assert settings.OTP_WEBAUTHN_ALLOW_PASSWORDLESS_LOGIN is False


# Registering


def test_first_key_confirms_the_session_and_leads_to_the_backup_codes(client, otp_required):
    officer = beirat_officer()
    client.force_login(officer)
    page = client.get(SETUP + "?next=/verwaltung/").content.decode()
    assert "data-security-key-register" in page
    assert client.get("/verwaltung/").status_code == 302
    session_key = client.session.session_key

    response = register_key(
        client, SoftKey(), name="  YubiKey\n am  Schlüsselbund ", next_url="/verwaltung/"
    )

    assert response.status_code == 200
    key = WebAuthnCredential.objects.get(user=officer)
    assert response.json() == {
        "id": key.pk,
        "redirect_url": "/konto/zweiter-faktor/notfallcodes/?next=%2Fverwaltung%2F",
    }
    assert (key.name, key.confirmed) == ("YubiKey am Schlüsselbund", True)
    assert client.session.session_key != session_key
    assert client.get("/verwaltung/").status_code == 200


def test_a_key_without_a_name_gets_a_plain_one(client, otp_required):
    officer = beirat_officer()
    client.force_login(officer)
    assert register_key(client, SoftKey(), name="   ").status_code == 200
    assert WebAuthnCredential.objects.get(user=officer).name == "Sicherheitsschlüssel"


def test_another_key_needs_a_session_that_passed_the_second_factor(client, otp_required):
    officer = beirat_officer()
    with_key(client, officer)
    client.force_login(officer)

    response = post_json(client, REGISTER_BEGIN)

    assert response.status_code == 403
    assert response.json() == {
        "detail": "Bitte bestätigen Sie zuerst Ihre Anmeldung; dann können Sie einen weiteren "
        "Sicherheitsschlüssel einrichten.",
        "code": "user_not_verified",
    }
    # Nor does the app's enrolment let her past the key.
    assert client.get(SETUP).url == VERIFY
    assert WebAuthnCredential.objects.filter(user=officer).count() == 1


def test_an_officer_with_an_app_adds_a_key_once_verified_and_sees_it_listed(client, otp_required):
    officer = beirat_officer()
    app = TOTPDevice.objects.create(user=officer, name="App", confirmed=True)
    client.force_login(officer)
    assert post_json(client, REGISTER_BEGIN).status_code == 403
    verified_session(client, officer, app)

    response = register_key(client, SoftKey(), name="Passkey Dienstlaptop", next_url="/beirat/")

    assert response.status_code == 200
    assert response.json()["redirect_url"] == SETUP + "?next=%2Fbeirat%2F"
    # The session stays confirmed by the app it was confirmed with.
    assert client.session[DEVICE_ID_SESSION_KEY] == app.persistent_id
    page = client.get(SETUP).content.decode()
    assert "Ihr Sicherheitsschlüssel „Passkey Dienstlaptop“ ist eingerichtet." in page
    assert re.findall(r"<strong>(.*?)</strong>", page.split('id="keys-heading"')[1])[0] == (
        "Passkey Dienstlaptop"
    )
    assert "Ihre Authenticator-App ist eingerichtet." in page
    assert 'name="enrolment"' not in page


def test_the_same_key_is_not_registered_twice(client, otp_required):
    officer = beirat_officer()
    key = with_key(client, officer)
    verified_session(client, officer, WebAuthnCredential.objects.get(user=officer))
    options = post_json(client, REGISTER_BEGIN).json()
    # The browser is told which keys she has, so that the key itself refuses.
    assert [entry["id"] for entry in options["excludeCredentials"]] == [b64(key.credential_id)]
    response = post_json(client, REGISTER_COMPLETE, key.register(options))
    assert response.status_code == 409
    assert response.json()["detail"] == "Dieser Sicherheitsschlüssel ist schon eingerichtet."
    assert WebAuthnCredential.objects.filter(user=officer).count() == 1


def test_participants_register_no_keys(client, otp_required):
    client.force_login(UserFactory())
    response = post_json(client, REGISTER_BEGIN)
    assert response.status_code == 403
    assert response.json()["detail"] == "Sicherheitsschlüssel gibt es nur für die Verwaltung."
    assert post_json(client, VERIFY_BEGIN).status_code == 403
    assert WebAuthnCredential.objects.count() == 0


def test_nobody_logged_out_starts_a_ceremony(client, otp_required):
    for url in (REGISTER_BEGIN, VERIFY_BEGIN):
        response = post_json(client, url)
        assert response.status_code == 403
        assert response.json()["detail"] == "Bitte melden Sie sich erneut an."


def test_at_most_ten_keys(client, otp_required, settings):
    officer = beirat_officer()
    first = with_key(client, officer)
    device = WebAuthnCredential.objects.get(user=officer)
    verified_session(client, officer, device)
    for _ in range(9):
        assert register_key(client, SoftKey()).status_code == 200
    response = post_json(client, REGISTER_BEGIN)
    assert response.status_code == 409
    assert response.json()["detail"].startswith("Sie haben schon 10 Sicherheitsschlüssel.")
    assert "data-security-key-register" not in client.get(SETUP).content.decode()
    assert first.credential_id == bytes(device.credential_id)


def test_an_answer_for_another_site_is_refused(client, otp_required):
    officer = beirat_officer()
    client.force_login(officer)
    for key in (SoftKey(origin="https://evil.example"), SoftKey(rp_id="evil.example")):
        response = register_key(client, key)
        assert response.status_code == 422
        assert response.json()["detail"] == (
            "Die Antwort des Sicherheitsschlüssels ließ sich nicht prüfen. Bitte versuchen Sie "
            "es noch einmal."
        )
    assert WebAuthnCredential.objects.count() == 0
    assert client.get("/verwaltung/").status_code == 302


# Confirming a login


def test_a_key_confirms_a_login_and_the_guard_lets_her_pass(client, otp_required):
    officer = beirat_officer()
    key = with_key(client, officer)
    client.force_login(officer)
    response = client.get("/verwaltung/")
    assert response.url == VERIFY + "?next=%2Fverwaltung%2F"
    page = client.get(response.url).content.decode()
    assert "data-security-key-verify" in page
    options = post_json(client, VERIFY_BEGIN).json()
    assert [entry["id"] for entry in options["allowCredentials"]] == [b64(key.credential_id)]
    session_key = client.session.session_key

    response = post_json(client, VERIFY_COMPLETE + "?next=/verwaltung/", key.sign(options))

    assert response.status_code == 200
    device = WebAuthnCredential.objects.get(user=officer)
    assert response.json() == {"id": device.pk, "redirect_url": "/verwaltung/"}
    assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id
    assert client.session.session_key != session_key
    assert client.get("/verwaltung/").status_code == 200
    assert (device.sign_count, device.last_used_at is not None) == (1, True)


def test_next_outside_the_site_is_ignored_after_a_key(client, otp_required):
    officer = beirat_officer()
    key = with_key(client, officer)
    client.force_login(officer)
    response = confirm_with(client, key, next_url="https://evil.example/")
    assert response.json()["redirect_url"] == "/start/"


def test_an_answer_counts_once(client, otp_required):
    officer = beirat_officer()
    key = with_key(client, officer)
    client.force_login(officer)
    options = post_json(client, VERIFY_BEGIN).json()
    answer = key.sign(options)
    assert post_json(client, VERIFY_COMPLETE, answer).status_code == 200
    client.logout()
    client.force_login(officer)

    response = post_json(client, VERIFY_COMPLETE, answer)

    assert response.status_code == 400
    assert response.json()["code"] == "invalid_state"
    # Nor for a new challenge: it signed the old one.
    post_json(client, VERIFY_BEGIN)
    assert post_json(client, VERIFY_COMPLETE, answer).status_code == 422
    assert client.get("/verwaltung/").status_code == 302


def test_a_forged_signature_is_refused(client, otp_required):
    officer = beirat_officer()
    key = with_key(client, officer)
    client.force_login(officer)
    options = post_json(client, VERIFY_BEGIN).json()
    answer = key.sign(options)
    signature = bytearray(unb64(answer["response"]["signature"]))
    signature[-1] ^= 1
    answer["response"]["signature"] = b64(bytes(signature))
    assert post_json(client, VERIFY_COMPLETE, answer).status_code == 422
    assert client.get("/verwaltung/").status_code == 302


def test_another_persons_key_does_not_confirm_her_login(client, otp_required):
    officer = beirat_officer()
    with_key(client, officer)
    other_key = with_key(client, beirat_officer())
    client.force_login(officer)
    response = confirm_with(client, other_key)
    assert response.status_code == 403
    assert response.json()["detail"] == "Dieser Sicherheitsschlüssel gehört zu einem anderen Konto."
    assert client.get("/verwaltung/").status_code == 302


@pytest.mark.parametrize(
    "body",
    [
        b"not json",
        b"[]",
        b'"text"',
        b"{}",
        b'{"id": "x", "rawId": "!!!", "type": "public-key", "response": {}}',
        b'{"id": 1, "rawId": {}, "type": "public-key", "response": []}',
        b'{"id": "AA", "rawId": "AA", "type": "public-key", "response": {"clientDataJSON":'
        b' "!!", "authenticatorData": "%%", "signature": "AA", "attestationObject": "AA"}}',
    ],
)
def test_malformed_answers_are_refused_without_an_error_page(client, otp_required, body):
    officer = beirat_officer()
    client.force_login(officer)
    for begin, complete in ((REGISTER_BEGIN, REGISTER_COMPLETE), (VERIFY_BEGIN, VERIFY_COMPLETE)):
        post_json(client, begin)
        response = client.post(complete, body, content_type="application/json")
        assert 400 <= response.status_code < 500, (complete, response.status_code)
        assert isinstance(response.json()["detail"], str)
    assert WebAuthnCredential.objects.count() == 0


def test_get_starts_no_ceremony(client, otp_required):
    client.force_login(beirat_officer())
    for url in (REGISTER_BEGIN, REGISTER_COMPLETE, VERIFY_BEGIN, VERIFY_COMPLETE):
        assert client.get(url).status_code == 405
    assert "otp_webauthn_register_state" not in client.session
    assert "otp_webauthn_authentication_state" not in client.session


# Her list of keys


def test_deleting_a_key_needs_a_verified_session(client, otp_required):
    officer = beirat_officer()
    with_key(client, officer)
    key = WebAuthnCredential.objects.get(user=officer)
    TOTPDevice.objects.create(user=officer, name="App", confirmed=True)
    client.force_login(officer)
    url = f"/konto/zweiter-faktor/schluessel/{key.pk}/entfernen/"
    response = client.post(url)
    assert (response.status_code, response.url) == (302, VERIFY)
    assert WebAuthnCredential.objects.filter(user=officer).count() == 1
    # A GET changes nothing either.
    assert client.get(url).status_code == 302
    assert WebAuthnCredential.objects.filter(user=officer).count() == 1


def test_a_verified_officer_deletes_one_of_her_keys_but_not_her_last_factor(client, otp_required):
    officer = beirat_officer()
    with_key(client, officer, name="Alt")
    old = WebAuthnCredential.objects.get(user=officer)
    verified_session(client, officer, old)
    register_key(client, SoftKey(), name="Neu")
    new = WebAuthnCredential.objects.get(user=officer, name="Neu")
    verified_session(client, officer, new)

    response = client.post(
        f"/konto/zweiter-faktor/schluessel/{old.pk}/entfernen/", {"next": "/beirat/"}
    )

    assert (response.status_code, response.url) == (302, SETUP + "?next=%2Fbeirat%2F")
    assert list(WebAuthnCredential.objects.filter(user=officer)) == [new]
    assert "Der Sicherheitsschlüssel „Alt“ ist entfernt." in client.get(SETUP).content.decode()
    client.post(f"/konto/zweiter-faktor/schluessel/{new.pk}/entfernen/")
    assert list(WebAuthnCredential.objects.filter(user=officer)) == [new]
    assert client.get(SETUP).content.decode().count("Das ist Ihr einziger zweiter Faktor.") == 1


def test_nobody_deletes_another_persons_key(client, otp_required):
    officer = beirat_officer()
    with_key(client, officer)
    with_key(client, beirat_officer())
    own, foreign = WebAuthnCredential.objects.order_by("pk")
    TOTPDevice.objects.create(user=officer, name="App", confirmed=True)
    verified_session(client, officer, own)
    response = client.post(f"/konto/zweiter-faktor/schluessel/{foreign.pk}/entfernen/")
    assert response.status_code == 302
    assert WebAuthnCredential.objects.count() == 2


@pytest.mark.parametrize("count", [1, 8])
def test_key_list_queries_do_not_grow(client, django_assert_max_num_queries, count):
    officer = beirat_officer()
    with_key(client, officer)
    device = WebAuthnCredential.objects.get(user=officer)
    verified_session(client, officer, device)
    for _ in range(count - 1):
        register_key(client, SoftKey())
    with django_assert_max_num_queries(14):
        response = client.get(SETUP)
    assert response.content.decode().count("/entfernen/") == count


def test_pages_with_keys_have_no_inline_script(client, otp_required):
    officer = beirat_officer()
    with_key(client, officer)
    client.force_login(officer)
    verify_page = client.get(VERIFY).content.decode()
    verified_session(client, officer, WebAuthnCredential.objects.get(user=officer))
    for page in (verify_page, client.get(SETUP).content.decode()):
        scripts = re.findall(r"<script[^>]*>", page)
        assert '<script src="/static/js/security-keys.js" defer>' in scripts
        assert all(" src=" in tag for tag in scripts), scripts


# The programme office resets a lost key


def test_office_reset_forgets_keys_apps_and_backup_codes(client, otp_required):
    office = ProgrammeOfficeFactory()
    office_app = TOTPDevice.objects.create(user=office, name="App", confirmed=True)
    officer = beirat_officer()
    with_key(client, officer)
    TOTPDevice.objects.create(user=officer, name="App", confirmed=True)
    backup_codes_renew(user=officer)
    key = WebAuthnCredential.objects.get(user=officer)
    verified_session(client, office, office_app)

    changelist = client.get("/verwaltung/django_otp_webauthn/webauthncredential/")
    assert changelist.status_code == 200
    assert key.name in changelist.content.decode()
    detail = client.get(f"/verwaltung/django_otp_webauthn/webauthncredential/{key.pk}/change/")
    assert key.public_key.hex() not in detail.content.decode()
    response = client.post(
        "/verwaltung/django_otp_webauthn/webauthncredential/",
        {"action": "delete_selected", "_selected_action": [key.pk], "post": "yes"},
    )

    assert response.status_code == 302
    assert list(WebAuthnCredential.objects.filter(user=officer)) == []
    assert list(TOTPDevice.objects.filter(user=officer)) == []
    assert list(StaticDevice.objects.filter(user=officer)) == []
    entry = LogEntry.objects.get(object_id=str(key.pk))
    assert (entry.user_id, entry.action_flag) == (office.pk, DELETION)
    client.logout()
    client.force_login(officer)
    assert client.get("/verwaltung/").url == SETUP + "?next=%2Fverwaltung%2F"


def test_resetting_the_app_forgets_the_keys_too(client, otp_required):
    office = ProgrammeOfficeFactory()
    verified_session(client, office, TOTPDevice.objects.create(user=office, confirmed=True))
    officer = beirat_officer()
    with_key(client, officer)
    app = TOTPDevice.objects.create(user=officer, name="App", confirmed=True)
    verified_session(client, office, TOTPDevice.objects.get(user=office))
    client.post(
        "/verwaltung/otp_totp/totpdevice/",
        {"action": "delete_selected", "_selected_action": [app.pk], "post": "yes"},
    )
    assert WebAuthnCredential.objects.filter(user=officer).count() == 0


def test_officers_cannot_see_or_reset_keys(client, otp_required):
    officer = beirat_officer()
    with_key(client, officer)
    key = WebAuthnCredential.objects.get(user=officer)
    verified_session(client, officer, key)
    assert client.get("/verwaltung/django_otp_webauthn/webauthncredential/").status_code == 403
    response = client.post(
        f"/verwaltung/django_otp_webauthn/webauthncredential/{key.pk}/delete/", {"post": "yes"}
    )
    assert response.status_code == 403
    assert WebAuthnCredential.objects.count() == 1


@pytest.mark.parametrize("count", [1, 8])
def test_key_admin_list_queries_do_not_grow(client, django_assert_max_num_queries, count):
    office = ProgrammeOfficeFactory()
    verified_session(client, office, TOTPDevice.objects.create(user=office, confirmed=True))
    for _ in range(count):
        with_key(client, beirat_officer())
    verified_session(client, office, TOTPDevice.objects.get(user=office))
    with django_assert_max_num_queries(13):
        response = client.get("/verwaltung/django_otp_webauthn/webauthncredential/")
    assert response.status_code == 200
    assert response.content.decode().count('name="_selected_action"') == count
