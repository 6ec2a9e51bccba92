"""Every page of every role's journey, at 1280 px and at 320 px: axe, reflow, control contrast.

BITV 2.0 asks WCAG 2.1 AA of every page, so this module does not follow one journey but
visits each page a demo role reaches (the Django admin of the office and the officers
included) in one browser, sets the viewport per page, and runs on each at both widths:

- axe-core (wcag2a, wcag2aa, wcag21a, wcag21aa);
- the reflow check (1.4.10): nothing makes the page scroll sideways;
- the control-contrast check (1.4.11), which axe leaves out: edges of fields, checkboxes,
  radios and buttons, and the focus indicator, at least 3:1.

The HTML of every page, as the server sent it, goes through the Nu HTML Checker once at
the end (4.1.1 and the heading order that 1.3.1 relies on).

It reports every failure of every page at once. A new page goes into ``JOURNEYS`` below:
a path, with ``{name}`` for an id that ``demo_ids`` looks up in the demo.
"""

import datetime as dt
import io
import json
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from applications.enums import ApplicationState
from applications.models import Application, CareerStep
from cohorts import demo as cohorts_demo
from cohorts.models import BeiratMembership, Cohort, Organisation, Programme
from evaluation.enums import SurveyKind
from evaluation.models import EarlyWarning, Survey, SurveyAnswered
from evaluation.services import surveys_create_defaults
from mentoring.demo import PROGRAMME_OFFICE_EMAIL
from mentoring.models import PrivacyNotice, User
from tandems.enums import TandemStatus
from tandems.models import Contact, MatchingRun, Tandem
from tandems.services import matching_run
from tests.browser.conftest import (
    AXE_SCRIPT,
    axe_violations,
    control_contrast_failures,
    html_errors,
    nu_checker_problem,
    reflow_problem,
)
from workshops.models import Attendance, Certificate, ProjectTeam, Workshop

pytestmark = [pytest.mark.browser]

WIDTHS = (1280, 320)
HEIGHT = 900

RUNNING_MENTEE = "simone.ostrowski@bottrop.example.org"
RUNNING_MENTOR = "angelika.peters@gelsenkirchen.example.org"
CHAIR = "gleichstellung@kreis-recklinghausen.example.org"
MEMBER = "gleichstellung@bottrop.example.org"
DRAFT_APPLICANT = "lea.sommer@gladbeck.example.org"
INTERVIEWED_APPLICANT = "aylin.kaya@koeln.example.org"
CERTIFIED_MENTEE = "katharina.albers@marl.example.org"
# Her password is reset through the mailed link; she logs in nowhere else here, so the
# link's token stays valid (it is bound to her last login).
FORGETFUL = "gleichstellung@datteln.example.org"


@dataclass(frozen=True)
class Step:
    """What she does in the browser between two pages; not a page to check."""

    does: str
    act: Callable  # (page, demo)


@dataclass(frozen=True)
class Redirected:
    """A page that sends her on by design: the path she asks for, the page she sees."""

    path: str
    to: str


@dataclass(frozen=True)
class Journey:
    """Who (None: not logged in) and the pages she visits, in order, with her steps."""

    role: str
    email: str | None
    pages: tuple[str | Redirected | Step, ...]

    def visits(self):
        """(path asked for, path shown) of each page."""
        return tuple(
            (page.path, page.to) if isinstance(page, Redirected) else (page, page)
            for page in self.pages
            if not isinstance(page, Step)
        )


def confirm_login_with_app(page, demo):
    """The code her authenticator app shows, typed where the site asks for it."""
    device = TOTPDevice.objects.get(pk=demo["office_app"])
    page.goto("/konto/zweiter-faktor/")
    page.get_by_label("Bestätigungscode").fill(f"{totp(device.bin_key):06d}")
    page.get_by_role("button", name="Bestätigen").click()
    page.wait_for_url("**/start/")


CONFIRM_LOGIN = Step("confirms her login with her app", confirm_login_with_app)


def answer_check_in_low(page, demo):
    """She answers the one-month check-in with a difficult start: the question follows."""
    page.goto(f"/befragung/{demo['check_in']}/")
    page.locator("#id_check_in_going_0").check()
    page.get_by_role("button", name="Antworten senden").click()
    page.wait_for_url(f"**/befragung/{demo['check_in']}/kontakt/")


