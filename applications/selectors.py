from django.db.models import Q

from cohorts.selectors import chaired_cohort_filter, officer_organisation_ids

from .models import Application


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
    from cohorts.models import Cohort

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
