"""Retention and erasure for the Beirat (see ``mentoring.retention``).

Programmes, cohorts and organisations hold no personal data; a Beirat seat does. Also
the one place that writes a cohort's title as the erasure log keeps it.
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mentoring.retention import Erased, Line

from .models import BeiratMembership

KINDS = {"beirat_membership": gettext_lazy("Sitze im Mentoringbeirat")}


def cohort_fields(prefix="cohort__"):
    """The fields ``cohort_text`` reads, for ``values()`` at ``prefix``."""
    return [f"{prefix}programme__name", f"{prefix}number", f"{prefix}year"]


def cohort_text(row, prefix="cohort__"):
    """A cohort's title as ``str(cohort)`` writes it, from a ``values()`` row."""
    return (
        f"{row[f'{prefix}programme__name']} – {row[f'{prefix}number']}. Jahrgang "
        f"({row[f'{prefix}year']})"
    )


def person_summary(*, user):
    seats = BeiratMembership.objects.filter(user=user).count()
    return [Line(_("Sitze im Mentoringbeirat"), seats, _("werden gelöscht"))] if seats else []


def erase_person(*, user, actor):
    seats = BeiratMembership.objects.filter(user=user).delete()[0]
    return [Erased("beirat_membership", "", seats)]
