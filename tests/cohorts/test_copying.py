"""A new cohort from an earlier one: what is copied, exactly, and what never is."""

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.contrib.admin.models import ADDITION, LogEntry
from django.db import connection
from django.test.utils import CaptureQueriesContext

from applications.enums import ApplicationState
from applications.models import Application, EligibilityPolicy, Review, ReviewCriterion
from cohorts import copying
from cohorts.enums import BeiratRole, CohortState
from cohorts.models import BeiratMembership, Cohort, CohortOrganisation
from tandems.enums import ConstraintKind
from tandems.models import MatchingSettings, PairConstraint, Tandem
from tests.factories import (
    ApplicationFactory,
    AttendanceFactory,
    BeiratMembershipFactory,
    CohortFactory,
    CohortOrganisationFactory,
    OfficerFactory,
    OrganisationFactory,
    ProgrammeOfficeFactory,
    ProjectTeamFactory,
    ReviewCriterionFactory,
    RsvpFactory,
    TandemFactory,
    TopicFactory,
    WorkshopFactory,
)
from workshops.enums import Invitees, WorkshopKind
from workshops.models import Attendance, CertificatePolicy, ProjectTeam, Rsvp, Workshop

pytestmark = pytest.mark.django_db

BERLIN = ZoneInfo("Europe/Berlin")


def berlin(*args):
    return dt.datetime(*args, tzinfo=BERLIN)


@pytest.fixture
def source():
    """The 8th cohort (2023) with its whole set-up, and people in it."""
    cohort = CohortFactory(
        number=8,
        year=2023,
        title="Cross-Mentoring 2023",
        application_opens_at=berlin(2022, 11, 1, 9),
        application_deadline=berlin(2023, 1, 31, 23, 59),
        start_date=dt.date(2023, 3, 1),
        end_date=dt.date(2024, 2, 29),
        selection_date=dt.date(2023, 2, 15),
        duration_months=12,
        state=CohortState.RUNNING,
        reviews_hidden_until_own=False,
        review_reminder_days=10,
        contact_reminder_day=15,
    )
    dorsten = OrganisationFactory(name="Stadt Dorsten")
    marl = OrganisationFactory(name="Stadt Marl")
    kreis = OrganisationFactory(name="Kreis Recklinghausen")
    CohortOrganisationFactory(cohort=cohort, organisation=dorsten, mentee_seats=2, mentor_seats=1)
    CohortOrganisationFactory(cohort=cohort, organisation=marl, mentee_seats=1, mentor_seats=3)
    CohortOrganisationFactory(cohort=cohort, organisation=kreis, mentee_seats=0, mentor_seats=2)
    chair = OfficerFactory(email="vorsitz@dorsten.example.org")
    member = OfficerFactory(email="gleichstellung@marl.example.org")
    gone = OfficerFactory(email="ehemalig@kreis.example.org", is_active=False)
    for user, organisation, role, function_title, is_contact in [
        (chair, dorsten, BeiratRole.CHAIR, "Gleichstellungsbeauftragte", True),
        (member, marl, BeiratRole.MEMBER, "Personalrätin", False),
        (gone, kreis, BeiratRole.MEMBER, "Gleichstellungsbeauftragte", True),
    ]:
        BeiratMembershipFactory(
            user=user,
            organisation=organisation,
            programme=None,
            cohort=cohort,
            role=role,
            function_title=function_title,
            is_contact=is_contact,
        )
    # A seat for the whole programme holds for every cohort: nothing to copy.
    BeiratMembershipFactory(programme=cohort.programme, organisation=kreis)
    EligibilityPolicy.objects.create(
        cohort=cohort,
        accept_employee_course_2=False,
        minimum_grade_a="12",
        minimum_grade_eg="11",
        minimum_service_months=36,
        minimum_leadership_years=5,
        mentor_levels=["office", "department"],
    )
    ReviewCriterionFactory(cohort=cohort, name="Motivation", position=1)
    ReviewCriterionFactory(cohort=cohort, name="Führungspotenzial", position=2)
    MatchingSettings.objects.create(
        cohort=cohort,
        weight_topics=Decimal("4.50"),
        weight_distance=Decimal("0.50"),
        max_distance_km=60,
        separate_departments=False,
    )
    CertificatePolicy.objects.create(cohort=cohort, team_presentation=False, excused_counts=False)
    for kind, title, date, start_time, end_time, details in [
        (
            WorkshopKind.KICK_OFF,
            "Auftakt und Tandembildung",
            dt.date(2023, 3, 10),
            dt.time(9),
            dt.time(16, 30),
            {"facilitators": "Dr. Anna Beispiel"},
        ),
        (
            WorkshopKind.INTERIM,
            "Zwischenbilanz",
            dt.date(2023, 9, 20),
            dt.time(13),
            dt.time(17),
            {"mandatory": False, "invitees": Invitees.MENTEES},
        ),
        (WorkshopKind.FINAL, "Abschluss", dt.date(2024, 2, 29), dt.time(10), dt.time(15), {}),
    ]:
        WorkshopFactory(
            cohort=cohort,
            kind=kind,
            title=title,
            date=date,
            start_time=start_time,
            end_time=end_time,
            **details,
        )
    # People of the cohort: none of this may reach the copy.
    topic = TopicFactory(programme=cohort.programme, name="Führen in Teilzeit")
    tandem = TandemFactory(
        cohort=cohort,
        mentee__organisation=dorsten,
        mentor__organisation=marl,
    )
    tandem.mentee.topics.add(topic)
    ApplicationFactory(cohort=cohort, organisation=kreis, state=ApplicationState.REJECTED)
    Review.objects.create(
        application=tandem.mentee, reviewer=chair, scores={}, mean_score=4, comment="gut"
    )
    PairConstraint.objects.create(
        cohort=cohort, mentee=tandem.mentee, mentor=tandem.mentor, kind=ConstraintKind.PIN
    )
    kick_off = cohort.workshops.get(kind=WorkshopKind.KICK_OFF)
    RsvpFactory(workshop=kick_off, application=tandem.mentee)
    AttendanceFactory(workshop=kick_off, application=tandem.mentor)
    ProjectTeamFactory(cohort=cohort, members=[tandem.mentee])
    return cohort


