"""Where a survey stands on a day: one rule for her survey page and the admin's column."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from evaluation.enums import SurveyState
from evaluation.models import Survey
from tests.factories import ProgrammeOfficeFactory, SurveyFactory

OPENS, CLOSES = dt.date(2026, 3, 2), dt.date(2026, 3, 22)


@pytest.mark.parametrize(
    ("day", "state"),
    [
        (OPENS - dt.timedelta(days=1), SurveyState.UPCOMING),
        (OPENS, SurveyState.OPEN),
        (CLOSES, SurveyState.OPEN),
        (CLOSES + dt.timedelta(days=1), SurveyState.CLOSED),
    ],
)
def test_a_survey_is_open_from_its_first_to_its_last_day_inclusive(day, state):
    assert Survey(opens_on=OPENS, closes_on=CLOSES).state_on(day) == state


@pytest.mark.parametrize(
    "day", [OPENS - dt.timedelta(days=1), OPENS, CLOSES + dt.timedelta(days=1)]
)
def test_a_survey_not_carried_out_is_neither_upcoming_open_nor_closed(day):
    survey = Survey(opens_on=OPENS, closes_on=CLOSES, is_active=False)
    assert survey.state_on(day) == SurveyState.INACTIVE


@pytest.mark.django_db
def test_the_admin_list_shows_each_surveys_state_today(client):
    today = timezone.localdate()
    SurveyFactory(opens_on=today + dt.timedelta(days=1))
    SurveyFactory(opens_on=today - dt.timedelta(days=30), closes_on=today - dt.timedelta(days=1))
    SurveyFactory()
    SurveyFactory(is_active=False)
    client.force_login(ProgrammeOfficeFactory())
    page = client.get(reverse("admin:evaluation_survey_changelist")).content.decode()
    assert sorted(re.findall(r'<td class="field-status">([^<]*)</td>', page)) == [
        "abgeschlossen",
        "geplant",
        "läuft",
        "wird nicht durchgeführt",
    ]
