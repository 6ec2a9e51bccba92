"""Retention and erasure for the Beirat (see ``mentoring.retention``).

Programmes, cohorts and organisations hold no personal data; a Beirat seat does. Also
the one place that writes a cohort's title as the erasure log keeps it, and that counts
the other apps' due and erased rows per cohort (``pending_per_cohort``,
``locked_per_cohort``, ``erased_per_cohort``).
"""

from django.db.models import Count
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mentoring.retention import Erased, Line, Pending

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


def pending_per_cohort(queryset, kind, *, until, prefix="cohort__"):
    """``Pending`` rows of ``kind``: ``queryset``'s rows (annotated with ``due_on``) due on
    or before ``until``, counted per cohort (at ``prefix``) and day, in one query."""
    rows = (
        queryset.filter(due_on__lte=until)
        .order_by()
        .values(*cohort_fields(prefix), "due_on")
        .annotate(count=Count("pk"))
    )
    return [Pending(kind, cohort_text(row, prefix), row["due_on"], row["count"]) for row in rows]


def locked_per_cohort(queryset, *, prefix="cohort__", skip_locked=False):
    """``{primary key: cohort title}`` of ``queryset``'s rows, locked (only the rows
    themselves; with ``skip_locked``, without those another transaction holds)."""
    fields = cohort_fields(prefix)
    rows = queryset.select_for_update(of=("self",), skip_locked=skip_locked).values_list(
        "pk", *fields
    )
    return {pk: cohort_text(dict(zip(fields, rest, strict=True)), prefix) for pk, *rest in rows}


def erased_per_cohort(kind, counts):
    """``Erased`` rows of ``kind`` from ``counts``, ``{cohort title: rows}`` (a Counter)."""
    return [Erased(kind, cohort, count) for cohort, count in counts.items()]


def person_summary(*, user):
    seats = BeiratMembership.objects.filter(user=user).count()
    return [Line(_("Sitze im Mentoringbeirat"), seats, _("werden gelöscht"))] if seats else []


def erase_person(*, user, actor):
    seats = BeiratMembership.objects.filter(user=user).delete()[0]
    return [Erased("beirat_membership", "", seats)]
