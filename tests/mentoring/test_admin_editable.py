"""The boxes of an admin list's editable column are named "<column>: <row>"."""

import re

import pytest

from mentoring.models import AccessibilityFeedback
from tests.factories import ProgrammeFactory, ProgrammeOfficeFactory, TopicFactory

pytestmark = pytest.mark.django_db


def names(html, field):
    return re.findall(rf'<input[^>]* name="form-\d+-{field}"[^>]*aria-label="([^"]*)"', html)


def test_topic_positions_are_named_after_their_topic(client):
    programme = ProgrammeFactory()
    TopicFactory(programme=programme, name="Führen in Teilzeit", position=1)
    TopicFactory(programme=programme, name="Netzwerke", position=2)
    client.force_login(ProgrammeOfficeFactory())
    html = client.get("/verwaltung/applications/topic/").content.decode()
    assert names(html, "position") == ["Reihenfolge: Führen in Teilzeit", "Reihenfolge: Netzwerke"]


def test_feedback_done_boxes_are_named_after_their_report(client):
    AccessibilityFeedback.objects.create(page="/programm/", message="Kontrast zu schwach")
    client.force_login(ProgrammeOfficeFactory())
    html = client.get("/verwaltung/mentoring/accessibilityfeedback/").content.decode()
    [name] = names(html, "done")
    assert re.fullmatch(r"Erledigt: \S+ – /programm/", name), name
