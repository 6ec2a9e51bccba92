"""Issuing and printing certificates; ``run_batch`` is the Celery task's body.

Starting a batch and revoking a certificate are services (``workshops.services``), which
queue ``tasks.print_certificates``; the task calls down into this module, never back.

A batch lays out the cohort's certificates in chunks (one WeasyPrint layout per chunk),
writes each participant's own PDF from her page of that layout and the chunk's pages for
the ceremony's print to a temporary file; at the end it joins those files into one
document (``rendering.concatenate_pdfs``). Only one chunk's layout is held at a time, so
memory hardly grows with the cohort (the join holds about 40 kB a page). The print is not
tagged, as it is for paper; each own file is (PDF/UA). Each chunk is committed before the
next starts, so a worker that dies loses at most the chunk in hand: resuming issues nothing
twice and stores only the files that are missing (it lays the stored ones out again for
the print).
"""

import logging
import tempfile
import uuid
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile, File
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mentoring import outbox
from mentoring.enums import MailStatus
from mentoring.mail import OutgoingMail, retry_failed, send_once, sent_row
from mentoring.retention import is_erased

from .certificates import verdicts
from .enums import BatchState, WorkshopKind, WorkshopLogAction
from .models import Certificate, CertificateBatch, WorkshopLog
from .rendering import CertificateContent, concatenate_pdfs, layout_certificates, write_pdf

logger = logging.getLogger(__name__)

# Lazy: each certificate shows them in its holder's language.
CHAIR_LABEL = gettext_lazy("Vorsitzende des Mentoringbeirats")
OFFICE_LABEL = gettext_lazy("Programmbüro")
# The print of a whole batch, in the site's language (its own title, as certificates.html).
BATCH_TITLE = gettext_lazy("Teilnahmezertifikate und Teilnahmebestätigungen")


class CertificateError(Exception):
    """A refused action; the message is German, for the person who clicked."""


def verification_url(certificate):
    path = reverse("workshops:verify", kwargs={"code": certificate.display_code})
    return settings.SITE_URL + path


def _place(cohort):
    """Where the certificates are handed over: the final workshop's town, else the last one's."""
    workshops = sorted(
        cohort.workshops.exclude(venue_city=""),
        key=lambda workshop: (workshop.kind == WorkshopKind.FINAL, workshop.date),
    )
    return workshops[-1].venue_city if workshops else ""


def _holder_language(certificate):
    application = certificate.application
    return application.applicant.language if application is not None else None


def contents(cohort, certificates):
    """The printable content of ``certificates`` (all of ``cohort``, with their
    ``application__applicant``), each in its holder's language; two queries."""
    programme = cohort.programme
    partners = list(cohort.organisations.order_by("name").values_list("name", flat=True))
    place = _place(cohort)
    return [
        CertificateContent(
            kind=certificate.kind,
            participant_name=certificate.participant_name,
            organisation=certificate.organisation_name,
            programme_title=programme.name,
            cohort_number=cohort.number,
            period_start=cohort.start_date,
            period_end=cohort.end_date,
            partners=partners,
            place=place,
            issued_on=certificate.issued_on,
            verification_code=certificate.display_code,
            verification_url=verification_url(certificate),
            chair_label=CHAIR_LABEL,
            office_label=programme.organiser or OFFICE_LABEL,
            language=_holder_language(certificate),
        )
        for certificate in certificates
    ]