def copy_2024(source, **changes):
    values = {
        "number": 9,
        "year": 2024,
        "title": "Cross-Mentoring 2024",
        "application_opens_at": berlin(2023, 11, 1, 9),
        "application_deadline": berlin(2024, 1, 31, 23, 59),
        "start_date": dt.date(2024, 3, 1),
        "end_date": dt.date(2025, 2, 28),
        "selection_date": dt.date(2024, 2, 15),
    } | changes
    return copying.cohort_copy(source=source, **values)


def test_copy_takes_over_the_set_up_exactly(source):
    cohort, parts = copy_2024(source)

    cohort.refresh_from_db()
    assert (cohort.programme_id, cohort.number, cohort.year, cohort.title) == (
        source.programme_id,
        9,
        2024,
        "Cross-Mentoring 2024",
    )
    assert cohort.state == CohortState.PLANNED
    assert (cohort.application_opens_at, cohort.application_deadline) == (
        berlin(2023, 11, 1, 9),
        berlin(2024, 1, 31, 23, 59),
    )
    assert (cohort.start_date, cohort.end_date, cohort.selection_date) == (
        dt.date(2024, 3, 1),
        dt.date(2025, 2, 28),
        dt.date(2024, 2, 15),
    )
    assert (
        cohort.duration_months,
        cohort.reviews_hidden_until_own,
        cohort.review_reminder_days,
        cohort.contact_reminder_day,
    ) == (12, False, 10, 15)

    assert list(
        CohortOrganisation.objects.filter(cohort=cohort)
        .order_by("organisation__name")
        .values_list("organisation__name", "mentee_seats", "mentor_seats")
    ) == [("Kreis Recklinghausen", 0, 2), ("Stadt Dorsten", 2, 1), ("Stadt Marl", 1, 3)]

    assert list(
        BeiratMembership.objects.filter(cohort=cohort)
        .order_by("user__email")
        .values_list("user__email", "organisation__name", "role", "function_title", "is_contact")
    ) == [
        ("gleichstellung@marl.example.org", "Stadt Marl", "member", "Personalrätin", False),
        (
            "vorsitz@dorsten.example.org",
            "Stadt Dorsten",
            "chair",
            "Gleichstellungsbeauftragte",
            True,
        ),
    ]
    # The programme's seat stays the programme's, once.
    assert BeiratMembership.objects.filter(programme=source.programme).count() == 1

    policy = EligibilityPolicy.objects.get(cohort=cohort)
    assert (
        policy.accept_career_group_2,
        policy.accept_employee_course_2,
        policy.degree_needs_check,
        policy.minimum_grade_a,
        policy.minimum_grade_eg,
        policy.minimum_grade_s,
        policy.require_permanent,
        policy.minimum_service_months,
        policy.minimum_leadership_years,
        policy.mentor_levels,
    ) == (True, False, True, "12", "11", "15", True, 36, 5, ["office", "department"])
    assert list(ReviewCriterion.objects.filter(cohort=cohort).values_list("name", "position")) == [
        ("Motivation", 1),
        ("Führungspotenzial", 2),
    ]

    weights = MatchingSettings.objects.get(cohort=cohort)
    assert (
        weights.weight_topics,
        weights.weight_kind,
        weights.weight_level,
        weights.weight_distance,
        weights.weight_wish,
        weights.max_distance_km,
        weights.separate_departments,
    ) == (Decimal("4.50"), Decimal("1"), Decimal("1"), Decimal("0.50"), Decimal("2"), 60, False)

    certificates = CertificatePolicy.objects.get(cohort=cohort)
    assert (
        certificates.mandatory_workshops,
        certificates.excused_counts,
        certificates.team_presentation,
        certificates.mentor_confirmation,
    ) == (True, False, False, True)

    # Workshops a year later, same day and month (29 February has no 2025: the 28th).
    assert list(
        Workshop.objects.filter(cohort=cohort).values_list(
            "kind",
            "title",
            "date",
            "start_time",
            "end_time",
            "venue_name",
            "facilitators",
            "mandatory",
            "invitees",
        )
    ) == [
        (
            "kick_off",
            "Auftakt und Tandembildung",
            dt.date(2024, 3, 10),
            dt.time(9),
            dt.time(16, 30),
            "Gemeinschaftshaus Wulfen",
            "Dr. Anna Beispiel",
            True,
            "both",
        ),
        (
            "interim",
            "Zwischenbilanz",
            dt.date(2024, 9, 20),
            dt.time(13),
            dt.time(17),
            "Gemeinschaftshaus Wulfen",
            "",
            False,
            "mentees",
        ),
        (
            "final",
            "Abschluss",
            dt.date(2025, 2, 28),
            dt.time(10),
            dt.time(15),
            "Gemeinschaftshaus Wulfen",
            "",
            True,
            "both",
        ),
    ]

    assert [(part.label, part.count) for part in parts] == [
        ("teilnehmende Organisationen mit ihren Plätzen", 3),
        ("Sitze im Mentoringbeirat dieses Jahrgangs", 2),
        ("Zulassungsvoraussetzungen", None),
        ("Bewertungskriterien", 2),
        ("Einstellungen der Tandembildung", None),
        ("Workshops (Daten ins neue Jahr verschoben, ohne Anmeldungen)", 3),
        ("Zertifikatsregel", None),
    ]


