"""The participant's survey page and the question after a difficult start."""

import datetime as dt
import re

import pytest
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from evaluation import questions
from evaluation.enums import SurveyKind
from evaluation.models import EarlyWarning, RatingCount, SurveyAnswered, SurveyGroup, TextAnswer
from evaluation.services import survey_answer
from evaluation.views import OFFER_COOKIE
from tests.factories import (
    ApplicationFactory,
    BeiratMembershipFactory,
    SurveyFactory,
    TandemFactory,
    UserFactory,
)
from tests.forms_html import field_error

from .conftest import mentees

pytestmark = pytest.mark.django_db

MIDTERM = questions.ITEMS[SurveyKind.MIDTERM]
TYPED = "Die Gespräche über Führung in Teilzeit"


def url(survey):
    return reverse("evaluation:survey", args=[survey.pk])


def contact_url(survey):
    return reverse("evaluation:contact", args=[survey.pk])


def stored():
    return (
        SurveyAnswered.objects.count(),
        SurveyGroup.objects.count(),
        RatingCount.objects.count(),
        TextAnswer.objects.count(),
        EarlyWarning.objects.count(),
    )


NOTHING = (0, 0, 0, 0, 0)


def writes(captured):
    """The statements that changed a table other than the session's."""
    return [
        query["sql"]
        for query in captured
        if re.match(r"\s*(INSERT|UPDATE|DELETE)", query["sql"])
        and "django_session" not in query["sql"]
    ]


# Showing the survey ----------------------------------------------------------------------


def test_the_mentee_sees_each_item_as_a_group_of_radios_with_the_scales_words(
    client, survey, tandem
):
    client.force_login(tandem.mentee.applicant)
    html = client.get(url(survey)).content.decode()
    assert html.count("<fieldset") == len(MIDTERM)
    legends = re.findall(r"<legend[^>]*>(.*?)</legend>", html)
    assert legends == [str(item.mentee) for item in MIDTERM]
    first = html[html.index("<fieldset") : html.index("</fieldset>")]
    labels = re.findall(
        r'<label class="form-check-label" for="id_career_goals_\d">(.*?)</label>', first
    )
    assert labels == [
        "1 – trifft gar nicht zu",
        "2 – trifft eher nicht zu",
        "3 – teils, teils",
        "4 – trifft eher zu",
        "5 – trifft voll zu",
        "keine Angabe",
    ]
    assert "checked" not in html
    for text in (
        "Ihre Antworten werden ohne Ihren Namen gespeichert",
        "Ihre Tandempartner:in sieht sie nie",
        "Ergebnisse erst ab 5 Antworten",
        "Was hat Ihnen bisher besonders geholfen?",
        "Was sollten wir am Programm verbessern?",
    ):
        assert text in html
    assert html.count("<textarea") == 2


def test_the_mentor_reads_the_items_in_the_mentors_words_and_the_extra_question(
    client, survey, tandem
):
    survey.extra_question = "Wie erreichbar war das Programmbüro?"
    survey.save()
    client.force_login(tandem.mentor.applicant)
    html = client.get(url(survey)).content.decode()
    legends = re.findall(r"<legend[^>]*>(.*?)</legend>", html)
    assert legends == [str(item.mentor) for item in MIDTERM]
    assert "Wie erreichbar war das Programmbüro?" in html and html.count("<textarea") == 3


def test_the_one_month_check_in_asks_yes_or_no_where_it_is_a_yes_or_no_question(client, tandem):
    check_in = SurveyFactory(cohort=tandem.cohort, kind=SurveyKind.FIRST_MONTH)
    client.force_login(tandem.mentee.applicant)
    html = client.get(url(check_in)).content.decode()
    met = html[html.index('id="id_check_in_met_0"') - 300 : html.index("</fieldset>")]
    assert re.findall(r'<label class="form-check-label"[^>]*>(.*?)</label>', met) == [
        "ja",
        "nein",
        "keine Angabe",
    ]


# Answering -------------------------------------------------------------------------------


