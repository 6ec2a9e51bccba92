"""The applicant's own flow: begin, save and submit once, withdraw (asked first), apply again."""

import datetime as dt
import threading
import time
from zoneinfo import ZoneInfo

import pytest
from django.contrib.messages import get_messages
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from applications import services
from applications.enums import ApplicationLogAction, ApplicationRole, ApplicationState
from applications.forms import MenteeApplicationForm
from applications.models import Application, ApplicationLog
from tests.concurrency import at_once
from tests.factories import (
    ApplicationFactory,
    BeiratMembershipFactory,
    CohortFactory,
    CohortOrganisationFactory,
    MenteeFormFactory,
    MentorApplicationFactory,
    OfficerFactory,
    UserFactory,
)

S = ApplicationState
BERLIN = ZoneInfo("Europe/Berlin")
NOT_EDITABLE = {
    S.SUBMITTED: (
        "Diese Bewerbung ist bereits eingereicht und kann nicht mehr geändert werden. Möchten "
        "Sie etwas ergänzen, wenden Sie sich bitte an Ihre Gleichstellungsbeauftragte."
    ),
    S.IN_REVIEW: (
        "Der Mentoringbeirat prüft diese Bewerbung; sie kann nicht mehr geändert werden. Sie "
        "erhalten eine E-Mail, sobald entschieden ist."
    ),
    S.INTERVIEW: (
        "Sie sind zu einem Auswahlgespräch eingeladen; die Bewerbung kann nicht mehr geändert "
        "werden. Was sich geändert hat, können Sie im Gespräch sagen."
    ),
    S.ACCEPTED: (
        "Diese Bewerbung ist angenommen und kann nicht mehr geändert werden. Haben sich Ihre "
        "Angaben geändert, teilen Sie es bitte Ihrer Gleichstellungsbeauftragten mit."
    ),
    S.WAITLISTED: (
        "Diese Bewerbung steht auf der Warteliste und kann nicht mehr geändert werden. Wird "
        "ein Platz frei, melden wir uns bei Ihnen."
    ),
    S.REJECTED: (
        "Über diese Bewerbung ist entschieden; sie kann nicht mehr geändert werden. Ihre "
        "Gleichstellungsbeauftragte bietet Ihnen gern ein Feedbackgespräch an."
    ),
}
WITHDRAWN_CLOSED = (
    "Sie haben diese Bewerbung zurückgezogen. Die Bewerbungsfrist für diesen Jahrgang ist "
    "abgelaufen; bewerben Sie sich gern für den nächsten Jahrgang."
)


def withdrawn_open(cohort):
    deadline = timezone.localtime(cohort.application_deadline, BERLIN)
    return (
        f"Sie haben diese Bewerbung zurückgezogen. Bis zum {deadline:%d.%m.%Y %H:%M} "
        "können Sie sich unter „Meine Bewerbungen“ erneut bewerben; Ihre Angaben bleiben "
        "erhalten."
    )


@pytest.fixture
def cohort():
    cohort = CohortFactory(programme__mentee_requirements="Sie arbeiten in einer Verwaltung.")
    CohortOrganisationFactory(cohort=cohort, organisation__name="Stadt Bottrop")
    return cohort


def in_state(state, **kwargs):
    submitted = None if state == S.DRAFT else timezone.now()
    return ApplicationFactory(state=state, submitted_at=submitted, **kwargs)


def closed(cohort):
    cohort.application_opens_at = timezone.now() - dt.timedelta(days=60)
    cohort.application_deadline = timezone.now() - dt.timedelta(minutes=1)
    cohort.save()
    return cohort


def apply_url(cohort, role="mentee"):
    return f"/bewerbung/{cohort.programme.slug}/jahrgang/{cohort.number}/{role}/"


def edit_url(application):
    return f"/bewerbung/{application.pk}/bearbeiten/"


def withdraw_url(application):
    return f"/bewerbung/{application.pk}/zurueckziehen/"


def messages_of(response):
    """The messages this response leaves for the next page (all of them: read, so gone)."""
    return [str(message) for message in get_messages(response.wsgi_request)]


def fresh(client):
    """Shows the pending messages once, so that the next response carries only its own."""
    client.get("/bewerbung/")


