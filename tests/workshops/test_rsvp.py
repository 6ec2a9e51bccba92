"""Participants answer whether they come; a "no" needs a reason."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from applications.enums import ApplicationState
from tests.factories import ApplicationFactory, UpcomingWorkshopFactory
from workshops import services
from workshops.enums import Invitees, RsvpAnswer
from workshops.models import Rsvp

pytestmark = pytest.mark.django_db


def answer(client, workshop, **data):
    prefix = f"w{workshop.pk}"
    return client.post(
        reverse("workshops:rsvp", kwargs={"pk": workshop.pk}),
        {f"{prefix}-{key}": value for key, value in data.items()},
    )


def test_yes_is_saved_and_shown(client, world):
    workshop = world["workshop"]
    client.force_login(world["mentee"].applicant)

    response = answer(client, workshop, answer="yes")

    assert response.status_code == 302
    assert response["Location"] == f"/workshops/#workshop-{workshop.pk}"
    rsvp = Rsvp.objects.get()
    assert (rsvp.workshop, rsvp.application, rsvp.answer, rsvp.reason) == (
        workshop,
        world["mentee"],
        RsvpAnswer.YES,
        "",
    )
    page = client.get(reverse("workshops:mine")).content.decode()
    assert "Ich nehme teil." in page


def test_no_with_reason_is_saved_and_can_be_changed(client, world):
    workshop = world["workshop"]
    client.force_login(world["mentee"].applicant)

    answer(client, workshop, answer="no", reason="Dienstreise nach Berlin")
    assert Rsvp.objects.values_list("answer", "reason").get() == ("no", "Dienstreise nach Berlin")
    answer(client, workshop, answer="yes", reason="wird verworfen")
    assert Rsvp.objects.values_list("answer", "reason").get() == ("yes", "")


def test_no_without_reason_gives_a_german_error_at_the_field_and_keeps_the_input(client, world):
    workshop = world["workshop"]
    client.force_login(world["mentee"].applicant)

    response = answer(client, workshop, answer="no", reason="   ")

    assert response.status_code == 200
    form = response.context["workshops"][0].form
    assert form.errors == {"reason": ["Bitte nennen Sie den Grund Ihrer Absage."]}
    page = response.content.decode()
    assert f'<p id="error_1_id_w{workshop.pk}-reason"><strong>Bitte nennen' in page
    assert f'value="no"  id="id_w{workshop.pk}-answer_1" required checked>' in page
    assert Rsvp.objects.exists() is False


def test_the_database_refuses_a_no_without_reason(world):
    from django.db import IntegrityError

    with pytest.raises(IntegrityError):
        Rsvp.objects.create(
            workshop=world["workshop"], application=world["mentee"], answer=RsvpAnswer.NO
        )


def test_only_invited_participants_can_answer(client, world, outsider):
    mentors_only = UpcomingWorkshopFactory(cohort=world["cohort"], invitees=Invitees.MENTORS)
    other_cohort = UpcomingWorkshopFactory()
    waiting = ApplicationFactory(cohort=world["cohort"], state=ApplicationState.WAITLISTED)

    client.force_login(world["mentee"].applicant)
    assert answer(client, mentors_only, answer="yes").status_code == 404
    assert answer(client, other_cohort, answer="yes").status_code == 404
    client.force_login(waiting.applicant)
    assert answer(client, world["workshop"], answer="yes").status_code == 404
    client.force_login(outsider)
    assert answer(client, world["workshop"], answer="yes").status_code == 404
    client.logout()
    assert answer(client, world["workshop"], answer="yes").status_code == 302
    assert Rsvp.objects.exists() is False


def test_a_past_workshop_takes_no_more_answers(world):
    workshop = UpcomingWorkshopFactory(
        cohort=world["cohort"], date=timezone.localdate() - dt.timedelta(days=1)
    )
    with pytest.raises(services.WorkshopError, match="bereits stattgefunden"):
        services.rsvp_answer(
            workshop=workshop,
            application=world["mentee"],
            answer=RsvpAnswer.YES,
            actor=world["mentee"].applicant,
        )


def test_her_page_lists_only_her_workshops(client, world):
    UpcomingWorkshopFactory(
        cohort=world["cohort"], invitees=Invitees.MENTORS, title="Mentorenrunde"
    )
    UpcomingWorkshopFactory(cohort=world["cohort"], invitees=Invitees.MENTEES, title="Menteerunde")
    UpcomingWorkshopFactory(title="Anderer Jahrgang")

    client.force_login(world["mentee"].applicant)
    titles = [w.title for w in client.get(reverse("workshops:mine")).context["workshops"]]
    assert sorted(titles) == ["Menteerunde", "Zwischenworkshop"]
    client.force_login(world["mentor"].applicant)
    titles = [w.title for w in client.get(reverse("workshops:mine")).context["workshops"]]
    assert sorted(titles) == ["Mentorenrunde", "Zwischenworkshop"]
