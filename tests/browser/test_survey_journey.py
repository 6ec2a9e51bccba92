"""A mentee finds the mid-term survey on her start page and answers it with the keyboard."""

import pytest
from playwright.sync_api import expect

from evaluation.models import RatingCount, SurveyAnswered, TextAnswer
from tests.browser.conftest import assert_accessible, assert_reflows
from tests.browser.test_keyboard_application import focused, tab_to
from tests.browser.test_matching_journey import log_in
from tests.factories import SurveyFactory, TandemFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TEXT = "Die Gespräche über Führung in Teilzeit"


def test_a_mentee_answers_the_mid_term_survey_with_the_keyboard(page):
    tandem = TandemFactory(mentee__applicant__first_name="Mia")
    survey = SurveyFactory(cohort=tandem.cohort)
    mentee = tandem.mentee.applicant

    page.set_viewport_size({"width": 1280, "height": 900})
    log_in(page, mentee.email)
    page.wait_for_url("**/start/")
    link = page.get_by_role("link", name=f"Zwischenbefragung: {tandem.cohort.display_title}")
    expect(link).to_be_visible()
    assert_accessible(page)
    tab_to(page, f'a[href="/befragung/{survey.pk}/"]')
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/befragung/{survey.pk}/")
    expect(page.get_by_role("heading", name="Zwischenbefragung", level=1)).to_be_visible()
    expect(page.get_by_text("Ihre Antworten werden ohne Ihren Namen gespeichert")).to_be_visible()
    assert_accessible(page)

    # The first statement: Tab into its group, the arrows choose "4 – trifft eher zu".
    tab_to(page, "#id_career_goals_0")
    page.keyboard.press("Space")
    for _step in range(3):
        page.keyboard.press("ArrowRight")
    expect(page.get_by_role("radio", name="4 – trifft eher zu").first).to_be_checked()
    # Tab leaves the group for the next statement; she skips it and the next, then
    # chooses "5" for the fourth.
    page.keyboard.press("Tab")
    assert focused(page, "#id_career_insight_0")
    tab_to(page, "#id_psychosocial_openness_0")
    page.keyboard.press("Space")
    page.keyboard.press("ArrowLeft")  # from 1, round to "keine Angabe"
    page.keyboard.press("ArrowLeft")  # and back to 5
    tab_to(page, "#id_text_helped")
    page.keyboard.type(TEXT)
    tab_to(page, "button[type=submit]")
    page.keyboard.press("Enter")

    page.wait_for_url(f"**/befragung/{survey.pk}/")
    expect(page.get_by_text("Vielen Dank! Ihre Antworten sind gespeichert.")).to_be_visible()
    expect(page.get_by_text("Sie haben diese Befragung beantwortet.")).to_be_visible()
    assert_accessible(page)
    counted = RatingCount.objects.filter(count__gt=0).order_by("item")
    assert list(counted.values_list("item", "value", "count")) == [
        ("career_goals", 4, 1),
        ("psychosocial_openness", 5, 1),
    ]
    assert list(TextAnswer.objects.values_list("text", flat=True)) == [TEXT]
    assert SurveyAnswered.objects.filter(survey=survey, user=mentee).exists()

    # Her start page no longer asks for it.
    page.goto("/start/")
    expect(
        page.get_by_role("link", name=f"Zwischenbefragung: {tandem.cohort.display_title}")
    ).to_have_count(0)


def test_the_survey_fits_a_phone_and_stays_accessible(page):
    tandem = TandemFactory()
    survey = SurveyFactory(cohort=tandem.cohort, extra_question="Wie erreichbar war das Büro?")
    log_in(page, tandem.mentor.applicant.email)
    page.wait_for_url("**/start/")
    page.set_viewport_size({"width": 320, "height": 800})
    page.goto(f"/befragung/{survey.pk}/")
    assert_reflows(page)
    assert_accessible(page)
