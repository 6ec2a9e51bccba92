"""The demo cohort gets the flyer's three workshops with facilitators and invitations."""

import io

import pytest
from django.core.management import call_command

from workshops.enums import Invitees
from workshops.models import Workshop

pytestmark = pytest.mark.django_db


def test_flyer_workshops_are_for_everyone_with_facilitators():
    call_command("load_demo", stdout=io.StringIO())

    rows = Workshop.objects.filter(cohort__number=8).values_list(
        "date", "venue_name", "mandatory", "invitees", "facilitators"
    )
    assert [(str(d), v, m, i, bool(f)) for d, v, m, i, f in rows] == [
        ("2023-11-21", "Gemeinschaftshaus Wulfen", True, Invitees.BOTH, True),
        ("2024-06-11", "Gemeinschaftshaus Wulfen", True, Invitees.BOTH, True),
        ("2024-11-26", "Gemeinschaftshaus Wulfen", True, Invitees.BOTH, True),
    ]
