"""Her data export (Art. 15 GDPR): everything that is hers in one ZIP, nothing of others."""

import datetime as dt
import io
import json
import re
import zipfile
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential

from applications import services
from applications.enums import ApplicationLogAction, ApplicationState, Decision
from applications.models import ApplicationLog, CareerStep, FileAccess, Review
from cohorts.enums import BeiratRole
from mentoring.enums import ConsentKind, MailStatus, ReminderKind, ReminderStatus
from mentoring.models import Consent, PrivacyNotice, SentMail, SentReminder
from tandems.enums import ContactFormat
from tandems.models import GoalAgreement
from tests.factories import (
    MINIMAL_PDF,
    ApplicationFactory,
    BeiratMembershipFactory,
    ContactFactory,
    MentorApplicationFactory,
    OrganisationFactory,
    ProgrammeOfficeFactory,
    TandemFactory,
    UserFactory,
    WorkshopFactory,
    running_cohort,
)
from workshops.enums import AttendanceStatus, CertificateKind, RsvpAnswer
from workshops.models import Attendance, Certificate, Rsvp

pytestmark = pytest.mark.django_db

URL = "/konto/daten/"
CERTIFICATE_PDF = MINIMAL_PDF.replace(b"200 200", b"300 300")

# What belongs to other people and must be in no file of her export.
PARTNER_NOTE = "Notiz der Mentorin Quendel"
PARTNER_TOPIC = "Thema der Mentorin Quendel"
PARTNER_MOTIVATION = "Motivation der Mentorin Quendel"
REVIEW_COMMENT = "Kommentar des Beirats Quendel"
OVERRIDE_REASON = "Begruendung der Uebersteuerung Quendel"
PENDING_REASON = "Vorgemerkte Begruendung Quendel"
OFFICER_NOTE = "Arbeitsnotiz der Verwaltung Quendel"
OTHER_FIRST, OTHER_LAST = "Ottilie", "Fremdwald"
OTHER_MOTIVATION = "Motivation der Anderen Quendel"
OTHERS = [
    PARTNER_NOTE,
    PARTNER_TOPIC,
    PARTNER_MOTIVATION,
    REVIEW_COMMENT,
    OVERRIDE_REASON,
    PENDING_REASON,
    OFFICER_NOTE,
    OTHER_LAST,
    OTHER_MOTIVATION,
    "partnerin@example.org",
    "ottilie@example.org",
    "0201 999999",
]


def iso(value):
    """``value`` as daten.json writes it."""
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))


