"""Workshops as .ics files and as a participant's secret calendar feed."""

import datetime as dt

import icalendar
import pytest
from django.urls import reverse

from tests.factories import UpcomingWorkshopFactory, UserFactory
from workshops import services
from workshops.calendar import calendar_bytes
from workshops.enums import Invitees
from workshops.models import CalendarFeed

pytestmark = pytest.mark.django_db
UTC = dt.UTC


def events(content):
    calendar = icalendar.Calendar.from_ical(content)
    return calendar, list(calendar.walk("VEVENT"))


def test_berlin_times_across_the_change_to_summer_time(world):
    # Summer time starts on 29 March 2026: 09:00 in Berlin is 08:00Z before, 07:00Z after.
    before = UpcomingWorkshopFactory(
        cohort=world["cohort"], date=dt.date(2026, 3, 28), start_time=dt.time(9)
    )
    after = UpcomingWorkshopFactory(
        cohort=world["cohort"], date=dt.date(2026, 3, 30), start_time=dt.time(9)
    )
    calendar, (first, second) = events(calendar_bytes([before, after]))

    assert first.decoded("dtstart").astimezone(UTC) == dt.datetime(2026, 3, 28, 8, tzinfo=UTC)
    assert first.decoded("dtend").astimezone(UTC) == dt.datetime(2026, 3, 28, 15, tzinfo=UTC)
    assert second.decoded("dtstart").astimezone(UTC) == dt.datetime(2026, 3, 30, 7, tzinfo=UTC)
    assert first["dtstart"].params["TZID"] == "Europe/Berlin"
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["Europe/Berlin"]
    assert calendar.get_missing_tzids() == set()


def test_ics_download_has_summary_location_description_and_a_stable_uid(client, world):
    workshop = world["workshop"]
    client.force_login(world["mentee"].applicant)
    url = reverse("workshops:ics", kwargs={"pk": workshop.pk})

    response = client.get(url)

    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="workshop-{workshop.pk}.ics"'
    _calendar, (event,) = events(response.content)
    assert str(event["summary"]) == "Zwischenworkshop"
    assert str(event["location"]) == "Gemeinschaftshaus Wulfen, Wulfener Markt 5, 46286 Dorsten"
    assert str(event["description"]) == (
        "Auftaktworkshop und Tandembildung\n"
        "Leitung: Dr. Anna Beispiel (Trainerin)\n"
        "Verbindlicher Workshop des Programms."
    )
    assert str(event["uid"]) == f"workshop-{workshop.pk}@127.0.0.1"
    workshop.title = "Zwischenworkshop (verlegt)"
    workshop.save()
    _calendar, (again,) = events(client.get(url).content)
    assert str(again["uid"]) == str(event["uid"])
    assert str(again["summary"]) == "Zwischenworkshop (verlegt)"


def test_ics_of_a_workshop_she_is_not_invited_to_is_not_found(client, world):
    mentors_only = UpcomingWorkshopFactory(cohort=world["cohort"], invitees=Invitees.MENTORS)
    other_cohort = UpcomingWorkshopFactory()
    client.force_login(world["mentee"].applicant)

    for workshop in (mentors_only, other_cohort):
        response = client.get(reverse("workshops:ics", kwargs={"pk": workshop.pk}))
        assert response.status_code == 404
    client.force_login(world["mentor"].applicant)
    url = reverse("workshops:ics", kwargs={"pk": mentors_only.pk})
    assert client.get(url).status_code == 200


def test_ics_needs_a_login(client, world):
    url = reverse("workshops:ics", kwargs={"pk": world["workshop"].pk})
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_feed_lists_her_workshops_without_login_until_renewed_or_revoked(client, world):
    mentee = world["mentee"].applicant
    UpcomingWorkshopFactory(cohort=world["cohort"], invitees=Invitees.MENTORS, title="Nur Mentor")
    UpcomingWorkshopFactory(cohort=world["cohort"], title="Netzwerktreffen")
    old = services.calendar_feed_renew(user=mentee)
    url = reverse("workshops:feed", kwargs={"token": old.token})

    response = client.get(url)

    assert response.status_code == 200
    _calendar, found = events(response.content)
    assert sorted(str(event["summary"]) for event in found) == [
        "Netzwerktreffen",
        "Zwischenworkshop",
    ]
    new = services.calendar_feed_renew(user=mentee)
    assert new.token != old.token
    assert client.get(url).status_code == 404
    assert client.get(reverse("workshops:feed", kwargs={"token": new.token})).status_code == 200
    services.calendar_feed_revoke(user=mentee)
    assert client.get(reverse("workshops:feed", kwargs={"token": new.token})).status_code == 404


def test_feed_with_an_unknown_token_is_not_found(client, world):
    response = client.get(reverse("workshops:feed", kwargs={"token": "x" * 43}))
    assert response.status_code == 404


def test_participant_sets_up_renews_and_revokes_her_feed_on_her_page(client, world):
    mentee = world["mentee"].applicant
    client.force_login(mentee)

    client.post(reverse("workshops:feed_renew"))
    first = CalendarFeed.objects.get(user=mentee).token
    page = client.get(reverse("workshops:mine")).content.decode()
    assert f"/workshops/kalender/{first}.ics" in page
    client.post(reverse("workshops:feed_renew"))
    assert CalendarFeed.objects.get(user=mentee).token != first
    client.post(reverse("workshops:feed_revoke"))
    assert CalendarFeed.objects.filter(user=mentee).exists() is False


def test_a_feed_of_someone_without_workshops_is_empty(client):
    feed = services.calendar_feed_renew(user=UserFactory())
    response = client.get(reverse("workshops:feed", kwargs={"token": feed.token}))
    _calendar, found = events(response.content)
    assert found == []


@pytest.mark.parametrize(
    ("language", "name", "description"),
    [
        ("en", "Cross-mentoring: workshops", "Mandatory workshop of the programme."),
        ("de", "Cross-Mentoring: Workshops", "Verbindlicher Workshop des Programms."),
    ],
)
def test_the_feed_speaks_her_language_whoever_asks(client, world, language, name, description):
    mentee = world["mentee"].applicant
    mentee.language = language
    mentee.save(update_fields=["language"])
    feed = services.calendar_feed_renew(user=mentee)
    client.cookies["django_language"] = "de" if language == "en" else "en"

    content = client.get(reverse("workshops:feed", kwargs={"token": feed.token})).content

    calendar, [event] = events(content)
    assert str(calendar["X-WR-CALNAME"]) == name
    assert str(event["description"]).endswith(description)
