"""The admin as the programme office uses it: every page passes axe, and a new cohort is
made by copying the previous one.

The cohort's page with its 13 administrations names every box of its inline tables, also
in a row added in the browser; the application's page tells its log in state names; lists
with yes/no columns say "ja"/"nein".
"""

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from applications.enums import ApplicationState
from applications.models import EligibilityPolicy
from cohorts.enums import BeiratRole, CohortState
from cohorts.models import Cohort
from tests.browser.conftest import assert_accessible, log_in
from tests.factories import (
    PASSWORD,
    ApplicationFactory,
    BeiratMembershipFactory,
    CohortFactory,
    CohortOrganisationFactory,
    ProgrammeOfficeFactory,
    ReviewCriterionFactory,
    TopicFactory,
    WorkshopFactory,
)
from workshops.enums import WorkshopKind

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BERLIN = ZoneInfo("Europe/Berlin")
DESKTOP = {"width": 1280, "height": 900}


def emscher_lippe():
    """The 8th cohort (2023) of a cross-mentoring programme of 13 administrations."""
    cohort = CohortFactory(
        programme__name="MIT FRAUEN an die Spitze",
        number=8,
        year=2023,
        title="Cross-Mentoring 2023",
        application_opens_at=dt.datetime(2022, 11, 1, 9, tzinfo=BERLIN),
        application_deadline=dt.datetime(2023, 1, 31, 23, 59, tzinfo=BERLIN),
        start_date=dt.date(2023, 3, 1),
        end_date=dt.date(2024, 2, 28),
        state=CohortState.RUNNING,
    )
    for index in range(13):
        CohortOrganisationFactory(
            cohort=cohort, organisation__name=f"Stadt {index + 1:02d}", mentee_seats=2
        )
    BeiratMembershipFactory(
        programme=None, cohort=cohort, organisation__name="Kreis A", role=BeiratRole.CHAIR
    )
    BeiratMembershipFactory(programme=None, cohort=cohort, organisation__name="Kreis B")
    return cohort


def test_the_office_reads_cohort_application_and_lists_without_barriers(page):
    cohort = emscher_lippe()
    WorkshopFactory(cohort=cohort, mandatory=True, title="Auftakt")
    WorkshopFactory(cohort=cohort, mandatory=False, title="Netzwerktreffen")
    application = ApplicationFactory(
        cohort=cohort, organisation=cohort.participations.first().organisation, released=True
    )
    office = ProgrammeOfficeFactory()
    page.set_viewport_size(DESKTOP)
    log_in(page, office.email, PASSWORD)

    # The cohort: 13 administrations, each box named after its column and row.
    page.goto(f"/verwaltung/cohorts/cohort/{cohort.pk}/change/")
    assert_accessible(page)
    organisations = page.locator("#participations-group")
    expect(organisations.get_by_label("Plätze Mentees – Zeile 13", exact=True)).to_have_value("2")
    expect(organisations.get_by_label("Löschen – Zeile 1", exact=True)).not_to_be_checked()
    expect(page.get_by_label("Funktion – Zeile 1", exact=True)).to_have_value("chair")
    expect(page.get_by_label("Bewerbungsschluss: Datum")).to_have_value("31.01.2023")
    expect(page.get_by_label("Bewerbungsschluss: Zeit")).to_have_value("23:59:00")
    expect(
        page.get_by_role("combobox", name=re.compile(r"^Organisation – Zeile 1 Stadt 01"))
    ).to_be_visible()
    # A row added here is named too, its autocomplete box included.
    page.get_by_role("button", name="Teilnehmende Organisation hinzufügen").click()
    expect(page.get_by_label("Plätze Mentees – Zeile 14", exact=True)).to_have_value("1")
    expect(
        page.get_by_role("combobox", name=re.compile(r"^Organisation – Zeile 14"))
    ).to_be_visible()
    assert_accessible(page)

    # Its programme: the partner organisations to pick from.
    cohort.programme.organisations.set(cohort.organisations.all())
    page.goto(f"/verwaltung/cohorts/programme/{cohort.programme_id}/change/")
    assert_accessible(page)

    # The application: its log in words, its yes/no fields in German.
    page.goto(f"/verwaltung/applications/application/{application.pk}/change/")
    assert_accessible(page)
    log = page.locator("section[aria-labelledby='log-heading']")
    expect(log).to_contain_text("Entscheidung versandt (in Prüfung → angenommen)")
    expect(log).to_contain_text("Statuswechsel (eingereicht → in Prüfung)")
    expect(log).not_to_contain_text("in_review")
    expect(page.locator(".field-permanent img")).to_have_attribute("alt", "ja")

    # Lists with yes/no columns, and the breadcrumbs back.
    page.goto("/verwaltung/workshops/workshop/?o=1")
    assert_accessible(page)
    icons = page.locator("td.field-mandatory img")
    assert [icons.nth(i).get_attribute("alt") for i in range(icons.count())] == ["ja", "nein"]
    page.goto("/verwaltung/cohorts/beiratmembership/")
    assert_accessible(page)
    page.get_by_role("navigation", name="„Brotkrümel“").get_by_role(
        "link", name="Programme und Jahrgänge"
    ).click()
    expect(page).to_have_url(re.compile("/verwaltung/cohorts/$"))
    assert_accessible(page)

    # A list with an editable column: each box named after its row.
    TopicFactory(programme=cohort.programme, name="Führen in Teilzeit")
    page.goto("/verwaltung/applications/topic/")
    expect(page.get_by_label("Reihenfolge: Führen in Teilzeit")).to_have_value("0")
    assert_accessible(page)


