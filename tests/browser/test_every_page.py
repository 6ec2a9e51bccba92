"""Every page of every role's journey, at 1280 px and at 320 px: axe, reflow, control contrast.

BITV 2.0 asks WCAG 2.1 AA of every page, so this module does not follow one journey but
visits each page a demo role reaches (the Django admin of the office and the officers
included) in one browser, sets the viewport per page, and runs on each at both widths:

- axe-core (wcag2a, wcag2aa, wcag21a, wcag21aa);
- the reflow check (1.4.10): nothing makes the page scroll sideways;
- the control-contrast check (1.4.11), which axe leaves out: edges of fields, checkboxes,
  radios and buttons, and the focus indicator, at least 3:1.

It reports every failure of every page at once. A new page goes into ``JOURNEYS`` below:
a path, with ``{name}`` for an id that ``demo_ids`` looks up in the demo.
"""

import io
import json
from dataclasses import dataclass

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from applications.enums import ApplicationState
from applications.models import Application, CareerStep
from cohorts import demo as cohorts_demo
from cohorts.models import BeiratMembership, Cohort, Organisation, Programme
from mentoring.demo import DEMO_PASSWORD, PROGRAMME_OFFICE_EMAIL
from mentoring.models import User
from tandems.enums import TandemStatus
from tandems.models import Contact, Tandem
from tests.browser.conftest import (
    AXE_SCRIPT,
    axe_violations,
    control_contrast_failures,
    reflow_problem,
)
from workshops.models import Attendance, Certificate, ProjectTeam, Workshop

pytestmark = [pytest.mark.browser]

WIDTHS = (1280, 320)
HEIGHT = 900

RUNNING_MENTEE = "simone.ostrowski@bottrop.example.org"
RUNNING_MENTOR = "angelika.peters@gelsenkirchen.example.org"
CHAIR = "gleichstellung@kreis-recklinghausen.example.org"


@dataclass(frozen=True)
class Journey:
    """Who (None: not logged in) and the pages she visits, in order."""

    role: str
    email: str | None
    pages: tuple[str, ...]


ADMIN = "/verwaltung"
# A template that several roles see alike is visited once; a page whose content changes with
# the role (start pages, the Beirat's read-only admin, a member's partial grid) once per role.
PUBLIC = (
    "/",
    "/programm/{el_slug}/",
    "/programm/{cross_sector_slug}/",
    "/programm/{internal_slug}/",
    "/programm/{el_slug}/jahrgang/{call_number}/",
    "/programm/{cross_sector_slug}/jahrgang/{cross_sector_number}/",
    "/programm/{internal_slug}/jahrgang/{internal_number}/",
    "/impressum/",
    "/datenschutz/",
    "/barrierefreiheit/",
    "/zertifikat/",
    "/zertifikat/{certificate_code}/",
    "/konto/anmelden/",
    "/konto/registrieren/",
    "/konto/passwort/vergessen/",
    "/bewerbung/{el_slug}/jahrgang/{call_number}/mentee/",
)
# The Beirat's pages of one cohort, by the name of the cohort's id.
BEIRAT_COHORT = (
    "/beirat/jahrgang/{cohort}/tandembildung/",
    "/beirat/jahrgang/{cohort}/tandems/",
    "/beirat/jahrgang/{cohort}/kontakte/",
    "/beirat/jahrgang/{cohort}/workshops/",
    "/beirat/jahrgang/{cohort}/projektteams/",
    "/beirat/jahrgang/{cohort}/zertifikate/",
)


def beirat(cohort):
    return tuple(path.replace("{cohort}", "{" + cohort + "}") for path in BEIRAT_COHORT)


def admin_pages(*models):
    """Changelist and change form of each ``app.model`` (the form of the demo's ``{app_model}``)."""
    pages = []
    for model in models:
        app, name = model.split(".")
        pages += [f"{ADMIN}/{app}/{name}/", f"{ADMIN}/{app}/{name}/{{{app}_{name}}}/change/"]
    return tuple(pages)


