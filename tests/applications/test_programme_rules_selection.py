"""The intercommunal programme's selection (Köln–Düsseldorf): binding seats per
administration, an interview before every mentee's acceptance with a calendar file,
and mentors who head an office or a department.
"""

import datetime as dt
import threading
import time
from html.parser import HTMLParser
from zoneinfo import ZoneInfo

import icalendar
import pytest
from django.core import mail
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from applications import eligibility, services
from applications.eligibility_display import render
from applications.enums import (
    ApplicationLogAction,
    ApplicationState,
    Decision,
    EligibilityOutcome,
    LeadershipLevel,
)
from applications.models import Application, ApplicationLog
from applications.selectors import SeatCount, seat_usage
from tests.factories import (
    ApplicationFactory,
    BeiratMembershipFactory,
    CohortFactory,
    CohortOrganisationFactory,
    MentorApplicationFactory,
    OrganisationFactory,
    ProgrammeFactory,
    ProgrammeOfficeFactory,
)

pytestmark = pytest.mark.django_db
S = ApplicationState
BERLIN = ZoneInfo("Europe/Berlin")
UTC = dt.UTC
LIST_URL = "/verwaltung/applications/application/"
KOELN_FULL = (
    "Für Stadt Köln sind alle 5 Mentee-Plätze vergeben (5/5). Setzen Sie die Bewerbung auf "
    "die Warteliste oder nehmen Sie eine andere Zusage zurück."
)


@pytest.fixture
def office():
    return ProgrammeOfficeFactory()


@pytest.fixture
def world():
    """The first intercommunal cohort: five mentee and five mentor seats per city."""
    programme = ProgrammeFactory(
        name="Interkommunales Cross-Mentoring Köln Düsseldorf", seats_binding=True
    )
    cohort = CohortFactory(programme=programme, year=2026)
    koeln = OrganisationFactory(name="Stadt Köln")
    duesseldorf = OrganisationFactory(name="Landeshauptstadt Düsseldorf")
    for organisation in (koeln, duesseldorf):
        CohortOrganisationFactory(
            cohort=cohort, organisation=organisation, mentee_seats=5, mentor_seats=5
        )
    return {"cohort": cohort, "koeln": koeln, "duesseldorf": duesseldorf}


def candidate(world, organisation="koeln", *, state=S.IN_REVIEW, factory=ApplicationFactory):
    return factory(
        cohort=world["cohort"],
        organisation=world[organisation],
        state=state,
        submitted_at=timezone.now(),
        cv="",
        letter="",
    )


def accept(application, actor):
    return services.application_record_decision(
        application=application, actor=actor, decision=Decision.ACCEPTED
    )


def refusal(application, actor, decision=Decision.ACCEPTED):
    with pytest.raises(services.ApplicationError) as error:
        services.application_record_decision(
            application=application, actor=actor, decision=decision
        )
    return str(error.value)


# Seats ------------------------------------------------------------------------------------


def test_the_sixth_acceptance_of_an_administration_is_refused_with_the_seat_count(world, office):
    for application in [candidate(world) for _ in range(5)]:
        accept(application, office)
    sixth = candidate(world)

    assert refusal(sixth, office) == KOELN_FULL
    sixth.refresh_from_db()
    assert sixth.pending_decision == ""
    assert not ApplicationLog.objects.filter(
        application=sixth, action=ApplicationLogAction.DECISION_RECORDED
    ).exists()


def test_released_and_pending_acceptances_both_take_seats(world, office):
    for _ in range(3):
        candidate(world, state=S.ACCEPTED)
    for application in [candidate(world) for _ in range(2)]:
        accept(application, office)

    assert refusal(candidate(world), office) == KOELN_FULL


def test_a_full_administration_can_still_waitlist_and_reject(world, office):
    for application in [candidate(world) for _ in range(5)]:
        accept(application, office)
    waitlisted, rejected = candidate(world), candidate(world)

    services.application_record_decision(
        application=waitlisted, actor=office, decision=Decision.WAITLISTED
    )
    services.application_record_decision(
        application=rejected, actor=office, decision=Decision.REJECTED
    )

    pending = dict(Application.objects.values_list("pk", "pending_decision"))
    assert (pending[waitlisted.pk], pending[rejected.pk]) == (
        Decision.WAITLISTED,
        Decision.REJECTED,
    )


