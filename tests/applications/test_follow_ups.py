"""Follow-up questions on her career: who is asked, when, once; one click in the e-mail and
a form on a page that needs no login; and what she may change or stop there."""

import datetime as dt
import re
import time
from urllib.parse import parse_qs, urlsplit

import pytest
from django.conf import settings
from django.core import mail, signing
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from applications import follow_ups
from applications.enums import ApplicationState, CareerStepKind, CareerStepSource, FollowUpWave
from applications.models import Application, CareerStep, FollowUpAnswer
from applications.reminders import follow_up, follow_up_reminder
from applications.selectors import careers_followed
from applications.services import follow_up_answer
from mentoring.consents import (
    consent_give,
    consent_withdraw,
    has_active_consent,
    withdrawal_consequences,
)
from mentoring.enums import ConsentKind, ReminderKind, ReminderStatus
from mentoring.models import Consent, PrivacyNotice, SentReminder
from mentoring.reminders import sweep
from tests.factories import (
    BERLIN,
    ApplicationFactory,
    MentorApplicationFactory,
    ended_cohort,
)
from tests.forms_html import elements, field_error

pytestmark = pytest.mark.django_db

S = ApplicationState
END = dt.date(2026, 2, 28)  # the cohort's last day; the waves: 28 Aug 2026, 28 Feb 2027, 2028


def on(year, month, day):
    """07:00 in Berlin on that day, as Celery beat runs the sweep."""
    return dt.datetime(year, month, day, 7, 0, tzinfo=BERLIN)


@pytest.fixture
def cohort():
    return ended_cohort(END)


def applicant(cohort, state=S.ACCEPTED, *, agreed=True, **kwargs):
    """A mentee application of ``cohort`` in ``state``; ``agreed``: she consented to follow-up."""
    application = ApplicationFactory(
        cohort=cohort, state=state, submitted_at=timezone.now(), cv="", letter="", **kwargs
    )
    if agreed:
        consent_give(user=application.applicant, kind=ConsentKind.FOLLOW_UP)
    return application


def asked(day, finder=follow_up):
    return sorted((item.about.pk, item.period) for item in finder(day))


def follow_up_mails():
    return [m for m in mail.outbox if "Werdegang" in m.subject or "career" in m.subject]


def links(message):
    """{answer: path with query} of the answer links in a follow-up e-mail."""
    found = {}
    for url in re.findall(r"https?://\S+/nachbefragung/\S+", message.body):
        parts = urlsplit(url)
        answer = parse_qs(parts.query).get(follow_ups.ANSWER_PARAMETER, [""])[0]
        found[answer] = f"{parts.path}?{parts.query}" if parts.query else parts.path
    return found


def page_url(application, wave=FollowUpWave.END, kind=None):
    url = follow_ups.answer_url(follow_ups.make_token(application, wave), kind)
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}" if parts.query else parts.path


def answer_form(steps, **fields):
    return {"steps": steps, "month": "", "pay_grade_from": "", "pay_grade_to": "", "note": ""} | (
        fields
    )


# Who is asked, and when ----------------------------------------------------------------------


def test_participants_and_those_not_selected_who_agreed_are_asked_when_the_cohort_ends(cohort):
    participant = applicant(cohort)
    waitlisted = applicant(cohort, S.WAITLISTED)
    rejected = applicant(cohort, S.REJECTED)
    applicant(cohort, agreed=False)
    applicant(cohort, S.REJECTED, agreed=False)
    applicant(cohort, S.WITHDRAWN)
    mentor = MentorApplicationFactory(cohort=cohort, state=S.ACCEPTED)
    consent_give(user=mentor.applicant, kind=ConsentKind.FOLLOW_UP)
    assert asked(END - dt.timedelta(days=1)) == []
    assert asked(END) == sorted(
        [(participant.pk, "end"), (waitlisted.pk, "end"), (rejected.pk, "end")]
    )


