"""Demo data: the Emscher-Lippe programme with the flyer's 8th cohort and an open 9th one.

Idempotent: everything is looked up by its natural key and created only if missing, so a
second run changes nothing (not even the 9th cohort's dates, fixed on the first run).
"""

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model

from mentoring.enums import UserRole

from .enums import BeiratRole, CohortState, MatchingPolicy, OrganisationKind
from .models import BeiratMembership, Cohort, CohortOrganisation, Organisation, Programme

BERLIN = ZoneInfo("Europe/Berlin")
PROGRAMME_SLUG = "mit-frauen-an-die-spitze"
DEMO_PASSWORD = "demo-mentoring"  # noqa: S105 -- printed on purpose, for the local demo only
PROGRAMME_OFFICE_EMAIL = "programmbuero@studieninstitut.example.org"

PROGRAMME_DESCRIPTION = (
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

# name, kind, street, postcode, city, latitude, longitude, officer first and last name
ORGANISATIONS = [
    ("Kreis Recklinghausen", OrganisationKind.DISTRICT, "Kurt-Schumacher-Allee 1", "45657",
     "Recklinghausen", "51.614100", "7.197900", "Martina", "Hoffmann"),
    ("Stadt Castrop-Rauxel", OrganisationKind.CITY, "Europaplatz 1", "44575",
     "Castrop-Rauxel", "51.555600", "7.311700", "Sabine", "Krüger"),
    ("Stadt Datteln", OrganisationKind.CITY, "Genthiner Straße 8", "45711",
     "Datteln", "51.653900", "7.342000", "Claudia", "Becker"),
    ("Stadt Dorsten", OrganisationKind.CITY, "Halterner Straße 5", "46284",
     "Dorsten", "51.660400", "6.964600", "Andrea", "Schulte"),
    ("Stadt Gladbeck", OrganisationKind.CITY, "Willy-Brandt-Platz 2", "45964",
     "Gladbeck", "51.571300", "6.985700", "Petra", "Wagner"),
    ("Stadt Haltern am See", OrganisationKind.CITY, "Dr.-Conrads-Straße 1", "45721",
     "Haltern am See", "51.743300", "7.184800", "Birgit", "Lange"),
    ("Stadt Herten", OrganisationKind.CITY, "Kurt-Schumacher-Straße 2", "45699",
     "Herten", "51.595800", "7.141100", "Monika", "Schröder"),
    ("Stadt Marl", OrganisationKind.CITY, "Creiler Platz 1", "45768",
     "Marl", "51.656500", "7.090300", "Susanne", "Neumann"),
    ("Stadt Oer-Erkenschwick", OrganisationKind.CITY, "Rathausplatz 1", "45739",
     "Oer-Erkenschwick", "51.642200", "7.250900", "Heike", "Schwarz"),
    ("Stadt Recklinghausen", OrganisationKind.CITY, "Rathausplatz 3", "45657",
     "Recklinghausen", "51.613300", "7.193600", "Karin", "Zimmermann"),
    ("Stadt Waltrop", OrganisationKind.CITY, "Münsterstraße 1", "45731",
     "Waltrop", "51.623600", "7.401800", "Anja", "Braun"),
    ("Stadt Bottrop", OrganisationKind.CITY, "Ernst-Wilczok-Platz 1", "46236",
     "Bottrop", "51.521600", "6.928900", "Nicole", "Hartmann"),
    ("Stadt Gelsenkirchen", OrganisationKind.CITY, "Ebertstraße 11", "45879",
     "Gelsenkirchen", "51.509400", "7.098300", "Stefanie", "Krause"),
]  # fmt: skip

# The officer of this organisation chairs the Beirat in the demo.
CHAIR_ORGANISATION = "Kreis Recklinghausen"


def officer_email(organisation_name):
    town = organisation_name.removeprefix("Stadt ").removeprefix("Kreis ")
    slug = (
        town.lower()
        .replace("ä", "ae")
        .replace("ö", "oe")
        .replace("ü", "ue")
        .replace("ß", "ss")
        .replace(" ", "-")
    )
    prefix = "kreis-" if organisation_name.startswith("Kreis ") else ""
    return f"gleichstellung@{prefix}{slug}.example.org"


def berlin(year, month, day, hour=0, minute=0):
    return dt.datetime(year, month, day, hour, minute, tzinfo=BERLIN)


def _user(email, **defaults):
    User = get_user_model()
    user, created = User.objects.get_or_create(email=email, defaults=defaults)
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    return user


def ninth_cohort_dates(today):
    """Dates of the open demo cohort, placed around the day the demo is first loaded."""
    opens = berlin(today.year, today.month, today.day) - dt.timedelta(days=14)
    deadline_day = today + dt.timedelta(days=42)
    deadline = berlin(deadline_day.year, deadline_day.month, deadline_day.day, 23, 59)
    start = deadline_day + dt.timedelta(days=70)
    end = start + dt.timedelta(days=372)
    return opens, deadline, start, end


def load(*, today):
    programme, _ = Programme.objects.get_or_create(
        slug=PROGRAMME_SLUG,
        defaults={
            "name": "MIT FRAUEN an die Spitze",
            "tagline": "Cross-Mentoring für Frauen in Kommunalverwaltungen",
            "description": PROGRAMME_DESCRIPTION,
            "organiser": "Studieninstitut für kommunale Verwaltung Emscher-Lippe",
            "website": "https://www.fagel-netz.de/",
            "matching_policy": MatchingPolicy.ACROSS_ORGANISATIONS,
        },
    )

    organisations = []
    for name, kind, street, postcode, city, lat, lon, first, last in ORGANISATIONS:
        organisation, _ = Organisation.objects.get_or_create(
            name=name,
            defaults={
                "kind": kind,
                "street": street,
                "postcode": postcode,
                "city": city,
                "latitude": Decimal(lat),
                "longitude": Decimal(lon),
            },
        )
        organisations.append(organisation)
        officer = _user(
            officer_email(name),
            first_name=first,
            last_name=last,
            phone="",
            role=UserRole.OFFICER,
        )
        BeiratMembership.objects.get_or_create(
            user=officer,
            organisation=organisation,
            programme=programme,
            defaults={
                "role": BeiratRole.CHAIR if name == CHAIR_ORGANISATION else BeiratRole.MEMBER,
                "is_contact": True,
            },
        )
    programme.organisations.add(*organisations)

    _user(
        PROGRAMME_OFFICE_EMAIL,
        first_name="Juliane",
        last_name="Seidel",
        role=UserRole.PROGRAMME_OFFICE,
    )

    eighth, _ = Cohort.objects.get_or_create(
        programme=programme,
        number=8,
        defaults={
            "year": 2023,
            "title": "Cross-Mentoring 2023",
            "application_opens_at": berlin(2023, 2, 1),
            "application_deadline": berlin(2023, 4, 30, 23, 59),
            "start_date": dt.date(2023, 11, 21),
            "end_date": dt.date(2024, 11, 30),
            "duration_months": 12,
            "state": CohortState.FINISHED,
        },
    )
    opens, deadline, start, end = ninth_cohort_dates(today)
    ninth, _ = Cohort.objects.get_or_create(
        programme=programme,
        number=9,
        defaults={
            "year": start.year,
            "title": f"Cross-Mentoring {start.year}",
            "application_opens_at": opens,
            "application_deadline": deadline,
            "start_date": start,
            "end_date": end,
            "duration_months": 12,
            "state": CohortState.OPEN,
        },
    )
    for cohort in (eighth, ninth):
        for organisation in organisations:
            CohortOrganisation.objects.get_or_create(
                cohort=cohort,
                organisation=organisation,
                defaults={"mentee_seats": 2, "mentor_seats": 2},
            )

    logins = [("Programmbüro", PROGRAMME_OFFICE_EMAIL, DEMO_PASSWORD)]
    logins += [
        (
            f"Beirat{'svorsitz' if name == CHAIR_ORGANISATION else ''}, {name}",
            officer_email(name),
            DEMO_PASSWORD,
        )
        for name, *_rest in ORGANISATIONS
    ]
    return logins
