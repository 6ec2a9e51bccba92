"""One journey per programme of the documents, on the demo that ``load_demo`` loads.

Each journey logs in with the demo's printed logins, runs axe on every page it visits and
checks the one rule that sets its programme apart: Kerpen never pairs a mentee with her
supervisor, the cross-sector programme leaves out whoever did not consent to the transfer,
Emscher-Lippe's tandems log their months and get certificates, and Köln–Düsseldorf's seats
are binding.
"""

import io
import re

import pytest
from django.core.management import call_command
from django.utils import timezone, translation
from playwright.sync_api import expect

from applications.enums import ApplicationState
from applications.models import Application
from cohorts import demo as cohorts_demo
from cohorts.models import Cohort, Organisation
from mentoring.dates import short_month
from mentoring.months import month_start
from tandems.enums import TandemStatus
from tandems.models import ProposedPair, Tandem
from tests.browser.conftest import assert_accessible, log_in, log_out
from tests.factories import CohortFactory, CohortOrganisationFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NARROW = {"width": 320, "height": 800}
LOGIN_LINE = re.compile(r"^ {4}(?P<role>.+?)\s+(?P<email>\S+@\S+)(?:\s+\((?P<note>.*)\))?$")


def load_demo():
    """Loads the demo; returns its printed logins as {programme: {role: [e-mail, ...]}}."""
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    logins, programme = {}, None
    for line in out.getvalue().splitlines():
        match = LOGIN_LINE.match(line)
        if match:
            logins[programme].setdefault(match["role"], []).append(match["email"])
        elif line.startswith("  ") and line.strip():
            programme = line.strip()
            logins[programme] = {}
    return logins


def assert_no_horizontal_scroll(page):
    """WCAG 1.4.10 (reflow): at 320 CSS px nothing makes the page scroll sideways."""
    page.set_viewport_size(NARROW)
    widths = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1], widths


def open_tandem_formation(page, cohort):
    """From the Beirat's start page, through its navigation, to ``cohort``'s tandem formation."""
    page.get_by_role("link", name="Mentoringbeirat").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mentoringbeirat")
    assert_accessible(page)
    row = page.get_by_role("row").filter(
        has_text=f"{cohort.programme.name}: {cohort.display_title}"
    )
    row.get_by_role("link", name="Tandembildung").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Tandembildung: {cohort.display_title}"
    )
    assert_accessible(page)


def cells(row):
    """A table row's cells, each as its first line (a person's name before her organisation)."""
    return [cell.split("\n")[0].strip() for cell in row.locator("td").all_inner_texts()]


def test_kerpen_never_pairs_a_mentee_with_her_supervisor(page):
    load_demo()
    running = Cohort.objects.select_related("programme").get(programme__slug=cohorts_demo.INTERNAL)
    kerpen = running.programme
    julia = Application.objects.get(applicant__email="julia.peters@kerpen.example.org")
    roth = Application.objects.get(applicant__email="karin.roth@kerpen.example.org")
    assert julia.supervisor_email == roth.applicant.email

    # The public page: the demo's only Kerpen cohort runs, so nobody can apply now.
    page.goto(f"/programm/{kerpen.slug}/")
    assert_accessible(page)
    assert page.get_by_role("link", name="Als Mentee bewerben").count() == 0
    assert page.get_by_role("link", name="Als Mentor:in melden").count() == 0
    # With a call open, mentees apply; mentors are nominated by the equality office.
    call = CohortFactory(programme=kerpen, number=2, year=timezone.localdate().year + 1)
    CohortOrganisationFactory(cohort=call, organisation=julia.organisation)
    page.reload()
    assert page.get_by_role("link", name="Als Mentee bewerben").count() == 1
    assert page.get_by_role("link", name="Als Mentor:in melden").count() == 0
    assert_accessible(page)
    assert_no_horizontal_scroll(page)
    page.set_viewport_size({"width": 1280, "height": 800})

    log_in(page, "gleichstellung@kerpen.example.org")
    open_tandem_formation(page, running)
    julia_row = page.locator("tbody tr").filter(has_text="Julia Peters")
    proposed = cells(julia_row)
    assert proposed[0] == "Julia Peters"
    assert proposed[1] != "Dr. Karin Roth"

    page.get_by_role("link", name="Gebildete Tandems").click()
    page.wait_for_url(re.compile(r"/tandems/$"))
    assert_accessible(page)
    tandem = Tandem.objects.select_related("mentor__applicant").get(mentee=julia)
    assert tandem.mentor != roth
    assert cells(page.locator("tbody tr").filter(has_text="Julia Peters"))[:2] == [
        "Julia Peters",
        tandem.mentor.applicant.get_full_name(),
    ]
    assert proposed[1] == tandem.mentor.applicant.get_full_name()

    page.get_by_role("link", name="Zur Tandembildung").click()
    page.wait_for_url(re.compile(r"/tandembildung/$"))
    assert_accessible(page)
    run_button = page.get_by_role("button", name="Neuen Vorschlag berechnen")
    if run_button.count():
        run_button.click()
        expect(page.get_by_text("Ein neuer Vorschlag ist berechnet.")).to_be_visible()
        assert_accessible(page)
        for row in page.locator("tbody tr").all():
            names = cells(row)
            assert not ("Julia Peters" in names and "Dr. Karin Roth" in names), names
    assert not ProposedPair.objects.filter(mentee=julia, mentor=roth).exists()


