"""Too many failed logins lock the account, or the client address, for a while.

Both login pages count: the site's (``/konto/anmelden/``) and the admin's
(``/verwaltung/login/``). A locked login is refused even with the right password, with a
German message; a new password through the mailed link, or the programme office, unlocks.
"""

import datetime as dt
import re

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.core import mail
from django.utils import timezone

from mentoring.throttling import client_address
from tests.factories import PASSWORD, BeiratMembershipFactory, ProgrammeOfficeFactory, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.security]

SITE_LOGIN = "/konto/anmelden/"
ADMIN_LOGIN = "/verwaltung/login/"
LOCKED = (
    "Zu viele Fehlversuche für dieses Konto oder von Ihrem Netzwerk aus. Bitte versuchen Sie "
    "es in 15 Minuten erneut oder setzen Sie Ihr Passwort zurück."
)
WRONG = "E-Mail-Adresse oder Passwort sind nicht korrekt. Bitte prüfen Sie Ihre Eingabe."


def login(client, url, email, password, address="198.51.100.7"):
    return client.post(url, {"username": email, "password": password}, REMOTE_ADDR=address)


def outcome(response):
    """(status, the form's error or None, logged in?)"""
    html = response.content.decode() if response.status_code != 302 else ""
    found = re.search(r"(Zu viele Fehlversuche[^<]*|E-Mail-Adresse oder Passwort[^<]*)", html)
    logged_in = "_auth_user_id" in response.wsgi_request.session
    return response.status_code, found and " ".join(found.group(1).split()), logged_in


def test_the_limits_are_the_documented_defaults():
    assert (
        settings.LOGIN_FAILURES_PER_ACCOUNT,
        settings.LOGIN_FAILURES_PER_ADDRESS,
        settings.LOGIN_LOCKOUT_MINUTES,
    ) == (5, 50, 15)


def test_five_wrong_passwords_lock_the_account_on_the_site(client):
    UserFactory(email="anna@example.org")
    answers = [outcome(login(client, SITE_LOGIN, "anna@example.org", "falsch")) for _ in range(5)]
    assert answers == [(200, WRONG, False)] * 4 + [(429, LOCKED, False)]
    # The right password, the address typed another way, from another network: refused.
    assert outcome(login(client, SITE_LOGIN, "Anna@Example.org", PASSWORD, "203.0.113.9")) == (
        429,
        LOCKED,
        False,
    )


def test_five_wrong_passwords_lock_an_officer_on_the_admin_login(client):
    officer = BeiratMembershipFactory().user
    for _ in range(5):
        response = login(client, ADMIN_LOGIN, officer.email, "falsch")
    assert response.status_code == 429
    assert LOCKED in " ".join(response.content.decode().split())
    response = login(client, ADMIN_LOGIN, officer.email, PASSWORD)
    assert (response.status_code, "_auth_user_id" in client.session) == (429, False)
    # Failures on one login page count on the other as well.
    assert outcome(login(client, SITE_LOGIN, officer.email, PASSWORD)) == (429, LOCKED, False)


def test_thirty_wrong_passwords_never_let_the_right_one_through(client):
    UserFactory(email="anna@example.org")
    statuses = [
        login(client, SITE_LOGIN, "anna@example.org", f"raten-{n}").status_code for n in range(30)
    ]
    assert statuses == [200] * 4 + [429] * 26
    assert outcome(login(client, SITE_LOGIN, "anna@example.org", PASSWORD)) == (429, LOCKED, False)


def test_other_accounts_on_the_same_network_are_not_locked(client):
    UserFactory(email="anna@example.org")
    UserFactory(email="berta@example.org")
    for _ in range(5):
        login(client, SITE_LOGIN, "anna@example.org", "falsch")
    assert outcome(login(client, SITE_LOGIN, "berta@example.org", PASSWORD)) == (302, None, True)


def test_fifty_failures_from_one_address_lock_the_address(client):
    UserFactory(email="anna@example.org")
    for n in range(49):
        login(client, SITE_LOGIN, f"raten{n}@example.org", "falsch")
    # 49: another address's owner still gets in; the 50th failure locks the address.
    assert outcome(login(client, SITE_LOGIN, "anna@example.org", PASSWORD)) == (302, None, True)
    client.logout()
    assert outcome(login(client, SITE_LOGIN, "raten49@example.org", "falsch")) == (
        429,
        LOCKED,
        False,
    )
    assert outcome(login(client, SITE_LOGIN, "anna@example.org", PASSWORD)) == (429, LOCKED, False)
    # From another address she gets in.
    assert outcome(login(client, SITE_LOGIN, "anna@example.org", PASSWORD, "203.0.113.9")) == (
        302,
        None,
        True,
    )


