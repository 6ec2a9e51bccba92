from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q

from cohorts.models import Cohort, CohortOrganisation, Organisation
from cohorts.selectors import chaired_cohort_filter, officer_organisation_ids

from .enums import ApplicationRole, ApplicationState, Decision
from .models import Application, Review


def applications_of(user):
    """The person's own applications, newest cohort first, for her status page."""
    return (
        Application.objects.filter(applicant=user)
        .select_related("cohort__programme", "organisation")
        .order_by("-cohort__start_date", "role")
    )


def applications_visible_to(user, queryset=None):
    """What an officer may see: her organisations' applications and her chaired cohorts'.

    The programme office sees everything. This is the one place the scope is written; the
    admin, downloads and exports all start from it.
    """
    queryset = Application.objects.all() if queryset is None else queryset
    if not user.is_authenticated or not user.is_active:
        return queryset.none()
    if user.is_programme_office:
        return queryset
    chaired = Cohort.objects.filter(chaired_cohort_filter(user))
    return queryset.filter(
        Q(organisation_id__in=officer_organisation_ids(user)) | Q(cohort__in=chaired)
    )


def reviews_visible_to(user, application):
    """(own review, others' reviews, number of reviews) as this user may see them.

    Where the cohort says so, a Beirat member sees the others' scores only after she has
    scored herself, so that she judges first without being swayed.
    """
    reviews = list(application.reviews.select_related("reviewer").order_by("created_at"))
    own = next((review for review in reviews if review.reviewer_id == user.pk), None)
    others = [review for review in reviews if review.reviewer_id != user.pk]
    if application.cohort.reviews_hidden_until_own and own is None and not user.is_programme_office:
        others = []
    return own, others, len(reviews)


def takes_a_seat():
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


def seat_usage(*, cohort):
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


def awaiting_review_by(user, queryset=None):
    """Applications under review that ``user`` may see and has not scored yet."""
    return (
        applications_visible_to(user, queryset)
        .filter(state__in=ApplicationState.under_review())
        .exclude(reviews__reviewer=user)
    )


def awaiting_decision(user, queryset=None):
    """Scored applications under review that ``user`` may see, without a recorded decision."""
    return (
        applications_visible_to(user, queryset)
        .filter(state__in=ApplicationState.under_review(), pending_decision="")
        .filter(Exists(Review.objects.filter(application=OuterRef("pk"))))
    )


def awaiting_interview(user, queryset=None):
    """Mentees in programmes that interview everyone, still to be invited."""
    return applications_visible_to(user, queryset).filter(
        role=ApplicationRole.MENTEE,
        cohort__programme__interview_required=True,
        state__in=[ApplicationState.SUBMITTED, ApplicationState.IN_REVIEW],
    )


def awaiting_release(user, queryset=None):
    """Recorded decisions not yet sent, in the cohorts whose release ``user`` may start."""
    queryset = Application.objects.all() if queryset is None else queryset
    if not user.is_programme_office:
        queryset = queryset.filter(cohort__in=Cohort.objects.filter(chaired_cohort_filter(user)))
    return queryset.filter(state__in=ApplicationState.under_review()).exclude(pending_decision="")


# Name (as the admin list's filter calls it) → the selector behind it.
TASKS = {
    "bewertung": awaiting_review_by,
    "entscheidung": awaiting_decision,
    "gespraech": awaiting_interview,
    "versand": awaiting_release,
}
