"""Playwright with Debian's Chromium (never a downloaded browser), and axe-core."""

import json
import shutil
import subprocess
import tempfile
from pathlib import Path
from urllib.parse import urlparse

import pytest
from django.conf import settings

from applications.enums import ApplicationRole, ApplicationState
from applications.models import Application
from cohorts import demo as cohorts_demo
from cohorts.enums import CohortState

AXE_SOURCE = Path(__file__).with_name("axe.min.js")
AXE_SCRIPT = AXE_SOURCE.read_text() + "\n;undefined"
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
REFLOW_SCRIPT = Path(__file__).with_name("reflow.js").read_text()
CONTROL_CONTRAST_SCRIPT = Path(__file__).with_name("control_contrast.js").read_text()
NON_TEXT_CONTRAST = 3.0  # WCAG 1.4.11
# The Nu HTML Checker (package.json; `make test` runs `npm ci`), run by Java.
NU_CHECKER_JAR = Path(settings.BASE_DIR) / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=settings.CHROMIUM_PATH,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="de-DE")
    page = context.new_page()
    page.set_default_timeout(15_000)
    # The Content-Security-Policy holds in every journey: a page that breaks it fails.
    refused = []
    page.on(
        "console",
        lambda message: (
            refused.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    yield page
    context.close()
    assert refused == []


def axe_violations(page):
    """Runs axe-core on the current page; returns the WCAG 2.1 AA violations, readable."""
    # Evaluated through the debugging protocol, which the page's CSP does not restrict
    # (a <script> tag would be refused, as it should be). Without preloading: axe would
    # copy the admin's style sheets into an inline <style>, which the CSP rightly refuses.
    if not page.evaluate("() => typeof axe !== 'undefined'"):
        page.evaluate(AXE_SCRIPT)
    # Only the violations, made readable in the page: axe's whole result (every rule's
    # passes and descriptions) is large, and the way out of the browser costs time.
    return page.evaluate(
        """tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, preload: false,
            resultTypes: ['violations']}).then(result => result.violations.map(violation => ({
                id: violation.id,
                help: violation.help,
                nodes: violation.nodes.slice(0, 5).map(node => node.target),
            })))""",
        WCAG_21_AA,
    )


def assert_accessible(page):
    violations = axe_violations(page)
    assert violations == [], json.dumps(violations, indent=2, ensure_ascii=False)


def reflow_problem(page):
    """WCAG 1.4.10: None if the page fits its viewport's width, else what sticks out."""
    result = page.evaluate(REFLOW_SCRIPT)
    if result["scrollWidth"] <= result["innerWidth"]:
        return None
    return f"{result['scrollWidth']} px wide at {result['innerWidth']} px: " + "; ".join(
        result["culprits"]
    )


def assert_reflows(page):
    """Nothing makes the page scroll sideways at its current viewport (320 px: 1.4.10)."""
    problem = reflow_problem(page)
    assert problem is None, problem


def control_contrast_failures(page):
    """WCAG 1.4.11 for the edges of controls and buttons and for the focus indicator.

    One Tab first, so that Chromium shows focus as it does for the keyboard
    (:focus-visible) when control_contrast.js moves it from control to control.
    """
    edges = page.evaluate(CONTROL_CONTRAST_SCRIPT, {"minimum": NON_TEXT_CONTRAST, "part": "edges"})
    page.keyboard.press("Tab")
    focus = page.evaluate(CONTROL_CONTRAST_SCRIPT, {"minimum": NON_TEXT_CONTRAST, "part": "focus"})
    return edges + focus


def assert_control_contrast(page):
    failures = control_contrast_failures(page)
    assert failures == [], "\n".join(failures)


def nu_checker_problem():
    """None if the Nu HTML Checker can run here, else what is missing."""
    if shutil.which("java") is None:
        return "no java on the PATH (Debian: default-jre-headless)"
    if not NU_CHECKER_JAR.exists():
        return f"no {NU_CHECKER_JAR.relative_to(settings.BASE_DIR)} (npm ci)"
    return None


def html_errors(documents):
    """The Nu HTML Checker's errors in ``documents`` (where: HTML), one line each.

    One run of the checker for all of them: Java starts once.
    """
    if not documents:
        return []
    with tempfile.TemporaryDirectory(prefix="nu-check-") as folder:
        where = {}
        for number, (name, html) in enumerate(documents.items()):
            path = Path(folder) / f"{number:04d}.html"
            path.write_text(html, encoding="utf-8")
            where[path.name] = name
        # A short run: the quick compiler alone (C1) takes less than half the processor
        # time; its deeper stack frames need more than the default stack for the schema.
        java = ["java", "-Xss4m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-jar"]
        checked = subprocess.run(
            [*java, str(NU_CHECKER_JAR), "--errors-only", "--format", "json", "--stdout"]
            + [str(Path(folder) / name) for name in where],
            capture_output=True,
            text=True,
            timeout=300,
        )
    try:
        messages = json.loads(checked.stdout)["messages"]
    except ValueError:
        return [f"the Nu HTML Checker failed: {checked.stderr.strip() or checked.stdout.strip()}"]

    def line(message):
        file = Path(urlparse(message.get("url", "")).path).name
        text = f"{where.get(file, file)} line {message.get('lastLine', '?')}: {message['message']}"
        extract = " ".join(message.get("extract", "").split())
        return f"{text} [{extract}]" if extract else text

    return [line(message) for message in messages]


def log_in(page, email, password=None):
    """Logs in through the form as a person would (the demo's password by default)."""
    from playwright.sync_api import expect

    from mentoring.demo import DEMO_PASSWORD

    page.goto("/konto/anmelden/")
    page.get_by_label("E-Mail-Adresse").fill(email)
    page.get_by_label("Passwort").fill(password or DEMO_PASSWORD)
    page.get_by_role("button", name="Anmelden").last.click()
    expect(page.get_by_role("button", name="Abmelden")).to_be_visible()


def log_out(page):
    page.get_by_role("button", name="Abmelden").click()


def submitted_demo_mentee():
    """The first submitted mentee application of the demo's open Emscher-Lippe cohort."""
    return (
        Application.objects.filter(
            cohort__programme__slug=cohorts_demo.EMSCHER_LIPPE,
            cohort__state=CohortState.OPEN,
            role=ApplicationRole.MENTEE,
            state=ApplicationState.SUBMITTED,
        )
        .select_related("applicant", "cohort")
        .order_by("pk")
        .first()
    )
