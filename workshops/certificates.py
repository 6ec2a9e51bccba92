"""Who qualifies for a certificate, and why not: ``judge`` is pure, ``verdicts`` reads."""

from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _

from applications.enums import ApplicationRole, ApplicationState
from applications.models import Application
from mentoring.retention import erased_users

from .enums import AttendanceStatus
from .models import Attendance, Certificate, CertificatePolicy, TeamMembership, Workshop
from .selectors import attendance_by_participant, participants


@dataclass
class Verdict:
    application: object
    qualifies: bool
    reasons: list = field(default_factory=list)  # German sentences, one per missing piece


def judge(*, role, workshops, statuses, team, policy, today):
    """The reasons (empty if none) why a participant does not qualify.

    ``workshops`` are the cohort's workshops, ``statuses`` {workshop id: AttendanceStatus}
    for this person, ``team`` her project team or None.
    """
    if role == ApplicationRole.MENTOR and not policy.mentor_confirmation:
        return [_("Für Mentor:innen sieht dieser Jahrgang keine Bestätigung vor.")]
    reasons = []
    if policy.mandatory_workshops:
        for workshop in workshops:
            if not workshop.mandatory or role not in workshop.invited_roles:
                continue
            status = statuses.get(workshop.pk)
            if workshop.date > today:
                reasons.append(_("%(workshop)s: steht noch aus") % {"workshop": workshop.title})
            elif status is None:
                reasons.append(
                    _("%(workshop)s: Anwesenheit nicht erfasst") % {"workshop": workshop.title}
                )
            elif status == AttendanceStatus.ABSENT:
                reasons.append(
                    _("%(workshop)s: unentschuldigt gefehlt") % {"workshop": workshop.title}
                )
            elif status == AttendanceStatus.EXCUSED and not policy.excused_counts:
                reasons.append(
                    _("%(workshop)s: entschuldigt gefehlt") % {"workshop": workshop.title}
                )
    if role == ApplicationRole.MENTEE and policy.team_presentation:
        if team is None:
            reasons.append(_("keinem Projektteam zugeordnet"))
        elif team.presented_on is None:
            reasons.append(
                _("Projektteam „%(team)s“ hat noch nicht präsentiert") % {"team": team.title}
            )
    return reasons


def policy_for(cohort):
    """The cohort's stored rule, or the default one, unsaved: reading a rule writes nothing."""
    return CertificatePolicy.objects.filter(cohort=cohort).first() or CertificatePolicy(
        cohort=cohort
    )


def verdicts(cohort, applications=None, today=None):
    """A Verdict for each participant (or each of ``applications``); five queries."""
    today = today or timezone.localdate()
    policy = policy_for(cohort)
    workshops = list(cohort.workshops.order_by("date", "start_time"))
    statuses = attendance_by_participant(cohort=cohort)
    teams = {
        membership.application_id: membership.team
        for membership in TeamMembership.objects.filter(team__cohort=cohort).select_related("team")
    }
    people = participants(cohort=cohort) if applications is None else applications
    result = []
    for application in people:
        reasons = judge(
            role=application.role,
            workshops=workshops,
            statuses=statuses.get(application.pk, {}),
            team=teams.get(application.pk),
            policy=policy,
            today=today,
        )
        result.append(Verdict(application, not reasons, reasons))
    return result


# A participant's own view -------------------------------------------------------------------


@dataclass
class Standing:
    """One workshop as it stands for her: recorded attendance and whether it counts."""

    workshop: object
    status: str | None  # an AttendanceStatus, or None while not recorded
    counts: bool  # mandatory for her role under the cohort's rule
    upcoming: bool

    @property
    def label(self):
        if self.status is not None:
            return AttendanceStatus(self.status).label
        return _("steht noch aus") if self.upcoming else _("noch nicht erfasst")


@dataclass
class Progress:
    """Where a participant stands in one cohort: her workshops, her verdict, her certificate."""

    application: object
    standings: list
    verdict: Verdict
    certificate: object = None  # her valid certificate, with or without its PDF yet


