"""Who downloads, revokes and prints certificates; what the public verification shows."""

import datetime as dt
from urllib.parse import quote

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.factories import (
    ApplicationFactory,
    AttendanceFactory,
    MentorApplicationFactory,
    ProjectTeamFactory,
    running_cohort,
)
from workshops import issuing, services
from workshops.enums import BatchState, CertificateKind
from workshops.models import Certificate, CertificateBatch

from .conftest import ROLES

pytestmark = pytest.mark.django_db


@pytest.fixture
def printed(ceremony):
    """The ceremony after a finished batch: both certificates issued and rendered."""
    batch = CertificateBatch.objects.create(cohort=ceremony["cohort"])
    issuing.run_batch(batch.pk)
    batch.refresh_from_db()
    ceremony["batch"] = batch
    ceremony["certificates"] = {
        certificate.kind: certificate for certificate in Certificate.objects.all()
    }
    return ceremony


def get(client, world, role, url):
    if world["people"][role] is not None:
        client.force_login(world["people"][role])
    return client.get(url)


# The participant's certificate is hers, her officer's and the whole cohort's people's.
DOWNLOADS = {
    # role: (mentee's certificate, mentor's certificate)
    "anonymous": ("login", "login"),
    "participant": (200, 404),
    "bottrop": (200, 404),
    "marl": (404, 404),
    "chair": (200, 200),
    "office": (200, 200),
}


@pytest.mark.parametrize("role", ROLES)
def test_certificate_download_permissions(client, printed, role):
    for kind, expected in zip(
        (CertificateKind.MENTEE, CertificateKind.MENTOR), DOWNLOADS[role], strict=True
    ):
        certificate = printed["certificates"][kind]
        url = reverse("workshops:certificate_file", kwargs={"pk": certificate.pk})
        response = get(client, printed, role, url)
        if expected == "login":
            assert response.status_code == 302 and response["Location"].startswith(
                reverse("login")
            ), kind
        else:
            assert response.status_code == expected, kind
        if expected == 200:
            assert response["Content-Type"] == "application/pdf"
            assert response["Cache-Control"] == "private, no-store"
            assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_the_mentor_downloads_her_confirmation(client, printed):
    certificate = printed["certificates"][CertificateKind.MENTOR]
    client.force_login(printed["mentor"].applicant)

    response = client.get(reverse("workshops:certificate_file", kwargs={"pk": certificate.pk}))

    assert response.status_code == 200
    assert quote("Teilnahmebestätigung-Birgit-Gladbecker.pdf") in response["Content-Disposition"]


def test_a_revoked_certificate_is_no_longer_hers_but_stays_on_file(client, printed):
    certificate = printed["certificates"][CertificateKind.MENTEE]
    services.certificate_revoke(
        certificate=certificate, reason="Anwesenheit falsch erfasst", actor=None
    )
    url = reverse("workshops:certificate_file", kwargs={"pk": certificate.pk})

    assert get(client, printed, "participant", url).status_code == 404
    assert get(client, printed, "office", url).status_code == 200


def test_a_file_missing_on_disk_is_a_404_and_the_next_print_renders_it_again(client, printed):
    certificate = printed["certificates"][CertificateKind.MENTEE]
    certificate.file.storage.delete(certificate.file.name)
    url = reverse("workshops:certificate_file", kwargs={"pk": certificate.pk})

    assert get(client, printed, "participant", url).status_code == 404
    issuing.run_batch(CertificateBatch.objects.create(cohort=printed["cohort"]).pk)

    certificate.refresh_from_db()
    assert certificate.file.storage.exists(certificate.file.name)
    assert get(client, printed, "participant", url).status_code == 200


def test_unknown_certificate_is_a_404(client, printed):
    client.force_login(printed["people"]["office"])
    url = reverse("workshops:certificate_file", kwargs={"pk": 999_999})

    assert client.get(url).status_code == 404


def test_participant_finds_her_certificate_on_her_workshop_page(client, printed):
    certificate = printed["certificates"][CertificateKind.MENTEE]
    client.force_login(printed["mentee"].applicant)

    page = client.get(reverse("workshops:mine")).content.decode()

    assert reverse("workshops:certificate_file", kwargs={"pk": certificate.pk}) in page
    assert certificate.display_code in page
    assert printed["certificates"][CertificateKind.MENTOR].display_code not in page


def test_before_printing_the_participant_sees_no_certificate(client, ceremony):
    issuing.issue_missing(ceremony["cohort"])  # issued, but no PDF yet
    client.force_login(ceremony["mentee"].applicant)

    assert "Ihr Teilnahmenachweis" not in client.get(reverse("workshops:mine")).content.decode()


