"""Her language follows her from device to device (``mentoring.languages``)."""

import pytest
from django.conf import settings

from mentoring.models import User
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

LOGIN = "/konto/anmelden/"
COOKIE = settings.LANGUAGE_COOKIE_NAME


def log_in(client, user):
    response = client.post(LOGIN, {"username": user.email, "password": PASSWORD})
    assert response.status_code == 302
    return response


def test_a_device_without_a_choice_gets_her_saved_language_at_login(client):
    her = UserFactory(language="en")
    response = log_in(client, her)
    cookie = response.cookies[COOKIE]
    assert cookie.value == "en"
    assert cookie["samesite"] == "Lax"
    assert cookie["httponly"]
    # The next page speaks it.
    page = client.get("/start/")
    assert page.status_code == 200
    assert '<html lang="en"' in page.content.decode()


def test_a_device_where_she_chose_a_language_tells_her_account(client):
    her = UserFactory(language="de")
    client.cookies[COOKIE] = "en"
    response = log_in(client, her)
    assert COOKIE not in response.cookies
    assert User.objects.get(pk=her.pk).language == "en"


def test_an_unknown_language_in_the_cookie_changes_nothing_of_hers(client):
    her = UserFactory(language="en")
    client.cookies[COOKIE] = "xx"
    response = log_in(client, her)
    assert response.cookies[COOKIE].value == "en"
    assert User.objects.get(pk=her.pk).language == "en"


def test_a_failed_login_sets_no_language(client):
    her = UserFactory(language="en")
    response = client.post(LOGIN, {"username": her.email, "password": "wrong"})
    assert response.status_code == 200
    assert COOKIE not in response.cookies
