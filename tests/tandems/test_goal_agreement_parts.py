"""The goal agreement in parts: each partner writes her own, both the shared one; every
change asks both to confirm again, and its history is the two partners' alone."""

import pytest
from django.contrib import admin
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cohorts.enums import BeiratRole
from tandems import services
from tandems.enums import TandemStatus
from tandems.models import GoalAgreement, GoalAgreementEntry
from tests.factories import (
    BeiratMembershipFactory,
    ProgrammeFactory,
    ProgrammeOfficeFactory,
    TandemFactory,
    TopicFactory,
)

pytestmark = pytest.mark.django_db
OFFER = "Hospitation im Verwaltungsvorstand; Einblick in die Haushaltsberatungen"
SECRET = "Vertraulich: sie überlegt, die Verwaltung zu verlassen"


@pytest.fixture
def tandem():
    return TandemFactory()


@pytest.fixture
def topic(tandem):
    return TopicFactory(name="Führen in Teilzeit", programme=tandem.cohort.programme)


def url(tandem):
    return f"/tandem/{tandem.pk}/zielvereinbarung/"


def agreement_of(tandem):
    """The stored agreement, or the blank one the page starts from."""
    return GoalAgreement.objects.filter(tandem=tandem).first() or GoalAgreement(tandem=tandem)


def mentee_writes(tandem, topic, **data):
    return services.goal_agreement_save(
        agreement=agreement_of(tandem),
        actor=tandem.mentee.applicant,
        data={"topics": [topic], "topics_other": "", "expectations_mentee": "Feedback"} | data,
    )


def mentor_writes(tandem, **data):
    return services.goal_agreement_save(
        agreement=agreement_of(tandem),
        actor=tandem.mentor.applicant,
        data={"expectations_mentor": "Verbindliche Termine", "offer_mentor": OFFER} | data,
    )


def confirm(agreement, user):
    return services.goal_agreement_confirm(agreement=agreement, actor=user)


def history(agreement):
    return [
        (entry.action, entry.role, entry.actor_id, entry.version, entry.changes)
        for entry in GoalAgreementEntry.objects.filter(agreement=agreement).order_by("pk")
    ]


# Through the services ---------------------------------------------------------------------


def test_the_mentor_writes_her_own_part(tandem, topic):
    mentee_writes(tandem, topic)
    agreement = mentor_writes(tandem)
    agreement.refresh_from_db()
    assert (agreement.expectations_mentor, agreement.offer_mentor) == (
        "Verbindliche Termine",
        OFFER,
    )
    assert agreement.version == 2
    assert history(agreement)[-1] == (
        "changed",
        "mentor",
        tandem.mentor.applicant.pk,
        2,
        {"expectations_mentor": ["", "Verbindliche Termine"], "offer_mentor": ["", OFFER]},
    )


@pytest.mark.parametrize(
    ("writer", "field", "value"),
    [
        ("mentor", "topics_other", "vom Mentor gesetzt"),
        ("mentor", "expectations_mentee", "vom Mentor gesetzt"),
        ("mentee", "offer_mentor", "von der Mentee gesetzt"),
        ("mentee", "expectations_mentor", "von der Mentee gesetzt"),
    ],
)
def test_nobody_writes_the_other_partners_part(tandem, topic, writer, field, value):
    mentee_writes(tandem, topic)
    agreement = GoalAgreement.objects.get(tandem=tandem)
    with pytest.raises(services.TandemError) as refused:
        services.goal_agreement_save(
            agreement=agreement, actor=getattr(tandem, writer).applicant, data={field: value}
        )
    assert str(refused.value) == "Diesen Teil der Zielvereinbarung schreibt Ihr Gegenüber."
    agreement.refresh_from_db()
    assert getattr(agreement, field) != value
    assert agreement.version == 1


