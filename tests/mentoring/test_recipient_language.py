"""E-mails speak their recipient's language, dates included (issue 15).

Her language (``User.language``) is the one she registered in, or the one she last chose
with the language switch while logged in. A mail to an address without an account behind
it speaks the language of the page it was asked for on.
"""

import datetime as dt

import pytest
from django.core import mail
from django.utils import translation

from applications.enums import ApplicationState
from applications.tasks import send_application_mail
from mentoring.models import User
from mentoring.reminders import sweep
from tests.factories import (
    BERLIN,
    ApplicationFactory,
    UserFactory,
    WorkshopFactory,
    running_cohort,
)

pytestmark = pytest.mark.django_db


def invited(language):
    """An applicant invited to her selection interview on Tuesday, 12 January 2027."""
    return ApplicationFactory(
        state=ApplicationState.INTERVIEW,
        interview_at=dt.datetime(2027, 1, 12, 10, 30, tzinfo=BERLIN),
        interview_place="Rathaus Bottrop, Raum 204",
        name="Anna Muster",
        applicant__language=language,
    )


def lines(message, *starts):
    return [line for line in message.body.splitlines() if line.startswith(starts)]


def test_an_english_speaking_applicant_gets_her_invitation_in_english():
    application = invited("en")

    send_application_mail(application_id=application.pk, kind="interview")

    [message] = mail.outbox
    assert message.subject == "Invitation to a selection interview"
    assert message.body.startswith("Dear Anna Muster,")
    assert lines(message, "Date:", "Venue:") == [
        "Date: Tuesday, 12 January 2027, 10:30 (German time)",
        "Venue: Rathaus Bottrop, Raum 204",
    ]
    [(_name, ics, _type)] = message.attachments
    assert "SUMMARY:Selection interview: " in ics


def test_a_german_speaking_applicant_gets_hers_in_german_whatever_the_sender_reads():
    application = invited("de")

    # As if the officer who set the date was reading in English: the mail is still hers.
    with translation.override("en"):
        send_application_mail(application_id=application.pk, kind="interview")

    [message] = mail.outbox
    assert message.subject == "Einladung zum Auswahlgespräch"
    assert lines(message, "Termin:", "Ort:") == [
        "Termin: Dienstag, 12. Januar 2027, 10:30 Uhr",
        "Ort: Rathaus Bottrop, Raum 204",
    ]
    [(_name, ics, _type)] = message.attachments
    assert "SUMMARY:Auswahlgespräch: " in ics


def test_reminders_speak_each_recipients_language():
    workshop = WorkshopFactory(
        cohort=running_cohort(), date=dt.date(2026, 6, 16), title="Zwischenbilanz"
    )
    english = ApplicationFactory(
        cohort=workshop.cohort, accepted=True, applicant__language="en"
    ).applicant
    german = ApplicationFactory(
        cohort=workshop.cohort, accepted=True, applicant__language="de"
    ).applicant

    sweep(now=dt.datetime(2026, 6, 15, 7, 0, tzinfo=BERLIN))

    subjects = {message.to[0]: message.subject for message in mail.outbox}
    assert subjects == {
        english.email: "Reminder: Zwischenbilanz on 16 June 2026",
        german.email: "Erinnerung: Zwischenbilanz am 16. Juni 2026",
    }


# Where her language comes from ----------------------------------------------------------


def register(client, email, language):
    client.cookies["django_language"] = language
    return client.post(
        "/konto/registrieren/",
        {
            "first_name": "Anna",
            "last_name": "Muster",
            "email": email,
            "password1": "sehr-geheimes-Passwort-7",
            "password2": "sehr-geheimes-Passwort-7",
        },
    )


def test_registering_in_english_makes_english_her_language(client):
    register(client, "neu@example.org", "en")

    assert User.objects.get(email="neu@example.org").language == "en"
    assert [message.subject for message in mail.outbox] == ["Please confirm your email address"]


def test_registering_in_german_keeps_german(client):
    register(client, "neu@example.org", "de")

    assert User.objects.get(email="neu@example.org").language == "de"
    assert [message.subject for message in mail.outbox] == [
        "Bitte bestätigen Sie Ihre E-Mail-Adresse"
    ]


def test_a_second_registration_is_answered_in_the_language_of_the_form(client):
    known = UserFactory(email="bekannt@example.org", language="de")

    register(client, "bekannt@example.org", "en")

    assert [message.subject for message in mail.outbox] == ["You already have an account"]
    known.refresh_from_db()
    assert known.language == "de"


def switch(client, language, method="post"):
    return getattr(client, method)("/i18n/setlang/", {"language": language, "next": "/konto/"})


def test_the_language_switch_keeps_a_logged_in_persons_choice(client):
    user = UserFactory(language="de")
    client.force_login(user)

    response = switch(client, "en")

    assert (response.status_code, response["Location"]) == (302, "/konto/")
    assert response.cookies["django_language"].value == "en"
    user.refresh_from_db()
    assert user.language == "en"
    page = client.get("/konto/").content.decode()
    assert 'Language of your emails and documents</dt><dd class="col-sm-9">English' in page


@pytest.mark.parametrize(
    ("method", "language"), [("get", "en"), ("post", "fr"), ("post", ""), ("post", "x" * 500)]
)
def test_the_switch_keeps_nothing_on_a_get_or_for_a_language_we_do_not_offer(
    client, method, language
):
    user = UserFactory(language="de")
    client.force_login(user)

    response = switch(client, language, method)

    assert response.status_code == 302
    user.refresh_from_db()
    assert user.language == "de"


def test_the_switch_works_without_an_account(client):
    response = switch(client, "en")

    assert (response.status_code, response.cookies["django_language"].value) == (302, "en")
