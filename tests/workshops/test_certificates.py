"""Issuing certificates, printing them in batches, and what a batch leaves behind when it
breaks off: codes are issued once, files rendered once, the document regenerated."""

import datetime as dt
import io
import re

import pikepdf
import pytest
from django.utils import timezone

from mentoring.dates import long_date
from tests.factories import (
    ApplicationFactory,
    AttendanceFactory,
    ProjectTeamFactory,
)
from workshops import issuing, services
from workshops.enums import AttendanceStatus, BatchState, CertificateKind
from workshops.models import (
    CODE_ALPHABET,
    Attendance,
    Certificate,
    CertificateBatch,
    WorkshopLog,
    normalise_code,
)

from .pdftools import ALLOWED_URLS, flat, page_count, page_texts, poppler, squeezed

pytestmark = pytest.mark.django_db


def run(cohort, actor=None):
    batch = CertificateBatch.objects.create(cohort=cohort, requested_by=actor)
    issuing.run_batch(batch.pk)
    batch.refresh_from_db()
    return batch


def test_issues_to_those_who_qualify_with_a_fresh_code_each_and_an_audit_entry(ceremony):
    office = ceremony["people"]["office"]

    issued = issuing.issue_missing(ceremony["cohort"], actor=office)

    assert {(c.application, c.kind) for c in issued} == {
        (ceremony["mentee"], CertificateKind.MENTEE),
        (ceremony["mentor"], CertificateKind.MENTOR),
    }
    mentee_certificate = next(c for c in issued if c.kind == CertificateKind.MENTEE)
    assert mentee_certificate.participant_name == "Sabine Kowalski"
    assert mentee_certificate.organisation_name == "Stadt Bottrop"
    assert mentee_certificate.issued_on == timezone.localdate()
    assert len({c.code for c in issued}) == 2
    assert all(len(c.code) == 12 and set(c.code) <= set(CODE_ALPHABET) for c in issued)
    log = WorkshopLog.objects.filter(action="certificate_issued")
    assert {(entry.certificate_id, entry.actor) for entry in log} == {
        (c.pk, office) for c in issued
    }


def test_issuing_again_issues_nothing(ceremony):
    first = issuing.issue_missing(ceremony["cohort"])

    assert issuing.issue_missing(ceremony["cohort"]) == []
    assert set(Certificate.objects.values_list("code", flat=True)) == {c.code for c in first}


def test_who_does_not_qualify_gets_nothing(ceremony):
    Attendance.objects.filter(application=ceremony["mentee"], workshop=ceremony["final"]).update(
        status=AttendanceStatus.ABSENT
    )

    issued = issuing.issue_missing(ceremony["cohort"])

    assert [c.application for c in issued] == [ceremony["mentor"]]


def test_revoked_certificate_stays_revoked_and_a_new_one_gets_a_new_code(ceremony):
    office = ceremony["people"]["office"]
    old = next(
        c for c in issuing.issue_missing(ceremony["cohort"]) if c.kind == CertificateKind.MENTEE
    )

    services.certificate_revoke(certificate=old, reason="Name falsch geschrieben", actor=office)
    new = issuing.issue_missing(ceremony["cohort"])

    old.refresh_from_db()
    assert not old.is_valid and old.revoked_by == office
    assert old.revocation_reason == "Name falsch geschrieben"
    assert [c.application for c in new] == [ceremony["mentee"]]
    assert new[0].code != old.code
    entry = WorkshopLog.objects.get(action="certificate_revoked")
    assert (entry.certificate, entry.actor, entry.note) == (old, office, "Name falsch geschrieben")


def test_revoking_needs_a_reason_and_happens_once(ceremony):
    office = ceremony["people"]["office"]
    certificate = issuing.issue_missing(ceremony["cohort"])[0]

    with pytest.raises(issuing.CertificateError, match="Grund"):
        services.certificate_revoke(certificate=certificate, reason="   ", actor=office)
    services.certificate_revoke(
        certificate=certificate, reason="Teilnahme nachträglich aberkannt", actor=office
    )
    with pytest.raises(issuing.CertificateError, match="bereits widerrufen"):
        services.certificate_revoke(certificate=certificate, reason="noch einmal", actor=office)
    assert WorkshopLog.objects.filter(action="certificate_revoked").count() == 1


def test_codes_are_read_as_typed_or_printed():
    assert normalise_code(" k7p4-9qxm 2hzt ") == "K7P49QXM2HZT"


