"""A cohort's state changes only along its table, through the service, and is logged."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cohorts import services
from cohorts.enums import COHORT_TRANSITIONS, CohortLogAction, CohortState
from cohorts.models import Cohort, CohortLog
from tests.factories import (
    BeiratMembershipFactory,
    CohortFactory,
    ProgrammeOfficeFactory,
)

pytestmark = pytest.mark.django_db
S = CohortState


@pytest.fixture
def office():
    return ProgrammeOfficeFactory(first_name="Petra", last_name="Büro")


def log_of(cohort):
    return list(
        CohortLog.objects.filter(cohort=cohort)
        .order_by("pk")
        .values_list("actor", "action", "from_state", "to_state", "note")
    )


def test_every_state_is_in_the_table():
    assert set(COHORT_TRANSITIONS) == set(S)
    assert set().union(*COHORT_TRANSITIONS.values()) <= set(S)


def test_a_cohort_runs_through_its_states_and_each_step_is_logged(office):
    cohort = CohortFactory(state=S.PLANNED)
    for state in (S.OPEN, S.SELECTION, S.RUNNING, S.FINISHED):
        services.cohort_transition(cohort=cohort, to=state, actor=office, note=" Beschluss ")
        assert cohort.state == state
    assert Cohort.objects.get(pk=cohort.pk).state == S.FINISHED
    assert log_of(cohort) == [
        (office.pk, CohortLogAction.TRANSITION, S.PLANNED, S.OPEN, "Beschluss"),
        (office.pk, CohortLogAction.TRANSITION, S.OPEN, S.SELECTION, "Beschluss"),
        (office.pk, CohortLogAction.TRANSITION, S.SELECTION, S.RUNNING, "Beschluss"),
        (office.pk, CohortLogAction.TRANSITION, S.RUNNING, S.FINISHED, "Beschluss"),
    ]
    entry = CohortLog.objects.filter(cohort=cohort).first()
    assert str(entry) == "Statuswechsel: in Planung → Bewerbung offen"


@pytest.mark.parametrize("target", list(S))
@pytest.mark.parametrize("source", list(S))
def test_the_service_takes_exactly_the_steps_of_the_table(source, target, office):
    cohort = CohortFactory(state=source)
    if target in COHORT_TRANSITIONS[source]:
        services.cohort_transition(cohort=cohort, to=target, actor=office)
        assert Cohort.objects.get(pk=cohort.pk).state == target
        assert log_of(cohort) == [(office.pk, CohortLogAction.TRANSITION, source, target, "")]
    else:
        with pytest.raises(services.CohortError):
            services.cohort_transition(cohort=cohort, to=target, actor=office)
        assert Cohort.objects.get(pk=cohort.pk).state == source
        assert log_of(cohort) == []


def test_a_disallowed_step_is_refused_with_both_state_names(office):
    cohort = CohortFactory(state=S.PLANNED)
    with pytest.raises(services.CohortError) as error:
        services.cohort_transition(cohort=cohort, to=S.RUNNING, actor=office)
    assert str(error.value) == (
        "Im Status „in Planung“ kann ein Jahrgang nicht auf „läuft“ wechseln."
    )
    assert cohort.state == S.PLANNED


def test_an_unknown_state_is_refused(office):
    cohort = CohortFactory()
    with pytest.raises(services.CohortError):
        services.cohort_transition(cohort=cohort, to="archived", actor=office)
    assert log_of(cohort) == []


# In the admin ---------------------------------------------------------------------------

CHANGELIST = "/verwaltung/cohorts/cohort/"


def change_url(cohort):
    return f"{CHANGELIST}{cohort.pk}/change/"


def run_action(client, name, *cohorts):
    return client.post(
        CHANGELIST,
        {"action": name, "_selected_action": [cohort.pk for cohort in cohorts]},
        follow=True,
    )


def messages_of(response):
    return [str(message) for message in response.context["messages"]]


def test_the_admin_shows_the_state_but_does_not_edit_it(client, office):
    cohort = CohortFactory(state=S.OPEN)
    client.force_login(office)
    html = client.get(change_url(cohort)).content.decode()
    assert 'name="state"' not in html
    assert re.search(r'<div class="readonly">\s*Bewerbung offen\s*</div>', html)


def test_an_admin_action_moves_the_cohort_and_the_page_shows_its_log(client, office):
    cohort = CohortFactory(state=S.OPEN)
    client.force_login(office)
    response = run_action(client, "transition_selection", cohort)
    assert messages_of(response) == ["1 Jahrgang geändert."]
    assert Cohort.objects.get(pk=cohort.pk).state == S.SELECTION
    assert log_of(cohort) == [(office.pk, CohortLogAction.TRANSITION, S.OPEN, S.SELECTION, "")]
    html = client.get(change_url(cohort)).content.decode()
    (line,) = re.findall(r"<li>([^<]*– Petra Büro: [^<]*)</li>", html)
    assert line.split(" – ", 1)[1] == "Petra Büro: Statuswechsel (Bewerbung offen → Auswahl)"


def test_the_log_names_states_in_english(client, office):
    cohort = CohortFactory(state=S.OPEN)
    services.cohort_transition(cohort=cohort, to=S.SELECTION, actor=office)
    client.force_login(office)
    client.cookies["django_language"] = "en"
    html = client.get(change_url(cohort)).content.decode()
    assert "Petra Büro: Status change (open for applications → selection)" in html


def test_a_refused_admin_action_says_why_and_changes_nothing(client, office):
    planned, running = CohortFactory(state=S.PLANNED), CohortFactory(state=S.RUNNING)
    client.force_login(office)
    response = run_action(client, "transition_finished", planned, running)
    assert messages_of(response) == [
        f"{planned}: Im Status „in Planung“ kann ein Jahrgang nicht auf „abgeschlossen“ wechseln.",
        "1 Jahrgang geändert.",
    ]
    assert Cohort.objects.get(pk=planned.pk).state == S.PLANNED
    assert Cohort.objects.get(pk=running.pk).state == S.FINISHED
    assert log_of(planned) == []


def test_an_officer_cannot_change_a_cohorts_state(client):
    cohort = CohortFactory(state=S.OPEN)
    officer = BeiratMembershipFactory(programme=cohort.programme).user
    client.force_login(officer)
    run_action(client, "transition_selection", cohort)
    assert Cohort.objects.get(pk=cohort.pk).state == S.OPEN
    assert log_of(cohort) == []


def _queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_change_page_costs_the_same_with_one_or_many_log_entries(client, office):
    cohort = CohortFactory(state=S.PLANNED)
    services.cohort_transition(cohort=cohort, to=S.OPEN, actor=office)
    client.force_login(office)
    one = _queries(client, change_url(cohort))
    for _ in range(5):
        services.cohort_transition(cohort=cohort, to=S.PLANNED, actor=ProgrammeOfficeFactory())
        services.cohort_transition(cohort=cohort, to=S.OPEN, actor=ProgrammeOfficeFactory())
    assert _queries(client, change_url(cohort)) == one