def test_she_answers_some_items_and_is_thanked_and_a_second_visit_says_she_answered(
    client, survey, tandem
):
    client.force_login(tandem.mentee.applicant)
    response = client.post(
        url(survey),
        {"career_goals": "4", "career_insight": "", "text_helped": TYPED, "text_improve": ""},
        follow=True,
    )
    html = response.content.decode()
    assert response.redirect_chain == [(url(survey), 302)]
    assert "Vielen Dank! Ihre Antworten sind gespeichert." in html
    assert (
        "Sie haben diese Befragung beantwortet." in html
        and '<form method="post" novalidate>' not in html
    )
    counted = RatingCount.objects.filter(count__gt=0).values_list("item", "value", "count")
    assert list(counted) == [("career_goals", 4, 1)]
    assert list(TextAnswer.objects.values_list("text", flat=True)) == [TYPED]
    again = client.get(url(survey)).content.decode()
    assert "Sie haben diese Befragung beantwortet." in again and "Vielen Dank!" in again
    # A second answer (another tab, the back button) changes nothing.
    client.post(url(survey), {"career_goals": "1"})
    assert list(RatingCount.objects.filter(count__gt=0).values_list("item", "value", "count")) == [
        ("career_goals", 4, 1)
    ]


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"career_goals": "9"}, "career_goals", "Bitte wählen Sie eine der angebotenen Antworten."),
        (
            {"career_goals": "drei"},
            "career_goals",
            "Bitte wählen Sie eine der angebotenen Antworten.",
        ),
        ({"text_improve": "x" * 4001}, "text_improve", "höchstens 4000 Zeichen"),
    ],
)
def test_bad_input_is_named_next_to_its_field_and_nothing_she_typed_is_lost(
    client, survey, tandem, data, field, message
):
    client.force_login(tandem.mentee.applicant)
    response = client.post(url(survey), {"career_insight": "5", "text_helped": TYPED, **data})
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count(message) == 2  # in the summary at the top and at the field
    assert f'id="id_{field}_error"' in html or f'id="error_1_id_{field}"' in html
    assert TYPED in html
    assert 'id="id_career_insight_4" value="5" checked' in html
    assert stored() == NOTHING


@pytest.mark.parametrize("data", [{}, {"career_insight": "", "text_helped": "   "}])
def test_an_empty_answer_is_refused_and_counts_for_nobody(client, survey, tandem, data):
    """An empty form would add to the group's size, and so bring others' texts into view."""
    client.force_login(tandem.mentee.applicant)
    response = client.post(url(survey), data)
    assert response.status_code == 200
    assert "Sie haben keine Frage beantwortet." in response.content.decode()
    assert stored() == NOTHING
    assert not SurveyAnswered.objects.exists()


def test_a_survey_that_closed_while_she_wrote_keeps_what_she_wrote(client, survey, tandem):
    client.force_login(tandem.mentee.applicant)
    survey.closes_on = timezone.localdate() - dt.timedelta(days=1)
    survey.save()
    response = client.post(url(survey), {"career_goals": "3", "text_helped": TYPED})
    html = response.content.decode()
    assert "Diese Befragung ist nicht geöffnet." in html and TYPED in html
    assert stored() == NOTHING


# Who sees what -----------------------------------------------------------------------------


def test_a_closed_or_coming_survey_says_so(client, survey, tandem):
    client.force_login(tandem.mentee.applicant)
    today = timezone.localdate()
    survey.opens_on, survey.closes_on = today - dt.timedelta(days=30), today - dt.timedelta(days=10)
    survey.save()
    html = client.get(url(survey)).content.decode()
    assert "Diese Befragung ist beendet" in html and "<fieldset" not in html
    survey.opens_on, survey.closes_on = today + dt.timedelta(days=3), today + dt.timedelta(days=20)
    survey.save()
    html = client.get(url(survey)).content.decode()
    assert "Diese Befragung beginnt am" in html and "<fieldset" not in html
    assert client.post(url(survey), {"career_goals": "3"}).status_code == 200
    assert stored() == NOTHING


def test_unknown_inactive_and_foreign_surveys_get_one_clear_page(client, survey, tandem):
    outsider = UserFactory()
    other = ApplicationFactory(accepted=True).applicant  # of another cohort
    for user, path in (
        (outsider, url(survey)),
        (other, url(survey)),
        (tandem.mentee.applicant, reverse("evaluation:survey", args=[survey.pk + 1000])),
        (outsider, contact_url(survey)),
    ):
        client.force_login(user)
        response = client.get(path)
        assert response.status_code == 404
        assert "Befragung nicht verfügbar" in response.content.decode()
        assert client.post(path, {"career_goals": "3"}).status_code == 404
    survey.is_active = False
    survey.save()
    client.force_login(tandem.mentee.applicant)
    assert client.get(url(survey)).status_code == 404
    survey.is_active, survey.for_mentors = True, False
    survey.save()
    client.force_login(tandem.mentor.applicant)
    assert client.get(url(survey)).status_code == 404
    assert stored() == NOTHING