def progress_of(user, today=None):
    """Her own progress in each cohort she takes part in, newest first; reads only.

    Uses the same ``judge`` as the certificates (the cohort's stored rule, or the default
    one if none was stored). Six queries, whatever the number of cohorts and workshops.
    """
    today = today or timezone.localdate()
    applications = list(
        Application.objects.filter(applicant=user, state=ApplicationState.ACCEPTED)
        .select_related("cohort__programme")
        .order_by("-cohort__start_date", "role", "pk")
    )
    if not applications:
        return []
    cohort_ids = {application.cohort_id for application in applications}
    policies = {
        policy.cohort_id: policy
        for policy in CertificatePolicy.objects.filter(cohort_id__in=cohort_ids)
    }
    workshops = {}
    for workshop in Workshop.objects.filter(cohort_id__in=cohort_ids).order_by(
        "date", "start_time", "pk"
    ):
        workshops.setdefault(workshop.cohort_id, []).append(workshop)
    statuses = {}
    for application_id, workshop_id, status in Attendance.objects.filter(
        application__in=applications
    ).values_list("application_id", "workshop_id", "status"):
        statuses.setdefault(application_id, {})[workshop_id] = status
    teams = {
        membership.application_id: membership.team
        for membership in TeamMembership.objects.filter(
            application__in=applications
        ).select_related("team")
    }
    certificates = {
        certificate.application_id: certificate
        for certificate in Certificate.objects.filter(
            application__in=applications, revoked_at__isnull=True
        )
    }
    result = []
    for application in applications:
        policy = policies.get(application.cohort_id) or CertificatePolicy(cohort=application.cohort)
        own = statuses.get(application.pk, {})
        cohort_workshops = workshops.get(application.cohort_id, [])
        reasons = judge(
            role=application.role,
            workshops=cohort_workshops,
            statuses=own,
            team=teams.get(application.pk),
            policy=policy,
            today=today,
        )
        standings = [
            Standing(
                workshop=workshop,
                status=own.get(workshop.pk),
                counts=policy.mandatory_workshops
                and workshop.mandatory
                and (application.role == ApplicationRole.MENTEE or policy.mentor_confirmation),
                upcoming=workshop.date > today,
            )
            for workshop in cohort_workshops
            if workshop.invites(application)
        ]
        result.append(
            Progress(
                application=application,
                standings=standings,
                verdict=Verdict(application, not reasons, reasons),
                certificate=certificates.get(application.pk),
            )
        )
    return result


def ready_to_print(cohorts, today=None):
    """{cohort id: number of participants who qualify and hold no valid certificate}.

    What "Zertifikate ausstellen und drucken" would issue now, for several cohorts at once:
    the same ``judge`` as the certificate page, six queries whatever their number. Reads only.
    """
    today = today or timezone.localdate()
    ids = [cohort.pk for cohort in cohorts]
    if not ids:
        return {}
    policies = {p.cohort_id: p for p in CertificatePolicy.objects.filter(cohort_id__in=ids)}
    workshops = {}
    for workshop in Workshop.objects.filter(cohort_id__in=ids).order_by("date", "start_time"):
        workshops.setdefault(workshop.cohort_id, []).append(workshop)
    statuses = {}
    for application_id, workshop_id, status in Attendance.objects.filter(
        workshop__cohort_id__in=ids
    ).values_list("application_id", "workshop_id", "status"):
        statuses.setdefault(application_id, {})[workshop_id] = status
    teams = {
        membership.application_id: membership.team
        for membership in TeamMembership.objects.filter(team__cohort_id__in=ids).select_related(
            "team"
        )
    }
    holders = set(
        Certificate.objects.filter(
            application__cohort_id__in=ids, revoked_at__isnull=True
        ).values_list("application_id", flat=True)
    )
    ready = dict.fromkeys(ids, 0)
    # An erased participant's anonymous row gets no certificate (``issuing.issue_missing``).
    people = Application.objects.filter(cohort_id__in=ids, state=ApplicationState.ACCEPTED).exclude(
        erased_users("applicant__")
    )
    for application in people.only("pk", "cohort_id", "role"):
        if application.pk in holders:
            continue
        reasons = judge(
            role=application.role,
            workshops=workshops.get(application.cohort_id, []),
            statuses=statuses.get(application.pk, {}),
            team=teams.get(application.pk),
            policy=policies.get(application.cohort_id)
            or CertificatePolicy(cohort_id=application.cohort_id),
            today=today,
        )
        if not reasons:
            ready[application.cohort_id] += 1
    return ready