def people_rows():
    """How many rows of people's data there are, of every kind, in all cohorts."""
    models = [Application, Tandem, Review, PairConstraint, Rsvp, Attendance, ProjectTeam]
    return {model.__name__: model.objects.count() for model in models}


def test_copy_never_takes_people_or_their_data(source):
    before = people_rows()

    cohort, _parts = copy_2024(source)

    assert Application.objects.filter(cohort=cohort).count() == 0
    assert Tandem.objects.filter(cohort=cohort).count() == 0
    assert PairConstraint.objects.filter(cohort=cohort).count() == 0
    assert Rsvp.objects.filter(workshop__cohort=cohort).count() == 0
    assert Attendance.objects.filter(workshop__cohort=cohort).count() == 0
    assert ProjectTeam.objects.filter(cohort=cohort).count() == 0
    assert cohort.matching_runs.count() == 0
    # Nothing of the earlier cohort moved or was duplicated elsewhere either.
    assert people_rows() == before
    assert source.workshops.count() == 3
    assert source.participations.count() == 3


def test_copy_of_a_cohort_without_set_up_copies_only_the_cohort():
    bare = CohortFactory(number=1, year=2025)

    cohort, parts = copy_2024(bare, number=2, year=2026)

    assert parts == []
    assert cohort.participations.count() == 0
    assert not EligibilityPolicy.objects.filter(cohort=cohort).exists()
    assert not MatchingSettings.objects.filter(cohort=cohort).exists()
    assert not CertificatePolicy.objects.filter(cohort=cohort).exists()