def test_is_asked_and_its_filter_name_the_mentees_who_took_part_or_were_not_selected(cohort):
    applications = {
        (role, state): make(cohort=cohort, state=state, cv="", letter="")
        for role, make in (("mentee", ApplicationFactory), ("mentor", MentorApplicationFactory))
        for state in ApplicationState
    }
    by_function = {
        key for key, application in applications.items() if follow_ups.is_asked(application)
    }
    by_filter = {
        key
        for key, application in applications.items()
        if Application.objects.filter(follow_ups.asked_filter(), pk=application.pk).exists()
    }
    expected = {("mentee", S.ACCEPTED), ("mentee", S.WAITLISTED), ("mentee", S.REJECTED)}
    assert (by_function, by_filter) == (expected, expected)


def test_careers_followed_are_every_participant_and_those_not_selected_who_agree_now(cohort):
    participant = applicant(cohort, agreed=False)
    rejected = applicant(cohort, S.REJECTED)
    applicant(cohort, S.WAITLISTED, agreed=False)
    withdrawn_consent = applicant(cohort, S.REJECTED)
    consent_withdraw(
        user=withdrawn_consent.applicant,
        kind=ConsentKind.FOLLOW_UP,
        actor=withdrawn_consent.applicant,
    )
    applicant(cohort, S.SUBMITTED)
    MentorApplicationFactory(cohort=cohort, state=S.ACCEPTED)
    followed = Application.objects.filter(careers_followed()).order_by("pk")
    assert list(followed) == [participant, rejected]


def test_only_the_latest_due_wave_is_asked(cohort):
    application = applicant(cohort)
    assert asked(dt.date(2026, 8, 27)) == [(application.pk, "end")]
    assert asked(dt.date(2026, 8, 28)) == [(application.pk, "6")]
    assert asked(dt.date(2027, 2, 27)) == [(application.pk, "6")]
    assert asked(dt.date(2027, 3, 1)) == [(application.pk, "12")]
    assert asked(dt.date(2028, 2, 28)) == [(application.pk, "24")]
    assert asked(dt.date(2029, 2, 27)) == [(application.pk, "24")]
    assert asked(dt.date(2029, 2, 28)) == []


def test_a_product_adopted_late_asks_once_about_now_not_about_every_wave_missed():
    application = applicant(ended_cohort(dt.date(2025, 1, 15)))
    sweep(now=on(2026, 6, 1))
    assert [(m.to, m.subject) for m in follow_up_mails()] == [
        ([application.applicant.email], f"{application.cohort.programme.name}: eine kurze Frage "
         "zu Ihrem beruflichen Werdegang")
    ]  # fmt: skip
    assert list(SentReminder.objects.values_list("kind", "period")) == [("follow_up", "12")]
    assert "Seit dem Ende des Jahrgangs sind nun 12 Monate vergangen." in mail.outbox[0].body


def test_withdrawing_the_consent_stops_every_further_question_at_once(cohort):
    application = applicant(cohort)
    sweep(now=on(2026, 2, 28))
    assert len(follow_up_mails()) == 1
    consent_withdraw(user=application.applicant, kind=ConsentKind.FOLLOW_UP)
    for day in (on(2026, 3, 7), on(2026, 8, 28), on(2027, 3, 1)):
        sweep(now=day)
    assert len(follow_up_mails()) == 1
    assert asked(dt.date(2026, 3, 7), follow_up_reminder) == []


def test_withdrawing_erases_her_own_answers_and_keeps_what_her_officer_recorded(cohort):
    application = applicant(cohort)
    follow_up_answer(
        application=application,
        wave=FollowUpWave.END,
        steps=[CareerStepKind.APPLIED],
        month=dt.date(2026, 2, 1),
    )
    CareerStep.objects.create(
        application=application,
        kind=CareerStepKind.PROMOTION,
        date=dt.date(2026, 1, 1),
        source=CareerStepSource.OFFICER,
        note="Laut Personalamt",
    )
    notes = consent_withdraw(user=application.applicant, kind=ConsentKind.FOLLOW_UP)
    assert notes == ["Ihre bisherigen Angaben zu Ihrem Werdegang sind gelöscht."]
    assert list(CareerStep.objects.values_list("source", flat=True)) == ["officer"]
    assert FollowUpAnswer.objects.count() == 0