# The public verification page ---------------------------------------------------------------


def verify(client, code):
    return client.get(reverse("workshops:verify", kwargs={"code": code}))


def test_verification_shows_a_valid_certificate_and_nothing_more(client, printed):
    certificate = printed["certificates"][CertificateKind.MENTEE]

    response = verify(client, certificate.display_code)

    page = response.content.decode()
    assert response.status_code == 200
    assert response["X-Robots-Tag"] == "noindex"
    for shown in ("Gültig", "Sabine Kowalski", printed["cohort"].programme.name, "8. Jahrgang"):
        assert shown in page, shown
    for hidden in (
        "Stadt Bottrop",
        printed["mentee"].applicant.email,
        "Birgit Gladbecker",
        "Mentee",
    ):
        assert hidden not in page, hidden


def test_verification_accepts_the_code_as_typed(client, printed):
    certificate = printed["certificates"][CertificateKind.MENTEE]

    response = verify(client, certificate.display_code.lower().replace("-", ""))

    assert response.status_code == 200 and "Sabine Kowalski" in response.content.decode()


def test_verification_shows_a_revoked_certificate_without_the_reason(client, printed):
    certificate = printed["certificates"][CertificateKind.MENTEE]
    services.certificate_revoke(
        certificate=certificate, reason="Teilnahme aberkannt", actor=printed["people"]["office"]
    )

    page = verify(client, certificate.display_code).content.decode()

    assert "Widerrufen" in page and "nicht mehr gültig" in page
    assert "Gültig." not in page
    assert "Teilnahme aberkannt" not in page


@pytest.mark.parametrize(
    "code",
    ["AAAA-BBBB-CCCC", "x" * 500, "%2e%2e%2fetc", "ÄÖÜ-ß", "'; DROP TABLE x;--", "\x00", "%00"],
)
def test_unknown_code_is_a_german_not_found(client, printed, code):
    response = verify(client, code)

    assert response.status_code == 404
    assert "Zu diesem Prüfcode ist kein Zertifikat bekannt" in response.content.decode()


@pytest.mark.parametrize("typed", ["AB/CD", "\x00", "../../etc/passwd", "x" * 5000])
def test_whatever_is_typed_into_the_form_gives_a_page_not_an_error(client, printed, typed):
    response = client.get(reverse("workshops:verify_form"), {"code": typed}, follow=True)

    assert response.status_code in (200, 404)
    assert "Zertifikat prüfen" in response.content.decode()


def test_the_form_ignores_other_parameters(client):
    page = client.get(reverse("workshops:verify_form"), {"utm_source": "flyer"}).content.decode()

    assert "Bitte geben Sie den Prüfcode ein." not in page


def test_verification_form_leads_to_the_code_and_refuses_an_empty_one(client, printed):
    certificate = printed["certificates"][CertificateKind.MENTOR]
    url = reverse("workshops:verify_form")

    response = client.get(url, {"code": f" {certificate.display_code.lower()} "})
    assert response.status_code == 302
    assert response["Location"] == reverse("workshops:verify", kwargs={"code": certificate.code})

    response = client.get(url, {"code": " - "})
    assert response.status_code == 200
    assert "Bitte geben Sie den Prüfcode ein." in response.content.decode()
    assert client.get(url).status_code == 200


# Revoking ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("anonymous", "login"),
        ("participant", 403),
        ("bottrop", 403),
        ("chair", 403),
        ("office", 200),
    ],
)
def test_only_the_programme_office_revokes(client, printed, role, expected):
    certificate = printed["certificates"][CertificateKind.MENTEE]
    url = reverse("workshops:revoke", kwargs={"pk": certificate.pk})

    response = get(client, printed, role, url)
    post = client.post(url, {"reason": "Versuch"})

    if expected == "login":
        assert response.status_code == post.status_code == 302
    else:
        assert response.status_code == expected
        assert post.status_code == (302 if expected == 200 else 403)
    certificate.refresh_from_db()
    assert certificate.is_valid == (role != "office")


def test_revoking_without_a_reason_says_so_next_to_the_field(client, printed):
    certificate = printed["certificates"][CertificateKind.MENTEE]
    client.force_login(printed["people"]["office"])

    response = client.post(
        reverse("workshops:revoke", kwargs={"pk": certificate.pk}), {"reason": "  "}
    )

    assert response.status_code == 200
    assert "Bitte geben Sie den Grund des Widerrufs an." in response.content.decode()
    certificate.refresh_from_db()
    assert certificate.is_valid