APPLICATION = f"{ADMIN}/applications/application"
JOURNEYS = (
    Journey("Besucherin", None, PUBLIC),
    Journey(
        "Bewerberin mit Entwurf",
        "lea.sommer@gladbeck.example.org",
        (
            "/start/",
            "/bewerbung/",
            "/bewerbung/{draft}/bearbeiten/",
            "/bewerbung/{draft}/zurueckziehen/",
            "/konto/",
            "/konto/passwort/aendern/",
        ),
    ),
    Journey(
        "Bewerberin im Auswahlgespräch", "aylin.kaya@koeln.example.org", ("/start/", "/bewerbung/")
    ),
    Journey(
        "Mentee im laufenden Tandem",
        RUNNING_MENTEE,
        (
            "/start/",
            "/bewerbung/",
            "/konto/",
            "/tandem/",
            "/tandem/{tandem}/",
            "/tandem/{tandem}/kontakte/neu/",
            "/tandem/{tandem}/kontakte/{contact}/",
            "/tandem/{tandem}/kontakte/{contact}/loeschen/",
            "/tandem/{tandem}/zielvereinbarung/",
            "/workshops/",
        ),
    ),
    Journey(
        "Mentor:in im laufenden Tandem",
        RUNNING_MENTOR,
        ("/start/", "/bewerbung/", "/tandem/", "/tandem/{tandem}/", "/workshops/"),
    ),
    Journey(
        "Mentee mit Zertifikat",
        "katharina.albers@marl.example.org",
        ("/start/", "/tandem/", "/workshops/"),
    ),
    Journey(
        "Beiratsvorsitz (Emscher-Lippe)",
        CHAIR,
        (
            "/start/",
            "/konto/",
            "/beirat/",
            *beirat("running"),
            "/beirat/jahrgang/{running}/workshops/{kick_off}/anwesenheit/",
            "/beirat/jahrgang/{running}/projektteams/neu/",
            "/beirat/jahrgang/{running}/projektteams/{running_team}/",
            "/beirat/tandem/{running_tandem}/beenden/",
            "/beirat/tandem/{ended_tandem}/neu-zuordnen/",
            "/beirat/jahrgang/{call}/tandembildung/",
            "/beirat/jahrgang/{finished}/zertifikate/",
            "/beirat/jahrgang/{finished}/zertifikate/druck/{batch}/",
            f"{ADMIN}/",
            f"{ADMIN}/applications/",
            f"{APPLICATION}/?cohort__id__exact={{call}}&aufgabe=bewertung",
            f"{APPLICATION}/{{in_review}}/change/",
            f"{APPLICATION}/{{in_review}}/korrektur/",
            f"{APPLICATION}/{{in_review}}/gespraech/",
            f"{APPLICATION}/{{in_review}}/uebersteuern/",
            f"{APPLICATION}/vorschlagen/",
            f"{APPLICATION}/freigabe/{{call}}/",
            # What she may read but not change (the office's forms are editable).
            f"{ADMIN}/cohorts/cohort/{{running}}/change/",
            f"{ADMIN}/workshops/workshop/{{kick_off}}/change/",
            f"{ADMIN}/password_change/",
        ),
    ),
    Journey(
        "Beirat (Emscher-Lippe)",
        "gleichstellung@bottrop.example.org",
        (
            "/start/",
            "/beirat/",
            "/beirat/jahrgang/{running}/kontakte/",
            f"{APPLICATION}/",
            f"{APPLICATION}/{{in_review}}/change/",
        ),
    ),
    Journey(
        "Beiratsvorsitz (Köln: interkommunal und mit Unternehmen)",
        "gleichstellung@koeln.example.org",
        (
            "/start/",
            "/beirat/",
            "/beirat/jahrgang/{cross_sector}/tandembildung/",
            "/beirat/jahrgang/{cross_sector}/tandems/",
            "/beirat/jahrgang/{selection}/tandembildung/",
            f"{APPLICATION}/?cohort__id__exact={{selection}}",
            f"{APPLICATION}/{{interview}}/change/",
        ),
    ),
    Journey(
        "Beirat eines Unternehmens",
        "diversity@muster-versicherung-ag.example.org",
        ("/start/", "/beirat/"),
    ),
    Journey(
        "Beiratsvorsitz (Kerpen, intern)",
        "gleichstellung@kerpen.example.org",
        ("/start/", "/beirat/", "/beirat/jahrgang/{internal}/tandembildung/"),
    ),
    Journey(
        "Programmbüro",
        PROGRAMME_OFFICE_EMAIL,
        (
            "/start/",
            "/beirat/",
            "/beirat/zertifikate/{certificate}/widerruf/",
            f"{ADMIN}/",
            f"{ADMIN}/cohorts/",
            f"{ADMIN}/workshops/",
            *admin_pages(
                "cohorts.programme",
                "cohorts.organisation",
                "cohorts.cohort",
                "cohorts.beiratmembership",
                "applications.application",
                "applications.topic",
                "applications.reviewcriterion",
                "applications.eligibilitypolicy",
                "applications.careerstep",
                "workshops.workshop",
                "workshops.attendance",
                "workshops.projectteam",
                "workshops.certificate",
                "workshops.certificatebatch",
                "mentoring.user",
            ),
            f"{ADMIN}/cohorts/cohort/add/",
            f"{ADMIN}/workshops/workshop/add/",
            # The demo has no rows of these: their lists, empty.
            f"{ADMIN}/workshops/rsvp/",
            f"{ADMIN}/workshops/certificatepolicy/",
            f"{ADMIN}/mentoring/sentmail/",
            f"{ADMIN}/mentoring/sentreminder/",
        ),
    ),
)