def test_withdrawing_erases_every_step_of_the_comparison_group(cohort):
    """Not selected, she is followed only because she agreed: nothing of it stays."""
    waitlisted = applicant(cohort, S.WAITLISTED)
    CareerStep.objects.create(
        application=waitlisted,
        kind=CareerStepKind.PROMOTION,
        date=dt.date(2026, 1, 1),
        source=CareerStepSource.OFFICER,
        note="Laut Personalamt",
    )
    consent_withdraw(user=waitlisted.applicant, kind=ConsentKind.FOLLOW_UP)
    assert not CareerStep.objects.exists()


def test_the_confirmation_says_what_withdrawing_the_follow_up_consent_means(cohort):
    waitlisted = applicant(cohort, S.WAITLISTED)
    user = waitlisted.applicant
    title = f"Mentee, {cohort.programme.name}, {cohort.display_title}"
    kept = (
        f"Ihre Bewerbung ({title}) wird nicht länger aufbewahrt: Sie wird gelöscht, sobald "
        "ihre Aufbewahrungsfrist abgelaufen ist."
    )
    assert withdrawal_consequences(user=user, kind=ConsentKind.FOLLOW_UP) == [kept]
    follow_up_answer(
        application=waitlisted, wave=FollowUpWave.END, steps=[CareerStepKind.NONE],
        month=dt.date(2026, 2, 1),
    )  # fmt: skip
    consent_give(user=user, kind=ConsentKind.KEEP_FOR_LATER)
    assert withdrawal_consequences(user=user, kind=ConsentKind.FOLLOW_UP) == [
        "Ihre bisherigen Angaben zu Ihrem Werdegang werden gelöscht; die Auswertung des "
        "Programms zählt sie nicht mehr.",
    ]
    # Keeping it for later is the other ground: withdrawing that one keeps it too.
    assert withdrawal_consequences(user=user, kind=ConsentKind.KEEP_FOR_LATER) == []
    consent_withdraw(user=user, kind=ConsentKind.FOLLOW_UP)
    assert withdrawal_consequences(user=user, kind=ConsentKind.KEEP_FOR_LATER) == [kept]


def test_the_reminder_goes_once_seven_days_after_the_question(cohort):
    application = applicant(cohort)
    sweep(now=on(2026, 2, 28))
    sweep(now=on(2026, 3, 6))
    assert len(follow_up_mails()) == 1
    sweep(now=on(2026, 3, 7))
    sweep(now=on(2026, 3, 8))
    sweep(now=on(2026, 3, 20))
    assert [m.subject.startswith("Erinnerung") for m in follow_up_mails()] == [False, True]
    assert sorted(SentReminder.objects.values_list("kind", "object_id", "period", "status")) == [
        ("follow_up", application.pk, "end", ReminderStatus.SENT),
        ("follow_up_reminder", application.pk, "end", ReminderStatus.SENT),
    ]


def test_no_reminder_once_she_has_answered(cohort):
    application = applicant(cohort)
    sweep(now=on(2026, 2, 28))
    follow_up_answer(
        application=application,
        wave=FollowUpWave.END,
        steps=[CareerStepKind.NONE],
        month=dt.date(2026, 3, 1),
    )
    sweep(now=on(2026, 3, 7))
    assert len(follow_up_mails()) == 1
    assert asked(dt.date(2026, 3, 7)) == []


def test_the_next_wave_is_asked_again_after_an_answer(cohort):
    application = applicant(cohort)
    follow_up_answer(
        application=application,
        wave=FollowUpWave.END,
        steps=[CareerStepKind.NONE],
        month=dt.date(2026, 3, 1),
    )
    assert asked(dt.date(2026, 8, 28)) == [(application.pk, "6")]


