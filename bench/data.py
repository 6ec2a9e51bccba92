"""Bulk data for the bench: many submitted applications across the demo's administrations."""

import datetime as dt

from django.db import connection, transaction
from django.utils import timezone

from applications.enums import ApplicationRole, ApplicationState, EligibilityOutcome
from applications.models import Application
from cohorts.models import Cohort
from mentoring.models import User


@transaction.atomic
def seed_applications(count):
    """Tops the open demo cohort up to ``count`` submitted applications (idempotent)."""
    cohort = Cohort.objects.get(number=9)
    existing = Application.objects.filter(cohort=cohort).count()
    if existing >= count:
        return
    organisations = list(cohort.organisations.order_by("pk"))
    missing = count - existing
    users = User.objects.bulk_create(
        User(
            email=f"bench-{existing + n}@example.org",
            first_name="Bewerberin",
            last_name=f"Nummer {existing + n}",
            password="!",  # noqa: S106 -- unusable
        )
        for n in range(missing)
    )
    now = timezone.now()
    outcomes = list(EligibilityOutcome.values)
    Application.objects.bulk_create(
        Application(
            cohort=cohort,
            applicant=user,
            role=ApplicationRole.MENTEE if n % 4 else ApplicationRole.MENTOR,
            state=ApplicationState.SUBMITTED,
            organisation=organisations[n % len(organisations)],
            department="Fachbereich",
            position_title="Sachgebietsleitung",
            pay_scale="A",
            pay_grade="11",
            eligibility_outcome=outcomes[n % len(outcomes)],
            submitted_at=now - dt.timedelta(minutes=n),
        )
        for n, user in enumerate(users)
    )
    with connection.cursor() as cursor:
        # Fresh statistics, as autovacuum would have them on a live system.
        cursor.execute("ANALYZE mentoring_user, applications_application")


@transaction.atomic
def seed_matching_cohort(count):
    """A cohort (number 90) with ``count`` accepted mentees and mentors, for the proposal page."""
    from cohorts.enums import CohortState
    from cohorts.models import CohortOrganisation

    template = Cohort.objects.get(number=9)
    cohort, created = Cohort.objects.get_or_create(
        programme=template.programme,
        number=90,
        defaults={
            "year": template.year,
            "title": "Bench",
            "application_opens_at": template.application_opens_at,
            "application_deadline": template.application_deadline,
            "start_date": template.start_date,
            "end_date": template.end_date,
            "state": CohortState.SELECTION,
        },
    )
    if not created:
        return cohort
    organisations = list(template.organisations.order_by("pk"))
    CohortOrganisation.objects.bulk_create(
        CohortOrganisation(cohort=cohort, organisation=organisation)
        for organisation in organisations
    )
    users = User.objects.bulk_create(
        User(email=f"bench-m-{n}@example.org", first_name="Person", last_name=f"{n}", password="!")  # noqa: S106
        for n in range(2 * count)
    )
    Application.objects.bulk_create(
        Application(
            cohort=cohort,
            applicant=user,
            role=ApplicationRole.MENTEE if n < count else ApplicationRole.MENTOR,
            state=ApplicationState.ACCEPTED,
            organisation=organisations[n % len(organisations)],
            leadership_level="office" if n >= count else "",
            submitted_at=timezone.now(),
        )
        for n, user in enumerate(users)
    )
    return cohort