# Printing ------------------------------------------------------------------------------------

PRINTERS = {
    "anonymous": "login",
    "participant": 403,
    "bottrop": 403,
    "marl": 403,
    "chair": 302,
    "office": 302,
}


@pytest.mark.parametrize("role", ROLES)
def test_who_may_start_a_batch(client, ceremony, role, django_capture_on_commit_callbacks):
    if ceremony["people"][role] is not None:
        client.force_login(ceremony["people"][role])
    url = reverse("workshops:batch_start", kwargs={"cohort_id": ceremony["cohort"].pk})

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url)

    expected = PRINTERS[role]
    if expected == "login":
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    else:
        assert response.status_code == expected
    batches = CertificateBatch.objects.all()
    if expected == 302:
        batch = batches.get()
        assert response["Location"] == reverse(
            "workshops:batch", kwargs={"cohort_id": ceremony["cohort"].pk, "pk": batch.pk}
        )
        assert (batch.state, batch.total, batch.requested_by) == (
            BatchState.DONE,
            2,
            ceremony["people"][role],
        )
    else:
        assert not batches.exists()


@pytest.mark.parametrize("role", ROLES)
def test_who_sees_the_batch_and_downloads_it(client, printed, role):
    kwargs = {"cohort_id": printed["cohort"].pk, "pk": printed["batch"].pk}
    expected = {"anonymous": "login", "chair": 200, "office": 200}.get(role, 403)

    for name in ("batch", "batch_progress", "batch_file"):
        response = get(client, printed, role, reverse(f"workshops:{name}", kwargs=kwargs))
        if expected == "login":
            assert response.status_code == 302, name
        else:
            assert response.status_code == expected, name


def test_batch_page_and_progress_say_how_far_it_is(client, printed):
    client.force_login(printed["people"]["chair"])
    kwargs = {"cohort_id": printed["cohort"].pk, "pk": printed["batch"].pk}

    page = client.get(reverse("workshops:batch", kwargs=kwargs)).content.decode()
    progress = client.get(reverse("workshops:batch_progress", kwargs=kwargs)).json()

    assert "Fertig: 2 Zertifikate in einem PDF." in page
    assert reverse("workshops:batch_file", kwargs=kwargs) in page
    assert progress == {
        "state": "done",
        "state_display": "fertig",
        "done": 2,
        "total": 2,
        "percent": 100,
        "finished": True,
        "stalled": False,
    }


def test_a_running_batch_polls_and_has_no_file_yet(client, ceremony):
    batch = CertificateBatch.objects.create(
        cohort=ceremony["cohort"],
        state=BatchState.RUNNING,
        total=10,
        done=4,
        heartbeat_at=timezone.now(),
    )
    client.force_login(ceremony["people"]["office"])
    kwargs = {"cohort_id": ceremony["cohort"].pk, "pk": batch.pk}

    page = client.get(reverse("workshops:batch", kwargs=kwargs)).content.decode()

    assert "4 von 10 Zertifikaten erstellt" in page
    assert "batch-progress.js" in page
    assert client.get(reverse("workshops:batch_file", kwargs=kwargs)).status_code == 404


def test_a_stalled_batch_says_so_and_offers_to_resume(client, ceremony):
    batch = CertificateBatch.objects.create(
        cohort=ceremony["cohort"],
        state=BatchState.RUNNING,
        total=10,
        done=4,
        heartbeat_at=timezone.now() - dt.timedelta(hours=1),
    )
    client.force_login(ceremony["people"]["chair"])
    kwargs = {"cohort_id": ceremony["cohort"].pk, "pk": batch.pk}

    page = client.get(reverse("workshops:batch", kwargs=kwargs)).content.decode()
    progress = client.get(reverse("workshops:batch_progress", kwargs=kwargs)).json()

    assert "Druck fortsetzen" in page
    assert "batch-progress.js" not in page  # no reloading while the button waits
    assert progress["stalled"] is True


def test_batch_of_another_cohort_is_a_404(client, printed):
    other = CertificateBatch.objects.create(cohort=running_cohort())
    client.force_login(printed["people"]["office"])

    response = client.get(
        reverse("workshops:batch", kwargs={"cohort_id": printed["cohort"].pk, "pk": other.pk})
    )

    assert response.status_code == 404


