import datetime as dt
from zoneinfo import ZoneInfo

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from applications.enums import (
    ApplicationLogAction,
    ApplicationRole,
    ApplicationState,
    EmploymentStatus,
    LeadershipLevel,
    PayScale,
    Qualification,
    WorkingHours,
)
from applications.models import Application, ApplicationLog, ReviewCriterion, Topic
from cohorts.enums import BeiratRole, CohortState, OrganisationKind
from cohorts.models import BeiratMembership, Cohort, CohortOrganisation, Organisation, Programme
from evaluation.enums import SurveyKind
from evaluation.models import Survey
from mentoring.enums import UserRole
from mentoring.models import User
from mentoring.months import add_months
from tandems.enums import ContactFormat
from tandems.models import Contact, Tandem
from workshops.enums import AttendanceStatus, RsvpAnswer, WorkshopKind
from workshops.models import Attendance, ProjectTeam, Rsvp, TeamMembership, Workshop

BERLIN = ZoneInfo("Europe/Berlin")
PASSWORD = "correct-horse-battery"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    class Params:
        # "Anna Aust": first and last name in one argument; without it Faker invents both.
        full_name = None

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    first_name = factory.Maybe(
        "full_name",
        factory.LazyAttribute(lambda o: o.full_name.split(" ", 1)[0]),
        factory.Faker("first_name", locale="de_DE"),
    )
    last_name = factory.Maybe(
        "full_name",
        factory.LazyAttribute(lambda o: o.full_name.split(" ", 1)[1]),
        factory.Faker("last_name", locale="de_DE"),
    )
    role = UserRole.PARTICIPANT
    email_verified_at = factory.LazyFunction(timezone.now)
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class ProgrammeOfficeFactory(UserFactory):
    role = UserRole.PROGRAMME_OFFICE


# The thirteen administrations of the Emscher-Lippe programme (its flyer), by name.
EMSCHER_LIPPE = [
    "Kreis Recklinghausen",
    "Stadt Bottrop",
    "Stadt Castrop-Rauxel",
    "Stadt Datteln",
    "Stadt Dorsten",
    "Stadt Gelsenkirchen",
    "Stadt Gladbeck",
    "Stadt Haltern am See",
    "Stadt Herten",
    "Stadt Marl",
    "Stadt Oer-Erkenschwick",
    "Stadt Recklinghausen",
    "Stadt Waltrop",
]


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


# Applications ---------------------------------------------------------------------------

MINIMAL_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def pdf_upload(name="lebenslauf.pdf"):
    return SimpleUploadedFile(name, MINIMAL_PDF, content_type="application/pdf")


class TopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Topic
        django_get_or_create = ["programme", "name"]

    # The catalogue belongs to a programme; tests mostly have one, the newest.
    programme = factory.LazyFunction(
        lambda: Programme.objects.order_by("-pk").first() or ProgrammeFactory()
    )
    name = factory.Sequence(lambda n: f"Thema {n}")


class ReviewCriterionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReviewCriterion

    cohort = factory.SubFactory(CohortFactory)
    name = factory.Sequence(lambda n: f"Kriterium {n}")


