"""The selection meeting's CSV export, and a policy change in the admin."""

import csv
import io

import pytest
from django.utils import timezone

from applications import services
from applications.enums import ApplicationState, EligibilityOutcome
from cohorts.enums import BeiratRole
from tests.factories import (
    ApplicationFactory,
    BeiratMembershipFactory,
    ProgrammeOfficeFactory,
    ReviewCriterionFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def reviewed():
    application = ApplicationFactory(state=ApplicationState.SUBMITTED, submitted_at=timezone.now())
    criterion = ReviewCriterionFactory(cohort=application.cohort)
    programme = application.cohort.programme
    officer = BeiratMembershipFactory(programme=programme, organisation=application.organisation)
    colleague = BeiratMembershipFactory(programme=programme, organisation=application.organisation)
    chair = BeiratMembershipFactory(programme=programme, role=BeiratRole.CHAIR)
    for membership, comment in [(officer, "Mein Kommentar"), (colleague, "Kommentar der Kollegin")]:
        services.review_save(
            application=application,
            reviewer=membership.user,
            scores={criterion.pk: 4},
            comment=comment,
        )
    return {"application": application, "officer": officer.user, "chair": chair.user}


def export(client, user, application):
    client.force_login(user)
    response = client.post(
        "/verwaltung/applications/application/",
        {"action": "export_csv", "_selected_action": [application.pk], "index": "0"},
    )
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    return dict(zip(rows[0], rows[1], strict=True))


def test_an_officer_who_has_scored_exports_every_comment_as_on_the_page(client, reviewed):
    row = export(client, reviewed["officer"], reviewed["application"])
    officer = reviewed["officer"]
    colleague = reviewed["application"].reviews.exclude(reviewer=officer).get().reviewer
    assert row["Kommentare"] == f"{officer}: Mein Kommentar | {colleague}: Kommentar der Kollegin"
    assert (row["Ø Bewertung"], row["Bewertungen"], row["meine Bewertung"]) == (
        "4,00",
        "2",
        "4,00",
    )
    assert "Lebenslauf" not in ";".join(row)  # no files, no file names


def test_the_chair_who_has_not_scored_exports_no_one_elses_scores(client, reviewed):
    row = export(client, reviewed["chair"], reviewed["application"])
    assert row["Kommentare"] == ""
    assert (row["Ø Bewertung"], row["Bewertungen"], row["meine Bewertung"]) == (
        "nach eigener Bewertung",
        "2",
        "",
    )
    assert row["Name"] == reviewed["application"].applicant.get_full_name()
    assert row["Status"] == "in Prüfung"


def test_saving_the_policy_in_the_admin_rechecks_eligibility(client):
    application = ApplicationFactory(pay_grade="11")
    services.application_submit(application=application, actor=application.applicant)
    policy = services.policy_for(application.cohort)
    client.force_login(ProgrammeOfficeFactory())
    response = client.post(
        f"/verwaltung/applications/eligibilitypolicy/{policy.pk}/change/",
        {
            "cohort": application.cohort.pk,
            "accept_career_group_2": "on",
            "accept_employee_course_2": "on",
            "degree_needs_check": "on",
            "minimum_grade_a": "13",
            "minimum_grade_eg": "10",
            "minimum_grade_s": "15",
            "require_permanent": "on",
            "minimum_service_months": "24",
            "minimum_leadership_years": "3",
        },
        follow=True,
    )
    assert "Voraussetzungen von 1 Bewerbung neu geprüft." in response.content.decode()
    application.refresh_from_db()
    assert application.eligibility_outcome == EligibilityOutcome.FAIL


def test_an_unknown_minimum_grade_in_the_policy_is_a_form_error(client):
    application = ApplicationFactory()
    policy = services.policy_for(application.cohort)
    client.force_login(ProgrammeOfficeFactory())
    response = client.post(
        f"/verwaltung/applications/eligibilitypolicy/{policy.pk}/change/",
        {
            "cohort": application.cohort.pk,
            "minimum_grade_a": "11",
            "minimum_grade_eg": "9d",
            "minimum_grade_s": "15",
            "minimum_service_months": "24",
            "minimum_leadership_years": "3",
        },
    )
    assert response.status_code == 200
    assert "Die Entgeltgruppe „EG 9d“ gibt es nicht." in response.content.decode()
    policy.refresh_from_db()
    assert policy.minimum_grade_eg == "10"