def test_certificate_page_shows_codes_and_print_button_to_the_chair(client, printed):
    client.force_login(printed["people"]["chair"])

    page = client.get(
        reverse("workshops:certificates", kwargs={"cohort_id": printed["cohort"].pk})
    ).content.decode()

    assert "Zertifikate ausstellen und drucken" in page
    for certificate in printed["certificates"].values():
        assert certificate.display_code in page
    assert "Widerrufen" not in page  # the office revokes


def test_certificate_page_for_an_officer_has_no_print_button(client, printed):
    client.force_login(printed["people"]["bottrop"])

    page = client.get(
        reverse("workshops:certificates", kwargs={"cohort_id": printed["cohort"].pk})
    ).content.decode()

    assert "Zertifikate ausstellen und drucken" not in page
    assert printed["certificates"][CertificateKind.MENTEE].display_code in page
    assert printed["certificates"][CertificateKind.MENTOR].display_code not in page


# The admin -------------------------------------------------------------------------------------


def test_the_office_starts_a_batch_from_the_admin(
    client, ceremony, django_capture_on_commit_callbacks
):
    client.force_login(ceremony["people"]["office"])
    url = reverse("admin:workshops_certificatebatch_add")

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"cohort": ceremony["cohort"].pk})

    batch = CertificateBatch.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "workshops:batch", kwargs={"cohort_id": ceremony["cohort"].pk, "pk": batch.pk}
    )
    assert batch.state == BatchState.DONE and batch.requested_by == ceremony["people"]["office"]


def test_the_admin_shows_the_batch_that_runs_instead_of_a_second_one(client, ceremony):
    running = CertificateBatch.objects.create(
        cohort=ceremony["cohort"], state=BatchState.RUNNING, heartbeat_at=timezone.now()
    )
    client.force_login(ceremony["people"]["office"])

    response = client.post(
        reverse("admin:workshops_certificatebatch_add"), {"cohort": ceremony["cohort"].pk}
    )

    assert response.status_code == 302
    assert response["Location"] == reverse(
        "workshops:batch", kwargs={"cohort_id": ceremony["cohort"].pk, "pk": running.pk}
    )
    assert CertificateBatch.objects.count() == 1


@pytest.mark.parametrize("role", ["bottrop", "chair"])
def test_officers_do_not_reach_certificates_in_the_admin(client, printed, role):
    client.force_login(printed["people"][role])

    for name in ("admin:workshops_certificate_changelist", "admin:workshops_certificatebatch_add"):
        assert client.get(reverse(name)).status_code == 403


def test_the_office_finds_a_certificate_by_code_in_the_admin(client, printed):
    certificate = printed["certificates"][CertificateKind.MENTEE]
    client.force_login(printed["people"]["office"])

    page = client.get(
        reverse("admin:workshops_certificate_changelist"), {"q": certificate.code}
    ).content.decode()

    assert "Sabine Kowalski" in page and "Birgit Gladbecker" not in page


# Query counts --------------------------------------------------------------------------------


def count_queries(client, url):
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context.captured_queries)


def add_qualified(world, count):
    cohort = world["cohort"]
    for _ in range(count):
        mentee = ApplicationFactory(
            accepted=True, cohort=cohort, organisation=world["organisations"]["bottrop"]
        )
        mentor = MentorApplicationFactory(
            accepted=True, cohort=cohort, organisation=world["organisations"]["gladbeck"]
        )
        for workshop in cohort.workshops.all():
            AttendanceFactory(workshop=workshop, application=mentee)
            AttendanceFactory(workshop=workshop, application=mentor)
        ProjectTeamFactory(cohort=cohort, members=[mentee], presented_on=world["final"].date)
    issuing.run_batch(CertificateBatch.objects.create(cohort=cohort).pk)


@pytest.mark.parametrize("role", ["bottrop", "chair", "office"])
def test_certificate_page_queries_do_not_grow(client, printed, role):
    client.force_login(printed["people"][role])
    url = reverse("workshops:certificates", kwargs={"cohort_id": printed["cohort"].pk})
    few = count_queries(client, url)

    add_qualified(printed, 8)

    assert Certificate.objects.count() == 18
    assert count_queries(client, url) == few


def test_participant_page_queries_do_not_grow_with_the_cohorts_certificates(client, printed):
    client.force_login(printed["mentee"].applicant)
    url = reverse("workshops:mine")
    few = count_queries(client, url)

    add_qualified(printed, 3)

    assert count_queries(client, url) == few


def test_certificate_admin_queries_do_not_grow(client, printed):
    client.force_login(printed["people"]["office"])
    url = reverse("admin:workshops_certificate_changelist")
    few = count_queries(client, url)

    add_qualified(printed, 5)

    assert count_queries(client, url) == few
