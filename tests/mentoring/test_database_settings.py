"""How the app talks to PostgreSQL: settings it brings to every connection."""

import pytest
from django.db import connection

from mentoring.settings import ConfigurationError, parse_database_url

URL = "postgres://mentoring@127.0.0.1:5432/mentoring"


@pytest.mark.django_db
def test_the_planner_prices_a_random_read_as_on_a_solid_state_disk():
    """With PostgreSQL's default of 4, the contact grid's page read the whole application
    table twice instead of looking up its hundred applications."""
    with connection.cursor() as cursor:
        cursor.execute("SHOW random_page_cost")
        assert cursor.fetchone() == ("1.1",)


def test_the_planner_setting_can_be_changed_or_left_to_the_server(monkeypatch):
    monkeypatch.setenv("DB_RANDOM_PAGE_COST", "2")
    assert parse_database_url(URL, 0)["OPTIONS"] == {"options": "-c random_page_cost=2.0"}
    monkeypatch.setenv("DB_RANDOM_PAGE_COST", "")
    assert "options" not in parse_database_url(URL, 0).get("OPTIONS", {})
    assert "OPTIONS" not in parse_database_url("sqlite:////tmp/db.sqlite3", 0)


def test_a_wrong_planner_setting_is_named(monkeypatch):
    monkeypatch.setenv("DB_RANDOM_PAGE_COST", "schnell")
    with pytest.raises(ConfigurationError, match="DB_RANDOM_PAGE_COST='schnell' is not a number"):
        parse_database_url(URL, 0)
