"""Bulk data for the bench: many submitted applications across the demo's administrations."""

import datetime as dt

from django.db import connection, transaction
from django.utils import timezone

from applications.enums import ApplicationRole, ApplicationState, EligibilityOutcome
from applications.models import Application
from cohorts.models import Cohort
from mentoring.models import User


@transaction.atomic
def open_demo_cohort():
    """The demo's open Emscher-Lippe call: the cohort the bench's cohorts are modelled on."""
    from cohorts.demo import EMSCHER_LIPPE
    from cohorts.enums import CohortState

    return Cohort.objects.get(programme__slug=EMSCHER_LIPPE, state=CohortState.OPEN)


def seed_applications(count):
    """Tops the open demo cohort up to ``count`` submitted applications (idempotent)."""
    cohort = open_demo_cohort()
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

    template = open_demo_cohort()
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


def _bench_cohort(number, *, title, start, end, state):
    """(cohort, organisations) for a bench cohort modelled on the demo's 9th; None if it exists.

    Creates the cohort with the 9th's administrations; an existing cohort ``number`` is
    returned as ``(cohort, None)`` so that seeding stays idempotent.
    """
    from cohorts.models import CohortOrganisation

    template = open_demo_cohort()
    cohort, created = Cohort.objects.get_or_create(
        programme=template.programme,
        number=number,
        defaults={
            "year": start.year,
            "title": title,
            "application_opens_at": template.application_opens_at - dt.timedelta(days=800),
            "application_deadline": template.application_deadline - dt.timedelta(days=800),
            "start_date": start,
            "end_date": end,
            "state": state,
        },
    )
    if not created:
        return cohort, None
    organisations = list(template.organisations.order_by("pk"))
    CohortOrganisation.objects.bulk_create(
        CohortOrganisation(cohort=cohort, organisation=organisation)
        for organisation in organisations
    )
    return cohort, organisations


@transaction.atomic
def seed_tandem_cohort(number, count, *, months=12, quiet_every=50, silent_every=20):
    """A running cohort ``number`` with ``count`` tandems and a contact in every past month.

    Every ``silent_every``-th tandem has no contact yet this month, every ``quiet_every``-th
    none in the last two months either. The cohort started ``months - 1`` months ago, so
    this month is its last. Idempotent: an existing cohort is returned as it is.
    """
    from cohorts.enums import CohortState
    from mentoring.months import add_months, month_end
    from tandems.enums import ContactFormat
    from tandems.models import Contact, GoalAgreement, Tandem

    today = timezone.localdate()
    start = add_months(today, 1 - months)
    cohort, organisations = _bench_cohort(
        number,
        title=f"Bench {count} Tandems",
        start=start,
        end=month_end(today),
        state=CohortState.RUNNING,
    )
    if organisations is None:
        return cohort
    users = User.objects.bulk_create(
        User(
            email=f"bench-t{number}-{n}@example.org",
            first_name="Person",
            last_name=f"{number}-{n}",
            password="!",  # noqa: S106 -- unusable
        )
        for n in range(2 * count)
    )
    applications = Application.objects.bulk_create(
        Application(
            cohort=cohort,
            applicant=user,
            role=ApplicationRole.MENTEE if n < count else ApplicationRole.MENTOR,
            state=ApplicationState.ACCEPTED,
            organisation=organisations[n % len(organisations)],
            submitted_at=timezone.now(),
        )
        for n, user in enumerate(users)
    )
    tandems = Tandem.objects.bulk_create(
        Tandem(
            cohort=cohort, mentee=applications[n], mentor=applications[count + n], start_date=start
        )
        for n in range(count)
    )
    now = timezone.now()
    GoalAgreement.objects.bulk_create(
        GoalAgreement(tandem=tandem, mentee_confirmed_at=now, mentor_confirmed_at=now)
        for tandem in tandems
    )
    formats = list(ContactFormat.values)
    contacts = []
    for n, tandem in enumerate(tandems):
        last = months - 1 - (n % silent_every == 0) - 2 * (n % quiet_every == 0)
        for month in range(max(last + 1, 0)):
            contacts.append(
                Contact(
                    tandem=tandem,
                    author=users[n],
                    date=add_months(start, month) + dt.timedelta(days=n % 25),
                    format=formats[(n + month) % len(formats)],
                    duration_minutes=60,
                    note="Vertraulich",
                )
            )
    Contact.objects.bulk_create(contacts, batch_size=5000)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE tandems_tandem, tandems_contact, applications_application")
    return cohort


# Names with umlauts and ß, as a real cohort's: the certificates' fonts are subset per glyph.
FIRST_NAMES = ("Anna", "Birgit", "Claudia", "Dörte", "Elke", "Franziska", "Gül", "Heike", "Jana")
LAST_NAMES = ("Müller", "Schäfer", "Weiß", "Brandt-Hoffmann", "Öztürk", "Jäger", "Großmann")


