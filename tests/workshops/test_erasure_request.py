"""Erasure on request (Art. 17 DSGVO), end to end: the office confirms, she is gone.

Lives with the workshops tests because certificates are where erasure meets what must
outlive it: the verification record.
"""

import datetime as dt

import pytest
from django.contrib.auth import SESSION_KEY
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session
from django.core.files.base import ContentFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from applications.enums import ApplicationState
from applications.models import Application, Review
from cohorts.enums import CertificatesOnErasure
from cohorts.models import BeiratMembership
from mentoring.enums import ConsentKind, ErasureReason, MailStatus, ReminderKind
from mentoring.models import (
    Consent,
    ErasureRecord,
    PrivacyNotice,
    SentMail,
    SentReminder,
    User,
)
from mentoring.retention import is_erased
from tandems.enums import TandemStatus
from tandems.models import Contact, GoalAgreement, Tandem
from tests.factories import (
    MINIMAL_PDF,
    ApplicationFactory,
    AttendanceFactory,
    ContactFactory,
    RsvpFactory,
    TandemFactory,
    UserFactory,
    pdf_upload,
)
from workshops import issuing
from workshops.enums import AttendanceStatus, RsvpAnswer
from workshops.models import Attendance, CalendarFeed, Certificate, Rsvp

pytestmark = pytest.mark.django_db


def erase_url(user):
    return f"/verwaltung/mentoring/user/{user.pk}/loeschen-auf-antrag/"


@pytest.fixture
def her(ceremony):
    """Sabine Kowalski, mentee of the running cohort, with everything a participant leaves."""
    cohort, mentee, mentor = ceremony["cohort"], ceremony["mentee"], ceremony["mentor"]
    person = mentee.applicant
    mentee.cv.save("lebenslauf.pdf", pdf_upload(), save=True)
    issuing.issue_missing(cohort)
    certificate = Certificate.objects.get(application=mentee)
    certificate.file.save("zertifikat.pdf", ContentFile(MINIMAL_PDF), save=True)
    tandem = TandemFactory(cohort=cohort, mentee=mentee, mentor=mentor)
    ContactFactory(tandem=tandem, note="Sie möchte in die Amtsleitung.", topics_other="Teilzeit")
    ContactFactory(tandem=tandem, author=mentor.applicant, note="Hospitation im Dezernat")
    GoalAgreement.objects.create(tandem=tandem, expectations_mentee="Führung in Teilzeit")
    RsvpFactory(
        workshop=ceremony["workshop"], application=mentee, answer=RsvpAnswer.NO, reason="Kur"
    )
    Attendance.objects.filter(application=mentee, workshop=ceremony["workshop"]).update(
        status=AttendanceStatus.EXCUSED, note="Arzttermin"
    )
    CalendarFeed.objects.create(user=person)
    notice = PrivacyNotice.objects.first() or PrivacyNotice.objects.create(version=1, text="…")
    Consent.objects.create(user=person, kind=ConsentKind.FOLLOW_UP, notice=notice)
    SentMail.objects.create(
        purpose="application.submitted",
        content_type=ContentType.objects.get_for_model(mentee),
        object_id=mentee.pk,
        recipient=person,
        address=person.email,
        status=MailStatus.SENT,
        subject="Ihre Bewerbung ist eingegangen",
        message_id="<sabine-1@example.org>",
    )
    SentReminder.objects.create(
        kind=ReminderKind.CONTACT_MISSING,
        content_type=ContentType.objects.get_for_model(tandem),
        object_id=tandem.pk,
        recipient=person,
        period="2026-10",
        status="sent",
        sweep="00000000-0000-0000-0000-000000000001",
    )
    draft = ApplicationFactory(applicant=person, cv="", letter="")
    session = Client()
    session.force_login(person)
    return {
        "person": person,
        "mentee": mentee,
        "certificate": certificate,
        "tandem": tandem,
        "draft": draft,
        "session": session,
        "files": [
            (mentee.cv.storage, mentee.cv.name),
            (certificate.file.storage, certificate.file.name),
        ],
    }


def her_sessions(person):
    return [
        session
        for session in Session.objects.all()
        if session.get_decoded().get(SESSION_KEY) == str(person.pk)
    ]


def test_the_office_sees_what_goes_before_confirming(client, ceremony, her):
    client.force_login(ceremony["people"]["office"])

    response = client.get(erase_url(her["person"]))

    assert response.status_code == 200
    text = response.content.decode()
    assert "Sabine Kowalski" in text
    assert "sabine.kowalski@bottrop.example.org" in text
    lines = {(line.label, line.count) for line in response.context["lines"]}
    assert {
        ("Bewerbungen und Teilnahmen", 1),
        ("Entwürfe", 1),
        ("Dateien (Lebenslauf, Anschreiben)", 1),
        ("Tandems", 1),
        ("laufende Tandems", 1),
        ("Kontakte", 2),
        ("Zielvereinbarungen", 1),
        ("Zertifikate", 1),
        ("Rückmeldungen zu Workshops", 1),
        ("Kalenderabonnement", 1),
        ("Einwilligungen", 1),
        ("E-Mail-Protokoll und Erinnerungen", 2),
        ("Benutzerkonto", 1),
    } <= lines
    assert "bleiben prüfbar" in text
    assert ErasureRecord.objects.count() == 0