def test_the_mail_is_in_her_language(cohort):
    application = applicant(cohort, applicant__language="en")
    sweep(now=on(2026, 2, 28))
    (message,) = mail.outbox
    assert message.subject == (
        f"{application.cohort.programme.name}: a short question about your career"
    )
    assert "- Promotion / regrading to a higher pay grade:\n  http" in message.body


def test_finding_follow_ups_asks_the_database_a_fixed_number_of_times():
    def queries(count, end):
        cohort = ended_cohort(end)
        states = [S.ACCEPTED if n % 2 else S.REJECTED for n in range(count)]
        applications = [applicant(cohort, state) for state in states]
        day = end + dt.timedelta(days=7)
        SentReminder.objects.all().delete()
        sweep(now=on(end.year, end.month, end.day))
        follow_up_answer(
            application=applications[0],
            wave=FollowUpWave.END,
            steps=[CareerStepKind.NONE],
            month=end.replace(day=1),
        )
        with CaptureQueriesContext(connection) as captured:
            found = asked(day) + asked(day, follow_up_reminder)
        return len(captured), len(found)

    few, few_found = queries(2, dt.date(2026, 2, 28))
    many, many_found = queries(25, dt.date(2026, 5, 31))
    # Each unanswered: the question (the sweep drops it as sent) and the reminder; in the
    # second round also the first round's one unanswered, asked again by that sweep.
    assert (few_found, many_found) == (2, 2 * (24 + 1))
    assert many == few


# The e-mail and its page ----------------------------------------------------------------------


def test_each_answer_in_the_mail_opens_the_page_with_it_preselected_and_a_get_writes_nothing(
    client, cohort
):
    applicant(cohort, S.REJECTED)
    sweep(now=on(2026, 2, 28))
    (message,) = follow_up_mails()
    found = links(message)
    assert sorted(found) == sorted(CareerStepKind.values)
    for kind, url in found.items():
        page = client.get(url).content.decode()
        checked = [box["value"] for box in elements(page, "input", name="steps", checked=None)]
        assert checked == [kind]
    assert (FollowUpAnswer.objects.count(), CareerStep.objects.count()) == (0, 0)
    assert SentReminder.objects.filter(kind=ReminderKind.FOLLOW_UP).count() == 1


def test_sending_the_answer_records_it_with_one_step_per_choice(client, cohort):
    application = applicant(cohort, pay_grade="11")
    sweep(now=on(2026, 2, 28))
    url = links(follow_up_mails()[0])[CareerStepKind.PROMOTION]
    page = client.get(url).content.decode()
    # The link may have been forwarded: the page shows nothing known about her.
    fields = elements(page, "input", name="pay_grade_from")
    assert [field.get("value", "") for field in fields] == [""]
    response = client.post(
        url,
        answer_form(
            [CareerStepKind.PROMOTION, CareerStepKind.LEADERSHIP],
            month="2026-02",
            pay_grade_from="A 11",
            pay_grade_to="a12",
            note="Teamleitung Personal",
        ),
    )
    assert response.status_code == 302
    answer = FollowUpAnswer.objects.get()
    assert (answer.application, answer.wave) == (application, FollowUpWave.END)
    steps = CareerStep.objects.order_by("kind")
    assert [
        (s.kind, s.date, s.pay_grade_from, s.pay_grade_to, s.source, s.note) for s in steps
    ] == [
        ("leadership", dt.date(2026, 2, 1), "", "", "self", "Teamleitung Personal"),
        ("promotion", dt.date(2026, 2, 1), "A 11", "A 12", "self", "Teamleitung Personal"),
    ]
    assert "Ihre Antwort ist gespeichert" in client.get(response["Location"]).content.decode()
    sweep(now=on(2026, 3, 7))
    assert len(follow_up_mails()) == 1


def test_nothing_changed_is_a_step_of_its_own_dated_this_month_by_default(client, cohort):
    application = applicant(cohort)
    client.post(page_url(application), answer_form([CareerStepKind.NONE]))
    (step,) = CareerStep.objects.all()
    assert (step.kind, step.date, step.source) == (
        CareerStepKind.NONE,
        timezone.localdate().replace(day=1),
        CareerStepSource.SELF,
    )


