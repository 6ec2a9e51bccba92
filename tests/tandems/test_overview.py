"""The Beirat's monthly-contact grid and CSV, and what officers can never see."""

import csv
import datetime as dt
import io

import pytest
from django.contrib import admin
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cohorts.enums import BeiratRole
from mentoring.months import add_months, month_start
from mentoring.reminders import sweep
from tandems.enums import ContactFormat
from tests.factories import (
    BERLIN,
    ApplicationFactory,
    BeiratMembershipFactory,
    ContactFactory,
    ProgrammeOfficeFactory,
    TandemFactory,
    TopicFactory,
    UserFactory,
    running_cohort,
)

pytestmark = pytest.mark.django_db
NOTE = "Streng vertraulich: Konflikt mit dem Amtsleiter"
TOPIC = "Geheimes Thema Nachfolgeplanung"
MINUTES = 97


@pytest.fixture
def cohort():
    return running_cohort()


@pytest.fixture
def quiet(cohort):
    """Contact in the first month only: months two to five are missing."""
    tandem = TandemFactory(cohort=cohort)
    contact = ContactFactory(
        tandem=tandem,
        date=cohort.start_date,
        format=ContactFormat.PHONE,
        note=NOTE,
        topics_other=TOPIC,
        duration_minutes=MINUTES,
    )
    contact.topics.add(TopicFactory(name="Nur im Kontakt genanntes Thema"))
    return tandem


@pytest.fixture
def lively(cohort):
    tandem = TandemFactory(cohort=cohort)
    for months in range(6):
        ContactFactory(tandem=tandem, date=add_months(cohort.start_date, months))
    return tandem


def officer_of(organisation, cohort, **kwargs):
    return BeiratMembershipFactory(
        organisation=organisation, programme=cohort.programme, **kwargs
    ).user


def grid(client, cohort, query=""):
    return client.get(f"/beirat/jahrgang/{cohort.pk}/kontakte/{query}")


def test_the_grid_shows_each_month_with_symbol_and_text(client, cohort, quiet, lively):
    client.force_login(ProgrammeOfficeFactory())
    response = grid(client, cohort)
    assert response.status_code == 200
    page = response.content.decode()
    rows = page.split("<tr")
    quiet_row = next(row for row in rows if quiet.mentee.applicant.get_full_name() in row)
    lively_row = next(row for row in rows if lively.mentee.applicant.get_full_name() in row)
    assert "tandem-quiet" in quiet_row and "zwei Monate ohne Kontakt" in quiet_row
    assert "tandem-quiet" not in lively_row
    assert quiet_row.count("cell-done") == 1 and quiet_row.count("cell-missing") == 4
    assert "Kontakt: Telefon" in quiet_row  # the format, as text, not only a colour
    assert lively_row.count("cell-done") == 6
    assert quiet_row.count("cell-upcoming") == len(quiet.months) - 6
    assert "1 davon mit zwei Monaten ohne Kontakt" in page


def test_officers_see_their_peoples_tandems_and_filters_narrow(client, cohort, quiet, lively):
    client.force_login(officer_of(quiet.mentor.organisation, cohort))
    page = grid(client, cohort).content.decode()
    assert quiet.mentee.applicant.get_full_name() in page
    assert lively.mentee.applicant.get_full_name() not in page

    client.force_login(ProgrammeOfficeFactory())
    page = grid(client, cohort, f"?organisation={lively.mentee.organisation_id}").content.decode()
    assert lively.mentee.applicant.get_full_name() in page
    assert quiet.mentee.applicant.get_full_name() not in page
    page = grid(client, cohort, "?quiet=on").content.decode()
    assert quiet.mentee.applicant.get_full_name() in page
    assert lively.mentee.applicant.get_full_name() not in page
    # Nonsense in the filters is ignored, not a 500.
    assert grid(client, cohort, "?organisation=abc&seite=-3&quiet=xyz").status_code == 200