def test_the_office_starts_the_next_cohort_by_copying_the_last(page):
    source = emscher_lippe()
    EligibilityPolicy.objects.create(cohort=source, minimum_grade_a="12")
    ReviewCriterionFactory(cohort=source, name="Motivation")
    for kind, day in ((WorkshopKind.KICK_OFF, 10), (WorkshopKind.INTERIM, 20)):
        WorkshopFactory(cohort=source, kind=kind, date=dt.date(2023, 3, day))
    ApplicationFactory(
        cohort=source,
        organisation=source.participations.first().organisation,
        state=ApplicationState.ACCEPTED,
    )
    office = ProgrammeOfficeFactory()
    page.set_viewport_size(DESKTOP)
    log_in(page, office.email, PASSWORD)

    # "Add cohort" offers the copy first.
    page.goto("/verwaltung/cohorts/cohort/")
    page.get_by_role("link", name="Jahrgang hinzufügen").click()
    expect(page.get_by_role("link", name=f"Neuen Jahrgang aus {source} anlegen")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name=f"Neuen Jahrgang aus {source} anlegen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Neuen Jahrgang aus {source} anlegen"
    )
    assert_accessible(page)
    expect(page.get_by_text("teilnehmende Organisationen mit ihren Plätzen: 13")).to_be_visible()
    expect(page.get_by_label("Jahrgang (Nr.)")).to_have_value("9")
    expect(page.get_by_label("Titel")).to_have_value("Cross-Mentoring 2024")

    # A deadline before the opening: said at the field, nothing typed is lost.
    page.get_by_label(re.compile(r"^Jahr\W")).fill("2024")
    page.get_by_label("Bewerbungsschluss").fill("2023-10-01T12:00")
    page.get_by_role("button", name="Jahrgang anlegen").click()
    message = "Der Bewerbungsschluss muss nach dem Beginn der Bewerbung liegen."
    expect(page.locator(".field-application_deadline .errorlist")).to_have_text(message)
    expect(page).to_have_title(re.compile("^Fehler:"))
    expect(page.get_by_label("Bewerbungsschluss")).to_have_value("2023-10-01T12:00")
    assert_accessible(page)
    assert Cohort.objects.filter(programme=source.programme).count() == 1

    page.get_by_label("Bewerbungsschluss").fill("2024-01-31T23:59")
    page.get_by_role("button", name="Jahrgang anlegen").click()
    expect(page.locator(".messagelist")).to_contain_text("ist angelegt")
    cohort = Cohort.objects.get(programme=source.programme, number=9)
    expect(page).to_have_url(re.compile(f"/verwaltung/cohorts/cohort/{cohort.pk}/change/$"))
    expect(page.locator(".messagelist")).to_contain_text(f"{cohort} ist angelegt")
    assert_accessible(page)

    assert cohort.state == CohortState.PLANNED
    assert cohort.participations.count() == 13
    assert cohort.beirat_memberships.count() == 2
    assert EligibilityPolicy.objects.get(cohort=cohort).minimum_grade_a == "12"
    assert list(cohort.review_criteria.values_list("name", flat=True)) == ["Motivation"]
    assert list(cohort.workshops.values_list("date", flat=True)) == [
        dt.date(2024, 3, 10),
        dt.date(2024, 3, 20),
    ]
    assert cohort.applications.count() == 0
    # The new cohort's page offers the same for the year after.
    expect(page.get_by_role("link", name="Neuen Jahrgang aus diesem anlegen")).to_be_visible()
