"""What the daily sweep reminds tandems and officers of. No reminder carries log content."""

from datetime import timedelta

from django.conf import settings
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cohorts.models import BeiratMembership
from mentoring.enums import ReminderKind
from mentoring.months import add_months, month_start, period_key
from mentoring.reminders import Due, finder

from .enums import TandemStatus
from .models import Contact, Tandem
from .selectors import quiet_tandems, tandems_of

GOAL_AGREEMENT_AFTER = timedelta(weeks=4)
# A tandem formed a few days ago is not yet reminded of this month's contact.
SETTLING_IN = timedelta(days=14)

# Read once each, not once per tandem: a cohort's thousands of tandems share a few of these.
SHARED = ["cohort__programme", "mentee__organisation", "mentor__organisation"]
# What the reminders (finders and e-mails) read of a tandem and its two people: the other
# fields of an application are many and would cost more to load than the query. A field
# an e-mail needs beyond these costs a query per e-mail, which
# test_sending_reminders_asks_the_database_once_per_email catches.
FIELDS = [
    "cohort",
    "mentee",
    "mentor",
    "start_date",
    "status",
    *(
        f"{side}__{field}"
        for side in ("mentee", "mentor")
        for field in (
            "role",
            "organisation",
            "applicant",
            "applicant__email",
            "applicant__first_name",
            "applicant__last_name",
            "applicant__language",
        )
    ),
]


def _running(day):
    """Active tandems that have started and whose cohort has not ended by ``day``, with
    both people; a fixed number of queries."""
    return (
        Tandem.objects.filter(
            status=TandemStatus.ACTIVE, start_date__lte=day, cohort__end_date__gte=day
        )
        .select_related("mentee__applicant", "mentor__applicant")
        .only(*FIELDS)
        .prefetch_related(*SHARED)
        # In the order they were formed: sorting by cohort and name costs two more joins.
        .order_by("pk")
    )


def _contact_between(first, last):
    return Exists(Contact.objects.filter(tandem=OuterRef("pk"), date__range=(first, last)))


def in_a_running_tandem(user):
    """Whether she is in an active tandem of a cohort not yet over, and if not, why (one query)."""
    statuses = {
        tandem.status
        for tandem in tandems_of(user=user).filter(cohort__end_date__gte=timezone.localdate())
    }
    if TandemStatus.ACTIVE in statuses:
        return True, ""
    if TandemStatus.ENDED in statuses:
        return False, _(
            "Ihr Tandem wurde vorzeitig beendet; dazu erhalten Sie keine Erinnerungen mehr."
        )
    return False, _("Sie sind derzeit in keinem laufenden Tandem.")


def sits_on_a_beirat(user):
    """Whether she belongs to any Mentoringbeirat (one query)."""
    member = BeiratMembership.objects.filter(user=user).exists()
    return member, _("Nur für die Gleichstellungsbeauftragten im Mentoringbeirat.")


@finder(
    kind=ReminderKind.CONTACT_MISSING,
    rule=_(
        "Ab dem Erinnerungstag des Jahrgangs (meist dem 20.), wenn in Ihrem Tandem in diesem "
        "Monat noch kein Kontakt eingetragen ist; an Sie beide."
    ),
    applies_to=in_a_running_tandem,
)
def contact_missing(day):
    month = month_start(day)
    tandems = (
        _running(day)
        .filter(cohort__contact_reminder_day__lte=day.day, start_date__lte=day - SETTLING_IN)
        .exclude(_contact_between(month, day))
    )
    period, links = period_key(month), _Links()
    for tandem in tandems:
        for me, partner in ((tandem.mentee, tandem.mentor), (tandem.mentor, tandem.mentee)):
            yield Due(
                kind=ReminderKind.CONTACT_MISSING,
                about=tandem,
                recipient=me.applicant,
                period=period,
                template="tandems/email/reminder_contact",
                context={"tandem": tandem, "me": me, "partner": partner, "month": month}
                | links(tandem),
            )