def issue_missing(cohort, *, actor=None, today=None):
    """Issues a certificate to each qualifying participant who has no valid one; returns them.

    Safe to run concurrently and repeatedly: the database allows one valid certificate per
    participant and one row per code, and rows refused as conflicts are looked at again.
    """
    today = today or timezone.localdate()
    issued = []
    for _attempt in range(3):
        holders = set(
            Certificate.objects.filter(
                application__cohort=cohort, revoked_at__isnull=True
            ).values_list("application_id", flat=True)
        )
        # An erased participant's row is anonymous (mentoring.retention): nobody to certify.
        due = [
            verdict.application
            for verdict in verdicts(cohort, today=today)
            if verdict.qualifies
            and verdict.application.pk not in holders
            and not is_erased(verdict.application.applicant)
        ]
        if not due:
            break
        name_length = Certificate._meta.get_field("participant_name").max_length
        rows = [
            Certificate(
                application=application,
                cohort_id=application.cohort_id,
                kind=application.role,
                participant_name=(
                    application.applicant.get_full_name() or application.applicant.email
                )[:name_length],
                organisation_name=application.organisation.name if application.organisation else "",
                issued_on=today,
                issued_by=actor,
            )
            for application in due
        ]
        with transaction.atomic():
            Certificate.objects.bulk_create(rows, ignore_conflicts=True)
            # ignore_conflicts sets no primary keys: read back what this call created.
            wanted = {row.code: row.application_id for row in rows}
            created = [
                certificate
                for certificate in Certificate.objects.filter(code__in=wanted)
                if wanted[certificate.code] == certificate.application_id
            ]
            WorkshopLog.objects.bulk_create(
                WorkshopLog(
                    certificate=certificate,
                    application_id=certificate.application_id,
                    actor=actor,
                    action=WorkshopLogAction.CERTIFICATE_ISSUED,
                    note=certificate.code,
                )
                for certificate in created
            )
        issued.extend(created)
    return issued


# "Your certificate is ready" --------------------------------------------------------------
# Sent once per certificate through ``mentoring.mail.send_once``, like every mail of the
# app's tasks: a worker that dies while sending leaves the row to the next try or to beat.

READY_PURPOSE = "certificate.ready"


def _announceable():
    """Certificates whose holder is still to hear that they are ready: valid, rendered, of
    a participation that still exists, and not announced before."""
    return Certificate.objects.filter(
        revoked_at__isnull=True, ready_mailed_at__isnull=True, application__isnull=False
    ).exclude(file="")


def is_announceable(certificate_id):
    return _announceable().filter(pk=certificate_id).exists()


def mail_ready(certificate_ids):
    """Queues the e-mail "your certificate is ready" for those of ``certificate_ids`` that
    are valid, have their PDF and were not mailed yet; the task sends each at most once.

    A print is a new occasion for a mail that failed for good before (a refused address
    since corrected): it is tried again, so that every participant hears once. Through the
    outbox: while Redis is away the mails wait in PostgreSQL and the batch goes on; they
    go out once Redis is back.
    """
    ready = list(_announceable().filter(pk__in=certificate_ids).values_list("pk", flat=True))
    with transaction.atomic():
        retry_failed(purpose=READY_PURPOSE, model=Certificate, object_ids=ready)
        for certificate_id in ready:
            outbox.enqueue("workshops.send_certificate_ready", certificate_id=certificate_id)


def send_ready_mail(certificate_id, *, last_try=True):
    """Tells the participant that her certificate can be downloaded; True if it was sent.

    Once per certificate (``send_once``): a batch that runs again, or a second delivery of
    the task, sends nothing. Sets ``ready_mailed_at`` once the mail went out. Raises
    ``MailDeferred`` after a transient failure unless ``last_try``.
    """
    certificate = (
        _announceable()
        .select_related("application__applicant", "cohort__programme")
        .filter(pk=certificate_id)
        .first()
    )
    if certificate is None:
        return False
    mail = OutgoingMail(
        purpose=READY_PURPOSE,
        about=certificate,
        recipient=certificate.application.applicant,
        template="workshops/email/certificate_ready",
        context={
            "certificate": certificate,
            "cohort": certificate.cohort,
            "site_url": settings.SITE_URL,
            "page_path": reverse("workshops:mine"),
        },
    )
    row = send_once(mail, last_try=last_try)
    if row is None:
        # Sent before, by a worker that died before it noted the date here: note it now,
        # or the certificate would wait for its announcement for ever.
        row = sent_row(mail)
        sent_now = False
    else:
        sent_now = True
    if row is None or row.status != MailStatus.SENT:
        return False
    Certificate.objects.filter(pk=certificate_id, ready_mailed_at__isnull=True).update(
        ready_mailed_at=row.sent_at
    )
    return sent_now


# Batches ---------------------------------------------------------------------------------


