"""The Bewerbungsbogen says what it needs, where something is wrong, and keeps valid uploads."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from applications.enums import ApplicationState
from applications.forms import MenteeApplicationForm, MentorApplicationForm
from applications.models import Application
from applications.services import missing_for_submission
from mentoring.consents import current_notice
from mentoring.models import PrivacyNotice
from tests.applications.test_applicant_views import mentee_form
from tests.factories import (
    MINIMAL_PDF,
    ApplicationFactory,
    CohortFactory,
    CohortOrganisationFactory,
    MentorApplicationFactory,
    pdf_upload,
)
from tests.forms_html import (
    elements,
    error_summary,
    field_error,
    summary_links,
    text,
    title,
)

pytestmark = pytest.mark.django_db

MENTEE_NEEDS = {
    "id_organisation",
    "id_department",
    "id_position_title",
    "id_qualification",
    "id_pay_scale",
    "id_pay_grade",
    "id_service_start",
    "id_motivation",
    "id_cv",
    "id_letter",
    "id_consent",
}
MENTEE_RADIO_GROUPS = ["Status", "Beschäftigungsverhältnis", "Arbeitszeit"]


@pytest.fixture
def cohort():
    cohort = CohortFactory()
    CohortOrganisationFactory(cohort=cohort, organisation__name="Stadt Bottrop")
    # Submitting records her consent under the privacy notice in force.
    if current_notice() is None:
        PrivacyNotice.objects.create(version=1, text="Datenschutzhinweise")
    return cohort


def edit(client, application, data=None):
    url = f"/bewerbung/{application.pk}/bearbeiten/"
    response = client.get(url) if data is None else client.post(url, data)
    return response, response.content.decode() if response.status_code == 200 else ""


def radio_group_legends(page):
    """The legends of the radio groups marked as required (role=radiogroup)."""
    return [
        text(legend)
        for legend in re.findall(
            r'<fieldset[^>]*role="radiogroup" aria-required="true">\s*<legend[^>]*>(.*?)</legend>',
            page,
            re.S,
        )
    ]


# Marks ------------------------------------------------------------------------------------


def test_what_a_submission_needs_carries_the_mark_and_aria_required(client, cohort):
    application = ApplicationFactory(cohort=cohort, blank=True)
    client.force_login(application.applicant)
    _, page = edit(client, application)
    assert {attrs["id"] for attrs in elements(page, id=None, aria_required="true")} == MENTEE_NEEDS
    assert radio_group_legends(page) == [f"{legend}*" for legend in MENTEE_RADIO_GROUPS]
    marked = {
        attrs["for"]
        for attrs in elements(page, "label", **{"class": None})
        if "requiredField" in attrs["class"] and "for" in attrs
    }
    assert marked == MENTEE_NEEDS
    # The mark is for the eye; a screen reader hears "required" from the field.
    assert len(elements(page, "span", aria_hidden="true", **{"class": "asteriskField"})) == len(
        MENTEE_NEEDS
    ) + len(MENTEE_RADIO_GROUPS)
    # A draft may be saved with all of it empty: no check of the browser's own.
    assert elements(page, required=None) == []


def test_a_stored_file_is_not_announced_as_missing(client, cohort):
    application = ApplicationFactory(cohort=cohort, letter="")
    client.force_login(application.applicant)
    _, page = edit(client, application)
    assert [attrs["id"] for attrs in elements(page, "input", type="file")] == ["id_cv", "id_letter"]
    assert [a["id"] for a in elements(page, "input", type="file", aria_required="true")] == [
        "id_letter"
    ]


def test_the_mentor_form_marks_leadership_instead_of_career_and_documents(client, cohort):
    application = MentorApplicationFactory(cohort=cohort, leadership_years=None)
    client.force_login(application.applicant)
    _, page = edit(client, application)
    assert {attrs["id"] for attrs in elements(page, id=None, aria_required="true")} == {
        "id_capacity",
        "id_organisation",
        "id_department",
        "id_position_title",
        "id_leadership_level",
        "id_leadership_years",
        "id_staff_count",
        "id_motivation",
        "id_consent",
    }
    # "Mentees gleichzeitig" has a default and is required outright.
    assert [attrs["id"] for attrs in elements(page, required=None)] == ["id_capacity"]


@pytest.mark.parametrize(
    ("factory", "form_class"),
    [
        (ApplicationFactory, MenteeApplicationForm),
        (MentorApplicationFactory, MentorApplicationForm),
    ],
    ids=["mentee", "mentor"],
)
def test_the_form_and_the_service_agree_on_what_a_submission_needs(cohort, factory, form_class):
    application = factory(cohort=cohort, blank=True)
    form = form_class({"capacity": "1"}, instance=application, cohort=cohort)
    assert form.is_valid(), form.errors
    missing = form.missing_for_submission()
    named = [
        str(Application._meta.get_field(name).verbose_name) for name in missing if name != "consent"
    ]
    assert sorted([*named, "Einwilligung in die Datenverarbeitung"]) == sorted(
        missing_for_submission(application)
    )


# No pre-selected empty radio ---------------------------------------------------------------


def test_radio_groups_offer_no_empty_choice_and_preselect_nothing_without_an_answer(client, cohort):
    application = ApplicationFactory(cohort=cohort, blank=True)
    client.force_login(application.applicant)
    _, page = edit(client, application)
    for name, values in [
        ("employment_status", ["civil_servant", "employee"]),
        ("working_hours", ["full_time", "part_time"]),
        ("permanent", ["True", "False"]),
    ]:
        radios = elements(page, "input", type="radio", name=name)
        assert [attrs["value"] for attrs in radios] == values
        assert [attrs for attrs in radios if "checked" in attrs] == []
    assert "---------" not in page


def test_a_saved_answer_stays_chosen(client, cohort):
    application = ApplicationFactory(cohort=cohort)
    client.force_login(application.applicant)
    _, page = edit(client, application)
    checked = elements(page, "input", type="radio", checked=None)
    assert [(attrs["name"], attrs["value"]) for attrs in checked] == [
        ("employment_status", "civil_servant"),
        ("permanent", "True"),
        ("working_hours", "full_time"),
    ]


# Missing answers on submission: at their fields --------------------------------------------


def test_a_missing_consent_is_named_at_its_field_and_the_draft_is_kept(client, cohort):
    application = ApplicationFactory(cohort=cohort, consent_at=None)
    client.force_login(application.applicant)
    data = mentee_form(application, consent=None, phone="02041 99", submit="1")
    response, page = edit(client, application, data)
    assert response.status_code == 200
    assert field_error(page, "id_consent") == (
        "Ohne Ihre Einwilligung können wir Ihre Bewerbung nicht bearbeiten. Bitte setzen Sie "
        "das Häkchen, um einzureichen."
    )
    assert elements(page, "input", id="id_consent")[0]["aria-invalid"] == "true"
    assert summary_links(page) == [
        (
            "#id_consent",
            "Einwilligung in die Datenverarbeitung: Ohne Ihre Einwilligung können wir Ihre "
            "Bewerbung nicht bearbeiten. Bitte setzen Sie das Häkchen, um einzureichen.",
        )
    ]
    # Not a banner: nothing but the summary speaks of it.
    assert page.count("Ohne Ihre Einwilligung") == 2
    application.refresh_from_db()
    assert (application.state, application.phone) == (ApplicationState.DRAFT, "02041 99")


def test_every_missing_answer_is_named_at_its_field(client, cohort):
    application = ApplicationFactory(cohort=cohort, blank=True)
    client.force_login(application.applicant)
    data = {"submit": "1", "phone": "02041 1"}
    response, page = edit(client, application, data)
    assert response.status_code == 200
    assert [href for href, _ in summary_links(page)] == [
        "#id_organisation",
        "#id_department",
        "#id_position_title",
        "#id_motivation",
        "#id_employment_status_0",
        "#id_qualification",
        "#id_pay_scale",
        "#id_pay_grade",
        "#id_permanent_0",
        "#id_service_start",
        "#id_working_hours_0",
        "#id_cv",
        "#id_letter",
        "#id_consent",
    ]
    assert field_error(page, "id_motivation") == (
        "Bitte füllen Sie dieses Feld aus; wir brauchen die Angabe zum Einreichen."
    )
    assert field_error(page, "id_working_hours") == (
        "Bitte wählen Sie aus; wir brauchen die Angabe zum Einreichen."
    )
    assert field_error(page, "id_cv") == (
        "Bitte laden Sie die Datei als PDF hoch; wir brauchen sie zum Einreichen."
    )
    application.refresh_from_db()
    assert (application.state, application.phone) == (ApplicationState.DRAFT, "02041 1")


# The error summary -------------------------------------------------------------------------


def test_a_failed_form_opens_with_a_summary_that_links_each_field(client, cohort):
    application = ApplicationFactory(cohort=cohort)
    client.force_login(application.applicant)
    data = mentee_form(
        application,
        employment_status="employee",
        pay_scale="EG",
        pay_grade="9d",
        service_start="2999-01-01",
    )
    response, page = edit(client, application, data)
    assert response.status_code == 200
    assert title(page).startswith("Fehler: Bewerbungsbogen")
    summary = error_summary(page)
    assert 'role="alert"' in summary
    assert 'tabindex="-1"' in summary
    assert summary_links(page) == [
        (
            "#id_pay_grade",
            f"Besoldungs- / Entgeltgruppe: {field_error(page, 'id_pay_grade')}",
        ),
        ("#id_service_start", "In der Kommunalverwaltung seit: Das Datum liegt in der Zukunft."),
    ]
    assert field_error(page, "id_pay_grade").startswith("Die Entgeltgruppe „EG 9d“ gibt es nicht.")
    # Each link leads to a field of that id.
    assert [attrs["id"] for attrs in elements(page, "input", id="id_pay_grade")] == ["id_pay_grade"]
    assert "Es wurde noch nichts gespeichert." in text(summary)
    assert '<script src="/static/js/error-summary.js" defer></script>' in page
    application.refresh_from_db()
    assert application.pay_grade == "11"


def test_the_page_without_errors_has_no_summary_and_a_plain_title(client, cohort):
    application = ApplicationFactory(cohort=cohort)
    client.force_login(application.applicant)
    _, page = edit(client, application)
    assert error_summary(page) is None
    assert title(page).startswith("Bewerbungsbogen")


# Uploads survive an error ------------------------------------------------------------------


def test_a_valid_upload_survives_an_error_and_the_second_submit(client, cohort):
    application = ApplicationFactory(cohort=cohort, cv="", letter="")
    client.force_login(application.applicant)
    data = mentee_form(
        application, employment_status="employee", pay_scale="EG", pay_grade="9d", submit="1"
    )
    data["cv"] = pdf_upload("lebenslauf.pdf")
    data["letter"] = SimpleUploadedFile("anschreiben.pdf", b"<html></html>", "application/pdf")
    response, page = edit(client, application, data)
    assert response.status_code == 200
    application.refresh_from_db()
    # The CV is kept, privately and checked; the letter was no PDF; nothing else is saved.
    assert application.cv.open("rb").read() == MINIMAL_PDF
    assert not application.letter
    assert (application.pay_scale, application.pay_grade) == ("A", "11")
    assert "Bereits hochgeladen: lebenslauf.pdf (ersetzen)" in text(page)
    assert elements(page, "a", href=f"/bewerbung/{application.pk}/datei/cv/") != []
    assert elements(page, "a", href="#id_cv") != []
    assert [href for href, _ in summary_links(page)] == ["#id_pay_grade", "#id_letter"]
    assert "Gespeichert sind nur Ihre neuen Unterlagen" in text(error_summary(page))
    # Already there: the CV is no longer announced as missing.
    assert [a["id"] for a in elements(page, "input", type="file", aria_required="true")] == [
        "id_letter"
    ]

    # The second submit, with the grade corrected and a real letter, but no CV sent again.
    data = mentee_form(
        application, employment_status="employee", pay_scale="EG", pay_grade="10", submit="1"
    )
    data["letter"] = pdf_upload("anschreiben.pdf")
    response, _ = edit(client, application, data)
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.state == ApplicationState.SUBMITTED
    assert application.cv.open("rb").read() == MINIMAL_PDF
    assert application.letter.open("rb").read() == MINIMAL_PDF


def test_the_original_name_is_shown_only_for_the_file_it_belongs_to(client, cohort):
    application = ApplicationFactory(cohort=cohort, cv="")
    client.force_login(application.applicant)
    data = mentee_form(application, pay_grade="99")
    data["cv"] = pdf_upload("Mein <b>Lebenslauf & Zeugnis.pdf")
    _, page = edit(client, application, data)
    assert "Bereits hochgeladen: Mein <b>Lebenslauf & Zeugnis.pdf (ersetzen)" in text(page)
    assert ">Mein &lt;b&gt;Lebenslauf &amp; Zeugnis.pdf</a>" in page
    # Her letter was uploaded elsewhere (or earlier): its name is not known here.
    assert "Bereits hochgeladen: Motivationsanschreiben (ersetzen)" in text(page)
    # A later GET shows the same, and writes nothing.
    _, page = edit(client, application)
    assert "Bereits hochgeladen: Mein <b>Lebenslauf & Zeugnis.pdf (ersetzen)" in text(page)

    # Another session does not know the name.
    other = client.__class__()
    other.force_login(application.applicant)
    _, page = edit(other, application)
    assert "Bereits hochgeladen: Lebenslauf (ersetzen)" in text(page)


def test_an_invalid_upload_is_not_kept(client, cohort):
    application = ApplicationFactory(cohort=cohort, cv="")
    client.force_login(application.applicant)
    data = mentee_form(application)
    data["cv"] = SimpleUploadedFile("lebenslauf.pdf", b"MZ\x90\x00", "application/pdf")
    response, page = edit(client, application, data)
    assert response.status_code == 200
    application.refresh_from_db()
    assert not application.cv
    assert "Bereits hochgeladen: lebenslauf.pdf" not in text(page)
    assert "Es wurde noch nichts gespeichert." in text(error_summary(page))
