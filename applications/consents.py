"""What withdrawing a consent means for her applications (see ``mentoring.consents``).

Processing (``PROCESSING``): an application not yet decided is withdrawn, through the
same service as her own withdrawal; a draft keeps her answers but loses the consent, so
it cannot be submitted until she consents again. A decided application stays as it is:
leaving a running programme is a conversation with her equality officer, not a click.

Passing data on (``TRANSFER``): the consent's date is cleared on her applications, so
matching leaves her out, as it does for anyone who never gave it; a tandem already formed
stays.

Follow-up questions (``FOLLOW_UP``): no further question goes out (``follow_ups``), and what
is kept on this consent's ground alone is erased with it: the career steps she reported
herself, every step of an application that was not selected (the comparison group), and the
record of which waves she answered. Steps her equality officer recorded for a participant
stay. Keeping an application for later (``KEEP_FOR_LATER``): nothing is done at
once. Either of the two keeps an application that was not selected past its retention
period (``retention.KEEPING_CONSENTS``); without the other, it is erased when that period
is over, and the confirmation screen says so. All take effect in the withdrawal's
transaction.
"""

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from mentoring.consents import has_active_consent
from mentoring.enums import ConsentKind

from .enums import ApplicationState, CareerStepSource
from .models import Application, CareerStep, FollowUpAnswer
from .retention import KEEPING_CONSENTS, UNSELECTED
from .services import WITHDRAWABLE, ApplicationError, application_withdraw


def _title(application):
    return _("%(role)s, %(programme)s, %(cohort)s") % {
        "role": application.get_role_display(),
        "programme": application.cohort.programme.name,
        "cohort": application.cohort.display_title,
    }


def _applications(user):
    return (
        Application.objects.filter(applicant=user)
        .select_related("cohort__programme")
        .order_by("-cohort__start_date", "role")
    )


def withdrawal_consequences(*, user, kind):
    """German sentences for the confirmation screen; empty where nothing else changes."""
    if kind in KEEPING_CONSENTS:
        return _keeping_consequences(user=user, kind=kind)
    if kind != ConsentKind.PROCESSING:
        return []
    lines = []
    for application in _applications(user):
        title = _title(application)
        if application.state in WITHDRAWABLE:
            lines.append(_("Ihre Bewerbung (%(title)s) wird zurückgezogen.") % {"title": title})
        elif application.state == ApplicationState.DRAFT and application.consent_at:
            lines.append(
                _(
                    "Ihr Entwurf (%(title)s) bleibt gespeichert; einreichen können Sie ihn erst, "
                    "wenn Sie erneut einwilligen."
                )
                % {"title": title}
            )
        elif application.state in {ApplicationState.ACCEPTED, ApplicationState.WAITLISTED}:
            lines.append(
                _(
                    "Über Ihre Bewerbung (%(title)s) ist bereits entschieden; daran ändert der "
                    "Widerruf nichts von selbst. Möchten Sie nicht mehr teilnehmen, wenden Sie "
                    "sich bitte an Ihre Gleichstellungsbeauftragte."
                )
                % {"title": title}
            )
    return lines


def _consented_steps(user):
    """The career steps kept on her consent to the follow-up questions alone: those she
    reported herself, and every step of an application that was not selected (she is in
    the comparison group only because she agreed). Officers' steps of a participant stay."""
    return CareerStep.objects.filter(application__applicant=user).filter(
        Q(source=CareerStepSource.SELF) | Q(application__state__in=UNSELECTED)
    )


def _kept_only_by(user, kind):
    """Whether ``kind`` alone keeps applications of hers that were not selected: the other
    keeping consent is not in force (whether she has such applications is asked apart)."""
    (other,) = (other for other in KEEPING_CONSENTS if other != kind)
    return not has_active_consent(user, other)


def follow_up_keeps_applications(*, user):
    """Whether withdrawing the follow-up consent ends keeping an application of hers."""
    return (
        _kept_only_by(user, ConsentKind.FOLLOW_UP)
        and _applications(user).filter(state__in=UNSELECTED).exists()
    )


def _keeping_consequences(*, user, kind):
    lines = []
    if kind == ConsentKind.FOLLOW_UP and _consented_steps(user).exists():
        lines.append(
            _(
                "Ihre bisherigen Angaben zu Ihrem Werdegang werden gelöscht; die "
                "Auswertung des Programms zählt sie nicht mehr."
            )
        )
    if _kept_only_by(user, kind):
        for application in _applications(user).filter(state__in=UNSELECTED):
            lines.append(
                _(
                    "Ihre Bewerbung (%(title)s) wird nicht länger aufbewahrt: Sie wird "
                    "gelöscht, sobald ihre Aufbewahrungsfrist abgelaufen ist."
                )
                % {"title": _title(application)}
            )
    return lines


def consent_withdrawn(*, user, kind, actor, now):
    """Applies the withdrawal to her applications; returns what was done, in German."""
    if kind == ConsentKind.PROCESSING:
        return _processing_withdrawn(user=user, actor=actor, now=now)
    if kind == ConsentKind.TRANSFER:
        return _transfer_withdrawn(user=user, now=now)
    if kind == ConsentKind.FOLLOW_UP:
        return _follow_up_withdrawn(user=user)
    return []


def _follow_up_withdrawn(*, user):
    """What rests on the consent alone goes with it (Art. 17(1)(b) DSGVO).

    Her applications are locked first, as an answer locks its application
    (``services.follow_up_answer``): an answer sent at the same moment is either refused
    or committed before, and then deleted here, never left behind.
    """
    list(Application.objects.select_for_update().filter(applicant=user).order_by("pk"))
    erased, _by_model = _consented_steps(user).delete()
    FollowUpAnswer.objects.filter(application__applicant=user).delete()
    if not erased:
        return []
    return [_("Ihre bisherigen Angaben zu Ihrem Werdegang sind gelöscht.")]


def _processing_withdrawn(*, user, actor, now):
    notes = []
    for application in _applications(user).filter(state__in=WITHDRAWABLE):
        try:
            application_withdraw(
                application=application,
                actor=actor,
                reason=_("Einwilligung in die Verarbeitung widerrufen"),
            )
        except ApplicationError:
            # Decided in the meantime: it stays as it is (see the module's docstring).
            continue
        notes.append(
            _("Ihre Bewerbung (%(title)s) ist zurückgezogen.") % {"title": _title(application)}
        )
    Application.objects.filter(
        applicant=user, state=ApplicationState.DRAFT, consent_at__isnull=False
    ).update(consent_at=None, updated_at=now or timezone.now())
    return notes


def _transfer_withdrawn(*, user, now):
    cleared = Application.objects.filter(applicant=user, transfer_consent_at__isnull=False).update(
        transfer_consent_at=None, updated_at=now or timezone.now()
    )
    if not cleared:
        return []
    return [
        _(
            "Ihre Angaben werden nicht mehr an Partnerorganisationen weitergegeben; bei der "
            "Tandembildung werden Sie nicht mehr berücksichtigt."
        )
    ]