@pytest.fixture
def world(client):
    """Hanna Muster, mentee with a tandem, and around her what is other people's."""
    cohort = running_cohort()
    her = UserFactory(first_name="Hanna", last_name="Muster", phone="0209 123456")
    application = ApplicationFactory(
        cohort=cohort,
        applicant=her,
        state=ApplicationState.ACCEPTED,
        submitted_at=timezone.now() - dt.timedelta(days=300),
        motivation="Ich will <b>führen</b> & gestalten.",
        decision_reason="Überzeugende Motivation",
        decision_released_at=timezone.now() - dt.timedelta(days=200),
        eligibility_outcome="manual",
        eligibility_report={
            "overall": "manual",
            "results": [
                {
                    "rule": "grade",
                    "label": "Besoldung",
                    "outcome": "manual",
                    "reason": "Bitte einzeln prüfen.",
                }
            ],
        },
        eligibility_override="pass",
        eligibility_override_reason=OVERRIDE_REASON,
    )
    ApplicationLog.objects.create(
        application=application,
        actor=her,
        action=ApplicationLogAction.TRANSITION,
        from_state=ApplicationState.DRAFT,
        to_state=ApplicationState.SUBMITTED,
        note="Meine eigene Notiz",
    )
    office = ProgrammeOfficeFactory(first_name="Olivia", last_name="Amtmann")
    ApplicationLog.objects.create(
        application=application,
        actor=office,
        action=ApplicationLogAction.TRANSITION,
        from_state=ApplicationState.SUBMITTED,
        to_state=ApplicationState.IN_REVIEW,
        note=OFFICER_NOTE,
    )
    reviewer = ProgrammeOfficeFactory(first_name="Rita", last_name="Revisora")
    Review.objects.create(
        application=application,
        reviewer=reviewer,
        scores={},
        mean_score=Decimal("4.50"),
        comment=REVIEW_COMMENT,
    )
    partner = UserFactory(first_name="Petra", last_name="Partnerin", email="partnerin@example.org")
    partner_application = MentorApplicationFactory(
        cohort=cohort,
        applicant=partner,
        state=ApplicationState.ACCEPTED,
        organisation=OrganisationFactory(name="Stadt Partnerhausen"),
        phone="0201 999999",
        motivation=PARTNER_MOTIVATION,
    )
    tandem = TandemFactory(cohort=cohort, mentee=application, mentor=partner_application)
    GoalAgreement.objects.create(
        tandem=tandem,
        cadence="monatlich, abwechselnd persönlich",
        expectations_mentee="Führung lernen",
        expectations_mentor="Offenheit",
        mentee_confirmed_at=timezone.now() - dt.timedelta(days=100),
    )
    own_contact = ContactFactory(
        tandem=tandem,
        author=her,
        date=tandem.start_date,
        duration_minutes=90,
        topics_other="Netzwerken",
        note="Meine Notiz zum Treffen",
    )
    partner_contact = ContactFactory(
        tandem=tandem,
        author=partner,
        date=tandem.start_date + dt.timedelta(days=31),
        format=ContactFormat.PHONE,
        topics_other=PARTNER_TOPIC,
        note=PARTNER_NOTE,
    )
    # Another applicant of the same cohort, opened by the same officer.
    other = ApplicationFactory(
        cohort=cohort,
        applicant=UserFactory(
            first_name=OTHER_FIRST, last_name=OTHER_LAST, email="ottilie@example.org"
        ),
        motivation=OTHER_MOTIVATION,
    )
    # Her second application, in review, with a decision recorded but not released.
    pending = ApplicationFactory(
        applicant=her, state=ApplicationState.IN_REVIEW, submitted_at=timezone.now()
    )
    services.application_record_decision(
        application=pending, actor=office, decision=Decision.REJECTED, reason=PENDING_REASON
    )
    workshop = WorkshopFactory(cohort=cohort, title="Auftakt in Dorsten")
    Rsvp.objects.create(workshop=workshop, application=application, answer=RsvpAnswer.YES)
    Attendance.objects.create(
        workshop=workshop,
        application=application,
        status=AttendanceStatus.PRESENT,
        recorded_by=office,
        recorded_at=timezone.now(),
    )
    certificate = Certificate.objects.create(
        application=application,
        cohort=cohort,
        kind=CertificateKind.MENTEE,
        participant_name="Hanna Muster",
        organisation_name=application.organisation.name,
        issued_on=dt.date(2026, 11, 20),
        file=ContentFile(CERTIFICATE_PDF, name="zertifikat.pdf"),
    )
    notice = PrivacyNotice.objects.create(version=41, text="Hinweise")
    consent = Consent.objects.create(user=her, kind=ConsentKind.PROCESSING, notice=notice)
    sent = SentMail.objects.create(
        purpose="application.submitted",
        content_type=ContentType.objects.get_for_model(application),
        object_id=application.pk,
        recipient=her,
        address=her.email,
        status=MailStatus.SENT,
        subject="Ihre Bewerbung ist eingegangen",
        message_id="<hanna-1@example.org>",
        sent_at=timezone.now(),
    )
    reminder = SentReminder.objects.create(
        kind=ReminderKind.CONTACT_MISSING,
        content_type=ContentType.objects.get_for_model(tandem),
        object_id=tandem.pk,
        recipient=her,
        period="2026-10",
        status=ReminderStatus.SENT,
        subject="Ihr Monatskontakt fehlt",
        sweep="00000000-0000-0000-0000-000000000001",
        sent_at=timezone.now(),
    )
    step = CareerStep.objects.create(
        application=application, kind="promotion", date=dt.date(2026, 9, 1), pay_grade_to="A 12"
    )
    # The officer opens her CV and the other applicant's.
    client.force_login(office)
    for target in (application, other):
        response = client.get(f"/bewerbung/{target.pk}/datei/cv/")
        assert response.status_code == 200
        b"".join(response.streaming_content)
    client.logout()
    return {
        "her": her,
        "application": application,
        "pending": pending,
        "tandem": tandem,
        "own_contact": own_contact,
        "partner_contact": partner_contact,
        "certificate": certificate,
        "consent": consent,
        "sent": sent,
        "reminder": reminder,
        "step": step,
        "office": office,
        "workshop": workshop,
    }


def export(client, user):
    client.force_login(user)
    response = client.post(URL)
    assert response.status_code == 200
    return response, zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))


def data_of(archive):
    return json.loads(archive.read("daten.json"))


