"""Scores, comment and a proposed decision on the application's own page in the admin.

Also: the page of an application nobody can act on any more is one to read, each role is
offered only the list actions it may use, and the others' scores follow one rule on the
page, in the list and in the CSV export.
"""

import csv
import io
import re

import pytest
from django.contrib.messages import get_messages
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from applications import services
from applications.enums import ApplicationLogAction, ApplicationState, Decision
from applications.models import Application, Review
from applications.selectors import annotate_review_summary, sees_others_reviews
from cohorts.enums import BeiratRole
from tests.factories import (
    ApplicationFactory,
    BeiratMembershipFactory,
    CohortOrganisationFactory,
    OrganisationFactory,
    ProgrammeOfficeFactory,
    ReviewCriterionFactory,
)

pytestmark = pytest.mark.django_db

LIST_URL = "/verwaltung/applications/application/"


@pytest.fixture
def case():
    application = ApplicationFactory(
        state=ApplicationState.SUBMITTED,
        submitted_at=timezone.now(),
        organisation=OrganisationFactory(name="Stadt Bottrop"),
    )
    cohort = application.cohort
    CohortOrganisationFactory(cohort=cohort, organisation=application.organisation)
    criteria = [
        ReviewCriterionFactory(cohort=cohort, name="Motivation", position=1),
        ReviewCriterionFactory(cohort=cohort, name="Entwicklungspotenzial", position=2),
    ]
    programme = cohort.programme
    bottrop = application.organisation
    kreis = OrganisationFactory(name="Kreis Recklinghausen")
    gladbeck = OrganisationFactory(name="Stadt Gladbeck")
    member = BeiratMembershipFactory(
        programme=programme, organisation=bottrop, user__first_name="Nicole"
    ).user
    return {
        "application": application,
        "criteria": criteria,
        "officer": member,
        "colleague": BeiratMembershipFactory(
            programme=programme, organisation=bottrop, user__last_name="Kollegin"
        ).user,
        "chair": BeiratMembershipFactory(
            programme=programme, organisation=kreis, role=BeiratRole.CHAIR
        ).user,
        "stranger": BeiratMembershipFactory(programme=programme, organisation=gladbeck).user,
        "office": ProgrammeOfficeFactory(),
    }


def page_url(application):
    return f"{LIST_URL}{application.pk}/change/"


def form_data(case, scores=(), **fields):
    """What the page's form posts: her scores (in criteria order) and the other fields."""
    application = Application.objects.get(pk=case["application"].pk)
    data = {
        "pending_seen": application.pending_decision,
        "comment": "",
        "decision": "",
        "reason": "",
        "interview_at": "",
        "interview_place": "",
        "changes_note": "",
        "_review_save": "Speichern",
    }
    for criterion, value in zip(case["criteria"], scores, strict=False):
        data[f"score_{criterion.pk}"] = str(value)
    data.update(fields)
    return data


def post(client, case, user, scores=(), **fields):
    client.force_login(user)
    return client.post(page_url(case["application"]), form_data(case, scores, **fields))


def messages_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def field_errors(html, name):
    """The error messages shown in the form row of field ``name``."""
    row = re.search(rf'<div class="form-row errors field-{name}">(.*?)</ul>', html, flags=re.DOTALL)
    if row is None:
        return []
    return [
        re.sub(r"\s+", " ", text).strip()
        for text in re.findall(r"<li>(.*?)</li>", row.group(1), flags=re.DOTALL)
    ]


def list_cell(html, column):
    """The text of ``column`` in the list's only row."""
    cells = re.findall(rf'<td class="field-{column}[^"]*">(.*?)</td>', html, flags=re.DOTALL)
    assert len(cells) == 1, cells
    return re.sub(r"<[^>]+>", " ", cells[0]).split()


