from collections import Counter
from collections.abc import Iterable
from datetime import date

from django.core.paginator import Page, Paginator
from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    OuterRef,
    Q,
    QuerySet,
    prefetch_related_objects,
)
from django.db.models.functions import ExtractMonth, ExtractYear
from django.utils.translation import gettext_noop

from applications.enums import ApplicationRole, ApplicationState
from applications.models import Application
from cohorts.models import Cohort, Organisation
from cohorts.selectors import officer_organisation_ids, sees_whole_cohort
from mentoring.enums import choice_label
from mentoring.models import User
from mentoring.months import months_between
from mentoring.retention import erased_users

from . import matching, progress
from .enums import TandemStatus
from .models import (
    Contact,
    GoalAgreement,
    GoalAgreementEntry,
    MatchingRun,
    MatchingSettings,
    PairConstraint,
    Tandem,
)

PAIR_PEOPLE = [
    "mentee__applicant",
    "mentee__organisation",
    "mentor__applicant",
    "mentor__organisation",
]


def runs_of(*, cohort: Cohort) -> QuerySet[MatchingRun]:
    return MatchingRun.objects.filter(cohort=cohort).select_related("created_by", "published_by")


def _unmatched_id(entry):
    # A run lists unmatched mentees ({"mentee": id}) and left-out mentors ({"mentor": id}).
    return entry.get("mentee", entry.get("mentor"))


def run_detail(
    *, run: MatchingRun, page_number: int | str | None = 1, per_page: int = 25
) -> tuple[Page, list[dict]]:
    """A page of the run's pairs with both people, and the people it leaves without tandem.

    25 pairs a page: each row compares two people, their topics and a runner-up, and what
    a page costs follows its rows (100 rows made the page take half a second).

    The latter are the unmatched mentees and those (of either role) the solver never saw,
    e.g. without consent to pass their data on; all of them in one query.
    """
    pairs = Paginator(
        run.pairs.select_related("mentee", "mentor", "runner_up_mentor").order_by("-score", "pk"),
        per_page,
    ).get_page(page_number)
    # Their names and organisations apart: planning one join of ten tables took PostgreSQL
    # longer than running the three queries.
    prefetch_related_objects(
        [
            person
            for pair in pairs
            for person in (pair.mentee, pair.mentor, pair.runner_up_mentor)
            if person is not None
        ],
        "applicant",
        "organisation",
    )
    return pairs, unmatched_of(run=run)


def unmatched_of(*, run: MatchingRun) -> list[dict]:
    """The people ``run`` leaves without tandem, ``[{"application", "reason"}]``, with the
    names of former partners in their reasons as they are now (``with_partner_names``)."""
    ids = [_unmatched_id(entry) for entry in run.unmatched]
    people = Application.objects.select_related("applicant", "organisation").in_bulk(ids)
    listed = [entry for entry in run.unmatched if _unmatched_id(entry) in people]
    reasons = with_partner_names(reasons=[entry["reason"] for entry in listed])
    return [
        {"application": people[_unmatched_id(entry)], "reason": reason}
        for entry, reason in zip(listed, reasons, strict=True)
    ]


# The note on a mentee left without tandem whose former mentor (of a tandem that ended
# early) the hard rules would allow (``services._note_former_partners``). Stored with the
# mentors' application ids, ``{"mentors": [id, …]}``: a name stored in the run would
# outlive her erasure.
FORMER_PARTNERS = gettext_noop(
    "Ihre frühere Mentor:in %(names)s (Tandem vorzeitig beendet) wird nicht neu "
    "vorgeschlagen; wählen Sie sie bei Bedarf bewusst von Hand."
)


def with_partner_names(*, reasons: list) -> list:
    """``reasons`` (each a list of messages, or text) with each former-partner note naming
    its mentors as they are called now; a note whose mentors were all erased is left out.
    One query, none without such a note."""
    ids = {
        pk
        for reason in reasons
        if not isinstance(reason, str)
        for msgid, params in reason
        if msgid == FORMER_PARTNERS
        for pk in params.get("mentors", ())
    }
    mentors = (
        Application.objects.filter(pk__in=ids)
        .exclude(erased_users("applicant__"))
        .select_related("applicant")
    )
    names = {mentor.pk: mentor.applicant.get_full_name() for mentor in mentors} if ids else {}
    shown = []
    for reason in reasons:
        if isinstance(reason, str):
            shown.append(reason)
            continue
        messages = []
        for msgid, params in reason:
            if msgid == FORMER_PARTNERS:
                listed = [names[pk] for pk in params.get("mentors", ()) if names.get(pk)]
                if not listed:
                    continue
                params = {"names": ", ".join(listed)}
            messages.append((msgid, params))
        shown.append(messages)
    return shown