def test_the_zip_holds_the_overview_the_data_and_her_files(client, world):
    application, certificate = world["application"], world["certificate"]
    response, archive = export(client, world["her"])
    assert response["Content-Type"] == "application/zip"
    assert response["Cache-Control"] == "private, no-store"
    today = timezone.localdate().isoformat()
    assert response["Content-Disposition"] == f'attachment; filename="meine-daten-{today}.zip"'
    cv = f"dateien/bewerbung-{application.pk}-lebenslauf.pdf"
    letter = f"dateien/bewerbung-{application.pk}-motivationsanschreiben.pdf"
    pending = world["pending"]
    pending_files = [
        f"dateien/bewerbung-{pending.pk}-lebenslauf.pdf",
        f"dateien/bewerbung-{pending.pk}-motivationsanschreiben.pdf",
    ]
    badge = f"dateien/zertifikat-{certificate.display_code}.pdf"
    assert sorted(archive.namelist()) == sorted(
        ["daten.json", "uebersicht.html", cv, letter, badge, *pending_files]
    )
    assert archive.read(cv) == MINIMAL_PDF
    assert archive.read(badge) == CERTIFICATE_PDF


def test_daten_json_holds_her_account_consents_and_mails(client, world):
    her, consent, sent, reminder = world["her"], world["consent"], world["sent"], world["reminder"]
    her.refresh_from_db()
    data = data_of(export(client, her)[1])
    assert data["export"]["format"] == "personal-data"
    assert data["export"]["missing_files"] == []
    assert data["account"] == {
        "email": her.email,
        "first_name": "Hanna",
        "last_name": "Muster",
        "phone": "0209 123456",
        "language": "de",
        "role": "participant",
        "is_active": True,
        "date_joined": iso(her.date_joined),
        "email_verified_at": iso(her.email_verified_at),
        "last_login": iso(her.last_login),
    }
    assert data["consents"] == [
        {
            "kind": "processing",
            "notice_version": 41,
            "notice_published_at": iso(consent.notice.published_at),
            "given_at": iso(consent.given_at),
            "withdrawn_at": None,
        }
    ]
    assert data["emails"] == {
        "mails": [
            {
                "purpose": "application.submitted",
                "subject": "Ihre Bewerbung ist eingegangen",
                "address": her.email,
                "status": "sent",
                "created_at": iso(sent.created_at),
                "sent_at": iso(sent.sent_at),
            }
        ],
        "reminders": [
            {
                "kind": "contact_missing",
                "period": "2026-10",
                "subject": "Ihr Monatskontakt fehlt",
                "status": "sent",
                "created_at": iso(reminder.created_at),
                "sent_at": iso(reminder.sent_at),
            }
        ],
    }
    assert data["advisory_board"] == []


def test_daten_json_holds_her_application_with_the_released_decision_only(client, world):
    application, pending = world["application"], world["pending"]
    data = data_of(export(client, world["her"])[1])
    by_id = {entry["id"]: entry for entry in data["applications"]}
    mine = by_id[application.pk]
    assert (mine["state"], mine["role"], mine["motivation"], mine["phone"]) == (
        "accepted",
        "mentee",
        "Ich will <b>führen</b> & gestalten.",
        "02361 123456",
    )
    assert mine["decision"] == {
        "outcome": "accepted",
        "reason": "Überzeugende Motivation",
        "released_at": iso(application.decision_released_at),
    }
    assert mine["eligibility"] == {
        "outcome": "manual",
        "results": [
            {
                "rule": "grade",
                "label": "Besoldung",
                "outcome": "manual",
                "reason": "Bitte einzeln prüfen.",
            }
        ],
    }
    assert [(entry["to_state"], entry["note"]) for entry in mine["history"]] == [
        ("submitted", "Meine eigene Notiz"),
        ("in_review", ""),
    ]
    assert mine["cv_file"] == f"dateien/bewerbung-{application.pk}-lebenslauf.pdf"
    # Recorded, not released: she learns of it with the release, not here.
    assert (by_id[pending.pk]["state"], by_id[pending.pk]["decision"]) == ("in_review", None)
    assert data["career_steps"] == [
        {
            "application": application.pk,
            "kind": "promotion",
            "date": "2026-09-01",
            "pay_grade_from": "",
            "pay_grade_to": "A 12",
            "source": "self",
            "note": "",
            "created_at": iso(world["step"].created_at),
        }
    ]