def test_a_second_answer_to_the_same_wave_replaces_the_first_and_keeps_the_officers_steps(
    client, cohort
):
    application = applicant(cohort)
    officer_step = CareerStep.objects.create(
        application=application,
        kind=CareerStepKind.HORIZONTAL,
        date=dt.date(2026, 1, 1),
        source=CareerStepSource.PERSONNEL,
        note="Personalamt",
    )
    url = page_url(application)
    client.post(url, answer_form([CareerStepKind.PROMOTION, CareerStepKind.APPLIED]))
    first = FollowUpAnswer.objects.get().answered_at
    client.post(url, answer_form([CareerStepKind.NONE]))
    answer = FollowUpAnswer.objects.get()
    assert answer.answered_at > first
    assert sorted(CareerStep.objects.values_list("kind", "source")) == [
        ("horizontal", "personnel"),
        ("none", "self"),
    ]
    assert [step.pk for step in answer.steps.all()] != [officer_step.pk]
    page = client.get(url).content.decode()
    # The page says that she answered, not what: the link may have been forwarded.
    assert "geantwortet" in page
    assert elements(page, "input", name="steps", checked=None) == []


def test_another_wave_is_an_answer_of_its_own(client, cohort):
    application = applicant(cohort)
    client.post(page_url(application), answer_form([CareerStepKind.NONE]))
    client.post(page_url(application, FollowUpWave.MONTHS_6), answer_form([CareerStepKind.APPLIED]))
    assert sorted(FollowUpAnswer.objects.values_list("wave", flat=True)) == ["6", "end"]
    assert sorted(CareerStep.objects.values_list("kind", flat=True)) == ["applied", "none"]


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        (
            {"pay_grade_from": "A 11", "pay_grade_to": "A 19"},
            "pay_grade_to",
            "Die Besoldungsgruppe „A 19“ gibt es nicht.",
        ),
        (
            {"pay_grade_from": "11", "pay_grade_to": "A 12"},
            "pay_grade_from",
            "„11“ ist keine Besoldungs- oder Entgeltgruppe.",
        ),
        (
            {"pay_grade_from": "A 12", "pay_grade_to": "A 11"},
            "pay_grade_to",
            "Die neue Gruppe (A 11) muss über der bisherigen (A 12) liegen.",
        ),
        (
            {"pay_grade_from": "A 12", "pay_grade_to": ""},
            "pay_grade_to",
            "Bitte geben Sie auch die neue Gruppe an.",
        ),
        (
            {"month": "2099-01"},
            "month",
            "Bitte wählen Sie einen Monat bis einschließlich des laufenden.",
        ),
    ],
)
def test_a_wrong_detail_is_named_at_its_field_and_the_input_is_kept(
    client, cohort, fields, field, message
):
    application = applicant(cohort)
    response = client.post(page_url(application), answer_form([CareerStepKind.PROMOTION], **fields))
    page = response.content.decode()
    assert response.status_code == 200
    assert field_error(page, f"id_{field}").startswith(message)
    for name, value in fields.items():
        if value:
            assert elements(page, "input", name=name, value=value)
    assert elements(page, "input", name="steps", value="promotion", checked=None)
    assert (FollowUpAnswer.objects.count(), CareerStep.objects.count()) == (0, 0)


@pytest.mark.parametrize(
    "steps, fields, field, message",
    [
        ([], {}, "steps", "Bitte wählen Sie mindestens eine Antwort."),
        (
            [CareerStepKind.APPLIED],
            {"note": "x" * 301},
            "note",
            "Bitte sicherstellen, dass der Wert aus höchstens 300 Zeichen besteht.",
        ),
    ],
)
def test_an_empty_answer_or_a_long_note_is_named_at_its_field(
    client, cohort, steps, fields, field, message
):
    application = applicant(cohort)
    response = client.post(page_url(application), answer_form(steps, **fields))
    assert response.status_code == 200
    assert field_error(response.content.decode(), f"id_{field}").startswith(message)
    assert (FollowUpAnswer.objects.count(), CareerStep.objects.count()) == (0, 0)


