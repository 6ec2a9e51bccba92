"""Her data export names the surveys she answered and her requests; erasure takes them."""

import datetime as dt
import io
import json
import zipfile

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from applications.models import Review
from evaluation.enums import SurveyKind
from evaluation.models import EarlyWarning, RatingCount, SurveyAnswered, SurveyGroup, TextAnswer
from evaluation.services import early_warning_raise, survey_answer
from mentoring import retention
from mentoring.models import ErasureRecord, User
from tests.factories import ProgrammeOfficeFactory, SurveyFactory

pytestmark = pytest.mark.django_db

TEXT = "Die Workshops waren hilfreich"


@pytest.fixture
def answered(tandem):
    """She answered the mid-term survey and the one-month check-in, and asked for a call."""
    mentee = tandem.mentee.applicant
    midterm = SurveyFactory(cohort=tandem.cohort)
    check_in = SurveyFactory(cohort=tandem.cohort, kind=SurveyKind.FIRST_MONTH)
    survey_answer(
        survey=midterm, user=mentee, ratings={"career_goals": 2}, texts={"text_helped": TEXT}
    )
    survey_answer(survey=check_in, user=mentee, ratings={"check_in_going": 1}, texts={})
    early_warning_raise(survey=check_in, user=mentee, message="Bitte nachmittags.")
    return mentee, midterm, check_in


def export(client, user):
    client.force_login(user)
    response = client.post(reverse("personal_data"))
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    return json.loads(archive.read("daten.json")), archive.read("uebersicht.html").decode()


def test_her_export_names_the_surveys_she_answered_and_her_request_not_her_answers(
    client, answered, tandem
):
    mentee, midterm, check_in = answered
    data, overview = export(client, mentee)
    cohort = tandem.cohort
    assert data["surveys"]["answered"] == [
        {
            "survey": kind,
            "programme": cohort.programme.name,
            "cohort": cohort.number,
            "open_from": survey.opens_on.isoformat(),
            "open_until": survey.closes_on.isoformat(),
        }
        for kind, survey in ((SurveyKind.MIDTERM, midterm), (SurveyKind.FIRST_MONTH, check_in))
    ]
    [request] = data["surveys"]["contact_requests"]
    assert (request["survey"], request["message"], request["handled_at"]) == (
        SurveyKind.FIRST_MONTH,
        "Bitte nachmittags.",
        None,
    )
    # Nobody of her organisation sits on the Beirat here: the programme office reads it.
    assert request["contact"] == "Programmbüro"
    assert "ohne Bezug zu Ihrer Person gespeichert" in overview
    assert "Zwischenbefragung" in overview
    for answer in (TEXT, '"career_goals"', '"check_in_going"'):
        assert answer not in json.dumps(data) and answer not in overview


def test_her_partner_finds_nothing_of_hers_in_his_export(client, answered, tandem):
    data, overview = export(client, tandem.mentor.applicant)
    assert "surveys" not in data
    assert TEXT not in overview and "Bitte nachmittags." not in overview


def test_the_export_costs_the_same_with_one_or_many_surveys(client, answered, tandem):
    mentee = answered[0]
    client.force_login(mentee)

    def count():
        with CaptureQueriesContext(connection) as captured:
            b"".join(client.post(reverse("personal_data")).streaming_content)
        return len(captured)

    one = count()
    for kind in (SurveyKind.BASELINE, SurveyKind.FINAL):
        survey_answer(
            survey=SurveyFactory(cohort=tandem.cohort, kind=kind), user=mentee, ratings={}, texts={}
        )
    assert count() == one


def test_erasing_her_removes_that_she_answered_and_her_request_and_keeps_the_counts(
    answered, tandem
):
    mentee, midterm, _check_in = answered
    office = ProgrammeOfficeFactory()
    summary = {line.label: line.count for line in retention.person_summary(user=mentee)}
    assert summary["Vermerke, dass sie an Befragungen teilgenommen hat"] == 2
    assert summary["Bitten um ein Gespräch"] == 1
    before = (
        list(RatingCount.objects.order_by("pk").values_list("count", flat=True)),
        list(TextAnswer.objects.values_list("text", flat=True)),
        list(SurveyGroup.objects.order_by("pk").values_list("responses", flat=True)),
    )
    retention.erase_person(user=mentee, actor=office)
    assert not User.objects.filter(pk=mentee.pk, email=mentee.email).exists()
    assert SurveyAnswered.objects.count() == EarlyWarning.objects.count() == 0
    assert before == (
        list(RatingCount.objects.order_by("pk").values_list("count", flat=True)),
        list(TextAnswer.objects.values_list("text", flat=True)),
        list(SurveyGroup.objects.order_by("pk").values_list("responses", flat=True)),
    )
    counted = dict(ErasureRecord.objects.values_list("kind", "count"))
    assert (counted["survey_answered"], counted["early_warning"]) == (2, 1)


def test_the_erasure_takes_them_even_where_the_account_must_stay(answered, tandem):
    # A review she wrote keeps her account (anonymised instead of deleted); her rows here
    # go all the same.
    mentee = answered[0]
    Review.objects.create(application=tandem.mentor, reviewer=mentee, scores={}, mean_score=3)
    retention.erase_person(user=mentee, actor=ProgrammeOfficeFactory())
    assert User.objects.get(pk=mentee.pk).email.endswith("@geloescht.invalid")
    assert SurveyAnswered.objects.count() == EarlyWarning.objects.count() == 0


def test_they_go_with_the_tandems_contact_logs_after_the_cohort(answered, tandem):
    cohort = tandem.cohort
    first_due = retention.add_months(cohort.end_date, cohort.programme.retention_tandem_months)
    kinds = {
        row.kind: row.count
        for row in retention.pending(today=first_due - dt.timedelta(days=1), days=0)
    }
    assert "survey_answered" not in kinds
    kinds = {row.kind: row.count for row in retention.pending(today=first_due, days=0)}
    assert (kinds["survey_answered"], kinds["early_warning"]) == (2, 1)
    retention.erase_due(today=first_due)
    assert SurveyAnswered.objects.count() == EarlyWarning.objects.count() == 0
    assert RatingCount.objects.filter(count__gt=0).count() == 2
