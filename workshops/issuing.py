"""Issuing and printing certificates; ``run_batch`` is the Celery task's body.

Starting a batch and revoking a certificate are services (``workshops.services``), which
queue ``tasks.print_certificates``; the task calls down into this module, never back.

A batch lays out the cohort's certificates in chunks (one WeasyPrint layout per chunk),
writes each participant's own PDF from her page of that layout, and finally writes every
page into one document for the ceremony. Each chunk is committed before the next starts,
so a worker that dies loses at most the chunk in hand: resuming issues nothing twice and
renders only what is missing. The pages of all chunks are kept for the final document, so
memory grows with the cohort (about 1.3 MB a certificate; a real cohort has a few dozen).
"""

import logging
import uuid
from datetime import timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mentoring import outbox
from mentoring.mail import templated_mail
from mentoring.retention import is_erased

from .certificates import verdicts
from .enums import BatchState, WorkshopKind, WorkshopLogAction
from .models import Certificate, CertificateBatch, WorkshopLog
from .rendering import CertificateContent, layout_certificates, write_pdf

logger = logging.getLogger(__name__)

# Lazy: each certificate shows them in its holder's language.
CHAIR_LABEL = gettext_lazy("Vorsitzende des Mentoringbeirats")
OFFICE_LABEL = gettext_lazy("Programmbüro")


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
# Guarded by ``Certificate.ready_mailed_at`` alone; when every e-mail goes through one
# recorded-send mechanism, ``send_ready_mail`` is the one place to switch over.


def mail_ready(certificate_ids):
    """Queues the e-mail "your certificate is ready" for those of ``certificate_ids`` that
    are valid, have their PDF and were not mailed yet; the task sends each at most once.

    Through the outbox: while Redis is away the mails wait in PostgreSQL and the batch
    goes on; they go out once Redis is back.
    """
    ready = (
        Certificate.objects.filter(
            pk__in=certificate_ids,
            revoked_at__isnull=True,
            ready_mailed_at__isnull=True,
            application__isnull=False,
        )
        .exclude(file="")
        .values_list("pk", flat=True)
    )
    with transaction.atomic():
        for certificate_id in ready:
            outbox.enqueue("workshops.send_certificate_ready", certificate_id=certificate_id)


def send_ready_mail(certificate_id):
    """Tells the participant that her certificate can be downloaded; True if it was sent.

    Claims the certificate first (sets ``ready_mailed_at``), so that a batch that runs
    again, or a second delivery of the task, sends nothing. If sending fails, the claim is
    released and the error raised, so that a retry or the next batch tries again.
    """
    claimed_at = timezone.now()
    claimed = (
        Certificate.objects.filter(
            pk=certificate_id,
            revoked_at__isnull=True,
            ready_mailed_at__isnull=True,
            application__isnull=False,
        )
        .exclude(file="")
        .update(ready_mailed_at=claimed_at)
    )
    if not claimed:
        return False
    certificate = Certificate.objects.select_related(
        "application__applicant", "cohort__programme"
    ).get(pk=certificate_id)
    try:
        templated_mail(
            template="workshops/email/certificate_ready",
            to=[certificate.application.applicant.email],
            language=certificate.application.applicant.language,
            context={
                "certificate": certificate,
                "cohort": certificate.cohort,
                "site_url": settings.SITE_URL,
                "page_path": reverse("workshops:mine"),
            },
        ).send()
    except Exception:
        Certificate.objects.filter(pk=certificate_id, ready_mailed_at=claimed_at).update(
            ready_mailed_at=None
        )
        raise
    return True


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
    Returns the ids of the batches queued."""
    return [pk for pk in _stalled().values_list("pk", flat=True) if requeue(pk)]


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
    """[(certificate, pages)] for a chunk: one layout, or one per certificate if a page spills."""
    document = layout_certificates(contents(cohort, chunk))
    if len(document.pages) == len(chunk):
        pages = zip(chunk, document.pages, strict=True)
        return document, [(certificate, [page]) for certificate, page in pages]
    # A name long enough to need a second page shifts all that follow: lay out one by one.
    laid_out = []
    for certificate in chunk:
        single = layout_certificates(contents(cohort, [certificate]))
        laid_out.append((certificate, single.pages))
    return document, laid_out


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
        first_document, pages, done = None, [], 0
        for chunk in _chunks(certificates, settings.CERTIFICATE_BATCH_CHUNK):
            document, laid_out = _lay_out(cohort, chunk)
            first_document = first_document or document
            for certificate, certificate_pages in laid_out:
                if not _has_file(certificate):
                    _store(certificate, write_pdf(document, certificate_pages))
                pages.append((certificate.pk, certificate_pages))
            done += len(chunk)
            mail_ready([certificate.pk for certificate in chunk])
            if not _beat(batch_id, token, done=done):
                logger.warning("certificate batch %s taken over by another worker", batch_id)
                return
        # Whatever the office revoked while the batch ran stays out of the ceremony's print.
        revoked = set(
            Certificate.objects.filter(
                pk__in=[pk for pk, _pages in pages], revoked_at__isnull=False
            ).values_list("pk", flat=True)
        )
        printed = [page for pk, some in pages if pk not in revoked for page in some]
        document = ContentFile(write_pdf(first_document, printed))
        batch.file.save("zertifikate.pdf", document, save=False)
        finished = CertificateBatch.objects.filter(pk=batch_id, worker_token=token).update(
            state=BatchState.DONE,
            file=batch.file.name,
            finished_at=timezone.now(),
            total=len(pages) - len(revoked),
            done=len(pages) - len(revoked),
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