def test_visitors_are_asked_to_log_in(client, survey):
    response = client.get(url(survey))
    assert response.status_code == 302 and response["Location"].startswith("/konto/anmelden/")


def test_showing_the_pages_writes_nothing(client, survey, tandem):
    check_in = SurveyFactory(cohort=tandem.cohort, kind=SurveyKind.FIRST_MONTH)
    client.force_login(tandem.mentee.applicant)
    with CaptureQueriesContext(connection) as captured:
        for path in (url(survey), url(check_in), contact_url(check_in), reverse("start")):
            client.get(path)
    assert writes(captured) == []
    assert stored() == NOTHING


def test_the_survey_page_costs_the_same_with_one_or_many_surveys_and_people(client, tandem):
    survey = SurveyFactory(cohort=tandem.cohort)
    client.force_login(tandem.mentee.applicant)

    def count(path):
        with CaptureQueriesContext(connection) as captured:
            assert client.get(path).status_code == 200
        return len(captured)

    few = count(url(survey)), count(reverse("start"))
    for person in mentees(tandem.cohort, 8):
        survey_answer(
            survey=survey, user=person, ratings={"career_goals": 3}, texts={"text_helped": "x"}
        )
    for kind in (SurveyKind.BASELINE, SurveyKind.FIRST_MONTH, SurveyKind.FINAL):
        SurveyFactory(cohort=tandem.cohort, kind=kind)
    for _index in range(3):
        other = TandemFactory(mentee__applicant=tandem.mentee.applicant)
        SurveyFactory(cohort=other.cohort)
    assert (count(url(survey)), count(reverse("start"))) == few


# Her start page ------------------------------------------------------------------------------


def test_her_start_page_lists_the_open_surveys_she_has_not_answered(client, survey, tandem):
    SurveyFactory(
        cohort=tandem.cohort,
        kind=SurveyKind.FINAL,
        opens_on=timezone.localdate() + dt.timedelta(days=5),
    )
    client.force_login(tandem.mentee.applicant)
    html = client.get(reverse("start")).content.decode()
    assert f'<a href="{url(survey)}">Zwischenbefragung: {tandem.cohort.display_title}</a>' in html
    assert "Abschlussbefragung" not in html
    survey_answer(survey=survey, user=tandem.mentee.applicant, ratings={}, texts={})
    assert url(survey) not in client.get(reverse("start")).content.decode()


def test_a_mentor_sees_only_surveys_that_ask_mentors(client, survey, tandem):
    client.force_login(tandem.mentor.applicant)
    assert url(survey) in client.get(reverse("start")).content.decode()
    survey.for_mentors = False
    survey.save()
    assert url(survey) not in client.get(reverse("start")).content.decode()


# A difficult start ---------------------------------------------------------------------------


@pytest.fixture
def check_in(tandem):
    return SurveyFactory(cohort=tandem.cohort, kind=SurveyKind.FIRST_MONTH)


LOW = {"check_in_met": "0", "check_in_going": "1", "career_goals": "2"}


def test_after_a_low_start_she_is_asked_whether_her_officer_may_call_and_says_yes(
    client, check_in, tandem
):
    officer = BeiratMembershipFactory(
        organisation=tandem.mentee.organisation,
        programme=tandem.cohort.programme,
        is_contact=True,
        user__first_name="Gisela",
        user__last_name="Gleich",
    ).user
    mentee = tandem.mentee.applicant
    client.force_login(mentee)
    response = client.post(url(check_in), LOW)
    assert response["Location"] == contact_url(check_in)
    # Nothing in the database says her start was difficult, until she asks: not even her
    # session (stored there); only her browser holds the offer.
    assert EarlyWarning.objects.count() == 0
    assert all("evaluation" not in str(session.get_decoded()) for session in Session.objects.all())
    assert OFFER_COOKIE in client.cookies
    html = client.get(contact_url(check_in)).content.decode()
    assert "Gisela Gleich" in html and tandem.mentee.organisation.name in html
    response = client.post(
        contact_url(check_in), {"yes": "1", "message": "Gern nachmittags."}, follow=True
    )
    assert (
        "Gleichstellungsbeauftragte weiß, dass Sie sich ein Gespräch wünschen"
        in response.content.decode()
    )
    warning = EarlyWarning.objects.get()
    assert (warning.user, warning.message, warning.tandem) == (mentee, "Gern nachmittags.", tandem)
    assert client.cookies[OFFER_COOKIE].value == ""  # deleted
    assert "Sie haben um ein Gespräch gebeten" in client.get(url(check_in)).content.decode()
    # The question is asked once: the page now leads back to the survey.
    assert client.get(contact_url(check_in))["Location"] == url(check_in)
    assert officer.pk != mentee.pk