ANSWER_CHECK_IN = Step("answers the one-month check-in with a low score", answer_check_in_low)


ADMIN = "/verwaltung"
# A template that several roles see alike is visited once; a page whose content changes with
# the role (start pages, the Beirat's read-only admin, a member's partial grid) once per role.
PUBLIC = (
    "/",
    "/programm/{el_slug}/",
    "/programm/{cross_sector_slug}/",
    "/programm/{internal_slug}/",
    "/programm/{intercommunal_slug}/",
    "/programm/{el_slug}/jahrgang/{call_number}/",
    "/programm/{cross_sector_slug}/jahrgang/{cross_sector_number}/",
    "/programm/{internal_slug}/jahrgang/{internal_number}/",
    "/programm/{intercommunal_slug}/jahrgang/{selection_number}/",
    "/impressum/",
    "/datenschutz/",
    "/datenschutz/version/{privacy_version}/",
    "/barrierefreiheit/",
    "/barrierefreiheit/rueckmeldung/",
    "/barrierefreiheit/rueckmeldung/gesendet/",
    "/leichte-sprache/",
    "/zertifikat/",
    "/zertifikat/{certificate_code}/",
    "/konto/anmelden/",
    "/konto/registrieren/",
    "/konto/registriert/",
    "/konto/passwort/vergessen/",
    "/konto/passwort/vergessen/gesendet/",
    # The mailed link moves its token into the session and out of the address bar.
    Redirected(
        "/konto/passwort/neu/{reset_uid}/{reset_token}/",
        to="/konto/passwort/neu/{reset_uid}/set-password/",
    ),
    "/konto/passwort/neu/fertig/",
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
        DRAFT_APPLICANT,
        (
            "/start/",
            "/bewerbung/",
            "/bewerbung/{draft}/bearbeiten/",
            # The form of the other role (her own role's form is her draft above).
            "/bewerbung/{el_slug}/jahrgang/{call_number}/mentor/",
            "/konto/",
            "/konto/passwort/aendern/",
            "/konto/passwort/aendern/fertig/",
        ),
    ),
    Journey(
        "Bewerberin im Auswahlgespräch",
        INTERVIEWED_APPLICANT,
        # A draft cannot be withdrawn (it is deleted); a submitted application can.
        ("/start/", "/bewerbung/", "/bewerbung/{interviewed}/zurueckziehen/"),
    ),
    Journey(
        "Mentee im laufenden Tandem",
        RUNNING_MENTEE,
        (
            "/start/",
            "/bewerbung/",
            "/konto/",
            "/konto/daten/",
            "/konto/einwilligungen/",
            # Withdrawing would end her part in the programme: she confirms first.
            "/konto/einwilligungen/processing/widerrufen/",
            # With one tandem (the usual case), her list is that tandem's page.
            Redirected("/tandem/", to="/tandem/{tandem}/"),
            "/tandem/{tandem}/kontakte/neu/",
            "/tandem/{tandem}/kontakte/{contact}/",
            "/tandem/{tandem}/kontakte/{contact}/loeschen/",
            "/tandem/{tandem}/zielvereinbarung/",
            "/workshops/",
            "/befragung/{midterm}/",
            ANSWER_CHECK_IN,
            "/befragung/{check_in}/kontakt/",
            "/befragung/{check_in}/",
        ),
    ),
    Journey(
        "Mentor:in im laufenden Tandem",
        RUNNING_MENTOR,
        ("/start/", "/bewerbung/", Redirected("/tandem/", to="/tandem/{tandem}/"), "/workshops/"),
    ),
    Journey(
        "Mentee mit Zertifikat",
        CERTIFIED_MENTEE,
        ("/start/", Redirected("/tandem/", to="/tandem/{certified_tandem}/"), "/workshops/"),
    ),
    Journey(
        "Beiratsvorsitz (Emscher-Lippe)",
        CHAIR,
        (
            "/start/",
            "/konto/",
            "/konto/einwilligungen/",
            "/konto/zweiter-faktor/einrichten/",
            "/beirat/",
            *beirat("running"),
            # The running cohort has a new proposal (the fixture): her mentee without a tandem.
            "/beirat/jahrgang/{running}/tandembildung/von-hand/{unmatched_mentee}/",
            "/beirat/jahrgang/{running}/tandembildung/{proposal}/veroeffentlichen/",
            "/beirat/jahrgang/{running}/workshops/{kick_off}/anwesenheit/",
            "/beirat/jahrgang/{running}/projektteams/neu/",
            "/beirat/jahrgang/{running}/projektteams/{running_team}/",
            "/beirat/tandem/{running_tandem}/beenden/",
            "/beirat/tandem/{ended_tandem}/neu-zuordnen/",
            "/beirat/jahrgang/{call}/tandembildung/",
            "/beirat/jahrgang/{finished}/zertifikate/",
            "/beirat/jahrgang/{finished}/zertifikate/druck/{batch}/",
            # The report of a finished and of a running cohort, and the programme's comparison.
            "/beirat/jahrgang/{finished}/bericht/",
            "/beirat/jahrgang/{running}/bericht/",
            "/beirat/programm/{el_programme}/bericht/",
            f"{ADMIN}/",
            f"{ADMIN}/applications/",
            f"{APPLICATION}/?cohort__id__exact={{call}}&aufgabe=bewertung",
            f"{APPLICATION}/{{in_review}}/change/",
            f"{APPLICATION}/{{in_review}}/bewerten/",
            f"{APPLICATION}/{{in_review}}/korrektur/",
            f"{APPLICATION}/{{in_review}}/gespraech/",
            f"{APPLICATION}/{{in_review}}/uebersteuern/",
            f"{APPLICATION}/vorschlagen/",
            f"{APPLICATION}/freigabe/{{call}}/",
            # What she may read but not change (the office's forms are editable).
            f"{ADMIN}/cohorts/cohort/{{running}}/change/",
            f"{ADMIN}/workshops/workshop/{{kick_off}}/change/",
            f"{ADMIN}/evaluation/survey/",
            f"{ADMIN}/evaluation/survey/{{evaluation_survey}}/change/",
            f"{ADMIN}/evaluation/earlywarning/",
            f"{ADMIN}/password_change/",
            f"{ADMIN}/password_change/done/",
        ),
    ),
    Journey(
        "Beirat (Emscher-Lippe)",
        MEMBER,
        (
            "/start/",
            "/beirat/",
            "/beirat/jahrgang/{running}/kontakte/",
            f"{APPLICATION}/",
            f"{APPLICATION}/{{member_application}}/change/",
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
            # She has an authenticator app (the fixture): the site asks for its code.
            "/konto/zweiter-faktor/",
            CONFIRM_LOGIN,
            "/konto/",
            "/konto/zweiter-faktor/notfallcodes/",
            "/konto/zweiter-faktor/einrichten/",
            "/beirat/",
            "/beirat/zertifikate/{certificate}/widerruf/",
            f"{ADMIN}/",
            f"{ADMIN}/applications/",
            f"{ADMIN}/cohorts/",
            f"{ADMIN}/mentoring/",
            f"{ADMIN}/workshops/",
            f"{ADMIN}/evaluation/",
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
                "mentoring.privacynotice",
                "evaluation.survey",
                "evaluation.earlywarning",
            ),
            # An add form is its change form, empty; these differ.
            f"{ADMIN}/cohorts/cohort/add/",
            f"{ADMIN}/workshops/workshop/add/",
            f"{ADMIN}/mentoring/user/add/",
            f"{ADMIN}/mentoring/privacynotice/add/",
            f"{ADMIN}/mentoring/accessibilitystatement/add/",
            f"{ADMIN}/evaluation/survey/add/",
            # Empty autocomplete boxes, named by their labels.
            f"{ADMIN}/applications/careerstep/add/",
            f"{ADMIN}/cohorts/beiratmembership/add/",
            f"{ADMIN}/evaluation/survey/standard/",
            # Pages beyond a model's list and form.
            f"{ADMIN}/cohorts/cohort/{{running}}/neuer-jahrgang/",
            f"{ADMIN}/mentoring/user/{{mentoring_user}}/password/",
            f"{ADMIN}/mentoring/user/{{erasable}}/loeschen-auf-antrag/",
            f"{ADMIN}/mentoring/erasurerecord/vorschau/",
            # Second factors (her own app, from the fixture) and locked logins.
            f"{ADMIN}/otp_totp/totpdevice/",
            f"{ADMIN}/django_otp_webauthn/webauthncredential/",
            f"{ADMIN}/axes/accessattempt/",
            # The demo has no rows of these: their lists, empty.
            f"{ADMIN}/workshops/rsvp/",
            f"{ADMIN}/workshops/certificatepolicy/",
            f"{ADMIN}/mentoring/sentmail/",
            f"{ADMIN}/mentoring/sentreminder/",
            f"{ADMIN}/mentoring/erasurerecord/",
            f"{ADMIN}/mentoring/accessibilitystatement/",
            f"{ADMIN}/mentoring/accessibilityfeedback/",
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
    ended_tandem = Tandem.objects.get(cohort=running, status=TandemStatus.ENDED)
    member_organisation = BeiratMembership.objects.filter(user__email=MEMBER).first().organisation
    forgetful = User.objects.get(email=FORGETFUL)
    return {
        "el_slug": cohorts_demo.EMSCHER_LIPPE,
        "intercommunal_slug": cohorts_demo.INTERCOMMUNAL,
        "cross_sector_slug": cohorts_demo.CROSS_SECTOR,
        "internal_slug": cohorts_demo.INTERNAL,
        "call_number": call.number,
        "running_number": running.number,
        "cross_sector_number": cross_sector.number,
        "internal_number": internal.number,
        "selection_number": selection.number,
        "finished": finished.pk,
        "el_programme": finished.programme_id,
        "running": running.pk,
        "call": call.pk,
        "selection": selection.pk,
        "cross_sector": cross_sector.pk,
        "internal": internal.pk,
        "draft": Application.objects.get(applicant__email=DRAFT_APPLICANT).pk,
        "erasable": User.objects.get(email=DRAFT_APPLICANT).pk,
        "interviewed": Application.objects.get(applicant__email=INTERVIEWED_APPLICANT).pk,
        "tandem": tandem.pk,
        "certified_tandem": Tandem.objects.get(mentee__applicant__email=CERTIFIED_MENTEE).pk,
        "contact": Contact.objects.filter(tandem=tandem, author__email=RUNNING_MENTEE)
        .order_by("-date")
        .first()
        .pk,
        "running_tandem": tandem.pk,
        "ended_tandem": ended_tandem.pk,
        "unmatched_mentee": ended_tandem.mentee_id,
        "proposal": MatchingRun.objects.get(cohort=running, published_at=None).pk,
        "office_app": TOTPDevice.objects.get(user__email=PROGRAMME_OFFICE_EMAIL).pk,
        "privacy_version": PrivacyNotice.objects.order_by("-version").first().version,
        "reset_uid": urlsafe_base64_encode(force_bytes(forgetful.pk)),
        "reset_token": default_token_generator.make_token(forgetful),
        "kick_off": Workshop.objects.filter(cohort=running).order_by("date").first().pk,
        "midterm": Survey.objects.get(cohort=running, kind=SurveyKind.MIDTERM).pk,
        "check_in": Survey.objects.get(cohort=running, kind=SurveyKind.FIRST_MONTH).pk,
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
        "member_application": Application.objects.filter(
            cohort=call, organisation=member_organisation, state=ApplicationState.SUBMITTED
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
                PrivacyNotice,
                Survey,
                EarlyWarning,
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


def log_in(context, live_server, email):
    """Her session, made as a login makes it (with its signals), in the browser's cookies.

    The login form is a page of its own here and has its journeys elsewhere
    (test_start_journey); filling it in for every role would only cost time.
    """
    client = Client()
    client.force_login(User.objects.get(email=email))
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}]
    )


