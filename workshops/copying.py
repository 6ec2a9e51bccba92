"""The workshops' part of copying a cohort (see ``cohorts.copying``).

Taken over: the certificate rules and the workshops as templates, each on the same day
and month of the new cohort's year, with its times, venue and facilitators. Never copied:
registrations, attendance, project teams, certificates.
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cohorts.copying import Part, copied_fields, copy_rules, rules_and_count, shift_years

from .models import CertificatePolicy, Workshop

LEFT_OUT = (gettext_lazy("Anmeldungen, Anwesenheiten, Projektteams und Zertifikate"),)

WORKSHOP_FIELDS = copied_fields(Workshop)


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
    return _parts(*rules_and_count(CertificatePolicy, "workshops", source=source))


def copy(*, source, target, years):
    policy = copy_rules(CertificatePolicy, source=source, target=target)
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
    return _parts(policy, len(workshops))
