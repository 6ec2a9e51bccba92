from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, Q
from django.db.models.functions import TruncMonth

from applications.models import Application
from cohorts.selectors import officer_organisation_ids, sees_whole_cohort
from mentoring.months import months_between

from . import progress
from .enums import TandemStatus
from .models import Contact, GoalAgreementEntry, MatchingRun, PairConstraint, Tandem

PAIR_PEOPLE = [
    "mentee__applicant",
    "mentee__organisation",
    "mentor__applicant",
    "mentor__organisation",
]


def runs_of(cohort):
    return MatchingRun.objects.filter(cohort=cohort).select_related("created_by", "published_by")


def _unmatched_id(entry):
    # A run lists unmatched mentees ({"mentee": id}) and left-out mentors ({"mentor": id}).
    return entry.get("mentee", entry.get("mentor"))


def run_detail(run, page_number=1, per_page=100):
    """A page of the run's pairs with both people, and the people it leaves without tandem.

    The latter are the unmatched mentees and those (of either role) the solver never saw,
    e.g. without consent to pass their data on; all of them in one query.
    """
    from django.core.paginator import Paginator

    pairs = Paginator(
        run.pairs.select_related(*PAIR_PEOPLE).order_by("-score", "pk"), per_page
    ).get_page(page_number)
    ids = [_unmatched_id(entry) for entry in run.unmatched]
    people = Application.objects.select_related("applicant", "organisation").in_bulk(ids)
    unmatched = [
        {"application": people[_unmatched_id(entry)], "reason": entry["reason"]}
        for entry in run.unmatched
        if _unmatched_id(entry) in people
    ]
    return pairs, unmatched


def constraints_of(cohort):
    """Every pin and ban of the cohort, with both people and who set it."""
    return (
        PairConstraint.objects.filter(cohort=cohort)
        .select_related(*PAIR_PEOPLE, "created_by")
        .order_by("kind", "mentee__applicant__last_name", "pk")
    )


def tandems_visible_to(user, cohort):
    """All tandems for the programme office and the chair; an officer, her people's."""
    tandems = Tandem.objects.filter(cohort=cohort).select_related(*PAIR_PEOPLE, "goal_agreement")
    if sees_whole_cohort(user, cohort):
        return tandems
    organisations = officer_organisation_ids(user)
    return tandems.filter(
        Q(mentee__organisation_id__in=organisations) | Q(mentor__organisation_id__in=organisations)
    )


def tandems_of(user):
    """The person's own tandems, as mentee or as mentor, with both people and the cohort."""
    return (
        Tandem.objects.filter(Q(mentee__applicant=user) | Q(mentor__applicant=user))
        .select_related(*PAIR_PEOPLE, "cohort__programme", "goal_agreement")
        .order_by("-start_date", "pk")
    )


def goal_agreement_history(agreement):
    """The agreement's changes and confirmations, newest first; for its two partners only."""
    if agreement.pk is None:
        return GoalAgreementEntry.objects.none()
    return agreement.history.select_related("actor")


def contacts_of(tandem):
    """The tandem's own log, for its two partners only."""
    return tandem.contacts.select_related("author").prefetch_related("topics")


def contact_formats(tandems):
    """{tandem id: {month: [format, ...]}}: whether and how each month had contact.

    Reads no more than the month and the format of each contact; officers' pages are
    built on this and never see topics, durations or notes.
    """
    rows = (
        Contact.objects.filter(tandem__in=tandems)
        .annotate(month=TruncMonth("date"))
        .values_list("tandem_id", "month", "format")
        .distinct()
    )
    formats = {}
    for tandem_id, month, format_ in rows:
        formats.setdefault(tandem_id, {}).setdefault(month, []).append(format_)
    return formats


def quiet_condition(today):
    """The rule "two months without contact", as a condition on Tandem, for ``today``.

    A tandem is quiet when it is active and its cohort still runs, it started no later
    than the first day of the month two months back (so those two whole calendar months
    before the current one lie within its time), and it has no contact on or after that
    day: none in those two months, none in the current month so far. On 20 May a tandem
    is quiet if it had no contact since 1 March and started by 1 March; one that started
    on 15 March cannot be quiet before 1 June.

    The one definition for the Beirat's grid, its filter, the CSV export and the
    escalation e-mail (``tandems.reminders.contact_escalation``).
    """
    since = progress.quiet_since(today)
    return Q(
        status=TandemStatus.ACTIVE, start_date__lte=since, cohort__end_date__gte=today
    ) & ~Exists(Contact.objects.filter(tandem=OuterRef("pk"), date__gte=since))


def with_quiet(tandems, today):
    """``tandems`` annotated with ``quiet`` (see ``quiet_condition``); no extra query."""
    return tandems.annotate(
        quiet=ExpressionWrapper(quiet_condition(today), output_field=BooleanField())
    )


def quiet_tandems(tandems, today):
    """Those of ``tandems`` that are quiet on ``today``."""
    return tandems.filter(quiet_condition(today))


# What a row of the grid shows: names, organisations, status and dates, nothing more.
GRID_FIELDS = [
    "cohort_id",
    "status",
    "start_date",
    "ended_at",
    *(
        f"{side}__{field}"
        for side in ("mentee", "mentor")
        for field in (
            "organisation__name",
            "applicant__first_name",
            "applicant__last_name",
            "applicant__email",
        )
    ),
]


def contact_overview(tandems, cohort, today, *, organisation=None, quiet_only=False):
    """(months, rows) of the Beirat's grid: every visible tandem × the cohort's months.

    Each row says whether the tandem is quiet on ``today`` (``quiet_condition``);
    ``quiet_only`` keeps those. Two queries, whatever the number of tandems; ``rows`` is a
    list to paginate.
    """
    if organisation is not None:
        tandems = tandems.filter(
            Q(mentee__organisation=organisation) | Q(mentor__organisation=organisation)
        )
    tandems = list(
        with_quiet(tandems, today)
        .select_related(None)
        .select_related(*PAIR_PEOPLE)
        .only(*GRID_FIELDS)
        .order_by("mentee__applicant__last_name", "pk")
    )
    formats = contact_formats([tandem.pk for tandem in tandems])
    columns = months_between(cohort.start_date, cohort.end_date)
    rows = []
    for tandem in tandems:
        tandem.cohort = cohort
        months = progress.months_of(tandem, formats.get(tandem.pk, {}), today, columns)
        row = {"tandem": tandem, "months": months, "quiet": tandem.quiet}
        if row["quiet"] or not quiet_only:
            rows.append(row)
    return columns, rows
