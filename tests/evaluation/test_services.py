"""Setting up surveys, answering them, and asking for a call: the services."""

import datetime as dt

import pytest
from django.core import mail

from evaluation import questions
from evaluation.enums import SurveyKind
from evaluation.models import (
    EarlyWarning,
    RatingCount,
    Survey,
    SurveyAnswered,
    SurveyGroup,
    TextAnswer,
)
from evaluation.services import (
    SurveyError,
    default_schedule,
    early_warning_handle,
    early_warning_raise,
    survey_answer,
    surveys_create_defaults,
)
from mentoring.models import SentMail
from tests.factories import (
    ApplicationFactory,
    BeiratMembershipFactory,
    ProgrammeOfficeFactory,
    SurveyFactory,
    UserFactory,
    WorkshopFactory,
    running_cohort,
)

from .conftest import mentees

pytestmark = pytest.mark.django_db

D = dt.date
MIDTERM_KEYS = [item.key for item in questions.ITEMS[SurveyKind.MIDTERM]]


def counts(survey, role="mentee"):
    """{(item, value): count} of the group's counters that are above zero."""
    return {
        (row.item, row.value): row.count
        for row in RatingCount.objects.filter(group__survey=survey, group__role=role)
        if row.count
    }


# Answering -----------------------------------------------------------------------------


def test_the_counts_add_up_and_skipped_items_count_nothing(survey, tandem):
    people = [tandem.mentee.applicant, *mentees(survey.cohort, 2)]
    answers = [
        {"career_goals": 5, "career_insight": 4},
        {"career_goals": 5, "career_insight": None},
        {"career_goals": 2},
    ]
    for person, ratings in zip(people, answers, strict=True):
        assert survey_answer(survey=survey, user=person, ratings=ratings, texts={}) is False
    assert counts(survey) == {
        ("career_goals", 5): 2,
        ("career_goals", 2): 1,
        ("career_insight", 4): 1,
    }
    group = SurveyGroup.objects.get(survey=survey, role="mentee")
    assert group.responses == 3
    assert SurveyAnswered.objects.filter(survey=survey).count() == 3


def test_the_mentor_counts_in_the_mentors_group(survey, tandem):
    survey_answer(
        survey=survey, user=tandem.mentor.applicant, ratings={"career_goals": 3}, texts={}
    )
    assert counts(survey, "mentor") == {("career_goals", 3): 1}
    assert counts(survey, "mentee") == {}


def test_every_counter_exists_from_the_first_answer_so_their_keys_tell_no_order(survey, tandem):
    survey_answer(
        survey=survey, user=tandem.mentee.applicant, ratings={"career_goals": 4}, texts={}
    )
    rows = RatingCount.objects.filter(group__survey=survey)
    assert rows.count() == len(MIDTERM_KEYS) * 5
    assert sorted(rows.values_list("count", flat=True)) == [0] * (len(MIDTERM_KEYS) * 5 - 1) + [1]


def test_free_text_is_stored_trimmed_and_empty_text_not_at_all(survey, tandem):
    texts = {"text_helped": "  Die Gespräche über Führung.  ", "text_improve": "   "}
    survey_answer(survey=survey, user=tandem.mentee.applicant, ratings={}, texts=texts)
    assert list(TextAnswer.objects.values_list("item", "text")) == [
        ("text_helped", "Die Gespräche über Führung.")
    ]


def test_a_second_answer_is_refused_and_counts_nothing(survey, tandem):
    mentee = tandem.mentee.applicant
    survey_answer(survey=survey, user=mentee, ratings={"career_goals": 5}, texts={})
    with pytest.raises(SurveyError, match="bereits beantwortet"):
        survey_answer(
            survey=survey, user=mentee, ratings={"career_goals": 1}, texts={"text_helped": "x"}
        )
    assert counts(survey) == {("career_goals", 5): 1}
    assert SurveyGroup.objects.get(survey=survey).responses == 1
    assert TextAnswer.objects.count() == 0


@pytest.mark.parametrize(
    ("ratings", "texts"),
    [
        ({"career_goals": 6}, {}),
        ({"career_goals": 0}, {}),
        ({"career_goals": "5"}, {}),
        ({"check_in_met": 1}, {}),  # an item of another survey
        ({"no_such_item": 3}, {}),
        ({}, {"text_goals": "eine Frage der Eingangsbefragung"}),
        ({}, {"text_helped": "x" * 4001}),
    ],
)
def test_what_is_not_on_the_survey_or_its_scale_is_refused_and_nothing_is_stored(
    survey, tandem, ratings, texts
):
    with pytest.raises(SurveyError):
        survey_answer(survey=survey, user=tandem.mentee.applicant, ratings=ratings, texts=texts)
    assert SurveyAnswered.objects.count() == SurveyGroup.objects.count() == 0
    assert RatingCount.objects.count() == TextAnswer.objects.count() == 0


