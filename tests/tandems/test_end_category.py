"""Ending a tandem early asks for the kind of reason, which the cohort report counts."""

import pytest

from tandems import retention, services
from tandems.enums import EndCategory, TandemStatus
from tests.factories import ProgrammeOfficeFactory, TandemFactory

pytestmark = pytest.mark.django_db


def end_url(tandem):
    return f"/beirat/tandem/{tandem.pk}/beenden/"


@pytest.fixture
def tandem():
    return TandemFactory()


@pytest.fixture
def office(client):
    office = ProgrammeOfficeFactory()
    client.force_login(office)
    return office


def test_the_service_keeps_the_category_beside_the_reason(tandem, office):
    services.tandem_end(
        tandem=tandem, actor=office, reason="Neue Stelle der Mentee", category="job_change"
    )
    tandem.refresh_from_db()
    assert (tandem.status, tandem.end_reason, tandem.end_category) == (
        TandemStatus.ENDED,
        "Neue Stelle der Mentee",
        EndCategory.JOB_CHANGE,
    )


def test_the_service_refuses_an_unknown_category_and_changes_nothing(tandem, office):
    with pytest.raises(services.TandemError, match="Bitte wählen Sie die Art des Grundes."):
        services.tandem_end(tandem=tandem, actor=office, reason="x", category="boredom")
    tandem.refresh_from_db()
    assert (tandem.status, tandem.end_category) == (TandemStatus.ACTIVE, "")


def test_an_end_without_a_person_saying_why_has_no_category(tandem, office):
    """As when her data is erased on request (tandems.retention)."""
    services.tandem_end(tandem=tandem, actor=office, reason="Löschung auf Antrag")
    tandem.refresh_from_db()
    assert (tandem.status, tandem.end_category) == (TandemStatus.ENDED, "")


def test_the_end_page_offers_every_category(client, tandem, office):
    html = client.get(end_url(tandem)).content.decode()
    for value, label in EndCategory.choices:
        assert f'value="{value}"' in html
        assert str(label) in html


def test_the_form_requires_a_category_and_keeps_the_reason_typed(client, tandem, office):
    response = client.post(end_url(tandem), {"reason": "Die Mentorin ist umgezogen."})
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "category": ["Bitte wählen Sie die Art des Grundes."]
    }
    assert "Die Mentorin ist umgezogen." in response.content.decode()
    tandem.refresh_from_db()
    assert tandem.status == TandemStatus.ACTIVE


def test_the_form_refuses_a_value_that_is_no_category(client, tandem, office):
    response = client.post(end_url(tandem), {"reason": "x", "category": "boredom"})
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["category"]
    tandem.refresh_from_db()
    assert tandem.status == TandemStatus.ACTIVE


def test_the_form_ends_the_tandem_with_its_category(client, tandem, office):
    client.post(end_url(tandem), {"reason": "Zu viel Arbeit", "category": "workload"})
    tandem.refresh_from_db()
    assert (tandem.status, tandem.end_reason, tandem.end_category) == (
        TandemStatus.ENDED,
        "Zu viel Arbeit",
        EndCategory.WORKLOAD,
    )


def test_erasing_her_data_takes_the_category_with_the_reason(tandem, office):
    """ "Krankheit, Elternzeit oder Beurlaubung" speaks of her as much as the text does."""
    services.tandem_end(
        tandem=tandem, actor=office, reason="Elternzeit der Mentee", category="absence"
    )
    retention.erase_person(user=tandem.mentee.applicant, actor=office)
    tandem.refresh_from_db()
    assert (tandem.status, tandem.end_reason, tandem.end_category) == (TandemStatus.ENDED, "", "")