def test_pay_grades_belong_to_a_promotion(client, cohort):
    application = applicant(cohort)
    response = client.post(
        page_url(application),
        answer_form([CareerStepKind.LEADERSHIP], pay_grade_from="EG 9b", pay_grade_to="EG 10"),
    )
    assert field_error(response.content.decode(), "id_pay_grade_to").startswith(
        "Besoldungs- und Entgeltgruppen gehören zu einer Beförderung"
    )
    assert CareerStep.objects.count() == 0


def test_nothing_changed_does_not_go_with_a_change(client, cohort):
    application = applicant(cohort)
    response = client.post(
        page_url(application), answer_form([CareerStepKind.NONE, CareerStepKind.APPLIED])
    )
    assert field_error(response.content.decode(), "id_steps").startswith(
        "„keine Veränderung“ passt nicht zu einer Veränderung."
    )


def test_an_expired_link_says_so_and_records_nothing(client, cohort, monkeypatch):
    application = applicant(cohort)
    then = time.time() - (follow_ups.TOKEN_MAX_AGE.days + 1) * 86400
    monkeypatch.setattr(signing.time, "time", lambda: then)
    token = follow_ups.make_token(application, FollowUpWave.END)
    monkeypatch.undo()
    url = f"/bewerbung/nachbefragung/{token}/"
    for response in (client.get(url), client.post(url, answer_form([CareerStepKind.NONE]))):
        assert response.status_code == 410
        assert "Dieser Link ist abgelaufen" in response.content.decode()
    assert (FollowUpAnswer.objects.count(), CareerStep.objects.count()) == (0, 0)


@pytest.mark.parametrize(
    "forge",
    [
        lambda token: token[:-3] + ("abc" if token[-3:] != "abc" else "xyz"),
        lambda token: signing.dumps({"a": 1, "w": "end"}, salt="mentoring.email-verification"),
        lambda token: signing.dumps({"a": 999999, "w": "end"}, salt=follow_ups.ANSWER_SALT),
        lambda token: signing.dumps({"a": "1", "w": "3"}, salt=follow_ups.ANSWER_SALT),
        lambda token: "kein-token",
    ],
)
def test_a_forged_link_gets_a_clear_page_not_an_error(client, cohort, forge):
    application = applicant(cohort)
    token = forge(follow_ups.make_token(application, FollowUpWave.END))
    for response in (
        client.get(f"/bewerbung/nachbefragung/{token}/"),
        client.post(f"/bewerbung/nachbefragung/{token}/", answer_form([CareerStepKind.NONE])),
        client.post(f"/bewerbung/nachbefragung/{token}/keine-weiteren-fragen/", {"confirmed": "1"}),
    ):
        assert response.status_code == 404
        assert "Dieser Link ist ungültig" in response.content.decode()
    assert has_active_consent(application.applicant, ConsentKind.FOLLOW_UP)
    assert CareerStep.objects.count() == 0


def test_no_further_questions_withdraws_the_consent_from_the_page_without_login(client, cohort):
    application = applicant(cohort)
    url = page_url(application)
    page = client.get(url).content.decode()
    assert elements(page, "form", action=f"{urlsplit(url).path}keine-weiteren-fragen/")
    confirm = client.post(f"{urlsplit(url).path}keine-weiteren-fragen/")
    assert confirm.status_code == 200
    assert "löschen Ihre bisherigen Angaben" in confirm.content.decode()
    assert "Auch Ihre Bewerbung bewahren wir" not in confirm.content.decode()  # a participant
    assert has_active_consent(application.applicant, ConsentKind.FOLLOW_UP)
    response = client.post(f"{urlsplit(url).path}keine-weiteren-fragen/", {"confirmed": "1"})
    assert response.status_code == 302
    assert not has_active_consent(application.applicant, ConsentKind.FOLLOW_UP)
    page = client.get(response["Location"]).content.decode()
    assert "Wir fragen Sie nicht mehr" in page
    client.post(url, answer_form([CareerStepKind.NONE]))
    assert (FollowUpAnswer.objects.count(), CareerStep.objects.count()) == (0, 0)
    assert asked(END) == []