def test_daten_json_holds_who_opened_her_cv(client, world):
    access = FileAccess.objects.get(application=world["application"])
    data = data_of(export(client, world["her"])[1])
    assert data["document_access_log"] == [
        {
            "application": world["application"].pk,
            "document": "cv",
            "opened_by": "Olivia Amtmann",
            "opened_at": iso(access.accessed_at),
        }
    ]


def test_daten_json_holds_her_tandem_with_only_date_and_format_of_the_partners_contacts(
    client, world
):
    tandem, own = world["tandem"], world["own_contact"]
    data = data_of(export(client, world["her"])[1])
    [entry] = data["tandems"]
    assert entry["partner"] == {"name": "Petra Partnerin", "organisation": "Stadt Partnerhausen"}
    assert (entry["my_role"], entry["status"], entry["start_date"]) == (
        "mentee",
        "active",
        tandem.start_date.isoformat(),
    )
    assert entry["contacts"] == [
        {
            "date": own.date.isoformat(),
            "format": "in_person",
            "logged_by": "me",
            "duration_minutes": 90,
            "topics": [],
            "topics_other": "Netzwerken",
            "note": "Meine Notiz zum Treffen",
            "created_at": iso(own.created_at),
        },
        {
            "date": world["partner_contact"].date.isoformat(),
            "format": "phone",
            "logged_by": "partner",
        },
    ]
    agreement = entry["goal_agreement"]
    assert (agreement["cadence"], agreement["expectations_mentor"]) == (
        "monatlich, abwechselnd persönlich",
        "Offenheit",
    )


def test_daten_json_holds_her_workshops_and_certificates(client, world):
    certificate, workshop = world["certificate"], world["workshop"]
    data = data_of(export(client, world["her"])[1])
    assert [
        (item["workshop"]["title"], item["answer"]) for item in data["workshops"]["responses"]
    ] == [("Auftakt in Dorsten", "yes")]
    assert [
        (item["workshop"]["date"], item["status"]) for item in data["workshops"]["attendance"]
    ] == [(workshop.date.isoformat(), "present")]
    assert data["certificates"] == [
        {
            "programme": certificate.cohort.programme.name,
            "cohort": certificate.cohort.number,
            "kind": "mentee",
            "code": certificate.display_code,
            "participant_name": "Hanna Muster",
            "organisation_name": certificate.organisation_name,
            "issued_on": "2026-11-20",
            "revoked_at": None,
            "revocation_reason": "",
            "file": f"dateien/zertifikat-{certificate.display_code}.pdf",
        }
    ]


def test_nothing_of_other_people_is_in_any_file(client, world):
    _response, archive = export(client, world["her"])
    found = {
        (name, marker)
        for name in archive.namelist()
        for marker in OTHERS
        if marker in archive.read(name).decode("utf-8", errors="replace")
    }
    assert found == set()
    # The officer who reviewed her application is named nowhere either.
    assert all(b"Revisora" not in archive.read(name) for name in archive.namelist())


def test_the_overview_is_german_self_contained_and_escapes_what_she_typed(client, world):
    html = export(client, world["her"])[1].read("uebersicht.html").decode()
    assert '<html lang="de">' in html
    assert "Ich will &lt;b&gt;führen&lt;/b&gt; &amp; gestalten." in html
    assert "<b>führen</b>" not in html
    # No script, no style sheet, image or font from anywhere: links only within the page.
    assert "<script" not in html
    assert re.findall(r'(?:src|href|action)="(?!#)[^"]*"', html) == []
    assert "Petra Partnerin" in html
    assert "Olivia Amtmann" in html


def test_a_lost_file_is_listed_as_missing_and_the_rest_still_comes(client, world):
    application = world["application"]
    application.letter.storage.delete(application.letter.name)
    _response, archive = export(client, world["her"])
    letter = f"dateien/bewerbung-{application.pk}-motivationsanschreiben.pdf"
    assert data_of(archive)["export"]["missing_files"] == [letter]
    assert letter not in archive.namelist()
    assert f"dateien/bewerbung-{application.pk}-lebenslauf.pdf" in archive.namelist()


def test_an_officer_sees_her_beirat_seats_and_not_what_she_reviewed(client, world):
    membership = BeiratMembershipFactory(role=BeiratRole.CHAIR)
    data = data_of(export(client, membership.user)[1])
    assert data["advisory_board"] == [
        {
            "organisation": membership.organisation.name,
            "programme": membership.programme.name,
            "cohort": None,
            "role": "chair",
            "function_title": "Gleichstellungsbeauftragte",
            "is_contact": True,
        }
    ]
    assert (data["applications"], data["tandems"], data["document_access_log"]) == ([], [], [])