def test_a_survey_not_open_or_not_carried_out_is_refused(survey, tandem):
    mentee = tandem.mentee.applicant
    with pytest.raises(SurveyError, match="nicht geöffnet"):
        survey_answer(
            survey=survey,
            user=mentee,
            ratings={},
            texts={},
            today=survey.closes_on + dt.timedelta(days=1),
        )
    with pytest.raises(SurveyError, match="nicht geöffnet"):
        survey_answer(
            survey=survey,
            user=mentee,
            ratings={},
            texts={},
            today=survey.opens_on - dt.timedelta(days=1),
        )
    survey.is_active = False
    survey.save()
    with pytest.raises(SurveyError, match="nicht geöffnet"):
        survey_answer(survey=survey, user=mentee, ratings={}, texts={})
    assert SurveyAnswered.objects.count() == 0


def test_only_accepted_participants_in_an_asked_role_may_answer(survey, tandem):
    for outsider in (
        UserFactory(),
        ApplicationFactory(cohort=survey.cohort, state="rejected").applicant,
        ApplicationFactory(accepted=True).applicant,  # of another cohort
    ):
        with pytest.raises(SurveyError, match="nicht zu den Befragten"):
            survey_answer(survey=survey, user=outsider, ratings={}, texts={})
    survey.for_mentors = False
    survey.save()
    with pytest.raises(SurveyError, match="nicht zu den Befragten"):
        survey_answer(survey=survey, user=tandem.mentor.applicant, ratings={}, texts={})
    assert SurveyAnswered.objects.count() == 0


def test_the_extra_question_is_answered_under_its_key(survey, tandem):
    with pytest.raises(SurveyError):
        survey_answer(
            survey=survey, user=tandem.mentee.applicant, ratings={}, texts={questions.EXTRA: "x"}
        )
    survey.extra_question = "Wie fanden Sie den Ort der Workshops?"
    survey.save()
    survey_answer(
        survey=survey, user=tandem.mentee.applicant, ratings={}, texts={questions.EXTRA: "Gut"}
    )
    assert list(TextAnswer.objects.values_list("item", "text")) == [(questions.EXTRA, "Gut")]


# The one-month check-in and the request for a call ----------------------------------------


@pytest.fixture
def check_in(tandem):
    return SurveyFactory(cohort=tandem.cohort, kind=SurveyKind.FIRST_MONTH)


@pytest.mark.parametrize(
    ("ratings", "warning"),
    [
        ({"check_in_met": 0, "check_in_going": 1, "career_goals": 2}, True),
        ({"check_in_going": 2, "career_goals": 2, "psychosocial_openness": 2}, True),
        ({"check_in_going": 2, "career_goals": 3}, False),
        ({"check_in_met": 0}, False),  # "not yet met" alone is no low score
        ({}, False),
    ],
)
def test_a_low_start_in_the_one_month_check_in_is_an_early_warning(
    check_in, tandem, ratings, warning
):
    assert (
        survey_answer(survey=check_in, user=tandem.mentee.applicant, ratings=ratings, texts={})
        is warning
    )


def test_low_scores_in_another_survey_are_no_early_warning(survey, tandem):
    low = dict.fromkeys(MIDTERM_KEYS, 1)
    assert (
        survey_answer(survey=survey, user=tandem.mentee.applicant, ratings=low, texts={}) is False
    )


def test_her_request_names_her_and_her_tandem_never_her_ratings(check_in, tandem):
    mentee = tandem.mentee.applicant
    with pytest.raises(SurveyError, match="zuerst"):
        early_warning_raise(survey=check_in, user=mentee)
    survey_answer(survey=check_in, user=mentee, ratings={"check_in_going": 1}, texts={})
    warning = early_warning_raise(survey=check_in, user=mentee, message="  Bitte abends.  ")
    again = early_warning_raise(survey=check_in, user=mentee, message="Noch einmal")
    assert again.pk == warning.pk and again.message == "Bitte abends."
    assert (warning.user, warning.tandem, warning.handled_at) == (mentee, tandem, None)
    assert {field.name for field in EarlyWarning._meta.concrete_fields} == {
        "id",
        "survey",
        "user",
        "tandem",
        "message",
        "contact",
        "created_at",
        "handled_at",
        "handled_by",
    }


def test_the_named_officer_is_told_by_mail_once_without_a_name(
    check_in, tandem, django_capture_on_commit_callbacks
):
    officer = BeiratMembershipFactory(
        programme=tandem.cohort.programme, organisation=tandem.mentee.organisation
    ).user
    mentee = tandem.mentee.applicant
    survey_answer(survey=check_in, user=mentee, ratings={"check_in_going": 1}, texts={})
    for _click in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            early_warning_raise(survey=check_in, user=mentee, message="Bitte abends.")
    [message] = mail.outbox
    assert message.to == [officer.email]
    assert message.subject == f"Bitte um ein Gespräch – {tandem.cohort.programme.name}"
    assert "/verwaltung/evaluation/earlywarning/?stand=offen" in message.body
    for secret in (mentee.first_name, mentee.last_name, mentee.email, "Bitte abends."):
        assert secret not in message.body and secret not in message.subject
    assert SentMail.objects.get().purpose == "evaluation.early_warning"


