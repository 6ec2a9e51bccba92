"""The programme's partner organisations are picked in an autocomplete box."""

import re

import pytest

from tests.factories import OrganisationFactory, ProgrammeFactory, ProgrammeOfficeFactory

pytestmark = pytest.mark.django_db


def selected(html):
    select = re.search(r'<select name="organisations".*?</select>', html, re.S).group(0)
    return re.findall(r'<option value="(\d+)" selected>([^<]*)</option>', select)


@pytest.fixture
def programme():
    programme = ProgrammeFactory(name="Cross-Mentoring Emscher-Lippe")
    programme.organisations.set(
        [OrganisationFactory(name="Stadt Marl"), OrganisationFactory(name="Stadt Dorsten")]
    )
    return programme


def test_partners_show_as_chosen(client, programme):
    client.force_login(ProgrammeOfficeFactory())
    html = client.get(f"/verwaltung/cohorts/programme/{programme.pk}/change/").content.decode()
    assert [name for _pk, name in selected(html)] == ["Stadt Dorsten", "Stadt Marl"]
    assert 'data-field-name="organisations"' in html


def test_a_value_that_is_no_key_is_an_error_at_the_field_not_a_server_error(client, programme):
    client.force_login(ProgrammeOfficeFactory())
    url = f"/verwaltung/cohorts/programme/{programme.pk}/change/"
    response = client.post(
        url,
        {
            "name": programme.name,
            "slug": programme.slug,
            "matching_policy": programme.matching_policy,
            "theme": programme.theme,
            "organisations": ["abc", str(programme.organisations.get(name="Stadt Marl").pk)],
            "beirat_memberships-TOTAL_FORMS": "0",
            "beirat_memberships-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert errors["organisations"] == ["„abc“ ist kein gültiger Wert."]
    assert [name for _pk, name in selected(response.content.decode())] == ["Stadt Marl"]