@finder(
    kind=ReminderKind.CONTACT_ESCALATION,
    rule=_(
        "Wenn ein Tandem mit einer Mentee Ihrer Organisation zwei Monate in Folge keinen "
        "Kontakt eingetragen hat; ohne Inhalte des Tandems."
    ),
    applies_to=sits_on_a_beirat,
)
def contact_escalation(day):
    """Quiet as ``selectors.quiet_condition`` says; sent to the mentee's equality officer(s)
    once for each further quiet month."""
    month = month_start(day)
    first, second = add_months(month, -2), add_months(month, -1)
    tandems = list(quiet_tandems(tandems=_running(day), today=day))
    if not tandems:
        return
    officers = _officers_of(tandems)
    period, links = period_key(second), _Links()
    for tandem in tandems:
        for officer in officers.get((tandem.mentee.organisation_id, tandem.cohort_id), ()):
            yield Due(
                kind=ReminderKind.CONTACT_ESCALATION,
                about=tandem,
                recipient=officer,
                period=period,
                template="tandems/email/reminder_escalation",
                context={"tandem": tandem, "first": first, "second": second} | links(tandem),
            )


@finder(
    kind=ReminderKind.GOAL_AGREEMENT,
    rule=_(
        "Vier Wochen nach dem Start Ihres Tandems, wenn Sie die Zielvereinbarung noch nicht "
        "bestätigt haben."
    ),
    applies_to=in_a_running_tandem,
)
def goal_agreement_unconfirmed(day):
    tandems = (
        _running(day)
        .filter(start_date__lte=day - GOAL_AGREEMENT_AFTER)
        .filter(
            Q(goal_agreement__isnull=True)
            | Q(goal_agreement__mentee_confirmed_at__isnull=True)
            | Q(goal_agreement__mentor_confirmed_at__isnull=True)
        )
        .select_related("goal_agreement")
        .only(*FIELDS, "goal_agreement__mentee_confirmed_at", "goal_agreement__mentor_confirmed_at")
    )
    links = _Links()
    for tandem in tandems:
        agreement = getattr(tandem, "goal_agreement", None)
        for me, role in ((tandem.mentee, "mentee"), (tandem.mentor, "mentor")):
            if agreement is not None and getattr(agreement, f"{role}_confirmed_at"):
                continue
            yield Due(
                kind=ReminderKind.GOAL_AGREEMENT,
                about=tandem,
                recipient=me.applicant,
                period="4w",
                template="tandems/email/reminder_goal_agreement",
                context={"tandem": tandem, "me": me, "agreement": agreement} | links(tandem),
            )


def _officers_of(tandems):
    """{(organisation id, cohort id): [officer, ...]} for the mentees' organisations."""
    cohorts = {tandem.cohort for tandem in tandems}
    memberships = BeiratMembership.objects.for_cohorts(cohorts).filter(
        organisation_id__in={tandem.mentee.organisation_id for tandem in tandems},
        user__is_active=True,
    )
    by_programme = {}
    for cohort in cohorts:
        by_programme.setdefault(cohort.programme_id, []).append(cohort.pk)
    officers = {}
    for membership in memberships.select_related("user"):
        cohort_ids = (
            [membership.cohort_id]
            if membership.cohort_id
            else by_programme.get(membership.programme_id, [])
        )
        for cohort_id in cohort_ids:
            people = officers.setdefault((membership.organisation_id, cohort_id), [])
            if membership.user not in people:
                people.append(membership.user)
    return officers


class _Links:
    """The links of a tandem's reminders; each path resolved once, whatever the number of
    tandems (``reverse`` costs more than the rest of a reminder's finding)."""

    MARKER = 987654321  # stands for the primary key in the path resolved once

    def __init__(self):
        self.site_url = settings.SITE_URL
        self.portal = self._path("tandems:detail", "pk")
        self.overview = self._path("tandems:contacts", "cohort_id")

    def _path(self, name, argument):
        before, after = reverse(name, kwargs={argument: self.MARKER}).split(str(self.MARKER))
        return lambda pk: f"{before}{pk}{after}"

    def __call__(self, tandem):
        return {
            "site_url": self.site_url,
            "portal_path": self.portal(tandem.pk),
            "overview_path": self.overview(tandem.cohort_id),
        }