def test_no_mail_for_a_request_handled_before_the_mail_went(
    check_in, tandem, django_capture_on_commit_callbacks
):
    BeiratMembershipFactory(
        programme=tandem.cohort.programme, organisation=tandem.mentee.organisation
    )
    mentee = tandem.mentee.applicant
    survey_answer(survey=check_in, user=mentee, ratings={"check_in_going": 1}, texts={})
    with django_capture_on_commit_callbacks(execute=True):
        warning = early_warning_raise(survey=check_in, user=mentee)
        early_warning_handle(warning=warning, actor=ProgrammeOfficeFactory())
    assert mail.outbox == []


def test_no_mail_when_her_organisation_has_no_officer_on_the_beirat(
    check_in, tandem, django_capture_on_commit_callbacks
):
    mentee = tandem.mentee.applicant
    survey_answer(survey=check_in, user=mentee, ratings={"check_in_going": 1}, texts={})
    with django_capture_on_commit_callbacks(execute=True):
        warning = early_warning_raise(survey=check_in, user=mentee)
    assert warning.contact is None
    assert mail.outbox == []


def test_only_the_one_month_check_in_leads_to_a_request(survey, tandem):
    survey_answer(survey=survey, user=tandem.mentee.applicant, ratings={}, texts={})
    with pytest.raises(SurveyError, match="keine Bitte"):
        early_warning_raise(survey=survey, user=tandem.mentee.applicant)


def test_an_officer_marks_a_request_handled_once(check_in, tandem):
    mentee = tandem.mentee.applicant
    survey_answer(survey=check_in, user=mentee, ratings={"check_in_going": 1}, texts={})
    warning = early_warning_raise(survey=check_in, user=mentee)
    officer, other = ProgrammeOfficeFactory(), ProgrammeOfficeFactory()
    early_warning_handle(warning=warning, actor=officer)
    with pytest.raises(SurveyError, match="bereits erledigt"):
        early_warning_handle(warning=warning, actor=other)
    warning.refresh_from_db()
    assert warning.handled_by == officer and warning.handled_at is not None


# Default surveys of a cohort -------------------------------------------------------------


def test_the_default_schedule_follows_the_cohort_and_its_last_workshop():
    start, end = D(2026, 3, 3), D(2027, 3, 2)
    assert default_schedule(start=start, end=end, last_workshop=D(2027, 2, 10)) == {
        SurveyKind.BASELINE: (D(2026, 3, 3), D(2026, 3, 23)),
        SurveyKind.FIRST_MONTH: (D(2026, 4, 3), D(2026, 4, 16)),
        SurveyKind.MIDTERM: (D(2026, 9, 1), D(2026, 9, 21)),
        SurveyKind.FINAL: (D(2027, 2, 11), D(2027, 3, 3)),
    }
    # No workshop in the second half: three weeks before the end.
    for last_workshop in (None, D(2026, 3, 3)):
        schedule = default_schedule(start=start, end=end, last_workshop=last_workshop)
        assert schedule[SurveyKind.FINAL] == (D(2027, 2, 9), D(2027, 3, 1))


def test_the_defaults_are_created_once_and_what_exists_stays():
    cohort = running_cohort(start_date=D(2026, 3, 3), end_date=D(2027, 3, 2))
    WorkshopFactory(cohort=cohort, date=D(2027, 2, 10))
    office = ProgrammeOfficeFactory()
    moved = SurveyFactory(
        cohort=cohort, kind=SurveyKind.MIDTERM, opens_on=D(2026, 10, 1), closes_on=D(2026, 10, 9)
    )
    created = surveys_create_defaults(cohort=cohort, actor=office)
    assert [survey.kind for survey in created] == [
        SurveyKind.BASELINE,
        SurveyKind.FIRST_MONTH,
        SurveyKind.FINAL,
    ]
    assert surveys_create_defaults(cohort=cohort, actor=office) == []
    assert list(
        Survey.objects.filter(cohort=cohort).values_list("kind", "opens_on", "closes_on")
    ) == [
        (SurveyKind.BASELINE, D(2026, 3, 3), D(2026, 3, 23)),
        (SurveyKind.FIRST_MONTH, D(2026, 4, 3), D(2026, 4, 16)),
        (SurveyKind.MIDTERM, moved.opens_on, moved.closes_on),
        (SurveyKind.FINAL, D(2027, 2, 11), D(2027, 3, 3)),
    ]
    assert all(survey.is_active and survey.for_mentors for survey in Survey.objects.all())
