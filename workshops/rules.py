"""Who sees workshops, records attendance and forms project teams.

Participants reach their own workshops and team through scoped querysets (404 for the
rest). For a cohort: the programme office and the Beirat chair see and record everyone;
an equality officer sees and records the people of her own administration(s). A recorded
"absent" is final for the Beirat: only the programme office turns it into "excused" (or
corrects it) afterwards, because that decision counts towards the certificate. Project
teams are formed by the programme office and the chair; an officer sees the teams in
which her people are.
"""

import rules

from cohorts.rules import can_use_admin, is_chair_of_cohort, is_officer, sits_on_cohort_beirat
from cohorts.selectors import officer_organisation_ids
from mentoring.rules import is_programme_office


@rules.predicate
def looks_after_participant(user, application):
    return application is not None and application.organisation_id in officer_organisation_ids(
        user=user
    )


@rules.predicate
def chairs_participants_cohort(user, application):
    return application is not None and is_chair_of_cohort(user, application.cohort)


# Object: a cohort.
rules.add_perm(
    "workshops.view_cohort_attendance",
    is_programme_office | is_chair_of_cohort | (is_officer & sits_on_cohort_beirat),
)
rules.add_perm(
    "workshops.view_cohort_teams",
    is_programme_office | is_chair_of_cohort | (is_officer & sits_on_cohort_beirat),
)
rules.add_perm("workshops.manage_teams", is_programme_office | is_chair_of_cohort)
# Object: an application (the participant whose attendance is recorded).
rules.add_perm(
    "workshops.record_attendance",
    is_programme_office | chairs_participants_cohort | (is_officer & looks_after_participant),
)
rules.add_perm("workshops.excuse_absence", is_programme_office)

rules.add_perm("workshops.view_workshop", can_use_admin)
for action in ("add", "change", "delete"):
    rules.add_perm(f"workshops.{action}_workshop", is_programme_office)

# The admin: officers read (scoped in each admin's queryset); the office changes.
for model in ("rsvp", "attendance", "projectteam"):
    rules.add_perm(f"workshops.view_{model}", can_use_admin)
    for action in ("add", "change", "delete"):
        rules.add_perm(f"workshops.{action}_{model}", is_programme_office)

# The certificate rule of a cohort: seen in the admin by officers, set by the office.
rules.add_perm("workshops.view_certificatepolicy", can_use_admin)
for action in ("add", "change", "delete"):
    rules.add_perm(f"workshops.{action}_certificatepolicy", is_programme_office)


# Certificates. Object: a certificate. The participant downloads her own valid one in
# the view; officers those of their administration; the chair her cohort's; the office all.
@rules.predicate
def looks_after_certificate_holder(user, certificate):
    return certificate is not None and looks_after_participant(user, certificate.application)


@rules.predicate
def chairs_certificate_cohort(user, certificate):
    return certificate is not None and chairs_participants_cohort(user, certificate.application)


rules.add_perm(
    "workshops.download_certificate",
    is_programme_office | chairs_certificate_cohort | (is_officer & looks_after_certificate_holder),
)
rules.add_perm("workshops.revoke_certificate", is_programme_office)
# Object: a cohort. "All certificates as one PDF" is for the office and the Beirat's chair.
rules.add_perm("workshops.print_certificates", is_programme_office | is_chair_of_cohort)
# The admin: the office looks certificates up by code and starts batches there.
for model in ("certificate", "certificatebatch"):
    rules.add_perm(f"workshops.view_{model}", is_programme_office)
rules.add_perm("workshops.add_certificatebatch", is_programme_office)
