"""The retention job: its command, its dry run, its log, its beat entry and its preview."""

import datetime as dt
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from applications.enums import ApplicationState
from applications.models import Application
from mentoring.celery import app as celery_app
from mentoring.models import ErasureRecord, User
from mentoring.retention import add_months
from tandems.models import Contact, GoalAgreement
from tests.factories import (
    ApplicationFactory,
    BeiratMembershipFactory,
    CohortFactory,
    ContactFactory,
    ProgrammeOfficeFactory,
    TandemFactory,
    UserFactory,
    running_cohort,
)

pytestmark = pytest.mark.django_db

BERLIN = ZoneInfo("Europe/Berlin")
PREVIEW = "/verwaltung/mentoring/erasurerecord/vorschau/"


def rejected(decided, **kwargs):
    return ApplicationFactory(
        state=ApplicationState.REJECTED,
        decision_released_at=dt.datetime.combine(decided, dt.time(10), tzinfo=BERLIN),
        **kwargs,
    )


@pytest.fixture
def due_things():
    """A rejected application, a draft and a tandem's content, all due on 1 July 2026."""
    rejected(dt.date(2026, 1, 1), applicant__first_name="Sabine", applicant__last_name="Kowalski")
    cohort = CohortFactory(
        application_opens_at=dt.datetime(2025, 9, 1, tzinfo=BERLIN),
        application_deadline=dt.datetime(2026, 1, 1, 12, tzinfo=BERLIN),
        start_date=dt.date(2026, 2, 1),
        end_date=dt.date(2027, 1, 31),
    )
    ApplicationFactory(cohort=cohort, applicant__email="entwurf@example.org")
    old = running_cohort(start_date=dt.date(2024, 7, 1), end_date=dt.date(2025, 7, 1))
    tandem = TandemFactory(cohort=old)
    ContactFactory(tandem=tandem, note="Vertraulich: Wechsel ins Dezernat", date=old.start_date)
    GoalAgreement.objects.create(tandem=tandem, expectations_mentee="Führung lernen")
    return {"tandem": tandem}


def snapshot():
    # Only this test's files: other test runs share the media folder.
    stored = [application.cv for application in Application.objects.all() if application.cv] + [
        application.letter for application in Application.objects.all() if application.letter
    ]
    files = sorted((file.name, file.storage.exists(file.name)) for file in stored)
    assert files and all(exists for _name, exists in files)
    return {
        "applications": list(Application.objects.order_by("pk").values()),
        "users": list(User.objects.order_by("pk").values()),
        "contacts": list(Contact.objects.order_by("pk").values()),
        "agreements": GoalAgreement.objects.count(),
        "records": ErasureRecord.objects.count(),
        "files": files,
    }


def test_a_dry_run_lists_what_would_go_and_changes_nothing(
    due_things, django_capture_on_commit_callbacks
):
    before = snapshot()
    out = StringIO()

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        call_command("erase_due", "--dry-run", "--date", "2026-07-01", stdout=out)

    assert callbacks == []
    assert snapshot() == before
    lines = out.getvalue().splitlines()
    assert lines[-1] == "2026-07-01: 4 row(s) would be erased."
    assert sorted(line.split("\t")[1] for line in lines[:-1]) == [
        "application",
        "contact",
        "draft",
        "goal_agreement",
    ]


def test_the_dry_run_names_exactly_what_the_run_then_erases(due_things):
    out = StringIO()
    call_command("erase_due", "--dry-run", "--date", "2026-07-01", stdout=out)
    dry = sorted(out.getvalue().splitlines()[:-1])

    out = StringIO()
    call_command("erase_due", "--date", "2026-07-01", stdout=out)

    assert sorted(out.getvalue().splitlines()[:-1]) == dry
    assert out.getvalue().splitlines()[-1] == "2026-07-01: 4 row(s) erased."
    assert ErasureRecord.objects.count() == 4


def test_the_day_before_nothing_is_due(due_things):
    out = StringIO()
    call_command("erase_due", "--date", "2026-06-30", stdout=out)

    assert out.getvalue() == "2026-06-30: 0 row(s) erased.\n"
    assert ErasureRecord.objects.count() == 0