def test_participants_and_strangers_do_not_get_the_grid(client, cohort, quiet):
    assert grid(client, cohort).status_code == 302
    for user in (quiet.mentee.applicant, UserFactory()):
        client.force_login(user)
        assert grid(client, cohort).status_code == 403
        assert client.get(f"/beirat/jahrgang/{cohort.pk}/kontakte.csv").status_code == 403


def test_the_csv_has_the_same_grid(client, cohort, quiet, lively):
    quiet.mentee.applicant.first_name = "=HYPERLINK(1)"
    quiet.mentee.applicant.save()
    client.force_login(ProgrammeOfficeFactory())
    response = client.get(f"/beirat/jahrgang/{cohort.pk}/kontakte.csv")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    header = rows[0]
    first_month = f"{cohort.start_date:%Y-%m}"
    assert header[:6] == [
        "Mentee",
        "Organisation der Mentee",
        "Mentor:in",
        "Organisation der Mentor:in",
        "Status",
        "zwei Monate ohne Kontakt",
    ]
    assert header[6] == first_month and len(header) == 6 + len(quiet.months)
    by_mentee = {row[0]: row for row in rows[1:]}
    quiet_row = next(row for name, row in by_mentee.items() if "HYPERLINK" in name)
    assert quiet_row[0].startswith("'")  # a name is never a formula in Excel
    assert quiet_row[5] == "ja"
    assert quiet_row[6:11] == ["Telefon"] + ["kein Kontakt"] * 4
    assert by_mentee[lively.mentee.applicant.get_full_name()][5] == "nein"


def test_grid_queries_do_not_grow_with_tandems(client, cohort):
    office = ProgrammeOfficeFactory()
    ContactFactory(tandem=TandemFactory(cohort=cohort))
    client.force_login(office)
    with CaptureQueriesContext(connection) as one:
        assert grid(client, cohort).status_code == 200
    for index in range(99):
        tandem = TandemFactory(cohort=cohort)
        ContactFactory(tandem=tandem, date=add_months(cohort.start_date, index % 5))
    with CaptureQueriesContext(connection) as hundred:
        response = grid(client, cohort)
    assert response.status_code == 200 and response.context["page"].paginator.count == 100
    assert len(hundred) == len(one)
    officer = officer_of(cohort.tandems.first().mentee.organisation, cohort)
    client.force_login(officer)
    with CaptureQueriesContext(connection) as as_officer:
        grid(client, cohort)
    assert len(as_officer) <= len(one) + 2


def test_a_page_of_the_grid_reads_its_own_rows_only(client, cohort):
    """60 tandems, two of them quiet: page 1 reads 50 tandems and their contacts; the
    counts above the grid are the database's, over all 60."""
    for index in range(60):
        tandem = TandemFactory(cohort=cohort)
        if index not in (7, 55):  # the quiet ones: no contact at all
            ContactFactory(tandem=tandem, date=add_months(timezone.localdate(), -1))
    client.force_login(ProgrammeOfficeFactory())
    with CaptureQueriesContext(connection) as captured:
        response = grid(client, cohort)
    page = response.context["page"]
    assert (len(page.object_list), page.paginator.count, page.paginator.num_pages) == (50, 60, 2)
    assert response.context["quiet_count"] == 2
    assert "2 davon mit zwei Monaten ohne Kontakt" in response.content.decode()
    tandem_rows = [q["sql"] for q in captured if 'FROM "tandems_tandem"' in q["sql"]]
    assert [sql for sql in tandem_rows if "COUNT(" not in sql][0].endswith("LIMIT 50")
    contacts = next(q["sql"] for q in captured if 'FROM "tandems_contact"' in q["sql"])
    assert contacts.count(",") < 80  # the ids of one page's tandems, not of all 60
    second = grid(client, cohort, "?seite=2").context["page"]
    assert len(second.object_list) == 10
    quiet_only = grid(client, cohort, "?quiet=on").context
    assert quiet_only["page"].paginator.count == 2 and quiet_only["quiet_count"] == 2


