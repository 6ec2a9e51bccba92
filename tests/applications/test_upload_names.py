"""Uploads are stored as ``.pdf`` under a random name, whatever the uploader called them."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from applications.models import private_upload_path
from tests.applications.test_applicant_views import mentee_form
from tests.factories import (
    MINIMAL_PDF,
    ApplicationFactory,
    CohortFactory,
    CohortOrganisationFactory,
)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "filename",
    ["Lebenslauf.html", "bild.svg", "shell.php", "archiv.tar.gz", "ohne-endung", ".htaccess"],
)
def test_a_pdf_uploaded_under_any_name_is_stored_as_pdf(client, filename):
    cohort = CohortFactory()
    CohortOrganisationFactory(cohort=cohort)
    application = ApplicationFactory(cohort=cohort)
    client.force_login(application.applicant)
    data = mentee_form(application)
    data["cv"] = SimpleUploadedFile(filename, MINIMAL_PDF, content_type="text/html")
    data["letter"] = SimpleUploadedFile(filename, MINIMAL_PDF, content_type="image/svg+xml")
    assert client.post(f"/bewerbung/{application.pk}/bearbeiten/", data).status_code == 302
    application.refresh_from_db()
    pattern = rf"applications/{cohort.pk}/[0-9a-f]{{32}}\.pdf"
    assert [bool(re.fullmatch(pattern, f.name)) for f in (application.cv, application.letter)] == [
        True,
        True,
    ]
    assert application.cv.name != application.letter.name
    assert application.cv.open("rb").read() == MINIMAL_PDF


def test_the_stored_name_keeps_nothing_of_the_uploaders_name():
    application = ApplicationFactory()
    names = {private_upload_path(application, "Anna Muster <script>.php") for _ in range(3)}
    pattern = rf"applications/{application.cohort_id}/[0-9a-f]{{32}}\.pdf"
    assert [bool(re.fullmatch(pattern, name)) for name in names] == [True, True, True]
