"""Demo data: the four programmes of the documents, their organisations, Beirat and cohorts.

Dates are computed from the day the demo is loaded: Emscher-Lippe has a cohort that ended
about two months ago, one in its fifth month and an open call; Köln–Düsseldorf is in
selection; the cross-sector and the internal programme each have a running cohort.

Idempotent: everything is looked up by its natural key and created only if missing, so a
second run changes nothing.
"""

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone

from mentoring.demo import PROGRAMME_OFFICE_EMAIL, Login, berlin, person, slug
from mentoring.enums import UserRole
from mentoring.months import add_months

from .enums import BeiratRole, CallTheme, CohortState, MatchingPolicy, OrganisationKind
from .models import BeiratMembership, Cohort, CohortOrganisation, Organisation, Programme
from .services import cohort_transition

EMSCHER_LIPPE = "mit-frauen-an-die-spitze"
INTERCOMMUNAL = "interkommunal-koeln-duesseldorf"
CROSS_SECTOR = "mit-frauen-in-fuehrung-koeln"
INTERNAL = "internes-mentoring-kerpen"
# Kept for the loaders and tests written when there was one programme.
PROGRAMME_SLUG = EMSCHER_LIPPE

EMSCHER_LIPPE_DESCRIPTION = (
    "Mentoring ist eine Beratungs- und Unterstützungsbeziehung zwischen einer erfahrenen "
    "Führungskraft (Mentor:in) und einer Nachwuchskraft (Mentee). Beide arbeiten als "
    "Mentoring-Tandem für eine befristete Zeit zusammen.\n\n"
    "Cross-Mentoring erfolgt organisationsübergreifend: Mentee und Mentor:in aus "
    "unterschiedlichen Kommunalverwaltungen bilden für ein Jahr ein Tandem. Wesentliches "
    "Element ist der regelmäßige monatliche Kontakt zwischen Mentor:in und Mentee – "
    "persönliche Treffen, Telefonate oder schriftlicher Austausch während der Dienstzeit. "
    "Die Themen bestimmt die Mentee.\n\n"
    "Das Mentoring ist Bestandteil einer systematischen Personalentwicklung zur Förderung "
    "des Entwicklungspotentials von Frauen für die künftige Wahrnehmung von "
    "Führungsaufgaben."
)
# Kept under its old name for the pages and tests that quote it.
PROGRAMME_DESCRIPTION = EMSCHER_LIPPE_DESCRIPTION

EMSCHER_LIPPE_MENTEE_REQUIREMENTS = (
    "Sie haben die Befähigung für den allgemeinen Verwaltungsdienst der Laufbahngruppe 2, "
    "1. Einstiegsamt, bzw. den erfolgreichen Abschluss des Angestelltenlehrgangs II des "
    "gehobenen Dienstes.\n"
    "Ihre Stelle ist mindestens nach Bes.-Gr. A 11 bzw. EG 10 / S 15 TVöD bewertet.\n"
    "Sie stehen in einem unbefristeten Beschäftigungsverhältnis.\n"
    "Sie sind seit mindestens zwei Jahren in der Kommunalverwaltung tätig.\n"
    "Ihre Verwaltung nimmt am Jahrgang teil."
)
EMSCHER_LIPPE_MENTOR_REQUIREMENTS = (
    "Führungspersönlichkeiten mit langjähriger nachgewiesener Personalleitung können ihre "
    "Erfahrungen in das Mentoring einbringen."
)


@dataclass(frozen=True)
class Org:
    name: str
    kind: str
    street: str
    postcode: str
    city: str
    latitude: str
    longitude: str
    contact_first: str
    contact_last: str
    contact_title: str = "Gleichstellungsbeauftragte"
    departments: tuple = ()

    @property
    def domain(self):
        town = self.name.removeprefix("Stadt ").removeprefix("Kreis ")
        prefix = "kreis-" if self.name.startswith("Kreis ") else ""
        return f"{prefix}{slug(town)}.example.org"

    @property
    def contact_email(self):
        local = "gleichstellung" if self.kind != OrganisationKind.COMPANY else "diversity"
        return f"{local}@{self.domain}"