def test_seats_are_counted_per_administration_and_per_role(world, office):
    for application in [candidate(world) for _ in range(5)]:
        accept(application, office)

    accept(candidate(world, "duesseldorf"), office)
    accept(candidate(world, factory=MentorApplicationFactory), office)

    usage = {row.organisation.name: row for row in seat_usage(cohort=world["cohort"])}
    assert usage["Stadt Köln"].mentee == SeatCount(seats=5, accepted=0, pending=5)
    assert usage["Stadt Köln"].mentor == SeatCount(seats=5, accepted=0, pending=1)
    assert usage["Landeshauptstadt Düsseldorf"].mentee == SeatCount(seats=5, accepted=0, pending=1)


def test_clearing_a_pending_acceptance_frees_the_seat(world, office):
    accepted = [candidate(world) for _ in range(5)]
    for application in accepted:
        accept(application, office)
    sixth = candidate(world)
    assert refusal(sixth, office) == KOELN_FULL

    services.application_clear_decision(application=accepted[0], actor=office)
    accept(sixth, office)

    sixth.refresh_from_db()
    assert sixth.pending_decision == Decision.ACCEPTED


def test_a_withdrawal_frees_the_seat(world, office):
    accepted = [candidate(world) for _ in range(5)]
    for application in accepted:
        accept(application, office)

    services.application_withdraw(application=accepted[0], actor=accepted[0].applicant)
    accept(candidate(world), office)

    assert Application.objects.filter(pending_decision=Decision.ACCEPTED).count() == 5


def test_one_seat_and_no_seat_say_so(world, office):
    participation = world["cohort"].participations.get(organisation=world["koeln"])
    participation.mentee_seats = 1
    participation.mentor_seats = 0
    participation.save()
    accept(candidate(world), office)

    assert refusal(candidate(world), office) == (
        "Für Stadt Köln ist der Mentee-Platz vergeben (1/1). Setzen Sie die Bewerbung auf die "
        "Warteliste oder nehmen Sie eine andere Zusage zurück."
    )
    assert refusal(candidate(world, factory=MentorApplicationFactory), office) == (
        "Stadt Köln hat in diesem Jahrgang keine Mentor:innen-Plätze. Setzen Sie die Bewerbung "
        "auf die Warteliste oder erhöhen Sie die Plätze."
    )


def test_an_administration_outside_the_cohort_has_no_seats(world, office):
    application = ApplicationFactory(
        cohort=world["cohort"],
        organisation=OrganisationFactory(name="Stadt Bonn"),
        state=S.IN_REVIEW,
        cv="",
        letter="",
    )
    assert refusal(application, office) == (
        "Stadt Bonn nimmt an diesem Jahrgang nicht teil und hat keine Plätze."
    )


def test_without_binding_seats_there_is_no_limit(world, office):
    programme = world["cohort"].programme
    programme.seats_binding = False
    programme.save()
    world["cohort"].participations.update(mentee_seats=1)

    for application in [candidate(world) for _ in range(3)]:
        accept(application, office)

    assert Application.objects.filter(pending_decision=Decision.ACCEPTED).count() == 3


def _someone_waits_for_a_lock():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity "
            "WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        return cursor.fetchone()[0] > 0