def test_cross_sector_leaves_out_the_mentee_without_transfer_consent(page):
    load_demo()
    cohort = Cohort.objects.select_related("programme").get(
        programme__slug=cohorts_demo.CROSS_SECTOR
    )

    log_in(page, "gleichstellung@koeln.example.org")
    open_tandem_formation(page, cohort)
    expect(page.get_by_role("heading", name="Ohne Tandem")).to_be_visible()
    unmatched = page.get_by_role("listitem").filter(has_text="Nina Pohl")
    expect(unmatched).to_have_text(
        "Nina Pohl (Mentee, Muster Medien GmbH): "
        "keine Einwilligung in die Weitergabe an Partnerorganisationen"
    )
    assert page.locator("tbody tr").filter(has_text="Nina Pohl").count() == 0
    assert not Tandem.objects.filter(mentee__applicant__last_name="Pohl").exists()


def test_emscher_lippe_mentee_sees_her_tandem_and_a_certified_mentee_downloads_hers(page):
    logins = load_demo()
    (email,) = logins["MIT FRAUEN an die Spitze"]["Mentee im laufenden Tandem"]
    tandem = Tandem.objects.select_related("mentor__applicant", "cohort").get(
        mentee__applicant__email=email, status=TandemStatus.ACTIVE
    )

    log_in(page, email)
    page.get_by_role("link", name="Mein Tandem").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mein Tandem")
    partner = page.get_by_role("region", name="Ihre Mentor:in")
    expect(partner.locator("strong")).to_have_text(tandem.mentor.applicant.get_full_name())
    assert_accessible(page)

    # The month grid: every month of the tandem, each marked as the contacts say.
    current = month_start(timezone.localdate())
    logged = {month_start(day) for day in tandem.contacts.values_list("date", flat=True)}

    def state(month):
        if month in logged:
            return "month-done"
        if month > current:
            return "month-upcoming"
        return "month-open" if month == current else "month-missing"

    with translation.override("de"):
        expected = [(short_month(m), state(m)) for m in tandem.months]
    grid = page.locator("ol.month-timeline > li")
    shown = [
        (item.locator(".month-name").inner_text(), item.get_attribute("class"))
        for item in grid.all()
    ]
    assert shown == expected
    log_out(page)

    log_in(page, "katharina.albers@marl.example.org")
    page.goto("/workshops/")
    mine = page.get_by_role("region", name="Ihr Teilnahmenachweis")
    expect(mine).to_be_visible()
    assert_accessible(page)
    with page.expect_download() as info:
        mine.get_by_role("link", name="Teilnahmezertifikat herunterladen (PDF)").click()
    assert info.value.path().read_bytes().startswith(b"%PDF-")
    assert info.value.suggested_filename == "Teilnahmezertifikat-Katharina-Albers.pdf"
    assert_no_horizontal_scroll(page)


def test_intercommunal_chair_sees_the_seats_and_cannot_accept_a_sixth_koeln_mentee(page):
    load_demo()
    cohort = Cohort.objects.get(programme__slug=cohorts_demo.INTERCOMMUNAL)
    koeln = Organisation.objects.get(name=cohorts_demo.KOELN.name)
    aylin = Application.objects.get(applicant__email="aylin.kaya@koeln.example.org")
    assert (aylin.state, aylin.organisation) == (ApplicationState.INTERVIEW, koeln)

    log_in(page, "gleichstellung@koeln.example.org")
    page.goto("/verwaltung/applications/application/")
    page.locator("#changelist-filter").get_by_role("link", name=str(cohort)).click()
    expect(page).to_have_url(re.compile(rf"\?cohort__id__exact={cohort.pk}$"))
    seats = page.locator("#seat-usage")
    assert seats.get_by_role("row", name="Stadt Köln").inner_text().split("\t")[:2] == [
        "Stadt Köln",
        "5/5 (4 angenommen, 1 vorgemerkt) – alle vergeben",
    ]
    assert seats.get_by_role("row", name="Stadt Düsseldorf").inner_text().split("\t")[:2] == [
        "Stadt Düsseldorf",
        "4/5 (4 angenommen, 0 vorgemerkt)",
    ]
    assert_accessible(page)

    page.get_by_role("row", name="Aylin Kaya").get_by_role("checkbox").check()
    page.get_by_role("combobox", name="Aktion").select_option(
        label="Entscheidung vormerken: annehmen"
    )
    page.get_by_role("button", name="Ausführen").click()
    expect(page.locator(".messagelist")).to_have_text(
        "Aylin Kaya: Für Stadt Köln sind alle 5 Mentee-Plätze vergeben (5/5). Setzen Sie die "
        "Bewerbung auf die Warteliste oder nehmen Sie eine andere Zusage zurück."
    )
    assert_accessible(page)
    aylin.refresh_from_db()
    assert (aylin.state, aylin.pending_decision) == (ApplicationState.INTERVIEW, "")
