"""A failed answer to a workshop is summed up at the top of her page, linked to its field."""

import pytest
from django.urls import reverse

from tests.forms_html import summary_links, title

pytestmark = pytest.mark.django_db


def test_a_no_without_reason_is_summed_up_and_linked(client, world):
    workshop = world["workshop"]
    client.force_login(world["mentee"].applicant)
    prefix = f"w{workshop.pk}"
    response = client.post(
        reverse("workshops:rsvp", kwargs={"pk": workshop.pk}), {f"{prefix}-answer": "no"}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert title(page).startswith("Fehler: Meine Workshops")
    assert summary_links(page) == [
        (f"#id_{prefix}-reason", "Grund der Absage: Bitte nennen Sie den Grund Ihrer Absage.")
    ]


def test_a_missing_answer_links_to_the_first_choice(client, world):
    workshop = world["workshop"]
    client.force_login(world["mentee"].applicant)
    prefix = f"w{workshop.pk}"
    response = client.post(reverse("workshops:rsvp", kwargs={"pk": workshop.pk}), {})
    page = response.content.decode()
    assert [href for href, _ in summary_links(page)] == [f"#id_{prefix}-answer_0"]