def test_a_second_click_on_no_further_questions_changes_nothing(client, cohort):
    application = applicant(cohort)
    stop = f"{urlsplit(page_url(application)).path}keine-weiteren-fragen/"
    client.post(stop, {"confirmed": "1"})
    ended = Consent.objects.get(user=application.applicant).withdrawn_at
    response = client.post(stop, {"confirmed": "1"})
    assert response.status_code == 302
    assert Consent.objects.get(user=application.applicant).withdrawn_at == ended
    assert "Wir fragen Sie nicht mehr" in client.get(response["Location"]).content.decode()


def test_the_confirmation_tells_one_not_selected_that_her_application_goes_too(client, cohort):
    application = applicant(cohort, S.REJECTED)
    stop = f"{urlsplit(page_url(application)).path}keine-weiteren-fragen/"
    # The language switch (or a reload) asks for it with GET: back to the question.
    assert client.get(stop)["Location"] == urlsplit(page_url(application)).path
    assert "Auch Ihre Bewerbung bewahren wir" in client.post(stop).content.decode()
    consent_give(user=application.applicant, kind=ConsentKind.KEEP_FOR_LATER)
    assert "Auch Ihre Bewerbung bewahren wir" not in client.post(stop).content.decode()
    client.post(stop, {"confirmed": "1"})
    # Stopped already: no second confirmation, her page says so.
    response = client.post(stop)
    assert response.status_code == 302 and not has_active_consent(
        application.applicant, ConsentKind.FOLLOW_UP
    )


def test_a_participant_is_told_that_an_earlier_application_kept_for_it_goes_too(client, cohort):
    """The link names her participation; an application of an earlier year is kept on the
    same consent, and the confirmation says so, without naming it."""
    application = applicant(cohort)
    ApplicationFactory(
        applicant=application.applicant,
        state=S.REJECTED,
        submitted_at=timezone.now(),
        cv="",
        letter="",
    )
    stop = f"{urlsplit(page_url(application)).path}keine-weiteren-fragen/"
    assert "Auch Ihre Bewerbung bewahren wir" in client.post(stop).content.decode()


def test_an_empty_post_is_named_not_ignored(client, cohort):
    response = client.post(page_url(applicant(cohort)), {})
    assert field_error(response.content.decode(), "id_steps").startswith(
        "Bitte wählen Sie mindestens eine Antwort."
    )


def test_the_page_speaks_her_language_unless_this_browser_chose_one(client, cohort):
    application = applicant(cohort)
    application.applicant.language = "en"
    application.applicant.save(update_fields=["language"])
    url = page_url(application)
    page = client.get(url).content.decode()
    assert '<html lang="en"' in page
    assert "No further questions" in page
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "de"
    assert '<html lang="de"' in client.get(url).content.decode()


def test_the_page_costs_the_same_with_one_or_many_steps(client, cohort):
    application = applicant(cohort)
    url = page_url(application, kind=CareerStepKind.PROMOTION)

    def queries():
        client.get(url)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    follow_up_answer(
        application=application,
        wave=FollowUpWave.END,
        steps=[CareerStepKind.APPLIED],
        month=dt.date(2026, 2, 1),
    )
    one = queries()
    follow_up_answer(
        application=application,
        wave=FollowUpWave.END,
        steps=[CareerStepKind.PROMOTION, CareerStepKind.LEADERSHIP, CareerStepKind.HORIZONTAL],
        month=dt.date(2026, 2, 1),
        pay_grade_from="A 11",
        pay_grade_to="A 12",
    )
    for number in range(20):
        CareerStep.objects.create(
            application=application,
            kind=CareerStepKind.APPLIED,
            date=dt.date(2025, 1 + number % 12, 1),
            source=CareerStepSource.OFFICER,
            note="bekannt",
        )
        applicant(cohort)
    assert queries() == one


