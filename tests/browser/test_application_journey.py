"""A person applies as mentee: register, verify, a wrong grade, uploads, submit, status."""

import io
import re

import pytest
from django.core import mail
from django.core.management import call_command
from playwright.sync_api import expect

from applications.enums import ApplicationState
from applications.models import Application
from tests.browser.conftest import assert_accessible
from tests.factories import MINIMAL_PDF

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def pdf(name):
    return {"name": name, "mimeType": "application/pdf", "buffer": MINIMAL_PDF}


def test_mentee_applies_online(page, live_server):
    call_command("load_demo", stdout=io.StringIO())
    page.goto("/")
    page.locator("main").get_by_role("link", name="MIT FRAUEN an die Spitze").click()
    page.get_by_role("link", name="Als Mentee bewerben").click()

    # Register.
    expect(page.locator("h1")).to_have_text("Konto anlegen")
    assert_accessible(page)
    page.get_by_label("Vorname").fill("Anna")
    page.get_by_label("Nachname").fill("Muster")
    page.get_by_label("E-Mail-Adresse").fill("anna.muster@bottrop.example.org")
    page.locator("#id_password1").fill("ein-sicheres-Passwort-2026")
    page.locator("#id_password2").fill("ein-sicheres-Passwort-2026")
    page.get_by_role("button", name="Konto anlegen").click()

    # The same answer whether or not the address has an account: check your mail.
    expect(page.locator("h1")).to_have_text("Bitte bestätigen Sie Ihre E-Mail-Adresse")
    assert_accessible(page)

    # Verify the address through the mailed link, then log in; on to the call.
    link = re.search(r"https?://[^/\s]+(/konto/bestaetigen/\S+)", mail.outbox[-1].body).group(1)
    page.goto(link)
    expect(page.get_by_text("Danke, Ihre E-Mail-Adresse ist bestätigt.")).to_be_visible()
    expect(page.locator("h1")).to_have_text("Anmelden")
    assert_accessible(page)
    page.get_by_label("E-Mail-Adresse").fill("anna.muster@bottrop.example.org")
    page.get_by_label("Passwort").fill("ein-sicheres-Passwort-2026")
    page.get_by_role("button", name="Anmelden").last.click()

    # What applying needs; the draft exists only after she begins.
    expect(page.locator("h1")).to_have_text("Bewerbung beginnen")
    assert_accessible(page)
    assert (
        Application.objects.filter(applicant__email="anna.muster@bottrop.example.org").count() == 0
    )
    page.get_by_role("button", name="Bewerbung beginnen").click()

    # The Bewerbungsbogen.
    expect(page.locator("h1")).to_have_text("Bewerbungsbogen: Mentee")
    assert_accessible(page)
    page.goto("/bewerbung/")  # the status page lists the draft
    application = Application.objects.get(applicant__email="anna.muster@bottrop.example.org")
    page.goto(f"/bewerbung/{application.pk}/bearbeiten/")

    # Fill in everything, with a grade that does not exist.
    page.get_by_label("Telefon (dienstlich)").fill("02041 70-1234")
    page.get_by_role("combobox", name="Verwaltung", exact=True).select_option(label="Stadt Bottrop")
    page.get_by_label("Fachbereich / Amt").fill("Fachbereich Finanzen")
    page.get_by_label("Funktion / Stellenbezeichnung").fill("Sachgebietsleitung Haushalt")
    page.get_by_label("Tarifbeschäftigte:r").check()
    page.get_by_label("Qualifikation").select_option(label="Angestelltenlehrgang II")
    page.get_by_label("Besoldungs- / Entgeltordnung").select_option(label="TVöD Entgeltgruppe (EG)")
    page.get_by_label("Besoldungs- / Entgeltgruppe").fill("9d")
    page.get_by_label("unbefristet", exact=True).check()
    page.get_by_label("in der Kommunalverwaltung seit").fill("2015-09-01")
    page.get_by_label("Teilzeit", exact=True).check()
    page.get_by_label("Karriereplanung", exact=True).check()
    page.get_by_role("textbox", name="Motivation", exact=True).fill(
        "Ich möchte Verantwortung übernehmen."
    )
    page.get_by_label("Ich willige ein, dass meine Angaben und Unterlagen").check()
    page.get_by_role("button", name="Entwurf speichern").click()

    # The error stands next to the field; nothing typed is lost.
    error = page.locator("#error_1_id_pay_grade")
    assert "Die Entgeltgruppe „EG 9d“ gibt es nicht." in error.inner_text()
    assert page.get_by_label("Besoldungs- / Entgeltgruppe").input_value() == "9d"
    assert page.get_by_role("textbox", name="Motivation", exact=True).input_value() == (
        "Ich möchte Verantwortung übernehmen."
    )
    assert page.get_by_label("Fachbereich / Amt").input_value() == "Fachbereich Finanzen"
    assert_accessible(page)

    # Fix it, upload CV and letter, submit.
    page.get_by_label("Besoldungs- / Entgeltgruppe").fill("10")
    page.get_by_label("Lebenslauf (PDF)").set_input_files(pdf("Lebenslauf.pdf"))
    page.get_by_label("Motivationsanschreiben (PDF)").set_input_files(pdf("Anschreiben.pdf"))
    page.get_by_role("button", name="Bewerbung einreichen").click()

    expect(page.locator("h1")).to_have_text("Meine Bewerbungen")
    expect(page.get_by_text("Ihre Bewerbung ist eingereicht.")).to_be_visible()
    assert "Stand: eingereicht" in page.locator("main").inner_text()
    assert_accessible(page)

    application.refresh_from_db()
    assert application.state == ApplicationState.SUBMITTED
    assert (application.pay_scale, application.pay_grade) == ("EG", "10")
    assert application.eligibility_outcome == "pass"
    assert mail.outbox[-1].subject.startswith("Ihre Bewerbung ist eingegangen")