def constraints_of(*, cohort: Cohort) -> QuerySet[PairConstraint]:
    """Every pin and ban of the cohort, with both people and who set it."""
    return (
        PairConstraint.objects.filter(cohort=cohort)
        .select_related("mentee__applicant", "mentor__applicant", "created_by")
        # Apart, as in ``run_detail``: a join of eleven tables took longer to plan than to run.
        .prefetch_related("mentee__organisation", "mentor__organisation")
        .order_by("kind", "mentee__applicant__last_name", "pk")
    )


def tandems_visible_to(*, user: User, cohort: Cohort) -> QuerySet[Tandem]:
    """All tandems for the programme office and the chair; an officer, her people's."""
    tandems = Tandem.objects.filter(cohort=cohort).select_related(*PAIR_PEOPLE, "goal_agreement")
    if sees_whole_cohort(user=user, cohort=cohort):
        return tandems
    organisations = officer_organisation_ids(user=user)
    return tandems.filter(
        Q(mentee__organisation_id__in=organisations) | Q(mentor__organisation_id__in=organisations)
    )


def tandems_of(*, user: User) -> QuerySet[Tandem]:
    """The person's own tandems, as mentee or as mentor, with both people and the cohort."""
    return (
        Tandem.objects.filter(Q(mentee__applicant=user) | Q(mentor__applicant=user))
        .select_related(*PAIR_PEOPLE, "cohort__programme", "goal_agreement")
        .order_by("-start_date", "pk")
    )


def has_tandem(*, user: User) -> bool:
    """Whether she is the mentee or the mentor of any tandem (the navigation asks it).

    From her few applications to their tandems by index: the join of every tandem to both
    partners' applications, as ``tandems_of`` reads them, read the whole application table
    on every page she opened.
    """
    return (
        Application.objects.filter(applicant=user)
        .filter(
            Exists(Tandem.objects.filter(mentee=OuterRef("pk")))
            | Exists(Tandem.objects.filter(mentor=OuterRef("pk")))
        )
        .exists()
    )


def goal_agreement_history(*, agreement: GoalAgreement) -> QuerySet[GoalAgreementEntry]:
    """The agreement's changes and confirmations, newest first; for its two partners only."""
    if agreement.pk is None:
        return GoalAgreementEntry.objects.none()
    return agreement.history.select_related("actor")


def contacts_of(*, tandem: Tandem) -> QuerySet[Contact]:
    """The tandem's own log, for its two partners only."""
    return tandem.contacts.select_related("author").prefetch_related("topics")


def contact_formats(
    *, tandems: QuerySet[Tandem] | Iterable[int]
) -> dict[int, dict[date, list[str]]]:
    """{tandem id: {month: [format, ...]}}: whether and how each month had contact.

    Reads no more than the month and the format of each contact; officers' pages are
    built on this and never see topics, durations or notes.
    """
    # Year and month as numbers: a cohort's grid reads thousands of these rows, and a date
    # costs the driver and Django a conversion each.
    rows = (
        Contact.objects.filter(tandem__in=tandems)
        .annotate(year=ExtractYear("date"), month=ExtractMonth("date"))
        .values_list("tandem_id", "year", "month", "format")
        .order_by()  # the model's order would be part of DISTINCT: no row would merge
        .distinct()
    )
    firsts = {}
    formats = {}
    for tandem_id, year, number, format_ in rows:
        month = firsts.get((year, number))
        if month is None:
            month = firsts[year, number] = date(year, number, 1)
        formats.setdefault(tandem_id, {}).setdefault(month, []).append(format_)
    return formats


def quiet_condition(*, today: date) -> Q:
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


def with_quiet(*, tandems: QuerySet[Tandem], today: date) -> QuerySet[Tandem]:
    """``tandems`` annotated with ``quiet`` (see ``quiet_condition``); no extra query."""
    return tandems.annotate(
        quiet=ExpressionWrapper(quiet_condition(today=today), output_field=BooleanField())
    )


def quiet_tandems(*, tandems: QuerySet[Tandem], today: date) -> QuerySet[Tandem]:
    """Those of ``tandems`` that are quiet on ``today``."""
    return tandems.filter(quiet_condition(today=today))


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


def contact_overview_tandems(
    *,
    tandems: QuerySet[Tandem],
    today: date,
    organisation: Organisation | None = None,
    quiet_only: bool = False,
) -> QuerySet[Tandem]:
    """The tandems of the Beirat's grid in its order, each with ``quiet`` on ``today``.

    ``organisation`` keeps those with a person of that organisation, ``quiet_only`` the
    quiet ones (``quiet_condition``): all in the database, so that a page of the grid
    reads its own rows only, whatever the size of the cohort.
    """
    if organisation is not None:
        tandems = tandems.filter(
            Q(mentee__organisation=organisation) | Q(mentor__organisation=organisation)
        )
    tandems = with_quiet(tandems=tandems, today=today)
    if quiet_only:
        tandems = tandems.filter(quiet=True)
    return (
        tandems.select_related(None)
        .select_related(*PAIR_PEOPLE)
        .only(*GRID_FIELDS)
        .order_by("mentee__applicant__last_name", "pk")
    )