def transitions(application):
    return list(
        ApplicationLog.objects.filter(
            application=application, action=ApplicationLogAction.TRANSITION
        ).values_list("from_state", "to_state", "note")
    )


# Submitting once -----------------------------------------------------------------------------


@pytest.mark.postgres  # row locks: SQLite locks the whole file instead
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("offset_ms", [0, 5, 10, 20, 30, 50])
def test_a_double_click_on_submit_makes_one_submission_one_log_entry_and_one_email(offset_ms):
    """Two POSTs 0–50 ms apart, as a double click sends them, through the real view."""
    cohort = CohortFactory()
    organisation = CohortOrganisationFactory(cohort=cohort).organisation
    application = ApplicationFactory(cohort=cohort, organisation=organisation)
    clients = [Client(), Client()]
    for client in clients:
        client.force_login(application.applicant)
    data = MenteeFormFactory(organisation=application.organisation, submit="1")
    start = threading.Barrier(2)
    statuses = []

    def click(client, delay):
        try:
            start.wait(timeout=10)
            time.sleep(delay)
            statuses.append(client.post(edit_url(application), data).status_code)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=click, args=(clients[0], 0)),
        threading.Thread(target=click, args=(clients[1], offset_ms / 1000)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert statuses == [302, 302]
    application.refresh_from_db()
    assert application.state == S.SUBMITTED
    assert transitions(application) == [(S.DRAFT, S.SUBMITTED, "")]
    assert [message.to for message in mail.outbox] == [[application.applicant.email]]


def stale_form(cohort, motivation):
    """Her application, and the form on it as it was loaded before she submitted it
    (in another tab, say), with a new motivation typed in."""
    application = ApplicationFactory(cohort=cohort)
    stale = Application.objects.get(pk=application.pk)
    services.application_submit(application=application, actor=application.applicant)
    form = MenteeApplicationForm(
        MenteeFormFactory(organisation=stale.organisation, motivation=motivation),
        instance=stale,
        cohort=cohort,
    )
    assert form.is_valid(), form.errors
    return application, form


@pytest.mark.django_db
def test_the_form_never_writes_back_a_state_that_changed_meanwhile(cohort):
    application, form = stale_form(cohort, motivation="Neu")
    form.save()
    application.refresh_from_db()
    assert (application.state, application.motivation) == (S.SUBMITTED, "Neu")


@pytest.mark.django_db
def test_saving_answers_to_a_submitted_application_is_refused_and_saves_nothing(cohort):
    application, form = stale_form(cohort, motivation="Zu spät")
    stale = form.instance
    with pytest.raises(services.ApplicationNotEditable) as error:
        services.application_save_answers(
            application=stale, actor=stale.applicant, write_answers=form.save, submit=True
        )
    assert str(error.value) == NOT_EDITABLE[S.SUBMITTED]
    application.refresh_from_db()
    assert application.motivation == "Ich möchte Führungsverantwortung übernehmen."
    assert transitions(application) == [(S.DRAFT, S.SUBMITTED, "")]


@pytest.mark.django_db
def test_a_refused_submission_keeps_the_saved_answers(cohort):
    application = ApplicationFactory(cohort=cohort, cv="")
    form = MenteeApplicationForm(
        MenteeFormFactory(organisation=application.organisation, motivation="Gespeichert"),
        instance=application,
        cohort=cohort,
    )
    assert form.is_valid(), form.errors
    with pytest.raises(services.ApplicationError) as error:
        services.application_save_answers(
            application=application,
            actor=application.applicant,
            write_answers=form.save,
            submit=True,
        )
    assert str(error.value) == "Bitte ergänzen Sie vor dem Einreichen: Lebenslauf (PDF)."
    application.refresh_from_db()
    assert (application.state, application.motivation) == (S.DRAFT, "Gespeichert")


@pytest.mark.django_db
def test_a_second_click_on_submit_lands_on_the_status_page_with_what_happened(client, cohort):
    application = ApplicationFactory(cohort=cohort)
    client.force_login(application.applicant)
    data = MenteeFormFactory(organisation=application.organisation, submit="1")
    client.post(edit_url(application), data)
    fresh(client)
    second = client.post(edit_url(application), data)
    assert second["Location"] == "/bewerbung/"
    assert messages_of(second) == [NOT_EDITABLE[S.SUBMITTED]]
    assert transitions(application) == [(S.DRAFT, S.SUBMITTED, "")]


# The message for every state she can no longer change ---------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("state", sorted(NOT_EDITABLE))
def test_the_form_of_a_non_editable_application_says_its_state_and_what_she_can_do(
    client, cohort, state
):
    application = in_state(state, cohort=cohort)
    client.force_login(application.applicant)
    response = client.get(edit_url(application))
    assert response["Location"] == "/bewerbung/"
    assert messages_of(response) == [NOT_EDITABLE[state]]
    assert services.not_editable_message(application) == NOT_EDITABLE[state]


@pytest.mark.django_db
def test_the_form_of_a_withdrawn_application_offers_to_apply_again_while_the_call_is_open(
    client, cohort
):
    application = in_state(S.WITHDRAWN, cohort=cohort)
    client.force_login(application.applicant)
    response = client.get(edit_url(application))
    assert messages_of(response) == [withdrawn_open(cohort)]
    fresh(client)
    closed(cohort)
    response = client.get(edit_url(application))
    assert messages_of(response) == [WITHDRAWN_CLOSED]


# Beginning an application: a GET shows, a POST creates -----------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["participant", "officer"])
def test_opening_apply_shows_what_is_needed_and_creates_nothing(client, cohort, who):
    person = (
        UserFactory()
        if who == "participant"
        else BeiratMembershipFactory(programme=cohort.programme).user
    )
    client.force_login(person)
    response = client.get(apply_url(cohort))
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Bewerbung beginnen</h1>" in html
    assert '<button type="submit" class="btn btn-primary">Bewerbung beginnen</button>' in html
    assert "Lebenslauf und Motivationsanschreiben als PDF (je höchstens 5,0\xa0MB)" in html
    assert "<li>Sie arbeiten in einer Verwaltung.</li>" in html
    assert "<li>Stadt Bottrop</li>" in html
    assert Application.objects.count() == 0
    assert ApplicationLog.objects.count() == 0


@pytest.mark.django_db
def test_the_mentor_page_asks_for_leadership_not_documents(client, cohort):
    client.force_login(UserFactory())
    html = client.get(apply_url(cohort, "mentor")).content.decode()
    assert "Ihre Führungserfahrung" in html
    assert "Lebenslauf" not in html
    assert Application.objects.count() == 0


@pytest.mark.django_db
def test_beginning_creates_one_draft_and_a_second_click_reuses_it(client, cohort):
    user = UserFactory()
    client.force_login(user)
    first = client.post(apply_url(cohort))
    application = Application.objects.get()
    assert first["Location"] == edit_url(application)
    second = client.post(apply_url(cohort))
    assert second["Location"] == edit_url(application)
    assert Application.objects.count() == 1
    assert (application.applicant, application.role, application.state) == (
        user,
        ApplicationRole.MENTEE,
        S.DRAFT,
    )
    assert transitions(application) == [("", S.DRAFT, "")]


@pytest.mark.postgres  # the unique constraint decides between two inserts
@pytest.mark.django_db(transaction=True)
def test_two_clicks_on_begin_at_the_same_moment_make_one_draft():
    cohort = CohortFactory()
    user = UserFactory()
    begun, errors = at_once(
        lambda: (
            services.application_begin(
                cohort=cohort, applicant=user, role=ApplicationRole.MENTEE
            ).pk
        ),
        times=2,
    )
    application = Application.objects.get()
    assert (begun, errors) == ([application.pk, application.pk], [])
    assert transitions(application) == [("", S.DRAFT, "")]


@pytest.mark.django_db
def test_opening_apply_with_a_draft_leads_to_it(client, cohort):
    draft = ApplicationFactory(cohort=cohort)
    client.force_login(draft.applicant)
    assert client.get(apply_url(cohort))["Location"] == edit_url(draft)


@pytest.mark.django_db
def test_opening_apply_with_a_submitted_application_leads_to_the_status_page(client, cohort):
    application = in_state(S.SUBMITTED, cohort=cohort)
    client.force_login(application.applicant)
    for method in (client.get, client.post):
        response = method(apply_url(cohort))
        assert response["Location"] == "/bewerbung/"
        assert messages_of(response) == [NOT_EDITABLE[S.SUBMITTED]]
        fresh(client)
    assert Application.objects.get().state == S.SUBMITTED


@pytest.mark.django_db
def test_anonymous_people_go_to_registration_and_create_nothing(client, cohort):
    for method in (client.get, client.post):
        response = method(apply_url(cohort))
        assert response["Location"] == f"/konto/registrieren/?next={apply_url(cohort)}"
    assert Application.objects.count() == 0


@pytest.mark.django_db
def test_beginning_after_the_deadline_is_refused(client, cohort):
    closed(cohort)
    client.force_login(UserFactory())
    for method in (client.get, client.post):
        response = method(apply_url(cohort))
        assert response["Location"] == cohort.get_absolute_url()
        assert messages_of(response) == ["Für diesen Jahrgang ist die Bewerbungsfrist abgelaufen."]
        fresh(client)
    assert Application.objects.count() == 0


@pytest.mark.django_db
def test_an_unknown_role_is_a_404(client, cohort):
    client.force_login(UserFactory())
    assert client.post(apply_url(cohort, "chef")).status_code == 404


@pytest.mark.django_db
def test_the_service_creates_one_draft_and_logs_it_once(cohort):
    user = UserFactory()
    first = services.application_begin(cohort=cohort, applicant=user, role=ApplicationRole.MENTEE)
    second = services.application_begin(cohort=cohort, applicant=user, role=ApplicationRole.MENTEE)
    assert first.pk == second.pk
    assert transitions(first) == [("", S.DRAFT, "")]


@pytest.mark.django_db
def test_the_service_refuses_before_the_call_opens(cohort):
    opens = timezone.now() + dt.timedelta(days=2)
    cohort.application_opens_at = opens
    cohort.application_deadline = opens + dt.timedelta(days=30)
    cohort.save()
    with pytest.raises(services.ApplicationError) as error:
        services.application_begin(cohort=cohort, applicant=UserFactory(), role="mentee")
    local = timezone.localtime(opens, BERLIN)
    assert str(error.value) == (
        f"Die Bewerbung für diesen Jahrgang beginnt am {local:%d.%m.%Y %H:%M}."
    )
    assert Application.objects.count() == 0


@pytest.mark.django_db
def test_the_service_refuses_a_mentors_own_registration_where_mentors_are_nominated(cohort):
    cohort.programme.mentors_self_register = False
    cohort.programme.save()
    with pytest.raises(services.ApplicationError) as error:
        services.application_begin(cohort=cohort, applicant=UserFactory(), role="mentor")
    assert str(error.value).startswith("In diesem Programm melden sich Mentor:innen nicht selbst")
    assert Application.objects.count() == 0


# Withdrawing asks first --------------------------------------------------------------------


@pytest.mark.django_db
def test_the_withdraw_page_says_what_happens_and_changes_nothing(client, cohort):
    application = in_state(S.SUBMITTED, cohort=cohort)
    client.force_login(application.applicant)
    response = client.get(withdraw_url(application))
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Bewerbung zurückziehen</h1>" in html
    assert "Der Mentoringbeirat berücksichtigt Ihre Bewerbung nicht mehr bei der Auswahl." in html
    assert "können Sie sich erneut bewerben" in html
    assert 'name="reason"' in html
    application.refresh_from_db()
    assert application.state == S.SUBMITTED
    assert transitions(application) == []


@pytest.mark.django_db
def test_the_withdraw_page_after_the_deadline_says_she_cannot_apply_again(client, cohort):
    application = in_state(S.IN_REVIEW, cohort=closed(cohort))
    client.force_login(application.applicant)
    html = client.get(withdraw_url(application)).content.decode()
    assert (
        "Die Bewerbungsfrist ist abgelaufen: Für diesen Jahrgang können Sie sich danach nicht "
        "erneut bewerben."
    ) in html


@pytest.mark.django_db
def test_withdrawing_with_a_reason_logs_it(client, cohort):
    application = in_state(S.IN_REVIEW, cohort=cohort)
    client.force_login(application.applicant)
    response = client.post(withdraw_url(application), {"reason": "  Neue Stelle.  "})
    assert response["Location"] == "/bewerbung/"
    application.refresh_from_db()
    assert application.state == S.WITHDRAWN
    assert transitions(application) == [(S.IN_REVIEW, S.WITHDRAWN, "Neue Stelle.")]
    assert messages_of(response)[0].startswith("Ihre Bewerbung ist zurückgezogen. Bis zum ")


@pytest.mark.django_db
def test_a_reason_too_long_is_an_error_and_withdraws_nothing(client, cohort):
    application = in_state(S.SUBMITTED, cohort=cohort)
    client.force_login(application.applicant)
    response = client.post(withdraw_url(application), {"reason": "x" * 2001})
    assert response.status_code == 200
    assert "höchstens 2000 Zeichen" in response.content.decode()
    application.refresh_from_db()
    assert application.state == S.SUBMITTED


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("state", "message"),
    [
        (S.DRAFT, "Diese Bewerbung ist noch nicht eingereicht; Sie müssen sie nicht zurückziehen."),
        (
            S.ACCEPTED,
            "Über diese Bewerbung ist bereits entschieden. Möchten Sie nicht teilnehmen, wenden "
            "Sie sich bitte an Ihre Gleichstellungsbeauftragte.",
        ),
    ],
)
def test_what_cannot_be_withdrawn_is_not_offered(client, cohort, state, message):
    application = in_state(state, cohort=cohort)
    client.force_login(application.applicant)
    for method in (client.get, client.post):
        response = method(withdraw_url(application))
        assert response["Location"] == "/bewerbung/"
        assert messages_of(response) == [message]
        fresh(client)
    application.refresh_from_db()
    assert application.state == state


