"""Every form: required fields marked and announced, an error summary that links each field."""

import datetime as dt

import pytest
from django.utils import timezone

from applications.enums import ApplicationState
from tandems.enums import ContactFormat
from tandems.models import Contact
from tests.factories import ApplicationFactory, ProgrammeOfficeFactory, TandemFactory, UserFactory
from tests.forms_html import elements, error_summary, field_error, summary_links, text, title

pytestmark = pytest.mark.django_db

REQUIRED_NOTE = "Mit * markierte Angaben brauchen wir; die übrigen sind freiwillig."


def test_registration_marks_its_fields_and_names_them_in_the_title_and_the_summary(client):
    page = client.get("/konto/registrieren/").content.decode()
    required = ["id_first_name", "id_last_name", "id_email", "id_password1", "id_password2"]
    assert [attrs["id"] for attrs in elements(page, "input", required=None)] == required
    labels = elements(page, "label", **{"class": "form-label requiredField"})
    assert [attrs["for"] for attrs in labels] == required
    assert len(elements(page, "span", aria_hidden="true", **{"class": "asteriskField"})) == 5
    assert REQUIRED_NOTE in text(page)
    assert error_summary(page) is None

    response = client.post(
        "/konto/registrieren/", {"first_name": "Anna", "email": "keine-adresse", "password1": "x"}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert title(page).startswith("Fehler: Konto anlegen")
    assert [href for href, _ in summary_links(page)] == [
        "#id_last_name",
        "#id_email",
        "#id_password2",
    ]
    assert summary_links(page)[0] == (
        "#id_last_name",
        "Nachname: Dieses Feld ist zwingend erforderlich.",
    )
    assert field_error(page, "id_last_name") == "Dieses Feld ist zwingend erforderlich."


def test_a_failed_login_is_said_once_in_the_summary(client):
    UserFactory(email="anna@example.org")
    data = {"username": "anna@example.org", "password": "falsch"}
    response = client.post("/konto/anmelden/", data)
    page = response.content.decode()
    assert title(page).startswith("Fehler: Anmelden")
    wrong = "E-Mail-Adresse oder Passwort sind nicht korrekt. Bitte prüfen Sie Ihre Eingabe."
    assert wrong in text(error_summary(page))
    assert page.count(wrong) == 1


def test_the_contact_form_preselects_no_format_and_links_the_missing_one(client):
    tandem = TandemFactory()
    client.force_login(tandem.mentee.applicant)
    page = client.get(f"/tandem/{tandem.pk}/kontakte/neu/").content.decode()
    radios = elements(page, "input", type="radio", name="format")
    assert [attrs["value"] for attrs in radios] == list(ContactFormat.values)
    assert [attrs for attrs in radios if "checked" in attrs] == []
    assert [attrs for attrs in radios if "required" not in attrs] == []
    assert len(elements(page, "fieldset", role="radiogroup", aria_required="true")) == 1
    assert "---------" not in page

    yesterday = (timezone.localdate() - dt.timedelta(days=1)).isoformat()
    response = client.post(
        f"/tandem/{tandem.pk}/kontakte/neu/", {"date": yesterday, "duration_minutes": "45"}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert title(page).startswith("Fehler: Kontakt eintragen")
    assert summary_links(page) == [("#id_format_0", "Form: Dieses Feld ist zwingend erforderlich.")]
    assert not Contact.objects.exists()


def test_the_admins_interview_form_marks_its_fields_and_links_its_errors(client):
    application = ApplicationFactory(
        state=ApplicationState.SUBMITTED, submitted_at=timezone.now(), cv="", letter=""
    )
    client.force_login(ProgrammeOfficeFactory())
    url = f"/verwaltung/applications/application/{application.pk}/gespraech/"
    page = client.get(url).content.decode()
    assert [attrs["for"] for attrs in elements(page, "label", **{"class": "required"})] == [
        "id_at",
        "id_place",
    ]
    inputs = elements(page, "input", required=None)
    assert [attrs["id"] for attrs in inputs] == ["id_at", "id_place"]
    response = client.post(url, {"at": "", "place": ""})
    page = response.content.decode()
    assert response.status_code == 200
    assert title(page).startswith("Fehler:")
    assert [href for href, _ in summary_links(page)] == ["#id_at", "#id_place"]
