"""Surveys in the admin, and requests for contact for the officers of her organisation."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cohorts.enums import BeiratRole
from evaluation import services
from evaluation.enums import SurveyKind
from evaluation.models import EarlyWarning, Survey
from evaluation.services import early_warning_raise, survey_answer
from tests.evaluation.conftest import mentees
from tests.factories import (
    BeiratMembershipFactory,
    CohortFactory,
    OrganisationFactory,
    ProgrammeFactory,
    ProgrammeOfficeFactory,
    SurveyFactory,
    TandemFactory,
    running_cohort,
)

pytestmark = pytest.mark.django_db

SURVEYS = reverse("admin:evaluation_survey_changelist")
DEFAULTS = reverse("admin:evaluation_survey_defaults")
WARNINGS = reverse("admin:evaluation_earlywarning_changelist")


def change(survey):
    return reverse("admin:evaluation_survey_change", args=[survey.pk])


def member(tandem, **kwargs):
    """An equality officer on the Beirat of the tandem's programme (for another organisation
    unless ``organisation`` says otherwise)."""
    return BeiratMembershipFactory(programme=tandem.cohort.programme, **kwargs).user


# Surveys -------------------------------------------------------------------------------------


def test_the_office_creates_the_four_surveys_of_a_cohort_with_one_click(client):
    cohort = CohortFactory()
    client.force_login(ProgrammeOfficeFactory())
    assert client.get(DEFAULTS).status_code == 200
    response = client.post(DEFAULTS, {"cohort": cohort.pk}, follow=True)
    assert response.redirect_chain == [(f"{SURVEYS}?cohort__id__exact={cohort.pk}", 302)]
    assert "Angelegt für" in response.content.decode()
    assert sorted(cohort.surveys.values_list("kind", flat=True)) == sorted(SurveyKind.values)
    response = client.post(DEFAULTS, {"cohort": cohort.pk}, follow=True)
    assert "hat schon alle vier Befragungen" in response.content.decode()
    assert cohort.surveys.count() == 4


def test_a_cohort_not_chosen_is_named_at_its_field(client):
    client.force_login(ProgrammeOfficeFactory())
    response = client.post(DEFAULTS, {"cohort": "x"})
    assert response.status_code == 200 and Survey.objects.count() == 0
    assert "errornote" in response.content.decode()


def test_the_office_edits_dates_and_an_end_before_the_start_is_named_at_its_field(client):
    survey = SurveyFactory()
    client.force_login(ProgrammeOfficeFactory())
    data = {
        "opens_on": "2026-09-10",
        "closes_on": "2026-09-01",
        "is_active": "on",
        "for_mentors": "on",
        "extra_question": "",
    }
    html = client.post(change(survey), data).content.decode()
    assert "Die Befragung kann nicht enden, bevor sie beginnt." in html
    data["closes_on"] = "2026-09-30"
    assert client.post(change(survey), data).status_code == 302
    survey.refresh_from_db()
    assert (survey.opens_on, survey.closes_on) == (dt.date(2026, 9, 10), dt.date(2026, 9, 30))


def test_the_cohorts_beirat_reads_its_surveys_and_changes_nothing(client):
    survey = SurveyFactory()
    other = SurveyFactory()
    client.force_login(BeiratMembershipFactory(programme=survey.cohort.programme).user)
    html = client.get(SURVEYS).content.decode()
    assert change(survey) in html and change(other) not in html
    assert client.get(change(survey)).status_code == 200
    assert client.post(change(survey), {"opens_on": "2026-01-01"}).status_code == 403
    assert client.get(change(other)).status_code == 302  # "does not exist"
    assert client.get(DEFAULTS).status_code == 403
    assert client.post(DEFAULTS, {"cohort": survey.cohort.pk}).status_code == 403


def test_a_survey_with_answers_cannot_be_deleted(client, survey, tandem):
    client.force_login(ProgrammeOfficeFactory())
    delete = reverse("admin:evaluation_survey_delete", args=[survey.pk])
    assert client.get(delete).status_code == 200
    survey_answer(survey=survey, user=tandem.mentee.applicant, ratings={}, texts={})
    assert client.get(delete).status_code == 403
    assert "delete_selected" not in client.get(SURVEYS).content.decode()


def test_the_survey_pages_cost_the_same_with_one_or_many_surveys_and_cohorts(client):
    office = ProgrammeOfficeFactory()
    client.force_login(office)
    SurveyFactory()

    def count():
        queries = []
        for path in (SURVEYS, reverse("admin:evaluation_survey_add"), DEFAULTS):
            with CaptureQueriesContext(connection) as captured:
                assert client.get(path).status_code == 200
            queries.append(len(captured))
        return queries

    count()  # the first request of a process fills Django's caches (content types)
    one = count()
    for _index in range(6):
        cohort = running_cohort()
        for kind in SurveyKind:
            SurveyFactory(cohort=cohort, kind=kind)
    assert count() == one


# Requests for contact ---------------------------------------------------------------------


@pytest.fixture
def officer(tandem):
    """The equality officer of the mentee's organisation: the contact the question names."""
    return member(tandem, organisation=tandem.mentee.organisation)