def test_copy_refuses_a_number_the_programme_has(source):
    CohortFactory(programme=source.programme, number=9, year=2024)

    with pytest.raises(copying.CohortCopyError) as refused:
        copy_2024(source)

    assert refused.value.field == "number"
    assert str(refused.value) == "Den 9. Jahrgang gibt es in diesem Programm schon."
    assert Cohort.objects.filter(programme=source.programme).count() == 2


def test_preview_lists_what_a_copy_takes_over(source):
    assert [str(part) for part in copying.copy_preview(source=source)] == [
        "teilnehmende Organisationen mit ihren Plätzen: 3",
        "Sitze im Mentoringbeirat dieses Jahrgangs: 2",
        "Zulassungsvoraussetzungen",
        "Bewertungskriterien: 2",
        "Einstellungen der Tandembildung",
        "Workshops (Daten ins neue Jahr verschoben, ohne Anmeldungen): 3",
        "Zertifikatsregel",
    ]


def test_shift_years_keeps_day_and_month_and_german_time():
    assert copying.shift_years(dt.date(2024, 2, 29), 1) == dt.date(2025, 2, 28)
    # Summer time on 28 March 2023, winter time on 28 March 2024: 09:00 in Berlin both times.
    shifted = copying.shift_years(berlin(2023, 3, 28, 9), 1)
    assert shifted.utcoffset() == dt.timedelta(hours=1)
    assert (shifted.year, shifted.month, shifted.day, shifted.hour) == (2024, 3, 28, 9)
    assert berlin(2023, 3, 28, 9).utcoffset() == dt.timedelta(hours=2)


# The admin page -------------------------------------------------------------------------

COPY_URL = "/verwaltung/cohorts/cohort/{pk}/neuer-jahrgang/"


def form_data(**changes):
    return {
        "number": "9",
        "year": "2024",
        "title": "Cross-Mentoring 2024",
        "application_opens_at": "2023-11-01T09:00",
        "application_deadline": "2024-01-31T23:59",
        "start_date": "2024-03-01",
        "end_date": "2025-02-28",
        "selection_date": "",
    } | changes


def test_page_proposes_the_next_cohort(client, source):
    client.force_login(ProgrammeOfficeFactory())
    response = client.get(COPY_URL.format(pk=source.pk))
    assert response.status_code == 200
    form = response.context["form"]
    assert {name: form[name].value() for name in form.fields} == {
        "number": 9,
        "year": 2024,
        "title": "Cross-Mentoring 2024",
        "application_opens_at": dt.datetime(2023, 11, 1, 9),
        "application_deadline": dt.datetime(2024, 1, 31, 23, 59),
        "start_date": dt.date(2024, 3, 1),
        "end_date": dt.date(2025, 2, 28),
        "selection_date": dt.date(2024, 2, 15),
    }
    html = response.content.decode()
    assert 'value="2023-11-01T09:00"' in html
    assert "Bewerbungen, Bewertungen und Entscheidungen" in html


def test_page_copies_and_logs_who_did(client, source):
    office = ProgrammeOfficeFactory()
    client.force_login(office)

    response = client.post(COPY_URL.format(pk=source.pk), form_data())

    cohort = Cohort.objects.get(programme=source.programme, number=9)
    assert response.status_code == 302
    assert response["Location"] == f"/verwaltung/cohorts/cohort/{cohort.pk}/change/"
    assert cohort.application_opens_at == berlin(2023, 11, 1, 9)
    assert cohort.selection_date is None
    assert cohort.workshops.count() == 3
    entry = LogEntry.objects.get(object_id=str(cohort.pk))
    assert (entry.user_id, entry.action_flag, entry.change_message) == (
        office.pk,
        ADDITION,
        f"Aus {source} kopiert.",
    )


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"number": "8"}, "number", "Den 8. Jahrgang gibt es in diesem Programm schon."),
        ({"number": "null"}, "number", "Bitte eine ganze Zahl eingeben."),
        (
            {"year": "1999"},
            "year",
            "Dieser Wert muss größer oder gleich 2000 sein.",
        ),
        (
            {"application_deadline": "2023-10-01T12:00"},
            "application_deadline",
            "Der Bewerbungsschluss muss nach dem Beginn der Bewerbung liegen.",
        ),
        ({"end_date": "2024-03-01"}, "end_date", "Das Ende muss nach dem Beginn liegen."),
        ({"start_date": "31.02.2024"}, "start_date", "Bitte ein gültiges Datum eingeben."),
        ({"start_date": ""}, "start_date", "Dieses Feld ist zwingend erforderlich."),
    ],
)
def test_page_says_at_the_field_what_is_wrong(client, source, changes, field, message):
    client.force_login(ProgrammeOfficeFactory())

    response = client.post(COPY_URL.format(pk=source.pk), form_data(**changes))

    assert response.status_code == 200
    assert response.context["form"].errors == {field: [message]}
    html = response.content.decode()
    assert html.count(message) == 2  # in the summary and at the field
    assert Cohort.objects.filter(programme=source.programme).count() == 1