def summary(html, label):
    """The value next to ``label`` in the page's summary at the top."""
    match = re.search(rf"<dt>{label}</dt><dd>(.*?)</dd>", html, flags=re.DOTALL)
    return match.group(1).strip() if match else None


def export(client, user, application):
    client.force_login(user)
    response = client.post(
        LIST_URL, {"action": "export_csv", "_selected_action": [application.pk], "index": "0"}
    )
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    return dict(zip(rows[0], rows[1], strict=True))


# Scores and decisions on the page ---------------------------------------------------------


def test_the_page_of_an_application_under_review_offers_scores_and_a_decision(client, case):
    client.force_login(case["officer"])
    html = client.get(page_url(case["application"])).content.decode()
    assert "<h1>Bewerbung bewerten</h1>" in html
    assert 'name="_review_save"' in html
    assert f'name="score_{case["criteria"][0].pk}"' in html
    assert 'value="rejected"' in html
    assert 'value="interview"' in html
    # Django's own save of the fields is not offered: everything goes through the form.
    assert 'name="_save"' not in html
    assert 'class="object-tools"' not in html


def test_her_scores_and_comment_are_saved_and_start_the_review(client, case):
    response = post(client, case, case["officer"], [4, 5], comment="Stark motiviert.")
    assert response.status_code == 302
    assert response["Location"] == page_url(case["application"])
    assert messages_of(response) == ["Ihre Bewertung ist gespeichert."]
    review = Review.objects.get()
    assert (review.reviewer, str(review.mean_score), review.comment) == (
        case["officer"],
        "4.50",
        "Stark motiviert.",
    )
    case["application"].refresh_from_db()
    assert case["application"].state == ApplicationState.IN_REVIEW


def test_saving_her_unchanged_review_again_changes_nothing(client, case):
    post(client, case, case["officer"], [4, 5], comment="Stark motiviert.")
    updated = Review.objects.get().updated_at
    client.force_login(case["officer"])
    html = client.get(page_url(case["application"])).content.decode()
    assert "Stark motiviert.</textarea>" in html  # her review, ready to change
    response = post(client, case, case["officer"], [4, 5], comment="Stark motiviert.")
    assert messages_of(response) == [
        "Es gab nichts Neues zu speichern: Ihre Bewertung ist unverändert."
    ]
    assert Review.objects.get().updated_at == updated


def test_scores_and_a_decision_with_reason_are_recorded_in_one_go(client, case):
    response = post(
        client,
        case,
        case["officer"],
        [2, 1],
        comment="Passt nicht.",
        decision=Decision.REJECTED,
        reason="Zu wenig Erfahrung im Sachgebiet.",
    )
    assert response.status_code == 302
    assert messages_of(response) == [
        "Ihre Bewertung ist gespeichert.",
        "„ablehnen“ ist vorgemerkt. Die Bewerberin erfährt die Entscheidung erst mit dem "
        "Versand der Entscheidungen.",
    ]
    application = Application.objects.get(pk=case["application"].pk)
    assert (application.state, application.pending_decision, application.decision_reason) == (
        ApplicationState.IN_REVIEW,
        Decision.REJECTED,
        "Zu wenig Erfahrung im Sachgebiet.",
    )
    assert list(application.log.order_by("pk").values_list("action", "to_state")) == [
        (ApplicationLogAction.TRANSITION, ApplicationState.IN_REVIEW),
        (ApplicationLogAction.DECISION_RECORDED, Decision.REJECTED),
    ]
    assert mail.outbox == []  # a decision reaches her only when released


def test_a_decision_alone_needs_no_scores(client, case):
    response = post(client, case, case["officer"], decision=Decision.WAITLISTED, reason="Knapp.")
    assert response.status_code == 302
    application = Application.objects.get(pk=case["application"].pk)
    assert (application.pending_decision, Review.objects.count()) == (Decision.WAITLISTED, 0)


