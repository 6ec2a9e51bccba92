"""No path leads from an answer to a person: not in the tables, not on any page.

The answers are counters and free text per survey and role. A dump of those tables, joined
as far as they join, holds no user's key, name, address or time; their columns refer to no
user; the admin has no page of them, and no page of the survey side shows an answer, to
the partner or anyone else.
"""

import datetime as dt

import pytest
from django.contrib import admin
from django.db import connection
from django.urls import reverse

from evaluation.enums import SurveyKind
from evaluation.models import RatingCount, SurveyAnswered, SurveyGroup, TextAnswer
from evaluation.services import early_warning_raise, survey_answer
from mentoring.models import User
from tests.evaluation.conftest import mentees
from tests.factories import (
    ApplicationFactory,
    BeiratMembershipFactory,
    ProgrammeOfficeFactory,
    SurveyFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

ANSWER_TABLES = (SurveyGroup, RatingCount, TextAnswer)
SECRET = "Die Gespräche helfen mir nicht weiter"


def dump():
    """Every row of the answer tables and of their joins, as text, column by column."""
    cells = []
    with connection.cursor() as cursor:
        for model in ANSWER_TABLES:
            cursor.execute(f"SELECT * FROM {model._meta.db_table}")  # noqa: S608
            cells += [cell for row in cursor.fetchall() for cell in row]
        cursor.execute(
            "SELECT g.*, r.*, t.* FROM evaluation_surveygroup g "
            "LEFT JOIN evaluation_ratingcount r ON r.group_id = g.id "
            "LEFT JOIN evaluation_textanswer t ON t.group_id = g.id"
        )
        cells += [cell for row in cursor.fetchall() for cell in row]
    return cells


@pytest.fixture
def answered(survey, tandem):
    """Seven people answered the mid-term survey, each with her own text.

    Their keys lie far above any other row's, so that a key found in the dump is theirs.
    """
    people = [tandem.mentee.applicant, tandem.mentor.applicant]
    for number in range(5):
        person = UserFactory(id=7_000_001 + number, full_name=f"Quendolin Zwirbelmann{number}")
        ApplicationFactory(cohort=survey.cohort, applicant=person, accepted=True)
        people.append(person)
    for number, person in enumerate(people):
        survey_answer(
            survey=survey,
            user=person,
            ratings={"career_goals": 1 + number % 5, "role_model_adopt": 5},
            texts={"text_helped": SECRET if number == 0 else f"Text {number}"},
        )
    return people


def test_a_dump_of_the_answers_and_their_joins_holds_no_person_and_no_time(answered):
    cells = dump()
    assert len(cells) > 100
    texts = [str(cell) for cell in cells if cell is not None]
    assert SECRET in texts and "Text 6" in texts
    assert [cell for cell in cells if isinstance(cell, dt.date | dt.datetime)] == []
    for person in answered:
        for value in (person.email, person.first_name, person.last_name):
            assert not any(value in text for text in texts), value
    keys = [person.pk for person in answered[2:]]
    assert not [cell for cell in cells if cell in keys]
    assert not [text for text in texts if any(str(key) in text for key in keys)]


def test_no_column_of_the_answers_refers_to_a_user_or_holds_a_time():
    for model in ANSWER_TABLES:
        for field in model._meta.concrete_fields:
            assert field.related_model not in (User, SurveyAnswered), (model, field.name)
            assert field.get_internal_type() not in ("DateField", "DateTimeField"), (
                model,
                field.name,
            )
    # The other way round: nothing that names a person points to an answer.
    for field in SurveyAnswered._meta.concrete_fields:
        assert field.related_model not in ANSWER_TABLES
    assert {field.name for field in SurveyAnswered._meta.concrete_fields} == {
        "id",
        "survey",
        "user",
    }


def test_the_database_holds_no_foreign_key_from_the_answers_to_users():
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT conrelid::regclass::text, confrelid::regclass::text
            FROM pg_constraint WHERE contype = 'f'
            AND conrelid::regclass::text = ANY(%s)
            """,
            [[model._meta.db_table for model in ANSWER_TABLES]],
        )
        targets = {target for _table, target in cursor.fetchall()}
    assert targets == {"evaluation_survey", "evaluation_surveygroup"}


def test_the_admin_has_no_page_of_answers():
    registered = set(admin.site._registry)
    assert not registered & {SurveyGroup, RatingCount, TextAnswer, SurveyAnswered}


@pytest.mark.parametrize("who", ["partner", "officer", "office"])
def test_no_page_of_the_survey_side_shows_an_answer(client, survey, tandem, answered, who):
    check_in = SurveyFactory(cohort=survey.cohort, kind=SurveyKind.FIRST_MONTH)
    mentee = tandem.mentee.applicant
    survey_answer(
        survey=check_in, user=mentee, ratings={"check_in_going": 1}, texts={"text_remarks": SECRET}
    )
    early_warning_raise(survey=check_in, user=mentee, message="Bitte rufen Sie mich an.")
    viewer = {
        "partner": tandem.mentor.applicant,
        "officer": BeiratMembershipFactory(
            organisation=tandem.mentee.organisation, programme=survey.cohort.programme
        ).user,
        "office": ProgrammeOfficeFactory(),
    }[who]
    client.force_login(viewer)
    pages = [
        reverse("evaluation:survey", args=[survey.pk]),
        reverse("evaluation:survey", args=[check_in.pk]),
        reverse("evaluation:contact", args=[check_in.pk]),
        reverse("start"),
        reverse("admin:evaluation_survey_changelist"),
        reverse("admin:evaluation_survey_change", args=[check_in.pk]),
        reverse("admin:evaluation_earlywarning_changelist"),
    ]
    for page in pages:
        response = client.get(page, follow=True)
        assert response.status_code in (200, 403, 404), page
        html = response.content.decode()
        assert SECRET not in html, page
        assert "Text 3" not in html, page


@pytest.mark.django_db(transaction=True)
def test_no_row_carries_the_stamp_of_the_transaction_that_counted_one_persons_answer(
    survey, tandem
):
    """PostgreSQL stamps a row with the transaction that last wrote it (``xmin``), and her
    ``SurveyAnswered`` row carries the same stamp. Each answer therefore writes every counter
    and every text of the group, so that the stamps are all alike and point to no value."""
    people = [tandem.mentee.applicant, *mentees(survey.cohort, 3)]
    for number, person in enumerate(people):
        survey_answer(
            survey=survey,
            user=person,
            ratings={"career_goals": 1 + number, "role_model_adopt": 5 - number},
            texts={"text_helped": f"Text {number}"},
        )
    group = SurveyGroup.objects.get(survey=survey, role="mentee")
    with connection.cursor() as cursor:
        stamps = {}
        for table in ("evaluation_ratingcount", "evaluation_textanswer"):
            cursor.execute(
                f"SELECT DISTINCT xmin::text FROM {table} WHERE group_id = %s",  # noqa: S608
                [group.pk],
            )
            stamps[table] = {row[0] for row in cursor.fetchall()}
        cursor.execute(
            "SELECT xmin::text FROM evaluation_surveyanswered WHERE survey_id = %s", [survey.pk]
        )
        answered = {row[0] for row in cursor.fetchall()}
    assert len(answered) == len(people)
    assert len(stamps["evaluation_ratingcount"]) == 1
    assert stamps["evaluation_ratingcount"] == stamps["evaluation_textanswer"]
    assert TextAnswer.objects.filter(group=group).count() == len(people)
