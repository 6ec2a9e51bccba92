"""Django's admin markup, mended where the Nu HTML Checker or axe found fault with it.

tests/browser/test_every_page.py finds such faults on every page; these tests hold each
mend in place without a browser.
"""

import re

import pytest

from tests.factories import PASSWORD, BeiratMembershipFactory, ProgrammeOfficeFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def office(client):
    office = ProgrammeOfficeFactory()
    client.force_login(office)
    return office


def select_and_first_option(html, name):
    """The opening tag of the select ``name`` and its first option."""
    found = re.search(rf'(<select name="{name}"[^>]*>)\s*(<option[^>]*>[^<]*</option>)', html)
    return found.group(1), found.group(2)


def test_a_required_autocomplete_starts_with_an_empty_option_with_text(client, office):
    membership = BeiratMembershipFactory(user__full_name="Martina Hoffmann")
    html = client.get(f"/verwaltung/cohorts/beiratmembership/{membership.pk}/change/").content
    select, option = select_and_first_option(html.decode(), "user")
    assert " required " in select
    # The placeholder HTML asks of a required select; an option may not be empty.
    assert option == '<option value="">---------</option>'


def test_the_password_summary_is_a_div_without_disabled(client, office):
    person = UserFactory()
    html = client.get(f"/verwaltung/mentoring/user/{person.pk}/change/").content.decode()
    [summary] = re.findall(r'<div[^>]* id="id_password"[^>]*>', html)
    assert summary == '<div aria-describedby="id_password_helptext" id="id_password">'


def test_the_office_sets_a_password_but_cannot_switch_password_login_off(client, office):
    person = UserFactory()
    url = f"/verwaltung/mentoring/user/{person.pk}/password/"
    html = client.get(url).content.decode()
    assert 'name="usable_password"' not in html
    assert re.findall(r'<input type="password" name="password\d"[^>]*>', html) == [
        '<input type="password" name="password1" autocomplete="new-password" autofocus'
        ' required aria-describedby="id_password1_helptext" id="id_password1">',
        '<input type="password" name="password2" autocomplete="new-password" required'
        ' aria-describedby="id_password2_helptext" id="id_password2">',
    ]

    refused = client.post(url, {"password1": "", "password2": ""})
    assert refused.status_code == 200
    person.refresh_from_db()
    assert person.check_password(PASSWORD)

    new = "ein-neues-langes-Passwort-2025"
    response = client.post(url, {"password1": new, "password2": new})
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.check_password(new)


def test_the_privacy_notice_dates_boxes_are_named(client, office):
    html = client.get("/verwaltung/mentoring/privacynotice/add/").content.decode()
    names = re.findall(r'<input[^>]* name="published_at_\d"[^>]*aria-label="([^"]*)"', html)
    assert names == ["Gültig ab: Datum", "Gültig ab: Zeit"]
