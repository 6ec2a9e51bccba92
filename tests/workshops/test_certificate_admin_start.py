"""The admin's "Zertifikatsdruck" starts through ``services.certificate_batch_start``, never
with a 500."""

import datetime as dt
import threading
import time

import pytest
from django.contrib.admin.models import ADDITION, LogEntry
from django.contrib.messages import get_messages
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone

from tests.factories import ProgrammeOfficeFactory, running_cohort
from workshops.enums import BatchState
from workshops.models import CertificateBatch

pytestmark = pytest.mark.django_db
ADD_URL = "/verwaltung/workshops/certificatebatch/add/"


def batch_page(batch):
    return reverse("workshops:batch", kwargs={"cohort_id": batch.cohort_id, "pk": batch.pk})


def said(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def test_the_admin_start_creates_the_batch_through_the_service(
    client, ceremony, django_capture_on_commit_callbacks
):
    office = ceremony["people"]["office"]
    client.force_login(office)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(ADD_URL, {"cohort": ceremony["cohort"].pk})

    batch = CertificateBatch.objects.get()
    assert (response.status_code, response["Location"]) == (302, batch_page(batch))
    assert said(response) == [f"Der Druck für {ceremony['cohort']} ist gestartet."]
    # Queued by the service after the commit, and printed (the worker runs inline here).
    assert (batch.state, batch.requested_by, batch.total) == (BatchState.DONE, office, 2)
    entry = LogEntry.objects.get()
    assert (entry.action_flag, entry.object_id, entry.user) == (ADDITION, str(batch.pk), office)


def test_a_running_batch_is_shown_with_a_message_instead_of_an_error(client, ceremony):
    running = CertificateBatch.objects.create(
        cohort=ceremony["cohort"], state=BatchState.RUNNING, heartbeat_at=timezone.now()
    )
    client.force_login(ceremony["people"]["office"])

    response = client.post(ADD_URL, {"cohort": ceremony["cohort"].pk})

    assert (response.status_code, response["Location"]) == (302, batch_page(running))
    assert said(response) == [
        f"Für {ceremony['cohort']} läuft bereits ein Druck; hier sehen Sie seinen Stand."
    ]
    assert CertificateBatch.objects.get() == running
    page = client.get(response["Location"]).content.decode()
    assert f"Für {ceremony['cohort']} läuft bereits ein Druck" in page


def test_a_stalled_batch_is_resumed_from_the_admin(
    client, ceremony, django_capture_on_commit_callbacks
):
    stalled = CertificateBatch.objects.create(
        cohort=ceremony["cohort"],
        state=BatchState.RUNNING,
        heartbeat_at=timezone.now() - dt.timedelta(hours=1),
    )
    client.force_login(ceremony["people"]["office"])

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(ADD_URL, {"cohort": ceremony["cohort"].pk})

    assert (response.status_code, response["Location"]) == (302, batch_page(stalled))
    assert said(response) == [
        f"Der stehengebliebene Druck für {ceremony['cohort']} wird fortgesetzt."
    ]
    stalled.refresh_from_db()
    assert (stalled.state, stalled.total, stalled.done) == (BatchState.DONE, 2, 2)
    assert CertificateBatch.objects.count() == 1


@pytest.mark.parametrize("cohort", ["", "987654", "kein-jahrgang"])
def test_a_missing_or_unknown_cohort_is_a_form_error(client, ceremony, cohort):
    client.force_login(ceremony["people"]["office"])

    response = client.post(ADD_URL, {"cohort": cohort})

    assert response.status_code == 200
    assert response.context["adminform"].form.errors.keys() == {"cohort"}
    assert CertificateBatch.objects.count() == 0


@pytest.mark.parametrize("role", ["bottrop", "chair", "participant"])
def test_nobody_but_the_office_starts_a_batch_in_the_admin(client, ceremony, role):
    client.force_login(ceremony["people"][role])

    response = client.post(ADD_URL, {"cohort": ceremony["cohort"].pk})

    assert response.status_code == (302 if role == "participant" else 403)
    assert CertificateBatch.objects.count() == 0


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_people_starting_at_once_both_see_the_first_batch(client):
    """The first start's row is in the database but not committed when the second starts:
    the second one's insert waits for it and then meets the unique constraint."""
    cohort = running_cohort()
    first, second = ProgrammeOfficeFactory(), ProgrammeOfficeFactory()
    inserted, errors = threading.Event(), []

    def first_start():
        try:
            with transaction.atomic():
                CertificateBatch.objects.create(cohort=cohort, requested_by=first)
                inserted.set()
                waited_for(lambda: other_sessions_waiting_for_a_lock() > 0)
        except Exception as error:  # noqa: BLE001 -- reported below
            errors.append(error)
        finally:
            inserted.set()
            connection.close()

    thread = threading.Thread(target=first_start)
    thread.start()
    inserted.wait(timeout=10)
    client.force_login(second)
    response = client.post(ADD_URL, {"cohort": cohort.pk})
    thread.join(timeout=30)

    assert errors == []
    batch = CertificateBatch.objects.get()
    assert batch.requested_by == first
    assert (response.status_code, response["Location"]) == (302, batch_page(batch))
    assert said(response) == [
        f"Soeben wurde der Druck für {cohort} von jemand anderem gestartet; "
        "hier sehen Sie seinen Stand."
    ]


def other_sessions_waiting_for_a_lock():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity "
            "WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        return cursor.fetchone()[0]


def waited_for(condition, timeout=10):
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("the second start never waited for the first")
        time.sleep(0.05)
