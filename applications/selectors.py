from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import (
    Avg,
    BooleanField,
    Case,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from cohorts.enums import CohortState
from cohorts.models import Cohort, CohortOrganisation, Organisation
from cohorts.selectors import (
    AnyUser,
    chaired_cohort_filter,
    chairs_any_cohort,
    officer_organisation_ids,
    remember_seats,
    user_chairs_cohort,
)
from mentoring.enums import ConsentKind
from mentoring.models import Consent, User

from . import follow_ups
from .enums import ApplicationRole, ApplicationState, Decision
from .models import Application, FileAccess, Review


def applications_of(*, user: User) -> QuerySet[Application]:
    """The person's own applications, newest cohort first, for her status page."""
    return (
        Application.objects.filter(applicant=user)
        .select_related("cohort__programme", "organisation")
        .order_by("-cohort__start_date", "role")
    )


def follow_up_consent_in_force():
    """An expression on Application: its applicant's consent to follow-up questions is in
    force. With ``follow_ups.is_asked``, the one place that says who may be asked."""
    return Exists(
        Consent.objects.filter(
            user=OuterRef("applicant"), kind=ConsentKind.FOLLOW_UP, withdrawn_at__isnull=True
        )
    )


def follow_up_applications(*, queryset: QuerySet[Application] | None = None):
    """Of ``queryset``, the mentee applications asked the follow-up questions now: the
    participants and the comparison group, while the applicant's consent is in force."""
    queryset = Application.objects.all() if queryset is None else queryset
    return queryset.filter(
        follow_ups.asked_filter(), follow_up_consent_in_force(), applicant__is_active=True
    )


def careers_followed():
    """A Q on Application: the people whose careers the programme follows. Its participants,
    and of the comparison group those whose consent to the follow-up questions is in force
    now: without it, nobody keeps track of the career of someone who was not selected."""
    return follow_ups.asked_filter() & (
        Q(state=ApplicationState.ACCEPTED) | Q(follow_up_consent_in_force())
    )


def career_step_applications(*, user: AnyUser) -> QuerySet[Application]:
    """The applications ``user`` may record a career step for in the admin.

    Those of her own organisation(s) (the programme office: of every one) whose careers
    the programme follows (``careers_followed``).
    """
    queryset = Application.objects.filter(careers_followed())
    if not user.is_authenticated or not user.is_active:
        return queryset.none()
    if not user.is_programme_office:
        queryset = queryset.filter(organisation_id__in=officer_organisation_ids(user=user))
    return queryset


def career_steps_visible_to(*, user: AnyUser, queryset):
    """Of ``queryset`` (career steps), those of her own organisation's people; the office: all.

    Unlike the applications, a cohort's chair sees no other organisation's careers here.
    """
    if not user.is_authenticated or not user.is_active:
        return queryset.none()
    if user.is_programme_office:
        return queryset
    return queryset.filter(application__organisation_id__in=officer_organisation_ids(user=user))


def has_applications(*, user: AnyUser) -> bool:
    """Whether she ever applied, as mentee or mentor (memoised on her).

    Her tandems, workshops and certificates all hang on an application: the navigation
    asks this first and, for the officers who never applied, nothing more.
    """
    if not user.is_authenticated:
        return False
    cached = getattr(user, "_has_applications", None)
    if cached is None:
        cached = Application.objects.filter(applicant=user).exists()
        user._has_applications = cached
    return cached


def file_accesses_of(*, user: User) -> QuerySet[FileAccess]:
    """Who opened her CVs and letters, newest first, with the application each belongs to."""
    return (
        FileAccess.objects.filter(application__applicant=user)
        .select_related("application__cohort__programme")
        .order_by("-accessed_at", "-pk")
    )


def applications_visible_to(
    *, user: AnyUser, queryset: QuerySet[Application] | None = None
) -> QuerySet[Application]:
    """What an officer may see: her organisations' applications and her chaired cohorts'.

    The programme office sees everything. This is the one place the scope is written; the
    admin, downloads and exports all start from it.
    """
    queryset = Application.objects.all() if queryset is None else queryset
    if not user.is_authenticated or not user.is_active:
        return queryset.none()
    if user.is_programme_office:
        return queryset
    scope = Q(organisation_id__in=officer_organisation_ids(user=user))
    if chairs_any_cohort(user=user):
        scope |= Q(cohort__in=Cohort.objects.filter(chaired_cohort_filter(user=user)))
    return queryset.filter(scope)


def _others_reviews_visible(user):
    """The rule "may see the other reviewers' scores and comments", as an expression on Application.

    The programme office always. Everyone else, the Beirat's chair included, once she has
    scored the application herself, where the cohort says so
    (``Cohort.reviews_hidden_until_own``): each member judges first without being swayed.
    This is the only place the rule is written; the application's page, the list's score
    column and the CSV export all read it (``annotate_review_summary``,
    ``sees_others_reviews``).
    """
    if user.is_programme_office:
        return Value(True, output_field=BooleanField())
    own = Review.objects.filter(application=OuterRef("pk"), reviewer_id=user.pk)
    return ExpressionWrapper(
        Q(cohort__reviews_hidden_until_own=False) | Q(Exists(own)), output_field=BooleanField()
    )


def annotate_review_summary(
    *, queryset: QuerySet[Application], user: User
) -> QuerySet[Application]:
    """``queryset`` of applications with what ``user`` may know of their reviews.

    - ``review_count``: how many reviews there are (not secret: it says nothing of them);
    - ``others_reviews_visible``: whether she may see the others' scores and comments;
    - ``review_mean``: the mean of all reviews' means, only where she may see them, else None;
    - ``own_score``: the mean of her own review, or None.

    Correlated subqueries, not JOIN + GROUP BY: the database evaluates them only for the
    page shown, and the paginator's count can leave them out (10 000 rows: the GROUP BY
    made the list ~20x slower, see bench/).
    """
    reviews = Review.objects.filter(application=OuterRef("pk")).order_by().values("application")
    own = Review.objects.filter(application=OuterRef("pk"), reviewer_id=user.pk)
    queryset = queryset.annotate(
        review_count=Coalesce(Subquery(reviews.annotate(count=Count("pk")).values("count")), 0),
        others_reviews_visible=_others_reviews_visible(user),
        own_score=Subquery(own.values("mean_score")[:1]),
        all_reviews_mean=Subquery(reviews.annotate(mean=Avg("mean_score")).values("mean")),
    )
    # Hidden means are not even sortable: ordering by them would give the ranking away.
    return queryset.annotate(
        review_mean=Case(When(others_reviews_visible=True, then=F("all_reviews_mean")))
    )


def sees_others_reviews(*, user: User, application: Application) -> bool:
    """Whether ``user`` may see the others' scores and comments on ``application``.

    Reads the annotation when ``application`` came from ``annotate_review_summary``;
    otherwise asks the database the same rule (one query).
    """
    visible = getattr(application, "others_reviews_visible", None)
    if visible is None:
        visible = (
            Application.objects.filter(pk=application.pk)
            .annotate(visible=_others_reviews_visible(user))
            .values_list("visible", flat=True)
            .first()
        )
    return bool(visible)


def reviews_visible_to(
    *, user: User, application: Application
) -> tuple[Review | None, list[Review], int]:
    """(own review, others' reviews, number of reviews) as this user may see them.

    The others' reviews are empty where ``sees_others_reviews`` says so.
    """
    reviews = list(application.reviews.select_related("reviewer").order_by("created_at"))
    own = next((review for review in reviews if review.reviewer_id == user.pk), None)
    others = [review for review in reviews if review.reviewer_id != user.pk]
    if others and not sees_others_reviews(user=user, application=application):
        others = []
    return own, others, len(reviews)


def takes_a_seat() -> Q:
    """A Q on Application: accepted, or with an acceptance recorded but not yet released."""
    return Q(state=ApplicationState.ACCEPTED) | Q(pending_decision=Decision.ACCEPTED)


@dataclass(frozen=True)
class SeatCount:
    """One organisation's seats of one role in a cohort and how many are taken."""

    seats: int
    accepted: int
    pending: int

    @property
    def taken(self):
        return self.accepted + self.pending

    @property
    def full(self):
        return self.taken >= self.seats


@dataclass(frozen=True)
class SeatUsage:
    organisation: Organisation
    mentee: SeatCount
    mentor: SeatCount

    @property
    def counts(self):
        """Mentees first, then mentors: the order of the table's columns."""
        return (self.mentee, self.mentor)

    def for_role(self, role):
        return self.mentor if role == ApplicationRole.MENTOR else self.mentee


def seat_usage(*, cohort: Cohort) -> list[SeatUsage]:
    """Per participating organisation of ``cohort``: seats, accepted and pending acceptances.

    Mentees and mentors apart, organisations by name. Two queries whatever the number of
    organisations and applications.
    """
    counts = {
        (row["organisation_id"], row["role"]): row
        for row in Application.objects.filter(cohort=cohort)
        .filter(takes_a_seat())
        .order_by()
        .values("organisation_id", "role")
        .annotate(
            accepted=Count("pk", filter=Q(state=ApplicationState.ACCEPTED)),
            pending=Count("pk", filter=Q(pending_decision=Decision.ACCEPTED)),
        )
    }

    def count(participation, role, seats):
        row = counts.get((participation.organisation_id, role), {})
        return SeatCount(
            seats=seats, accepted=row.get("accepted", 0), pending=row.get("pending", 0)
        )

    participations = (
        CohortOrganisation.objects.filter(cohort=cohort)
        .select_related("organisation")
        .order_by("organisation__name")
    )
    return [
        SeatUsage(
            organisation=participation.organisation,
            mentee=count(participation, ApplicationRole.MENTEE, participation.mentee_seats),
            mentor=count(participation, ApplicationRole.MENTOR, participation.mentor_seats),
        )
        for participation in participations
    ]


# What needs an officer now: the start page counts these, the admin list filters by them.


def awaiting_review_by(
    *, user: User, queryset: QuerySet[Application] | None = None
) -> QuerySet[Application]:
    """Applications under review that ``user`` may see and has not scored yet."""
    return (
        applications_visible_to(user=user, queryset=queryset)
        .filter(state__in=ApplicationState.under_review())
        .exclude(reviews__reviewer=user)
    )


def unscored_counts(*, cohorts: Iterable[Cohort], users: Iterable[User]) -> Counter:
    """{(cohort id, user id): applications under review she may see and has not scored}.

    What ``awaiting_review_by`` counts, for many people and cohorts at once: the scope of
    ``applications_visible_to`` (the programme office everything, an officer her
    organisations' applications, a chair her cohort's), applied to the rows here. Four
    queries, whatever the number of people, cohorts and applications.
    """
    cohorts, users = list(cohorts), [user for user in users if user.is_active]
    remember_seats(users=users)
    under_review = ApplicationState.under_review()
    applications = Application.objects.filter(cohort__in=cohorts, state__in=under_review)
    rows = list(applications.order_by().values_list("pk", "cohort_id", "organisation_id"))
    scored = set(
        Review.objects.filter(application__in=applications, reviewer__in=users).values_list(
            "application_id", "reviewer_id"
        )
    )
    counts = Counter()
    for user in users:
        organisations = officer_organisation_ids(user=user)
        whole = {
            cohort.pk
            for cohort in cohorts
            if user.is_programme_office or user_chairs_cohort(user=user, cohort=cohort)
        }
        for pk, cohort_id, organisation_id in rows:
            sees = cohort_id in whole or organisation_id in organisations
            if sees and (pk, user.pk) not in scored:
                counts[cohort_id, user.pk] += 1
    return counts


def awaiting_decision(
    *, user: User, queryset: QuerySet[Application] | None = None
) -> QuerySet[Application]:
    """Scored applications under review that ``user`` may see, without a recorded decision."""
    return (
        applications_visible_to(user=user, queryset=queryset)
        .filter(state__in=ApplicationState.under_review(), pending_decision="")
        .filter(Exists(Review.objects.filter(application=OuterRef("pk"))))
    )


def awaiting_interview(
    *, user: User, queryset: QuerySet[Application] | None = None
) -> QuerySet[Application]:
    """Mentees in programmes that interview everyone, still to be invited."""
    return applications_visible_to(user=user, queryset=queryset).filter(
        role=ApplicationRole.MENTEE,
        cohort__programme__interview_required=True,
        state__in=[ApplicationState.SUBMITTED, ApplicationState.IN_REVIEW],
    )


def awaiting_release(
    *, user: User, queryset: QuerySet[Application] | None = None
) -> QuerySet[Application]:
    """Recorded decisions not yet sent, in the cohorts whose release ``user`` may start."""
    queryset = Application.objects.all() if queryset is None else queryset
    if not user.is_programme_office:
        queryset = queryset.filter(
            cohort__in=Cohort.objects.filter(chaired_cohort_filter(user=user))
        )
    return queryset.filter(state__in=ApplicationState.under_review()).exclude(pending_decision="")


def decisions_to_release(*, cohort: Cohort) -> QuerySet[Application]:
    """The cohort's recorded decisions not yet sent: what releasing its decisions sends."""
    return Application.objects.filter(
        cohort=cohort, state__in=ApplicationState.under_review()
    ).exclude(pending_decision="")


def nomination_organisations(*, user: User) -> QuerySet[Organisation]:
    """The administrations whose people ``user`` may propose as mentors: her own ones.

    The programme office proposes for every organisation.
    """
    organisations = Organisation.objects.order_by("name")
    if user.is_programme_office:
        return organisations
    return organisations.filter(pk__in=officer_organisation_ids(user=user))


def nomination_cohorts() -> QuerySet[Cohort]:
    """The cohorts a mentor can still be proposed for: those not yet running or over."""
    return Cohort.objects.select_related("programme").exclude(
        state__in=[CohortState.RUNNING, CohortState.FINISHED]
    )


# Name (as the admin list's filter calls it) → the selector behind it.
TASKS = {
    "bewertung": awaiting_review_by,
    "entscheidung": awaiting_decision,
    "gespraech": awaiting_interview,
    "versand": awaiting_release,
}
