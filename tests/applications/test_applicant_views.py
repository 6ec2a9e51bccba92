"""The applicant's side: account, verification, the Bewerbungsbogen, uploads, status."""

import datetime as dt
import re

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.http import urlencode

from applications.enums import ApplicationRole, ApplicationState
from applications.models import Application
from mentoring.models import User
from tests.factories import (
    MINIMAL_PDF,
    ApplicationFactory,
    CohortFactory,
    CohortOrganisationFactory,
    MenteeFormFactory,
    ProgrammeOfficeFactory,
    TopicFactory,
    UserFactory,
    pdf_upload,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def cohort():
    cohort = CohortFactory()
    CohortOrganisationFactory(cohort=cohort, organisation__name="Stadt Bottrop")
    return cohort


def apply_url(cohort, role="mentee"):
    return f"/bewerbung/{cohort.programme.slug}/jahrgang/{cohort.number}/{role}/"


def mentee_form(application, **changes):
    """The form filled in for the administration of her cohort."""
    return MenteeFormFactory(
        organisation=application.cohort.participations.first().organisation, **changes
    )


def test_registration_mails_a_verification_link_that_leads_on_to_the_form(client, cohort):
    response = client.post(
        "/konto/registrieren/",
        {
            "first_name": "Anna",
            "last_name": "Muster",
            "email": "Anna.Muster@Bottrop.example.org",
            "password1": "sehr-geheimes-Passwort-7",
            "password2": "sehr-geheimes-Passwort-7",
            "next": apply_url(cohort),
        },
    )
    assert response.status_code == 302
    next_query = urlencode({"next": apply_url(cohort)})
    assert response["Location"] == f"/konto/registriert/?{next_query}"
    # Not logged in: a known address gets the same answer (tests/mentoring/test_registration).
    assert "_auth_user_id" not in client.session
    user = User.objects.get(email="Anna.Muster@bottrop.example.org")
    assert user.email_verified_at is None
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject == "Bitte bestätigen Sie Ihre E-Mail-Adresse"
    link = re.search(r"http://127\.0\.0\.1:8000(/konto/bestaetigen/\S+)", mail.outbox[0].body)
    response = client.get(link.group(1))
    assert response["Location"] == f"/konto/anmelden/?{next_query}"
    user.refresh_from_db()
    assert user.email_verified_at is not None


def test_a_forged_verification_link_verifies_nothing(client):
    user = UserFactory(email_verified_at=None)
    client.get("/konto/bestaetigen/abc:def/")
    user.refresh_from_db()
    assert user.email_verified_at is None


def test_apply_needs_an_account(client, cohort):
    response = client.get(apply_url(cohort))
    assert response.status_code == 302
    assert response["Location"] == f"/konto/registrieren/?next={apply_url(cohort)}"


def test_apply_creates_one_draft_and_resumes_it(client, cohort):
    user = UserFactory()
    client.force_login(user)
    first = client.post(apply_url(cohort))
    second = client.post(apply_url(cohort))
    application = Application.objects.get(applicant=user)
    assert first["Location"] == second["Location"] == f"/bewerbung/{application.pk}/bearbeiten/"
    assert application.state == ApplicationState.DRAFT
    assert application.role == ApplicationRole.MENTEE


def test_apply_after_the_deadline_is_refused(client):
    cohort = CohortFactory(
        application_opens_at=timezone.now() - dt.timedelta(days=60),
        application_deadline=timezone.now() - dt.timedelta(minutes=1),
    )
    client.force_login(UserFactory())
    response = client.get(apply_url(cohort), follow=True)
    assert "Für diesen Jahrgang ist die Bewerbungsfrist abgelaufen." in response.content.decode()
    assert not Application.objects.exists()


def test_draft_saves_with_fields_missing(client, cohort):
    application = ApplicationFactory(cohort=cohort, cv="", letter="", motivation="")
    client.force_login(application.applicant)
    data = mentee_form(application, qualification="", motivation="Erste Gedanken")
    response = client.post(f"/bewerbung/{application.pk}/bearbeiten/", data)
    assert response.status_code == 302
    application.refresh_from_db()
    assert (application.state, application.motivation) == (ApplicationState.DRAFT, "Erste Gedanken")


@pytest.mark.parametrize(
    ("scale", "grade", "message"),
    [
        ("EG", "9d", "Die Entgeltgruppe „EG 9d“ gibt es nicht."),
        ("A", "17", "gibt es nicht"),
        ("S", "10", "gibt es nicht"),
    ],
)
def test_unknown_grade_is_an_error_next_to_the_field_and_keeps_the_input(
    client, cohort, scale, grade, message
):
    application = ApplicationFactory(cohort=cohort)
    client.force_login(application.applicant)
    status = "civil_servant" if scale == "A" else "employee"
    data = mentee_form(
        application,
        employment_status=status,
        pay_scale=scale,
        pay_grade=grade,
        motivation="Mein neuer Text",
    )
    response = client.post(f"/bewerbung/{application.pk}/bearbeiten/", data)
    assert response.status_code == 200
    html = response.content.decode()
    error = re.search(r'id="error_1_id_pay_grade"[^>]*>(.*?)</', html, re.S)
    assert error is not None
    assert message in error.group(1)
    assert f'value="{grade}"' in html
    assert "Mein neuer Text" in html
    application.refresh_from_db()
    assert application.motivation == "Ich möchte Führungsverantwortung übernehmen."


def test_grade_typed_with_its_scale_is_understood(client, cohort):
    application = ApplicationFactory(cohort=cohort)
    client.force_login(application.applicant)
    data = mentee_form(application, employment_status="employee", pay_scale="EG", pay_grade="EG 9C")
    assert client.post(f"/bewerbung/{application.pk}/bearbeiten/", data).status_code == 302
    application.refresh_from_db()
    assert (application.pay_scale, application.pay_grade) == ("EG", "9c")


def test_civil_servant_on_a_tvoed_scale_is_an_error(client, cohort):
    application = ApplicationFactory(cohort=cohort)
    client.force_login(application.applicant)
    data = mentee_form(
        application, employment_status="civil_servant", pay_scale="EG", pay_grade="10"
    )
    response = client.post(f"/bewerbung/{application.pk}/bearbeiten/", data)
    assert "Beamtinnen und Beamte werden nach A oder B besoldet" in response.content.decode()


def test_service_start_in_the_future_is_an_error(client, cohort):
    application = ApplicationFactory(cohort=cohort)
    client.force_login(application.applicant)
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    response = client.post(
        f"/bewerbung/{application.pk}/bearbeiten/", mentee_form(application, service_start=tomorrow)
    )
    assert "Das Datum liegt in der Zukunft." in response.content.decode()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("lebenslauf.pdf", b"MZ\x90\x00" + b"\x00" * 200, "Die Datei ist kein PDF."),
        ("lebenslauf.pdf", b"<html><script>alert(1)</script></html>", "Die Datei ist kein PDF."),
        ("lebenslauf.pdf", b"%PDF-1.4 truncated", "Die Datei ist kein PDF."),
        ("lebenslauf.pdf", MINIMAL_PDF + b"0" * (5 * 1024 * 1024), "erlaubt sind höchstens 5,0"),
    ],
    ids=["renamed-exe", "html", "truncated", "too-large"],
)
def test_uploads_are_checked_by_content_and_size(client, cohort, name, content, message):
    application = ApplicationFactory(cohort=cohort, cv="")
    client.force_login(application.applicant)
    data = mentee_form(application)
    data["cv"] = SimpleUploadedFile(name, content, content_type="application/pdf")
    response = client.post(f"/bewerbung/{application.pk}/bearbeiten/", data)
    assert response.status_code == 200
    assert message in response.content.decode()
    application.refresh_from_db()
    assert not application.cv


