"""Registration tells nobody whether an address already has an account.

The page answers the same way for a new and a known address; only the mail differs, and
only the owner of the address reads it.
"""

import re

import pytest
from django.core import mail

from mentoring.models import User
from tests.factories import PASSWORD, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.security]

NEXT = "/bewerbung/"


def register(client, email, **changes):
    data = {
        "first_name": "Anna",
        "last_name": "Muster",
        "email": email,
        "password1": "sehr-geheimes-Passwort-7",
        "password2": "sehr-geheimes-Passwort-7",
        "next": NEXT,
    }
    data.update(changes)
    return client.post("/konto/registrieren/", data)


CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')


def answer(client, response):
    """What the person at the screen sees: the redirect and the page it leads to."""
    page = client.get(response["Location"])
    html = CSRF.sub("CSRF", page.content.decode())
    return response.status_code, response["Location"], page.status_code, html


def test_a_known_and_a_new_address_get_the_same_answer(client):
    UserFactory(email="bekannt@example.org", first_name="Berta", last_name="Bekannt")
    known = answer(client, register(client, "Bekannt@Example.org"))
    client.cookies.clear()
    new = answer(client, register(client, "neu@example.org"))
    assert known[:3] == new[:3] == (302, "/konto/registriert/?next=%2Fbewerbung%2F", 200)
    assert known[3].replace("Bekannt@example.org", "ADDRESS") == new[3].replace(
        "neu@example.org", "ADDRESS"
    )
    assert "_auth_user_id" not in client.session


def test_a_new_address_gets_the_account_and_the_verification_mail(client):
    register(client, "neu@example.org")
    user = User.objects.get(email="neu@example.org")
    assert (user.first_name, user.last_name, user.email_verified_at) == ("Anna", "Muster", None)
    assert user.check_password("sehr-geheimes-Passwort-7")
    assert [(m.to, m.subject) for m in mail.outbox] == [
        (["neu@example.org"], "Bitte bestätigen Sie Ihre E-Mail-Adresse")
    ]


def test_a_known_address_gets_a_mail_that_leads_to_login_and_reset_and_changes_nothing(
    client,
):
    owner = UserFactory(email="bekannt@example.org", first_name="Berta", last_name="Bekannt")
    register(
        client,
        "BEKANNT@example.org",
        first_name="Eve",
        password1="x-andere-Sache-99",
        password2="x-andere-Sache-99",
    )
    assert User.objects.filter(email__iexact="bekannt@example.org").count() == 1
    owner.refresh_from_db()
    assert (owner.first_name, owner.check_password(PASSWORD)) == ("Berta", True)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert (message.to, message.subject) == (["bekannt@example.org"], "Sie haben bereits ein Konto")
    assert message.body.startswith("Guten Tag Berta Bekannt,")
    assert (
        "Sie haben bereits ein Konto – melden Sie sich an oder setzen Sie Ihr Passwort zurück."
        in (" ".join(message.body.split()))
    )
    links = re.findall(r"http://127\.0\.0\.1:8000(\S+)", message.body)
    assert links == ["/konto/anmelden/?next=%2Fbewerbung%2F", "/konto/passwort/vergessen/"]


def test_invalid_input_is_still_shown_at_the_field(client):
    response = register(client, "neu@example.org", password2="etwas-anderes-7")
    assert response.status_code == 200
    assert "Die beiden Passwörter sind nicht identisch." in response.content.decode()
    assert User.objects.filter(email="neu@example.org").exists() is False
    assert mail.outbox == []


@pytest.mark.parametrize(
    "value",
    ["abc", "\ufffd\ufffd", "//evil.example.org/", "https://evil.example.org/", "javascript:x"],
)
def test_a_next_that_is_no_path_on_this_site_leads_home_instead_of_failing(client, value):
    assert register(client, "neu@example.org", next=value)["Location"] == (
        "/konto/registriert/?next=%2F"
    )
    client.force_login(UserFactory())
    assert client.get("/konto/registrieren/", {"next": value})["Location"] == "/"
