"""A participant sees her own progress towards the certificate, and is told once by e-mail
when her certificate is ready to download."""

import datetime as dt
import smtplib

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.factories import (
    ApplicationFactory,
    AttendanceFactory,
    CohortOrganisationFactory,
    ProjectTeamFactory,
    UpcomingWorkshopFactory,
    running_cohort,
)
from workshops import issuing, services
from workshops.certificates import progress_of
from workshops.enums import AttendanceStatus, Invitees, WorkshopKind
from workshops.models import Certificate, CertificateBatch, CertificatePolicy, TeamMembership

pytestmark = pytest.mark.django_db
PAGE = "/workshops/"


def standings(item):
    return [(s.workshop.title, s.counts, s.label) for s in item.standings]


# What she sees -----------------------------------------------------------------------------


def test_she_sees_her_attendance_and_that_she_qualifies(client, ceremony):
    client.force_login(ceremony["mentee"].applicant)
    response = client.get(PAGE)
    (item,) = response.context["progress"]
    assert standings(item) == [
        ("Zwischenworkshop", True, "anwesend"),
        ("Abschlussworkshop", True, "anwesend"),
    ]
    assert (item.verdict.qualifies, item.verdict.reasons, item.certificate) == (True, [], None)
    page = response.content.decode()
    assert "Sie erfüllen alle Voraussetzungen für das Teilnahmezertifikat." in page
    assert "Ihre Anwesenheit bei den Workshops" in page


def test_she_sees_why_she_does_not_qualify_yet(client, ceremony):
    cohort, mentee = ceremony["cohort"], ceremony["mentee"]
    interim = ceremony["workshop"]
    interim.attendances.filter(application=mentee).update(status=AttendanceStatus.ABSENT)
    ceremony["final"].attendances.filter(application=mentee).delete()
    TeamMembership.objects.filter(application=mentee).delete()
    seminar = UpcomingWorkshopFactory(
        cohort=cohort, kind=WorkshopKind.SEMINAR, title="Seminar Verhandeln", mandatory=False
    )
    UpcomingWorkshopFactory(cohort=cohort, title="Nur für Mentor:innen", invitees=Invitees.MENTORS)
    client.force_login(mentee.applicant)
    response = client.get(PAGE)
    (item,) = response.context["progress"]
    assert standings(item) == [
        ("Zwischenworkshop", True, "abwesend (unentschuldigt)"),
        ("Abschlussworkshop", True, "noch nicht erfasst"),
        (seminar.title, False, "steht noch aus"),
    ]
    assert item.verdict.reasons == [
        "Zwischenworkshop: unentschuldigt gefehlt",
        "Abschlussworkshop: Anwesenheit nicht erfasst",
        "keinem Projektteam zugeordnet",
    ]
    page = response.content.decode()
    assert "Für das Teilnahmezertifikat fehlt noch:" in page
    assert "<li>Zwischenworkshop: unentschuldigt gefehlt</li>" in page
    assert "Nur für Mentor:innen" not in page


def test_excused_counts_as_the_cohorts_rule_says(client, ceremony):
    cohort, mentee = ceremony["cohort"], ceremony["mentee"]
    ceremony["workshop"].attendances.filter(application=mentee).update(
        status=AttendanceStatus.EXCUSED, note="Dienstreise"
    )
    (item,) = progress_of(mentee.applicant)
    assert (item.verdict.qualifies, standings(item)[0][2]) == (True, "entschuldigt")
    CertificatePolicy.objects.create(cohort=cohort, excused_counts=False)
    (item,) = progress_of(mentee.applicant)
    assert item.verdict.reasons == ["Zwischenworkshop: entschuldigt gefehlt"]


def test_the_mentor_sees_her_confirmation(client, ceremony):
    client.force_login(ceremony["mentor"].applicant)
    page = client.get(PAGE).content.decode()
    assert "Sie erfüllen alle Voraussetzungen für die Teilnahmebestätigung." in page
    CertificatePolicy.objects.create(cohort=ceremony["cohort"], mentor_confirmation=False)
    (item,) = client.get(PAGE).context["progress"]
    assert item.verdict.reasons == ["Für Mentor:innen sieht dieser Jahrgang keine Bestätigung vor."]
    assert [counts for _title, counts, _label in standings(item)] == [False, False]


def test_an_issued_certificate_is_shown_as_such(
    client, ceremony, django_capture_on_commit_callbacks
):
    (certificate, _mentor) = sorted(issuing.issue_missing(ceremony["cohort"]), key=lambda c: c.kind)
    client.force_login(ceremony["mentee"].applicant)
    page = client.get(PAGE).content.decode()
    assert "Ihr Teilnahmezertifikat ist ausgestellt und wird gerade erstellt." in page
    with django_capture_on_commit_callbacks(execute=True):
        issuing.run_batch(CertificateBatch.objects.create(cohort=ceremony["cohort"]).pk)
    page = client.get(PAGE).content.decode()
    assert "Ihr Teilnahmezertifikat ist ausgestellt; Sie können es oben herunterladen." in page
    assert reverse("workshops:certificate_file", args=[certificate.pk]) in page


