"""The tandem portal: logging contacts, the month timeline, and who may touch which entry."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cohorts.enums import BeiratRole
from mentoring.months import add_months
from tandems import progress
from tandems.enums import ContactFormat, MonthState, TandemStatus
from tandems.models import Contact
from tests.factories import (
    BeiratMembershipFactory,
    ContactFactory,
    ProgrammeOfficeFactory,
    TandemFactory,
    TopicFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def tandem():
    return TandemFactory()


def contact_data(**changes):
    data = {
        "date": (timezone.localdate() - dt.timedelta(days=1)).isoformat(),
        "format": ContactFormat.VIDEO,
        "duration_minutes": "45",
        "topics_other": "Bewerbung auf die Amtsleitung",
        "note": "Nächstes Mal: Gesprächsführung üben.",
    }
    data.update(changes)
    return data


def log(client, tandem, **changes):
    return client.post(f"/tandem/{tandem.pk}/kontakte/neu/", contact_data(**changes))


def test_the_mentee_logs_a_contact_and_the_mentor_sees_it(client, tandem):
    topic = TopicFactory(name="Führen in Teilzeit")
    client.force_login(tandem.mentee.applicant)
    response = log(client, tandem, topics=[topic.pk])
    assert response.status_code == 302
    assert response["Location"] == f"/tandem/{tandem.pk}/"
    contact = Contact.objects.get()
    assert (contact.author, contact.format, contact.duration_minutes) == (
        tandem.mentee.applicant,
        ContactFormat.VIDEO,
        45,
    )
    assert [t.name for t in contact.topics.all()] == ["Führen in Teilzeit"]

    client.force_login(tandem.mentor.applicant)
    page = client.get("/tandem/", follow=True).content.decode()
    assert "Nächstes Mal: Gesprächsführung üben." in page
    assert "Führen in Teilzeit" in page
    assert tandem.mentee.applicant.get_full_name() in page
    # The mentor may read it, not change it: no edit link, and the URL is not found.
    assert f"/kontakte/{contact.pk}/" not in page
    assert client.get(f"/tandem/{tandem.pk}/kontakte/{contact.pk}/").status_code == 404


def test_the_portal_shows_partner_agreement_workshops_and_months(client, tandem):
    from tests.factories import WorkshopFactory

    WorkshopFactory(cohort=tandem.cohort, title="Zwischenworkshop im Rathaus")
    client.force_login(tandem.mentor.applicant)
    page = client.get(f"/tandem/{tandem.pk}/").content.decode()
    assert tandem.mentee.applicant.get_full_name() in page
    assert tandem.mentee.organisation.name in page
    assert f"mailto:{tandem.mentee.applicant.email}" in page
    assert "Zwischenworkshop im Rathaus" in page
    assert "Zielvereinbarung" in page
    assert page.count('class="month-') >= len(tandem.months)


@pytest.mark.parametrize(
    ("offset", "message"),
    [
        (lambda t, today: today + dt.timedelta(days=1), "Das Datum liegt in der Zukunft."),
        (
            lambda t, today: t.start_date - dt.timedelta(days=1),
            "Das Datum liegt vor dem Beginn Ihres Tandems",
        ),
    ],
    ids=["future", "before-start"],
)
def test_dates_outside_the_tandem_are_refused_next_to_the_field(client, tandem, offset, message):
    client.force_login(tandem.mentee.applicant)
    day = offset(tandem, timezone.localdate())
    response = log(client, tandem, date=day.isoformat())
    assert response.status_code == 200
    page = response.content.decode()
    assert message in page
    assert 'id="error_1_id_date"' in page or "invalid-feedback" in page
    # What she typed is still there.
    assert "Nächstes Mal: Gesprächsführung üben." in page
    assert "Bewerbung auf die Amtsleitung" in page
    assert not Contact.objects.exists()


def test_the_first_and_last_day_and_today_are_accepted(client, tandem):
    client.force_login(tandem.mentee.applicant)
    for day in (tandem.start_date, timezone.localdate()):
        assert log(client, tandem, date=day.isoformat()).status_code == 302
    assert Contact.objects.count() == 2


def test_after_an_early_end_later_dates_are_refused(client, tandem):
    ended_on = timezone.localdate() - dt.timedelta(days=10)
    tandem.status, tandem.ended_at, tandem.end_reason = TandemStatus.ENDED, ended_on, "Wechsel"
    tandem.save()
    client.force_login(tandem.mentee.applicant)
    after = log(client, tandem, date=(ended_on + dt.timedelta(days=1)).isoformat())
    assert "Das Datum liegt nach dem Ende Ihres Tandems" in after.content.decode()
    assert log(client, tandem, date=ended_on.isoformat()).status_code == 302


def test_two_contacts_in_one_month_are_fine(client, tandem):
    client.force_login(tandem.mentor.applicant)
    for day in (tandem.start_date, tandem.start_date + dt.timedelta(days=1)):
        assert log(client, tandem, date=day.isoformat()).status_code == 302
    assert Contact.objects.filter(tandem=tandem).count() == 2
    page = client.get(f"/tandem/{tandem.pk}/").content.decode()
    assert page.count("eingetragen von") == 2


def test_bad_numbers_and_formats_get_german_messages(client, tandem):
    client.force_login(tandem.mentee.applicant)
    page = log(client, tandem, duration_minutes="0", format="telepathy", date="31.02.").content
    page = page.decode()
    assert "Bitte eine gültige Auswahl treffen." in page
    assert "Bitte ein gültiges Datum eingeben." in page
    assert "Dieser Wert muss größer oder gleich 5 sein." in page
    assert 'id="error_1_id_format"' in page
    assert not Contact.objects.exists()


def test_authors_edit_and_delete_their_own_entries_only(client, tandem):
    mine = ContactFactory(tandem=tandem, author=tandem.mentee.applicant, note="alt")
    theirs = ContactFactory(tandem=tandem, author=tandem.mentor.applicant)
    client.force_login(tandem.mentee.applicant)
    edit = f"/tandem/{tandem.pk}/kontakte/{mine.pk}/"
    assert client.get(edit).status_code == 200
    data = contact_data(date=tandem.start_date.isoformat(), note="neu")
    assert client.post(edit, data).status_code == 302
    mine.refresh_from_db()
    assert mine.note == "neu" and mine.author == tandem.mentee.applicant

    assert client.post(f"/tandem/{tandem.pk}/kontakte/{theirs.pk}/", data).status_code == 404
    assert client.post(f"/tandem/{tandem.pk}/kontakte/{theirs.pk}/loeschen/").status_code == 404
    assert Contact.objects.filter(pk=theirs.pk).exists()

    delete = f"/tandem/{tandem.pk}/kontakte/{mine.pk}/loeschen/"
    assert "lässt sich nicht rückgängig machen" in client.get(delete).content.decode()
    assert client.post(delete).status_code == 302
    assert not Contact.objects.filter(pk=mine.pk).exists()


def _people(tandem):
    other = TandemFactory(cohort=tandem.cohort)
    mentee_officer = BeiratMembershipFactory(
        organisation=tandem.mentee.organisation, programme=tandem.cohort.programme
    ).user
    mentor_officer = BeiratMembershipFactory(
        organisation=tandem.mentor.organisation, programme=tandem.cohort.programme
    ).user
    chair = BeiratMembershipFactory(programme=tandem.cohort.programme, role=BeiratRole.CHAIR).user
    return {
        "partner of another tandem": other.mentee.applicant,
        "officer of the mentee's organisation": mentee_officer,
        "officer of the mentor's organisation": mentor_officer,
        "Beirat chair": chair,
        "programme office": ProgrammeOfficeFactory(),
        "someone registered": UserFactory(),
    }


def test_permission_matrix_for_every_log_url(client, tandem):
    contact = ContactFactory(tandem=tandem)
    urls = [
        ("get", f"/tandem/{tandem.pk}/"),
        ("get", f"/tandem/{tandem.pk}/kontakte/neu/"),
        ("post", f"/tandem/{tandem.pk}/kontakte/neu/"),
        ("get", f"/tandem/{tandem.pk}/kontakte/{contact.pk}/"),
        ("post", f"/tandem/{tandem.pk}/kontakte/{contact.pk}/"),
        ("get", f"/tandem/{tandem.pk}/kontakte/{contact.pk}/loeschen/"),
        ("post", f"/tandem/{tandem.pk}/kontakte/{contact.pk}/loeschen/"),
    ]
    # Anonymous: to the login page, nothing changed.
    for method, url in urls:
        response = getattr(client, method)(url, contact_data())
        assert response.status_code == 302 and "/konto/anmelden/" in response["Location"], url
    # Everyone but the two partners: the tandem does not exist for them.
    for who, user in _people(tandem).items():
        client.force_login(user)
        for method, url in urls:
            response = getattr(client, method)(url, contact_data())
            assert response.status_code == 404, (who, method, url)
    assert Contact.objects.count() == 1
    # The author may do all; her partner reads, and may log her own.
    client.force_login(tandem.mentee.applicant)
    for method, url in urls[:2] + urls[3:4] + urls[5:6]:
        assert getattr(client, method)(url).status_code == 200, url
    client.force_login(tandem.mentor.applicant)
    assert client.get(urls[0][1]).status_code == 200
    assert client.get(urls[1][1]).status_code == 200
    assert client.get(urls[3][1]).status_code == 404


def test_the_timeline_marks_months_done_missing_open_and_upcoming():
    today = dt.date(2026, 6, 10)

    class Stub:
        start_date = dt.date(2026, 3, 5)
        months = [dt.date(2026, m, 1) for m in range(3, 10)]

    formats = {dt.date(2026, 3, 1): ["video", "in_person", "video"], dt.date(2026, 6, 1): []}
    months = progress.months_of(Stub, formats, today)
    assert [m.state for m in months] == [
        MonthState.DONE,
        MonthState.MISSING,
        MonthState.MISSING,
        MonthState.OPEN,
        MonthState.UPCOMING,
        MonthState.UPCOMING,
        MonthState.UPCOMING,
    ]
    assert months[0].formats == ["in_person", "video"]
    # Whether the tandem is quiet is the rule in tests/tandems/test_quiet_rule.py.
    assert progress.quiet_since(today) == dt.date(2026, 4, 1)
    columns = [dt.date(2026, 2, 1), *Stub.months]
    assert progress.months_of(Stub, formats, today, columns)[0].state == MonthState.OUTSIDE


def test_portal_queries_do_not_grow_with_tandems_or_contacts(client):
    first = TandemFactory()
    ContactFactory(tandem=first)
    client.force_login(first.mentee.applicant)
    with CaptureQueriesContext(connection) as one:
        assert client.get(f"/tandem/{first.pk}/").status_code == 200

    many = TandemFactory()
    for index in range(100):
        other = TandemFactory(cohort=many.cohort) if index else many
        ContactFactory(tandem=other, date=other.start_date + dt.timedelta(days=index % 20))
        ContactFactory(
            tandem=many,
            author=many.mentor.applicant,
            date=add_months(many.start_date, index % 5) + dt.timedelta(days=3),
            topics_other=f"Thema {index}",
        )
    client.force_login(many.mentee.applicant)
    with CaptureQueriesContext(connection) as hundred:
        response = client.get(f"/tandem/{many.pk}/")
    assert response.status_code == 200
    assert len(hundred) == len(one), [q["sql"] for q in hundred.captured_queries]


def test_someone_without_a_tandem_is_told_so(client):
    client.force_login(UserFactory())
    assert "noch keinem Tandem zugeordnet" in client.get("/tandem/").content.decode()


def test_the_list_of_several_tandems_costs_the_same_with_more(client):
    first = TandemFactory()
    person = first.mentor.applicant

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/tandem/").status_code == 200
        return len(captured)

    TandemFactory(mentor__applicant=person)
    client.force_login(person)
    two = queries()
    for _ in range(8):
        TandemFactory(mentor__applicant=person)
    assert queries() == two