def test_a_pdf_is_stored_privately_under_a_random_name(client, cohort, settings):
    application = ApplicationFactory(cohort=cohort, cv="")
    client.force_login(application.applicant)
    data = mentee_form(application)
    data["cv"] = pdf_upload("Anna Muster Lebenslauf.pdf")
    assert client.post(f"/bewerbung/{application.pk}/bearbeiten/", data).status_code == 302
    application.refresh_from_db()
    assert re.fullmatch(rf"applications/{cohort.pk}/[0-9a-f]{{32}}\.pdf", application.cv.name)
    assert not str(settings.MEDIA_ROOT).startswith(str(settings.STATIC_ROOT))
    download = client.get(f"/bewerbung/{application.pk}/datei/cv/")
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content) == MINIMAL_PDF


def test_submit_from_the_form_confirms_and_shows_the_status(
    client, cohort, django_capture_on_commit_callbacks
):
    application = ApplicationFactory(cohort=cohort)
    topic = TopicFactory(name="Karriereplanung")
    client.force_login(application.applicant)
    data = mentee_form(application, topics=[str(topic.pk)], submit="1")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/bewerbung/{application.pk}/bearbeiten/", data, follow=True)
    html = response.content.decode()
    assert "Ihre Bewerbung ist eingereicht." in html
    assert "Stand:</strong> eingereicht" in html
    application.refresh_from_db()
    assert application.state == ApplicationState.SUBMITTED
    assert list(application.topics.all()) == [topic]
    assert len(mail.outbox) == 1


