"""The workshops' part of copying a cohort (see ``cohorts.copying``).

Taken over: the certificate rules and the workshops as templates, each on the same day
and month of the new cohort's year, with its times, venue and facilitators. Never copied:
registrations, attendance, project teams, certificates.
"""

from django.db.models import Count, Exists, OuterRef
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cohorts.copying import Part, shift_years
from cohorts.models import Cohort

from .models import CertificatePolicy, Workshop

LEFT_OUT = (gettext_lazy("Anmeldungen, Anwesenheiten, Projektteams und Zertifikate"),)

POLICY_FIELDS = [
    field.name
    for field in CertificatePolicy._meta.concrete_fields
    if field.name not in ("id", "cohort")
]
WORKSHOP_FIELDS = [
    field.name for field in Workshop._meta.concrete_fields if field.name not in ("id", "cohort")
]


def _parts(policy, workshops):
    parts = []
    if workshops:
        parts.append(
            Part(_("Workshops (Daten ins neue Jahr verschoben, ohne Anmeldungen)"), workshops)
        )
    if policy:
        parts.append(Part(_("Zertifikatsregel")))
    return parts


def preview(*, source):
    counts = (
        Cohort.objects.filter(pk=source.pk)
        .annotate(
            has_policy=Exists(CertificatePolicy.objects.filter(cohort=OuterRef("pk"))),
            workshop_count=Count("workshops"),
        )
        .values("has_policy", "workshop_count")
        .get()
    )
    return _parts(counts["has_policy"], counts["workshop_count"])


def copy(*, source, target, years):
    policy = CertificatePolicy.objects.filter(cohort=source).values(*POLICY_FIELDS).first()
    if policy is not None:
        CertificatePolicy.objects.create(cohort=target, **policy)
    workshops = Workshop.objects.bulk_create(
        [
            Workshop(
                cohort=target,
                **{
                    **{name: getattr(workshop, name) for name in WORKSHOP_FIELDS},
                    "date": shift_years(workshop.date, years),
                },
            )
            for workshop in source.workshops.order_by("date", "start_time", "pk")
        ]
    )
    return _parts(policy is not None, len(workshops))