@pytest.mark.django_db
def test_someone_elses_withdraw_page_is_a_404(client, cohort):
    application = in_state(S.SUBMITTED, cohort=cohort)
    client.force_login(UserFactory())
    assert client.get(withdraw_url(application)).status_code == 404


@pytest.mark.django_db
def test_the_status_page_leads_to_the_confirmation_not_to_a_withdrawing_button(client, cohort):
    application = in_state(S.SUBMITTED, cohort=cohort)
    client.force_login(application.applicant)
    html = client.get("/bewerbung/").content.decode()
    assert f'href="{withdraw_url(application)}"' in html
    assert f'action="{withdraw_url(application)}"' not in html


# Applying again after withdrawing -----------------------------------------------------------


@pytest.mark.django_db
def test_reopening_makes_a_draft_with_her_answers_and_logs_it(cohort):
    application = in_state(S.INTERVIEW, cohort=cohort, interview_place="Rathaus")
    services.application_withdraw(application=application, actor=application.applicant)
    services.application_begin(
        cohort=cohort, applicant=application.applicant, role=ApplicationRole.MENTEE
    )
    application.refresh_from_db()
    assert (application.state, application.submitted_at, application.interview_place) == (
        S.DRAFT,
        None,
        "",
    )
    assert application.motivation == "Ich möchte Führungsverantwortung übernehmen."
    assert application.cv.name != ""
    assert transitions(application) == [
        (S.INTERVIEW, S.WITHDRAWN, ""),
        (S.WITHDRAWN, S.DRAFT, "erneut beworben"),
    ]