def test_without_the_confirmation_nothing_happens(client, ceremony, her):
    client.force_login(ceremony["people"]["office"])

    response = client.post(erase_url(her["person"]), {})

    assert response.status_code == 200
    assert response.context["form"].errors == {"confirm": ["Bitte bestätigen Sie die Löschung."]}
    assert User.objects.filter(pk=her["person"].pk, is_active=True).exists()
    assert ErasureRecord.objects.count() == 0


def test_erasure_on_request_end_to_end(client, ceremony, her, django_capture_on_commit_callbacks):
    office = ceremony["people"]["office"]
    person, mentee, certificate = her["person"], her["mentee"], her["certificate"]
    personal = [person.email, person.first_name, person.last_name, "Kowalski"]
    assert her["session"].get("/start/").status_code == 200
    assert len(her_sessions(person)) == 1
    mentor_certificate = Certificate.objects.get(application=ceremony["mentor"])
    client.force_login(office)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(erase_url(person), {"confirm": "on"})

    assert response.status_code == 302
    assert response["Location"] == "/verwaltung/mentoring/user/"
    # The account and her sessions.
    assert not User.objects.filter(pk=person.pk).exists()
    assert her_sessions(person) == []
    assert her["session"].get("/start/").status_code == 302
    # Her participation: anonymised, withdrawn (the cohort still runs), files gone.
    mentee = Application.objects.get(pk=mentee.pk)
    assert is_erased(mentee.applicant) and not mentee.applicant.is_active
    assert (mentee.state, mentee.cohort, mentee.organisation) == (
        ApplicationState.WITHDRAWN,
        ceremony["cohort"],
        ceremony["organisations"]["bottrop"],
    )
    assert (mentee.cv.name, mentee.phone, mentee.motivation) == ("", "", "")
    assert [storage.exists(name) for storage, name in her["files"]] == [False, False]
    assert not Application.objects.filter(pk=her["draft"].pk).exists()
    # Her tandem: ended, its content gone, for both partners.
    tandem = Tandem.objects.get(pk=her["tandem"].pk)
    assert tandem.status == TandemStatus.ENDED
    assert list(Contact.objects.filter(tandem=tandem).values_list("note", "topics_other")) == [
        ("", ""),
        ("", ""),
    ]
    assert GoalAgreement.objects.count() == 0
    # Workshops.
    assert Rsvp.objects.filter(application=mentee).count() == 0
    assert set(Attendance.objects.filter(application=mentee).values_list("note", flat=True)) <= {
        "",
        "gelöscht",
    }
    assert CalendarFeed.objects.count() == 0
    # Her consents and mails went with the account.
    assert Consent.objects.count() == 0
    assert SentMail.objects.count() == SentReminder.objects.count() == 0
    # The certificate stays verifiable ("keep"), without its PDF and her administration.
    certificate = Certificate.objects.get(pk=certificate.pk)
    assert (certificate.application, certificate.file.name, certificate.organisation_name) == (
        None,
        "",
        "",
    )
    assert (certificate.participant_name, certificate.is_valid) == ("Sabine Kowalski", True)
    page = Client().get(f"/zertifikat/{certificate.code}/")
    assert page.status_code == 200
    assert "Gültig." in page.content.decode()
    assert "Sabine Kowalski" in page.content.decode()
    assert "Mit Frauen an die Spitze" in page.content.decode()
    # The mentor's certificate is hers alone.
    assert Certificate.objects.get(pk=mentor_certificate.pk).application == ceremony["mentor"]
    # The log: who and when, kinds and counts, nothing of her.
    records = list(ErasureRecord.objects.all())
    assert {record.reason for record in records} == {ErasureReason.REQUEST}
    assert {record.erased_by for record in records} == {office}
    kinds = {record.kind: record.count for record in records}
    assert kinds["person"] == 1
    assert (kinds["application"], kinds["draft"], kinds["certificate_kept"]) == (1, 1, 1)
    assert (kinds["contact"], kinds["goal_agreement"], kinds["tandem_ended"]) == (2, 1, 1)
    assert (kinds["consent"], kinds["mail"], kinds["account"]) == (1, 2, 1)
    texts = [
        str(value)
        for record in records
        for value in (record.kind, record.cohort, record.count, record.reason, str(record))
    ]
    for word in personal:
        assert not any(word in text for text in texts), word
    # The office's list no longer shows anyone for her.
    listing = client.get("/verwaltung/mentoring/user/?q=geloescht")
    assert listing.context["cl"].result_count == 0


