"""Certificates and workshops when a participation is erased (see ``mentoring.retention``).

A certificate is a document in her hands; whoever she shows it to may check its code for
as long as certificates must stay verifiable. So its *verification record* outlives the
participation: the row keeps the name, the cohort (hence programme), the code and the
date of issue. What goes is everything else that names her: the PDF file, the name of
her administration, the link to her participation. Where the programme has decided that
an erased person's certificates are revoked (``Programme.certificates_on_erasure``), the
certificate is revoked and keeps no name either: checking its code then says "revoked".

This holds however the participation goes: erased on request, or its application row
deleted in the admin (``release_certificates`` runs before the delete, see ``apps.py``).

Erasure on request also deletes her workshop answers (their reasons are hers), empties
the notes on her attendance (the status stays: who came is what a cohort's report
counts; an excused absence keeps a placeholder note, as the database asks for one),
drops the workshop log about her, her calendar subscription, and the finished
"all certificates" prints of her cohorts, which carry her name (the office prints anew).
"""

from collections import Counter

from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from applications.models import Application
from cohorts.enums import CertificatesOnErasure
from mentoring.retention import Erased, Line

from .enums import BatchState, WorkshopLogAction
from .models import Attendance, CalendarFeed, Certificate, CertificateBatch, Rsvp, WorkshopLog

KINDS = {
    "certificate_kept": gettext_lazy("Zertifikate: bleiben prüfbar, PDF gelöscht"),
    "certificate_revoked": gettext_lazy("Zertifikate: widerrufen, Name und PDF gelöscht"),
    "certificate_batch": gettext_lazy("Sammeldrucke der Zertifikate"),
    "rsvp": gettext_lazy("Rückmeldungen zu Workshops"),
    "calendar_feed": gettext_lazy("Kalenderabonnements"),
}


def release_certificates(certificates, *, actor=None, reason=""):
    """Detaches ``certificates`` from the participation they prove, as the module says.

    Revokes them (with ``reason`` and a log entry by ``actor``) where their programme
    says so. Their PDFs are deleted once the transaction is committed. Returns a Counter
    of (kind, cohort title).
    """
    rows = list(certificates.select_related("cohort__programme").select_for_update(of=("self",)))
    reason = reason or _("Teilnahme gelöscht")
    now, counts, logs = timezone.now(), Counter(), []
    for certificate in rows:
        if certificate.file:
            storage, name = certificate.file.storage, certificate.file.name
            transaction.on_commit(lambda storage=storage, name=name: storage.delete(name))
        certificate.application = None
        certificate.file = ""
        certificate.rendered_at = None
        certificate.organisation_name = ""
        kind = "certificate_kept"
        if certificate.cohort.programme.certificates_on_erasure == CertificatesOnErasure.REVOKE:
            kind = "certificate_revoked"
            certificate.participant_name = ""
            if certificate.revoked_at is None:
                certificate.revoked_at, certificate.revoked_by = now, actor
                certificate.revocation_reason = reason
                logs.append(
                    WorkshopLog(
                        certificate=certificate,
                        actor=actor,
                        action=WorkshopLogAction.CERTIFICATE_REVOKED,
                        note=reason,
                    )
                )
        counts[(kind, str(certificate.cohort))] += 1
    Certificate.objects.bulk_update(
        rows,
        [
            "application",
            "file",
            "rendered_at",
            "organisation_name",
            "participant_name",
            "revoked_at",
            "revoked_by",
            "revocation_reason",
        ],
    )
    WorkshopLog.objects.bulk_create(logs)
    return counts


def release_certificates_of_deleted(sender, instance, **kwargs):
    """``pre_delete`` of an application: its certificates' PDFs go, their records stay."""
    release_certificates(Certificate.objects.filter(application=instance))


# Erasure on request ----------------------------------------------------------------------


def person_summary(*, user):
    policies = dict(
        Certificate.objects.filter(application__applicant=user)
        .order_by()
        .values_list("cohort__programme__certificates_on_erasure")
        .annotate(count=Count("pk"))
    )
    applications = Application.objects.filter(applicant=user)
    rsvps = Rsvp.objects.filter(application__in=applications).count()
    feeds = CalendarFeed.objects.filter(user=user).count()
    lines = [
        Line(
            _("Zertifikate"),
            policies.get(CertificatesOnErasure.KEEP, 0),
            _(
                "bleiben prüfbar (Name, Programm, Jahrgang, Prüfcode, Datum), wie das "
                "Programm es festlegt; das PDF und die Verwaltung werden gelöscht"
            ),
        ),
        Line(
            _("Zertifikate"),
            policies.get(CertificatesOnErasure.REVOKE, 0),
            _(
                "werden widerrufen, wie das Programm es festlegt; Name, Verwaltung und PDF "
                "werden gelöscht, der Prüfcode meldet „widerrufen“"
            ),
        ),
        Line(_("Rückmeldungen zu Workshops"), rsvps, _("werden gelöscht")),
        Line(_("Kalenderabonnement"), feeds, _("wird gelöscht")),
    ]
    return [line for line in lines if line.count]


def erase_person(*, user, actor):
    applications = Application.objects.filter(applicant=user)
    certificates = Certificate.objects.filter(application__in=applications)
    cohort_ids = set(certificates.values_list("cohort_id", flat=True))
    released = release_certificates(
        certificates, actor=actor, reason=_("Löschung auf Antrag (Art. 17 DSGVO)")
    )
    batches = Counter()
    for batch in (
        CertificateBatch.objects.filter(cohort_id__in=cohort_ids)
        .exclude(state__in=[BatchState.QUEUED, BatchState.RUNNING])
        .select_related("cohort__programme")
    ):
        batches[str(batch.cohort)] += 1
        batch.delete()
    rsvps = Counter(
        str(rsvp.workshop.cohort)
        for rsvp in Rsvp.objects.filter(application__in=applications).select_related(
            "workshop__cohort__programme"
        )
    )
    Rsvp.objects.filter(application__in=applications).delete()
    Attendance.objects.filter(application__in=applications).exclude(note="").update(
        note=_("gelöscht")
    )
    WorkshopLog.objects.filter(application__in=applications, certificate__isnull=True).delete()
    WorkshopLog.objects.filter(application__in=applications).update(application=None)
    feeds = CalendarFeed.objects.filter(user=user).delete()[0]
    return [
        *(Erased(kind, cohort, count) for (kind, cohort), count in released.items()),
        *(Erased("certificate_batch", cohort, count) for cohort, count in batches.items()),
        *(Erased("rsvp", cohort, count) for cohort, count in rsvps.items()),
        Erased("calendar_feed", "", feeds),
    ]