def test_without_an_officer_of_her_organisation_the_programme_office_is_named(
    client, check_in, tandem
):
    client.force_login(tandem.mentee.applicant)
    client.post(url(check_in), LOW)
    html = client.get(contact_url(check_in)).content.decode()
    assert "Darf das Programmbüro Sie ansprechen?" in html
    assert "Gleichstellungsbeauftragte" not in html
    response = client.post(contact_url(check_in), {"yes": "1"}, follow=True)
    assert "das Programmbüro weiß, dass Sie sich ein Gespräch wünschen" in (
        response.content.decode()
    )
    assert EarlyWarning.objects.get().contact is None


def test_the_question_costs_the_same_with_one_or_many_seats_and_tandems(client, check_in, tandem):
    client.force_login(tandem.mentee.applicant)
    client.post(url(check_in), LOW)

    def count():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(contact_url(check_in)).status_code == 200
        return len(captured)

    BeiratMembershipFactory(
        organisation=tandem.mentee.organisation, programme=tandem.cohort.programme
    )
    one = count()
    for _index in range(5):
        BeiratMembershipFactory(
            organisation=tandem.mentee.organisation, programme=tandem.cohort.programme
        )
        TandemFactory(cohort=tandem.cohort, mentee__organisation=tandem.mentee.organisation)
    assert count() == one


def test_she_says_no_and_nobody_learns_anything(client, check_in, tandem):
    client.force_login(tandem.mentee.applicant)
    client.post(url(check_in), LOW)
    response = client.post(contact_url(check_in), {"no": "1", "message": "egal"}, follow=True)
    assert "Vielen Dank! Ihre Antworten sind gespeichert." in response.content.decode()
    assert EarlyWarning.objects.count() == 0
    assert client.get(contact_url(check_in))["Location"] == url(check_in)


def test_a_second_click_on_send_leads_to_the_question_and_no_choice_asks_again(
    client, check_in, tandem
):
    client.force_login(tandem.mentee.applicant)
    client.post(url(check_in), LOW)
    # The browser shows the answer to the second click: the question, not "answered".
    assert client.post(url(check_in), LOW)["Location"] == contact_url(check_in)
    # Going back to the survey instead: it says she answered, with a link to the question.
    page = client.get(url(check_in)).content.decode()
    assert 'id="answered"' in page and f'href="{contact_url(check_in)}"' in page
    # Neither yes nor no (a tampered form): the question again, nothing recorded.
    response = client.post(contact_url(check_in), {"message": "x"})
    assert response.status_code == 200 and EarlyWarning.objects.count() == 0
    response = client.post(contact_url(check_in), {"yes": "1", "message": "x" * 2001})
    assert field_error(response.content.decode(), "id_message").startswith(
        "Bitte sicherstellen, dass der Wert aus höchstens 2000 Zeichen besteht."
    )
    assert "x" * 2001 in response.content.decode()
    assert EarlyWarning.objects.count() == 0


def test_the_offer_belongs_to_her_account_not_to_the_browser(client, check_in, tandem):
    client.force_login(tandem.mentee.applicant)
    client.post(url(check_in), LOW)
    client.force_login(tandem.mentor.applicant)  # the same browser, another person
    assert client.get(contact_url(check_in))["Location"] == url(check_in)


def test_a_good_start_and_other_people_are_not_asked(client, check_in, tandem):
    client.force_login(tandem.mentee.applicant)
    response = client.post(url(check_in), {"check_in_going": "4", "career_goals": "5"})
    assert response["Location"] == url(check_in)
    assert client.get(contact_url(check_in))["Location"] == url(check_in)
    client.post(contact_url(check_in), {"yes": "1"})
    assert EarlyWarning.objects.count() == 0