def test_revoke_revokes_and_keeps_no_name(
    client, ceremony, her, django_capture_on_commit_callbacks
):
    programme = ceremony["cohort"].programme
    programme.certificates_on_erasure = CertificatesOnErasure.REVOKE
    programme.save()
    client.force_login(ceremony["people"]["office"])
    assert "werden widerrufen" in client.get(erase_url(her["person"])).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        client.post(erase_url(her["person"]), {"confirm": "on"})

    certificate = Certificate.objects.get(pk=her["certificate"].pk)
    assert (certificate.participant_name, certificate.application, certificate.file.name) == (
        "",
        None,
        "",
    )
    assert not certificate.is_valid
    assert certificate.revoked_by == ceremony["people"]["office"]
    assert certificate.revocation_reason == "Löschung auf Antrag (Art. 17 DSGVO)"
    page = Client().get(f"/zertifikat/{certificate.code}/")
    assert page.status_code == 200
    assert "Widerrufen." in page.content.decode()
    assert "Kowalski" not in page.content.decode()
    assert ErasureRecord.objects.get(kind="certificate_revoked").count == 1


def test_an_officer_who_reviewed_is_anonymised_and_deactivated(client, ceremony):
    officer = ceremony["people"]["bottrop"]
    applicant = ApplicationFactory(state=ApplicationState.IN_REVIEW, cv="", letter="")
    Review.objects.create(application=applicant, reviewer=officer, scores={}, mean_score=4)
    client.force_login(ceremony["people"]["office"])

    response = client.post(erase_url(officer), {"confirm": "on"})

    assert response.status_code == 302
    officer = User.objects.get(pk=officer.pk)
    assert is_erased(officer)
    assert (officer.first_name, officer.last_name, officer.is_active) == ("", "", False)
    assert not officer.has_usable_password()
    assert BeiratMembership.objects.filter(user=officer).count() == 0
    assert Review.objects.get().reviewer == officer
    assert ErasureRecord.objects.get(kind="beirat_membership").count == 1


def test_only_the_office_erases(client, ceremony, her):
    person = her["person"]
    client.force_login(ceremony["people"]["chair"])
    assert client.get(erase_url(person)).status_code == 403
    assert client.post(erase_url(person), {"confirm": "on"}).status_code == 403

    client.force_login(UserFactory())
    assert client.get(erase_url(person)).status_code == 302
    assert User.objects.filter(pk=person.pk, is_active=True).exists()


def test_nobody_erases_herself(client, ceremony):
    office = ceremony["people"]["office"]
    client.force_login(office)

    response = client.post(erase_url(office), {"confirm": "on"})

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "confirm": ["Sie können Ihr eigenes Konto nicht auf diesem Weg löschen."]
    }
    assert User.objects.get(pk=office.pk).is_active


def test_the_action_leads_to_the_confirmation_for_one_person(client, ceremony, her):
    client.force_login(ceremony["people"]["office"])
    url = "/verwaltung/mentoring/user/"
    people = [her["person"].pk]

    response = client.post(url, {"action": "erase_on_request", "_selected_action": people})
    assert response.status_code == 302
    assert response["Location"] == erase_url(her["person"])

    two = [*people, ceremony["mentor"].applicant.pk]
    response = client.post(url, {"action": "erase_on_request", "_selected_action": two})
    assert response.status_code == 302
    assert response["Location"] == url
    assert User.objects.filter(pk__in=two, is_active=True).count() == 2


def test_the_user_page_links_to_the_erasure(client, ceremony, her):
    client.force_login(ceremony["people"]["office"])
    response = client.get(f"/verwaltung/mentoring/user/{her['person'].pk}/change/")
    assert erase_url(her["person"]) in response.content.decode()


def test_the_confirmation_queries_do_not_grow(client, ceremony):
    client.force_login(ceremony["people"]["office"])
    person = ceremony["mentee"].applicant
    TandemFactory(cohort=ceremony["cohort"], mentee=ceremony["mentee"], mentor=ceremony["mentor"])
    client.get(erase_url(person))
    with CaptureQueriesContext(connection) as one:
        assert client.get(erase_url(person)).status_code == 200
    for _ in range(6):
        application = ApplicationFactory(applicant=person, state=ApplicationState.ACCEPTED)
        AttendanceFactory(
            workshop=ceremony["workshop"], application=application, recorded_at=timezone.now()
        )
        TandemFactory(cohort=application.cohort, mentee=application)
    with CaptureQueriesContext(connection) as many:
        response = client.get(erase_url(person))
    assert response.status_code == 200
    assert [line.count for line in response.context["lines"] if line.label == "Tandems"] == [7]
    assert len(many) == len(one)


def test_a_decided_application_keeps_its_state_when_the_cohort_is_over(
    client, ceremony, django_capture_on_commit_callbacks
):
    person = UserFactory()
    rejected = ApplicationFactory(
        applicant=person,
        state=ApplicationState.REJECTED,
        decision_released_at=timezone.now() - dt.timedelta(days=3),
    )
    client.force_login(ceremony["people"]["office"])

    with django_capture_on_commit_callbacks(execute=True):
        client.post(erase_url(person), {"confirm": "on"})

    rejected.refresh_from_db()
    assert rejected.state == ApplicationState.REJECTED
    assert is_erased(rejected.applicant)
