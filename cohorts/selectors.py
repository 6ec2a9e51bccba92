from django.db.models import Prefetch, Q
from django.utils import timezone

from .enums import BeiratRole, CohortState
from .models import BeiratMembership, Cohort, CohortOrganisation, Programme


def officer_organisation_ids(user):
    """The organisations whose people an officer looks after (memoised on the user)."""
    if not user.is_authenticated:
        return frozenset()
    cached = getattr(user, "_officer_organisation_ids", None)
    if cached is None:
        cached = frozenset(
            BeiratMembership.objects.filter(user=user).values_list("organisation_id", flat=True)
        )
        user._officer_organisation_ids = cached
    return cached


def chaired_cohort_filter(user):
    """A Q on Cohort for the cohorts whose Beirat this user chairs (directly or by programme)."""
    chair = BeiratMembership.objects.filter(user=user, role=BeiratRole.CHAIR)
    return Q(pk__in=chair.filter(cohort__isnull=False).values("cohort_id")) | Q(
        programme_id__in=chair.filter(programme__isnull=False).values("programme_id")
    )


def user_chairs_cohort(user, cohort):
    if not user.is_authenticated or cohort is None:
        return False
    return (
        BeiratMembership.objects.filter(user=user, role=BeiratRole.CHAIR)
        .filter(Q(cohort=cohort) | Q(programme_id=cohort.programme_id))
        .exists()
    )


def sees_whole_cohort(user, cohort):
    """The programme office and the cohort's chair see every participant of a cohort."""
    return user.is_programme_office or user_chairs_cohort(user, cohort)


def _contacts_prefetch(cohort):
    """Each organisation's contact persons for ``cohort``: cohort or programme memberships."""
    return Prefetch(
        "organisation__beirat_memberships",
        queryset=BeiratMembership.objects.filter(is_contact=True)
        .filter(Q(cohort=cohort) | Q(programme_id=cohort.programme_id))
        .select_related("user")
        .order_by("role", "user__last_name"),
        to_attr="contacts",
    )


def cohort_for_public_page(cohort):
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


def open_call(programme):
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


def programme_for_home():
    """The programme the public home page presents (the first one, by name)."""
    return Programme.objects.order_by("pk").first()


def cohorts_of_programme(programme):
    return (
        Cohort.objects.filter(programme=programme).select_related("programme").order_by("-number")
    )


def contact_for(organisation, cohort):
    """The equality officer who is the contact for ``organisation``'s people in ``cohort``."""
    if organisation is None:
        return None
    return (
        BeiratMembership.objects.filter(organisation=organisation, is_contact=True)
        .filter(Q(cohort=cohort) | Q(programme_id=cohort.programme_id))
        .select_related("user", "organisation")
        .order_by("role", "pk")
        .first()
    )