# Pages that lead on to others: what their links name must be in JOURNEYS, in this journey
# or another. The admin's index offers an add form per model; those are mostly the change
# form, empty, and JOURNEYS lists the ones that differ.
HUBS = {
    "/start/": "header nav a[href]",
    "/konto/": "main a[href]",
    f"{ADMIN}/": "#content-main a[href]:not([href$='/add/'])",
}


def linked_paths(page, selector):
    """The site's own pages that the links in ``selector`` lead to (without a query)."""
    hrefs = page.eval_on_selector_all(
        selector, "links => links.map(link => link.getAttribute('href'))"
    )
    return {urlsplit(href).path for href in hrefs if href.startswith("/")}


@pytest.fixture
def demo(transactional_db):
    call_command("load_demo", stdout=io.StringIO())
    # What the demo leaves out: an officer with an authenticator app, and a cohort whose
    # chair has computed a new proposal (its ended tandem's mentee is left without one).
    office = User.objects.get(email=PROGRAMME_OFFICE_EMAIL)
    TOTPDevice.objects.create(user=office, name="Telefon", confirmed=True)
    running = Cohort.objects.get(programme__slug=cohorts_demo.EMSCHER_LIPPE, number=9)
    matching_run(cohort=running, actor=User.objects.get(email=CHAIR))
    # The running cohort's mid-term survey and one-month check-in open today, whatever the
    # demo's dates, and not yet answered by the mentee who answers them here; a request for
    # contact from a mentee of the chair's organisation.
    mentee = User.objects.get(email=RUNNING_MENTEE)
    surveys_create_defaults(cohort=running, actor=office)
    today = timezone.localdate()
    Survey.objects.filter(
        cohort=running, kind__in=[SurveyKind.MIDTERM, SurveyKind.FIRST_MONTH]
    ).update(
        opens_on=today - dt.timedelta(days=3),
        closes_on=today + dt.timedelta(days=10),
        is_active=True,
    )
    SurveyAnswered.objects.filter(survey__cohort=running, user=mentee).delete()
    EarlyWarning.objects.filter(survey__cohort=running, user=mentee).delete()
    chair_organisation = BeiratMembership.objects.filter(user__email=CHAIR).first().organisation
    asking = (
        Application.objects.filter(
            cohort=running, state=ApplicationState.ACCEPTED, organisation=chair_organisation
        )
        .exclude(applicant=mentee)
        .order_by("pk")
        .first()
    )
    EarlyWarning.objects.get_or_create(
        survey=Survey.objects.get(cohort=running, kind=SurveyKind.FIRST_MONTH),
        user=asking.applicant,
        defaults={"message": "Bitte rufen Sie mich nachmittags an."},
    )
    return demo_ids()


