"""Answers to invitations, attendance, project teams and calendar feeds; starting a
cohort's certificate print and revoking a certificate.

Only the print sends mail (through its task, ``tasks.print_certificates``); the other
changes are visible to the people concerned on their pages.
"""

import logging

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from applications.enums import ApplicationRole, ApplicationState
from mentoring import outbox

from .enums import AttendanceStatus, BatchState, RsvpAnswer, WorkshopLogAction
from .issuing import CertificateError, is_stalled, requeue
from .models import (
    Attendance,
    CalendarFeed,
    Certificate,
    CertificateBatch,
    Rsvp,
    TeamMembership,
    WorkshopLog,
    new_feed_token,
)
from .tasks import print_certificates

logger = logging.getLogger(__name__)


class WorkshopError(Exception):
    """A refused action; the message is German, for the person who clicked."""


def rsvp_answer(*, workshop, application, answer, reason="", actor):
    """Records (or changes) whether the participant comes; a "no" needs a reason."""
    reason = reason.strip()
    if application.state != ApplicationState.ACCEPTED or not workshop.invites(application):
        raise WorkshopError(_("Sie sind zu diesem Workshop nicht eingeladen."))
    if application.cohort_id != workshop.cohort_id:
        raise WorkshopError(_("Sie sind zu diesem Workshop nicht eingeladen."))
    if workshop.date < timezone.localdate():
        raise WorkshopError(_("Der Workshop hat bereits stattgefunden."))
    if answer == RsvpAnswer.NO and not reason:
        raise WorkshopError(_("Bitte nennen Sie den Grund Ihrer Absage."))
    rsvp, _created = Rsvp.objects.update_or_create(
        workshop=workshop,
        application=application,
        defaults={"answer": answer, "reason": reason if answer == RsvpAnswer.NO else ""},
    )
    return rsvp


def attendance_record(*, workshop, application, status, note="", actor):
    """Records one participant's attendance at a workshop, with an audit entry.

    A recorded "absent" changes only by the programme office (``workshops.excuse_absence``);
    "excused" always carries a note saying why. Returns None when nothing changed.
    """
    note = note.strip()
    if application.cohort_id != workshop.cohort_id or not workshop.invites(application):
        raise WorkshopError(_("Diese Person ist zu diesem Workshop nicht eingeladen."))
    if not actor.has_perm("workshops.record_attendance", application):
        raise WorkshopError(_("Sie erfassen die Anwesenheit nur für Ihre eigene Verwaltung."))
    if status not in AttendanceStatus.values:
        raise WorkshopError(_("Unbekannter Status."))
    if status == AttendanceStatus.EXCUSED and not note:
        raise WorkshopError(_("Bitte vermerken Sie, weshalb die Abwesenheit entschuldigt ist."))
    with transaction.atomic():
        current = (
            Attendance.objects.select_for_update()
            .filter(workshop=workshop, application=application)
            .first()
        )
        previous = current.status if current else ""
        if current and (current.status, current.note) == (status, note):
            return None
        if (
            previous == AttendanceStatus.ABSENT
            and status != AttendanceStatus.ABSENT
            and not actor.has_perm("workshops.excuse_absence")
        ):
            raise WorkshopError(
                _(
                    "Eine erfasste unentschuldigte Abwesenheit kann nur das Programmbüro "
                    "nachträglich entschuldigen."
                )
            )
        attendance, _created = Attendance.objects.update_or_create(
            workshop=workshop,
            application=application,
            defaults={
                "status": status,
                "note": note,
                "recorded_by": actor,
                "recorded_at": timezone.now(),
            },
        )
        WorkshopLog.objects.create(
            workshop=workshop,
            application=application,
            actor=actor,
            action=WorkshopLogAction.EXCUSE
            if previous == AttendanceStatus.ABSENT
            else WorkshopLogAction.ATTENDANCE,
            from_state=previous,
            note=f"{status}: {note}" if note else status,
        )
    return attendance