def test_batch_renders_each_certificate_and_one_document_with_a_page_each(ceremony, tmp_path):
    office = ceremony["people"]["office"]

    batch = run(ceremony["cohort"], office)

    assert (batch.state, batch.done, batch.total) == (BatchState.DONE, 2, 2)
    assert batch.finished_at is not None
    pdf = batch.file.read()
    assert page_count(pdf, tmp_path) == 2
    pages = [flat(text) for text in page_texts(pdf, tmp_path)]
    # Mentees first, then mentors: the order of the ceremony.
    assert "Teilnahmezertifikat" in pages[0] and "Sabine Kowalski" in pages[0]
    assert "Teilnahmebestätigung" in pages[1] and "Birgit Gladbecker" in pages[1]


def test_the_batch_document_shows_each_own_file_and_is_titled_in_the_sites_language(
    ceremony, tmp_path
):
    batch = run(ceremony["cohort"])

    pdf = batch.file.read()
    own = [Certificate.objects.get(kind=kind).file.read() for kind in CertificateKind.values]
    assert page_texts(pdf, tmp_path) == [page_texts(file, tmp_path)[0] for file in own]
    info = poppler("pdfinfo", pdf=pdf, tmp_path=tmp_path)
    assert re.search(r"^Title:\s+Teilnahmezertifikate und Teilnahmebestätigungen$", info, re.M)
    with pikepdf.open(io.BytesIO(pdf)) as document:
        assert str(document.Root.Lang) == "de"


def test_each_certificate_says_who_what_when_and_how_to_verify(ceremony, tmp_path, settings):
    settings.SITE_URL = "https://mentoring.example.org"
    cohort = ceremony["cohort"]
    run(cohort)
    certificate = Certificate.objects.get(kind=CertificateKind.MENTEE)

    pdf = certificate.file.read()

    assert page_count(pdf, tmp_path) == 1
    text = flat(page_texts(pdf, tmp_path)[0])
    start, end, today = cohort.start_date, cohort.end_date, timezone.localdate()
    for expected in (
        "Sabine Kowalski",
        "Stadt Bottrop",
        cohort.programme.name,
        f"{cohort.number}. Jahrgang",
        f"vom {long_date(start)} bis {long_date(end)}",
        f"Dorsten, {long_date(today)}",
        "Stadt Gladbeck",  # a cooperation partner
        certificate.display_code,
        f"https://mentoring.example.org/zertifikat/{certificate.display_code}/",
    ):
        assert expected in text, expected
    assert certificate.rendered_at is not None


def test_markup_in_a_name_is_printed_as_typed_and_the_batch_fetches_nothing(
    ceremony, listener, fetched_urls, tmp_path
):
    applicant = ceremony["mentee"].applicant
    applicant.first_name = f'<img src="http://127.0.0.1:{listener.port}/x">'
    applicant.last_name = "url(file:///etc/passwd)"
    applicant.save()

    batch = run(ceremony["cohort"])

    assert batch.state == BatchState.DONE
    assert listener.accepted() == []
    assert set(fetched_urls) <= ALLOWED_URLS
    certificate = Certificate.objects.get(kind=CertificateKind.MENTEE)
    # The line may wrap anywhere in the long name: compare without white space.
    text = squeezed(page_texts(certificate.file.read(), tmp_path)[0])
    assert (
        squeezed(f'<img src="http://127.0.0.1:{listener.port}/x"> url(file:///etc/passwd)') in text
    )
    assert "root:" not in text


def test_the_longest_possible_name_is_issued_and_printed(ceremony, tmp_path):
    applicant = ceremony["mentee"].applicant
    applicant.first_name, applicant.last_name = "A" * 150, "B" * 150
    applicant.save()

    batch = run(ceremony["cohort"])

    assert batch.state == BatchState.DONE
    certificate = Certificate.objects.get(kind=CertificateKind.MENTEE)
    assert certificate.participant_name == f"{'A' * 150} {'B' * 150}"
    assert squeezed(certificate.participant_name) in squeezed(
        "".join(page_texts(certificate.file.read(), tmp_path))
    )