@pytest.fixture
def warning(tandem, officer):
    check_in = SurveyFactory(cohort=tandem.cohort, kind=SurveyKind.FIRST_MONTH)
    mentee = tandem.mentee.applicant
    survey_answer(survey=check_in, user=mentee, ratings={"check_in_going": 1}, texts={})
    return early_warning_raise(survey=check_in, user=mentee, message="Bitte nachmittags.")


def test_the_officer_named_to_her_and_the_office_read_her_request_by_name(
    client, tandem, officer, warning
):
    assert warning.contact == officer
    others = member(tandem, organisation=tandem.mentor.organisation)
    # A second seat of her organisation (say, personnel development): not whom she agreed to.
    colleague = member(tandem, organisation=tandem.mentee.organisation)
    chair = member(tandem, role=BeiratRole.CHAIR)
    # Her organisation's officer, but on the Beirat of another programme.
    elsewhere = BeiratMembershipFactory(organisation=tandem.mentee.organisation).user
    change_url = reverse("admin:evaluation_earlywarning_change", args=[warning.pk])
    for reader in (officer, ProgrammeOfficeFactory()):
        client.force_login(reader)
        html = client.get(WARNINGS).content.decode()
        assert "Mia Mentee" in html and tandem.mentee.organisation.name in html
        detail = client.get(change_url).content.decode()
        assert "Bitte nachmittags." in detail and "Max Mentor" in detail
    for outsider in (others, colleague, chair, elsewhere):
        client.force_login(outsider)
        assert "Mia Mentee" not in client.get(WARNINGS).content.decode()
        assert client.get(change_url).status_code == 302  # "does not exist"


def test_an_officer_who_left_the_beirat_no_longer_reads_the_request(client, officer, warning):
    client.force_login(officer)
    assert "Mia Mentee" in client.get(WARNINGS).content.decode()
    # She now sits on another programme's Beirat only: still an officer, no longer this one's.
    officer.beirat_memberships.update(programme=ProgrammeFactory())
    response = client.get(WARNINGS)
    assert response.status_code == 200 and "Mia Mentee" not in response.content.decode()


def test_her_officer_sees_the_request_on_her_start_page_until_she_marks_it_handled(
    client, officer, warning
):
    client.force_login(officer)
    html = client.get(reverse("start")).content.decode()
    assert "Teilnehmende, die um ein Gespräch bitten" in html
    assert f"{WARNINGS}?stand=offen" in html
    response = client.post(
        WARNINGS, {"action": "mark_handled", "_selected_action": [warning.pk]}, follow=True
    )
    assert "1 Bitte als erledigt markiert." in response.content.decode()
    warning.refresh_from_db()
    assert warning.handled_by == officer and warning.handled_at is not None
    assert "um ein Gespräch bitten" not in client.get(reverse("start")).content.decode()
    assert "Mia Mentee" not in client.get(f"{WARNINGS}?stand=offen").content.decode()
    assert "Mia Mentee" in client.get(f"{WARNINGS}?stand=erledigt").content.decode()


def test_an_officer_of_another_organisation_cannot_mark_it_handled(client, tandem, warning):
    client.force_login(member(tandem, organisation=OrganisationFactory()))
    client.post(WARNINGS, {"action": "mark_handled", "_selected_action": [warning.pk]})
    warning.refresh_from_db()
    assert warning.handled_at is None


def test_nobody_adds_changes_or_deletes_a_request(client, tandem, warning):
    client.force_login(ProgrammeOfficeFactory())
    assert client.get(reverse("admin:evaluation_earlywarning_add")).status_code == 403
    delete = reverse("admin:evaluation_earlywarning_delete", args=[warning.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert EarlyWarning.objects.count() == 1


def test_the_request_list_and_start_page_cost_the_same_with_one_or_many(
    client, tandem, officer, warning
):
    client.force_login(officer)

    def count():
        queries = []
        for path in (WARNINGS, reverse("start")):
            with CaptureQueriesContext(connection) as captured:
                assert client.get(path).status_code == 200
            queries.append(len(captured))
        return queries

    one = count()
    for _index in range(6):
        other = TandemFactory(cohort=tandem.cohort, mentee__organisation=tandem.mentee.organisation)
        survey = warning.survey
        survey_answer(
            survey=survey, user=other.mentee.applicant, ratings={"check_in_going": 1}, texts={}
        )
        early_warning_raise(survey=survey, user=other.mentee.applicant)
    assert EarlyWarning.objects.count() == 7
    assert count() == one


def test_open_requests_come_before_handled_ones(client, tandem, warning):
    """The officer's list starts with whom she still has to call."""
    office = ProgrammeOfficeFactory()
    second = mentees(tandem.cohort, 1)[0]
    survey_answer(survey=warning.survey, user=second, ratings={"check_in_going": 1}, texts={})
    open_request = early_warning_raise(survey=warning.survey, user=second)
    services.early_warning_handle(warning=warning, actor=office)
    client.force_login(office)
    response = client.get(WARNINGS)
    shown = [row.pk for row in response.context["cl"].result_list]
    assert shown[:2] == [open_request.pk, warning.pk]