def _stale_before():
    return timezone.now() - timedelta(seconds=settings.CERTIFICATE_BATCH_STALE_SECONDS)


def is_stalled(batch):
    """Queued without a worker taking it, or running without a heartbeat, for too long.

    A batch queued again (``requeue``) counts from then: its ``heartbeat_at`` says when.
    """
    threshold = _stale_before()
    if batch.state == BatchState.QUEUED:
        return (batch.heartbeat_at or batch.requested_at) < threshold
    if batch.state == BatchState.RUNNING:
        return batch.heartbeat_at is None or batch.heartbeat_at < threshold
    return False


def _stalled():
    """The batches ``is_stalled`` says so of, as a query."""
    threshold = _stale_before()
    return CertificateBatch.objects.filter(
        Q(state=BatchState.QUEUED, heartbeat_at__isnull=True, requested_at__lt=threshold)
        | Q(state__in=[BatchState.QUEUED, BatchState.RUNNING], heartbeat_at__lt=threshold)
        | Q(state=BatchState.RUNNING, heartbeat_at__isnull=True)
    )


def requeue(batch_id):
    """Queues the print of batch ``batch_id`` again if it is stalled; True if it was.

    In one transaction with the stored task (``mentoring.outbox``) the batch becomes
    "wartet" again from now: the next look waits the stale time before queueing it once
    more, and a worker that was only slow, not dead, loses the batch at its next heartbeat.
    """
    with transaction.atomic():
        requeued = (
            _stalled()
            .filter(pk=batch_id)
            .update(state=BatchState.QUEUED, worker_token="", heartbeat_at=timezone.now())
        )
        if requeued:
            outbox.enqueue("workshops.print_certificates", batch_id=batch_id)
    if requeued:
        logger.warning("certificate batch %s stalled; queued again", batch_id)
    return bool(requeued)


def resume_stalled():
    """Queues every stalled batch again (Celery beat, every ``RESUME_INTERVAL_SECONDS``),
    so that a batch whose worker died finishes without anyone clicking "Druck fortsetzen".
    Returns the batches queued."""
    return [batch for batch in _stalled().select_related("cohort__programme") if requeue(batch.pk)]


def _claim(batch_id):
    """Takes the batch for this worker, unless it is finished or another worker is on it."""
    token = uuid.uuid4().hex
    threshold = _stale_before()
    claimed = (
        CertificateBatch.objects.filter(pk=batch_id)
        .filter(
            Q(state=BatchState.QUEUED)
            | Q(state=BatchState.RUNNING, heartbeat_at__isnull=True)
            | Q(state=BatchState.RUNNING, heartbeat_at__lt=threshold)
        )
        .update(state=BatchState.RUNNING, worker_token=token, heartbeat_at=timezone.now())
    )
    return token if claimed else None


def _beat(batch_id, token, **fields):
    """Progress and heartbeat; False if another worker has taken the batch over."""
    return bool(
        CertificateBatch.objects.filter(pk=batch_id, worker_token=token).update(
            heartbeat_at=timezone.now(), **fields
        )
    )


def _chunks(items, size):
    for start_at in range(0, len(items), size):
        yield items[start_at : start_at + size]


def _has_file(certificate):
    """Rendered, and the file is still there (a restored backup may lack it)."""
    return bool(certificate.file) and certificate.file.storage.exists(certificate.file.name)


def _store(certificate, page_pdf):
    """Saves a certificate's own PDF; a file no row ends up pointing to is deleted again."""
    previous = certificate.file.name or ""
    certificate.file.save("zertifikat.pdf", ContentFile(page_pdf), save=False)
    # Only if nobody else stored one meanwhile, and the row still exists.
    stored = Certificate.objects.filter(pk=certificate.pk, file=previous).update(
        file=certificate.file.name, rendered_at=timezone.now()
    )
    if not stored:
        certificate.file.delete(save=False)


def _lay_out(cohort, chunk):
    """[(certificate, document, pages)] for a chunk: one layout, or one per certificate if a
    page spills."""
    document = layout_certificates(contents(cohort, chunk))
    if len(document.pages) == len(chunk):
        pages = zip(chunk, document.pages, strict=True)
        return [(certificate, document, [page]) for certificate, page in pages]
    # A name long enough to need a second page shifts all that follow: lay out one by one.
    laid_out = []
    for certificate in chunk:
        single = layout_certificates(contents(cohort, [certificate]))
        laid_out.append((certificate, single, single.pages))
    return laid_out


