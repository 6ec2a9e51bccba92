"""The accessibility statement (§ 12b BGG, BITV NRW), its feedback form and Leichte Sprache."""

import datetime

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.db import connection
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import reverse

from mentoring.enums import Conformity
from mentoring.models import AccessibilityFeedback, AccessibilityStatement
from mentoring.tasks import send_accessibility_feedback
from tests.factories import BeiratMembershipFactory, ProgrammeOfficeFactory, UserFactory

pytestmark = pytest.mark.django_db

FEEDBACK = reverse("accessibility_feedback")


def test_statement_without_a_saved_row_shows_the_legal_parts(client, settings):
    settings.ACCESSIBILITY_CONTACT_EMAIL = "barrieren@kreis.example.org"
    html = client.get(reverse("accessibility")).content.decode()
    assert "teilweise vereinbar" in html
    assert "Nicht barrierefreie Inhalte und Alternativen" in html
    assert "Die Erklärung wurde zuletzt am" in html
    assert 'href="https://www.schlichtungsstelle-bgg.de/"' in html
    assert "Ombudsstelle für barrierefreie Informationstechnik" in html
    assert "mailto:barrieren@kreis.example.org" in html
    assert f'href="{FEEDBACK}"' in html
    assert f'href="{reverse("easy_language")}"' in html
    # Showing the defaults writes nothing.
    assert not AccessibilityStatement.objects.exists()


def test_statement_shows_what_the_office_wrote_escaped(client):
    AccessibilityStatement.objects.create(
        conformity=Conformity.FULL,
        known_barriers="Videos ohne Untertitel <script>alert(1)</script>\n\nPDF-Formulare",
        reviewed_on=datetime.date(2026, 9, 1),
        contact_name="Programmbüro Emscher-Lippe",
        contact_email="pb@example.org",
        ombudsperson="",
    )
    html = client.get(reverse("accessibility")).content.decode()
    assert "vollständig vereinbar" in html
    assert "<li>Videos ohne Untertitel &lt;script&gt;alert(1)&lt;/script&gt;</li>" in html
    assert "<li>PDF-Formulare</li>" in html
    assert "1. September 2026" in html
    assert "Ombudsstelle für barrierefreie Informationstechnik" not in html


def test_every_page_links_to_the_feedback_form_with_its_own_path(client):
    html = client.get(reverse("privacy")).content.decode()
    assert f'href="{FEEDBACK}?seite=/datenschutz/"' in html
    assert f'href="{reverse("easy_language")}"' in html


def test_feedback_form_is_prefilled_and_a_get_writes_nothing(client):
    user = UserFactory(first_name="Lea", last_name="Sommer", email="lea@example.org")
    client.force_login(user)
    response = client.get(FEEDBACK, {"seite": "/bewerbung/"})
    form = response.context["form"]
    assert form.initial == {"page": "/bewerbung/", "name": "Lea Sommer", "email": "lea@example.org"}
    assert not AccessibilityFeedback.objects.exists()
    assert mail.outbox == []


def test_feedback_with_errors_keeps_the_text_and_says_so_at_the_field(client):
    response = client.post(
        FEEDBACK, {"name": "A", "email": "keine-adresse", "message": "Der Knopf ist unsichtbar."}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "<title>Fehler:" in html
    assert 'href="#id_email"' in html
    assert "Der Knopf ist unsichtbar." in html
    assert not AccessibilityFeedback.objects.exists()


def test_feedback_is_stored_forwarded_and_confirmed_once(
    client, settings, django_capture_on_commit_callbacks
):
    settings.ACCESSIBILITY_CONTACT_EMAIL = "barrieren@kreis.example.org"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            FEEDBACK,
            {
                "name": "Ida Blum",
                "email": "ida@example.org",
                "message": "Die Tabelle auf dem Handy lässt sich nicht lesen.",
                "page": "/tandem/3/",
            },
        )
    assert response.status_code == 302
    assert response["Location"] == reverse("accessibility_feedback_sent")
    feedback = AccessibilityFeedback.objects.get()
    assert (feedback.page, feedback.language) == ("/tandem/3/", "de")
    assert feedback.forwarded_at and feedback.confirmed_at
    forwarded, confirmation = mail.outbox
    assert forwarded.to == ["barrieren@kreis.example.org"]
    assert forwarded.reply_to == ["ida@example.org"]
    assert "Die Tabelle auf dem Handy lässt sich nicht lesen." in forwarded.body
    assert "/tandem/3/" in forwarded.subject
    assert confirmation.to == ["ida@example.org"]
    assert "Guten Tag Ida Blum," in confirmation.body

    # The task running again (a redelivery) sends neither mail a second time.
    send_accessibility_feedback(feedback.pk)
    assert len(mail.outbox) == 2


