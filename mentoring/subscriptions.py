"""Which reminders a person gets, in words, for her account page.

The finders in each app's ``reminders.py`` decide what is sent; this module explains it
to the recipient. Four queries, whatever the person's history.
"""

from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .enums import ReminderKind

RULES = {
    ReminderKind.APPLICATION_DEADLINE: _(
        "7 Tage und 1 Tag vor dem Bewerbungsschluss, solange Ihre Bewerbung ein Entwurf ist."
    ),
    ReminderKind.REVIEW_MISSING: _(
        "Vor der Auswahlsitzung des Mentoringbeirats, wenn Bewerbungen, die Sie sehen, noch "
        "ohne Ihre Bewertung sind."
    ),
    ReminderKind.CONTACT_MISSING: _(
        "Ab dem Erinnerungstag des Jahrgangs (meist dem 20.), wenn in Ihrem Tandem in diesem "
        "Monat noch kein Kontakt eingetragen ist; an Sie beide."
    ),
    ReminderKind.CONTACT_ESCALATION: _(
        "Wenn ein Tandem mit einer Mentee Ihrer Organisation zwei Monate in Folge keinen "
        "Kontakt eingetragen hat; ohne Inhalte des Tandems."
    ),
    ReminderKind.GOAL_AGREEMENT: _(
        "Vier Wochen nach dem Start Ihres Tandems, wenn Sie die Zielvereinbarung noch nicht "
        "bestätigt haben."
    ),
    ReminderKind.WORKSHOP_UPCOMING: _("7 Tage und 1 Tag vor jedem Workshop Ihres Jahrgangs."),
}


@dataclass
class Subscription:
    kind: ReminderKind
    rule: str
    active: bool
    reason: str = ""

    @property
    def label(self):
        return self.kind.label


def reminder_subscriptions(user):
    from applications.enums import ApplicationState
    from applications.models import Application
    from cohorts.models import BeiratMembership
    from tandems.enums import TandemStatus
    from tandems.selectors import tandems_of

    today = timezone.localdate()
    drafts = Application.objects.filter(
        applicant=user,
        state=ApplicationState.DRAFT,
        cohort__application_deadline__gt=timezone.now(),
    ).exists()
    tandems = list(tandems_of(user).filter(cohort__end_date__gte=today))
    running = [tandem for tandem in tandems if tandem.status == TandemStatus.ACTIVE]
    ended = [tandem for tandem in tandems if tandem.status == TandemStatus.ENDED]
    participant = Application.objects.filter(
        applicant=user, state=ApplicationState.ACCEPTED, cohort__end_date__gte=today
    ).exists()
    on_beirat = BeiratMembership.objects.filter(user=user).exists()

    no_tandem = (
        _("Ihr Tandem wurde vorzeitig beendet; dazu erhalten Sie keine Erinnerungen mehr.")
        if ended and not running
        else _("Sie sind derzeit in keinem laufenden Tandem.")
    )
    active = {
        ReminderKind.APPLICATION_DEADLINE: (drafts, _("Sie haben keinen offenen Entwurf.")),
        ReminderKind.REVIEW_MISSING: (on_beirat, _("Sie gehören keinem Mentoringbeirat an.")),
        ReminderKind.CONTACT_MISSING: (bool(running), no_tandem),
        ReminderKind.CONTACT_ESCALATION: (
            on_beirat,
            _("Nur für die Gleichstellungsbeauftragten im Mentoringbeirat."),
        ),
        ReminderKind.GOAL_AGREEMENT: (bool(running), no_tandem),
        ReminderKind.WORKSHOP_UPCOMING: (
            participant,
            _("Sie nehmen derzeit an keinem Jahrgang teil."),
        ),
    }
    return [
        Subscription(kind, RULES[kind], is_active, "" if is_active else reason)
        for kind, (is_active, reason) in active.items()
    ]
