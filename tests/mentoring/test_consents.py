"""Consents under a version of the privacy notice: recorded with the submission, asked again
after a new notice, withdrawn with one click and with effect at once."""

import datetime as dt

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from applications.enums import ApplicationLogAction, ApplicationState
from applications.models import ApplicationLog
from cohorts.enums import OrganisationKind
from mentoring.consents import (
    consent_give,
    consent_withdraw,
    consents_renew,
    create_first_notice,
    current_notice,
    first_notice_text,
)
from mentoring.enums import ConsentKind
from mentoring.models import Consent, PrivacyNotice
from tests.factories import (
    PASSWORD,
    ApplicationFactory,
    BeiratMembershipFactory,
    CohortFactory,
    CohortOrganisationFactory,
    MenteeFormFactory,
    OfficerFactory,
    ProgrammeOfficeFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

K = ConsentKind
S = ApplicationState
CONSENTS = "/konto/einwilligungen/"
RENEW = "/konto/einwilligungen/bestaetigen/"


def withdraw_url(kind):
    return f"/konto/einwilligungen/{kind}/widerrufen/"


def give_url(kind):
    return f"/konto/einwilligungen/{kind}/erteilen/"


def edit_url(application):
    return f"/bewerbung/{application.pk}/bearbeiten/"


def publish(version, *, text="Neuer Text.", changes="Neu: Nachbefragungen.", **kwargs):
    return PrivacyNotice.objects.create(version=version, text=text, changes=changes, **kwargs)


def rows(user):
    """Her consents as (kind, version, in force), oldest first."""
    return [
        (consent.kind, consent.notice.version, consent.withdrawn_at is None)
        for consent in Consent.objects.filter(user=user)
        .select_related("notice")
        .order_by("given_at", "pk")
    ]


def messages_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


@pytest.fixture
def cohort():
    cohort = CohortFactory()
    CohortOrganisationFactory(cohort=cohort, organisation__name="Stadt Bottrop")
    return cohort


@pytest.fixture
def cologne():
    cohort = CohortFactory(
        programme__name="Cross-Mentoring Köln", programme__transfer_consent_required=True
    )
    CohortOrganisationFactory(
        cohort=cohort,
        organisation__name="Muster Medien GmbH",
        organisation__kind=OrganisationKind.COMPANY,
    )
    return cohort


# The notice ------------------------------------------------------------------------------


def test_a_migrated_database_has_version_1_from_the_shipped_text():
    notice = PrivacyNotice.objects.get()
    assert (notice.version, notice.text) == (1, first_notice_text())
    assert notice.text.startswith("Wer verarbeitet Ihre Daten?\n\nVerantwortlich ist")
    assert current_notice() == notice


def test_version_1_is_created_only_where_there_is_none():
    from django.apps import apps

    PrivacyNotice.objects.filter(version=1).update(text="Vom Programmbüro geändert.")
    create_first_notice(sender=None, apps=apps)
    assert list(PrivacyNotice.objects.values_list("version", "text")) == [
        (1, "Vom Programmbüro geändert.")
    ]


def test_the_privacy_page_shows_the_notice_in_force_as_escaped_paragraphs(client):
    publish(2, text="Absatz <b>eins</b>.\n\nAbsatz zwei.", published_at=timezone.now())
    publish(3, text="Noch nicht gültig.", published_at=timezone.now() + dt.timedelta(days=7))
    html = client.get("/datenschutz/").content.decode()
    assert (
        '<div lang="de"><p>Absatz &lt;b&gt;eins&lt;/b&gt;.</p>\n\n<p>Absatz zwei.</p></div>' in html
    )
    assert "Noch nicht gültig" not in html
    assert "Version 2, gültig ab" in html
    assert client.get("/datenschutz/version/3/").status_code == 404
    old = client.get("/datenschutz/version/1/").content.decode()
    assert "Dies ist die frühere Version 1." in old
    assert "Wer verarbeitet Ihre Daten?" in old


def test_a_future_notice_is_not_in_force_until_its_date():
    publish(2, published_at=timezone.now() + dt.timedelta(hours=1))
    assert current_notice().version == 1
    assert current_notice(now=timezone.now() + dt.timedelta(hours=2)).version == 2


# Giving ----------------------------------------------------------------------------------


def test_giving_twice_under_the_same_notice_changes_nothing():
    user = UserFactory()
    first = consent_give(user=user, kind=K.FOLLOW_UP)
    assert consent_give(user=user, kind=K.FOLLOW_UP) == first
    assert rows(user) == [(K.FOLLOW_UP, 1, True)]


def test_giving_under_a_new_notice_ends_the_old_row_and_keeps_it():
    user = UserFactory()
    old = consent_give(user=user, kind=K.FOLLOW_UP)
    publish(2)
    new = consent_give(user=user, kind=K.FOLLOW_UP)
    old.refresh_from_db()
    assert old.withdrawn_at == new.given_at
    assert rows(user) == [(K.FOLLOW_UP, 1, False), (K.FOLLOW_UP, 2, True)]


def test_submission_records_processing_with_the_notice_version(client, cohort):
    application = ApplicationFactory(cohort=cohort, organisation=cohort.organisations.get())
    client.force_login(application.applicant)
    before = timezone.now()
    response = client.post(
        edit_url(application),
        MenteeFormFactory(organisation=cohort.organisations.get(), submit="1"),
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.state == S.SUBMITTED
    assert application.consent_at is not None
    consent = Consent.objects.get(user=application.applicant)
    assert (consent.kind, consent.notice.version, consent.withdrawn_at) == (
        K.PROCESSING,
        1,
        None,
    )
    assert consent.given_at >= before


def test_a_draft_records_no_consent_to_processing(client, cohort):
    application = ApplicationFactory(cohort=cohort, organisation=cohort.organisations.get())
    client.force_login(application.applicant)
    client.post(
        edit_url(application), MenteeFormFactory(organisation=cohort.organisations.get(), save="1")
    )
    assert rows(application.applicant) == []


def test_submission_records_transfer_where_the_programme_asks_and_she_gave_it(client, cologne):
    company = cologne.organisations.get()
    application = ApplicationFactory(cohort=cologne, organisation=company)
    client.force_login(application.applicant)
    client.post(
        edit_url(application),
        MenteeFormFactory(organisation=company, transfer_consent="on", submit="1"),
    )
    application.refresh_from_db()
    assert application.state == S.SUBMITTED
    assert rows(application.applicant) == [(K.PROCESSING, 1, True), (K.TRANSFER, 1, True)]


def test_submission_without_transfer_consent_records_processing_only(client, cologne):
    company = cologne.organisations.get()
    application = ApplicationFactory(cohort=cologne, organisation=company)
    client.force_login(application.applicant)
    client.post(edit_url(application), MenteeFormFactory(organisation=company, submit="1"))
    assert rows(application.applicant) == [(K.PROCESSING, 1, True)]


def test_the_form_gives_and_withdraws_keeping_for_a_later_cohort(client, cohort):
    organisation = cohort.organisations.get()
    application = ApplicationFactory(cohort=cohort, organisation=organisation)
    client.force_login(application.applicant)
    assert client.get(edit_url(application)).context["form"]["keep_for_later"].initial is False

    client.post(
        edit_url(application),
        MenteeFormFactory(organisation=organisation, keep_for_later="on", save="1"),
    )
    assert rows(application.applicant) == [(K.KEEP_FOR_LATER, 1, True)]
    assert client.get(edit_url(application)).context["form"]["keep_for_later"].initial is True

    client.post(edit_url(application), MenteeFormFactory(organisation=organisation, save="1"))
    assert rows(application.applicant) == [(K.KEEP_FOR_LATER, 1, False)]


def test_optional_consents_are_given_on_the_consents_page(client):
    user = UserFactory()
    client.force_login(user)
    response = client.post(give_url(K.FOLLOW_UP))
    assert response.status_code == 302
    assert response["Location"] == CONSENTS
    assert rows(user) == [(K.FOLLOW_UP, 1, True)]
    assert messages_of(response) == [
        "Danke, Ihre Einwilligung „Nachbefragungen zu meinem beruflichen Werdegang“ ist "
        "erteilt. Sie können sie jederzeit hier widerrufen."
    ]


@pytest.mark.parametrize("kind", [K.PROCESSING, K.TRANSFER, "unbekannt"])
def test_processing_and_transfer_are_not_given_on_the_consents_page(client, kind):
    user = UserFactory()
    client.force_login(user)
    assert client.post(give_url(kind)).status_code == 404
    assert rows(user) == []


# Withdrawing -----------------------------------------------------------------------------


def test_withdrawing_processing_asks_first_then_withdraws_the_undecided_application(client, cohort):
    application = ApplicationFactory(
        cohort=cohort, organisation=cohort.organisations.get(), state=S.SUBMITTED
    )
    user = application.applicant
    consent_give(user=user, kind=K.PROCESSING)
    client.force_login(user)

    # The one click shows what it would do, and changes nothing yet.
    response = client.post(withdraw_url(K.PROCESSING))
    assert response.status_code == 200
    title = f"Mentee, {cohort.programme.name}, {cohort.display_title}"
    assert response.context["consequences"] == [f"Ihre Bewerbung ({title}) wird zurückgezogen."]
    application.refresh_from_db()
    assert application.state == S.SUBMITTED
    assert rows(user) == [(K.PROCESSING, 1, True)]

    response = client.post(withdraw_url(K.PROCESSING), {"confirmed": "1"})
    assert response.status_code == 302
    assert response["Location"] == CONSENTS
    application.refresh_from_db()
    assert application.state == S.WITHDRAWN
    log = ApplicationLog.objects.filter(application=application).latest("pk")
    assert (log.action, log.from_state, log.to_state, log.actor, log.note) == (
        ApplicationLogAction.TRANSITION,
        S.SUBMITTED,
        S.WITHDRAWN,
        user,
        "Einwilligung in die Verarbeitung widerrufen",
    )
    assert rows(user) == [(K.PROCESSING, 1, False)]
    assert messages_of(response) == [
        "Ihre Einwilligung „Verarbeitung meiner Angaben für Auswahl und Programm“ ist "
        "widerrufen. Der Widerruf gilt ab sofort.",
        f"Ihre Bewerbung ({title}) ist zurückgezogen.",
    ]


def test_withdrawing_processing_leaves_a_decided_application_and_unconsents_a_draft(cohort):
    user = UserFactory()
    accepted = ApplicationFactory(cohort=cohort, applicant=user, state=S.ACCEPTED)
    draft = ApplicationFactory(cohort=CohortFactory(), applicant=user, state=S.DRAFT)
    consent_give(user=user, kind=K.PROCESSING)

    assert consent_withdraw(user=user, kind=K.PROCESSING) == []
    accepted.refresh_from_db()
    draft.refresh_from_db()
    assert (accepted.state, draft.state, draft.consent_at) == (S.ACCEPTED, S.DRAFT, None)


def test_withdrawing_processing_without_applications_takes_one_click(client):
    user = UserFactory()
    consent_give(user=user, kind=K.PROCESSING)
    client.force_login(user)
    response = client.post(withdraw_url(K.PROCESSING))
    assert response.status_code == 302
    assert rows(user) == [(K.PROCESSING, 1, False)]


def test_withdrawing_transfer_takes_one_click_and_clears_it_on_her_applications(client, cologne):
    company = cologne.organisations.get()
    user = UserFactory()
    now = timezone.now()
    submitted = ApplicationFactory(
        cohort=cologne,
        organisation=company,
        applicant=user,
        state=S.SUBMITTED,
        transfer_consent_at=now,
    )
    accepted = ApplicationFactory(
        cohort=CohortFactory(programme=cologne.programme),
        applicant=user,
        state=S.ACCEPTED,
        transfer_consent_at=now,
    )
    someone_else = ApplicationFactory(cohort=cologne, organisation=company, transfer_consent_at=now)
    consent_give(user=user, kind=K.TRANSFER)
    client.force_login(user)

    response = client.post(withdraw_url(K.TRANSFER))
    assert response.status_code == 302
    for application in (submitted, accepted, someone_else):
        application.refresh_from_db()
    assert (submitted.transfer_consent_at, accepted.transfer_consent_at) == (None, None)
    assert someone_else.transfer_consent_at == now
    assert (submitted.state, accepted.state) == (S.SUBMITTED, S.ACCEPTED)
    assert rows(user) == [(K.TRANSFER, 1, False)]
    assert messages_of(response)[1] == (
        "Ihre Angaben werden nicht mehr an Partnerorganisationen weitergegeben; bei der "
        "Tandembildung werden Sie nicht mehr berücksichtigt."
    )


@pytest.mark.parametrize("kind", [K.FOLLOW_UP, K.KEEP_FOR_LATER])
def test_withdrawing_an_optional_consent_just_ends_it(client, cohort, kind):
    application = ApplicationFactory(cohort=cohort, state=S.SUBMITTED)
    user = application.applicant
    consent_give(user=user, kind=kind)
    client.force_login(user)
    assert client.post(withdraw_url(kind)).status_code == 302
    application.refresh_from_db()
    assert application.state == S.SUBMITTED
    assert rows(user) == [(kind, 1, False)]


def test_a_second_click_on_withdraw_changes_nothing(client):
    user = UserFactory()
    consent_give(user=user, kind=K.FOLLOW_UP)
    client.force_login(user)
    client.post(withdraw_url(K.FOLLOW_UP))
    ended = Consent.objects.get(user=user).withdrawn_at
    response = client.post(withdraw_url(K.FOLLOW_UP))
    assert response.status_code == 302
    assert Consent.objects.get(user=user).withdrawn_at == ended
    # The first click's message (not shown yet, as nothing followed the redirect), then
    # the second's.
    assert messages_of(response) == [
        "Ihre Einwilligung „Nachbefragungen zu meinem beruflichen Werdegang“ ist widerrufen. "
        "Der Widerruf gilt ab sofort.",
        "Diese Einwilligung ist nicht erteilt; es gibt nichts zu widerrufen.",
    ]


def test_withdrawal_needs_the_csrf_token():
    user = UserFactory()
    consent_give(user=user, kind=K.FOLLOW_UP)
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    assert client.post(withdraw_url(K.FOLLOW_UP)).status_code == 403
    assert client.post(give_url(K.KEEP_FOR_LATER)).status_code == 403
    assert client.post(RENEW).status_code == 403
    assert rows(user) == [(K.FOLLOW_UP, 1, True)]


# Looking writes nothing; the anonymous visitor logs in first -----------------------------


def test_looking_writes_nothing(client, cohort):
    application = ApplicationFactory(cohort=cohort, state=S.SUBMITTED)
    user = application.applicant
    consent_give(user=user, kind=K.PROCESSING)
    publish(2)
    client.force_login(user)
    before = rows(user)
    for url in (CONSENTS, withdraw_url(K.PROCESSING), RENEW, "/datenschutz/"):
        assert client.get(url).status_code == 200, url
    assert client.get(give_url(K.FOLLOW_UP)).status_code == 405
    assert rows(user) == before
    application.refresh_from_db()
    assert application.state == S.SUBMITTED


@pytest.mark.parametrize(
    "url", [CONSENTS, RENEW, withdraw_url(K.PROCESSING), give_url(K.FOLLOW_UP)]
)
@pytest.mark.parametrize("method", ["get", "post"])
def test_the_anonymous_visitor_is_sent_to_the_login(client, url, method):
    response = getattr(client, method)(url)
    assert response.status_code == 302
    assert response["Location"] == f"/konto/anmelden/?next={url}"


def test_the_consents_page_lists_each_consent_with_its_version(client):
    user = UserFactory()
    consent_give(user=user, kind=K.PROCESSING)
    consent_give(user=user, kind=K.FOLLOW_UP)
    consent_withdraw(user=user, kind=K.FOLLOW_UP)
    publish(2)
    consents_renew(user=user)
    client.force_login(user)
    response = client.get(CONSENTS)
    html = response.content.decode()
    assert [consent.kind for consent, _ in response.context["active"]] == [K.PROCESSING]
    assert [kind for kind, _, _ in response.context["optional"]] == [
        K.FOLLOW_UP,
        K.KEEP_FOR_LATER,
    ]
    history = [
        (consent.kind, consent.notice.version, consent.withdrawn_at is None, consent.renewed)
        for consent in response.context["history"]
    ]
    assert history == [
        (K.PROCESSING, 2, True, False),
        (K.FOLLOW_UP, 1, False, False),
        (K.PROCESSING, 1, False, True),
    ]
    assert html.count("erneuert am") == 1
    assert html.count("widerrufen am") == 1
    assert html.count(">Widerrufen<") == 1


def _consents_page_queries(client, user):
    client.force_login(user)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(CONSENTS).status_code == 200
    return len(queries)


def test_the_consents_page_asks_the_same_number_of_queries_for_one_and_many_rows():
    one = UserFactory()
    consent_give(user=one, kind=K.PROCESSING)
    many = UserFactory()
    for version in range(2, 12):
        publish(version)
        for kind in K.values:
            consent_give(user=many, kind=kind)
        consent_withdraw(user=many, kind=K.FOLLOW_UP)
    assert Consent.objects.filter(user=many).count() == 40
    client = Client()
    assert _consents_page_queries(client, one) == _consents_page_queries(client, many)


# Asked again after a new notice ----------------------------------------------------------


def log_in(client, user):
    return client.post(
        "/konto/anmelden/", {"username": user.email, "password": PASSWORD}, follow=True
    )


def test_after_a_new_notice_she_is_asked_at_login_and_confirming_renews(client, cohort):
    application = ApplicationFactory(cohort=cohort, state=S.SUBMITTED)
    user = application.applicant
    consent_give(user=user, kind=K.PROCESSING)
    consent_give(user=user, kind=K.FOLLOW_UP)
    publish(2, changes="Neu: Nachbefragungen nach dem Jahrgang.")

    response = log_in(client, user)
    assert response.redirect_chain[-1] == (f"{RENEW}?next=%2Fstart%2F", 302)
    html = response.content.decode()
    assert "Neu: Nachbefragungen nach dem Jahrgang." in html
    assert response.context["next"] == "/start/"

    # Any page of hers leads there until she answers; what she needs on the way does not.
    response = client.get("/bewerbung/")
    assert (response.status_code, response["Location"]) == (302, f"{RENEW}?next=%2Fbewerbung%2F")
    for url in (CONSENTS, "/datenschutz/", "/impressum/", withdraw_url(K.FOLLOW_UP)):
        assert client.get(url).status_code == 200, url

    response = client.post(RENEW, {"next": "/bewerbung/"})
    assert (response.status_code, response["Location"]) == (302, "/bewerbung/")
    assert rows(user) == [
        (K.PROCESSING, 1, False),
        (K.FOLLOW_UP, 1, False),
        (K.PROCESSING, 2, True),
        (K.FOLLOW_UP, 2, True),
    ]
    old = Consent.objects.filter(user=user, notice__version=1)
    new = Consent.objects.filter(user=user, notice__version=2)
    assert {consent.withdrawn_at for consent in old} == {consent.given_at for consent in new}
    assert client.get("/bewerbung/").status_code == 200
    assert client.get("/start/").status_code == 200


def test_withdrawing_every_old_consent_ends_the_question(client):
    user = UserFactory()
    consent_give(user=user, kind=K.FOLLOW_UP)
    publish(2)
    log_in(client, user)
    assert client.get("/start/").status_code == 302
    client.post(withdraw_url(K.FOLLOW_UP))
    assert client.get("/start/").status_code == 200


def test_a_question_answered_elsewhere_lets_her_go_on(client):
    user = UserFactory()
    consent_give(user=user, kind=K.FOLLOW_UP)
    publish(2)
    log_in(client, user)
    consents_renew(user=user)  # in another browser
    response = client.get("/start/", follow=True)
    assert response.redirect_chain == [
        (f"{RENEW}?next=%2Fstart%2F", 302),
        ("/start/", 302),
    ]
    assert client.get("/start/").status_code == 200


def test_a_post_is_never_redirected_while_she_is_asked(client):
    user = UserFactory()
    consent_give(user=user, kind=K.FOLLOW_UP)
    publish(2)
    log_in(client, user)
    response = client.post("/konto/abmelden/")
    assert (response.status_code, response["Location"]) == (302, "/")


@pytest.mark.parametrize("factory", [UserFactory, OfficerFactory, ProgrammeOfficeFactory])
def test_nobody_without_a_consent_is_asked(client, factory):
    user = factory()
    publish(2)
    log_in(client, user)
    response = client.get("/konto/")
    assert response.status_code == 200


def test_consents_given_under_the_new_notice_are_not_asked_again(client):
    user = UserFactory()
    publish(2)
    consent_give(user=user, kind=K.FOLLOW_UP)
    log_in(client, user)
    assert client.get("/start/").status_code == 200


# The programme office publishes --------------------------------------------------------


def test_the_office_publishes_a_new_version_in_the_admin(client):
    office = ProgrammeOfficeFactory()
    client.force_login(office)
    form = client.get("/verwaltung/mentoring/privacynotice/add/").context["adminform"].form
    assert (form.initial["version"], form.initial["text"]) == (2, first_notice_text())

    now = timezone.localtime()
    data = {
        "version": "2",
        "published_at_0": now.strftime("%d.%m.%Y"),
        "published_at_1": now.strftime("%H:%M:%S"),
        "text": "Neu.",
        "changes": "",
    }
    response = client.post("/verwaltung/mentoring/privacynotice/add/", data)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["changes"] == [
        "Bitte beschreiben Sie kurz, was sich geändert hat: Das lesen alle, die eingewilligt "
        "haben, bei ihrer nächsten Anmeldung."
    ]
    response = client.post(
        "/verwaltung/mentoring/privacynotice/add/", data | {"version": "1", "changes": "x"}
    )
    assert response.context["adminform"].form.errors["version"] == [
        "Die neue Version muss höher sein als die bisher letzte (1)."
    ]
    response = client.post("/verwaltung/mentoring/privacynotice/add/", data | {"changes": "x"})
    assert response.status_code == 302
    assert current_notice().version == 2

    # A version in force is read, never changed.
    first = PrivacyNotice.objects.get(version=1)
    response = client.post(
        f"/verwaltung/mentoring/privacynotice/{first.pk}/change/",
        {"version": "1", "text": "Nachträglich geändert.", "changes": ""},
    )
    assert response.status_code == 403
    first.refresh_from_db()
    assert first.text == first_notice_text()


def test_officers_do_not_see_the_notices_in_the_admin(client):
    officer = BeiratMembershipFactory().user
    client.force_login(officer)
    assert client.get("/verwaltung/").status_code == 200
    assert client.get("/verwaltung/mentoring/privacynotice/").status_code == 403
    assert client.get("/verwaltung/mentoring/privacynotice/add/").status_code == 403
