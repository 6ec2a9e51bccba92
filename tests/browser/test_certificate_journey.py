"""The Beirat chair records the final steps and prints the certificates in a real worker;
the mentee downloads hers and anyone can verify it by its code."""

import datetime as dt
import subprocess
import threading
from types import SimpleNamespace

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from cohorts.enums import BeiratRole
from tests.browser.conftest import assert_accessible
from tests.browser.test_matching_journey import log_in, log_out
from tests.factories import (
    ApplicationFactory,
    BeiratMembershipFactory,
    CohortOrganisationFactory,
    MentorApplicationFactory,
    ProjectTeamFactory,
    UpcomingWorkshopFactory,
    running_cohort,
)
from workshops import issuing
from workshops.enums import WorkshopKind

pytestmark = [
    pytest.mark.browser,
    pytest.mark.redis,
    pytest.mark.django_db(transaction=True),
]

MENTEE, MENTOR = "Sabine Kowalski", "Birgit Gladbecker"
# Rendering takes a few seconds in the worker; the page notices within a poll or two.
BATCH_TIMEOUT = 60_000


@pytest.fixture
def print_gates(redis_worker, monkeypatch):
    """Two gates in the real worker's way, opened by the test: one before it issues the
    certificates, one before it lays them out. The progress page is so certainly seen
    while the batch runs, and sees its count change."""
    gates = SimpleNamespace(issue=threading.Event(), render=threading.Event())

    def held(gate, step):
        def wrapper(*args, **kwargs):
            gate.wait(timeout=120)
            return step(*args, **kwargs)

        return wrapper

    monkeypatch.setattr(issuing, "issue_missing", held(gates.issue, issuing.issue_missing))
    monkeypatch.setattr(
        issuing, "layout_certificates", held(gates.render, issuing.layout_certificates)
    )
    yield gates
    # Never leave the worker waiting, whatever failed.
    gates.issue.set()
    gates.render.set()


@pytest.fixture
def graduation():
    """A running cohort after its two mandatory workshops, nothing recorded yet."""
    today = timezone.localdate()
    cohort = running_cohort(programme__name="Mit Frauen an die Spitze", number=8)
    bottrop, gladbeck, marl = (
        CohortOrganisationFactory(cohort=cohort, organisation__name=name).organisation
        for name in ("Stadt Bottrop", "Stadt Gladbeck", "Stadt Marl")
    )
    mentee = ApplicationFactory(
        accepted=True, cohort=cohort, organisation=bottrop, name="Sabine Kowalski"
    )
    MentorApplicationFactory(
        accepted=True, cohort=cohort, organisation=gladbeck, name="Birgit Gladbecker"
    )
    interim = UpcomingWorkshopFactory(
        cohort=cohort,
        kind=WorkshopKind.INTERIM,
        title="Zwischenworkshop",
        date=today - dt.timedelta(days=60),
    )
    final = UpcomingWorkshopFactory(
        cohort=cohort,
        kind=WorkshopKind.FINAL,
        title="Abschlussworkshop",
        date=today - dt.timedelta(days=2),
        venue_city="Dorsten",
    )
    ProjectTeamFactory(cohort=cohort, title="Digitale Verwaltung", members=[mentee])
    chair = BeiratMembershipFactory(
        programme=cohort.programme, organisation=marl, role=BeiratRole.CHAIR
    ).user
    return {
        "cohort": cohort,
        "mentee": mentee,
        "chair": chair,
        "workshops": (interim, final),
        "final": final,
    }


def pdf_text(path):
    """The PDF's text layer (poppler's pdftotext), white space collapsed."""
    text = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(path), "-"],
        capture_output=True,
        check=True,
        text=True,
    ).stdout
    return " ".join(text.split())


def download(page, link):
    """Clicks a download link; returns the file's bytes, its text and the suggested name."""
    with page.expect_download() as info:
        link.click()
    path = info.value.path()
    return path.read_bytes(), pdf_text(path), info.value.suggested_filename