@pytest.mark.postgres  # row locks: SQLite locks the whole file instead
@pytest.mark.django_db(transaction=True)
def test_two_officers_accepting_the_last_seat_at_the_same_moment_cannot_both_win(world):
    """The first officer's acceptance is recorded but not yet committed when the second
    one counts: the second must wait for it and then see the seat taken."""
    world["cohort"].participations.filter(organisation=world["koeln"]).update(mentee_seats=1)
    first, second = candidate(world), candidate(world)
    officers = [BeiratMembershipFactory().user, BeiratMembershipFactory().user]
    recorded, commit = threading.Event(), threading.Event()
    outcomes = {}

    def decide(name, officer, application, *, hold):
        try:
            with transaction.atomic():
                accept(application, officer)
                if hold:
                    recorded.set()
                    commit.wait(timeout=10)
            outcomes[name] = "won"
        except services.ApplicationError as error:
            outcomes[name] = str(error)
        finally:
            recorded.set()
            connection.close()

    def second_officer():
        recorded.wait(timeout=10)
        decide("second", officers[1], second, hold=False)

    threads = [
        threading.Thread(target=decide, args=("first", officers[0], first), kwargs={"hold": True}),
        threading.Thread(target=second_officer),
    ]
    for thread in threads:
        thread.start()
    # The first one commits once the second waits for the lock (or, without a lock, is done).
    recorded.wait(timeout=10)
    deadline = time.monotonic() + 10
    while threads[1].is_alive() and not _someone_waits_for_a_lock():
        assert time.monotonic() < deadline, "the second officer neither waited nor finished"
        time.sleep(0.01)
    commit.set()
    for thread in threads:
        thread.join(timeout=30)

    assert outcomes == {
        "first": "won",
        "second": "Für Stadt Köln ist der Mentee-Platz vergeben (1/1). Setzen Sie die Bewerbung "
        "auf die Warteliste oder nehmen Sie eine andere Zusage zurück.",
    }
    assert list(
        Application.objects.filter(pending_decision=Decision.ACCEPTED).values_list("pk", flat=True)
    ) == [first.pk]
    assert ApplicationLog.objects.filter(action=ApplicationLogAction.DECISION_RECORDED).count() == 1


# Interview before acceptance ---------------------------------------------------------------


@pytest.fixture
def interviews(world):
    programme = world["cohort"].programme
    programme.interview_required = True
    programme.save()
    return world


INTERVIEW_AT = dt.datetime(2026, 6, 16, 10, 30, tzinfo=BERLIN)


def test_a_mentee_is_not_accepted_before_her_interview(interviews, office):
    application = candidate(interviews)

    assert refusal(application, office) == (
        "In diesem Programm werden Mentees erst nach einem Auswahlgespräch angenommen. Bitte "
        "laden Sie die Bewerberin zuerst zum Auswahlgespräch ein."
    )
    services.application_record_decision(
        application=application, actor=office, decision=Decision.REJECTED
    )
    application.refresh_from_db()
    assert application.pending_decision == Decision.REJECTED


def test_a_mentee_invited_to_the_interview_can_be_accepted(interviews, office):
    application = candidate(interviews)
    services.application_invite_interview(
        application=application, actor=office, at=INTERVIEW_AT, place="Rathaus Köln, Raum 12"
    )

    accept(application, office)

    application.refresh_from_db()
    assert (application.state, application.pending_decision) == (S.INTERVIEW, Decision.ACCEPTED)


def test_mentors_are_accepted_without_an_interview(interviews, office):
    mentor = candidate(interviews, factory=MentorApplicationFactory)
    accept(mentor, office)
    mentor.refresh_from_db()
    assert mentor.pending_decision == Decision.ACCEPTED


def test_without_the_rule_a_mentee_is_accepted_from_review(world, office):
    application = candidate(world)
    accept(application, office)
    application.refresh_from_db()
    assert application.pending_decision == Decision.ACCEPTED


# The invitation and its calendar file ----------------------------------------------------


def calendar_of(message):
    (attachment,) = message.attachments
    return attachment, icalendar.Calendar.from_ical(attachment.content)


