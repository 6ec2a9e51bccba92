"""The applications' part of copying a cohort (see ``cohorts.copying``).

Taken over: the eligibility rules and the review criteria. The topic catalogue belongs to
the programme, so the new cohort has it already. Never copied: applications, reviews,
decisions and their log, career steps.
"""

from django.db.models import Count, Exists, OuterRef
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cohorts.copying import Part
from cohorts.models import Cohort

from .models import EligibilityPolicy, ReviewCriterion

LEFT_OUT = (gettext_lazy("Bewerbungen, Bewertungen und Entscheidungen"),)

# Everything of the policy but its key and its cohort.
POLICY_FIELDS = [
    field.name
    for field in EligibilityPolicy._meta.concrete_fields
    if field.name not in ("id", "cohort")
]


def _parts(policy, criteria):
    parts = []
    if policy:
        parts.append(Part(_("Zulassungsvoraussetzungen")))
    if criteria:
        parts.append(Part(_("Bewertungskriterien"), criteria))
    return parts


def preview(*, source):
    counts = (
        Cohort.objects.filter(pk=source.pk)
        .annotate(
            has_policy=Exists(EligibilityPolicy.objects.filter(cohort=OuterRef("pk"))),
            criteria=Count("review_criteria"),
        )
        .values("has_policy", "criteria")
        .get()
    )
    return _parts(counts["has_policy"], counts["criteria"])


def copy(*, source, target, years):
    policy = EligibilityPolicy.objects.filter(cohort=source).values(*POLICY_FIELDS).first()
    if policy is not None:
        EligibilityPolicy.objects.create(cohort=target, **policy)
    criteria = ReviewCriterion.objects.bulk_create(
        [
            ReviewCriterion(cohort=target, name=criterion.name, position=criterion.position)
            for criterion in source.review_criteria.all()
        ]
    )
    return _parts(policy is not None, len(criteria))
