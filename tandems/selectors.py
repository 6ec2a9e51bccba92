from django.db.models import Q
from django.db.models.functions import TruncMonth

from applications.models import Application
from cohorts.selectors import officer_organisation_ids, sees_whole_cohort
from mentoring.months import months_between

from . import progress
from .models import Contact, MatchingRun, PairConstraint, Tandem

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
    return PairConstraint.objects.filter(cohort=cohort).select_related(*PAIR_PEOPLE)


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

    Two queries, whatever the number of tandems; ``rows`` is a list to paginate.
    """
    if organisation is not None:
        tandems = tandems.filter(
            Q(mentee__organisation=organisation) | Q(mentor__organisation=organisation)
        )
    tandems = list(
        tandems.select_related(None)
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
        row = {"tandem": tandem, "months": months, "quiet": progress.is_quiet(months)}
        if row["quiet"] or not quiet_only:
            rows.append(row)
    return columns, rows
