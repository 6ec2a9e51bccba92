"""The rule "two months without contact", the same for its four users, at month boundaries.

A tandem is quiet when it is active, started by the first day of the month two months
back, and had no contact since that day: the two whole calendar months before the current
one, and the current month so far (``tandems.selectors.quiet_condition``). Its users: the
Beirat's grid, the grid's "quiet" filter, the CSV export and the escalation e-mail.
"""

import csv
import datetime as dt
import io
from dataclasses import dataclass, field

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tandems import reminders
from tandems.enums import TandemStatus
from tests.factories import (
    BERLIN,
    BeiratMembershipFactory,
    ContactFactory,
    ProgrammeOfficeFactory,
    TandemFactory,
    running_cohort,
)

pytestmark = pytest.mark.django_db
D = dt.date


@dataclass
class Case:
    today: dt.date
    contacts: list
    quiet: bool
    start: dt.date = D(2026, 1, 1)  # the tandem's start; its cohort starts on the 1st
    cohort: tuple = (D(2026, 1, 1), D(2026, 12, 31))
    status: str = TandemStatus.ACTIVE
    extra: dict = field(default_factory=dict)


CASES = {
    # The example of the issue, tried on 20 May: met on 18 May after a long quiet spell.
    "20 May, contact on 18 May after quiet Feb–Apr": Case(
        D(2026, 5, 20), [D(2026, 1, 12), D(2026, 5, 18)], quiet=False
    ),
    # Last contact 30 March: March counts on 20 May; quiet from 1 June on.
    "20 May, last contact 30 March": Case(D(2026, 5, 20), [D(2026, 3, 30)], quiet=False),
    "31 May, last contact 30 March": Case(D(2026, 5, 31), [D(2026, 3, 30)], quiet=False),
    "1 June, last contact 30 March": Case(D(2026, 6, 1), [D(2026, 3, 30)], quiet=True),
    "1 June, last contact 31 March": Case(D(2026, 6, 1), [D(2026, 3, 31)], quiet=True),
    "1 June, last contact 1 April": Case(D(2026, 6, 1), [D(2026, 4, 1)], quiet=False),
    "30 June, last contact 1 April": Case(D(2026, 6, 30), [D(2026, 4, 1)], quiet=False),
    "1 July, last contact 1 April": Case(D(2026, 7, 1), [D(2026, 4, 1)], quiet=True),
    # Started on the 1st: the two whole months are its own from the first day of the third.
    "started 1 March, no contact, 30 April": Case(
        D(2026, 4, 30), [], quiet=False, start=D(2026, 3, 1)
    ),
    "started 1 March, no contact, 1 May": Case(D(2026, 5, 1), [], quiet=True, start=D(2026, 3, 1)),
    # Started mid-month (e.g. re-matched): March is not a whole month of this tandem.
    "started 15 March, no contact, 20 May": Case(
        D(2026, 5, 20), [], quiet=False, start=D(2026, 3, 15)
    ),
    "started 15 March, no contact, 31 May": Case(
        D(2026, 5, 31), [], quiet=False, start=D(2026, 3, 15)
    ),
    "started 15 March, no contact, 1 June": Case(
        D(2026, 6, 1), [], quiet=True, start=D(2026, 3, 15)
    ),
    "started 15 March, contact 20 March, 1 June": Case(
        D(2026, 6, 1), [D(2026, 3, 20)], quiet=True, start=D(2026, 3, 15)
    ),
    # Over the turn of the year.
    "31 January, last contact 30 November": Case(
        D(2027, 1, 31), [D(2026, 11, 30)], quiet=False, cohort=(D(2026, 9, 1), D(2027, 8, 31))
    ),
    "1 February, last contact 30 November": Case(
        D(2027, 2, 1), [D(2026, 11, 30)], quiet=True, cohort=(D(2026, 9, 1), D(2027, 8, 31))
    ),
    "1 January, last contact 31 October": Case(
        D(2027, 1, 1), [D(2026, 10, 31)], quiet=True, cohort=(D(2026, 9, 1), D(2027, 8, 31))
    ),
    "1 January, last contact 1 November": Case(
        D(2027, 1, 1), [D(2026, 11, 1)], quiet=False, cohort=(D(2026, 9, 1), D(2027, 8, 31))
    ),
    "1 January, contact on 1 January after quiet Nov–Dec": Case(
        D(2027, 1, 1),
        [D(2026, 10, 5), D(2027, 1, 1)],
        quiet=False,
        cohort=(D(2026, 9, 1), D(2027, 8, 31)),
    ),
    # Only while it is active and runs.
    "ended early, no contact": Case(
        D(2026, 6, 1), [], quiet=False, status=TandemStatus.ENDED, extra={"ended_at": D(2026, 5, 1)}
    ),
    "completed, no contact": Case(D(2026, 6, 1), [], quiet=False, status=TandemStatus.COMPLETED),
    "cohort over, no contact": Case(
        D(2026, 6, 1), [], quiet=False, cohort=(D(2026, 1, 1), D(2026, 5, 31))
    ),
}


def build(case):
    """The case's tandem, with an equality officer of the mentee's organisation."""
    cohort = running_cohort(start_date=case.cohort[0], end_date=case.cohort[1])
    tandem = TandemFactory(cohort=cohort, start_date=case.start, status=case.status, **case.extra)
    for day in case.contacts:
        ContactFactory(tandem=tandem, date=day)
    BeiratMembershipFactory(organisation=tandem.mentee.organisation, programme=cohort.programme)
    return tandem


