"""Who gets a certificate, and each reason why not, as the Beirat reads it."""

import datetime as dt
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from applications.enums import ApplicationRole
from tests.factories import (
    ApplicationFactory,
    AttendanceFactory,
    BeiratMembershipFactory,
    MentorApplicationFactory,
    ProgrammeOfficeFactory,
    ProjectTeamFactory,
    running_cohort,
)
from workshops.certificates import judge
from workshops.enums import AttendanceStatus, Invitees
from workshops.models import CertificatePolicy, Workshop

TODAY = dt.date(2027, 3, 1)
KICK_OFF = Workshop(pk=1, title="Auftaktworkshop", date=dt.date(2026, 3, 1), mandatory=True)
INTERIM = Workshop(pk=2, title="Zwischenworkshop", date=dt.date(2026, 9, 1), mandatory=True)
SEMINAR = Workshop(pk=3, title="Seminar", date=dt.date(2026, 10, 1), mandatory=False)
MENTEES_ONLY = Workshop(
    pk=4, title="Mentee-Tag", date=dt.date(2026, 11, 1), mandatory=True, invitees=Invitees.MENTEES
)
WORKSHOPS = [KICK_OFF, INTERIM, SEMINAR, MENTEES_ONLY]
PRESENT = AttendanceStatus.PRESENT
ALL_PRESENT = {1: PRESENT, 2: PRESENT, 4: PRESENT}
PRESENTED = SimpleNamespace(title="Digitale Akte", presented_on=dt.date(2027, 2, 20))


def reasons(role=ApplicationRole.MENTEE, statuses=ALL_PRESENT, team=PRESENTED, **policy):
    return judge(
        role=role,
        workshops=WORKSHOPS,
        statuses=statuses,
        team=team,
        policy=CertificatePolicy(**policy),
        today=TODAY,
    )


def test_a_mentee_who_attended_everything_and_presented_qualifies():
    assert reasons() == []


def test_the_optional_seminar_does_not_count():
    assert reasons(statuses={1: PRESENT, 2: PRESENT, 3: AttendanceStatus.ABSENT, 4: PRESENT}) == []


def test_an_unexcused_absence_is_named_with_the_workshop():
    assert reasons(statuses=ALL_PRESENT | {2: AttendanceStatus.ABSENT}) == [
        "Zwischenworkshop: unentschuldigt gefehlt"
    ]


def test_an_excused_absence_counts_as_attended_unless_the_cohort_says_otherwise():
    excused = ALL_PRESENT | {2: AttendanceStatus.EXCUSED}
    assert reasons(statuses=excused) == []
    assert reasons(statuses=excused, excused_counts=False) == [
        "Zwischenworkshop: entschuldigt gefehlt"
    ]


def test_missing_records_and_future_workshops_are_named():
    assert reasons(statuses={1: PRESENT, 4: PRESENT}) == [
        "Zwischenworkshop: Anwesenheit nicht erfasst"
    ]
    later = Workshop(pk=5, title="Abschlussworkshop", date=TODAY + dt.timedelta(days=1))
    assert judge(
        role=ApplicationRole.MENTEE,
        workshops=[later],
        statuses={},
        team=PRESENTED,
        policy=CertificatePolicy(),
        today=TODAY,
    ) == ["Abschlussworkshop: steht noch aus"]


def test_the_team_must_exist_and_have_presented():
    assert reasons(team=None) == ["keinem Projektteam zugeordnet"]
    not_yet = SimpleNamespace(title="Digitale Akte", presented_on=None)
    assert reasons(team=not_yet) == ["Projektteam „Digitale Akte“ hat noch nicht präsentiert"]
    assert reasons(team=None, team_presentation=False) == []


def test_mentors_need_their_workshops_but_no_team():
    mentor = ApplicationRole.MENTOR
    assert reasons(role=mentor, statuses={1: PRESENT, 2: PRESENT}, team=None) == []
    assert reasons(role=mentor, statuses={1: PRESENT}, team=None) == [
        "Zwischenworkshop: Anwesenheit nicht erfasst"
    ]
    assert reasons(role=mentor, team=None, mentor_confirmation=False) == [
        "Für Mentor:innen sieht dieser Jahrgang keine Bestätigung vor."
    ]


def test_the_rule_can_leave_out_the_workshops():
    assert reasons(statuses={}, mandatory_workshops=False) == []


# The Beirat's page ---------------------------------------------------------------------------


@pytest.fixture
def cohort():
    cohort = running_cohort()
    past = timezone.localdate() - dt.timedelta(days=30)
    interim = Workshop.objects.create(
        cohort=cohort,
        kind="interim",
        title="Zwischenworkshop",
        date=past,
        start_time=dt.time(9),
        end_time=dt.time(16),
        venue_name="Rathaus",
    )
    cohort.interim = interim
    return cohort


def url(cohort):
    return f"/beirat/jahrgang/{cohort.pk}/zertifikate/"


@pytest.mark.django_db
def test_the_page_says_who_qualifies_and_why_not(client, cohort):
    good = ApplicationFactory(accepted=True, cohort=cohort)
    AttendanceFactory(workshop=cohort.interim, application=good)
    ProjectTeamFactory(cohort=cohort, members=[good], presented_on=timezone.localdate())
    absent = ApplicationFactory(accepted=True, cohort=cohort)
    AttendanceFactory(workshop=cohort.interim, application=absent, status=AttendanceStatus.ABSENT)
    mentor = MentorApplicationFactory(accepted=True, cohort=cohort)
    AttendanceFactory(workshop=cohort.interim, application=mentor)
    client.force_login(ProgrammeOfficeFactory())
    page = client.get(url(cohort)).content.decode()
    rows = {row.split("</th>")[0]: row for row in page.split("<tr>")[2:]}
    by_name = {
        person: next(row for key, row in rows.items() if person.applicant.last_name in key)
        for person in (good, absent, mentor)
    }
    assert "erfüllt" in by_name[good] and "noch nicht" not in by_name[good]
    assert "Zwischenworkshop: unentschuldigt gefehlt" in by_name[absent]
    assert "keinem Projektteam zugeordnet" in by_name[absent]
    assert "noch nicht" not in by_name[mentor]


@pytest.mark.django_db
def test_who_may_see_the_page(client, cohort):
    mine = ApplicationFactory(accepted=True, cohort=cohort)
    other = ApplicationFactory(accepted=True, cohort=cohort)
    assert client.get(url(cohort)).status_code == 302
    client.force_login(mine.applicant)
    assert client.get(url(cohort)).status_code == 403
    officer = BeiratMembershipFactory(
        organisation=mine.organisation, programme=cohort.programme
    ).user
    client.force_login(officer)
    page = client.get(url(cohort)).content.decode()
    assert mine.applicant.get_full_name() in page
    assert other.applicant.get_full_name() not in page


@pytest.mark.django_db
def test_page_queries_do_not_grow_with_participants(client, cohort):
    client.force_login(ProgrammeOfficeFactory())
    person = ApplicationFactory(accepted=True, cohort=cohort)
    AttendanceFactory(workshop=cohort.interim, application=person)
    client.get(url(cohort))
    with CaptureQueriesContext(connection) as one:
        client.get(url(cohort))
    for _ in range(30):
        person = ApplicationFactory(accepted=True, cohort=cohort)
        AttendanceFactory(workshop=cohort.interim, application=person)
        ProjectTeamFactory(cohort=cohort, members=[person])
    with CaptureQueriesContext(connection) as many:
        client.get(url(cohort))
    assert len(many) == len(one)