def contact_overview_counts(*, tandems: QuerySet[Tandem], today: date) -> tuple[int, int]:
    """(how many, how many of them quiet on ``today``) of ``contact_overview_tandems``;
    one query."""
    totals = tandems.order_by().aggregate(
        count=Count("pk"), quiet=Count("pk", filter=quiet_condition(today=today))
    )
    return totals["count"], totals["quiet"]


def _full_name(person):
    """``User.get_full_name`` of a row of values."""
    return f"{person['applicant__first_name']} {person['applicant__last_name']}".strip()


def contact_overview_rows(
    *, tandems: QuerySet[Tandem], cohort: Cohort, today: date
) -> tuple[list[date], list[dict]]:
    """(months, rows) of the grid: each of ``tandems`` (``contact_overview_tandems``, a
    page of them or all for the CSV) × the cohort's months. Three queries.

    A row holds the names as text (``mentee``, ``mentee_organisation``, ``mentor``,
    ``mentor_organisation``; an organisation may be ``None``), ``status``, ``quiet`` and
    ``months``. Read as values: seven model instances per tandem cost more than the rest.
    The people come in a query of their own: one query joining all eight tables took the
    planner longer than running it.
    """
    values = list(
        tandems.values("pk", "status", "start_date", "ended_at", "quiet", "mentee", "mentor")
    )
    people = {
        person["pk"]: person
        for person in Application.objects.filter(
            pk__in={row[side] for row in values for side in ("mentee", "mentor")}
        ).values("pk", "applicant__first_name", "applicant__last_name", "organisation__name")
    }
    formats = contact_formats(tandems=[row["pk"] for row in values])
    columns = months_between(cohort.start_date, cohort.end_date)
    rows = []
    for row in values:
        mentee, mentor = people[row["mentee"]], people[row["mentor"]]
        # Unsaved: what its months are (``Tandem.months``) needs its dates and cohort only.
        span = Tandem(start_date=row["start_date"], ended_at=row["ended_at"], cohort=cohort)
        rows.append(
            {
                "pk": row["pk"],
                "mentee": _full_name(mentee),
                "mentee_organisation": mentee["organisation__name"],
                "mentor": _full_name(mentor),
                "mentor_organisation": mentor["organisation__name"],
                "status": row["status"],
                "status_label": choice_label(TandemStatus, row["status"]),
                "quiet": row["quiet"],
                "months": progress.months_of(span, formats.get(row["pk"], {}), today, columns),
            }
        )
    return columns, rows


# The matching settings and the people the solver sees --------------------------------------


def settings_for(*, cohort: Cohort) -> MatchingSettings:
    """The cohort's matching settings, or unsaved defaults; writes nothing.

    Pages that only show the settings call this; the first save of the settings form
    creates the row (``services.matching_settings_save``).
    """
    found = MatchingSettings.objects.filter(cohort=cohort).first()
    return found if found is not None else MatchingSettings(cohort=cohort)


def _coordinates(organisation):
    if organisation is None or organisation.latitude is None:
        return None, None
    return float(organisation.latitude), float(organisation.longitude)


def _same_department_key(department):
    # Free-text departments differ in case and spacing more often than in substance.
    return " ".join(department.split()).casefold()


def _accepted(cohort):
    return (
        Application.objects.filter(cohort=cohort, state=ApplicationState.ACCEPTED)
        .select_related("organisation", "applicant")
        .prefetch_related("topics", "wished_organisations", "avoided_organisations")
        .order_by("pk")
    )


class MentorLookup:
    """Finds mentors among ``mentors`` by organisation (wishes, vetoes) and e-mail."""

    def __init__(self, mentors: Iterable[Application]):
        self.by_organisation = {}
        self.by_email = {}
        for application in mentors:
            self.by_organisation.setdefault(application.organisation_id, set()).add(application.pk)
            # Internal programmes: the mentee names her line manager by e-mail address.
            self.by_email[application.applicant.email.casefold()] = application.pk

    def of(self, organisations):
        return frozenset().union(*(self.by_organisation.get(o.pk, ()) for o in organisations))


def as_mentee(*, application: Application, lookup: MentorLookup) -> matching.Mentee:
    """The mentee's application as the solver sees her; her wishes and vetoes via ``lookup``."""
    latitude, longitude = _coordinates(application.organisation)
    supervisor = application.supervisor_email.strip().casefold()
    return matching.Mentee(
        id=application.pk,
        organisation_id=application.organisation_id,
        topics=frozenset(topic.pk for topic in application.topics.all()),
        department=_same_department_key(application.department),
        supervisor_id=lookup.by_email.get(supervisor) if supervisor else None,
        latitude=latitude,
        longitude=longitude,
        wished_kinds=frozenset(application.wished_organisation_kinds),
        wishes=lookup.of(application.wished_organisations.all()),
        vetoes=lookup.of(application.avoided_organisations.all()),
    )