def test_csv_queries_do_not_grow_with_tandems(client, cohort):
    url = f"/beirat/jahrgang/{cohort.pk}/kontakte.csv"
    ContactFactory(tandem=TandemFactory(cohort=cohort))
    client.force_login(ProgrammeOfficeFactory())
    with CaptureQueriesContext(connection) as one:
        assert client.get(url).status_code == 200
    for index in range(59):
        tandem = TandemFactory(cohort=cohort)
        ContactFactory(tandem=tandem, date=add_months(cohort.start_date, index % 5))
    with CaptureQueriesContext(connection) as sixty:
        response = client.get(url)
    assert len(response.content.decode("utf-8-sig").splitlines()) == 61
    assert len(sixty) == len(one)


# Confidentiality ---------------------------------------------------------------------------


def _officer_pages(client, cohort, tandem):
    """Every page and export an officer can reach that concerns this tandem."""
    urls = [
        "/beirat/",
        reverse("tandems:list", args=[cohort.pk]),
        reverse("tandems:contacts", args=[cohort.pk]),
        reverse("tandems:contacts", args=[cohort.pk]) + "?quiet=on",
        reverse("tandems:contacts_csv", args=[cohort.pk]),
        "/konto/",
        "/verwaltung/",
    ]
    for model, model_admin in admin.site._registry.items():
        opts = model._meta
        urls.append(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"))
        for pk in model_admin.get_queryset(_Request(client)).values_list("pk", flat=True)[:5]:
            urls.append(reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[pk]))
    # The application admin's CSV export of everything this officer may see.
    responses = [client.get(url) for url in urls]
    changelist = reverse("admin:applications_application_changelist")
    ids = list(tandem.cohort.applications.values_list("pk", flat=True))
    responses.append(
        client.post(
            changelist, {"action": "export_csv", "_selected_action": [str(pk) for pk in ids]}
        )
    )
    return urls + ["export_csv"], responses


class _Request:
    """Just enough of a request for a ModelAdmin's get_queryset."""

    def __init__(self, client):
        from django.contrib.auth import get_user_model

        self.user = get_user_model().objects.get(pk=client.session["_auth_user_id"])
        self.GET = {}


def test_officers_never_see_notes_topics_or_durations(client, cohort, quiet):
    viewers = {
        "officer of the mentee's organisation": officer_of(quiet.mentee.organisation, cohort),
        "officer of the mentor's organisation": officer_of(quiet.mentor.organisation, cohort),
        "Beirat chair": officer_of(
            ApplicationFactory(cohort=cohort).organisation, cohort, role=BeiratRole.CHAIR
        ),
        "programme office": ProgrammeOfficeFactory(),
    }
    # Catalogue topics are public (the admin lists them); which a contact covered is not,
    # and the free-text topics, the note and the duration are the tandem's alone.
    secrets = [NOTE, TOPIC, f"{MINUTES} Min"]
    for who, user in viewers.items():
        client.force_login(user)
        urls, responses = _officer_pages(client, cohort, quiet)
        reached = 0
        for url, response in zip(urls, responses, strict=True):
            body = b"".join(response) if response.streaming else response.content
            text = body.decode("utf-8", errors="replace")
            for secret in secrets:
                assert secret not in text, (who, url)
            reached += response.status_code == 200
        assert reached >= 8, who  # the pages were really there, not only refused

    # The escalation e-mail to the officers says who, never what.
    mail.outbox.clear()
    day = month_start(timezone.localdate())
    sweep(now=dt.datetime(day.year, day.month, day.day, 7, tzinfo=BERLIN))
    escalations = [m for m in mail.outbox if "zwei Monate ohne Kontakt" in m.subject]
    assert escalations
    for message in mail.outbox:
        for secret in secrets:
            assert secret not in message.subject + message.body