def test_a_certificate_revoked_while_the_batch_runs_is_left_out_of_the_print(
    ceremony, monkeypatch, tmp_path
):
    real_layout = issuing.layout_certificates

    def revoke_the_mentors_meanwhile(contents):
        mentor = Certificate.objects.get(kind=CertificateKind.MENTOR)
        if mentor.is_valid:
            services.certificate_revoke(certificate=mentor, reason="Doppelt erfasst", actor=None)
        return real_layout(contents)

    monkeypatch.setattr(issuing, "layout_certificates", revoke_the_mentors_meanwhile)

    batch = run(ceremony["cohort"])

    assert (batch.state, batch.total) == (BatchState.DONE, 1)
    pdf = batch.file.read()
    assert page_count(pdf, tmp_path) == 1
    assert "Birgit Gladbecker" not in flat(page_texts(pdf, tmp_path)[0])


def test_rerunning_regenerates_the_document_but_never_reissues_or_rerenders(ceremony):
    first = run(ceremony["cohort"])
    files = dict(Certificate.objects.values_list("code", "file"))

    second = run(ceremony["cohort"])

    assert second.state == BatchState.DONE and second.file.name != first.file.name
    assert dict(Certificate.objects.values_list("code", "file")) == files


def test_a_batch_with_nobody_qualifying_fails_with_a_german_reason(world):
    batch = run(world["cohort"])

    assert batch.state == BatchState.FAILED
    assert "erfüllt noch niemand" in batch.error
    assert not batch.file


class WorkerDied(BaseException):
    """Like SIGKILL to the task: no ``except Exception`` clause gets to run."""


def test_a_batch_broken_off_mid_way_is_resumed_and_loses_nothing(ceremony, settings, monkeypatch):
    settings.CERTIFICATE_BATCH_CHUNK = 2
    cohort = ceremony["cohort"]
    for number in range(4):
        mentee = ApplicationFactory(
            accepted=True, cohort=cohort, applicant__last_name=f"Zander {number}"
        )
        for workshop in cohort.workshops.all():
            AttendanceFactory(workshop=workshop, application=mentee)
        ProjectTeamFactory(cohort=cohort, members=[mentee], presented_on=ceremony["final"].date)
    real_layout = issuing.layout_certificates
    calls = []

    def dies_on_the_third_chunk(contents):
        calls.append(len(contents))
        if len(calls) == 3:
            raise WorkerDied
        return real_layout(contents)

    monkeypatch.setattr(issuing, "layout_certificates", dies_on_the_third_chunk)
    batch = CertificateBatch.objects.create(cohort=cohort)

    with pytest.raises(WorkerDied):
        issuing.run_batch(batch.pk)

    batch.refresh_from_db()
    assert (batch.state, batch.done, batch.total) == (BatchState.RUNNING, 4, 6)
    rendered = dict(Certificate.objects.exclude(file="").values_list("code", "file"))
    assert len(rendered) == 4
    codes = set(Certificate.objects.values_list("code", flat=True))
    assert len(codes) == 6
    # Another delivery while the heartbeat is fresh leaves the batch alone ...
    issuing.run_batch(batch.pk)
    assert len(calls) == 3
    # ... once it is stale, the rerun finishes it.
    CertificateBatch.objects.filter(pk=batch.pk).update(
        heartbeat_at=timezone.now()
        - dt.timedelta(seconds=settings.CERTIFICATE_BATCH_STALE_SECONDS + 1)
    )
    issuing.run_batch(batch.pk)

    batch.refresh_from_db()
    assert (batch.state, batch.done, batch.total) == (BatchState.DONE, 6, 6)
    assert set(Certificate.objects.values_list("code", flat=True)) == codes
    after = dict(Certificate.objects.values_list("code", "file"))
    assert all(after[code] == name for code, name in rendered.items())
    assert all(after.values())


def test_starting_while_a_batch_runs_shows_that_batch(ceremony, django_capture_on_commit_callbacks):
    office = ceremony["people"]["office"]
    running = CertificateBatch.objects.create(
        cohort=ceremony["cohort"], state=BatchState.RUNNING, heartbeat_at=timezone.now()
    )

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        assert services.certificate_batch_start(cohort=ceremony["cohort"], actor=office) == running

    assert callbacks == []


def test_starting_a_stalled_batch_queues_it_again(ceremony, django_capture_on_commit_callbacks):
    office = ceremony["people"]["office"]
    stalled = CertificateBatch.objects.create(
        cohort=ceremony["cohort"],
        state=BatchState.RUNNING,
        heartbeat_at=timezone.now() - dt.timedelta(hours=1),
    )

    with django_capture_on_commit_callbacks(execute=True):
        assert services.certificate_batch_start(cohort=ceremony["cohort"], actor=office) == stalled

    stalled.refresh_from_db()
    assert stalled.state == BatchState.DONE and stalled.total == 2