def officer_email(organisation_name):
    """The demo equality officer's address for an Emscher-Lippe administration."""
    return next(o.contact_email for o in ORGANISATIONS if o.name == organisation_name)


CITY = OrganisationKind.CITY
COMPANY = OrganisationKind.COMPANY

ORGANISATIONS = [
    Org("Kreis Recklinghausen", OrganisationKind.DISTRICT, "Kurt-Schumacher-Allee 1", "45657",
        "Recklinghausen", "51.614100", "7.197900", "Martina", "Hoffmann"),
    Org("Stadt Castrop-Rauxel", CITY, "Europaplatz 1", "44575",
        "Castrop-Rauxel", "51.555600", "7.311700", "Sabine", "Krüger"),
    Org("Stadt Datteln", CITY, "Genthiner Straße 8", "45711",
        "Datteln", "51.653900", "7.342000", "Claudia", "Becker"),
    Org("Stadt Dorsten", CITY, "Halterner Straße 5", "46284",
        "Dorsten", "51.660400", "6.964600", "Andrea", "Schulte"),
    Org("Stadt Gladbeck", CITY, "Willy-Brandt-Platz 2", "45964",
        "Gladbeck", "51.571300", "6.985700", "Petra", "Wagner"),
    Org("Stadt Haltern am See", CITY, "Dr.-Conrads-Straße 1", "45721",
        "Haltern am See", "51.743300", "7.184800", "Birgit", "Lange"),
    Org("Stadt Herten", CITY, "Kurt-Schumacher-Straße 2", "45699",
        "Herten", "51.595800", "7.141100", "Monika", "Schröder"),
    Org("Stadt Marl", CITY, "Creiler Platz 1", "45768",
        "Marl", "51.656500", "7.090300", "Susanne", "Neumann"),
    Org("Stadt Oer-Erkenschwick", CITY, "Rathausplatz 1", "45739",
        "Oer-Erkenschwick", "51.642200", "7.250900", "Heike", "Schwarz"),
    Org("Stadt Recklinghausen", CITY, "Rathausplatz 3", "45657",
        "Recklinghausen", "51.613300", "7.193600", "Karin", "Zimmermann"),
    Org("Stadt Waltrop", CITY, "Münsterstraße 1", "45731",
        "Waltrop", "51.623600", "7.401800", "Anja", "Braun"),
    Org("Stadt Bottrop", CITY, "Ernst-Wilczok-Platz 1", "46236",
        "Bottrop", "51.521600", "6.928900", "Nicole", "Hartmann"),
    Org("Stadt Gelsenkirchen", CITY, "Ebertstraße 11", "45879",
        "Gelsenkirchen", "51.509400", "7.098300", "Stefanie", "Krause"),
]  # fmt: skip
# The officer of this organisation chairs the Emscher-Lippe Beirat in the demo.
CHAIR_ORGANISATION = "Kreis Recklinghausen"

KOELN = Org("Stadt Köln", CITY, "Willy-Brandt-Platz 2", "50679", "Köln",
            "50.937500", "6.960300", "Renate", "Vogel")  # fmt: skip
DUESSELDORF = Org("Stadt Düsseldorf", CITY, "Marktplatz 2", "40213", "Düsseldorf",
                  "51.225600", "6.772700", "Elke", "Winter")  # fmt: skip

