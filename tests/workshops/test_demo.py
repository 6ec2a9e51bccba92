"""The demo cohorts get the flyer's three workshops with facilitators and invitations."""

import io

import pytest
from django.core.management import call_command

from cohorts.demo import EMSCHER_LIPPE
from workshops.enums import Invitees, WorkshopKind
from workshops.models import Workshop

pytestmark = pytest.mark.django_db


def test_flyer_workshops_are_for_everyone_on_tuesdays_in_wulfen():
    call_command("load_demo", stdout=io.StringIO())

    for number in (8, 9, 10):
        rows = Workshop.objects.filter(
            cohort__programme__slug=EMSCHER_LIPPE, cohort__number=number
        ).order_by("date")
        assert [
            (w.kind, w.venue_name, w.mandatory, w.invitees, bool(w.facilitators), w.date.weekday())
            for w in rows
        ] == [
            (WorkshopKind.KICK_OFF, "Gemeinschaftshaus Wulfen", True, Invitees.BOTH, True, 1),
            (WorkshopKind.INTERIM, "Gemeinschaftshaus Wulfen", True, Invitees.BOTH, True, 1),
            (WorkshopKind.FINAL, "Gemeinschaftshaus Wulfen", True, Invitees.BOTH, True, 1),
        ]
