import pytest
from django.test import Client
from django.urls import path

from mentoring.urls import urlpatterns as site_urlpatterns

pytestmark = pytest.mark.django_db


def boom(request):
    raise RuntimeError("secret detail: postgres://user:hunter2@db/prod")


urlpatterns = [path("boom/", boom), *site_urlpatterns]


def test_unknown_url_gets_a_german_404(client):
    response = client.get("/gibt-es-nicht/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Seite nicht gefunden" in html
    assert '<html lang="de"' in html


@pytest.mark.urls("tests.mentoring.test_pages")
def test_server_error_page_leaks_nothing():
    client = Client(raise_request_exception=False)
    response = client.get("/boom/")
    assert response.status_code == 500
    html = response.content.decode()
    assert "Ein Fehler ist aufgetreten" in html
    assert "hunter2" not in html
    assert "RuntimeError" not in html
    assert "Traceback" not in html


@pytest.mark.parametrize("url", ["/impressum/", "/datenschutz/", "/barrierefreiheit/"])
def test_legal_pages_exist_in_german(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response.content.decode().count("<h1") == 1


def test_english_is_available(client):
    response = client.get("/impressum/", HTTP_ACCEPT_LANGUAGE="en")
    assert '<html lang="en"' in response.content.decode()


def test_security_headers_are_set(client):
    response = client.get("/impressum/")
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_the_installation_name_is_a_setting(client, settings, admin_user):
    settings.SITE_NAME = "Mentoring Rheinland"
    html = client.get("/impressum/").content.decode()
    assert '<a class="navbar-brand fw-bold" href="/">Mentoring Rheinland</a>' in html
    assert "· Mentoring Rheinland</title>" in html
    client.force_login(admin_user)
    assert "Mentoring Rheinland – Verwaltung" in client.get("/verwaltung/").content.decode()