@pytest.mark.django_db
def test_a_reopened_application_is_submitted_again_with_a_new_date_and_confirmation(
    cohort, django_capture_on_commit_callbacks
):
    application = in_state(S.SUBMITTED, cohort=cohort)
    application.submitted_at = timezone.now() - dt.timedelta(days=5)
    application.save()
    services.application_withdraw(application=application, actor=application.applicant)
    services.application_reopen(application=application, actor=application.applicant)
    with django_capture_on_commit_callbacks(execute=True):
        services.application_submit(application=application, actor=application.applicant)
    application.refresh_from_db()
    assert application.state == S.SUBMITTED
    assert timezone.now() - application.submitted_at < dt.timedelta(minutes=1)
    assert [message.to for message in mail.outbox] == [[application.applicant.email]]


@pytest.mark.django_db
def test_reopening_after_the_deadline_is_refused(cohort):
    application = in_state(S.WITHDRAWN, cohort=closed(cohort))
    with pytest.raises(services.ApplicationError) as error:
        services.application_reopen(application=application, actor=application.applicant)
    assert str(error.value) == WITHDRAWN_CLOSED
    with pytest.raises(services.ApplicationNotEditable):
        services.application_begin(
            cohort=cohort, applicant=application.applicant, role=ApplicationRole.MENTEE
        )
    application.refresh_from_db()
    assert application.state == S.WITHDRAWN