def test_officer_may_not_copy(client, source):
    officer = BeiratMembershipFactory(programme=source.programme).user
    client.force_login(officer)
    assert client.get(COPY_URL.format(pk=source.pk)).status_code == 403
    assert client.post(COPY_URL.format(pk=source.pk), form_data()).status_code == 403
    assert Cohort.objects.filter(programme=source.programme).count() == 1


def test_unknown_cohort_is_not_found(client):
    client.force_login(ProgrammeOfficeFactory())
    assert client.get(COPY_URL.format(pk=999999)).status_code == 404


def test_add_page_offers_the_newest_cohort_of_each_programme(client, source):
    older = CohortFactory(programme=source.programme, number=7, year=2022)
    other = CohortFactory(number=3, year=2024)
    client.force_login(ProgrammeOfficeFactory())
    html = client.get("/verwaltung/cohorts/cohort/add/").content.decode()
    assert COPY_URL.format(pk=source.pk) in html
    assert COPY_URL.format(pk=other.pk) in html
    assert COPY_URL.format(pk=older.pk) not in html


def _queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_copy_page_and_copy_take_a_constant_number_of_queries(client):
    client.force_login(ProgrammeOfficeFactory())

    def cohort_with(size, number):
        cohort = CohortFactory(number=number, year=2023)
        for index in range(size):
            CohortOrganisationFactory(cohort=cohort)
            BeiratMembershipFactory(programme=None, cohort=cohort)
            ReviewCriterionFactory(cohort=cohort, name=f"Kriterium {index}")
            WorkshopFactory(cohort=cohort, date=dt.date(2023, 4, 1) + dt.timedelta(days=index))
        return cohort

    small, large = cohort_with(1, 1), cohort_with(13, 1)
    small_page = _queries(client, COPY_URL.format(pk=small.pk))
    large_page = _queries(client, COPY_URL.format(pk=large.pk))
    assert small_page == large_page

    def post(cohort):
        with CaptureQueriesContext(connection) as queries:
            response = client.post(COPY_URL.format(pk=cohort.pk), form_data(number="2"))
        assert response.status_code == 302
        return len(queries)

    assert post(small) == post(large)


def test_list_action_leads_to_the_copy_page_for_one_cohort(client, source):
    other = CohortFactory(programme=source.programme, number=7, year=2022)
    client.force_login(ProgrammeOfficeFactory())
    url = "/verwaltung/cohorts/cohort/"

    response = client.post(url, {"action": "copy_cohort", "_selected_action": [source.pk]})
    assert response.status_code == 302
    assert response["Location"] == COPY_URL.format(pk=source.pk)

    response = client.post(
        url, {"action": "copy_cohort", "_selected_action": [source.pk, other.pk]}, follow=True
    )
    assert [str(message) for message in response.context["messages"]] == [
        "Bitte wählen Sie genau einen Jahrgang als Vorlage."
    ]


def test_cohort_page_links_to_the_copy(client, source):
    client.force_login(ProgrammeOfficeFactory())
    html = client.get(f"/verwaltung/cohorts/cohort/{source.pk}/change/").content.decode()
    assert (
        f'<a href="{COPY_URL.format(pk=source.pk)}">Neuen Jahrgang aus diesem anlegen</a>' in html
    )
