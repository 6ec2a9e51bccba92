"""A new cohort from an earlier one: its set-up copied, none of its people's data.

Setting up a cohort by hand means adding every participating organisation, then the
rules, criteria and workshops on pages of their own. Copying the previous cohort does it in
one step, and each app copies what it keeps itself: every module named in
``settings.COHORT_COPY_PROVIDERS`` may offer

- ``preview(*, source)``: what a copy of ``source`` takes over, as a list of ``Part``, with
  a fixed number of queries;
- ``copy(*, source, target, years)``: copies that onto the new cohort ``target``, dates
  moved by ``years``, and returns the same list for what it copied;
- ``LEFT_OUT``: what it never copies (applications, tandems, registrations, …), to say so.

This module is the cohorts' own provider too (organisations with their seats, Beirat seats
of the cohort). Settings name the providers so that cohorts imports no app above it.
"""

import datetime as dt
from dataclasses import dataclass
from importlib import import_module

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count, Exists, OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from .enums import CohortState
from .models import BeiratMembership, Cohort, CohortOrganisation


@dataclass(frozen=True)
class Part:
    """One kind of thing a copy takes over: "teilnehmende Organisationen", 13."""

    label: str
    count: int | None = None  # None: a single set of rules, copied or not there

    def __str__(self):
        return self.label if self.count is None else f"{self.label}: {self.count}"


class CohortCopyError(Exception):
    """A copy that cannot be made; ``field`` names the form field it concerns."""

    def __init__(self, message, field=None):
        super().__init__(message)
        self.field = field


def _providers():
    return [import_module(path) for path in settings.COHORT_COPY_PROVIDERS]


def shift_years(value, years):
    """``value`` (a date, or a datetime in German time) ``years`` later; 29 Feb becomes 28."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value)
    try:
        return value.replace(year=value.year + years)
    except ValueError:
        return value.replace(year=value.year + years, day=28)


def copied_fields(model):
    """The fields a copy takes over of a cohort's own row: all but its key and its cohort."""
    return [
        field.name for field in model._meta.concrete_fields if field.name not in ("id", "cohort")
    ]


def copy_rules(model, *, source, target):
    """Copies ``source``'s row of ``model`` (rules or settings a cohort has one of, or none)
    to ``target``; says whether there was one."""
    rules = model.objects.filter(cohort=source).values(*copied_fields(model)).first()
    if rules is not None:
        model.objects.create(cohort=target, **rules)
    return rules is not None


def rules_and_count(model, related, *, source):
    """Whether ``source`` has a row of ``model``, and how many ``related`` it has: one query."""
    counts = (
        Cohort.objects.filter(pk=source.pk)
        .annotate(
            has_rules=Exists(model.objects.filter(cohort=OuterRef("pk"))),
            related_count=Count(related),
        )
        .values("has_rules", "related_count")
        .get()
    )
    return counts["has_rules"], counts["related_count"]


def initial_for(source):
    """What the form proposes for the cohort after ``source``: next number, a year later."""
    year = source.year + 1
    title = source.title.replace(str(source.year), str(year)) if source.title else ""
    return {
        "number": source.number + 1,
        "year": year,
        "title": title,
        "application_opens_at": shift_years(source.application_opens_at, 1),
        "application_deadline": shift_years(source.application_deadline, 1),
        "start_date": shift_years(source.start_date, 1),
        "end_date": shift_years(source.end_date, 1),
        "selection_date": shift_years(source.selection_date, 1),
    }


def copy_sources():
    """The newest cohort of each programme: where a new one usually starts from."""
    newest = Cohort.objects.filter(programme=OuterRef("programme")).order_by("-number")
    return (
        Cohort.objects.filter(pk=Subquery(newest.values("pk")[:1]))
        .select_related("programme")
        .order_by("programme__name")
    )


def copy_preview(*, source):
    """What a copy of ``source`` takes over, from every provider (a fixed number of queries)."""
    return [part for provider in _providers() for part in provider.preview(source=source)]


def copy_left_out():
    """What a copy never takes over, from every provider."""
    return [str(label) for provider in _providers() for label in getattr(provider, "LEFT_OUT", ())]


def preview(*, source):
    """The cohorts' part of a copy: organisations with their seats, the cohort's Beirat."""
    counts = Cohort.objects.filter(pk=source.pk).aggregate(
        organisations=Count("participations", distinct=True),
        seats=Count(
            "beirat_memberships",
            filter=Q(beirat_memberships__user__is_active=True),
            distinct=True,
        ),
    )
    return _parts(counts["organisations"], counts["seats"])


def _parts(organisations, seats):
    parts = []
    if organisations:
        parts.append(Part(_("teilnehmende Organisationen mit ihren Plätzen"), organisations))
    if seats:
        parts.append(Part(_("Sitze im Mentoringbeirat dieses Jahrgangs"), seats))
    return parts


def copy(*, source, target, years):
    """Copies the participating organisations with their seats and the cohort's Beirat.

    Seats of people whose account is deactivated are left out; seats for the whole
    programme need no copy, they hold for every cohort.
    """
    participations = CohortOrganisation.objects.bulk_create(
        [
            CohortOrganisation(
                cohort=target,
                organisation_id=participation.organisation_id,
                mentee_seats=participation.mentee_seats,
                mentor_seats=participation.mentor_seats,
            )
            for participation in source.participations.all()
        ]
    )
    seats = BeiratMembership.objects.bulk_create(
        [
            BeiratMembership(
                user_id=seat.user_id,
                organisation_id=seat.organisation_id,
                cohort=target,
                role=seat.role,
                function_title=seat.function_title,
                is_contact=seat.is_contact,
            )
            for seat in source.beirat_memberships.filter(user__is_active=True)
        ]
    )
    return _parts(len(participations), len(seats))


def cohort_copy(
    *,
    source,
    number,
    year,
    title,
    application_opens_at,
    application_deadline,
    start_date,
    end_date,
    selection_date=None,
):
    """Creates cohort ``number`` of ``source``'s programme with ``source``'s set-up.

    The new cohort is "in Planung", with ``source``'s duration, reminders and review
    setting and the dates given; every provider then copies its part, dates moved by the
    difference of the years. Nobody's application, tandem, registration or certificate is
    copied. All or nothing; sends nothing. Returns the cohort and the list of ``Part``
    copied; raises ``CohortCopyError`` (at ``number``) when the number is taken.
    """
    taken = CohortCopyError(
        _("Den %(number)s. Jahrgang gibt es in diesem Programm schon.") % {"number": number},
        field="number",
    )
    if Cohort.objects.filter(programme_id=source.programme_id, number=number).exists():
        raise taken
    try:
        with transaction.atomic():
            target = Cohort.objects.create(
                programme_id=source.programme_id,
                number=number,
                year=year,
                title=title,
                application_opens_at=application_opens_at,
                application_deadline=application_deadline,
                start_date=start_date,
                end_date=end_date,
                selection_date=selection_date,
                state=CohortState.PLANNED,
                duration_months=source.duration_months,
                reviews_hidden_until_own=source.reviews_hidden_until_own,
                review_reminder_days=source.review_reminder_days,
                contact_reminder_day=source.contact_reminder_day,
            )
            parts = [
                part
                for provider in _providers()
                for part in provider.copy(source=source, target=target, years=year - source.year)
            ]
    except IntegrityError:
        # Someone else created the same number in the same moment.
        if Cohort.objects.filter(programme_id=source.programme_id, number=number).exists():
            raise taken from None
        raise
    return target, parts