@pytest.mark.django_db
@pytest.mark.parametrize("state", [S.DRAFT, S.SUBMITTED, S.ACCEPTED])
def test_only_a_withdrawn_application_is_reopened(cohort, state):
    application = in_state(state, cohort=cohort)
    with pytest.raises(services.ApplicationError) as error:
        services.application_reopen(application=application, actor=application.applicant)
    assert str(error.value) == "Nur eine zurückgezogene Bewerbung kann wieder aufgenommen werden."
    application.refresh_from_db()
    assert application.state == state


@pytest.mark.django_db
def test_after_withdrawing_she_applies_again_from_her_status_page(client, cohort):
    application = in_state(S.SUBMITTED, cohort=cohort)
    client.force_login(application.applicant)
    client.post(withdraw_url(application), {"reason": ""})

    status = client.get("/bewerbung/").content.decode()
    assert f'href="{apply_url(cohort)}"' in status
    page = client.get(apply_url(cohort))
    assert page.status_code == 200
    assert "<h1>Erneut bewerben</h1>" in page.content.decode()
    application.refresh_from_db()
    assert application.state == S.WITHDRAWN

    response = client.post(apply_url(cohort))
    assert response["Location"] == edit_url(application)
    application.refresh_from_db()
    assert application.state == S.DRAFT
    assert Application.objects.count() == 1
    form = client.get(edit_url(application)).content.decode()
    assert "Ich möchte Führungsverantwortung übernehmen." in form