def test_both_write_the_shared_part(tandem, topic):
    mentee_writes(tandem, topic, cadence="monatlich")
    agreement = mentor_writes(tandem, cadence="alle drei Wochen", excluded_topics="Personalien")
    services.goal_agreement_save(
        agreement=agreement, actor=tandem.mentee.applicant, data={"confidentiality": False}
    )
    agreement.refresh_from_db()
    assert (agreement.cadence, agreement.excluded_topics, agreement.confidentiality) == (
        "alle drei Wochen",
        "Personalien",
        False,
    )
    assert [changes for *_rest, changes in history(agreement)][1:] == [
        {
            "cadence": ["monatlich", "alle drei Wochen"],
            "excluded_topics": ["", "Personalien"],
            "expectations_mentor": ["", "Verbindliche Termine"],
            "offer_mentor": ["", OFFER],
        },
        {"confidentiality": [True, False]},
    ]


def test_a_change_after_both_confirmed_asks_both_to_confirm_again(tandem, topic):
    mentee_writes(tandem, topic)
    agreement = mentor_writes(tandem)
    confirm(agreement, tandem.mentee.applicant)
    agreement = confirm(agreement, tandem.mentor.applicant)
    assert agreement.is_confirmed

    agreement = mentor_writes(tandem, offer_mentor=OFFER + "; Netzwerktreffen")
    assert (agreement.mentee_confirmed_at, agreement.mentor_confirmed_at) == (None, None)
    assert agreement.version == 3
    confirm(agreement, tandem.mentee.applicant)
    agreement = confirm(agreement, tandem.mentor.applicant)
    assert agreement.is_confirmed
    mentee, mentor = tandem.mentee.applicant.pk, tandem.mentor.applicant.pk
    assert [entry[:4] for entry in history(agreement)] == [
        ("changed", "mentee", mentee, 1),
        ("changed", "mentor", mentor, 2),
        ("confirmed", "mentee", mentee, 2),
        ("confirmed", "mentor", mentor, 2),
        ("changed", "mentor", mentor, 3),
        ("confirmed", "mentee", mentee, 3),
        ("confirmed", "mentor", mentor, 3),
    ]


def test_saving_without_a_change_keeps_confirmations_and_records_nothing(tandem, topic):
    mentee_writes(tandem, topic)
    agreement = confirm(GoalAgreement.objects.get(tandem=tandem), tandem.mentee.applicant)
    again = mentee_writes(tandem, topic)
    assert again.mentee_confirmed_at == agreement.mentee_confirmed_at
    assert again.version == 1
    assert [entry[0] for entry in history(agreement)] == ["changed", "confirmed"]


def test_a_stale_form_does_not_overwrite_what_the_partner_wrote_meanwhile(tandem, topic):
    agreement = mentee_writes(tandem, topic, cadence="monatlich")
    mentor_writes(tandem, cadence="alle zwei Wochen")
    with pytest.raises(services.TandemError) as refused:
        services.goal_agreement_save(
            agreement=agreement,
            actor=tandem.mentee.applicant,
            data={"cadence": "einmal im Quartal"},
            based_on=1,
        )
    assert str(refused.value).startswith("Ihr Gegenüber hat die Zielvereinbarung geändert")
    agreement.refresh_from_db()
    assert (agreement.cadence, agreement.version) == ("alle zwei Wochen", 2)


def test_nobody_confirms_a_version_she_has_not_seen(tandem, topic):
    agreement = mentee_writes(tandem, topic)
    mentor_writes(tandem)
    with pytest.raises(services.TandemError) as refused:
        services.goal_agreement_confirm(
            agreement=agreement, actor=tandem.mentee.applicant, version=1
        )
    assert str(refused.value) == (
        "Die Zielvereinbarung wurde inzwischen geändert. Bitte lesen Sie die neue Fassung "
        "und bestätigen Sie dann."
    )
    assert GoalAgreement.objects.get(tandem=tandem).mentee_confirmed_at is None


def test_nothing_is_confirmed_before_the_mentee_has_chosen_topics(tandem):
    agreement = agreement_of(tandem)
    for user, message in (
        (tandem.mentee.applicant, "Bitte tragen Sie zuerst Ihre Themen ein."),
        (tandem.mentor.applicant, "Die Mentee hat noch keine Themen eingetragen."),
    ):
        with pytest.raises(services.TandemError) as refused:
            confirm(agreement, user)
        assert str(refused.value) == message