# Invented companies for the cross-sector programme; none is a real firm.
COMPANIES = [
    Org(name, COMPANY, street, "50667", "Köln", lat, lon, first, last, "Diversity-Beauftragte")
    for name, street, lat, lon, first, last in [
        ("Muster Versicherung AG", "Beispielring 1", "50.941000", "6.958000", "Tanja", "Ostermann"),
        ("Beispiel Energie AG", "Musterallee 5", "50.930000", "6.940000", "Iris", "Lorenz"),
        ("Exempla Netz GmbH", "Probeweg 12", "50.950000", "6.970000", "Doris", "Kessler"),
        ("Muster Druckfarben GmbH", "Farbgasse 3", "50.920000", "6.990000", "Ute", "Brandt"),
        ("Beispiel Bank eG", "Zinsstraße 8", "50.936000", "6.951000", "Carola", "Merz"),
        ("Muster Medien GmbH", "Sendeplatz 2", "50.948000", "6.944000", "Nadine", "Pohl"),
        ("Beispiel Logistik GmbH", "Hafenstraße 40", "50.910000", "6.980000", "Sandra", "Graf"),
        ("Muster Chemie AG", "Werkstraße 7", "50.990000", "6.900000", "Silke", "Roth"),
        ("Beispiel Verkehrsbetriebe AG", "Schienenweg 1", "50.925000", "6.965000", "Vera", "Keil"),
        ("Muster Klinikum gGmbH", "Heilweg 20", "50.915000", "6.930000", "Gabi", "Frank"),
        ("Beispiel Messe GmbH", "Messeplatz 1", "50.945000", "6.985000", "Helga", "Stein"),
        ("Muster Handel KG", "Marktweg 9", "50.938000", "6.955000", "Ines", "Dietz"),
        ("Beispiel Software GmbH", "Codeweg 4", "50.952000", "6.962000", "Jana", "Busch"),
        ("Muster Bau AG", "Kranstraße 11", "50.905000", "6.945000", "Katja", "Haas"),
        ("Beispiel Rückversicherung AG", "Risikoplatz 6", "50.943000", "6.949000", "Lena", "Voigt"),
    ]
]  # fmt: skip

KERPEN = Org(
    "Stadt Kerpen", CITY, "Jahnplatz 1", "50171", "Kerpen", "50.869800", "6.696100",
    "Sabine", "Engel", departments=(
        "Dezernat I – Zentrale Dienste", "Amt 10 – Personal und Organisation",
        "Amt 20 – Finanzen", "Amt 32 – Ordnung", "Amt 51 – Jugend", "Amt 60 – Planen und Bauen",
    ),
)  # fmt: skip
# Kerpen's Beirat is its project team: the equality office and personnel development.
KERPEN_PERSONNEL = ("personalentwicklung@kerpen.example.org", "Bianca", "Marx")


@dataclass(frozen=True)
class ProgrammeSpec:
    slug: str
    defaults: dict
    organisations: list
    chair: str  # the organisation whose contact chairs the Beirat
    extra_members: list = field(default_factory=list)  # (org name, email, first, last, title)


