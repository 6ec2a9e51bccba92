"""The second factor: officers and the programme office pass a TOTP code before their pages.

Codes are computed here as the person's app would (django_otp.oath.totp), from the secret
the enrolment page shows; nothing of our own is mocked.
"""

import html
import re
from base64 import b32decode
from binascii import unhexlify
from urllib.parse import quote

import pytest
from django.contrib.admin.models import DELETION, LogEntry
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from mentoring.second_factor import (
    OPEN_VIEWS,
    backup_codes_renew,
    provisioning_uri,
    secret_for_typing,
)
from tests.factories import (
    BeiratMembershipFactory,
    OfficerFactory,
    ProgrammeOfficeFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

SETUP = "/konto/zweiter-faktor/einrichten/"
VERIFY = "/konto/zweiter-faktor/"
BACKUP = "/konto/zweiter-faktor/notfallcodes/"


@pytest.fixture
def otp_required(settings):
    settings.MENTORING_REQUIRE_OTP = True


def beirat_officer(**fields):
    """An equality officer on a programme's Beirat: she may use the admin."""
    return BeiratMembershipFactory(
        **{f"user__{name}": value for name, value in fields.items()}
    ).user


def code_for(key_hex, *, ahead=0):
    """The code an app shows now (``ahead`` steps later: the next one)."""
    return f"{totp(unhexlify(key_hex), drift=ahead):06d}"


def enrolled(user):
    return TOTPDevice.objects.create(user=user, name="App", confirmed=True)


def verified_session(client, device):
    client.force_login(device.user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()


def enrolment_page(client):
    """The enrolment page's secret (hex, as stored), its signed form field and its HTML."""
    response = client.get(SETUP)
    assert response.status_code == 200
    page = response.content.decode()
    secret = re.search(r'<p class="otp-secret"><code>([A-Z2-7 ]+)</code>', page).group(1)
    key = b32decode(secret.replace(" ", "")).hex()
    enrolment = re.search(r'name="enrolment" value="([^"]+)"', page).group(1)
    return key, enrolment, page


def field_error(page):
    """The text of the code field's error, as crispy renders it next to the field."""
    match = re.search(r'<p id="error_1_id_code"><strong>(.*?)</strong>', page)
    return html.unescape(match.group(1)) if match else None


# Enrolment


def test_qr_code_carries_the_secret_for_the_app():
    officer = OfficerFactory.build(email="martina.muster@example.org")
    key = "3132333435363738393031323334353637383930"
    assert provisioning_uri(user=officer, key=key) == (
        "otpauth://totp/Cross-Mentoring%3Amartina.muster%40example.org"
        "?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Cross-Mentoring"
        "&algorithm=SHA1&digits=6&period=30"
    )
    assert secret_for_typing(key) == "GEZD GNBV GY3T QOJQ GEZD GNBV GY3T QOJQ"


def test_officer_without_an_app_is_sent_to_the_enrolment(client, otp_required):
    client.force_login(beirat_officer())
    response = client.get("/beirat/")
    assert response.status_code == 302
    assert response.url == SETUP + "?next=%2Fbeirat%2F"


def test_enrolment_page_shows_qr_code_and_secret_and_stores_nothing(client, otp_required):
    officer = beirat_officer()
    client.force_login(officer)
    key, _, page = enrolment_page(client)
    assert len(key) == 40
    # An inline SVG without style attributes (the CSP allows no inline style), named.
    svg = re.search(r"<svg[^>]*>", page).group(0)
    assert re.fullmatch(r'<svg role="img" viewBox="0 0 (\d+) \1" class="qr-code">', svg)
    assert "<title>QR-Code zum Einrichten der Authenticator-App</title>" in page
    assert " style=" not in page
    assert re.search(r'<p class="otp-secret"><code>(\w{4} ){7}\w{4}</code>', page)
    code_input = re.search(r'<input type="text" name="code"[^>]*>', page).group(0)
    assert 'autocomplete="one-time-code"' in code_input
    assert 'inputmode="numeric"' in code_input
    assert re.search(r'<label\s+for="id_code"', page)
    assert 'aria-describedby="id_code_helptext"' in code_input
    assert TOTPDevice.objects.count() == 0
    # Each visit shows a new secret until one is confirmed.
    assert enrolment_page(client)[0] != key


def test_enrolment_with_the_apps_code_confirms_the_app_and_opens_the_admin(client, otp_required):
    officer = beirat_officer()
    client.force_login(officer)
    key, enrolment, _ = enrolment_page(client)

    response = client.post(
        SETUP, {"enrolment": enrolment, "code": code_for(key), "next": "/verwaltung/"}
    )

    assert response.status_code == 302
    assert response.url == BACKUP + "?next=%2Fverwaltung%2F"
    device = TOTPDevice.objects.get(user=officer)
    assert (device.key, device.confirmed, device.name) == (key, True, "Authenticator-App")
    assert client.get("/verwaltung/").status_code == 200
    assert client.get("/beirat/").status_code != 302


@pytest.mark.parametrize("typed", ["²²²²²²", "١٢٣٤٥٦"])
def test_digits_other_than_0_to_9_are_a_message_not_an_error(client, otp_required, typed):
    """str.isdigit() takes superscripts and Arabic-Indic digits; int() refused the first."""
    officer = beirat_officer()
    client.force_login(officer)
    _key, enrolment, _ = enrolment_page(client)
    response = client.post(SETUP, {"enrolment": enrolment, "code": typed})
    assert response.status_code == 200
    assert field_error(response.content.decode()).startswith("Der Code besteht aus sechs Ziffern.")
    assert TOTPDevice.objects.count() == 0
    device = enrolled(beirat_officer())
    client.force_login(device.user)
    response = client.post(VERIFY, {"code": typed})
    assert response.status_code == 200
    assert field_error(response.content.decode()).startswith("Dieser Code passt nicht.")


def test_wrong_enrolment_code_is_a_german_error_at_the_field_and_keeps_the_secret(
    client, otp_required
):
    officer = beirat_officer()
    client.force_login(officer)
    key, enrolment, _ = enrolment_page(client)
    wrong = f"{(int(code_for(key)) + 1) % 1_000_000:06d}"

    response = client.post(SETUP, {"enrolment": enrolment, "code": wrong})

    assert response.status_code == 200
    page = response.content.decode()
    assert field_error(page) == (
        "Dieser Code passt nicht. Bitte geben Sie den Code ein, den Ihre App jetzt anzeigt, "
        "und prüfen Sie, ob die Uhrzeit Ihres Telefons stimmt."
    )
    assert f'value="{wrong}"' in page
    secret = re.search(r'<p class="otp-secret"><code>([A-Z2-7 ]+)</code>', page).group(1)
    assert b32decode(secret.replace(" ", "")).hex() == key
    assert TOTPDevice.objects.count() == 0
    assert client.get("/verwaltung/").status_code == 302


@pytest.mark.parametrize(
    ("code", "error"),
    [
        ("", "Bitte geben Sie den Code aus Ihrer App ein."),
        ("12a456", "Der Code besteht aus sechs Ziffern. Bitte prüfen Sie Ihre Eingabe."),
        ("1234567", "Der Code besteht aus sechs Ziffern. Bitte prüfen Sie Ihre Eingabe."),
    ],
)
def test_malformed_enrolment_code_is_a_german_error_at_the_field(client, otp_required, code, error):
    client.force_login(beirat_officer())
    _, enrolment, _ = enrolment_page(client)
    response = client.post(SETUP, {"enrolment": enrolment, "code": code})
    assert response.status_code == 200
    assert field_error(response.content.decode()) == error


def test_forged_or_foreign_enrolment_secret_is_refused(client, otp_required):
    other = beirat_officer()
    client.force_login(other)
    key, foreign, _ = enrolment_page(client)
    client.force_login(beirat_officer())

    for enrolment in (foreign, "forged:token"):
        response = client.post(SETUP, {"enrolment": enrolment, "code": code_for(key)})
        assert response.status_code == 200
        assert field_error(response.content.decode()).startswith(
            "Die Einrichtung hat zu lange gedauert."
        )
    assert TOTPDevice.objects.count() == 0


def test_code_spaces_are_ignored(client, otp_required):
    officer = beirat_officer()
    client.force_login(officer)
    key, enrolment, _ = enrolment_page(client)
    code = code_for(key)
    response = client.post(SETUP, {"enrolment": enrolment, "code": f"{code[:3]} {code[3:]}"})
    assert response.status_code == 302
    assert TOTPDevice.objects.filter(user=officer, confirmed=True).count() == 1


# Verification


def test_officer_with_an_app_is_sent_to_verification_and_passes_with_its_code(client, otp_required):
    officer = beirat_officer()
    device = enrolled(officer)
    client.force_login(officer)
    response = client.get("/verwaltung/")
    assert response.status_code == 302
    assert response.url == VERIFY + "?next=%2Fverwaltung%2F"
    page = client.get(response.url).content.decode()
    assert 'autocomplete="one-time-code"' in page

    response = client.post(VERIFY, {"code": code_for(device.key), "next": "/verwaltung/"})

    assert response.status_code == 302
    assert response.url == "/verwaltung/"
    assert client.get("/verwaltung/").status_code == 200


def test_a_code_used_once_does_not_verify_a_second_session(client, otp_required):
    officer = beirat_officer()
    device = enrolled(officer)
    code = code_for(device.key)
    client.force_login(officer)
    assert client.post(VERIFY, {"code": code}).status_code == 302
    client.logout()
    client.force_login(officer)
    response = client.post(VERIFY, {"code": code})
    assert response.status_code == 200
    assert field_error(response.content.decode()).startswith("Dieser Code passt nicht.")


def test_wrong_codes_are_throttled_even_against_the_right_one(client, otp_required):
    officer = beirat_officer()
    device = enrolled(officer)
    client.force_login(officer)
    wrong = f"{(int(code_for(device.key)) + 1) % 1_000_000:06d}"

    response = client.post(VERIFY, {"code": wrong})
    assert field_error(response.content.decode()) == (
        "Dieser Code passt nicht. Bitte geben Sie den Code ein, den Ihre App jetzt anzeigt, "
        "oder einen unbenutzten Notfallcode."
    )
    device.refresh_from_db()
    assert device.throttling_failure_count == 1
    # Twice more: the lock doubles to 2 s, and within it even the right code is not tried.
    device.throttling_failure_timestamp = timezone.now() - timezone.timedelta(seconds=5)
    device.save()
    client.post(VERIFY, {"code": wrong})
    response = client.post(VERIFY, {"code": code_for(device.key)})
    assert field_error(response.content.decode()) == (
        "Zu viele falsche Codes. Bitte warten Sie 2 Sekunden und versuchen Sie es dann erneut."
    )
    assert client.get("/verwaltung/").status_code == 302
    device.refresh_from_db()
    assert device.throttling_failure_count == 2

    # Once the lock has passed, the right code works and the count starts again.
    device.throttling_failure_timestamp = timezone.now() - timezone.timedelta(seconds=5)
    device.save()
    assert client.post(VERIFY, {"code": code_for(device.key)}).status_code == 302
    device.refresh_from_db()
    assert device.throttling_failure_count == 0
    assert client.get("/verwaltung/").status_code == 200


def test_a_backup_code_verifies_once(client, otp_required):
    officer = beirat_officer()
    enrolled(officer)
    codes = backup_codes_renew(user=officer)
    assert len(codes) == 10
    assert all(len(code) == 10 and code.isdigit() for code in codes)
    client.force_login(officer)

    response = client.post(VERIFY, {"code": f"{codes[3][:5]} {codes[3][5:]}"})

    assert response.status_code == 302
    assert client.get("/verwaltung/").status_code == 200
    assert StaticToken.objects.filter(device__user=officer).count() == 9
    client.logout()
    client.force_login(officer)
    response = client.post(VERIFY, {"code": codes[3]})
    assert response.status_code == 200
    assert client.get("/verwaltung/").status_code == 302


def test_verification_is_not_asked_of_someone_without_an_app(client, otp_required):
    client.force_login(beirat_officer())
    response = client.get(VERIFY + "?next=/beirat/")
    assert response.status_code == 302
    assert response.url == SETUP + "?next=%2Fbeirat%2F"


def test_next_outside_the_site_is_ignored(client, otp_required):
    officer = beirat_officer()
    device = enrolled(officer)
    client.force_login(officer)
    response = client.post(VERIFY, {"code": code_for(device.key), "next": "https://evil.example"})
    assert response.url == "/start/"


# Backup codes page


def test_backup_codes_are_shown_once_and_replace_the_old_ones(client, otp_required):
    officer = beirat_officer()
    device = enrolled(officer)
    old = backup_codes_renew(user=officer)
    verified_session(client, device)

    response = client.get(BACKUP)
    assert response.status_code == 200
    assert "Sie haben noch 10 unbenutzte Notfallcodes." in response.content.decode()
    assert StaticToken.objects.filter(token__in=old).count() == 10  # a GET writes nothing

    response = client.post(BACKUP)

    assert response.status_code == 200
    shown = re.findall(r"<li><code>(\d{5} \d{5})</code></li>", response.content.decode())
    assert len(shown) == 10
    stored = set(StaticToken.objects.filter(device__user=officer).values_list("token", flat=True))
    assert stored == {code.replace(" ", "") for code in shown}
    assert StaticDevice.objects.filter(user=officer).count() == 1
    assert client.get(BACKUP).content.decode().count("<li><code>") == 0


def test_backup_codes_need_a_verified_session(client, otp_required):
    officer = beirat_officer()
    enrolled(officer)
    client.force_login(officer)
    assert client.get(BACKUP).url == VERIFY + "?next=" + quote(BACKUP, safe="")
    response = client.post(BACKUP)
    assert (response.status_code, response.url) == (302, VERIFY)
    assert StaticToken.objects.count() == 0


# Who is asked


def test_participants_are_never_asked(client, otp_required):
    client.force_login(UserFactory())
    assert client.get("/start/").status_code == 200
    assert client.get("/bewerbung/").status_code == 200
    response = client.get(SETUP)
    assert (response.status_code, response.url) == (302, "/start/")
    assert TOTPDevice.objects.count() == 0


def test_switched_off_nobody_is_asked(client, settings):
    settings.MENTORING_REQUIRE_OTP = False
    client.force_login(ProgrammeOfficeFactory())
    assert client.get("/verwaltung/").status_code == 200


def _named_urls(resolver, namespace=""):
    """Every named URL of the site, with made-up arguments of the right kind."""
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _named_urls(pattern, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}"


# Made-up arguments of the right kind for every URL parameter of the site.
EXAMPLE_ARGUMENTS = {"slug": "x", "role": "mentee", "kind": "cv", "token": "x", "code": "x"}
EXAMPLE_ARGUMENTS |= {"uidb64": "x", "app_label": "mentoring", "object_id": "1"}


def _example_url(name):
    """A URL of the named pattern (numbers for ids), or None if none can be made."""
    resolver = get_resolver()
    *namespaces, view = name.split(":")
    for namespace in namespaces:
        resolver = resolver.namespace_dict[namespace][1]
    for possibility, _pattern, _defaults, _converters in resolver.reverse_dict.getlist(view):
        for _result, params in possibility:
            try:
                return reverse(name, kwargs={key: EXAMPLE_ARGUMENTS.get(key, 1) for key in params})
            except NoReverseMatch:
                continue
    return None


@pytest.mark.parametrize("with_app", [False, True])
def test_every_page_but_login_and_the_second_factor_sends_an_unverified_officer_there(
    client, otp_required, with_app
):
    office = ProgrammeOfficeFactory()
    if with_app:
        enrolled(office)
    client.force_login(office)
    target = VERIFY if with_app else SETUP
    names = sorted(set(_named_urls(get_resolver())) - OPEN_VIEWS)
    walked = []
    for name in names:
        url = _example_url(name)
        if url is None:
            continue
        response = client.get(url)
        assert response.status_code == 302, (name, url, response.status_code)
        assert response.url == f"{target}?next={quote(url, safe='')}", (name, url)
        walked.append(name)
    # Every named page was reached, the officers' among them.
    assert walked == names
    assert {"admin:index", "admin:mentoring_user_changelist", "tandems:beirat"} <= set(walked)
    assert {"tandems:matching", "workshops:attendance", "workshops:certificates"} <= set(walked)
    # A POST is refused the same way, without a way back to it.
    response = client.post(reverse("tandems:run", kwargs={"cohort_id": 1}))
    assert (response.status_code, response.url) == (302, target)


def test_open_pages_stay_open_to_an_unverified_officer(client, otp_required):
    officer = beirat_officer()
    enrolled(officer)
    client.force_login(officer)
    assert client.get(VERIFY).status_code == 200
    assert client.get("/konto/anmelden/").status_code == 200
    response = client.post("/konto/abmelden/")
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


# The programme office resets a lost device


def test_office_resets_a_lost_app_and_the_officer_enrols_again(client, otp_required):
    office = ProgrammeOfficeFactory()
    office_device = enrolled(office)
    officer = beirat_officer(first_name="Martina", last_name="Muster")
    officer_device = enrolled(officer)
    backup_codes_renew(user=officer)
    verified_session(client, office_device)

    changelist = client.get("/verwaltung/otp_totp/totpdevice/")
    assert changelist.status_code == 200
    assert "Martina Muster" in changelist.content.decode()
    assert officer_device.key not in changelist.content.decode()
    detail = client.get(f"/verwaltung/otp_totp/totpdevice/{officer_device.pk}/change/")
    assert officer_device.key not in detail.content.decode()
    response = client.post(
        "/verwaltung/otp_totp/totpdevice/",
        {"action": "delete_selected", "_selected_action": [officer_device.pk], "post": "yes"},
    )

    assert response.status_code == 302
    assert list(TOTPDevice.objects.filter(user=officer)) == []
    assert list(StaticDevice.objects.filter(user=officer)) == []
    assert TOTPDevice.objects.filter(user=office).count() == 1
    entry = LogEntry.objects.get(object_id=str(officer_device.pk))
    assert (entry.user_id, entry.action_flag) == (office.pk, DELETION)
    client.logout()
    client.force_login(officer)
    assert client.get("/verwaltung/").url == SETUP + "?next=%2Fverwaltung%2F"


def test_a_session_verified_with_a_reset_device_is_asked_again(client, otp_required):
    officer = beirat_officer()
    device = enrolled(officer)
    verified_session(client, device)
    assert client.get("/verwaltung/").status_code == 200
    TOTPDevice.objects.filter(pk=device.pk).delete()
    assert client.get("/verwaltung/").status_code == 302


def test_officers_cannot_see_or_reset_devices(client, otp_required):
    officer = beirat_officer()
    device = enrolled(officer)
    other = enrolled(beirat_officer())
    verified_session(client, device)
    assert client.get("/verwaltung/otp_totp/totpdevice/").status_code == 403
    response = client.post(f"/verwaltung/otp_totp/totpdevice/{other.pk}/delete/", {"post": "yes"})
    assert response.status_code == 403
    assert TOTPDevice.objects.count() == 2
    # Nor do django-otp's own pages for backup codes exist in the admin.
    assert client.get("/verwaltung/otp_static/staticdevice/").status_code == 404


@pytest.mark.parametrize("count", [1, 8])
def test_device_list_queries_do_not_grow(client, django_assert_max_num_queries, count):
    office = ProgrammeOfficeFactory()
    verified_session(client, enrolled(office))
    for _ in range(count - 1):
        enrolled(beirat_officer())
    with django_assert_max_num_queries(13):
        response = client.get("/verwaltung/otp_totp/totpdevice/")
    assert response.status_code == 200
    assert response.content.decode().count('name="_selected_action"') == count


def test_enrolment_clock_tolerance_takes_the_next_code(client, otp_required):
    """An app whose clock runs up to one step ahead is still accepted."""
    officer = beirat_officer()
    client.force_login(officer)
    key, enrolment, _ = enrolment_page(client)
    response = client.post(SETUP, {"enrolment": enrolment, "code": code_for(key, ahead=1)})
    assert response.status_code == 302
    assert TOTPDevice.objects.filter(user=officer).count() == 1