def test_a_topic_of_another_programme_is_refused(tandem):
    foreign = TopicFactory(name="Fremdes Thema", programme=ProgrammeFactory())
    with pytest.raises(services.TandemError) as refused:
        services.goal_agreement_save(
            agreement=agreement_of(tandem),
            actor=tandem.mentee.applicant,
            data={"topics": [foreign]},
        )
    assert str(refused.value) == "Dieses Thema gehört nicht zu Ihrem Programm."
    assert not GoalAgreement.objects.filter(tandem=tandem).exists()  # nothing half-saved


def test_an_ended_tandem_keeps_its_agreement_as_it_was(tandem, topic):
    agreement = mentee_writes(tandem, topic)
    Tandem = type(tandem)
    Tandem.objects.filter(pk=tandem.pk).update(
        status=TandemStatus.ENDED, ended_at=tandem.start_date, end_reason="Umzug"
    )
    with pytest.raises(services.TandemError) as refused:
        services.goal_agreement_save(
            agreement=agreement, actor=tandem.mentee.applicant, data={"cadence": "nie"}
        )
    assert str(refused.value) == "Dieses Tandem ist nicht mehr aktiv."


def test_a_stranger_neither_writes_nor_confirms(tandem, topic):
    agreement = mentee_writes(tandem, topic)
    stranger = ProgrammeOfficeFactory()
    for attempt in (
        lambda: services.goal_agreement_save(
            agreement=agreement, actor=stranger, data={"cadence": "x"}
        ),
        lambda: confirm(agreement, stranger),
    ):
        with pytest.raises(services.TandemError) as refused:
            attempt()
        assert str(refused.value) == (
            "Nur das Tandem selbst schreibt und bestätigt die Zielvereinbarung."
        )


# Through the page ---------------------------------------------------------------------------


