"""What the Bewerbungsbogen asks depends on the programme: consent to pass data on to a
partner organisation (cross-sector), the supervisor and the department list (internal),
and whether mentors may register themselves at all."""

import pytest
from django import forms
from django.contrib.messages import get_messages
from django.utils import timezone

from applications.enums import ApplicationRole, ApplicationState
from applications.models import Application
from cohorts.enums import MatchingPolicy, OrganisationKind
from tests.factories import (
    ApplicationFactory,
    CohortFactory,
    CohortOrganisationFactory,
    MenteeFormFactory,
    MentorApplicationFactory,
    MentorFormFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

TRANSFER_CONSENT = (
    "Ich willige ein, dass meine Angaben zur Bildung des Tandems an die Partnerorganisation "
    "meiner künftigen Tandempartnerin bzw. meines künftigen Tandempartners weitergegeben "
    "werden. Ohne diese Einwilligung kann ich keinem Tandem zugeordnet werden."
)
KERPEN_DEPARTMENTS = "Amt für Finanzen\nAmt für Jugend\n  \nPersonalamt\n"


@pytest.fixture
def cologne():
    """Cross-sector: the city and a company; data go to the partner only with consent."""
    cohort = CohortFactory(
        programme__name="Cross-Mentoring Köln", programme__transfer_consent_required=True
    )
    CohortOrganisationFactory(cohort=cohort, organisation__name="Stadt Köln")
    CohortOrganisationFactory(
        cohort=cohort,
        organisation__name="Muster Medien GmbH",
        organisation__kind=OrganisationKind.COMPANY,
    )
    return cohort


@pytest.fixture
def emscher_lippe():
    cohort = CohortFactory(programme__name="MIT FRAUEN an die Spitze")
    CohortOrganisationFactory(cohort=cohort, organisation__name="Stadt Bottrop")
    CohortOrganisationFactory(cohort=cohort, organisation__name="Stadt Gladbeck")
    return cohort


@pytest.fixture
def kerpen():
    """Internal: one administration with its departments; mentors are nominated."""
    cohort = CohortFactory(
        programme__name="Mentoring Kerpen",
        programme__matching_policy=MatchingPolicy.INTERNAL,
        programme__mentors_self_register=False,
    )
    CohortOrganisationFactory(
        cohort=cohort,
        organisation__name="Stadt Kerpen",
        organisation__departments=KERPEN_DEPARTMENTS,
    )
    return cohort


def edit_url(application):
    return f"/bewerbung/{application.pk}/bearbeiten/"


def apply_url(cohort, role):
    return f"/bewerbung/{cohort.programme.slug}/jahrgang/{cohort.number}/{role}/"


def organisation_named(cohort, name):
    return cohort.organisations.get(name=name)


def form_of(client, application):
    return client.get(edit_url(application)).context["form"]


# Consent to pass data on to the partner organisation -------------------------------------


@pytest.mark.parametrize("factory", [ApplicationFactory, MentorApplicationFactory])
def test_transfer_consent_is_asked_only_in_the_cross_sector_programme(
    client, cologne, emscher_lippe, factory
):
    asked = factory(cohort=cologne, organisation=organisation_named(cologne, "Stadt Köln"))
    client.force_login(asked.applicant)
    response = client.get(edit_url(asked))
    assert response.context["form"].fields["transfer_consent"].label == TRANSFER_CONSENT
    assert response.content.decode().count(TRANSFER_CONSENT) == 1

    not_asked = factory(
        cohort=emscher_lippe, organisation=organisation_named(emscher_lippe, "Stadt Bottrop")
    )
    client.force_login(not_asked.applicant)
    response = client.get(edit_url(not_asked))
    assert ("transfer_consent" in response.context["form"].fields) is False
    assert TRANSFER_CONSENT not in response.content.decode()


@pytest.mark.parametrize(
    ("factory", "data"),
    [(ApplicationFactory, MenteeFormFactory), (MentorApplicationFactory, MentorFormFactory)],
    ids=["mentee", "mentor"],
)
def test_transfer_consent_is_stored_with_its_date_kept_and_cleared(client, cologne, factory, data):
    company = organisation_named(cologne, "Muster Medien GmbH")
    application = factory(cohort=cologne, organisation=company, transfer_consent_at=None)
    client.force_login(application.applicant)

    client.post(edit_url(application), data(organisation=company, transfer_consent="on"))
    application.refresh_from_db()
    given = application.transfer_consent_at
    assert given is not None
    assert given <= timezone.now()
    assert form_of(client, application).fields["transfer_consent"].initial is True

    client.post(edit_url(application), data(organisation=company, transfer_consent="on"))
    application.refresh_from_db()
    assert application.transfer_consent_at == given

    client.post(edit_url(application), data(organisation=company))
    application.refresh_from_db()
    assert application.transfer_consent_at is None
    assert form_of(client, application).fields["transfer_consent"].initial is False


def test_an_application_without_transfer_consent_can_be_submitted(client, cologne):
    company = organisation_named(cologne, "Muster Medien GmbH")
    application = ApplicationFactory(cohort=cologne, organisation=company)
    client.force_login(application.applicant)
    response = client.post(
        edit_url(application), MenteeFormFactory(organisation=company, submit="1")
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert (application.state, application.transfer_consent_at) == (
        ApplicationState.SUBMITTED,
        None,
    )


def test_transfer_consent_sent_to_another_programme_is_ignored(client, emscher_lippe):
    bottrop = organisation_named(emscher_lippe, "Stadt Bottrop")
    application = ApplicationFactory(cohort=emscher_lippe, organisation=bottrop)
    client.force_login(application.applicant)
    data = MenteeFormFactory(
        organisation=bottrop, department="Fachbereich Personal", transfer_consent="on"
    )
    assert client.post(edit_url(application), data).status_code == 302
    application.refresh_from_db()
    assert application.transfer_consent_at is None


# Supervisor (internal programmes) -------------------------------------------------------


def test_supervisor_email_is_asked_of_mentees_in_internal_programmes_only(
    client, kerpen, emscher_lippe
):
    kerpen_mentee = ApplicationFactory(cohort=kerpen)
    client.force_login(kerpen_mentee.applicant)
    response = client.get(edit_url(kerpen_mentee))
    field = response.context["form"].fields["supervisor_email"]
    assert str(field.label) == "E-Mail-Adresse Ihrer direkten Vorgesetzten"
    assert str(field.help_text) == (
        "Wir verwenden sie nur, damit Sie nie Ihrer eigenen Vorgesetzten bzw. Ihrem eigenen "
        "Vorgesetzten als Mentee zugeordnet werden."
    )
    assert 'name="supervisor_email"' in response.content.decode()

    kerpen_mentor = MentorApplicationFactory(cohort=kerpen)
    across_mentee = ApplicationFactory(cohort=emscher_lippe)
    for other in (kerpen_mentor, across_mentee):
        client.force_login(other.applicant)
        response = client.get(edit_url(other))
        assert ("supervisor_email" in response.context["form"].fields) is False
        assert 'name="supervisor_email"' not in response.content.decode()


def test_supervisor_email_is_stored_and_may_not_be_her_own(client, kerpen):
    city = organisation_named(kerpen, "Stadt Kerpen")
    application = ApplicationFactory(
        cohort=kerpen, organisation=city, applicant__email="julia.peters@kerpen.example.org"
    )
    client.force_login(application.applicant)
    own = client.post(
        edit_url(application),
        MenteeFormFactory(organisation=city, supervisor_email="Julia.Peters@kerpen.example.org"),
    )
    assert own.status_code == 200
    assert own.context["form"].errors["supervisor_email"] == [
        "Bitte geben Sie die Adresse Ihrer Vorgesetzten an, nicht Ihre eigene."
    ]
    client.post(
        edit_url(application),
        MenteeFormFactory(organisation=city, supervisor_email="karin.roth@kerpen.example.org"),
    )
    application.refresh_from_db()
    assert application.supervisor_email == "karin.roth@kerpen.example.org"


# Departments from the organisation's list -----------------------------------------------


@pytest.mark.parametrize(
    ("factory", "data"),
    [(ApplicationFactory, MenteeFormFactory), (MentorApplicationFactory, MentorFormFactory)],
    ids=["mentee", "mentor"],
)
def test_department_is_a_select_of_the_organisations_list(client, kerpen, factory, data):
    city = organisation_named(kerpen, "Stadt Kerpen")
    application = factory(cohort=kerpen, organisation=city, department="")
    client.force_login(application.applicant)
    field = form_of(client, application).fields["department"]
    assert isinstance(field.widget, forms.Select)
    assert [value for value, _label in field.widget.choices] == [
        "",
        "Amt für Finanzen",
        "Amt für Jugend",
        "Personalamt",
    ]

    refused = client.post(
        edit_url(application), data(organisation=city, department="Amt für Kultur")
    )
    assert refused.status_code == 200
    assert refused.context["form"].errors["department"] == [
        "Bitte wählen Sie Ihren Fachbereich bzw. Ihr Amt aus der Liste Ihrer Organisation."
    ]
    application.refresh_from_db()
    assert application.department == ""

    client.post(edit_url(application), data(organisation=city, department="Personalamt"))
    application.refresh_from_db()
    assert application.department == "Personalamt"


def test_department_list_applies_in_any_programme_and_follows_the_chosen_organisation(
    client, emscher_lippe
):
    bottrop = organisation_named(emscher_lippe, "Stadt Bottrop")
    gladbeck = organisation_named(emscher_lippe, "Stadt Gladbeck")
    gladbeck.departments = "Fachbereich Bildung\nFachbereich Finanzen"
    gladbeck.save()
    application = ApplicationFactory(
        cohort=emscher_lippe, organisation=bottrop, department="Fachbereich Personal"
    )
    client.force_login(application.applicant)
    # Bottrop has no list: free text, anything goes.
    assert isinstance(form_of(client, application).fields["department"].widget, forms.TextInput)
    # Switching to Gladbeck with a free-text department: an error, and now the list.
    response = client.post(
        edit_url(application),
        MenteeFormFactory(organisation=gladbeck, department="Fachbereich Personal"),
    )
    assert response.context["form"].errors["department"] == [
        "Bitte wählen Sie Ihren Fachbereich bzw. Ihr Amt aus der Liste Ihrer Organisation."
    ]
    assert isinstance(response.context["form"].fields["department"].widget, forms.Select)
    client.post(
        edit_url(application),
        MenteeFormFactory(organisation=gladbeck, department="Fachbereich Finanzen"),
    )
    application.refresh_from_db()
    assert (application.organisation, application.department) == (
        gladbeck,
        "Fachbereich Finanzen",
    )


def test_an_unknown_organisation_id_is_an_error_not_a_crash(client, kerpen):
    application = ApplicationFactory(cohort=kerpen)
    client.force_login(application.applicant)
    for value in ("999999999999999999999", "abc"):
        response = client.post(edit_url(application), {"organisation": value, "department": "x"})
        assert response.status_code == 200
        assert list(response.context["form"].errors) == ["organisation"]


# Nominated mentors ----------------------------------------------------------------------

NOT_SELF_REGISTERED = (
    "In diesem Programm melden sich Mentor:innen nicht selbst: Das Gleichstellungsbüro "
    "spricht sie an und schlägt sie vor. Bitte wenden Sie sich dorthin, wenn Sie Mentor:in "
    "werden möchten."
)


@pytest.mark.parametrize("logged_in", [True, False], ids=["logged-in", "anonymous"])
def test_mentor_self_registration_is_refused_where_mentors_are_nominated(client, kerpen, logged_in):
    if logged_in:
        client.force_login(UserFactory())
    response = client.get(apply_url(kerpen, "mentor"))
    assert response.status_code == 302
    assert response["Location"] == kerpen.get_absolute_url()
    assert [str(message) for message in get_messages(response.wsgi_request)] == [
        NOT_SELF_REGISTERED
    ]
    assert Application.objects.exists() is False
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert NOT_SELF_REGISTERED in page.content.decode()


def test_mentees_still_apply_where_mentors_are_nominated(client, kerpen):
    user = UserFactory()
    client.force_login(user)
    response = client.post(apply_url(kerpen, "mentee"))
    application = Application.objects.get(applicant=user)
    assert response["Location"] == edit_url(application)
    assert application.role == ApplicationRole.MENTEE


def test_a_nominated_mentor_following_the_link_reaches_her_draft(client, kerpen):
    nominated = MentorApplicationFactory(cohort=kerpen)
    client.force_login(nominated.applicant)
    response = client.get(apply_url(kerpen, "mentor"))
    assert response["Location"] == edit_url(nominated)
    assert Application.objects.count() == 1


def test_self_registration_stays_open_in_other_programmes(client, emscher_lippe):
    user = UserFactory()
    client.force_login(user)
    client.post(apply_url(emscher_lippe, "mentor"))
    assert Application.objects.get(applicant=user).role == ApplicationRole.MENTOR


def test_call_page_offers_the_mentor_button_only_where_mentors_register_themselves(
    client, kerpen, emscher_lippe
):
    kerpen_page = client.get(f"/programm/{kerpen.programme.slug}/").content.decode()
    assert "Als Mentee bewerben" in kerpen_page
    assert "Als Mentor:in melden" not in kerpen_page
    open_page = client.get(f"/programm/{emscher_lippe.programme.slug}/").content.decode()
    assert open_page.count("Als Mentor:in melden") == 1