def test_a_bad_date_is_refused():
    with pytest.raises(Exception, match="expected YYYY-MM-DD"):
        call_command("erase_due", "--date", "1.7.2026")


def test_the_erasure_log_holds_no_personal_data(due_things):
    people = list(User.objects.filter(is_active=True))
    call_command("erase_due", "--date", "2026-07-01", stdout=StringIO())

    values = [
        str(value)
        for record in ErasureRecord.objects.all()
        for value in (
            record.kind,
            record.count,
            record.cohort,
            record.reason,
            record.erased_by,
            str(record),
        )
    ]
    assert len(values) == 4 * 6
    for person in people:
        for personal in (person.email, person.first_name, person.last_name):
            assert not any(personal in value for value in values), personal
    for secret in ("Kowalski", "entwurf@", "Dezernat", "Führung lernen", ".pdf"):
        assert not any(secret in value for value in values)


def test_the_beat_runs_the_job_every_night():
    from mentoring import tasks  # noqa: F401 (a worker imports every app's tasks)

    entry = settings.CELERY_BEAT_SCHEDULE["erase-due"]
    assert entry["task"] == "mentoring.erase_due"
    assert entry["task"] in celery_app.tasks
    assert (entry["schedule"].hour, entry["schedule"].minute) == ({2}, {30})


def test_the_task_erases_what_is_due_today():
    rejected(add_months(timezone.localdate(), -6))

    from mentoring.tasks import erase_due as task

    result = task.delay().get()

    assert list(result.values()) == [1]
    assert ErasureRecord.objects.get().kind == "application"


# The preview --------------------------------------------------------------------------------


def due_in(days, **kwargs):
    """A rejected application due about ``days`` from today (at most that: a month's end
    may clamp), and the day it is due."""
    decided = add_months(timezone.localdate() + dt.timedelta(days=days), -6)
    return rejected(decided, **kwargs), add_months(decided, 6)


def test_the_office_sees_what_goes_in_the_next_30_days(client):
    soon, soon_due = due_in(3)
    later, later_due = due_in(20)
    due_in(45)
    client.force_login(ProgrammeOfficeFactory())

    response = client.get(PREVIEW)

    assert response.status_code == 200
    rows = [
        (row.due_on, row.cohort, row.kind, row.count)
        for row in response.context["page"].object_list
    ]
    assert rows == [
        (soon_due, str(soon.cohort), "application", 1),
        (later_due, str(later.cohort), "application", 1),
    ]
    text = response.content.decode()
    assert str(soon.cohort) in text
    assert soon_due.strftime("%d.%m.%Y") in text
    assert soon.applicant.last_name not in text


def test_the_erasure_log_links_to_the_preview(client):
    client.force_login(ProgrammeOfficeFactory())

    response = client.get("/verwaltung/mentoring/erasurerecord/")

    assert response.status_code == 200
    assert PREVIEW in response.content.decode()


def test_the_preview_and_the_log_are_for_the_office_only(client):
    due_in(3)
    officer = BeiratMembershipFactory().user
    client.force_login(officer)

    assert client.get(PREVIEW).status_code == 403
    assert client.get("/verwaltung/mentoring/erasurerecord/").status_code == 403

    client.force_login(UserFactory())
    response = client.get(PREVIEW)
    assert response.status_code == 302
    assert response["Location"].startswith("/verwaltung/login/")

    client.logout()
    assert client.get(PREVIEW).status_code == 302


def queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured), response


def test_the_preview_queries_do_not_grow_and_it_pages(client):
    client.force_login(ProgrammeOfficeFactory())
    due_in(1)
    client.get(PREVIEW)
    one, _ = queries(client, PREVIEW)

    for day in range(60):
        due_in(day % 30)
    tandem = TandemFactory(
        cohort=running_cohort(
            start_date=add_months(timezone.localdate(), -24),
            end_date=add_months(timezone.localdate(), -12) + dt.timedelta(days=5),
        )
    )
    ContactFactory(tandem=tandem, note="Notiz")
    many, response = queries(client, PREVIEW)

    assert many == one
    assert response.context["total"] == 62
    assert response.context["page"].paginator.num_pages == 2
    assert len(response.context["page"].object_list) == 50
    assert queries(client, PREVIEW + "?seite=2")[0] == one