def test_opening_the_page_writes_nothing(client, tandem):
    for user in (tandem.mentee.applicant, tandem.mentor.applicant):
        client.force_login(user)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url(tandem)).status_code == 200
        writes = [
            query["sql"]
            for query in queries
            if query["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
            and "django_session" not in query["sql"]
        ]
        assert writes == []
    assert GoalAgreement.objects.filter(tandem=tandem).count() == 0


def test_the_mentor_writes_on_the_page_and_the_mentee_reads_it(client, tandem, topic):
    client.force_login(tandem.mentor.applicant)
    page = client.get(url(tandem)).content.decode()
    assert 'name="offer_mentor"' in page and 'name="topics"' not in page
    response = client.post(
        url(tandem),
        {
            "version": "0",
            "expectations_mentor": "Dass sie die Themen setzt",
            "offer_mentor": OFFER,
            "cadence": "monatlich",
            "excluded_topics": "",
            "confidentiality": "on",
            # Not her part: the form has no such field, so it is not written.
            "topics_other": "vom Mentor",
            "save": "1",
        },
    )
    assert response.status_code == 302
    agreement = GoalAgreement.objects.get(tandem=tandem)
    assert (agreement.offer_mentor, agreement.topics_other, agreement.version) == (OFFER, "", 1)

    client.force_login(tandem.mentee.applicant)
    page = client.get(url(tandem)).content.decode()
    assert OFFER in page
    assert 'name="offer_mentor"' not in page and 'name="topics"' in page
    (entry,) = client.get(url(tandem)).context["history"]
    assert entry.changed == [
        ("Erwartungen der Mentor:in", "", "Dass sie die Themen setzt"),
        ("Was die Mentor:in anbietet", "", OFFER),
        ("Wie oft und wie treffen wir uns?", "", "monatlich"),
    ]


def test_a_stale_form_on_the_page_keeps_what_she_typed(client, tandem, topic):
    mentee_writes(tandem, topic, cadence="monatlich")
    mentor_writes(tandem, cadence="alle zwei Wochen")
    client.force_login(tandem.mentee.applicant)
    data = {
        "version": "1",
        "topics": [topic.pk],
        "topics_other": "",
        "expectations_mentee": "Ehrliches Feedback",
        "cadence": "einmal im Quartal",
        "excluded_topics": "",
        "confidentiality": "on",
        "save": "1",
    }
    response = client.post(url(tandem), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Ihr Gegenüber hat die Zielvereinbarung geändert" in page
    assert "einmal im Quartal" in page and "Ehrliches Feedback" in page  # what she typed
    assert "alle zwei Wochen" in page  # the current text
    assert response.context["form"]["version"].value() == "2"
    assert GoalAgreement.objects.get(tandem=tandem).cadence == "alle zwei Wochen"
    # Having read it, she saves again: now it is hers.
    client.post(url(tandem), data | {"version": "2"})
    assert GoalAgreement.objects.get(tandem=tandem).cadence == "einmal im Quartal"


def test_both_confirm_on_the_page(client, tandem, topic):
    agreement = mentee_writes(tandem, topic)
    for user in (tandem.mentee.applicant, tandem.mentor.applicant):
        client.force_login(user)
        response = client.post(url(tandem), {"confirm": "1", "version": "1"}, follow=True)
        assert "Sie haben die Zielvereinbarung bestätigt." in response.content.decode()
    agreement.refresh_from_db()
    assert agreement.is_confirmed
    page = client.get(f"/tandem/{tandem.pk}/").content.decode()
    assert "Von Ihnen beiden bestätigt am" in page


@pytest.mark.parametrize(
    "data",
    [
        {"save": "1", "version": "abc", "topics": ["x"], "confidentiality": "vielleicht"},
        {"save": "1", "version": "-4", "cadence": "x" * 10_000},
        {"confirm": "1", "version": "9" * 40},
        {"confirm": "1", "version": "zwei"},
        {"save": "1", "topics": ["999999"]},
        {},
    ],
)
def test_nonsense_is_refused_without_an_error_page(client, tandem, topic, data):
    mentee_writes(tandem, topic)
    client.force_login(tandem.mentee.applicant)
    response = client.post(url(tandem), data)
    assert response.status_code in (200, 302)
    agreement = GoalAgreement.objects.get(tandem=tandem)
    assert (agreement.version, agreement.mentee_confirmed_at) == (1, None)


def test_officers_never_see_the_agreement_or_its_history(client, tandem, topic):
    mentee_writes(tandem, topic, expectations_mentee=SECRET)
    mentor_writes(tandem, offer_mentor=SECRET)
    assert GoalAgreement not in admin.site._registry
    assert GoalAgreementEntry not in admin.site._registry
    programme = tandem.cohort.programme
    for user in (
        BeiratMembershipFactory(programme=programme, organisation=tandem.mentee.organisation).user,
        BeiratMembershipFactory(programme=programme, role=BeiratRole.CHAIR).user,
        ProgrammeOfficeFactory(),
    ):
        client.force_login(user)
        assert client.get(url(tandem)).status_code == 404
        for page in (
            f"/beirat/jahrgang/{tandem.cohort_id}/tandems/",
            f"/beirat/jahrgang/{tandem.cohort_id}/kontakte/",
            f"/beirat/jahrgang/{tandem.cohort_id}/kontakte.csv",
            "/verwaltung/",
        ):
            response = client.get(page)
            assert SECRET not in response.content.decode(), page


def test_the_page_costs_the_same_with_one_or_many_history_entries(client, tandem, topic):
    mentee_writes(tandem, topic)
    one = {}
    for user in (tandem.mentee.applicant, tandem.mentor.applicant):
        client.force_login(user)
        client.get(url(tandem))
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url(tandem)).status_code == 200
        one[user] = len(queries)
    for number in range(20):
        extra = TopicFactory(name=f"Thema {number}", programme=tandem.cohort.programme)
        mentee_writes(tandem, extra, expectations_mentee=f"Fassung {number}")
        mentor_writes(tandem, offer_mentor=f"Angebot {number}")
        confirm(GoalAgreement.objects.get(tandem=tandem), tandem.mentor.applicant)
    for user in (tandem.mentee.applicant, tandem.mentor.applicant):
        client.force_login(user)
        client.get(url(tandem))
        with CaptureQueriesContext(connection) as many:
            response = client.get(url(tandem))
        assert response.status_code == 200
        assert len(response.context["history"]) == 61
        assert len(many) == one[user]
