import re

import pytest
from django.core import mail

from tests.factories import PASSWORD, BeiratMembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_login_with_email_in_any_case(client):
    user = UserFactory(email="anna@example.org")
    response = client.post(
        "/konto/anmelden/", {"username": "ANNA@example.org", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


def test_wrong_password_is_a_german_error_and_keeps_the_address(client):
    UserFactory(email="anna@example.org")
    response = client.post("/konto/anmelden/", {"username": "anna@example.org", "password": "x"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "E-Mail-Adresse oder Passwort sind nicht korrekt." in html
    assert 'value="anna@example.org"' in html


def test_logout_is_a_post(client):
    client.force_login(UserFactory())
    response = client.post("/konto/abmelden/")
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_password_reset_sends_a_german_mail_with_a_working_link(client):
    user = UserFactory(email="anna@example.org")
    response = client.post("/konto/passwort/vergessen/", {"email": "anna@example.org"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["anna@example.org"]
    assert message.subject == "Ihr Passwort für das Cross-Mentoring"
    assert message.body.startswith("Guten Tag,")
    link = re.search(r"http://testserver(/konto/passwort/neu/\S+/)", message.body).group(1)
    form_url = client.get(link).url  # Django swaps the token for a session marker
    response = client.post(
        form_url,
        {"new_password1": "ein-neues-Passwort-42", "new_password2": "ein-neues-Passwort-42"},
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("ein-neues-Passwort-42")


def test_password_reset_for_unknown_address_sends_nothing_and_says_the_same(client):
    response = client.post("/konto/passwort/vergessen/", {"email": "nobody@example.org"})
    assert response.status_code == 302
    assert mail.outbox == []


def test_navigation_offers_the_admin_to_officers_only(client):
    officer = BeiratMembershipFactory().user
    client.force_login(UserFactory())
    assert 'href="/verwaltung/"' not in client.get("/impressum/").content.decode()
    client.force_login(officer)
    assert 'href="/verwaltung/"' in client.get("/impressum/").content.decode()