PROGRAMMES = [
    ProgrammeSpec(
        EMSCHER_LIPPE,
        {
            "name": "MIT FRAUEN an die Spitze",
            "tagline": "Cross-Mentoring für Frauen in Kommunalverwaltungen",
            "description": EMSCHER_LIPPE_DESCRIPTION,
            "organiser": "Studieninstitut für kommunale Verwaltung Emscher-Lippe",
            "website": "https://www.fagel-netz.de/",
            "matching_policy": MatchingPolicy.ACROSS_ORGANISATIONS,
            "theme": CallTheme.AUBERGINE,
            "mentee_requirements": EMSCHER_LIPPE_MENTEE_REQUIREMENTS,
            "mentor_requirements": EMSCHER_LIPPE_MENTOR_REQUIREMENTS,
        },
        ORGANISATIONS,
        CHAIR_ORGANISATION,
    ),
    ProgrammeSpec(
        INTERCOMMUNAL,
        {
            "name": "Interkommunales Cross-Mentoring Köln–Düsseldorf",
            "tagline": "Fünf Mentees aus Köln, fünf aus Düsseldorf, 15 Monate",
            "description": (
                "Weibliche Beschäftigte in höheren Besoldungs- und Entgeltgruppen sowie in "
                "Führungspositionen sind weiterhin unterrepräsentiert. Im interkommunalen "
                "Cross-Mentoring begleiten Amtsleitungen und Dezernent:innen der einen Stadt "
                "Frauen im gehobenen Dienst der anderen – 15 Monate lang, mit Fachseminaren, "
                "Workshops und Netzwerktreffen.\n\n"
                "Jede Stadt wählt nach einem qualifizierten Auswahlgespräch fünf Mentees aus."
            ),
            "organiser": "Personal- und Gleichstellungsbereiche der Städte Köln und Düsseldorf",
            "matching_policy": MatchingPolicy.ACROSS_ORGANISATIONS,
            "theme": CallTheme.BLUE,
            "mentee_requirements": (
                "Sie sind im gehobenen Dienst der Stadt Köln oder der Stadt Düsseldorf "
                "beschäftigt.\n"
                "Ihre Stelle ist mindestens nach A 10 bzw. EG 9c bewertet.\n"
                "Sie stehen in einem unbefristeten Beschäftigungsverhältnis.\n"
                "Sie nehmen an einem Auswahlgespräch teil."
            ),
            "mentor_requirements": (
                "Sie leiten ein Amt oder ein Dezernat der Stadt Köln oder der Stadt Düsseldorf."
            ),
            "seats_binding": True,
            "interview_required": True,
        },
        [KOELN, DUESSELDORF],
        KOELN.name,
    ),
    ProgrammeSpec(
        CROSS_SECTOR,
        {
            "name": "Mit Frauen in Führung – Cross-Mentoring Köln",
            "tagline": "Die Stadt Köln und 15 Kölner Unternehmen fördern Frauen in Führung",
            "description": (
                "Cross-Mentoring ist eine besondere Form des Mentorings, bei der "
                "unterschiedliche Unternehmen und die Stadtverwaltung in der "
                "Führungskräfteentwicklung zusammenarbeiten: Frauen werden durch eine "
                "Mentor:in aus dem Management einer anderen Organisation in ihrer Kompetenz- "
                "und Persönlichkeitsentwicklung unterstützt. Das Programm läuft 15 Monate."
            ),
            "organiser": "Stadt Köln, Amt für Gleichstellung von Frauen und Männern",
            "matching_policy": MatchingPolicy.ACROSS_ORGANISATIONS,
            "theme": CallTheme.PETROL,
            "mentee_requirements": (
                "Sie arbeiten bei der Stadt Köln oder einem der Partnerunternehmen.\n"
                "Sie möchten eine Führungsaufgabe übernehmen oder ausbauen.\n"
                "Sie willigen ein, dass Ihre Angaben zur Bildung des Tandems an die "
                "Partnerorganisation weitergegeben werden."
            ),
            "mentor_requirements": (
                "Sie gehören der Managementebene der Stadt Köln oder eines Partnerunternehmens an."
            ),
            "transfer_consent_required": True,
        },
        [KOELN, *COMPANIES],
        KOELN.name,
    ),
    ProgrammeSpec(
        INTERNAL,
        {
            "name": "Internes Mentoring der Stadt Kerpen",
            "tagline": "Mentoring für weibliche Nachwuchsführungskräfte in der eigenen Verwaltung",
            "description": (
                "Im internen Mentoring begleitet eine erfahrene Führungskraft der Stadt Kerpen "
                "eine Nachwuchsführungskraft: als Gesprächspartner:in auf Augenhöhe und ohne "
                "Weisungsbefugnis, als Sparringspartner:in, Feedbackgeber:in und "
                "Mutmacher:in. Die Mentor:in ist nie die eigene Vorgesetzte und arbeitet in "
                "einem anderen Fachbereich.\n\n"
                "Mentor:innen werden vom Gleichstellungsreferat oder der Personalverwaltung "
                "angesprochen."
            ),
            "organiser": "Stadt Kerpen, Gleichstellungsreferat und Personalentwicklung",
            "matching_policy": MatchingPolicy.INTERNAL,
            "theme": CallTheme.GREEN,
            "mentee_requirements": (
                "Sie arbeiten bei der Stadt Kerpen und möchten Führungsverantwortung "
                "übernehmen oder ausbauen.\n"
                "Sie bringen Themen für ein Programmjahr mit."
            ),
            "mentor_requirements": (
                "Mentor:innen werden vom Gleichstellungsreferat angesprochen; eine eigene "
                "Meldung ist nicht nötig."
            ),
            "mentors_self_register": False,
        },
        [KERPEN],
        KERPEN.name,
        [(KERPEN.name, *KERPEN_PERSONNEL, "Personalentwicklung")],
    ),
]