class DyingServer(EmailBackend):
    """The worker is killed while the mail server has the message."""

    def send_messages(self, messages):
        raise SystemExit("worker killed")


def test_a_worker_killed_while_forwarding_leaves_both_mails_to_the_next_delivery(settings):
    settings.ACCESSIBILITY_CONTACT_EMAIL = "barrieren@kreis.example.org"
    feedback = AccessibilityFeedback.objects.create(email="ida@example.org", message="Zu blass.")
    with (
        override_settings(EMAIL_BACKEND=f"{__name__}.DyingServer"),
        pytest.raises(SystemExit),
    ):
        send_accessibility_feedback(feedback.pk)
    feedback.refresh_from_db()
    # Nothing claims the mails: the killed worker's transaction ended with its connection.
    assert (feedback.forwarded_at, feedback.confirmed_at, mail.outbox) == (None, None, [])

    send_accessibility_feedback(feedback.pk)  # delivered again: the task is acknowledged late
    send_accessibility_feedback(feedback.pk)

    assert [message.to for message in mail.outbox] == [
        ["barrieren@kreis.example.org"],
        ["ida@example.org"],
    ]
    feedback.refresh_from_db()
    assert feedback.forwarded_at and feedback.confirmed_at


def test_feedback_page_from_outside_the_site_is_dropped(client):
    client.post(
        FEEDBACK,
        {"email": "ida@example.org", "message": "x", "page": "https://evil.example/"},
    )
    assert AccessibilityFeedback.objects.get().page == ""


def test_confirmation_goes_in_the_senders_language(client, django_capture_on_commit_callbacks):
    client.cookies["django_language"] = "en"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(FEEDBACK, {"email": "amy@example.org", "message": "Contrast too low."})
    assert AccessibilityFeedback.objects.get().language == "en"
    confirmation = next(m for m in mail.outbox if m.to == ["amy@example.org"])
    assert confirmation.subject == "Your feedback on accessibility has been received"


def test_only_the_programme_office_edits_the_statement_and_reads_reports(client):
    AccessibilityFeedback.objects.create(email="ida@example.org", message="x")
    client.force_login(BeiratMembershipFactory().user)
    assert client.get("/verwaltung/mentoring/accessibilityfeedback/").status_code == 403
    assert client.get("/verwaltung/mentoring/accessibilitystatement/add/").status_code == 403
    client.force_login(ProgrammeOfficeFactory())
    assert client.get("/verwaltung/mentoring/accessibilityfeedback/").status_code == 200
    response = client.get("/verwaltung/mentoring/accessibilitystatement/add/")
    assert response.status_code == 200
    assert response.context["adminform"].form.initial["contact_email"]


def test_feedback_list_in_the_admin_keeps_its_query_count(client):
    client.force_login(ProgrammeOfficeFactory())
    url = "/verwaltung/mentoring/accessibilityfeedback/"
    AccessibilityFeedback.objects.create(email="a@example.org", message="x")
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    AccessibilityFeedback.objects.bulk_create(
        AccessibilityFeedback(email=f"p{i}@example.org", message="x") for i in range(30)
    )
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(one)


def test_easy_language_page_explains_the_programme_and_how_to_apply(client):
    html = client.get(reverse("easy_language")).content.decode()
    assert "<h1>Mentoring für Frauen: in Leichter Sprache</h1>" in html
    assert "So bewerben Sie sich" in html
    assert "Der Lebens-Lauf muss eine PDF-Datei sein." in html