@transaction.atomic
def seed_certificate_cohort(number, count):
    """A finished cohort ``number`` whose ``count`` participants all qualify for a certificate.

    Half mentees, half mentors, accepted; no tandems, so the cohort stays out of the reminder
    sweep's figures. Everyone was present at the final workshop (mandatory, last month), which
    also gives the certificates their place; the rule asks for that attendance but not for a
    team presentation, as no project teams are seeded. Idempotent: an existing cohort is
    returned as it is.
    """
    from cohorts.enums import CohortState
    from mentoring.months import add_months
    from workshops.enums import AttendanceStatus, WorkshopKind
    from workshops.models import Attendance, CertificatePolicy, Workshop

    this_month = timezone.localdate().replace(day=1)
    start, end = add_months(this_month, -12), this_month - dt.timedelta(days=1)
    cohort, organisations = _bench_cohort(
        number,
        title=f"Bench {count} Zertifikate",
        start=start,
        end=end,
        state=CohortState.FINISHED,
    )
    if organisations is None:
        return cohort
    users = User.objects.bulk_create(
        User(
            email=f"bench-c{number}-{n}@example.org",
            first_name=FIRST_NAMES[n % len(FIRST_NAMES)],
            last_name=LAST_NAMES[n // len(FIRST_NAMES) % len(LAST_NAMES)],
            password="!",  # noqa: S106 -- unusable
        )
        for n in range(count)
    )
    applications = Application.objects.bulk_create(
        Application(
            cohort=cohort,
            applicant=user,
            role=ApplicationRole.MENTEE if n < count // 2 else ApplicationRole.MENTOR,
            state=ApplicationState.ACCEPTED,
            organisation=organisations[n % len(organisations)],
            submitted_at=timezone.now(),
        )
        for n, user in enumerate(users)
    )
    final = Workshop.objects.create(
        cohort=cohort,
        kind=WorkshopKind.FINAL,
        title="Abschlussworkshop",
        date=end - dt.timedelta(days=14),
        start_time=dt.time(10),
        end_time=dt.time(16),
        venue_name="Hans-Sachs-Haus",
        venue_city="Gelsenkirchen",
    )
    Attendance.objects.bulk_create(
        Attendance(
            workshop=final,
            application=application,
            status=AttendanceStatus.PRESENT,
            recorded_at=timezone.now(),
        )
        for application in applications
    )
    CertificatePolicy.objects.update_or_create(
        cohort=cohort, defaults={"mandatory_workshops": True, "team_presentation": False}
    )
    return cohort


@transaction.atomic
def seed_report_programme(cohorts, tandems):
    """A programme ("Bench Bericht") of ``cohorts`` finished yearly cohorts, the last ended
    a month ago, each with ``tandems`` tandems, a year of contacts, three workshops with
    attendance, its four surveys answered and career steps of participants and of a
    comparison group. Bulk inserts; idempotent: an existing programme is returned as it is.
    Returns (programme, [its cohorts, oldest first]).
    """
    from applications.enums import CareerStepKind
    from applications.models import CareerStep
    from cohorts.enums import CohortState
    from cohorts.models import CohortOrganisation, Programme
    from evaluation import questions
    from evaluation.enums import SurveyKind
    from evaluation.models import RatingCount, Survey, SurveyGroup, TextAnswer
    from evaluation.services import default_schedule
    from mentoring.enums import ConsentKind
    from mentoring.models import Consent, PrivacyNotice
    from mentoring.months import add_months, month_end
    from tandems.enums import ContactFormat, EndCategory, TandemStatus
    from tandems.models import Contact, Tandem
    from workshops.enums import AttendanceStatus, WorkshopKind
    from workshops.models import Attendance, Workshop

    programme, created = Programme.objects.get_or_create(
        slug="bench-bericht", defaults={"name": "Bench Bericht"}
    )
    if not created:
        return programme, list(programme.cohorts.order_by("year", "number"))
    template = open_demo_cohort()
    organisations = list(template.organisations.order_by("pk"))
    programme.organisations.set(organisations)
    notice = PrivacyNotice.objects.order_by("-version").first()
    this_month = timezone.localdate().replace(day=1)
    now = timezone.now()
    made = []
    for number in range(1, cohorts + 1):
        start = add_months(this_month, -13 - 12 * (cohorts - number))
        end = month_end(add_months(start, 11))
        cohort = Cohort.objects.create(
            programme=programme,
            number=number,
            year=start.year,
            application_opens_at=now - dt.timedelta(days=400 + 365 * (cohorts - number)),
            application_deadline=now - dt.timedelta(days=380 + 365 * (cohorts - number)),
            start_date=start,
            end_date=end,
            state=CohortState.FINISHED,
        )
        made.append(cohort)
        CohortOrganisation.objects.bulk_create(
            CohortOrganisation(cohort=cohort, organisation=organisation)
            for organisation in organisations
        )
        others = tandems // 3  # not selected, agreed to the follow-up questions
        users = User.objects.bulk_create(
            User(
                email=f"bench-r{number}-{n}@example.org",
                first_name="Person",
                last_name=f"{number}-{n}",
                password="!",  # noqa: S106 -- unusable
            )
            for n in range(2 * tandems + others)
        )

        def role(n):
            return ApplicationRole.MENTOR if tandems <= n < 2 * tandems else ApplicationRole.MENTEE

        applications = Application.objects.bulk_create(
            Application(
                cohort=cohort,
                applicant=user,
                role=role(n),
                state=ApplicationState.ACCEPTED if n < 2 * tandems else ApplicationState.REJECTED,
                organisation=organisations[n % len(organisations)],
                eligibility_outcome=EligibilityOutcome.PASS,
                submitted_at=now,
            )
            for n, user in enumerate(users)
        )
        Consent.objects.bulk_create(
            Consent(user=user, kind=ConsentKind.FOLLOW_UP, notice=notice)
            for user in users[2 * tandems :]
        )
        categories = list(EndCategory.values)
        pairs = Tandem.objects.bulk_create(
            Tandem(
                cohort=cohort,
                mentee=applications[n],
                mentor=applications[tandems + n],
                start_date=start,
                status=TandemStatus.ENDED if n % 10 == 9 else TandemStatus.COMPLETED,
                ended_at=add_months(start, 5) if n % 10 == 9 else None,
                end_category=categories[n % len(categories)] if n % 10 == 9 else "",
            )
            for n in range(tandems)
        )
        formats = list(ContactFormat.values)
        Contact.objects.bulk_create(
            (
                Contact(
                    tandem=tandem,
                    author=users[n],
                    date=add_months(start, month) + dt.timedelta(days=n % 25),
                    format=formats[(n + month) % len(formats)],
                    duration_minutes=60,
                )
                for n, tandem in enumerate(pairs)
                for month in range(12)
                if (n + month) % 7  # a missing month now and then
            ),
            batch_size=5000,
        )
        statuses = [AttendanceStatus.PRESENT] * 8 + [
            AttendanceStatus.EXCUSED,
            AttendanceStatus.ABSENT,
        ]
        for kind, months in ((WorkshopKind.KICK_OFF, 0), (WorkshopKind.INTERIM, 6),
                             (WorkshopKind.FINAL, 11)):  # fmt: skip
            workshop = Workshop.objects.create(
                cohort=cohort,
                kind=kind,
                title=kind.label,
                date=add_months(start, months) + dt.timedelta(days=10),
                start_time=dt.time(9),
                end_time=dt.time(16),
                venue_name="Rathaus",
            )
            Attendance.objects.bulk_create(
                Attendance(
                    workshop=workshop,
                    application=application,
                    status=statuses[n % len(statuses)],
                    note="krank" if statuses[n % len(statuses)] == AttendanceStatus.EXCUSED else "",
                    recorded_at=now,
                )
                for n, application in enumerate(applications[: 2 * tandems])
            )
        schedule = default_schedule(start=start, end=end)
        surveys = Survey.objects.bulk_create(
            Survey(cohort=cohort, kind=kind, opens_on=opens, closes_on=closes)
            for kind, (opens, closes) in schedule.items()
        )
        groups = SurveyGroup.objects.bulk_create(
            SurveyGroup(survey=survey, role=who, responses=tandems - 5)
            for survey in surveys
            for who in (ApplicationRole.MENTEE, ApplicationRole.MENTOR)
        )
        RatingCount.objects.bulk_create(
            RatingCount(group=group, item=item.key, value=value, count=(tandems - 5) // 5)
            for group in groups
            for item in questions.ITEMS[SurveyKind(group.survey.kind)]
            for value, _label in item.choices
        )
        TextAnswer.objects.bulk_create(
            TextAnswer(group=group, item=text.key, text=f"Antwort {n}")
            for group in groups
            for text in questions.TEXT_ITEMS[SurveyKind(group.survey.kind)]
            for n in range(5)
        )
        kinds = list(CareerStepKind.values)
        CareerStep.objects.bulk_create(
            CareerStep(application=application, kind=kinds[n % len(kinds)], date=end)
            for n, application in enumerate(
                [*applications[: tandems * 2 // 3], *applications[2 * tandems :]]
            )
        )
    with connection.cursor() as cursor:
        cursor.execute(
            "ANALYZE tandems_tandem, tandems_contact, applications_application, "
            "evaluation_ratingcount, evaluation_surveygroup"
        )
    return programme, made