@pytest.mark.parametrize(
    ("local", "utc"),
    [
        # Winter (CET, +01:00) and summer (CEST, +02:00) time in Berlin.
        (dt.datetime(2027, 1, 12, 10, 30), dt.datetime(2027, 1, 12, 9, 30, tzinfo=UTC)),
        (dt.datetime(2026, 6, 16, 10, 30), dt.datetime(2026, 6, 16, 8, 30, tzinfo=UTC)),
    ],
)
def test_the_invitation_carries_an_ics_in_berlin_time_lasting_an_hour(
    world, office, local, utc, django_capture_on_commit_callbacks
):
    application = candidate(world)
    BeiratMembershipFactory(
        programme=world["cohort"].programme,
        organisation=world["koeln"],
        user__email="gleichstellung@stadt-koeln.example",
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.application_invite_interview(
            application=application,
            actor=office,
            at=local.replace(tzinfo=BERLIN),
            place="Historisches Rathaus, Spanischer Bau, Raum 12",
        )

    (message,) = mail.outbox
    attachment, calendar = calendar_of(message)
    (event,) = calendar.walk("VEVENT")
    assert (attachment.filename, attachment.mimetype) == ("auswahlgespraech.ics", "text/calendar")
    assert str(calendar["method"]) == "PUBLISH"
    assert f"DTSTART;TZID=Europe/Berlin:{local:%Y%m%dT%H%M%S}" in attachment.content
    assert event["dtstart"].params["TZID"] == "Europe/Berlin"
    assert event.decoded("dtstart").astimezone(UTC) == utc
    assert event.decoded("dtend") - event.decoded("dtstart") == dt.timedelta(minutes=60)
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["Europe/Berlin"]
    assert str(event["location"]) == "Historisches Rathaus, Spanischer Bau, Raum 12"
    assert str(event["summary"]) == (
        "Auswahlgespräch: Interkommunales Cross-Mentoring Köln Düsseldorf"
    )
    assert str(event["organizer"]) == "mailto:gleichstellung@stadt-koeln.example"
    assert str(event["uid"]) == f"interview-{application.pk}@127.0.0.1"
    assert "Im Anhang finden Sie den Termin als Kalenderdatei (.ics)" in message.body
    mime = message.message()
    calendar_parts = [p for p in mime.walk() if p.get_content_type() == "text/calendar"]
    assert len(calendar_parts) == 1


def test_other_mails_have_no_attachment(world, django_capture_on_commit_callbacks):
    application = ApplicationFactory(cohort=world["cohort"], organisation=world["koeln"])
    with django_capture_on_commit_callbacks(execute=True):
        services.application_submit(application=application, actor=application.applicant)
    (message,) = mail.outbox
    assert message.attachments == []


def test_an_interview_outside_the_cohorts_years_is_refused_at_the_date(world, office):
    application = candidate(world)
    with pytest.raises(services.ApplicationError) as error:
        services.application_invite_interview(
            application=application,
            actor=office,
            at=dt.datetime(2062, 6, 16, 10, 30, tzinfo=BERLIN),
            place="Rathaus",
        )
    assert str(error.value) == (
        "Bitte wählen Sie einen Termin zwischen dem 01.01.2025 und dem 31.12.2027 (Jahrgang 2026)."
    )
    assert error.value.field == "at"
    application.refresh_from_db()
    assert application.state == S.IN_REVIEW


def interview_url(application):
    return f"{LIST_URL}{application.pk}/gespraech/"


INVALID_DATE = "Bitte ein gültiges Datum und Uhrzeit eingeben."
OUT_OF_RANGE = (
    "Bitte wählen Sie einen Termin zwischen dem 01.01.2025 und dem 31.12.2027 (Jahrgang 2026)."
)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("0001-01-01T00:00", OUT_OF_RANGE),
        ("9999-12-31T23:59", OUT_OF_RANGE),
        ("2026-02-30T10:00", INVALID_DATE),
        ("2026-13-01T10:00", INVALID_DATE),
        ("morgen um zehn", INVALID_DATE),
        ("31.12.9999 23:59", OUT_OF_RANGE),
        # Skipped by the change to summer time: that minute does not exist in Berlin.
        (
            "2026-03-29T02:30",
            "2026-03-29 02:30:00 konnte mit der Zeitzone Europe/Berlin nicht eindeutig "
            "interpretiert werden, da es doppeldeutig oder eventuell inkorrekt ist.",
        ),
    ],
)
def test_odd_interview_dates_in_the_admin_are_an_error_at_the_field(
    client, world, office, value, message
):
    application = candidate(world)
    client.force_login(office)

    response = client.post(interview_url(application), {"at": value, "place": "Rathaus Köln"})

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors == {"at": [message]}
    assert 'value="Rathaus Köln"' in response.content.decode()
    application.refresh_from_db()
    assert (application.state, mail.outbox) == (S.IN_REVIEW, [])


