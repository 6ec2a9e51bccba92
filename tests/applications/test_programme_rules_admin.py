"""The admin's application view shows what only some programmes ask for."""

import pytest
from django.utils import timezone

from cohorts.enums import MatchingPolicy
from tests.factories import ApplicationFactory, CohortFactory, ProgrammeOfficeFactory

pytestmark = pytest.mark.django_db

SUPERVISOR = "E-Mail-Adresse Ihrer direkten Vorgesetzten"
CONSENT = "Einwilligung in die Weitergabe erteilt am"


def change_page(client, application):
    client.force_login(ProgrammeOfficeFactory())
    response = client.get(f"/verwaltung/applications/application/{application.pk}/change/")
    assert response.status_code == 200
    return response.content.decode()


def test_internal_programme_shows_the_supervisor(client):
    cohort = CohortFactory(programme__matching_policy=MatchingPolicy.INTERNAL)
    application = ApplicationFactory(
        cohort=cohort, state="submitted", supervisor_email="chefin@kerpen.example.org"
    )
    html = change_page(client, application)
    assert SUPERVISOR in html
    assert "chefin@kerpen.example.org" in html
    assert CONSENT not in html


def test_cross_sector_programme_shows_the_transfer_consent(client):
    cohort = CohortFactory(programme__transfer_consent_required=True)
    application = ApplicationFactory(
        cohort=cohort, state="submitted", transfer_consent_at=timezone.now()
    )
    html = change_page(client, application)
    assert CONSENT in html
    assert SUPERVISOR not in html


def test_other_programmes_show_neither(client):
    html = change_page(client, ApplicationFactory(state="submitted"))
    assert SUPERVISOR not in html
    assert CONSENT not in html
