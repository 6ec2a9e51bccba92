"""An applicant sees who opened her CV and downloads her data from "Mein Konto"."""

import json
import zipfile

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from applications.enums import ApplicationState
from tests.browser.conftest import assert_accessible, log_in, log_out
from tests.factories import (
    PASSWORD,
    ApplicationFactory,
    ProgrammeOfficeFactory,
    UserFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_she_sees_who_opened_her_cv_and_downloads_her_data(page, tmp_path):
    her = UserFactory(first_name="Hanna", last_name="Muster")
    application = ApplicationFactory(
        applicant=her, state=ApplicationState.SUBMITTED, submitted_at=timezone.now()
    )
    office = ProgrammeOfficeFactory(first_name="Olivia", last_name="Amtmann")

    # The programme office opens her CV, as the admin's link does.
    log_in(page, office.email, PASSWORD)
    assert page.request.get(f"/bewerbung/{application.pk}/datei/cv/").status == 200
    log_out(page)

    log_in(page, her.email, PASSWORD)
    page.goto("/bewerbung/")
    expect(page.get_by_role("heading", name="Wer hat Ihre Unterlagen geöffnet")).to_be_visible()
    expect(page.get_by_role("cell", name="Olivia Amtmann")).to_be_visible()
    assert_accessible(page)

    page.goto("/konto/")
    expect(page.get_by_role("heading", name="Ihre Daten")).to_be_visible()
    assert_accessible(page)
    with page.expect_download() as started:
        page.get_by_role("button", name="Meine Daten herunterladen (Art. 15 DSGVO)").click()
    download = started.value
    assert download.suggested_filename == f"meine-daten-{timezone.localdate().isoformat()}.zip"
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    archive = zipfile.ZipFile(saved)
    data = json.loads(archive.read("daten.json"))
    assert data["account"]["email"] == her.email
    assert [entry["opened_by"] for entry in data["document_access_log"]] == ["Olivia Amtmann"]

    # The overview, opened on its own as she would from the ZIP, passes axe as well.
    page.goto("about:blank")
    page.set_content(archive.read("uebersicht.html").decode())
    expect(page.get_by_role("heading", level=1)).to_have_text("Ihre Daten bei Cross-Mentoring")
    assert_accessible(page)