def test_a_valid_interview_date_in_the_admin_is_saved(
    client, world, office, django_capture_on_commit_callbacks
):
    application = candidate(world)
    client.force_login(office)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            interview_url(application), {"at": "16.06.2026 10:30", "place": "Rathaus Köln"}
        )

    assert response.status_code == 302
    application.refresh_from_db()
    assert application.interview_at == INTERVIEW_AT
    assert len(mail.outbox[0].attachments) == 1


# The mentor's leadership level --------------------------------------------------------------

HEADS = eligibility.Policy(
    participating_organisation_ids=frozenset({1}), mentor_levels=frozenset({"office", "executive"})
)


def rendered(result):
    """The reason as a German reader sees it."""
    with translation.override("de"):
        return render(result.reason, result.params)


def mentor_level(level, policy=HEADS):
    facts = eligibility.MentorFacts(
        organisation_id=1, leadership_years=10, staff_count=40, leadership_level=level
    )
    report = eligibility.check_mentor(facts, policy)
    return {result.rule: result for result in report.results}, report.overall


def test_a_head_of_office_passes_the_level_rule():
    results, overall = mentor_level("office")
    assert (results["leadership_level"].outcome, overall) == (
        eligibility.Outcome.PASS,
        eligibility.Outcome.PASS,
    )
    assert rendered(results["leadership_level"]) == "Amtsleitung: erfüllt die Voraussetzung."


def test_a_head_of_division_fails_the_level_rule_naming_the_allowed_levels():
    results, overall = mentor_level("division")
    assert (results["leadership_level"].outcome, overall) == (
        eligibility.Outcome.FAIL,
        eligibility.Outcome.FAIL,
    )
    assert rendered(results["leadership_level"]) == (
        "Abteilungsleitung: Mentor:innen in diesem Programm haben die Führungsebene "
        "Verwaltungsvorstand / Dezernat oder Amtsleitung."
    )


def test_a_missing_level_needs_a_manual_check():
    results, overall = mentor_level(None)
    assert (results["leadership_level"].outcome, overall) == (
        eligibility.Outcome.MANUAL,
        eligibility.Outcome.MANUAL,
    )
    assert rendered(results["leadership_level"]) == (
        "Angabe fehlt: Führungsebene; bitte manuell prüfen."
    )


def test_without_allowed_levels_there_is_no_level_rule():
    results, _overall = mentor_level("team", eligibility.Policy(participating_organisation_ids={1}))
    assert list(results) == ["leadership", "organisation"]


def test_the_pure_levels_are_the_levels_in_their_order():
    assert tuple(LeadershipLevel.values) == eligibility.LEADERSHIP_LEVELS


def test_the_cohorts_mentor_levels_reach_the_stored_report(world):
    policy = services.policy_for(world["cohort"])
    policy.mentor_levels = [LeadershipLevel.EXECUTIVE, LeadershipLevel.HEAD_OF_OFFICE]
    policy.save()
    division = MentorApplicationFactory(
        cohort=world["cohort"],
        organisation=world["koeln"],
        leadership_level=LeadershipLevel.HEAD_OF_DIVISION,
    )

    services.application_submit(application=division, actor=division.applicant)

    division.refresh_from_db()
    assert division.eligibility_outcome == EligibilityOutcome.FAIL
    assert [(r["rule"], r["outcome"]) for r in division.eligibility_report["results"]] == [
        ("leadership", "pass"),
        ("leadership_level", "fail"),
        ("organisation", "pass"),
    ]


def test_unknown_levels_in_the_policy_are_ignored(world):
    policy = services.policy_for(world["cohort"])
    policy.mentor_levels = ["oberboss", 7]
    pure = services.pure_policy(policy, participating_organisation_ids=[world["koeln"].pk])
    assert pure.mentor_levels == frozenset()


