"""Certificates speak their holder's language, lists the language of whoever prints them
(issue 15): text, dates, the e-mail that says the certificate is ready."""

import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone, translation

from mentoring.dates import long_date
from workshops import issuing
from workshops.enums import CertificateKind
from workshops.models import Certificate, CertificateBatch

from .pdftools import flat, page_texts, poppler

pytestmark = pytest.mark.django_db


@pytest.fixture
def english_mentee(ceremony):
    """The ceremony, with a mentee who reads English and a mentor who reads German."""
    for person, language in ((ceremony["mentee"], "en"), (ceremony["mentor"], "de")):
        person.applicant.language = language
        person.applicant.save(update_fields=["language"])
    return ceremony


def certificate_text(kind, tmp_path):
    certificate = Certificate.objects.get(kind=kind)
    pdf = certificate.file.read()
    title = re.search(r"^Title:\s+(.*)$", poppler("pdfinfo", pdf=pdf, tmp_path=tmp_path), re.M)
    return flat(page_texts(pdf, tmp_path)[0]), title[1]


def test_each_certificate_of_a_batch_is_in_its_holders_language(english_mentee, tmp_path):
    cohort = english_mentee["cohort"]
    with translation.override("de"):  # as the worker runs: in the site's language
        issuing.run_batch(CertificateBatch.objects.create(cohort=cohort).pk)

    english, english_title = certificate_text(CertificateKind.MENTEE, tmp_path)
    german, german_title = certificate_text(CertificateKind.MENTOR, tmp_path)
    today = timezone.localdate()
    with translation.override("en"):
        start, end, issued = (long_date(day) for day in (cohort.start_date, cohort.end_date, today))
    assert english.startswith(
        "MIT FRAUEN AN DIE SPITZE Certificate of participation Cohort 8 "
        "This is to certify that Sabine Kowalski Stadt Bottrop "
        "took part in the cross-mentoring programme “Mit Frauen an die Spitze” as a mentee "
        f"from {start} to {end}. IN COOPERATION WITH "
    )
    assert f"Dorsten, {issued} Chair of the mentoring advisory board" in english
    assert "Verify authenticity: " in english
    assert english_title == "Certificate of participation – Sabine Kowalski"
    assert re.search(r"\d{1,2} [A-Z][a-z]+ \d{4}", start)  # "1 March 2026"
    assert german.startswith(
        "MIT FRAUEN AN DIE SPITZE Teilnahmebestätigung 8. Jahrgang "
        "Hiermit wird bestätigt, dass Birgit Gladbecker Stadt Gladbeck "
        f"vom {long_date(cohort.start_date)} bis {long_date(cohort.end_date)} als Mentor:in"
    )
    assert german_title == "Teilnahmebestätigung – Birgit Gladbecker"


def test_the_ready_mail_is_in_the_holders_language(english_mentee):
    issuing.run_batch(CertificateBatch.objects.create(cohort=english_mentee["cohort"]).pk)

    for certificate in Certificate.objects.order_by("kind"):
        assert issuing.send_ready_mail(certificate.pk)

    subjects = {message.to[0]: message.subject for message in mail.outbox}
    assert subjects == {
        english_mentee["mentee"].applicant.email: "Your certificate of participation is ready",
        english_mentee["mentor"].applicant.email: "Ihre Teilnahmebestätigung liegt bereit",
    }


def sheet_lines(client, world, language, tmp_path):
    client.cookies["django_language"] = language
    url = reverse(
        "workshops:sheet", kwargs={"cohort_id": world["cohort"].pk, "pk": world["workshop"].pk}
    )
    response = client.get(url)
    assert response.status_code == 200
    [page] = page_texts(response.content, tmp_path, "-layout")
    return [" ".join(line.split()) for line in page.splitlines() if line.strip()]


@pytest.mark.parametrize(
    ("language", "header", "columns", "footer"),
    [
        (
            "en",
            ["MIT FRAUEN AN DIE SPITZE · COHORT 8", "Attendance sheet: Zwischenworkshop"],
            "No. Name Administration Role Signature",
            "Page 1 of 1",
        ),
        (
            "de",
            ["MIT FRAUEN AN DIE SPITZE · 8. JAHRGANG", "Teilnahmeliste: Zwischenworkshop"],
            "Nr. Name Verwaltung Rolle Unterschrift",
            "Seite 1 von 1",
        ),
    ],
)
def test_the_attendance_sheet_is_in_the_language_of_whoever_prints_it(
    client, world, tmp_path, language, header, columns, footer
):
    client.force_login(world["people"]["office"])
    workshop = world["workshop"]
    with translation.override(language):
        kind, day = workshop.get_kind_display(), long_date(workshop.date)
    times = {"en": "09:00 to 16:00", "de": "09:00 bis 16:00 Uhr"}[language]

    lines = sheet_lines(client, world, language, tmp_path)

    assert lines[:2] == header
    assert lines[2].endswith(kind)
    assert lines[3].endswith(f"{day}, {times}")
    assert columns in lines
    assert lines[-1].endswith(footer)


def test_a_name_long_enough_for_a_second_page_keeps_her_language_and_title(
    english_mentee, tmp_path
):
    applicant = english_mentee["mentee"].applicant
    applicant.first_name, applicant.last_name = "A" * 150, "B" * 150
    applicant.save()

    issuing.run_batch(CertificateBatch.objects.create(cohort=english_mentee["cohort"]).pk)

    pdf = Certificate.objects.get(kind=CertificateKind.MENTEE).file.read()
    info = poppler("pdfinfo", pdf=pdf, tmp_path=tmp_path)
    assert re.search(r"^Pages:\s+2$", info, re.M)
    assert re.search(r"^Title:\s+Certificate of participation – A{150} B{150}$", info, re.M)
    assert "This is to certify that" in flat(page_texts(pdf, tmp_path)[0])