def test_a_successful_login_forgives_the_failures_before_it(client):
    UserFactory(email="anna@example.org")
    for _ in range(4):
        login(client, SITE_LOGIN, "anna@example.org", "falsch")
    assert outcome(login(client, SITE_LOGIN, "anna@example.org", PASSWORD))[0] == 302
    client.logout()
    answers = [outcome(login(client, SITE_LOGIN, "anna@example.org", "falsch")) for _ in range(4)]
    assert answers == [(200, WRONG, False)] * 4


def test_the_lock_ends_after_fifteen_minutes(client):
    UserFactory(email="anna@example.org")
    for _ in range(5):
        login(client, SITE_LOGIN, "anna@example.org", "falsch")
    AccessAttempt.objects.update(attempt_time=timezone.now() - dt.timedelta(minutes=16))
    assert outcome(login(client, SITE_LOGIN, "anna@example.org", PASSWORD)) == (302, None, True)


def test_a_new_password_through_the_mailed_link_unlocks(client):
    user = UserFactory(email="anna@example.org")
    for _ in range(5):
        login(client, SITE_LOGIN, "anna@example.org", "falsch")
    client.post("/konto/passwort/vergessen/", {"email": "anna@example.org"})
    link = re.search(r"http://testserver(/konto/passwort/neu/\S+/)", mail.outbox[-1].body).group(1)
    form_url = client.get(link).url
    new_password = "ein-neues-Passwort-42"
    response = client.post(form_url, {"new_password1": new_password, "new_password2": new_password})
    assert response["Location"] == "/konto/passwort/neu/fertig/"
    assert AccessAttempt.objects.filter(username="anna@example.org").exists() is False
    assert outcome(login(client, SITE_LOGIN, "anna@example.org", new_password)) == (302, None, True)
    user.refresh_from_db()
    assert user.check_password(new_password)


def test_the_programme_office_unlocks_an_account_in_the_admin(client):
    user = UserFactory(email="anna@example.org")
    for _ in range(5):
        login(client, SITE_LOGIN, "anna@example.org", "falsch")
    client.force_login(ProgrammeOfficeFactory())
    attempts = client.get("/verwaltung/axes/accessattempt/")
    assert attempts.status_code == 200
    assert "anna@example.org" in attempts.content.decode()
    response = client.post(
        "/verwaltung/mentoring/user/",
        {"action": "unlock_login", "_selected_action": [user.pk]},
        follow=True,
    )
    assert "Die Anmeldesperre von 1 Konto ist aufgehoben." in response.content.decode()
    client.logout()
    assert outcome(login(client, SITE_LOGIN, "anna@example.org", PASSWORD)) == (302, None, True)


def test_officers_neither_see_nor_lift_locks(client):
    user = UserFactory(email="anna@example.org")
    client.force_login(BeiratMembershipFactory().user)
    assert client.get("/verwaltung/axes/accessattempt/").status_code == 403
    response = client.post(
        "/verwaltung/mentoring/user/", {"action": "unlock_login", "_selected_action": [user.pk]}
    )
    assert response.status_code == 403


@pytest.mark.parametrize(
    ("proxies", "forwarded", "remote", "expected"),
    [
        (0, "203.0.113.1", "198.51.100.7", "198.51.100.7"),
        # Behind one proxy: the address it appended, not what the client wrote before it.
        (1, "203.0.113.1, 192.0.2.44", "10.0.0.2", "192.0.2.44"),
        (1, "", "10.0.0.2", "10.0.0.2"),
        (2, "203.0.113.1, 192.0.2.44, 10.0.0.9", "10.0.0.2", "192.0.2.44"),
        (1, "kein-ip, <script>", "10.0.0.2", None),
        (0, "", "", None),
    ],
)
def test_the_client_address_is_the_one_the_trusted_proxies_saw(
    rf, settings, proxies, forwarded, remote, expected
):
    settings.TRUSTED_PROXIES = proxies
    request = rf.post("/konto/anmelden/", HTTP_X_FORWARDED_FOR=forwarded, REMOTE_ADDR=remote)
    assert client_address(request) == expected