def test_the_page_writes_nothing(client, ceremony):
    assert not CertificatePolicy.objects.exists()
    client.force_login(ceremony["mentee"].applicant)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(PAGE).status_code == 200
    writes = [
        query["sql"]
        for query in queries
        if query["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
        and "django_session" not in query["sql"]
    ]
    assert writes == []
    assert not CertificatePolicy.objects.exists()


def test_nobody_else_sees_her_progress(client, ceremony, outsider):
    client.force_login(outsider)
    assert client.get(PAGE).context["progress"] == []
    client.force_login(ceremony["people"]["bottrop"])
    assert client.get(PAGE).context["progress"] == []


def test_the_page_costs_the_same_with_one_or_many_workshops_and_cohorts(client, world):
    mentee = world["mentee"]
    # A team from the start: the page lists its members, whatever this test adds.
    ProjectTeamFactory(cohort=world["cohort"], members=[mentee])
    client.force_login(mentee.applicant)
    client.get(PAGE)
    with CaptureQueriesContext(connection) as one:
        assert client.get(PAGE).status_code == 200
    assert len(one.captured_queries) > 0

    today = timezone.localdate()
    for number in range(6):
        workshop = UpcomingWorkshopFactory(
            cohort=world["cohort"],
            title=f"Seminar {number}",
            date=today - dt.timedelta(days=number + 1),
        )
        AttendanceFactory(workshop=workshop, application=mentee)
    # The same person in a second cohort, with workshops and attendance of her own.
    other = running_cohort()
    CohortOrganisationFactory(cohort=other, organisation=mentee.organisation)
    again = ApplicationFactory(
        accepted=True, cohort=other, organisation=mentee.organisation, applicant=mentee.applicant
    )
    for number in range(4):
        workshop = UpcomingWorkshopFactory(cohort=other, date=today - dt.timedelta(days=number + 1))
        AttendanceFactory(workshop=workshop, application=again)
    CertificatePolicy.objects.create(cohort=other)

    with CaptureQueriesContext(connection) as many:
        response = client.get(PAGE)
    assert [len(item.standings) for item in response.context["progress"]] in ([4, 7], [7, 4])
    assert len(many.captured_queries) == len(one.captured_queries)


# The e-mail "your certificate is ready" ---------------------------------------------------------


def run_batch(cohort, capture):
    batch = CertificateBatch.objects.create(cohort=cohort)
    with capture(execute=True):
        issuing.run_batch(batch.pk)
    batch.refresh_from_db()
    return batch


def test_each_gets_one_email_when_her_certificate_is_ready(
    ceremony, django_capture_on_commit_callbacks
):
    run_batch(ceremony["cohort"], django_capture_on_commit_callbacks)
    assert sorted((m.to[0], m.subject) for m in mail.outbox) == sorted(
        [
            (ceremony["mentee"].applicant.email, "Ihr Teilnahmezertifikat liegt bereit"),
            (ceremony["mentor"].applicant.email, "Ihre Teilnahmebestätigung liegt bereit"),
        ]
    )
    message = next(m for m in mail.outbox if m.to == [ceremony["mentee"].applicant.email])
    certificate = Certificate.objects.get(application=ceremony["mentee"])
    assert certificate.display_code in message.body
    assert message.body.count("/workshops/") == 1
    assert Certificate.objects.filter(ready_mailed_at__isnull=True).count() == 0


def test_running_the_batch_again_sends_nothing(ceremony, django_capture_on_commit_callbacks):
    run_batch(ceremony["cohort"], django_capture_on_commit_callbacks)
    run_batch(ceremony["cohort"], django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 2


def test_a_second_delivery_of_the_task_sends_nothing(ceremony, django_capture_on_commit_callbacks):
    run_batch(ceremony["cohort"], django_capture_on_commit_callbacks)
    certificate = Certificate.objects.get(application=ceremony["mentee"])
    assert issuing.send_ready_mail(certificate.pk) is False
    assert len(mail.outbox) == 2


def test_a_certificate_without_its_pdf_or_revoked_is_not_announced(ceremony):
    mentee_certificate, mentor_certificate = sorted(
        issuing.issue_missing(ceremony["cohort"]), key=lambda c: c.kind
    )
    assert issuing.send_ready_mail(mentee_certificate.pk) is False  # no PDF yet
    Certificate.objects.filter(pk=mentor_certificate.pk).update(file="certificates/x.pdf")
    services.certificate_revoke(
        certificate=mentor_certificate, reason="Versehen", actor=ceremony["people"]["office"]
    )
    assert issuing.send_ready_mail(mentor_certificate.pk) is False
    assert mail.outbox == []


class RefusingBackend(BaseEmailBackend):
    """A mail server that is gone: every message fails with a lost connection."""

    def send_messages(self, messages):
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")


def test_a_mail_that_fails_leaves_the_batch_done_and_goes_out_with_the_next(
    ceremony, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = f"{__name__}.RefusingBackend"
    batch = run_batch(ceremony["cohort"], django_capture_on_commit_callbacks)
    assert batch.state == "done"
    assert Certificate.objects.filter(ready_mailed_at__isnull=False).count() == 0
    assert mail.outbox == []

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    run_batch(ceremony["cohort"], django_capture_on_commit_callbacks)
    run_batch(ceremony["cohort"], django_capture_on_commit_callbacks)
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [ceremony["mentee"].applicant.email, ceremony["mentor"].applicant.email]
    )
