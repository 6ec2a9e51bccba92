from collections.abc import Iterable
from datetime import datetime, time, timedelta

from django.contrib.auth.models import AnonymousUser
from django.db.models import Exists, F, Min, Model, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.utils import timezone

from mentoring.models import User

from .enums import BeiratRole, CohortState, OrganisationKind
from .models import BeiratMembership, Cohort, CohortOrganisation, Organisation, Programme

# A programme is "active" for the public while one of its cohorts takes applications, is in
# selection or runs: there is something to apply for or to follow. Planned cohorts are not
# public yet and finished ones are history, so a programme with only those is not listed.
ACTIVE_COHORT_STATES = (CohortState.OPEN, CohortState.SELECTION, CohortState.RUNNING)

# Who may ask: rules and public pages ask for visitors too.
AnyUser = User | AnonymousUser


def _seats(user):
    """(organisation, cohort, programme, role) of each Beirat seat of ``user``, memoised."""
    cached = getattr(user, "_beirat_seats", None)
    if cached is None:
        cached = tuple(
            BeiratMembership.objects.filter(user=user).values_list(
                "organisation_id", "cohort_id", "programme_id", "role"
            )
        )
        user._beirat_seats = cached
    return cached


def remember_seats(*, users: Iterable[User]) -> None:
    """Reads the Beirat seats of all ``users`` in one query and memoises them on each.

    What ``_seats`` would read for each of them one by one: for rules asked of many people.
    """
    users = list(users)
    seats = {user.pk: [] for user in users}
    rows = (
        BeiratMembership.objects.filter(user__in=seats)
        .order_by()
        .values_list("user_id", "organisation_id", "cohort_id", "programme_id", "role")
    )
    for user_id, *seat in rows:
        seats[user_id].append(tuple(seat))
    for user in users:
        user._beirat_seats = tuple(seats[user.pk])


def officer_organisation_ids(*, user: AnyUser) -> frozenset[int]:
    """The organisations whose people an officer looks after (memoised on the user)."""
    if not user.is_authenticated:
        return frozenset()
    return frozenset(organisation for organisation, _c, _p, _r in _seats(user))


def _chair_seats(user):
    """(cohort ids, programme ids) of the Beirats this user chairs; memoised, no query."""
    seats = [
        (cohort, programme)
        for _o, cohort, programme, role in _seats(user)
        if role == BeiratRole.CHAIR
    ]
    return (
        frozenset(cohort for cohort, _p in seats if cohort is not None),
        frozenset(programme for _c, programme in seats if programme is not None),
    )


def chaired_cohort_filter(*, user: User) -> Q:
    """A Q on Cohort for the cohorts whose Beirat this user chairs (directly or by programme).

    With the ids of her seats (read once per request), not subqueries: the database can
    then use its indexes, and a filter on thousands of applications stays a lookup.
    """
    cohorts, programmes = _chair_seats(user)
    return Q(pk__in=cohorts) | Q(programme_id__in=programmes)


def chairs_any_cohort(*, user: AnyUser) -> bool:
    """Whether the user chairs a Beirat, of a cohort or of a programme; no query."""
    return user.is_authenticated and any(_chair_seats(user))


def member_cohort_filter(*, user: User) -> Q:
    """A Q on Cohort for the cohorts on whose Beirat this user sits (by cohort or programme)."""
    seats = BeiratMembership.objects.filter(user=user)
    return Q(pk__in=seats.filter(cohort__isnull=False).values("cohort_id")) | Q(
        programme_id__in=seats.filter(programme__isnull=False).values("programme_id")
    )


def user_sits_on_cohort_beirat(*, user: AnyUser, cohort: Cohort | None) -> bool:
    """Whether the user has a Beirat seat for ``cohort``, directly or for its programme."""
    if not user.is_authenticated or cohort is None:
        return False
    return any(
        seat_cohort == cohort.pk or programme == cohort.programme_id
        for _o, seat_cohort, programme, _r in _seats(user)
    )


def user_sits_on_programme_beirat(*, user: AnyUser, programme: Programme | None) -> bool:
    """Whether the user has a Beirat seat for ``programme`` or for one of its cohorts.

    No query for a seat on the programme's Beirat; one for seats on single cohorts.
    """
    if not user.is_authenticated or programme is None:
        return False
    seats = _seats(user)
    if any(seat_programme == programme.pk for _o, _c, seat_programme, _r in seats):
        return True
    cohorts = {seat_cohort for _o, seat_cohort, _p, _r in seats if seat_cohort is not None}
    return bool(cohorts) and Cohort.objects.filter(pk__in=cohorts, programme=programme).exists()


def user_chairs_cohort(*, user: AnyUser, cohort: Cohort | None) -> bool:
    """Whether the user chairs ``cohort``'s Beirat (directly or by programme); no query."""
    if not user.is_authenticated or cohort is None:
        return False
    return any(
        role == BeiratRole.CHAIR and (seat_cohort == cohort.pk or programme == cohort.programme_id)
        for _o, seat_cohort, programme, role in _seats(user)
    )


def sees_whole_cohort(*, user: User, cohort: Cohort) -> bool:
    """The programme office and the cohort's chair see every participant of a cohort."""
    return user.is_programme_office or user_chairs_cohort(user=user, cohort=cohort)


