"""A keyboard-only journey completes the application, including one error and its correction.

Only Tab, arrows, Space, Enter and typing move and act (and the file chooser is filled by
Playwright, as a person would pick the file in the operating system's dialog).
"""

import pytest
from django.utils import timezone

from applications.enums import ApplicationState
from mentoring.consents import current_notice
from mentoring.models import PrivacyNotice
from tests.browser.conftest import assert_accessible
from tests.factories import (
    MINIMAL_PDF,
    PASSWORD,
    ApplicationFactory,
    CohortFactory,
    CohortOrganisationFactory,
    TopicFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def pdf(name):
    return {"name": name, "mimeType": "application/pdf", "buffer": MINIMAL_PDF}


def focused(page, selector):
    return page.evaluate("s => document.activeElement?.matches(s) ?? false", selector)


def tab_to(page, selector, limit=120):
    """Presses Tab until the element ``selector`` has the focus (forwards only)."""
    for _ in range(limit):
        if focused(page, selector):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached {selector}")


def type_into(page, selector, text):
    tab_to(page, selector)
    page.keyboard.type(text)


def test_a_keyboard_only_journey_completes_the_application(page):
    cohort = CohortFactory()
    CohortOrganisationFactory(cohort=cohort, organisation__name="Stadt Bottrop")
    TopicFactory(programme=cohort.programme, name="Karriereplanung")
    if current_notice() is None:
        PrivacyNotice.objects.create(version=1, text="Datenschutzhinweise")
    application = ApplicationFactory(
        cohort=cohort, blank=True, applicant__email="anna.muster@bottrop.example.org"
    )
    form_url = f"/bewerbung/{application.pk}/bearbeiten/"

    # Log in.
    page.goto(f"/konto/anmelden/?next={form_url}")
    type_into(page, "#id_username", "anna.muster@bottrop.example.org")
    type_into(page, "#id_password", PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(f"**{form_url}")
    assert page.locator("h1").inner_text() == "Bewerbungsbogen: Mentee"
    assert_accessible(page)

    # The Bewerbungsbogen, top to bottom, with a grade that does not exist.
    type_into(page, "#id_phone", "02041 70-1234")
    tab_to(page, "#id_organisation")
    page.keyboard.type("Stadt Bottrop")
    type_into(page, "#id_department", "Fachbereich Finanzen")
    type_into(page, "#id_position_title", "Sachgebietsleitung Haushalt")
    # No status is chosen beforehand: Tab enters the group at its first choice.
    tab_to(page, "#id_employment_status_0")
    assert page.locator("#id_employment_status_0").is_checked() is False
    page.keyboard.press("ArrowDown")  # Tarifbeschäftigte:r
    tab_to(page, "#id_qualification")
    page.keyboard.type("Angestellten")
    tab_to(page, "#id_pay_scale")
    page.keyboard.type("TVöD E")
    type_into(page, "#id_pay_grade", "9d")
    tab_to(page, "#id_permanent_0")
    page.keyboard.press("Space")  # unbefristet
    # Day and month alike: Chromium orders the date's parts by its own language.
    type_into(page, "#id_service_start", "01012015")
    tab_to(page, "#id_working_hours_0")
    page.keyboard.press("ArrowDown")  # Teilzeit
    tab_to(page, "#id_topics_0")
    page.keyboard.press("Space")
    type_into(page, "#id_motivation", "Ich möchte Verantwortung übernehmen.")
    tab_to(page, "#id_cv")
    page.locator("#id_cv").set_input_files(pdf("lebenslauf.pdf"))
    tab_to(page, "#id_letter")
    page.locator("#id_letter").set_input_files(pdf("anschreiben.pdf"))
    tab_to(page, "#id_consent")
    page.keyboard.press("Space")
    tab_to(page, "button[name=submit]")
    with page.expect_navigation():
        page.keyboard.press("Enter")

    # One error: the summary has the focus, the title says so, the files are kept.
    assert page.title().startswith("Fehler: Bewerbungsbogen")
    assert focused(page, "[data-error-summary]")
    summary = page.locator("[data-error-summary]")
    at_field = page.locator("#id_pay_grade_error").inner_text()
    assert at_field.startswith("Die Entgeltgruppe „EG 9d“ gibt es nicht.")
    assert summary.get_by_role("link").all_inner_texts() == [
        f"Besoldungs- / Entgeltgruppe: {at_field}"
    ]
    main = page.locator("main").inner_text()
    assert "Bereits hochgeladen: lebenslauf.pdf (ersetzen)" in main
    assert "Bereits hochgeladen: anschreiben.pdf (ersetzen)" in main
    assert_accessible(page)
    application.refresh_from_db()
    assert (application.state, application.pay_grade, bool(application.cv)) == (
        ApplicationState.DRAFT,
        "",
        True,
    )

    # Follow the summary's link to the field, correct it, submit.
    page.keyboard.press("Tab")
    assert focused(page, "a[href='#id_pay_grade']")
    page.keyboard.press("Enter")
    assert focused(page, "#id_pay_grade")
    assert page.locator("#id_pay_grade").input_value() == "9d"
    page.keyboard.press("Control+A")
    page.keyboard.type("10")
    tab_to(page, "button[name=submit]")
    page.keyboard.press("Enter")
    page.wait_for_url("**/bewerbung/")

    assert page.locator("h1").inner_text() == "Meine Bewerbungen"
    assert "Ihre Bewerbung ist eingereicht." in page.locator("main").inner_text()
    assert_accessible(page)
    application.refresh_from_db()
    assert application.state == ApplicationState.SUBMITTED
    assert application.submitted_at <= timezone.now()
    assert (
        application.organisation.name,
        application.employment_status,
        application.qualification,
        application.pay_scale,
        application.pay_grade,
        application.permanent,
        application.service_start.isoformat(),
        application.working_hours,
        [topic.name for topic in application.topics.all()],
    ) == (
        "Stadt Bottrop",
        "employee",
        "al2",
        "EG",
        "10",
        True,
        "2015-01-01",
        "part_time",
        ["Karriereplanung"],
    )
    assert application.cv.open("rb").read() == MINIMAL_PDF
    assert application.letter.open("rb").read() == MINIMAL_PDF
