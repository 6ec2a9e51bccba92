"""Sessions end after 30 idle minutes, for everyone; the last activity is written sparingly."""

import time

import pytest
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore

from mentoring.idle import LAST_ACTIVITY_KEY
from tests.factories import PASSWORD, ProgrammeOfficeFactory, UserFactory

pytestmark = pytest.mark.django_db

MESSAGE = "Sie wurden nach 30 Minuten ohne Aktivität abgemeldet."


def idle_for(client, seconds):
    """Makes the stored last activity ``seconds`` old, as if she had left the desk."""
    session = client.session
    session[LAST_ACTIVITY_KEY] = int(time.time()) - seconds
    session.save()


def stored_last_activity(client):
    return SessionStore(session_key=client.cookies[settings.SESSION_COOKIE_NAME].value).load()[
        LAST_ACTIVITY_KEY
    ]


def test_the_default_is_thirty_minutes():
    assert settings.SESSION_IDLE_MINUTES == 30
    # The cookie outlives the idle time, so that the login page can still say why.
    assert settings.SESSION_COOKIE_AGE == 8 * 60 * 60


def test_login_counts_as_activity(client):
    UserFactory(email="anna@example.org")
    before = int(time.time())
    client.post("/konto/anmelden/", {"username": "anna@example.org", "password": PASSWORD})
    assert before <= stored_last_activity(client) <= int(time.time())


@pytest.mark.parametrize("factory", [UserFactory, ProgrammeOfficeFactory])
def test_after_thirty_idle_minutes_she_is_logged_out_and_told_why(client, factory):
    client.force_login(factory())
    idle_for(client, 30 * 60 + 1)

    response = client.get("/start/")

    assert response.status_code == 302
    assert response.url == "/konto/anmelden/?next=/start/"
    assert "_auth_user_id" not in client.session
    page = client.get(response.url).content.decode()
    assert f'<div class="alert alert-info">{MESSAGE}</div>' in page


def test_a_post_after_the_timeout_does_nothing_and_leads_to_the_login(client):
    user = UserFactory()
    client.force_login(user)
    idle_for(client, 45 * 60)
    response = client.post("/konto/zweiter-faktor/notfallcodes/")
    assert (response.status_code, response.url) == (302, "/konto/anmelden/?next=/")
    assert "_auth_user_id" not in client.session


def test_just_under_thirty_minutes_she_stays_and_the_clock_restarts(client):
    client.force_login(UserFactory())
    idle_for(client, 29 * 60)

    response = client.get("/start/")

    assert response.status_code == 200
    assert int(time.time()) - stored_last_activity(client) <= 1


def test_within_a_minute_the_session_is_not_written_again(client):
    client.force_login(UserFactory())
    idle_for(client, 30)
    written = stored_last_activity(client)

    response = client.get("/start/")

    assert response.status_code == 200
    # No session save: no new cookie, and the stored time is the old one.
    assert settings.SESSION_COOKIE_NAME not in response.cookies
    assert stored_last_activity(client) == written


def test_after_a_minute_the_last_activity_is_written(client):
    client.force_login(UserFactory())
    idle_for(client, 61)

    response = client.get("/start/")

    assert settings.SESSION_COOKIE_NAME in response.cookies
    assert int(time.time()) - stored_last_activity(client) <= 1


def test_anonymous_visits_store_nothing(client):
    response = client.get("/")
    assert response.status_code == 200
    assert settings.SESSION_COOKIE_NAME not in response.cookies