def _contacts_prefetch(cohort):
    """Each organisation's contact persons for ``cohort``: cohort or programme memberships."""
    return Prefetch(
        "organisation__beirat_memberships",
        queryset=BeiratMembership.objects.for_cohort(cohort)
        .filter(is_contact=True)
        .select_related("user")
        .order_by("role", "user__last_name"),
        to_attr="contacts",
    )


def cohort_for_public_page(*, cohort: Cohort) -> tuple[list[CohortOrganisation], list[Model]]:
    """Participating organisations with their contacts, and the workshops, for one cohort.

    Four queries whatever the number of organisations or workshops.
    """
    participations = list(
        CohortOrganisation.objects.filter(cohort=cohort)
        .select_related("organisation")
        .prefetch_related(_contacts_prefetch(cohort))
        .order_by("organisation__name")
    )
    # Workshops are a later app's model; the related name is all this app knows of them.
    workshops = list(cohort.workshops.all()) if hasattr(cohort, "workshops") else []
    return participations, workshops


def open_call(*, programme: Programme) -> Cohort | None:
    """The cohort of ``programme`` that takes applications now, or the next one to open."""
    now = timezone.now()
    return (
        programme.cohorts.filter(state=CohortState.OPEN, application_deadline__gt=now)
        .order_by("application_deadline")
        .first()
        or programme.cohorts.filter(state=CohortState.PLANNED, application_opens_at__gt=now)
        .order_by("application_opens_at")
        .first()
    )


def _with_public_facts(programmes, now):
    """``programmes`` annotated with what the public pages say about each one.

    - ``is_active``: it has a cohort in an active state (see ``ACTIVE_COHORT_STATES``);
    - ``call_deadline`` / ``call_opens_at``: the cohort that ``open_call`` presents as open
      (state open, deadline not passed), or None;
    - ``has_companies``: a partner organisation is a company (cross-sector programme).
    """
    call = Cohort.objects.filter(
        programme=OuterRef("pk"), state=CohortState.OPEN, application_deadline__gt=now
    ).order_by("application_deadline")
    return programmes.annotate(
        is_active=Exists(
            Cohort.objects.filter(programme=OuterRef("pk"), state__in=ACTIVE_COHORT_STATES)
        ),
        call_deadline=Subquery(call.values("application_deadline")[:1]),
        call_opens_at=Subquery(call.values("application_opens_at")[:1]),
        has_companies=Exists(
            Organisation.objects.filter(programmes=OuterRef("pk"), kind=OrganisationKind.COMPANY)
        ),
    )


def programmes_for_home(*, now: datetime | None = None) -> list[Programme]:
    """Every programme, annotated as in ``_with_public_facts``, in the home page's order.

    Programmes with an open call come first, the soonest deadline first; then the others by
    name. The home page shows the active ones. One query, whatever the number of
    programmes and cohorts.
    """
    now = now or timezone.now()
    return list(
        _with_public_facts(Programme.objects.all(), now).order_by(
            F("call_deadline").asc(nulls_last=True), "name"
        )
    )


def programme_for_call(*, slug: str, now: datetime | None = None) -> Programme | None:
    """The programme with ``slug``, annotated as in ``_with_public_facts``, or None."""
    now = now or timezone.now()
    return _with_public_facts(Programme.objects.filter(slug=slug), now).first()


def public_pages_change_at(now: datetime) -> datetime:
    """When the public pages next read differently by the clock alone, after ``now``.

    A call opens or closes (``open_call``, ``is_application_window_open``, the home page's
    "Bewerbung ab"), or a new day begins (a workshop is "vergangen"). One query.
    """
    upcoming = Cohort.objects.aggregate(
        opens=Min("application_opens_at", filter=Q(application_opens_at__gt=now)),
        closes=Min("application_deadline", filter=Q(application_deadline__gt=now)),
    )
    tomorrow = timezone.localtime(now).date() + timedelta(days=1)
    midnight = timezone.make_aware(datetime.combine(tomorrow, time.min))
    return min(moment for moment in [*upcoming.values(), midnight] if moment is not None)


def active_programme_count() -> int:
    """How many programmes the home page lists (more than one: it is a list of programmes)."""
    return Programme.objects.filter(
        Exists(Cohort.objects.filter(programme=OuterRef("pk"), state__in=ACTIVE_COHORT_STATES))
    ).count()


def cohorts_of_programme(*, programme: Programme) -> QuerySet[Cohort]:
    return (
        Cohort.objects.filter(programme=programme).select_related("programme").order_by("-number")
    )


def contacts_by_organisation(
    *, cohort: Cohort, organisation_ids: Iterable[int]
) -> dict[int, BeiratMembership]:
    """{organisation id: the equality officer who is the contact for its people in ``cohort``}.

    The chair before a member, then the earliest seat; organisations without a contact are
    left out. One query, whatever the number of organisations.
    """
    seats = (
        BeiratMembership.objects.for_cohort(cohort)
        .filter(organisation_id__in=set(organisation_ids), is_contact=True)
        .select_related("user", "organisation")
        .order_by("role", "pk")
    )
    contacts = {}
    for seat in seats:
        contacts.setdefault(seat.organisation_id, seat)
    return contacts


def contact_for(*, organisation: Organisation | None, cohort: Cohort) -> BeiratMembership | None:
    """The equality officer who is the contact for ``organisation``'s people in ``cohort``."""
    if organisation is None:
        return None
    return contacts_by_organisation(cohort=cohort, organisation_ids=[organisation.pk]).get(
        organisation.pk
    )