def tuesday_on_or_after(day):
    """The documents' workshops and starts are on working days; the demo picks Tuesdays."""
    return day + dt.timedelta(days=(1 - day.weekday()) % 7)


def shift(day, months):
    """``day`` moved by whole months (the day of month kept where it exists)."""
    first = add_months(day, months)
    return first.replace(day=min(day.day, 28))


@dataclass(frozen=True)
class CohortPlan:
    programme: str
    number: int
    state: str
    start: dt.date
    duration_months: int
    opens: dt.date
    deadline: dt.date
    selection: dt.date
    title: str = ""
    mentee_seats: int = 2
    mentor_seats: int = 2

    @property
    def end(self):
        return shift(self.start, self.duration_months) - dt.timedelta(days=1)


def cohort_plans(today):
    """Every demo cohort, placed around ``today``."""
    finished_start = tuesday_on_or_after(shift(today, -14))
    running_start = tuesday_on_or_after(add_months(today, -4))
    open_deadline = today + dt.timedelta(days=42)
    open_start = tuesday_on_or_after(open_deadline + dt.timedelta(days=70))
    selection_start = tuesday_on_or_after(today + dt.timedelta(days=60))
    return [
        CohortPlan(
            EMSCHER_LIPPE, 8, CohortState.FINISHED, finished_start, 12,
            opens=shift(finished_start, -9), deadline=shift(finished_start, -7),
            selection=shift(finished_start, -6),
        ),
        CohortPlan(
            EMSCHER_LIPPE, 9, CohortState.RUNNING, running_start, 12,
            opens=shift(running_start, -9), deadline=shift(running_start, -7),
            selection=shift(running_start, -6),
        ),
        CohortPlan(
            EMSCHER_LIPPE, 10, CohortState.OPEN, open_start, 12,
            opens=today - dt.timedelta(days=14), deadline=open_deadline,
            selection=open_deadline + dt.timedelta(days=21),
        ),
        CohortPlan(
            INTERCOMMUNAL, 2, CohortState.SELECTION, selection_start, 15,
            opens=today - dt.timedelta(days=70), deadline=today - dt.timedelta(days=20),
            selection=today + dt.timedelta(days=10), mentee_seats=5, mentor_seats=5,
        ),
        CohortPlan(
            CROSS_SECTOR, 9, CohortState.RUNNING, tuesday_on_or_after(add_months(today, -3)), 15,
            opens=shift(today, -10), deadline=shift(today, -8), selection=shift(today, -7),
            mentee_seats=1, mentor_seats=1,
        ),
        CohortPlan(
            INTERNAL, 1, CohortState.RUNNING, tuesday_on_or_after(add_months(today, -2)), 12,
            opens=shift(today, -7), deadline=shift(today, -5), selection=shift(today, -4),
            mentee_seats=6, mentor_seats=6,
        ),
    ]  # fmt: skip


def _organisation(spec):
    organisation, _ = Organisation.objects.get_or_create(
        name=spec.name,
        defaults={
            "kind": spec.kind,
            "street": spec.street,
            "postcode": spec.postcode,
            "city": spec.city,
            "latitude": Decimal(spec.latitude),
            "longitude": Decimal(spec.longitude),
            "departments": "\n".join(spec.departments),
        },
    )
    return organisation


def _member(programme, organisation, email, first, last, *, role, title):
    user = person(email, first, last, role=UserRole.OFFICER)
    BeiratMembership.objects.get_or_create(
        user=user,
        organisation=organisation,
        programme=programme,
        defaults={"role": role, "function_title": title, "is_contact": True},
    )
    return user


