"""Yes/no icons in the admin say "ja"/"nein" (or "yes"/"no"), never "True"/"False"."""

import re

import pytest

from applications.enums import ApplicationState
from tests.factories import (
    ApplicationFactory,
    BeiratMembershipFactory,
    ProgrammeOfficeFactory,
    WorkshopFactory,
)

pytestmark = pytest.mark.django_db


def icon_texts(html):
    return re.findall(
        r'<img src="/static/admin/img/icon-(yes|no|unknown)\.svg" alt="([^"]*)"', html
    )


@pytest.fixture
def office_client(client):
    client.force_login(ProgrammeOfficeFactory())
    return client


def test_list_columns_say_ja_and_nein(office_client):
    workshop = WorkshopFactory(mandatory=True, title="Auftakt")
    WorkshopFactory(cohort=workshop.cohort, mandatory=False, title="Netzwerktreffen")
    html = office_client.get("/verwaltung/workshops/workshop/?o=1").content.decode()
    assert icon_texts(html) == [("yes", "ja"), ("no", "nein")]


def test_list_columns_say_yes_and_no_in_english(office_client):
    BeiratMembershipFactory(is_contact=True)
    office_client.cookies["django_language"] = "en"
    html = office_client.get("/verwaltung/cohorts/beiratmembership/").content.decode()
    assert icon_texts(html) == [("yes", "yes")]


def test_read_only_fields_say_ja_nein_and_unbekannt(office_client):
    permanent = ApplicationFactory(state=ApplicationState.SUBMITTED, permanent=True)
    unknown = ApplicationFactory(state=ApplicationState.SUBMITTED, permanent=None)
    url = "/verwaltung/applications/application/{}/change/"
    assert icon_texts(office_client.get(url.format(permanent.pk)).content.decode()) == [
        ("yes", "ja")
    ]
    assert icon_texts(office_client.get(url.format(unknown.pk)).content.decode()) == [
        ("unknown", "unbekannt")
    ]
