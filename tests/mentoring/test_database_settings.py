"""How the app talks to PostgreSQL: settings it brings to every connection."""

import os

import pytest
from django.db import connection

from mentoring.settings import ConfigurationError, parse_database_url

URL = "postgres://mentoring@127.0.0.1:5432/mentoring"


@pytest.mark.django_db
def test_the_planner_prices_a_random_read_as_on_a_solid_state_disk():
    """With PostgreSQL's default of 4, the contact grid's page read the whole application
    table twice instead of looking up its hundred applications."""
    expected = os.environ.get("DB_RANDOM_PAGE_COST", "1.1")
    with connection.cursor() as cursor:
        cursor.execute("SHOW random_page_cost")
        assert cursor.fetchone() == (expected,)


def test_the_planner_setting_can_be_changed_or_left_to_the_server(monkeypatch):
    monkeypatch.setenv("DB_RANDOM_PAGE_COST", "2")
    assert parse_database_url(URL, 0)["OPTIONS"] == {"options": "-c random_page_cost=2.0"}
    monkeypatch.setenv("DB_RANDOM_PAGE_COST", "")
    assert "options" not in parse_database_url(URL, 0).get("OPTIONS", {})
    assert "OPTIONS" not in parse_database_url("sqlite:////tmp/db.sqlite3", 0)


def test_options_of_the_database_url_are_kept(monkeypatch):
    monkeypatch.setenv("DB_RANDOM_PAGE_COST", "1.1")
    config = parse_database_url(f"{URL}?options=-c%20search_path%3Dmentoring", 0)
    assert config["OPTIONS"]["options"] == "-c search_path=mentoring -c random_page_cost=1.1"


@pytest.mark.parametrize("value", ["schnell", "nan", "inf", "0", "-1"])
def test_a_wrong_planner_setting_is_named(monkeypatch, value):
    monkeypatch.setenv("DB_RANDOM_PAGE_COST", value)
    with pytest.raises(ConfigurationError, match=f"DB_RANDOM_PAGE_COST='{value}' is not a posi"):
        parse_database_url(URL, 0)