@pytest.fixture
def clock(monkeypatch):
    """Sets the day the pages believe it is (noon in Berlin); only the clock is replaced."""

    def set_today(day):
        moment = dt.datetime(day.year, day.month, day.day, 12, tzinfo=BERLIN)
        monkeypatch.setattr(timezone, "now", lambda: moment)

    return set_today


@pytest.fixture
def office(client, clock):
    def log_in(day):
        clock(day)
        client.force_login(ProgrammeOfficeFactory())
        return client

    return log_in


def grid_row(client, tandem, query=""):
    page = client.get(f"/beirat/jahrgang/{tandem.cohort_id}/kontakte/{query}")
    assert page.status_code == 200
    rows = page.content.decode().split("<tr")
    name = tandem.mentee.applicant.get_full_name()
    return next((row for row in rows if name in row), None)


@pytest.mark.parametrize("name", CASES)
def test_the_grid_marks_a_quiet_tandem(office, name):
    case = CASES[name]
    tandem = build(case)
    row = grid_row(office(case.today), tandem)
    assert ("tandem-quiet" in row) == case.quiet
    assert ("zwei Monate ohne Kontakt</span>" in row) == case.quiet


@pytest.mark.parametrize("name", CASES)
def test_the_quiet_filter_keeps_exactly_the_quiet_tandems(office, name):
    case = CASES[name]
    tandem = build(case)
    assert (grid_row(office(case.today), tandem, "?quiet=on") is not None) == case.quiet


@pytest.mark.parametrize("name", CASES)
def test_the_csv_says_whether_a_tandem_is_quiet(office, name):
    case = CASES[name]
    tandem = build(case)
    response = office(case.today).get(f"/beirat/jahrgang/{tandem.cohort_id}/kontakte.csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][5] == "zwei Monate ohne Kontakt"
    assert [row[5] for row in rows[1:]] == ["ja" if case.quiet else "nein"]


@pytest.mark.parametrize("name", CASES)
def test_the_escalation_goes_out_for_exactly_the_quiet_tandems(name):
    case = CASES[name]
    tandem = build(case)
    due = list(reminders.contact_escalation(case.today))
    assert [item.about.pk for item in due] == ([tandem.pk] if case.quiet else [])


def test_the_four_users_agree_on_a_cohort_with_many_tandems(office):
    """All cases of one cohort at once, on one day: grid, filter, CSV and e-mail agree."""
    today = D(2026, 6, 1)
    cases = {
        name: case
        for name, case in CASES.items()
        if case.today == today and case.cohort == (D(2026, 1, 1), D(2026, 12, 31))
    }
    cohort = running_cohort(start_date=D(2026, 1, 1), end_date=D(2026, 12, 31))
    expected = {}
    for case in cases.values():
        tandem = TandemFactory(
            cohort=cohort, start_date=case.start, status=case.status, **case.extra
        )
        for day in case.contacts:
            ContactFactory(tandem=tandem, date=day)
        BeiratMembershipFactory(organisation=tandem.mentee.organisation, programme=cohort.programme)
        expected[tandem.mentee.applicant.get_full_name()] = case.quiet
    quiet_names = sorted(name for name, quiet in expected.items() if quiet)
    assert len(quiet_names) == 4 and len(expected) == 7

    client = office(today)
    page = client.get(f"/beirat/jahrgang/{cohort.pk}/kontakte/").content.decode()
    flagged = sorted(
        name
        for name in expected
        if "tandem-quiet" in next(r for r in page.split("<tr") if name in r)
    )
    filtered = client.get(f"/beirat/jahrgang/{cohort.pk}/kontakte/?quiet=on").content.decode()
    in_filter = sorted(name for name in expected if name in filtered)
    response = client.get(f"/beirat/jahrgang/{cohort.pk}/kontakte.csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    in_csv = sorted(row[0] for row in rows[1:] if row[5] == "ja")
    mailed = sorted(
        item.about.mentee.applicant.get_full_name() for item in reminders.contact_escalation(today)
    )
    assert flagged == in_filter == in_csv == mailed == quiet_names


def test_the_grid_filter_and_csv_cost_the_same_for_one_or_many_tandems(office):
    today = D(2026, 6, 1)
    cohort = running_cohort(start_date=D(2026, 1, 1), end_date=D(2026, 12, 31))
    ContactFactory(tandem=TandemFactory(cohort=cohort), date=D(2026, 3, 30))
    client = office(today)
    urls = [
        f"/beirat/jahrgang/{cohort.pk}/kontakte/",
        f"/beirat/jahrgang/{cohort.pk}/kontakte/?quiet=on",
        f"/beirat/jahrgang/{cohort.pk}/kontakte.csv",
    ]

    def counts():
        result = []
        for address in urls:
            with CaptureQueriesContext(connection) as queries:
                assert client.get(address).status_code == 200
            result.append(len(queries))
        return result

    one = counts()
    for number in range(40):
        tandem = TandemFactory(cohort=cohort, start_date=D(2026, 1 + number % 5, 1 + number % 20))
        ContactFactory(tandem=tandem, date=D(2026, 1 + number % 5, 25))
    assert counts() == one