def policy_data(cohort, **changes):
    return {
        "cohort": cohort.pk,
        "accept_career_group_2": "on",
        "accept_employee_course_2": "on",
        "degree_needs_check": "on",
        "minimum_grade_a": "11",
        "minimum_grade_eg": "10",
        "minimum_grade_s": "15",
        "require_permanent": "on",
        "minimum_service_months": "24",
        "minimum_leadership_years": "3",
        **changes,
    }


def test_the_policy_admin_offers_the_levels_as_checkboxes_and_rechecks(client, world, office):
    policy = services.policy_for(world["cohort"])
    mentor = MentorApplicationFactory(
        cohort=world["cohort"],
        organisation=world["koeln"],
        leadership_level=LeadershipLevel.TEAM_LEAD,
    )
    services.application_submit(application=mentor, actor=mentor.applicant)
    url = f"/verwaltung/applications/eligibilitypolicy/{policy.pk}/change/"
    client.force_login(office)

    page = client.get(url).content.decode()
    assert page.count('type="checkbox" name="mentor_levels"') == len(LeadershipLevel)

    response = client.post(url, policy_data(world["cohort"], mentor_levels=["office", "executive"]))
    assert response.status_code == 302
    policy.refresh_from_db()
    assert policy.mentor_levels == ["executive", "office"]
    mentor.refresh_from_db()
    assert mentor.eligibility_outcome == EligibilityOutcome.FAIL


def test_an_unknown_level_posted_to_the_policy_admin_is_a_form_error(client, world, office):
    policy = services.policy_for(world["cohort"])
    client.force_login(office)
    response = client.post(
        f"/verwaltung/applications/eligibilitypolicy/{policy.pk}/change/",
        policy_data(world["cohort"], mentor_levels=["oberboss"]),
    )
    assert response.status_code == 200
    assert list(response.context["adminform"].form.errors) == ["mentor_levels"]
    policy.refresh_from_db()
    assert policy.mentor_levels == []


# The Beirat's view in the admin ----------------------------------------------------------


class _SeatTable(HTMLParser):
    """The rows of the seat table as text, one list of cells per row."""

    def __init__(self):
        super().__init__()
        self.depth, self.rows, self.cell = 0, [], None

    def handle_starttag(self, tag, attrs):
        if tag == "div" and ("id", "seat-usage") in attrs:
            self.depth = 1
        elif self.depth and tag == "div":
            self.depth += 1
        elif self.depth and tag == "tr":
            self.rows.append([])
        elif self.depth and tag in ("td", "th"):
            self.cell = []

    def handle_endtag(self, tag):
        if self.depth and tag == "div":
            self.depth -= 1
        elif self.depth and tag in ("td", "th") and self.cell is not None:
            self.rows[-1].append(" ".join("".join(self.cell).split()))
            self.cell = None

    def handle_data(self, data):
        if self.depth and self.cell is not None:
            self.cell.append(data)


def seat_rows(response):
    parser = _SeatTable()
    parser.feed(response.content.decode())
    return parser.rows


def filled(world, office, *, koeln_pending=5, duesseldorf_accepted=4):
    for application in [candidate(world) for _ in range(koeln_pending)]:
        accept(application, office)
    for _ in range(duesseldorf_accepted):
        candidate(world, "duesseldorf", state=S.ACCEPTED)


def test_the_list_filtered_to_a_cohort_shows_the_seats_per_administration(client, world, office):
    filled(world, office, koeln_pending=5, duesseldorf_accepted=4)
    client.force_login(office)

    response = client.get(f"{LIST_URL}?cohort__id__exact={world['cohort'].pk}")

    assert seat_rows(response) == [
        ["Organisation", "Mentees (vergeben/Plätze)", "Mentor:innen (vergeben/Plätze)"],
        [
            "Landeshauptstadt Düsseldorf",
            "4/5 (4 angenommen, 0 vorgemerkt)",
            "0/5 (0 angenommen, 0 vorgemerkt)",
        ],
        [
            "Stadt Köln",
            "5/5 (0 angenommen, 5 vorgemerkt) – alle vergeben",
            "0/5 (0 angenommen, 0 vorgemerkt)",
        ],
    ]
    assert "Die Plätze sind verbindlich" in response.content.decode()