def test_submit_without_verified_address_keeps_the_draft(client, cohort):
    application = ApplicationFactory(cohort=cohort, applicant__email_verified_at=None)
    client.force_login(application.applicant)
    data = mentee_form(application, submit="1")
    response = client.post(f"/bewerbung/{application.pk}/bearbeiten/", data, follow=True)
    assert "Bitte bestätigen Sie zuerst Ihre E-Mail-Adresse" in response.content.decode()
    application.refresh_from_db()
    assert application.state == ApplicationState.DRAFT


def test_double_click_on_submit_makes_one_submission(client, cohort):
    application = ApplicationFactory(cohort=cohort)
    client.force_login(application.applicant)
    data = mentee_form(application, submit="1")
    client.post(f"/bewerbung/{application.pk}/bearbeiten/", data)
    second = client.post(f"/bewerbung/{application.pk}/bearbeiten/", data, follow=True)
    assert "bereits eingereicht und kann nicht mehr geändert werden" in second.content.decode()
    assert application.log.filter(to_state=ApplicationState.SUBMITTED).count() == 1


def test_status_page_shows_no_scores_or_pending_decisions(client, cohort):
    application = ApplicationFactory(
        cohort=cohort,
        state=ApplicationState.IN_REVIEW,
        submitted_at=timezone.now(),
        pending_decision="rejected",
        decision_reason="Interne Begründung",
    )
    client.force_login(application.applicant)
    html = client.get("/bewerbung/").content.decode()
    assert "Der Mentoringbeirat prüft Ihre Bewerbung." in html
    assert "Interne Begründung" not in html
    assert "abgelehnt" not in html
    assert "ablehnen" not in html


def _queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_status_page_query_count_does_not_grow(client):
    user = UserFactory()
    client.force_login(user)
    ApplicationFactory(applicant=user, cv="", letter="")
    few = _queries(client, "/bewerbung/")
    for _ in range(12):
        ApplicationFactory(applicant=user, cv="", letter="")
    assert _queries(client, "/bewerbung/") == few


def test_admin_list_query_count_with_1_and_200_applications(client):
    cohort = CohortFactory()
    organisation = CohortOrganisationFactory(cohort=cohort).organisation
    client.force_login(ProgrammeOfficeFactory())
    submitted = {"state": ApplicationState.SUBMITTED, "submitted_at": timezone.now()}
    ApplicationFactory(cohort=cohort, organisation=organisation, cv="", letter="", **submitted)
    few = _queries(client, "/verwaltung/applications/application/")
    for _ in range(199):
        ApplicationFactory(cohort=cohort, organisation=organisation, cv="", letter="", **submitted)
    assert _queries(client, "/verwaltung/applications/application/") == few


def test_matching_wishes_are_saved_and_cannot_contradict(client, cohort):
    gladbeck = CohortOrganisationFactory(cohort=cohort, organisation__name="Stadt Gladbeck")
    application = ApplicationFactory(cohort=cohort)
    client.force_login(application.applicant)
    url = f"/bewerbung/{application.pk}/bearbeiten/"
    data = mentee_form(
        application,
        wished_organisation_kinds=["district"],
        wished_organisations=[str(gladbeck.organisation_id)],
        avoided_organisations=[str(gladbeck.organisation_id)],
    )
    response = client.post(url, data)
    assert "Stadt Gladbeck kann nicht zugleich gewünscht und ausgeschlossen sein." in (
        response.content.decode()
    )
    data["avoided_organisations"] = []
    assert client.post(url, data).status_code == 302
    application.refresh_from_db()
    assert application.wished_organisation_kinds == ["district"]
    assert list(application.wished_organisations.all()) == [gladbeck.organisation]


def test_status_page_leads_back_to_a_draft_or_a_requested_correction(client, cohort):
    draft = ApplicationFactory(cohort=cohort)
    client.force_login(draft.applicant)
    html = client.get("/bewerbung/").content.decode()
    assert f'href="/bewerbung/{draft.pk}/bearbeiten/"' in html
    draft.state = ApplicationState.SUBMITTED
    draft.save()
    assert (
        f'href="/bewerbung/{draft.pk}/bearbeiten/"'
        not in client.get("/bewerbung/").content.decode()
    )