# Agreeing to be asked -----------------------------------------------------------------------


def test_her_status_page_offers_the_follow_up_once_decided_and_a_button_gives_the_consent(client):
    application = applicant(ended_cohort(END), S.WAITLISTED, agreed=False)
    client.force_login(application.applicant)
    page = client.get("/bewerbung/").content.decode()
    assert elements(page, "form", action="/bewerbung/nachbefragung/einwilligen/")
    response = client.post("/bewerbung/nachbefragung/einwilligen/")
    assert response["Location"] == "/bewerbung/#nachbefragung"
    assert has_active_consent(application.applicant, ConsentKind.FOLLOW_UP)
    page = client.get("/bewerbung/").content.decode()
    assert not elements(page, "form", action="/bewerbung/nachbefragung/einwilligen/")
    assert "eingewilligt. Danke!" in page
    assert elements(page, "a", href="/konto/einwilligungen/follow_up/widerrufen/")


def test_without_a_published_privacy_notice_the_button_says_why_and_gives_nothing(client):
    application = applicant(ended_cohort(END), S.WAITLISTED, agreed=False)
    PrivacyNotice.objects.all().delete()
    client.force_login(application.applicant)
    response = client.post("/bewerbung/nachbefragung/einwilligen/", follow=True)
    assert "Es ist noch kein Datenschutzhinweis veröffentlicht" in response.content.decode()
    assert not has_active_consent(application.applicant, ConsentKind.FOLLOW_UP)


@pytest.mark.parametrize(
    "make",
    [
        lambda: ApplicationFactory(state=S.SUBMITTED, cv="", letter=""),
        lambda: MentorApplicationFactory(state=S.ACCEPTED),
    ],
)
def test_no_offer_before_a_decision_or_to_a_mentor(client, make):
    application = make()
    client.force_login(application.applicant)
    page = client.get("/bewerbung/").content.decode()
    assert "Nachbefragungen zu Ihrem beruflichen Werdegang" not in page


@pytest.mark.parametrize("decision", ["accepted", "waitlisted", "rejected"])
def test_the_decision_mail_asks_a_mentee_to_agree_and_links_to_her_status_page(decision):
    from applications.tasks import send_application_mail

    application = applicant(ended_cohort(END), decision, agreed=False)
    mentor = MentorApplicationFactory(cohort=application.cohort, state=decision)
    send_application_mail(application_id=application.pk, kind=f"decision_{decision}")
    send_application_mail(application_id=mentor.pk, kind=f"decision_{decision}")
    to_mentee, to_mentor = mail.outbox
    assert f"{settings.SITE_URL}/bewerbung/#nachbefragung" in to_mentee.body
    assert "6, 12 und 24 Monate danach" in to_mentee.body
    assert "#nachbefragung" not in to_mentor.body


@pytest.mark.parametrize("decision", ["accepted", "waitlisted", "rejected"])
def test_the_decision_mail_does_not_ask_one_who_agreed_already(decision):
    from applications.tasks import send_application_mail

    application = applicant(ended_cohort(END), decision, agreed=True)
    send_application_mail(application_id=application.pk, kind=f"decision_{decision}")
    assert "#nachbefragung" not in mail.outbox[0].body
    assert "6, 12 und 24 Monate danach" not in mail.outbox[0].body


# Her data ----------------------------------------------------------------------------------


def test_her_data_export_holds_her_follow_up_answers(cohort):
    from applications.personal_data import personal_data

    application = applicant(cohort)
    answer = follow_up_answer(
        application=application,
        wave=FollowUpWave.MONTHS_6,
        steps=[CareerStepKind.PROMOTION, CareerStepKind.LEADERSHIP],
        month=dt.date(2026, 8, 1),
    )
    sections = {section.key: section for section in personal_data(user=application.applicant)}
    assert sections["follow_up_answers"].data == [
        {
            "application": application.pk,
            "wave": "6",
            "answered_at": answer.answered_at,
            "steps": ["leadership", "promotion"],
        }
    ]
    assert len(sections["career_steps"].data) == 2