def topic_ids(*, applications: Iterable[Application]) -> dict[int, frozenset[int]]:
    """{application id: her topics' ids} for many applications; one query.

    For what needs only the ids: prefetching the topics builds a related manager and a
    queryset per application (a third of a millisecond each, for hundreds of mentors).
    """
    ids = [application.pk for application in applications]
    found = {pk: set() for pk in ids}
    rows = Application.topics.through.objects.filter(application_id__in=ids)
    for application_id, topic_id in rows.values_list("application_id", "topic_id"):
        found[application_id].add(topic_id)
    return {pk: frozenset(topics) for pk, topics in found.items()}


def as_mentor(
    *, application: Application, seats: int, topics: frozenset[int] | None = None
) -> matching.Mentor:
    """The mentor's application as the solver sees her, with ``seats`` free seats.

    ``topics``: her topics' ids, where they were read for many at once (``topic_ids``).
    """
    latitude, longitude = _coordinates(application.organisation)
    if topics is None:
        topics = frozenset(topic.pk for topic in application.topics.all())
    return matching.Mentor(
        id=application.pk,
        organisation_id=application.organisation_id,
        topics=topics,
        department=_same_department_key(application.department),
        level=matching.LEVEL_RANK.get(application.leadership_level, 0),
        level_name=application.leadership_level,
        organisation_kind=application.organisation.kind if application.organisation else "",
        capacity=seats,
        latitude=latitude,
        longitude=longitude,
    )


def free_people(
    *, cohort: Cohort
) -> tuple[list[Application], dict[Application, int], list[dict], MentorLookup]:
    """Who the solver sees, as applications: (mentees, {mentor: free seats}, left_out, lookup).

    Accepted mentees without an active tandem and accepted mentors with seats left; in
    programmes that pass data to partner organisations only with consent, those without
    it are ``left_out`` instead: ``[{"mentee" or "mentor": id, "reason": messages}]``
    (messages as in ``matching``, shown by ``matching_display.reason_text``).
    """
    needs_consent = cohort.programme.transfer_consent_required
    accepted = list(_accepted(cohort))
    active = Tandem.objects.filter(cohort=cohort, status=TandemStatus.ACTIVE)
    matched = set(active.values_list("mentee_id", flat=True))
    load = Counter(active.values_list("mentor_id", flat=True))
    lookup = MentorLookup(a for a in accepted if a.role == ApplicationRole.MENTOR)
    no_consent = (
        matching.message(
            gettext_noop("keine Einwilligung in die Weitergabe an Partnerorganisationen")
        ),
    )
    mentees, mentors, left_out = [], {}, []
    for application in accepted:
        consented = not needs_consent or application.transfer_consent_at is not None
        if application.role == ApplicationRole.MENTEE and application.pk not in matched:
            if consented:
                mentees.append(application)
            else:
                left_out.append({"mentee": application.pk, "reason": no_consent})
        elif application.role == ApplicationRole.MENTOR:
            seats = application.capacity - load[application.pk]
            if seats > 0 and not consented:
                left_out.append({"mentor": application.pk, "reason": no_consent})
            elif seats > 0:
                mentors[application] = seats
    return mentees, mentors, left_out, lookup


def participants(
    *, cohort: Cohort
) -> tuple[list[matching.Mentee], list[matching.Mentor], list[dict]]:
    """(mentees, mentors, left_out) for the solver; see ``free_people``."""
    mentees, mentors, left_out, lookup = free_people(cohort=cohort)
    return (
        [as_mentee(application=application, lookup=lookup) for application in mentees],
        [as_mentor(application=application, seats=seats) for application, seats in mentors.items()],
        left_out,
    )


# The tandem's own pages ----------------------------------------------------------------------


def partner_role(*, tandem: Tandem, user: User) -> str | None:
    """ "mentee", "mentor" or None: which side of ``tandem`` this user is on."""
    if tandem.mentee.applicant_id == user.pk:
        return "mentee"
    if tandem.mentor.applicant_id == user.pk:
        return "mentor"
    return None


def goal_agreement_for(*, tandem: Tandem) -> GoalAgreement:
    """The tandem's goal agreement, or a blank unsaved one; writes nothing.

    The row is created by the first save or confirmation (``services._locked_agreement``),
    so that opening the page is only a read.
    """
    try:
        return tandem.goal_agreement
    except GoalAgreement.DoesNotExist:
        return GoalAgreement(tandem=tandem)
