"""Everyone lands on her own start page: what needs her now, each with a count and a link."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from applications.enums import ApplicationState
from cohorts.enums import BeiratRole, CohortState
from tests.factories import (
    PASSWORD,
    ApplicationFactory,
    BeiratMembershipFactory,
    CohortFactory,
    CohortOrganisationFactory,
    ContactFactory,
    ProgrammeOfficeFactory,
    ReviewCriterionFactory,
    TandemFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def text(response):
    html = response.content.decode()
    main = html[html.index("<main") : html.index("</main>")]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", main)).strip()


def nav(response):
    """The links of the wide screen's navigation (the phone's menu repeats them)."""
    html = response.content.decode()
    wide = html[html.index('d-none d-md-flex">') :]
    return re.findall(r'class="nav-link" href="([^"]+)"', wide[: wide.index("</ul>")])


def task_links(response):
    """{label: (url, count)} of the start page's task lines."""
    html = response.content.decode()
    rows = re.findall(
        r'<a href="([^"]+)">([^<]+)</a>.*?(?:<span class="badge[^"]*"[^>]*>'
        r'(?:<span class="visually-hidden">[^<]*</span>)?(\d+)</span>|</li>)',
        html,
        re.S,
    )
    return {label.strip(): (url.replace("&amp;", "&"), count) for url, label, count in rows}


@pytest.fixture
def selection():
    """An open cohort, an officer of Bottrop and the chair, three Bottrop applications."""
    cohort = CohortFactory(state=CohortState.OPEN)
    bottrop = CohortOrganisationFactory(cohort=cohort).organisation
    officer = BeiratMembershipFactory(programme=cohort.programme, organisation=bottrop).user
    ReviewCriterionFactory(cohort=cohort)
    applications = [
        ApplicationFactory(cohort=cohort, organisation=bottrop, state=ApplicationState.SUBMITTED)
        for _ in range(3)
    ]
    return cohort, officer, applications