def _print_chunk(cohort, chunk, path):
    """Lays out ``chunk``, stores the own PDF of each of its certificates that has none, and
    writes the chunk's pages for the batch's print to ``path``, untagged (the own files are
    the accessible ones). Returns [(certificate pk, its pages' numbers in that file)]."""
    laid_out = _lay_out(cohort, chunk)
    printed, numbers = [], []
    for certificate, document, pages in laid_out:
        if not _has_file(certificate):
            _store(certificate, write_pdf(document, pages))
        numbers.append((certificate.pk, range(len(printed), len(printed) + len(pages))))
        printed.extend(pages)
    path.write_bytes(write_pdf(laid_out[0][1], printed, tagged=False))
    return numbers


def _print_document(batch, chunks):
    """Stores the ceremony's print, the ``chunks`` ([(path, pages)] from ``_print_chunk``)
    one after the other; returns how many certificates it holds. What the office revoked
    while the batch ran stays out."""
    revoked = set(
        Certificate.objects.filter(
            pk__in=[pk for _path, pages in chunks for pk, _numbers in pages],
            revoked_at__isnull=False,
        ).values_list("pk", flat=True)
    )
    parts = [
        (path, [number for pk, numbers in pages if pk not in revoked for number in numbers])
        for path, pages in chunks
    ]
    with tempfile.TemporaryFile() as output:
        with translation.override(settings.LANGUAGE_CODE):
            title = str(BATCH_TITLE)
        concatenate_pdfs(parts, output, title=title, language=settings.LANGUAGE_CODE)
        output.seek(0)
        batch.file.save("zertifikate.pdf", File(output), save=False)
    return sum(len(pages) for _path, pages in chunks) - len(revoked)


def run_batch(batch_id):
    """Issues the missing certificates, renders the missing files, then the whole document."""
    token = _claim(batch_id)
    if token is None:
        logger.info("certificate batch %s is finished or taken; nothing to do", batch_id)
        return
    batch = CertificateBatch.objects.select_related("cohort__programme", "requested_by").get(
        pk=batch_id
    )
    cohort = batch.cohort
    try:
        issue_missing(cohort, actor=batch.requested_by)
        # A certificate whose participation was erased is printed no more (workshops.retention).
        certificates = list(
            Certificate.objects.filter(application__cohort=cohort, revoked_at__isnull=True)
            .select_related("application__applicant")
            .order_by("application__role", "participant_name", "pk")
        )
        if not certificates:
            raise CertificateError(_("Im Jahrgang erfüllt noch niemand die Zertifikatsregel."))
        if not _beat(batch_id, token, total=len(certificates), done=0):
            return
        with tempfile.TemporaryDirectory(prefix="certificates-") as directory:
            chunks, done = [], 0
            for chunk in _chunks(certificates, settings.CERTIFICATE_BATCH_CHUNK):
                path = Path(directory) / f"{len(chunks)}.pdf"
                chunks.append((path, _print_chunk(cohort, chunk, path)))
                done += len(chunk)
                mail_ready([certificate.pk for certificate in chunk])
                if not _beat(batch_id, token, done=done):
                    logger.warning("certificate batch %s taken over by another worker", batch_id)
                    return
            printed = _print_document(batch, chunks)
        finished = CertificateBatch.objects.filter(pk=batch_id, worker_token=token).update(
            state=BatchState.DONE,
            file=batch.file.name,
            finished_at=timezone.now(),
            total=printed,
            done=printed,
        )
        if not finished:
            batch.file.delete(save=False)
    except CertificateError as error:
        _beat(batch_id, token, state=BatchState.FAILED, error=str(error))
    except Exception:
        logger.exception("certificate batch %s failed", batch_id)
        _beat(
            batch_id,
            token,
            state=BatchState.FAILED,
            error=_("Beim Erstellen ist ein technischer Fehler aufgetreten."),
        )
        raise
