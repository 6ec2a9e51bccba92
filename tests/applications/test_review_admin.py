"""The Beirat's work on one application in the admin: score, interview, corrections, override."""

import pytest
from django.core import mail
from django.utils import timezone

from applications.enums import ApplicationState, EligibilityOutcome
from applications.models import Review
from cohorts.enums import BeiratRole
from tests.factories import (
    ApplicationFactory,
    BeiratMembershipFactory,
    ProgrammeOfficeFactory,
    ReviewCriterionFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def case():
    application = ApplicationFactory(state=ApplicationState.SUBMITTED, submitted_at=timezone.now())
    criteria = ReviewCriterionFactory.create_batch(2, cohort=application.cohort)
    programme = application.cohort.programme
    own = BeiratMembershipFactory(programme=programme, organisation=application.organisation).user
    colleague = BeiratMembershipFactory(programme=programme, user__last_name="Kollegin").user
    colleague_membership = colleague.beirat_memberships.get()
    colleague_membership.role = BeiratRole.CHAIR
    colleague_membership.save()
    return {"application": application, "criteria": criteria, "officer": own, "chair": colleague}


def url(application, name):
    return f"/verwaltung/applications/application/{application.pk}/{name}/"


def score(client, case, user, values, comment=""):
    client.force_login(user)
    data = {f"score_{c.pk}": v for c, v in zip(case["criteria"], values, strict=True)}
    data["comment"] = comment
    return client.post(url(case["application"], "bewerten"), data)


def test_scoring_stores_the_review_and_starts_the_review(client, case):
    response = score(client, case, case["officer"], [4, 5], "Stark motiviert.")
    assert response.status_code == 302
    review = Review.objects.get()
    assert (str(review.mean_score), review.comment) == ("4.50", "Stark motiviert.")
    case["application"].refresh_from_db()
    assert case["application"].state == ApplicationState.IN_REVIEW


def test_a_missing_score_is_an_error_and_keeps_the_comment(client, case):
    client.force_login(case["officer"])
    data = {f"score_{case['criteria'][0].pk}": "4", "comment": "Halb fertig"}
    response = client.post(url(case["application"], "bewerten"), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Dieses Feld ist zwingend erforderlich." in html
    assert "Halb fertig" in html
    assert not Review.objects.exists()


def test_others_scores_stay_hidden_until_she_has_scored(client, case):
    score(client, case, case["chair"], [1, 2], "Geheime Einschätzung der Vorsitzenden")
    client.force_login(case["officer"])
    detail = client.get(url(case["application"], "change")).content.decode()
    assert "Geheime Einschätzung der Vorsitzenden" not in detail
    assert "sobald Sie selbst bewertet haben" in detail
    listing = client.get("/verwaltung/applications/application/").content.decode()
    assert "1,50" not in listing
    assert "nach eigener Bewertung" in listing

    score(client, case, case["officer"], [5, 5])
    detail = client.get(url(case["application"], "change")).content.decode()
    assert "Geheime Einschätzung der Vorsitzenden" in detail
    listing = client.get("/verwaltung/applications/application/").content.decode()
    assert "3,25 (2)" in listing


def test_visibility_can_be_switched_off_per_cohort(client, case):
    cohort = case["application"].cohort
    cohort.reviews_hidden_until_own = False
    cohort.save()
    score(client, case, case["chair"], [1, 2], "Offene Einschätzung")
    client.force_login(case["officer"])
    assert "Offene Einschätzung" in client.get(url(case["application"], "change")).content.decode()


def test_interview_invitation_is_mailed_with_date_and_place(
    client, case, django_capture_on_commit_callbacks
):
    client.force_login(case["officer"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url(case["application"], "gespraech"),
            {"at": "2027-01-12T10:30", "place": "Rathaus Bottrop, Raum 204"},
        )
    assert response.status_code == 302
    case["application"].refresh_from_db()
    assert case["application"].state == ApplicationState.INTERVIEW
    assert len(mail.outbox) == 1
    assert "Dienstag, 12. Januar 2027, 10:30 Uhr" in mail.outbox[0].body
    assert "Rathaus Bottrop, Raum 204" in mail.outbox[0].body


def test_interview_without_a_date_is_an_error(client, case):
    client.force_login(case["officer"])
    response = client.post(url(case["application"], "gespraech"), {"at": "", "place": "Rathaus"})
    assert response.status_code == 200
    assert 'value="Rathaus"' in response.content.decode()


def test_request_changes_and_the_applicant_sees_the_note(client, case):
    client.force_login(case["officer"])
    client.post(url(case["application"], "korrektur"), {"note": "Bitte Zeugnis ergänzen."})
    case["application"].refresh_from_db()
    assert case["application"].state == ApplicationState.CHANGES_REQUESTED
    client.force_login(case["application"].applicant)
    assert "Bitte Zeugnis ergänzen." in client.get("/bewerbung/").content.decode()


def test_override_in_the_admin_is_shown_with_its_reason(client, case):
    office = ProgrammeOfficeFactory()
    client.force_login(office)
    client.post(
        url(case["application"], "uebersteuern"),
        {"outcome": EligibilityOutcome.PASS, "reason": "Abschluss ist gleichwertig."},
    )
    html = client.get(url(case["application"], "change")).content.decode()
    assert "Abschluss ist gleichwertig." in html
    assert "Zulassung übersteuert" in html  # the audit entry, shown to the office


def test_a_wrong_transition_from_the_admin_shows_the_message(client, case):
    application = case["application"]
    application.state = ApplicationState.ACCEPTED
    application.save()
    client.force_login(case["officer"])
    response = client.post(url(application, "korrektur"), {"note": "Zu spät"})
    assert response.status_code == 200
    assert "Das ist im Status „angenommen“ nicht möglich." in response.content.decode()


@pytest.mark.parametrize("name", ["bewerten", "korrektur", "gespraech", "uebersteuern"])
def test_another_administrations_officer_cannot_act(client, case, name):
    stranger = BeiratMembershipFactory(programme=case["application"].cohort.programme).user
    client.force_login(stranger)
    assert client.get(url(case["application"], name)).status_code == 404
    assert client.post(url(case["application"], name), {"note": "x"}).status_code == 404