class ApplicationFactory(factory.django.DjangoModelFactory):
    """A complete mentee application (a draft unless ``state`` says otherwise).

    ``accepted=True`` makes her a participant as matching, tandems and workshops see her:
    submitted and accepted, without the uploads, which none of those tests reads and each of
    which would write a file. ``MentorApplicationFactory(accepted=True)`` is the mentor.
    ``blank=True`` is a draft as the applicant begins it: nothing filled in yet.
    ``released=True`` is accepted with the log of it: the review begun, the decision
    released (``release_log__note`` gives its note). ``name`` names the applicant
    ("Anna Aust").
    """

    class Meta:
        model = Application
        skip_postgeneration_save = True

    class Params:
        name = None
        accepted = factory.Trait(
            state=ApplicationState.ACCEPTED,
            submitted_at=factory.LazyFunction(timezone.now),
            cv="",
            letter="",
        )
        released = factory.Trait(
            state=ApplicationState.ACCEPTED,
            review_log=factory.RelatedFactory(
                "tests.factories.ApplicationLogFactory",
                "application",
                action=ApplicationLogAction.TRANSITION,
                from_state=ApplicationState.SUBMITTED,
                to_state=ApplicationState.IN_REVIEW,
            ),
            release_log=factory.RelatedFactory(
                "tests.factories.ApplicationLogFactory",
                "application",
                action=ApplicationLogAction.DECISION_RELEASED,
                from_state=ApplicationState.IN_REVIEW,
                to_state=ApplicationState.ACCEPTED,
            ),
        )
        blank = factory.Trait(
            organisation=None,
            department="",
            position_title="",
            employment_status="",
            qualification="",
            pay_scale="",
            pay_grade="",
            permanent=None,
            service_start=None,
            working_hours="",
            leadership_level="",
            leadership_years=None,
            staff_count=None,
            motivation="",
            cv="",
            letter="",
            consent_at=None,
        )

    cohort = factory.SubFactory(CohortFactory)
    applicant = factory.SubFactory(UserFactory, full_name=factory.SelfAttribute("..name"))
    role = ApplicationRole.MENTEE
    state = ApplicationState.DRAFT
    organisation = factory.LazyAttribute(
        lambda o: CohortOrganisationFactory(cohort=o.cohort).organisation
    )
    phone = "02361 123456"
    department = "Fachbereich Personal"
    position_title = "Sachgebietsleitung"
    employment_status = EmploymentStatus.CIVIL_SERVANT
    qualification = Qualification.CAREER_GROUP_2
    pay_scale = PayScale.A
    pay_grade = "11"
    permanent = True
    service_start = dt.date(2015, 4, 1)
    working_hours = WorkingHours.FULL_TIME
    motivation = "Ich möchte Führungsverantwortung übernehmen."
    cv = factory.LazyFunction(lambda: pdf_upload("lebenslauf.pdf"))
    letter = factory.LazyFunction(lambda: pdf_upload("anschreiben.pdf"))
    consent_at = factory.LazyFunction(timezone.now)


class ApplicationLogFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ApplicationLog

    application = factory.SubFactory(ApplicationFactory)
    action = ApplicationLogAction.TRANSITION


class MentorApplicationFactory(ApplicationFactory):
    role = ApplicationRole.MENTOR
    employment_status = ""
    qualification = ""
    pay_scale = ""
    pay_grade = ""
    permanent = None
    service_start = None
    working_hours = ""
    cv = ""
    letter = ""
    leadership_level = LeadershipLevel.HEAD_OF_OFFICE
    leadership_years = 8
    staff_count = 25


def running_cohort(**kwargs):
    """A cohort that started on the first of the month five months ago and runs a year."""
    start = kwargs.pop("start_date", add_months(timezone.localdate(), -5))
    return CohortFactory(
        start_date=start,
        end_date=kwargs.pop("end_date", start + dt.timedelta(days=364)),
        application_opens_at=timezone.now() - dt.timedelta(days=400),
        application_deadline=timezone.now() - dt.timedelta(days=300),
        state=CohortState.RUNNING,
        **kwargs,
    )


def ended_cohort(end_date, **kwargs):
    """A cohort that ran for a year up to ``end_date``, as the follow-up questions see it."""
    return CohortFactory(
        start_date=end_date - dt.timedelta(days=364),
        end_date=end_date,
        application_opens_at=timezone.now() - dt.timedelta(days=800),
        application_deadline=timezone.now() - dt.timedelta(days=700),
        state=CohortState.FINISHED,
        **kwargs,
    )


class TandemFactory(factory.django.DjangoModelFactory):
    """An active tandem of two accepted participants from different administrations."""

    class Meta:
        model = Tandem

    cohort = factory.LazyFunction(running_cohort)
    mentee = factory.SubFactory(
        ApplicationFactory, cohort=factory.SelfAttribute("..cohort"), accepted=True
    )
    mentor = factory.SubFactory(
        MentorApplicationFactory, cohort=factory.SelfAttribute("..cohort"), accepted=True
    )
    start_date = factory.LazyAttribute(lambda o: o.cohort.start_date)


class ContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contact

    tandem = factory.SubFactory(TandemFactory)
    author = factory.LazyAttribute(lambda o: o.tandem.mentee.applicant)
    date = factory.LazyAttribute(lambda o: o.tandem.start_date)
    format = ContactFormat.IN_PERSON
    duration_minutes = 60


class SurveyFactory(factory.django.DjangoModelFactory):
    """A mid-term survey of a running cohort, open from a week ago for three weeks."""

    class Meta:
        model = Survey

    cohort = factory.LazyFunction(running_cohort)
    kind = SurveyKind.MIDTERM
    opens_on = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=7))
    closes_on = factory.LazyAttribute(lambda o: o.opens_on + dt.timedelta(days=20))


# Workshops ------------------------------------------------------------------------------


class UpcomingWorkshopFactory(WorkshopFactory):
    """A workshop of a running cohort a month from now, so participants can still answer."""

    cohort = factory.LazyFunction(running_cohort)
    date = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=30))
    facilitators = "Dr. Anna Beispiel (Trainerin)"


class WorkshopParticipantFactory(factory.django.DjangoModelFactory):
    """What concerns one participant at one workshop: an accepted mentee of its cohort."""

    class Meta:
        abstract = True

    workshop = factory.SubFactory(UpcomingWorkshopFactory)
    application = factory.LazyAttribute(
        lambda o: ApplicationFactory(accepted=True, cohort=o.workshop.cohort)
    )


class RsvpFactory(WorkshopParticipantFactory):
    class Meta:
        model = Rsvp

    answer = RsvpAnswer.YES
    reason = ""


class AttendanceFactory(WorkshopParticipantFactory):
    class Meta:
        model = Attendance

    status = AttendanceStatus.PRESENT
    note = ""
    recorded_at = factory.LazyFunction(timezone.now)


class ProjectTeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProjectTeam
        skip_postgeneration_save = True

    cohort = factory.LazyFunction(running_cohort)
    title = factory.Sequence(lambda n: f"Projekt {n}: Führen in Teilzeit")
    description = "Wie Führung in Teilzeit in Kommunalverwaltungen gelingt."

    @factory.post_generation
    def members(obj, create, extracted, **kwargs):
        if create and extracted:
            TeamMembership.objects.bulk_create(
                TeamMembership(team=obj, application=application) for application in extracted
            )


# What applicants type into the forms ------------------------------------------------------


class FormDataFactory(factory.DictFactory):
    """POST data of a form: a model instance stands for its key, None leaves a field out."""

    class Meta:
        abstract = True

    @classmethod
    def _build(cls, model_class, *args, **kwargs):
        return {
            name: str(value.pk) if hasattr(value, "pk") else value
            for name, value in kwargs.items()
            if value is not None
        }

    _create = _build


class MenteeFormFactory(FormDataFactory):
    """The mentee form filled in completely; pass the ``organisation``. Its texts differ from
    ApplicationFactory's, so a test sees whether the form was saved."""

    phone = "02041 1234"
    department = "Amt für Finanzen"
    position_title = "Sachgebietsleitung Haushalt"
    employment_status = "civil_servant"
    qualification = "lg2"
    pay_scale = "A"
    pay_grade = "11"
    permanent = "True"
    service_start = "2016-08-01"
    working_hours = "part_time"
    motivation = "Ich möchte meine Führungskompetenz ausbauen."
    consent = "on"


class MentorFormFactory(FormDataFactory):
    """The mentor form filled in completely; pass the ``organisation``."""

    phone = "0221 9876"
    department = "Amt für Jugend"
    position_title = "Amtsleitung"
    leadership_level = "office"
    leadership_years = "8"
    staff_count = "40"
    capacity = "1"
    motivation = "Ich gebe gern Erfahrung weiter."
    consent = "on"