def _programme(spec):
    programme, _ = Programme.objects.get_or_create(slug=spec.slug, defaults=spec.defaults)
    organisations = {}
    for org in spec.organisations:
        organisation = _organisation(org)
        organisations[org.name] = organisation
        _member(
            programme,
            organisation,
            org.contact_email,
            org.contact_first,
            org.contact_last,
            role=BeiratRole.CHAIR if org.name == spec.chair else BeiratRole.MEMBER,
            title=org.contact_title,
        )
    for org_name, email, first, last, title in spec.extra_members:
        _member(
            programme,
            organisations[org_name],
            email,
            first,
            last,
            role=BeiratRole.MEMBER,
            title=title,
        )
    programme.organisations.add(*organisations.values())
    return programme, organisations


# The states a cohort passes through in a normal year, in order.
_LIFE = [
    CohortState.PLANNED,
    CohortState.OPEN,
    CohortState.SELECTION,
    CohortState.RUNNING,
    CohortState.FINISHED,
]


def _live_up_to(cohort, plan, office):
    """Takes a new demo cohort from "in Planung" to its planned state, step by step through
    ``cohort_transition``, so that its history in the admin is that of a real one: each
    step by the programme office, dated when it would have happened."""
    happened = {
        CohortState.OPEN: berlin(plan.opens, 9),
        CohortState.SELECTION: berlin(plan.deadline + dt.timedelta(days=1), 9),
        CohortState.RUNNING: berlin(plan.start, 9),
        CohortState.FINISHED: berlin(plan.end + dt.timedelta(days=1), 9),
    }
    for state in _LIFE[1 : _LIFE.index(plan.state) + 1]:
        cohort_transition(cohort=cohort, to=state, actor=office)
        cohort.log.filter(to_state=state).update(created_at=min(happened[state], timezone.now()))


def _cohort(programme, plan, organisations, office):
    cohort, created = Cohort.objects.get_or_create(
        programme=programme,
        number=plan.number,
        defaults={
            "year": plan.start.year,
            "title": plan.title,
            "application_opens_at": berlin(plan.opens),
            "application_deadline": berlin(plan.deadline, 23, 59),
            "start_date": plan.start,
            "end_date": plan.end,
            "duration_months": plan.duration_months,
            "selection_date": plan.selection,
            "state": CohortState.PLANNED,
        },
    )
    if created:
        _live_up_to(cohort, plan, office)
    for organisation in organisations.values():
        CohortOrganisation.objects.get_or_create(
            cohort=cohort,
            organisation=organisation,
            defaults={"mentee_seats": plan.mentee_seats, "mentor_seats": plan.mentor_seats},
        )
    return cohort


def load(*, today):
    office = person(
        PROGRAMME_OFFICE_EMAIL,
        "Juliane",
        "Seidel",
        role=UserRole.PROGRAMME_OFFICE,
    )
    logins = [Login("", "Programmbüro (alle Programme)", PROGRAMME_OFFICE_EMAIL)]
    plans = cohort_plans(today)
    for spec in PROGRAMMES:
        programme, organisations = _programme(spec)
        for plan in plans:
            if plan.programme == spec.slug:
                _cohort(programme, plan, organisations, office)
        chair = next(o for o in spec.organisations if o.name == spec.chair)
        logins.append(Login(programme.name, "Beiratsvorsitz", chair.contact_email, chair.name))
        members = [o for o in spec.organisations if o.name != spec.chair]
        companies = [o for o in members if o.kind == COMPANY]
        for org in [o for o in members if o.kind != COMPANY] + companies[:2]:
            logins.append(Login(programme.name, "Beirat", org.contact_email, org.name))
        if len(companies) > 2:
            logins.append(
                Login(programme.name, "Beirat", "diversity@<unternehmen>.example.org",
                      f"{len(companies) - 2} weitere Unternehmen nach demselben Muster")
            )  # fmt: skip
        for org_name, email, *_rest in spec.extra_members:
            logins.append(Login(programme.name, "Beirat / Personalentwicklung", email, org_name))
    return logins