def test_chair_prints_the_certificates_and_the_mentee_downloads_and_verifies_hers(
    page, print_gates, graduation
):
    cohort = graduation["cohort"]
    title = f"{cohort.programme.name}, {cohort.display_title}"

    log_in(page, graduation["chair"].email)
    page.get_by_role("link", name="Mentoringbeirat").click()
    page.get_by_role("link", name=f"Workshops und Anwesenheit {title}").click()
    for workshop in graduation["workshops"]:
        row = page.get_by_role("row").filter(has_text=workshop.title)
        row.get_by_role("link", name="Anwesenheit erfassen").click()
        expect(page.get_by_role("heading", level=1)).to_have_text(f"Anwesenheit: {workshop.title}")
        for name in (MENTEE, MENTOR):
            page.get_by_label(f"Anwesenheit von {name}").select_option(label="anwesend")
        page.get_by_role("button", name="Anwesenheit speichern").click()
        expect(page.get_by_text("Anwesenheit gespeichert.")).to_be_visible()
        for name in (MENTEE, MENTOR):
            expect(page.get_by_label(f"Anwesenheit von {name}")).to_have_value("present")
        assert_accessible(page)
        page.get_by_role("link", name="Alle Workshops des Jahrgangs").click()

    page.get_by_role("link", name="Projektteams der Mentees").click()
    team = page.locator("article", has_text="Digitale Verwaltung")
    expect(team).to_contain_text("Präsentation noch nicht erfasst.")
    team.get_by_label("Präsentation von „Digitale Verwaltung“ am").fill(
        graduation["final"].date.isoformat()
    )
    team.get_by_role("button", name="Präsentation erfassen").click()
    expect(
        page.get_by_text("Die Präsentation von „Digitale Verwaltung“ ist erfasst.")
    ).to_be_visible()
    expect(page.locator("article", has_text="Digitale Verwaltung")).to_contain_text(
        "Präsentiert am"
    )
    assert_accessible(page)

    page.get_by_role("link", name="Mentoringbeirat").click()
    page.get_by_role("link", name=f"Zertifikate {title}").click()
    for name in (MENTEE, MENTOR):
        row = page.locator("tbody tr", has_text=name)
        expect(row.locator(".month-done")).to_have_text("✓ erfüllt")
        expect(row.locator(".month-missing")).to_have_count(0)
    assert_accessible(page)

    page.get_by_role("button", name="Zertifikate ausstellen und drucken").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Alle Zertifikate als ein PDF")
    progress = page.get_by_role("status")
    expect(progress).to_have_text("Die Zertifikate werden ausgestellt …")
    expect(page.get_by_role("link", name="PDF herunterladen")).to_have_count(0)
    assert_accessible(page)
    page.evaluate("() => { window.sameProgressPage = true; }")

    # The worker issues both certificates and holds before rendering them; the page learns
    # the count from its poll, without a reload.
    print_gates.issue.set()
    expect(progress).to_have_text("Stand: läuft – 0 von 2 Zertifikaten erstellt")
    expect(page.locator("progress")).to_have_attribute("max", "2")
    assert page.evaluate("() => window.sameProgressPage") is True
    assert_accessible(page)

    print_gates.render.set()
    expect(page.get_by_text("Fertig: 2 Zertifikate in einem PDF.")).to_be_visible(
        timeout=BATCH_TIMEOUT
    )
    assert_accessible(page)
    content, text, filename = download(page, page.get_by_role("link", name="PDF herunterladen"))
    assert content.startswith(b"%PDF")
    assert filename == "Zertifikate-8.-Jahrgang.pdf"
    assert MENTEE in text and MENTOR in text
    log_out(page)

    log_in(page, graduation["mentee"].applicant.email)
    page.get_by_role("link", name="Workshops").first.click()
    mine = page.get_by_role("region", name="Ihr Teilnahmenachweis")
    expect(mine).to_be_visible()
    code = mine.locator("code").inner_text()
    assert len(code) == len("XXXX-XXXX-XXXX")
    assert_accessible(page)
    content, text, filename = download(
        page, mine.get_by_role("link", name="Teilnahmezertifikat herunterladen (PDF)")
    )
    assert content.startswith(b"%PDF")
    assert filename == "Teilnahmezertifikat-Sabine-Kowalski.pdf"
    assert MENTEE in text and code in text and f"/zertifikat/{code}/" in text
    assert MENTOR not in text
    log_out(page)

    # Anyone who holds the paper follows its code.
    page.goto(f"/zertifikat/{code}/")
    expect(page.get_by_role("status")).to_contain_text("Gültig.")
    expect(page.get_by_role("status")).to_contain_text(
        "Dieses Zertifikat wurde im Programm ausgestellt und ist gültig."
    )
    expect(page.locator("dl")).to_contain_text(MENTEE)
    expect(page.locator("dl")).to_contain_text(code)
    assert_accessible(page)

    page.goto("/zertifikat/")
    assert_accessible(page)
    page.get_by_role("button", name="Prüfen").click()
    expect(page.get_by_text("Bitte geben Sie den Prüfcode ein.", exact=True)).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Prüfcode").fill("abcd-efgh-2345")
    page.get_by_role("button", name="Prüfen").click()
    expect(page.get_by_role("status")).to_have_text(
        "Zu diesem Prüfcode ist kein Zertifikat bekannt. "
        "Bitte vergleichen Sie den Code mit dem auf dem Zertifikat."
    )
    assert MENTEE not in page.content()
    assert_accessible(page)
