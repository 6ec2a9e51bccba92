from django.db.models import Q

from applications.models import Application
from cohorts.selectors import officer_organisation_ids, user_chairs_cohort

from .models import MatchingRun, PairConstraint, Tandem

PAIR_PEOPLE = [
    "mentee__applicant",
    "mentee__organisation",
    "mentor__applicant",
    "mentor__organisation",
]


def runs_of(cohort):
    return MatchingRun.objects.filter(cohort=cohort).select_related("created_by", "published_by")


def run_detail(run, page_number=1, per_page=100):
    """A page of the run's pairs with both people, and its unmatched mentees."""
    from django.core.paginator import Paginator

    pairs = Paginator(
        run.pairs.select_related(*PAIR_PEOPLE).order_by("-score", "pk"), per_page
    ).get_page(page_number)
    ids = [entry["mentee"] for entry in run.unmatched]
    people = Application.objects.select_related("applicant", "organisation").in_bulk(ids)
    unmatched = [
        {"application": people[entry["mentee"]], "reason": entry["reason"]}
        for entry in run.unmatched
        if entry["mentee"] in people
    ]
    return pairs, unmatched


def constraints_of(cohort):
    return PairConstraint.objects.filter(cohort=cohort).select_related(*PAIR_PEOPLE)


def tandems_visible_to(user, cohort):
    """All tandems for the programme office and the chair; an officer, her people's."""
    tandems = Tandem.objects.filter(cohort=cohort).select_related(*PAIR_PEOPLE, "goal_agreement")
    if user.is_programme_office:
        return tandems
    if user_chairs_cohort(user, cohort):
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
