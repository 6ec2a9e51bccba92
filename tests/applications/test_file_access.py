"""Who opened her CV or letter is logged, and she sees the log on her applications page."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from applications.models import FileAccess
from tests.factories import (
    ApplicationFactory,
    OfficerFactory,
    ProgrammeOfficeFactory,
)

pytestmark = pytest.mark.django_db


def download(client, user, application, kind):
    client.force_login(user)
    response = client.get(f"/bewerbung/{application.pk}/datei/{kind}/")
    if response.status_code == 200:
        b"".join(response.streaming_content)
    return response.status_code


def accesses():
    return list(
        FileAccess.objects.order_by("pk").values_list(
            "application_id", "document", "user_id", "user_name"
        )
    )


def test_an_officer_opening_her_cv_and_letter_is_logged(client):
    application = ApplicationFactory()
    office = ProgrammeOfficeFactory(first_name="Olivia", last_name="Amtmann")
    assert download(client, office, application, "cv") == 200
    assert download(client, office, application, "letter") == 200
    assert accesses() == [
        (application.pk, "cv", office.pk, "Olivia Amtmann"),
        (application.pk, "letter", office.pk, "Olivia Amtmann"),
    ]


def test_her_own_download_is_not_logged(client):
    application = ApplicationFactory()
    assert download(client, application.applicant, application, "cv") == 200
    assert accesses() == []


def test_a_refused_download_is_not_logged(client):
    application = ApplicationFactory()
    stranger = OfficerFactory()  # on no Beirat: may not see the application
    assert download(client, stranger, application, "cv") == 404
    assert accesses() == []


def test_a_name_less_account_is_logged_by_its_address(client):
    application = ApplicationFactory()
    office = ProgrammeOfficeFactory(first_name="", last_name="", email="buero@example.org")
    assert download(client, office, application, "cv") == 200
    assert accesses() == [(application.pk, "cv", office.pk, "buero@example.org")]


def test_her_page_lists_who_opened_her_documents_and_only_hers(client):
    application = ApplicationFactory()
    other = ApplicationFactory()
    office = ProgrammeOfficeFactory(first_name="Olivia", last_name="Amtmann")
    nosy = ProgrammeOfficeFactory(first_name="Norbert", last_name="Neugier")
    download(client, office, application, "letter")
    download(client, nosy, other, "cv")
    client.force_login(application.applicant)
    response = client.get("/bewerbung/")
    assert [(access.user_name, access.document) for access in response.context["accesses"]] == [
        ("Olivia Amtmann", "letter")
    ]
    html = response.content.decode()
    assert "Wer hat Ihre Unterlagen geöffnet" in html
    assert "Olivia Amtmann" in html
    assert "Norbert Neugier" not in html


def test_her_page_says_when_nobody_opened_them(client):
    application = ApplicationFactory()
    client.force_login(application.applicant)
    response = client.get("/bewerbung/")
    assert list(response.context["accesses"]) == []
    assert "Bisher hat niemand außer Ihnen Ihre Unterlagen geöffnet." in response.content.decode()


def _log(application, count):
    office = ProgrammeOfficeFactory()
    FileAccess.objects.bulk_create(
        FileAccess(application=application, document="cv", user=office, user_name=f"Person {n}")
        for n in range(count)
    )


def test_the_log_is_paginated(client):
    application = ApplicationFactory()
    _log(application, 25)
    client.force_login(application.applicant)
    first = client.get("/bewerbung/").context["accesses"]
    second = client.get("/bewerbung/?seite=2").context["accesses"]
    assert (len(first), len(second), first.paginator.num_pages) == (20, 5, 2)


def queries(client, url):
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_her_page_does_not_grow_with_the_log(client):
    application = ApplicationFactory()
    client.force_login(application.applicant)
    _log(application, 1)
    few = queries(client, "/bewerbung/")
    _log(application, 30)
    ApplicationFactory(applicant=application.applicant)
    _log(ApplicationFactory(applicant=application.applicant), 5)
    assert queries(client, "/bewerbung/") == few
