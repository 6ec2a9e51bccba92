"""The applications' part of copying a cohort (see ``cohorts.copying``).

Taken over: the eligibility rules and the review criteria. The topic catalogue belongs to
the programme, so the new cohort has it already. Never copied: applications, reviews,
decisions and their log, career steps.
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cohorts.copying import Part, copy_rules, rules_and_count

from .models import EligibilityPolicy, ReviewCriterion

LEFT_OUT = (gettext_lazy("Bewerbungen, Bewertungen und Entscheidungen"),)


def _parts(policy, criteria):
    parts = []
    if policy:
        parts.append(Part(_("Zulassungsvoraussetzungen")))
    if criteria:
        parts.append(Part(_("Bewertungskriterien"), criteria))
    return parts


def preview(*, source):
    return _parts(*rules_and_count(EligibilityPolicy, "review_criteria", source=source))


def copy(*, source, target, years):
    policy = copy_rules(EligibilityPolicy, source=source, target=target)
    criteria = ReviewCriterion.objects.bulk_create(
        [
            ReviewCriterion(cohort=target, name=criterion.name, position=criterion.position)
            for criterion in source.review_criteria.all()
        ]
    )
    return _parts(policy, len(criteria))