def team_save(*, form, actor):
    """Saves a project team form (title, description, mentees) with an audit entry.

    The database refuses a mentee in a second team; a race with another officer ends in
    a German error rather than a half-saved team.
    """
    cohort = form.instance.cohort
    members = form.cleaned_data["members"]
    for application in members:
        if (
            application.cohort_id != cohort.pk
            or application.role != ApplicationRole.MENTEE
            or application.state != ApplicationState.ACCEPTED
        ):
            raise WorkshopError(_("Teams bestehen nur aus Mentees dieses Jahrgangs."))
    created = form.instance.pk is None
    try:
        with transaction.atomic():
            team = form.save(commit=False)
            team.save()
            team.memberships.exclude(application__in=members).delete()
            present = set(team.memberships.values_list("application_id", flat=True))
            TeamMembership.objects.bulk_create(
                TeamMembership(team=team, application=application)
                for application in members
                if application.pk not in present
            )
            WorkshopLog.objects.create(
                team=team,
                actor=actor,
                action=WorkshopLogAction.TEAM_CREATED
                if created
                else WorkshopLogAction.TEAM_CHANGED,
                note=", ".join(str(application.pk) for application in members),
            )
    except IntegrityError as error:
        if created:
            form.instance.pk = None
        raise WorkshopError(
            _("Eine der Mentees ist inzwischen einem anderen Team zugeordnet.")
        ) from error
    return team


def team_presentation_record(*, team, presented_on, actor):
    """Records that the team presented its project (date, who recorded it, when)."""
    if presented_on > timezone.localdate():
        raise WorkshopError(_("Das Datum der Präsentation liegt in der Zukunft."))
    with transaction.atomic():
        previous = team.presented_on.isoformat() if team.presented_on else ""
        team.presented_on = presented_on
        team.presentation_recorded_by = actor
        team.presentation_recorded_at = timezone.now()
        team.save(
            update_fields=["presented_on", "presentation_recorded_by", "presentation_recorded_at"]
        )
        WorkshopLog.objects.create(
            team=team,
            actor=actor,
            action=WorkshopLogAction.PRESENTED,
            from_state=previous,
            note=presented_on.isoformat(),
        )
    return team


def calendar_feed_renew(*, user):
    """Gives the participant a new secret feed address; the old one stops working."""
    feed, created = CalendarFeed.objects.get_or_create(user=user)
    if not created:
        feed.token = new_feed_token()
        feed.created_at = timezone.now()
        feed.save(update_fields=["token", "created_at"])
    return feed


def calendar_feed_revoke(*, user):
    """Deletes the participant's feed address: calendars subscribed to it get a 404."""
    CalendarFeed.objects.filter(user=user).delete()


# Certificates ----------------------------------------------------------------------------


def _queue_print(batch):
    """Stores the batch's print task with the caller's transaction (``mentoring.outbox``):
    handed to a worker after the commit, or by the sweep once Redis is back."""
    outbox.enqueue(print_certificates, batch_id=batch.pk)


def certificate_batch_start(*, cohort, actor):
    """The cohort's batch in progress, or a new one; a stalled one is queued again.

    A new batch and its print task are committed together: no batch waits for a task
    that was lost. The task issues, renders and mails (``issuing.run_batch``). Celery beat
    queues stalled batches again by itself (``issuing.resume_stalled``); "Druck
    fortsetzen" only does it sooner.
    """
    active = cohort.certificate_batches.filter(
        state__in=[BatchState.QUEUED, BatchState.RUNNING]
    ).first()
    if active is None:
        try:
            with transaction.atomic():
                active = CertificateBatch.objects.create(cohort=cohort, requested_by=actor)
                _queue_print(active)
        except IntegrityError:
            # Someone else started one a moment ago: show hers (it may be finished already).
            return cohort.certificate_batches.first()
    elif is_stalled(active):
        requeue(active.pk)
    return active


def certificate_revoke(*, certificate, reason, actor):
    """Revokes a certificate for good, with the reason, in the audit trail.

    Refuses (``CertificateError``) an empty reason and a certificate revoked already.
    Sends nothing; a batch running meanwhile leaves it out of the ceremony's print.
    """
    reason = reason.strip()
    if not reason:
        raise CertificateError(_("Bitte geben Sie den Grund des Widerrufs an."))
    with transaction.atomic():
        updated = Certificate.objects.filter(pk=certificate.pk, revoked_at__isnull=True).update(
            revoked_at=timezone.now(), revoked_by=actor, revocation_reason=reason
        )
        if not updated:
            raise CertificateError(_("Dieses Zertifikat ist bereits widerrufen."))
        WorkshopLog.objects.create(
            certificate=certificate,
            application_id=certificate.application_id,
            actor=actor,
            action=WorkshopLogAction.CERTIFICATE_REVOKED,
            note=reason,
        )
    certificate.refresh_from_db()
    return certificate
