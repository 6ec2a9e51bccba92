"""With several programmes on one installation, an officer works in the programmes she sits in."""

import pytest

from tests.factories import BeiratMembershipFactory, CohortFactory, OfficerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_programmes():
    ruhr = CohortFactory(programme__name="Emscher-Lippe")
    rhine = CohortFactory(programme__name="Köln–Düsseldorf")
    officer = OfficerFactory()
    BeiratMembershipFactory(user=officer, programme=rhine.programme, cohort=None)
    return ruhr, rhine, officer


def test_beirat_start_page_lists_only_the_programmes_she_sits_in(client, two_programmes):
    ruhr, rhine, officer = two_programmes
    client.force_login(officer)
    html = client.get("/beirat/").content.decode()
    assert "Köln–Düsseldorf" in html
    assert "Emscher-Lippe" not in html


@pytest.mark.parametrize(
    "url",
    [
        "/beirat/jahrgang/{pk}/tandems/",
        "/beirat/jahrgang/{pk}/kontakte/",
        "/beirat/jahrgang/{pk}/workshops/",
        "/beirat/jahrgang/{pk}/projektteams/",
    ],
)
def test_another_programmes_cohort_pages_are_closed_to_her(client, two_programmes, url):
    ruhr, rhine, officer = two_programmes
    client.force_login(officer)
    assert client.get(url.format(pk=ruhr.pk)).status_code == 403
    assert client.get(url.format(pk=rhine.pk)).status_code == 200