@pytest.mark.django_db
def test_a_nominated_mentor_who_withdrew_applies_again_too(client, cohort):
    cohort.programme.mentors_self_register = False
    cohort.programme.save()
    mentor = MentorApplicationFactory(cohort=cohort, state=S.WITHDRAWN, submitted_at=timezone.now())
    client.force_login(mentor.applicant)
    assert client.get(apply_url(cohort, "mentor")).status_code == 200
    assert client.post(apply_url(cohort, "mentor"))["Location"] == edit_url(mentor)
    mentor.refresh_from_db()
    assert mentor.state == S.DRAFT


@pytest.mark.django_db
def test_after_the_deadline_the_status_page_offers_no_new_application(client, cohort):
    application = in_state(S.WITHDRAWN, cohort=closed(cohort))
    client.force_login(application.applicant)
    assert f'href="{apply_url(cohort)}"' not in client.get("/bewerbung/").content.decode()
    response = client.get(apply_url(cohort))
    assert response["Location"] == "/bewerbung/"
    assert messages_of(response) == [WITHDRAWN_CLOSED]


# Queries -------------------------------------------------------------------------------------


def _queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.django_db
def test_the_begin_page_query_count_does_not_grow_with_the_organisations(client, cohort):
    client.force_login(OfficerFactory())
    one = _queries(client, apply_url(cohort))
    for _ in range(30):
        CohortOrganisationFactory(cohort=cohort)
    assert _queries(client, apply_url(cohort)) == one


@pytest.mark.django_db
def test_the_withdraw_page_query_count_does_not_grow(client, cohort):
    application = in_state(S.SUBMITTED, cohort=cohort)
    client.force_login(application.applicant)
    one = _queries(client, withdraw_url(application))
    for _ in range(20):
        in_state(S.WITHDRAWN, applicant=application.applicant)
        ApplicationLog.objects.create(
            application=application, action=ApplicationLogAction.TRANSITION
        )
    assert _queries(client, withdraw_url(application)) == one


@pytest.mark.django_db
def test_the_status_page_with_many_withdrawn_applications_keeps_its_query_count(client):
    user = UserFactory()
    client.force_login(user)
    in_state(S.WITHDRAWN, applicant=user, cv="", letter="")
    one = _queries(client, "/bewerbung/")
    for _ in range(15):
        in_state(S.WITHDRAWN, applicant=user, cv="", letter="")
    assert _queries(client, "/bewerbung/") == one