def test_every_page_of_every_role_passes_axe_reflow_contrast_and_html(browser, live_server, demo):
    every_path = {
        path.format(**demo) for journey in JOURNEYS for visit in journey.visits() for path in visit
    }
    failures, documents = [], {}
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
            log_in(context, live_server, journey.email)
        for entry in journey.pages:
            if isinstance(entry, Step):
                entry.act(page, demo)
                continue
            path, to = (entry.path, entry.to) if isinstance(entry, Redirected) else (entry, entry)
            path, to = path.format(**demo), to.format(**demo)
            page.set_viewport_size({"width": WIDTHS[0], "height": HEIGHT})
            response = page.goto(path)
            where = f"{journey.role}: {path}"
            if response.status != 200:
                failures.append(f"{where} answered {response.status}")
                continue
            # A page that sends her elsewhere (to the login, to her list) is not the page
            # meant, and is not checked.
            shown = urlsplit(page.url)
            shown = shown.path + (f"?{shown.query}" if shown.query else "")
            if shown != to:
                failures.append(f"{where} led to {shown}")
                continue
            documents[where] = response.text()
            failures += check_page(page, where)
            if path in HUBS:
                missing = sorted(linked_paths(page, HUBS[path]) - every_path)
                if missing:
                    failures.append(f"{where}: its links lead to pages not in JOURNEYS: {missing}")
        failures += [f"{journey.role}: {text}" for text in refused]
        context.close()
    checker_missing = nu_checker_problem()
    if checker_missing is None:
        failures += html_errors(documents)
    assert failures == [], f"{len(failures)} failures on {len(documents)} pages:\n" + "\n".join(
        failures
    )
    assert len(documents) == sum(len(journey.visits()) for journey in JOURNEYS)
    if checker_missing:
        message = f"the HTML was not checked: {checker_missing}"
        if settings.REQUIRE_SERVICES:
            pytest.fail(f"required component missing ({message})")
        pytest.skip(message)
