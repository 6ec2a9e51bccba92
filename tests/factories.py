import datetime as dt
from zoneinfo import ZoneInfo

import factory
from django.utils import timezone

from cohorts.enums import BeiratRole, CohortState, OrganisationKind
from cohorts.models import BeiratMembership, Cohort, CohortOrganisation, Organisation, Programme
from mentoring.enums import UserRole
from mentoring.models import User
from workshops.enums import WorkshopKind
from workshops.models import Workshop

BERLIN = ZoneInfo("Europe/Berlin")
PASSWORD = "correct-horse-battery"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    first_name = factory.Faker("first_name", locale="de_DE")
    last_name = factory.Faker("last_name", locale="de_DE")
    role = UserRole.PARTICIPANT
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class ProgrammeOfficeFactory(UserFactory):
    role = UserRole.PROGRAMME_OFFICE


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"Stadt Beispiel {n}")
    kind = OrganisationKind.CITY
    street = "Rathausplatz 1"
    postcode = "45000"
    city = factory.Sequence(lambda n: f"Beispielstadt {n}")


class ProgrammeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Programme

    name = factory.Sequence(lambda n: f"Programm {n}")
    slug = factory.Sequence(lambda n: f"programm-{n}")
    tagline = "Cross-Mentoring für Frauen in Kommunalverwaltungen"
    description = "Mentoring ist eine Beratungs- und Unterstützungsbeziehung."
    organiser = "Studieninstitut"


class CohortFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Cohort

    programme = factory.SubFactory(ProgrammeFactory)
    number = factory.Sequence(lambda n: n + 1)
    year = 2026
    application_opens_at = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(days=10))
    application_deadline = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=30))
    start_date = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=90))
    end_date = factory.LazyAttribute(lambda o: o.start_date + dt.timedelta(days=365))
    duration_months = 12
    state = CohortState.OPEN


class CohortOrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CohortOrganisation

    cohort = factory.SubFactory(CohortFactory)
    organisation = factory.SubFactory(OrganisationFactory)


class OfficerFactory(UserFactory):
    role = UserRole.OFFICER


class BeiratMembershipFactory(factory.django.DjangoModelFactory):
    """An equality officer on the Beirat of a programme (not of a single cohort)."""

    class Meta:
        model = BeiratMembership

    user = factory.SubFactory(OfficerFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    programme = factory.SubFactory(ProgrammeFactory)
    cohort = None
    role = BeiratRole.MEMBER


class WorkshopFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Workshop

    cohort = factory.SubFactory(CohortFactory)
    kind = WorkshopKind.KICK_OFF
    title = factory.LazyAttribute(lambda o: WorkshopKind(o.kind).label)
    date = factory.LazyAttribute(lambda o: o.cohort.start_date)
    start_time = dt.time(9)
    end_time = dt.time(16)
    venue_name = "Gemeinschaftshaus Wulfen"
    venue_street = "Wulfener Markt 5"
    venue_postcode = "46286"
    venue_city = "Dorsten"