def test_her_own_files_in_the_export_are_not_logged_and_nothing_is_written(client, world):
    before = FileAccess.objects.count()
    client.force_login(world["her"])
    client.post(URL)  # warms per-process caches
    with CaptureQueriesContext(connection) as captured:
        response = client.post(URL)
        b"".join(response.streaming_content)
    writes = [
        query["sql"]
        for query in captured
        if not query["sql"].lstrip().upper().startswith(("SELECT", "SAVEPOINT", "RELEASE"))
    ]
    assert writes == []
    assert FileAccess.objects.count() == before


def test_the_page_explains_and_anonymous_visitors_are_sent_to_log_in(client, world):
    for method in (client.get, client.post):
        response = method(URL)
        assert (response.status_code, response["Location"]) == (
            302,
            "/konto/anmelden/?next=/konto/daten/",
        )
    client.force_login(world["her"])
    page = client.get(URL)
    assert page.status_code == 200
    assert "Meine Daten herunterladen (Art. 15 DSGVO)" in page.content.decode()
    profile = client.get("/konto/").content.decode()
    assert f'action="{URL}"' in profile


def queries(client):
    client.post(URL)
    with CaptureQueriesContext(connection) as captured:
        response = client.post(URL)
        b"".join(response.streaming_content)
    return len(captured)


def test_the_export_does_not_grow_with_her_data(client, world):
    her, tandem, application = world["her"], world["tandem"], world["application"]
    client.force_login(her)
    few = queries(client)
    office = world["office"]
    for _ in range(6):
        ContactFactory(tandem=tandem, author=her, date=tandem.start_date, note="noch eine")
        ContactFactory(tandem=tandem, author=tandem.mentor.applicant, date=tandem.start_date)
        FileAccess.objects.create(
            application=application, document="letter", user=office, user_name="Olivia Amtmann"
        )
        CareerStep.objects.create(application=application, kind="none", date=dt.date(2026, 1, 1))
        cohort = running_cohort()
        more = TandemFactory(
            cohort=cohort,
            mentor=MentorApplicationFactory(
                cohort=cohort, applicant=her, state=ApplicationState.ACCEPTED
            ),
        )
        ContactFactory(tandem=more, author=her)
        workshop = WorkshopFactory(cohort=more.cohort)
        Rsvp.objects.create(
            workshop=workshop, application=more.mentor, answer=RsvpAnswer.NO, reason="Urlaub"
        )
        Attendance.objects.create(
            workshop=workshop,
            application=more.mentor,
            status=AttendanceStatus.EXCUSED,
            note="Urlaub",
            recorded_at=timezone.now(),
        )
        Certificate.objects.create(
            application=more.mentor,
            cohort=more.cohort,
            kind=CertificateKind.MENTOR,
            participant_name="Hanna Muster",
            issued_on=dt.date(2026, 11, 20),
        )
        ApplicationFactory(applicant=her)
    Consent.objects.create(
        user=her, kind=ConsentKind.FOLLOW_UP, notice=PrivacyNotice.objects.get(version=41)
    )
    BeiratMembershipFactory(user=her)
    assert queries(client) == few


def test_daten_json_names_her_second_factors_but_holds_none_of_their_secrets(client):
    officer = ProgrammeOfficeFactory()
    app = TOTPDevice.objects.create(user=officer, name="Authenticator-App", confirmed=True)
    codes = StaticDevice.objects.create(user=officer, name="Notfallcodes", confirmed=True)
    codes.token_set.create(token="1234567890")
    codes.token_set.create(token="0987654321")
    key = WebAuthnCredential.objects.create(
        user=officer,
        name="YubiKey am Schlüsselbund",
        confirmed=True,
        credential_id=b"credential-id-bytes",
        public_key=b"public-key-bytes",
    )
    archive = export(client, officer)[1]
    data = data_of(archive)
    assert data["second_factor"] == {
        "authenticator_app": True,
        "security_keys": [
            {"name": key.name, "created_at": iso(key.created_at), "last_used_at": None}
        ],
        "backup_codes_left": 2,
    }
    everything = b"".join(archive.read(name) for name in archive.namelist())
    for secret in (app.key, "1234567890", "public-key-bytes"):
        assert secret.encode() not in everything


def test_daten_json_of_a_participant_has_no_second_factor_section(client, world):
    assert "second_factor" not in data_of(export(client, world["her"])[1])