def test_a_decision_without_reason_is_an_error_at_the_reason_and_keeps_what_she_typed(client, case):
    response = post(
        client, case, case["officer"], [3, 4], comment="Mein Entwurf", decision=Decision.ACCEPTED
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert field_errors(html, "reason") == ["Bitte begründen Sie die Entscheidung."]
    assert "Mein Entwurf</textarea>" in html
    assert re.search(r'value="accepted"[^>]*checked', html)
    assert re.search(rf'name="score_{case["criteria"][1].pk}" value="4"[^>]*checked', html)
    assert "<h1>Bewerbung bewerten</h1>" in html
    assert (Review.objects.count(), Application.objects.get().pending_decision) == (0, "")


def test_half_the_scores_is_an_error_at_the_missing_criterion(client, case):
    response = post(client, case, case["officer"], [3], comment="Halb fertig")
    html = response.content.decode()
    assert field_errors(html, f"score_{case['criteria'][1].pk}") == [
        "Bitte bewerten Sie auch dieses Kriterium."
    ]
    assert field_errors(html, f"score_{case['criteria'][0].pk}") == []
    assert "Halb fertig</textarea>" in html
    assert not Review.objects.exists()


def test_an_empty_form_says_what_is_missing(client, case):
    response = post(client, case, case["officer"])
    assert response.status_code == 200
    assert (
        "Bitte bewerten Sie die Bewerbung oder schlagen Sie eine Entscheidung vor."
        in response.content.decode()
    )


def test_a_refused_decision_saves_nothing_and_says_why_at_the_decision(client, case):
    programme = case["application"].cohort.programme
    programme.interview_required = True
    programme.save()
    response = post(
        client,
        case,
        case["officer"],
        [5, 5],
        comment="Sehr überzeugend",
        decision=Decision.ACCEPTED,
        reason="Beste Bewerbung.",
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert field_errors(html, "decision") == [
        "In diesem Programm werden Mentees erst nach einem Auswahlgespräch angenommen. Bitte "
        "laden Sie die Bewerberin zuerst zum Auswahlgespräch ein."
    ]
    assert "Sehr überzeugend</textarea>" in html
    assert "Beste Bewerbung.</textarea>" in html
    # Her review was part of the same save: nothing of it is stored.
    application = Application.objects.get()
    assert (Review.objects.count(), application.state, application.pending_decision) == (
        0,
        ApplicationState.SUBMITTED,
        "",
    )


def test_an_invitation_is_mailed_with_date_and_place(
    client, case, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = post(
            client,
            case,
            case["officer"],
            decision="interview",
            interview_at="2026-09-14T10:30",
            interview_place="Rathaus Bottrop, Raum 204",
        )
    assert response.status_code == 302
    application = Application.objects.get()
    assert (application.state, application.interview_place) == (
        ApplicationState.INTERVIEW,
        "Rathaus Bottrop, Raum 204",
    )
    assert len(mail.outbox) == 1
    assert "Rathaus Bottrop, Raum 204" in mail.outbox[0].body


def test_an_invitation_without_date_and_place_is_an_error_at_each(client, case):
    html = post(client, case, case["officer"], decision="interview").content.decode()
    assert field_errors(html, "interview_at") == ["Bitte geben Sie den Termin des Gesprächs an."]
    assert field_errors(html, "interview_place") == ["Bitte geben Sie den Ort des Gesprächs an."]


INVALID_DATE = "Bitte geben Sie Datum und Uhrzeit an, zum Beispiel 14.09.2026 10:30."


@pytest.mark.parametrize(
    ("value", "error"),
    [
        (
            "2062-09-14T10:30",
            "Bitte wählen Sie einen Termin zwischen dem 01.01.2025 und dem 31.12.2027 "
            "(Jahrgang 2026).",
        ),
        (
            "0001-01-01T00:00",
            "Bitte wählen Sie einen Termin zwischen dem 01.01.2025 und dem 31.12.2027 "
            "(Jahrgang 2026).",
        ),
        (
            "9999-12-31T23:59",
            "Bitte wählen Sie einen Termin zwischen dem 01.01.2025 und dem 31.12.2027 "
            "(Jahrgang 2026).",
        ),
        ("2026-02-30T10:00", INVALID_DATE),
        ("morgen früh", INVALID_DATE),
    ],
)
def test_a_wrong_interview_date_is_an_error_at_the_date(client, case, value, error):
    response = post(
        client,
        case,
        case["officer"],
        decision="interview",
        interview_at=value,
        interview_place="Rathaus",
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert field_errors(html, "interview_at") == [error]
    assert 'value="Rathaus"' in html
    assert Application.objects.get().state == ApplicationState.SUBMITTED


@pytest.mark.parametrize(
    "hostile",
    [
        {"decision": "bogus"},
        {"score": "6"},
        {"score": "drei"},
        {"pending_seen": "x" * 5000, "decision": "clear"},
        {"reason": "\x00", "decision": "rejected"},
        {"comment": "<script>alert(1)</script>" * 400},
        {"interview_at": ["2026-09-14T10:30", "x"], "decision": "interview"},
        {"interview_place": "R" * 500, "interview_at": "2026-09-14T10:30", "decision": "interview"},
    ],
)
def test_hostile_input_is_an_error_never_a_server_error(client, case, hostile):
    data = form_data(case, [4, 4])
    for name, value in hostile.items():
        data[f"score_{case['criteria'][0].pk}" if name == "score" else name] = value
    client.force_login(case["officer"])
    response = client.post(page_url(case["application"]), data)
    assert response.status_code == 200
    assert "<script>alert" not in response.content.decode()
    assert (Review.objects.count(), Application.objects.get().state) == (
        0,
        ApplicationState.SUBMITTED,
    )


@pytest.mark.parametrize("name", ["decision", "score"])
def test_a_doubled_field_counts_once_with_its_last_value(client, case, name):
    data = form_data(case, [4, 4], reason="Knapp.")
    if name == "decision":
        data["decision"] = ["accepted", "waitlisted"]
    else:
        data[f"score_{case['criteria'][0].pk}"] = ["1", "5"]
    client.force_login(case["officer"])
    assert client.post(page_url(case["application"]), data).status_code == 302
    application = Application.objects.get()
    expected = ("4.00", Decision.WAITLISTED) if name == "decision" else ("4.50", "")
    assert (str(Review.objects.get().mean_score), application.pending_decision) == expected


def test_a_request_for_changes_is_mailed_with_the_note(
    client, case, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = post(
            client, case, case["officer"], decision="changes", changes_note="Bitte Zeugnis."
        )
    assert response.status_code == 302
    application = Application.objects.get()
    assert (application.state, application.changes_requested_note) == (
        ApplicationState.CHANGES_REQUESTED,
        "Bitte Zeugnis.",
    )
    assert len(mail.outbox) == 1


def test_a_request_for_changes_without_note_is_an_error_at_the_note(client, case):
    html = post(client, case, case["officer"], decision="changes").content.decode()
    assert field_errors(html, "changes_note") == [
        "Bitte schreiben Sie, was korrigiert werden soll."
    ]


def test_she_replaces_the_pending_decision_she_has_seen(client, case):
    services.application_record_decision(
        application=case["application"],
        actor=case["colleague"],
        decision=Decision.ACCEPTED,
        reason="Gut.",
    )
    client.force_login(case["officer"])
    html = client.get(page_url(case["application"])).content.decode()
    assert "Vormerkung „annehmen“ beibehalten" in html
    response = post(client, case, case["officer"], decision=Decision.REJECTED, reason="Doch nicht.")
    assert response.status_code == 302
    application = Application.objects.get()
    assert (application.pending_decision, application.decision_reason) == (
        Decision.REJECTED,
        "Doch nicht.",
    )


def test_a_pending_decision_set_meanwhile_is_not_overwritten(client, case):
    data = form_data(case, decision=Decision.REJECTED, reason="Nein.")  # seen: none pending
    services.application_record_decision(
        application=case["application"], actor=case["colleague"], decision=Decision.ACCEPTED
    )
    client.force_login(case["officer"])
    response = client.post(page_url(case["application"]), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert field_errors(html, "decision") == [
        "Die vorgemerkte Entscheidung hat sich inzwischen geändert (jetzt: „annehmen“). "
        "Bitte prüfen Sie Ihre Wahl."
    ]
    assert 'name="pending_seen" value="accepted"' in html
    assert Application.objects.get().pending_decision == Decision.ACCEPTED


def test_she_lifts_a_pending_decision(client, case):
    services.application_record_decision(
        application=case["application"], actor=case["colleague"], decision=Decision.ACCEPTED
    )
    response = post(client, case, case["officer"], decision="clear")
    assert messages_of(response) == ["Die vorgemerkte Entscheidung ist aufgehoben."]
    assert Application.objects.get().pending_decision == ""


def test_save_and_next_opens_the_next_application_without_her_score(client, case):
    following = ApplicationFactory(
        cohort=case["application"].cohort,
        organisation=case["application"].organisation,
        state=ApplicationState.SUBMITTED,
        submitted_at=timezone.now(),
    )
    response = post(client, case, case["officer"], [3, 3], _review_next="1")
    assert response["Location"] == page_url(following)
    data = form_data({**case, "application": following}, [4, 4], _review_next="1")
    response = client.post(page_url(following), data)
    assert response["Location"] == LIST_URL
    assert messages_of(response)[-1] == "Sie haben alle offenen Bewerbungen bewertet."


# A page to read --------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["officer", "chair", "office"])
def test_a_decided_application_is_a_page_to_read(client, case, who):
    application = case["application"]
    application.state = ApplicationState.ACCEPTED
    application.save()
    client.force_login(case[who])
    html = client.get(page_url(application)).content.decode()
    assert "<h1>Bewerbung ansehen</h1>" in html
    assert "<title>" in html and "Bewerbung ansehen |" in html
    for control in ('name="_save"', 'name="_continue"', 'name="_review_save"', "object-tools"):
        assert control not in html
    assert 'class="closelink"' in html


def test_the_chair_of_another_administration_reads_a_decided_application(client, case):
    """The chair (Kreis Recklinghausen) sees the Bottrop application; decided, she reads it."""
    application = case["application"]
    application.state = ApplicationState.REJECTED
    application.save()
    client.force_login(case["chair"])
    html = client.get(page_url(application)).content.decode()
    assert "<h1>Bewerbung ansehen</h1>" in html
    assert application.applicant.get_full_name() in html


def test_a_member_of_another_administration_does_not_find_the_application(client, case):
    client.force_login(case["stranger"])
    response = client.get(page_url(case["application"]))
    assert response.status_code == 302
    assert response["Location"] == "/verwaltung/"
    response = post(client, case, case["stranger"], [5, 5], decision=Decision.ACCEPTED, reason="x")
    assert response.status_code == 302
    assert (Review.objects.count(), Application.objects.get().pending_decision) == (0, "")


def test_posting_to_a_page_to_read_changes_nothing(client, case):
    application = case["application"]
    application.state = ApplicationState.WITHDRAWN
    application.save()
    response = post(client, case, case["officer"], [5, 5], decision=Decision.ACCEPTED, reason="x")
    assert response.status_code == 302
    assert messages_of(response) == [
        "Diese Bewerbung wird nicht mehr bewertet (Status „zurückgezogen“)."
    ]
    assert Review.objects.count() == 0


def test_djangos_own_save_of_the_fields_is_refused(client, case):
    client.force_login(case["office"])
    response = client.post(page_url(case["application"]), {"_save": "Sichern", "state": "draft"})
    assert response.status_code == 403
    assert Application.objects.get().state == ApplicationState.SUBMITTED


# Actions per role ------------------------------------------------------------------------


def offered_actions(client, user):
    client.force_login(user)
    html = client.get(LIST_URL).content.decode()
    select = re.search(r'<select name="action".*?</select>', html, flags=re.DOTALL).group(0)
    return [value for value in re.findall(r'<option value="([^"]*)"', select) if value]


COMMON_ACTIONS = [
    "start_review",
    "decide_accepted",
    "decide_waitlisted",
    "decide_rejected",
    "clear_decision",
]


def test_each_role_is_offered_only_the_actions_it_may_use(client, case):
    assert offered_actions(client, case["officer"]) == [*COMMON_ACTIONS, "export_csv"]
    assert offered_actions(client, case["chair"]) == [
        *COMMON_ACTIONS,
        "release_decisions",
        "export_csv",
    ]
    assert offered_actions(client, case["office"]) == [
        "delete_selected",
        *COMMON_ACTIONS,
        "release_decisions",
        "export_csv",
    ]


def test_a_member_cannot_start_the_release_by_posting_the_action(client, case):
    client.force_login(case["officer"])
    response = client.post(
        LIST_URL,
        {"action": "release_decisions", "_selected_action": [case["application"].pk], "index": 0},
    )
    assert response.status_code == 302
    assert "freigabe" not in response["Location"]


def test_a_chair_is_not_sent_to_the_release_of_a_cohort_she_does_not_chair(client, case):
    other = ApplicationFactory(
        state=ApplicationState.SUBMITTED,
        submitted_at=timezone.now(),
        organisation=OrganisationFactory(name="Kreis Recklinghausen"),
    )
    client.force_login(case["chair"])  # she sees her own administration's application
    response = client.post(
        LIST_URL, {"action": "release_decisions", "_selected_action": [other.pk], "index": 0}
    )
    assert response.status_code == 302
    assert response["Location"] == LIST_URL
    assert messages_of(response) == [
        f"Die Entscheidungen von {other.cohort} versendet die oder der Vorsitzende dieses "
        "Jahrgangs."
    ]


# One rule for the others' scores and comments --------------------------------------------


def test_the_others_scores_follow_one_rule_on_the_page_in_the_list_and_in_the_export(client, case):
    """Unequal scores: the colleague gives 2, the officer 5; mean 3,50 of 2 reviews."""
    application = case["application"]
    scores = {criterion.pk: 2 for criterion in case["criteria"]}
    services.review_save(
        application=application,
        reviewer=case["colleague"],
        scores=scores,
        comment="Kommentar der Kollegin",
    )
    client.force_login(case["officer"])

    # Before her own review: nothing of the colleague's, anywhere.
    html = client.get(page_url(application)).content.decode()
    assert "Kommentar der Kollegin" not in html
    assert "sobald Sie selbst bewertet haben" in html
    assert summary(html, "Ø Bewertung") == "nach eigener Bewertung"
    row = export(client, case["officer"], application)
    assert (row["Ø Bewertung"], row["Bewertungen"], row["meine Bewertung"], row["Kommentare"]) == (
        "nach eigener Bewertung",
        "1",
        "",
        "",
    )
    listing = client.get(LIST_URL).content.decode()
    assert list_cell(listing, "score_summary") == ["nach", "eigener", "Bewertung"]
    assert list_cell(listing, "own_score_column") == ["–"]

    services.review_save(
        application=application,
        reviewer=case["officer"],
        scores={criterion.pk: 5 for criterion in case["criteria"]},
        comment="Mein Kommentar",
    )

    # After it: the colleague's score and comment, and the mean of both, everywhere.
    html = client.get(page_url(application)).content.decode()
    assert "Kommentar der Kollegin" in html
    assert summary(html, "Ø Bewertung") == "3,50 (2)"
    assert summary(html, "Ihre Bewertung") == "5,00"
    row = export(client, case["officer"], application)
    assert (row["Ø Bewertung"], row["Bewertungen"], row["meine Bewertung"]) == ("3,50", "2", "5,00")
    assert row["Kommentare"] == (
        f"{case['colleague']}: Kommentar der Kollegin | {case['officer']}: Mein Kommentar"
    )
    listing = client.get(LIST_URL).content.decode()
    assert list_cell(listing, "score_summary") == ["3,50", "(2)"]
    assert list_cell(listing, "own_score_column") == ["5,00"]


def test_the_list_cannot_be_sorted_by_scores_she_may_not_see(client, case):
    hidden = case["application"]
    services.review_save(
        application=hidden,
        reviewer=case["colleague"],
        scores={criterion.pk: 5 for criterion in case["criteria"]},
    )
    rows = annotate_review_summary(
        queryset=Application.objects.filter(pk=hidden.pk), user=case["officer"]
    )
    assert [(row.review_count, row.review_mean, row.own_score) for row in rows] == [(1, None, None)]


@pytest.mark.parametrize(
    ("who", "hidden_until_own", "has_scored", "visible"),
    [
        ("officer", True, False, False),
        ("officer", True, True, True),
        ("officer", False, False, True),
        ("chair", True, False, False),
        ("chair", True, True, True),
        ("office", True, False, True),
    ],
)
def test_the_rule_for_the_others_reviews(case, who, hidden_until_own, has_scored, visible):
    application = case["application"]
    cohort = application.cohort
    cohort.reviews_hidden_until_own = hidden_until_own
    cohort.save()
    user = case[who]
    if has_scored:
        services.review_save(
            application=application,
            reviewer=user,
            scores={criterion.pk: 3 for criterion in case["criteria"]},
        )
    fresh = Application.objects.get(pk=application.pk)
    annotated = annotate_review_summary(
        queryset=Application.objects.filter(pk=application.pk), user=user
    )
    assert sees_others_reviews(user=user, application=fresh) == visible
    assert annotated.get().others_reviews_visible == visible
    assert user.has_perm("applications.see_others_reviews", fresh) == visible


# Queries ---------------------------------------------------------------------------------


def count_queries(client, url):
    client.get(url)  # warm per-process caches (content types), as a running worker has them
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    writes = [
        query["sql"]
        for query in captured
        if query["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
    ]
    assert writes == []  # a GET never writes
    return len(captured)


def add_reviews(case, count):
    programme = case["application"].cohort.programme
    for _ in range(count):
        reviewer = BeiratMembershipFactory(
            programme=programme, organisation=case["application"].organisation
        ).user
        services.review_save(
            application=case["application"],
            reviewer=reviewer,
            scores={criterion.pk: 4 for criterion in case["criteria"]},
            comment="Gut.",
        )


@pytest.mark.parametrize("who", ["officer", "office"])
def test_the_page_does_not_grow_with_reviews(client, case, who):
    client.force_login(case[who])
    services.review_save(
        application=case["application"],
        reviewer=case[who],
        scores={criterion.pk: 3 for criterion in case["criteria"]},
    )
    url = page_url(case["application"])
    add_reviews(case, 1)
    one = count_queries(client, url)
    add_reviews(case, 12)
    assert count_queries(client, url) == one


def test_the_list_does_not_grow_with_applications_or_reviews(client, case):
    client.force_login(case["officer"])
    add_reviews(case, 1)
    one = count_queries(client, LIST_URL)
    for _ in range(15):
        application = ApplicationFactory(
            cohort=case["application"].cohort,
            organisation=case["application"].organisation,
            state=ApplicationState.IN_REVIEW,
            submitted_at=timezone.now(),
        )
        services.application_record_decision(
            application=application, actor=case["colleague"], decision=Decision.WAITLISTED
        )
    add_reviews(case, 6)
    assert count_queries(client, LIST_URL) == one
