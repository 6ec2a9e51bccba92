"""Who qualifies for a certificate, and why not: ``judge`` is pure, ``verdicts`` reads."""

from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _

from applications.enums import ApplicationRole

from .enums import AttendanceStatus
from .models import CertificatePolicy, TeamMembership
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
    policy, _created = CertificatePolicy.objects.get_or_create(cohort=cohort)
    return policy


def verdicts(cohort, applications=None, today=None):
    """A Verdict for each participant (or each of ``applications``); five queries."""
    today = today or timezone.localdate()
    policy = policy_for(cohort)
    workshops = list(cohort.workshops.order_by("date", "start_time"))
    statuses = attendance_by_participant(cohort)
    teams = {
        membership.application_id: membership.team
        for membership in TeamMembership.objects.filter(team__cohort=cohort).select_related("team")
    }
    people = participants(cohort) if applications is None else applications
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
