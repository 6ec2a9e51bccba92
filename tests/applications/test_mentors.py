"""Mentors: their own form, and nomination by an officer with an invitation to confirm."""

import re

import pytest
from django.core import mail
from django.utils import translation

from applications.eligibility_display import report_rows
from applications.enums import ApplicationRole, ApplicationState, EligibilityOutcome
from applications.models import Application
from mentoring.models import User
from tests.factories import (
    BeiratMembershipFactory,
    CohortFactory,
    CohortOrganisationFactory,
    MentorFormFactory,
    OrganisationFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def setting():
    cohort = CohortFactory()
    bottrop = CohortOrganisationFactory(cohort=cohort, organisation__name="Stadt Bottrop")
    officer = BeiratMembershipFactory(
        programme=cohort.programme, organisation=bottrop.organisation
    ).user
    return {"cohort": cohort, "bottrop": bottrop.organisation, "officer": officer}


def test_mentor_applies_with_her_own_form_and_is_checked_for_leadership(
    client, setting, django_capture_on_commit_callbacks
):
    user = UserFactory()
    client.force_login(user)
    cohort = setting["cohort"]
    client.post(f"/bewerbung/{cohort.programme.slug}/jahrgang/{cohort.number}/mentor/")
    application = Application.objects.get(applicant=user)
    assert application.role == ApplicationRole.MENTOR
    page = client.get(f"/bewerbung/{application.pk}/bearbeiten/").content.decode()
    assert "Führungserfahrung" in page
    assert "Lebenslauf" not in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            f"/bewerbung/{application.pk}/bearbeiten/",
            MentorFormFactory(organisation=setting["bottrop"], leadership_years="2", submit="1"),
        )
    application.refresh_from_db()
    assert application.state == ApplicationState.SUBMITTED
    assert application.eligibility_outcome == EligibilityOutcome.FAIL
    with translation.override("de"):
        leadership = report_rows(application.eligibility_report)[0]
    assert leadership["reason"] == (
        "2 Jahre Führungserfahrung mit Personalverantwortung; erforderlich sind mindestens 3."
    )


def test_officer_nominates_a_new_person_who_sets_a_password_and_confirms(
    client, setting, django_capture_on_commit_callbacks
):
    client.force_login(setting["officer"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/verwaltung/applications/application/vorschlagen/",
            {
                "cohort": setting["cohort"].pk,
                "organisation": setting["bottrop"].pk,
                "first_name": "Bernd",
                "last_name": "Beispiel",
                "email": "bernd.beispiel@bottrop.example.org",
                "position_title": "Fachbereichsleitung",
            },
        )
    assert response.status_code == 302
    person = User.objects.get(email="bernd.beispiel@bottrop.example.org")
    application = Application.objects.get(applicant=person)
    assert (application.state, application.role) == (ApplicationState.DRAFT, "mentor")
    assert application.nominated_by == setting["officer"]
    assert not person.has_usable_password()
    assert len(mail.outbox) == 1
    invitation = mail.outbox[0]
    assert invitation.subject == "Einladung: Werden Sie Mentor:in im Cross-Mentoring"
    assert f"/bewerbung/{application.pk}/bearbeiten/" in invitation.body

    client.logout()
    link = re.search(r"http://127\.0\.0\.1:8000(/konto/passwort/neu/\S+/)", invitation.body)
    form_url = client.get(link.group(1)).url
    client.post(
        form_url,
        {"new_password1": "Mentor-Passwort-2027", "new_password2": "Mentor-Passwort-2027"},
    )
    person.refresh_from_db()
    assert person.check_password("Mentor-Passwort-2027")
    assert person.email_verified_at is not None  # the mailed link proved the address

    client.force_login(person)
    data = MentorFormFactory(organisation=setting["bottrop"], leadership_years="9", submit="1")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/bewerbung/{application.pk}/bearbeiten/", data)
    application.refresh_from_db()
    assert application.state == ApplicationState.SUBMITTED
    assert application.eligibility_outcome == EligibilityOutcome.PASS


def test_officer_cannot_nominate_for_another_administration(client, setting):
    gladbeck = CohortOrganisationFactory(
        cohort=setting["cohort"], organisation=OrganisationFactory(name="Stadt Gladbeck")
    ).organisation
    client.force_login(setting["officer"])
    response = client.post(
        "/verwaltung/applications/application/vorschlagen/",
        {
            "cohort": setting["cohort"].pk,
            "organisation": gladbeck.pk,
            "first_name": "Gerd",
            "last_name": "Gladbecker",
            "email": "gerd@gladbeck.example.org",
        },
    )
    assert response.status_code == 200
    assert "Bitte eine gültige Auswahl treffen." in response.content.decode()
    assert 'value="Gerd"' in response.content.decode()
    assert not User.objects.filter(email="gerd@gladbeck.example.org").exists()


def test_nominating_the_same_person_twice_is_refused(client, setting):
    client.force_login(setting["officer"])
    data = {
        "cohort": setting["cohort"].pk,
        "organisation": setting["bottrop"].pk,
        "first_name": "Bernd",
        "last_name": "Beispiel",
        "email": "bernd@bottrop.example.org",
    }
    client.post("/verwaltung/applications/application/vorschlagen/", data)
    response = client.post("/verwaltung/applications/application/vorschlagen/", data)
    assert "gibt es schon eine Meldung als Mentor:in" in response.content.decode()
    assert Application.objects.count() == 1


def test_participants_cannot_reach_the_nomination(client, setting):
    client.force_login(UserFactory())
    response = client.get("/verwaltung/applications/application/vorschlagen/")
    assert response.status_code == 302