@pytest.mark.parametrize("query", ["", "?cohort__id__exact=abc", "?role=mentee"])
def test_the_list_shows_no_seats_without_exactly_one_cohort(client, world, office, query):
    client.force_login(office)
    response = client.get(f"{LIST_URL}{query}")
    assert response.status_code in (200, 302)
    assert seat_rows(response) == []


def test_an_unknown_cohort_in_the_filter_shows_no_seats(client, world, office):
    client.force_login(office)
    for value in ("987654321", "99999999999999999999999999"):
        response = client.get(f"{LIST_URL}?cohort__id__exact={value}")
        assert response.status_code in (200, 302)
        assert seat_rows(response) == []


def test_an_officer_sees_the_refusal_when_she_accepts_beyond_the_seats(client, world, office):
    filled(world, office, koeln_pending=5, duesseldorf_accepted=0)
    sixth = candidate(world)
    officer = BeiratMembershipFactory(
        programme=world["cohort"].programme, organisation=world["koeln"]
    ).user
    client.force_login(officer)

    response = client.post(
        LIST_URL,
        {"action": "decide_accepted", "_selected_action": [sixth.pk], "index": "0"},
        follow=True,
    )

    shown = [str(message) for message in response.context["messages"]]
    assert shown == [f"{sixth.applicant}: {KOELN_FULL}"]
    sixth.refresh_from_db()
    assert sixth.pending_decision == ""


def test_the_release_page_shows_the_seats(client, world, office):
    filled(world, office, koeln_pending=2, duesseldorf_accepted=0)
    client.force_login(office)

    response = client.get(f"{LIST_URL}freigabe/{world['cohort'].pk}/")

    assert seat_rows(response)[1:] == [
        [
            "Landeshauptstadt Düsseldorf",
            "0/5 (0 angenommen, 0 vorgemerkt)",
            "0/5 (0 angenommen, 0 vorgemerkt)",
        ],
        [
            "Stadt Köln",
            "2/5 (0 angenommen, 2 vorgemerkt)",
            "0/5 (0 angenommen, 0 vorgemerkt)",
        ],
    ]


def queries(client, url):
    client.get(url)  # warm per-process caches (content types), as a running worker has them
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def grow(world, office):
    """Ten more administrations with seats and applications in every state that counts."""
    for number in range(10):
        participation = CohortOrganisationFactory(
            cohort=world["cohort"],
            organisation=OrganisationFactory(name=f"Kreis {number}"),
            mentee_seats=3,
        )
        organisation = participation.organisation
        ApplicationFactory(
            cohort=world["cohort"], organisation=organisation, state=S.ACCEPTED, cv="", letter=""
        )
        accept(
            ApplicationFactory(
                cohort=world["cohort"],
                organisation=organisation,
                state=S.IN_REVIEW,
                cv="",
                letter="",
            ),
            office,
        )
        MentorApplicationFactory(
            cohort=world["cohort"], organisation=organisation, state=S.ACCEPTED
        )


def test_the_filtered_list_with_seats_does_not_grow_with_administrations(client, world, office):
    client.force_login(office)
    accept(candidate(world), office)
    url = f"{LIST_URL}?cohort__id__exact={world['cohort'].pk}"
    few = queries(client, url)
    grow(world, office)
    assert queries(client, url) == few
    assert len(seat_rows(client.get(url))) == 13


def test_the_release_page_with_seats_does_not_grow_with_administrations(client, world, office):
    client.force_login(office)
    accept(candidate(world), office)
    url = f"{LIST_URL}freigabe/{world['cohort'].pk}/"
    few = queries(client, url)
    grow(world, office)
    assert queries(client, url) == few


def test_the_seat_usage_takes_two_queries(world, office, django_assert_num_queries):
    grow(world, office)
    with django_assert_num_queries(2):
        usage = seat_usage(cohort=world["cohort"])
    assert len(usage) == 12