def demo_ids():
    """The ids and codes the paths of ``JOURNEYS`` name, looked up in the loaded demo."""

    def cohort(slug, number=None):
        cohorts = Cohort.objects.filter(programme__slug=slug).order_by("-number")
        return cohorts.get(number=number) if number else cohorts.first()

    finished = cohort(cohorts_demo.EMSCHER_LIPPE, 8)
    running = cohort(cohorts_demo.EMSCHER_LIPPE, 9)
    call = cohort(cohorts_demo.EMSCHER_LIPPE, 10)
    selection = cohort(cohorts_demo.INTERCOMMUNAL)
    cross_sector = cohort(cohorts_demo.CROSS_SECTOR)
    internal = cohort(cohorts_demo.INTERNAL)
    tandem = Tandem.objects.get(mentee__applicant__email=RUNNING_MENTEE, status=TandemStatus.ACTIVE)
    chair_organisation = BeiratMembership.objects.filter(user__email=CHAIR).first().organisation
    certificate = Certificate.objects.filter(cohort=finished).order_by("pk").first()
    return {
        "el_slug": cohorts_demo.EMSCHER_LIPPE,
        "intercommunal_slug": cohorts_demo.INTERCOMMUNAL,
        "cross_sector_slug": cohorts_demo.CROSS_SECTOR,
        "internal_slug": cohorts_demo.INTERNAL,
        "call_number": call.number,
        "running_number": running.number,
        "cross_sector_number": cross_sector.number,
        "internal_number": internal.number,
        "finished": finished.pk,
        "running": running.pk,
        "call": call.pk,
        "selection": selection.pk,
        "cross_sector": cross_sector.pk,
        "internal": internal.pk,
        "draft": Application.objects.get(applicant__email="lea.sommer@gladbeck.example.org").pk,
        "tandem": tandem.pk,
        "contact": Contact.objects.filter(tandem=tandem, author__email=RUNNING_MENTEE)
        .order_by("-date")
        .first()
        .pk,
        "running_tandem": tandem.pk,
        "ended_tandem": Tandem.objects.get(cohort=running, status=TandemStatus.ENDED).pk,
        "kick_off": Workshop.objects.filter(cohort=running).order_by("date").first().pk,
        "running_team": ProjectTeam.objects.filter(cohort=running).order_by("pk").first().pk,
        "batch": finished.certificate_batches.order_by("-pk").first().pk,
        "certificate": certificate.pk,
        "certificate_code": certificate.code,
        "in_review": Application.objects.filter(
            cohort=call, state=ApplicationState.IN_REVIEW, organisation=chair_organisation
        )
        .order_by("pk")
        .first()
        .pk,
        "interview": Application.objects.filter(cohort=selection, state=ApplicationState.INTERVIEW)
        .order_by("pk")
        .first()
        .pk,
        # The change form of each model in the admin journeys: the demo's first row.
        **{
            f"{model._meta.app_label}_{model._meta.model_name}": model.objects.order_by("pk")
            .first()
            .pk
            for model in (
                Programme,
                Organisation,
                Cohort,
                BeiratMembership,
                Application,
                CareerStep,
                Workshop,
                Attendance,
                ProjectTeam,
                Certificate,
                User,
            )
        },
        "applications_topic": running.programme.topics.order_by("pk").first().pk,
        "applications_reviewcriterion": call.review_criteria.order_by("pk").first().pk,
        "applications_eligibilitypolicy": call.eligibility_policy.pk,
        "workshops_certificatebatch": finished.certificate_batches.order_by("-pk").first().pk,
    }