def test_login_lands_on_the_start_page(client):
    user = UserFactory()
    response = client.post("/konto/anmelden/", {"username": user.email, "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/start/"


def test_officer_sees_her_queue_and_the_list_behind_it_has_the_same_rows(client, selection):
    cohort, officer, applications = selection
    client.force_login(officer)
    response = client.get("/start/")
    tasks = task_links(response)
    url, count = tasks["Bewerbungen ohne Ihre Bewertung"]
    assert count == "3"
    listing = client.get(url)
    assert listing.status_code == 200
    assert len(listing.context["cl"].result_list) == 3
    assert "Guten Tag" in text(response)


def test_a_review_takes_the_application_off_her_queue(client, selection):
    from applications.services import review_save

    cohort, officer, applications = selection
    criterion = cohort.review_criteria.get()
    review_save(application=applications[0], reviewer=officer, scores={criterion.pk: 4})
    client.force_login(officer)
    tasks = task_links(client.get("/start/"))
    assert tasks["Bewerbungen ohne Ihre Bewertung"][1] == "2"
    url, count = tasks["Entscheidungen vorzumerken"]
    assert count == "1"
    assert len(client.get(url).context["cl"].result_list) == 1


def test_chair_sees_decisions_to_release(client, selection):
    from applications.services import application_record_decision

    cohort, officer, applications = selection
    chair = BeiratMembershipFactory(programme=cohort.programme, role=BeiratRole.CHAIR).user
    application_record_decision(application=applications[0], actor=chair, decision="accepted")
    client.force_login(chair)
    url, count = task_links(client.get("/start/"))["Vorgemerkte Entscheidungen zu versenden"]
    assert count == "1"
    assert len(client.get(url).context["cl"].result_list) == 1


def test_officer_start_page_queries_do_not_grow(client, selection):
    cohort, officer, applications = selection
    client.force_login(officer)
    client.get("/start/")
    with CaptureQueriesContext(connection) as few:
        client.get("/start/")
    other = CohortFactory(programme=cohort.programme, state=CohortState.SELECTION)
    CohortOrganisationFactory(cohort=other, organisation=applications[0].organisation)
    for _ in range(20):
        ApplicationFactory(
            cohort=other,
            organisation=applications[0].organisation,
            state=ApplicationState.IN_REVIEW,
        )
    with CaptureQueriesContext(connection) as many:
        response = client.get("/start/")
    assert response.status_code == 200
    assert len(many) == len(few)


def test_mentee_sees_her_tandem_and_the_missing_contact(client):
    tandem = TandemFactory()
    client.force_login(tandem.mentee.applicant)
    response = client.get("/start/")
    page = text(response)
    assert f"Zum Tandem mit {tandem.mentor.applicant.get_full_name()}" in page
    assert "Zielvereinbarung von Ihnen noch nicht bestätigt" in page
    assert "Kontakt in diesem Monat noch nicht eingetragen" in page
    assert "/tandem/" in nav(response)


def test_a_contact_this_month_clears_the_reminder(client):
    tandem = TandemFactory()
    ContactFactory(tandem=tandem, date=timezone.localdate())
    client.force_login(tandem.mentor.applicant)
    page = text(client.get("/start/"))
    assert "Kontakt in diesem Monat noch nicht eingetragen" not in page
    assert f"Zum Tandem mit {tandem.mentee.applicant.get_full_name()}" in page


def test_participant_start_page_queries_do_not_grow(client):
    tandem = TandemFactory()
    client.force_login(tandem.mentee.applicant)
    client.get("/start/")
    with CaptureQueriesContext(connection) as few:
        client.get("/start/")
    for _ in range(12):
        ContactFactory(tandem=tandem)
    with CaptureQueriesContext(connection) as many:
        client.get("/start/")
    assert len(many) == len(few)


def test_applicant_sees_her_draft_with_the_deadline(client):
    application = ApplicationFactory(cohort__state=CohortState.OPEN)
    client.force_login(application.applicant)
    page = text(client.get("/start/"))
    assert "Ihre Bewerbungen" in page
    assert "Entwurf – bis" in page


def test_navigation_offers_only_what_the_role_can_use(client, selection):
    cohort, officer, applications = selection
    client.force_login(officer)
    assert nav(client.get("/start/")) == ["/start/", "/", "/beirat/", "/verwaltung/", "/konto/"]
    client.force_login(applications[0].applicant)
    assert nav(client.get("/start/")) == ["/start/", "/", "/bewerbung/", "/konto/"]
    client.force_login(ProgrammeOfficeFactory())
    assert nav(client.get("/start/")) == ["/start/", "/", "/beirat/", "/verwaltung/", "/konto/"]
    client.logout()
    assert nav(client.get("/impressum/")) == ["/", "/konto/anmelden/"]


def test_officer_sees_this_months_workshop_with_attendance_open(client):
    from tests.factories import WorkshopFactory

    tandem = TandemFactory()
    cohort = tandem.cohort
    workshop = WorkshopFactory(cohort=cohort, date=timezone.localdate())
    chair = BeiratMembershipFactory(programme=cohort.programme, role=BeiratRole.CHAIR).user
    client.force_login(chair)
    url, count = task_links(client.get("/start/"))[
        f"Anwesenheit erfassen: {workshop.title}, {cohort.display_title}"
    ]
    assert count == "2"
    attendance = client.get(url)
    assert attendance.status_code == 200
    rows = list(attendance.context["page"])
    assert len([row for row in rows if row.attendance is None]) == 2


def test_officer_sees_quiet_tandems_and_the_grid_filter_shows_the_same(client):
    from mentoring.months import add_months

    today = timezone.localdate()
    quiet = TandemFactory(start_date=add_months(today, -3))
    cohort = quiet.cohort
    lively = TandemFactory(cohort=cohort, start_date=add_months(today, -3))
    ContactFactory(tandem=lively, date=today)
    chair = BeiratMembershipFactory(programme=cohort.programme, role=BeiratRole.CHAIR).user
    client.force_login(chair)
    tasks = task_links(client.get("/start/"))
    url, count = tasks[
        f"Tandems seit zwei Monaten ohne Kontakt: {cohort.programme.name}, {cohort.display_title}"
    ]
    assert count == "1"
    grid = client.get(url)
    assert grid.status_code == 200
    assert [row["pk"] for row in grid.context["page"]] == [quiet.pk]


def test_programme_office_sees_failed_mail_and_the_list_behind_it(client):
    from mentoring.enums import MailStatus
    from mentoring.models import SentMail

    office = ProgrammeOfficeFactory()
    from django.contrib.contenttypes.models import ContentType

    SentMail.objects.create(
        purpose="application.submitted",
        content_type=ContentType.objects.get_for_model(office),
        object_id=office.pk,
        recipient=office,
        address="x@example.org",
        subject="Ihre Bewerbung",
        status=MailStatus.FAILED,
        message_id="<x@example.org>",
    )
    client.force_login(office)
    url, count = task_links(client.get("/start/"))["Fehlgeschlagene E-Mails"]
    assert count == "1"
    assert len(client.get(url).context["cl"].result_list) == 1