def check_page(page, where):
    """axe, reflow and control contrast at each width; returns the failures, readable."""
    failures = []
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": HEIGHT})
        # No hover: the pointer rests in the header's corner, where nothing reacts to it,
        # and transitions (Bootstrap eases colours) are at their end before anything is read.
        page.mouse.move(0, 0)
        page.evaluate("() => document.getAnimations().forEach(animation => animation.finish())")
        label = f"{where} @{width}"
        violations = axe_violations(page)
        if violations:
            failures.append(f"{label} axe: {json.dumps(violations, ensure_ascii=False)}")
        problem = reflow_problem(page)
        if problem:
            failures.append(f"{label} reflow: {problem}")
        failures += [f"{label} contrast: {line}" for line in control_contrast_failures(page)]
    return failures


def log_in(page, email):
    page.goto("/konto/anmelden/")
    page.get_by_label("E-Mail-Adresse").fill(email)
    page.get_by_label("Passwort").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Anmelden").last.click()
    # Logged in: the logout form is there (at 320 px it sits in the folded menu).
    expect(page.locator("form[action='/konto/abmelden/']").first).to_be_attached()


def navigation_paths(page):
    """The main navigation's own pages (both its wide and its phone menu)."""
    hrefs = page.eval_on_selector_all(
        "header nav a[href]", "links => links.map(link => link.getAttribute('href'))"
    )
    return {href for href in hrefs if href.startswith("/")}


@pytest.fixture
def demo(transactional_db):
    call_command("load_demo", stdout=io.StringIO())
    return demo_ids()


def test_every_page_of_every_role_passes_axe_reflow_and_contrast(browser, live_server, demo):
    every_path = {path.format(**demo) for journey in JOURNEYS for path in journey.pages}
    failures, visited = [], 0
    for journey in JOURNEYS:
        context = browser.new_context(base_url=live_server.url, locale="de-DE")
        # axe is in every page from its start (through the debugging protocol, as in
        # axe_violations), instead of being evaluated anew after each navigation.
        context.add_init_script(script=AXE_SCRIPT)
        page = context.new_page()
        page.set_default_timeout(15_000)
        refused = []
        page.on(
            "console",
            lambda message, refused=refused: (
                refused.append(message.text) if "Content Security Policy" in message.text else None
            ),
        )
        page.set_viewport_size({"width": WIDTHS[0], "height": HEIGHT})
        if journey.email:
            log_in(page, journey.email)
        for path in (path.format(**demo) for path in journey.pages):
            page.set_viewport_size({"width": WIDTHS[0], "height": HEIGHT})
            response = page.goto(path)
            where = f"{journey.role}: {path}"
            if response.status != 200:
                failures.append(f"{where} answered {response.status}")
                continue
            visited += 1
            failures += check_page(page, where)
            if path == "/start/":
                # Every page the navigation offers is checked, in this journey or another.
                missing = sorted(navigation_paths(page) - every_path)
                if missing:
                    failures.append(
                        f"{where}: its navigation leads to pages not in JOURNEYS: {missing}"
                    )
        failures += [f"{journey.role}: {text}" for text in refused]
        context.close()
    assert failures == [], f"{len(failures)} failures on {visited} pages:\n" + "\n".join(failures)
    assert visited == sum(len(journey.pages) for journey in JOURNEYS)
