"""Nothing a person sends gives a server error: every form, fed hostile values.

Each form is read from its page as the person who uses it sees it (the anonymous visitor,
an applicant, a mentee, an officer, a chair, the programme office), so that new fields are
fuzzed without a change here. Hypothesis then sends the form with some fields changed:
very long strings, NUL bytes, unicode, SQL and HTML fragments, dates such as 0001-01-01,
9999-12-31 or 2026-02-30, negative and huge numbers, lists instead of single values, fields
left out, files that are no PDFs. Every answer must be below 500; each example runs in a
transaction that is rolled back, so every example starts from the demo as loaded.

``FUZZ_EXAMPLES`` (default 20) sets the examples per form; the examples are derived from
the test's name, so a run is repeatable (set ``FUZZ_RANDOM=1`` to explore).
"""

import os
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from applications.enums import ApplicationState
from applications.models import Application
from cohorts.models import Cohort
from tandems.enums import TandemStatus
from tandems.models import Tandem
from tests.factories import MINIMAL_PDF
from tests.security import people
from workshops.models import Certificate, Workshop

pytestmark = [pytest.mark.security]

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "20"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    derandomize=os.environ.get("FUZZ_RANDOM", "") in ("", "0"),
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)

HOSTILE_TEXT = [
    "",
    " ",
    "\x00",
    "a\x00b",
    "x" * 300,
    "ü" * 5000,
    "A" * 100_000,
    "' OR 1=1 --",
    "'; DROP TABLE mentoring_user; --",
    '"><script>alert(1)</script>',
    "<img src=x onerror=alert(1)>",
    "../../../../etc/passwd",
    "%00",
    "{{ 7*7 }}",
    "%(name)s",
    "\u202e\u200b\ufeff",
    "😀" * 50,
    "0001-01-01",
    "9999-12-31",
    "2026-02-30",
    "0000-00-00",
    "-0001-01-01",
    "0001-01-01T00:00",
    "9999-12-31T23:59",
    "2026-02-30T10:00",
    "01.01.0001 00:00",
    "31.12.9999 23:59",
    "30.02.2026",
    "24:61",
    "-1",
    "0",
    "-2147483649",
    "2147483648",
    "9223372036854775808",
    "99999999999999999999999999",
    "1e309",
    "NaN",
    "-inf",
    "1.5",
    "0x10",
]
hostile_scalar = st.one_of(
    st.sampled_from(HOSTILE_TEXT),
    st.text(max_size=40),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.dates().map(lambda d: d.isoformat()),
    st.datetimes().map(lambda d: d.strftime("%Y-%m-%dT%H:%M")),
)
hostile_file = st.builds(
    lambda name, content: SimpleUploadedFile(name, content, content_type="application/pdf"),
    st.sampled_from(["x.pdf", "x.html", "../../x.php", "a" * 300 + ".pdf", "\x00.pdf", "ü.svg"]),
    st.one_of(
        st.sampled_from([b"", MINIMAL_PDF, b"%PDF-1.4 kaputt", b"<html><script>x</script>"]),
        st.binary(max_size=200),
    ),
)


# Reading a form off its page ------------------------------------------------------------


@dataclass
class Form:
    action: str
    method: str
    id: str = ""
    defaults: dict = field(default_factory=dict)  # name -> list of values sent as shown
    options: dict = field(default_factory=dict)  # name -> values the page offers
    files: list = field(default_factory=list)


class _Forms(HTMLParser):
    def __init__(self):
        super().__init__()
        self.forms, self.current, self.select, self.textarea = [], None, None, None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        form = self.current
        if tag == "form":
            self.current = Form(
                attributes.get("action") or "",
                (attributes.get("method") or "get").lower(),
                attributes.get("id") or "",
            )
            self.forms.append(self.current)
            return
        if form is None:
            return
        name = attributes.get("name")
        if tag == "input" and name:
            kind = (attributes.get("type") or "text").lower()
            value = attributes.get("value", "")
            if kind == "file":
                form.files.append(name)
            elif kind in ("checkbox", "radio"):
                form.options.setdefault(name, []).append(value or "on")
                if "checked" in attributes:
                    form.defaults.setdefault(name, []).append(value or "on")
            elif kind in ("submit", "button", "image", "reset"):
                form.options.setdefault(name, []).append(value)
            else:
                form.defaults[name] = [value]
        elif tag == "button" and name:
            form.options.setdefault(name, []).append(attributes.get("value", ""))
        elif tag == "select" and name:
            self.select = name
            form.options.setdefault(name, [])
        elif tag == "option" and self.select:
            value = attributes.get("value", "")
            form.options[self.select].append(value)
            if "selected" in attributes:
                form.defaults.setdefault(self.select, []).append(value)
        elif tag == "textarea" and name:
            self.textarea = name
            form.defaults[name] = [""]

    def handle_data(self, data):
        if self.current is not None and self.textarea:
            self.current.defaults[self.textarea][0] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.current = None
        elif tag == "select":
            if self.current is not None and self.select not in self.current.defaults:
                offered = self.current.options.get(self.select) or [""]
                self.current.defaults[self.select] = [offered[0]]
            self.select = None
        elif tag == "textarea":
            self.textarea = None


def read_form(client, page, action):
    """The form on ``page`` whose action ends with ``action`` ("" for the page itself, "#x"
    for the form with the id x)."""
    response = client.get(page)
    assert response.status_code == 200, (page, response.status_code)
    parser = _Forms()
    parser.feed(response.content.decode())
    path = urlsplit(page).path
    for form in parser.forms:
        target = urlsplit(form.action).path or path
        if action.startswith("#"):
            found = form.id == action[1:]
        elif action:
            found = target.endswith(action)
        else:
            found = target == path
        if found:
            form.action = target
            return form
    raise AssertionError(f"no form for {action!r} on {page}")


@st.composite
def submissions(draw, form):
    """The form as shown, with a few fields changed, dropped, doubled or made hostile."""
    data = {name: list(values) for name, values in form.defaults.items()}
    for name, offered in form.options.items():
        # A submit button or an unticked box: sent as offered or not at all.
        if name not in data and offered and draw(st.booleans()):
            data[name] = [draw(st.sampled_from(offered))]
    names = sorted(set(form.defaults) | set(form.options))
    if names:
        for name in draw(st.lists(st.sampled_from(names), max_size=4, unique=True)):
            how = draw(st.sampled_from(["drop", "hostile", "list", "offered"]))
            if how == "drop":
                data.pop(name, None)
            elif how == "hostile":
                data[name] = [draw(hostile_scalar)]
            elif how == "list":
                data[name] = draw(st.lists(hostile_scalar, min_size=2, max_size=3))
            elif form.options.get(name):
                data[name] = draw(st.lists(st.sampled_from(form.options[name]), max_size=3))
    for name in form.files:
        if draw(st.booleans()):
            data[name] = [draw(hostile_file)]
    return {name: values[0] if len(values) == 1 else values for name, values in data.items()}


# The forms, as their people see them ----------------------------------------------------


def _running_tandem():
    return (
        Tandem.objects.filter(mentee__applicant__email=people.MENTEE, status=TandemStatus.ACTIVE)
        .select_related("cohort")
        .get()
    )


def _in_review(chair_email):
    return (
        Application.objects.filter(
            state=ApplicationState.IN_REVIEW,
            cohort__programme__beirat_memberships__user__email=chair_email,
        )
        .order_by("pk")
        .first()
    )


def _intercommunal():
    return Cohort.objects.get(programme__slug="interkommunal-koeln-duesseldorf")


def _invitable():
    """An application of the intercommunal cohort that may be invited to an interview."""
    return (
        _intercommunal()
        .applications.filter(state=ApplicationState.IN_REVIEW, pending_decision="")
        .order_by("pk")
        .first()
    )


def _draft():
    return Application.objects.get(applicant__email=people.DRAFT_APPLICANT)


def _open_call():
    return _draft().cohort


def _invited():
    return Application.objects.get(applicant__email=people.INVITED_APPLICANT)


def _next_workshop():
    tandem = _running_tandem()
    return Workshop.objects.filter(cohort=tandem.cohort).order_by("date").last()


@dataclass
class Target:
    """Who fills in which form: the page it is on, which form there (see ``read_form``),
    and valid values to start from, so that hostile ones reach past the first check."""

    who: str | None
    page: object
    action: str = ""
    seed: object = dict


DEMO_PASSWORD = "demo-mentoring"  # noqa: S105 (the demo's, printed by load_demo)
NEW_PASSWORD = "ein-sicheres-Passwort-2026"  # noqa: S105


def _certificate_code():
    return Certificate.objects.filter(application__applicant__email=people.CERTIFIED).get().code


def _interview_seed():
    year = _intercommunal().year
    return {"at": f"{year}-06-15T10:00", "place": "Rathaus, Raum 101"}


FORMS = {
    "registration": Target(
        None,
        lambda: "/konto/registrieren/?next=/bewerbung/",
        seed=lambda: {
            "first_name": "Anna",
            "last_name": "Muster",
            "email": "anna.fuzz@example.org",
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
        },
    ),
    "login": Target(
        None,
        lambda: "/konto/anmelden/?next=/start/",
        seed=lambda: {"username": people.DRAFT_APPLICANT, "password": DEMO_PASSWORD},
    ),
    "admin login": Target(
        None,
        lambda: "/verwaltung/login/?next=/verwaltung/",
        seed=lambda: {"username": people.CHAIR, "password": DEMO_PASSWORD},
    ),
    "password reset": Target(
        None, lambda: "/konto/passwort/vergessen/", seed=lambda: {"email": people.MENTEE}
    ),
    "certificate verification": Target(
        None, lambda: "/zertifikat/", seed=lambda: {"code": _certificate_code()}
    ),
    "password change": Target(
        people.DRAFT_APPLICANT,
        lambda: "/konto/passwort/aendern/",
        seed=lambda: {
            "old_password": DEMO_PASSWORD,
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
        },
    ),
    "application form": Target(
        people.DRAFT_APPLICANT, lambda: f"/bewerbung/{_draft().pk}/bearbeiten/"
    ),
    "begin an application": Target(
        people.MENTOR,
        lambda: f"/bewerbung/{_open_call().programme.slug}/jahrgang/{_open_call().number}/mentor/",
    ),
    "withdraw": Target(
        people.INVITED_APPLICANT,
        lambda: f"/bewerbung/{_invited().pk}/zurueckziehen/",
        seed=lambda: {"reason": "Ich habe eine neue Stelle."},
    ),
    "contact form": Target(people.MENTEE, lambda: f"/tandem/{_running_tandem().pk}/kontakte/neu/"),
    "contact edit": Target(
        people.MENTEE,
        lambda: "/tandem/{}/kontakte/{}/".format(
            _running_tandem().pk,
            _running_tandem()
            .contacts.filter(author__email=people.MENTEE)
            .order_by("-date")
            .first()
            .pk,
        ),
    ),
    "goal agreement": Target(
        people.MENTEE, lambda: f"/tandem/{_running_tandem().pk}/zielvereinbarung/"
    ),
    "rsvp": Target(people.MENTEE, lambda: "/workshops/", "rueckmeldung/"),
    "review and decision": Target(
        people.CHAIR,
        lambda: f"/verwaltung/applications/application/{_in_review(people.CHAIR).pk}/change/",
        "#bewertung",
        seed=lambda: {"_review_save": "Speichern"},
    ),
    "review and decision with an interview": Target(
        people.CHAIR_COLOGNE,
        lambda: f"/verwaltung/applications/application/{_invitable().pk}/change/",
        "#bewertung",
        seed=lambda: {
            "_review_save": "Speichern",
            "decision": "interview",
            "interview_at": _interview_seed()["at"],
            "interview_place": _interview_seed()["place"],
        },
    ),
    "interview invitation": Target(
        people.CHAIR_COLOGNE,
        lambda: f"/verwaltung/applications/application/{_invitable().pk}/gespraech/",
        seed=_interview_seed,
    ),
    "eligibility override": Target(
        people.CHAIR,
        lambda: f"/verwaltung/applications/application/{_in_review(people.CHAIR).pk}/uebersteuern/",
        seed=lambda: {"outcome": "pass", "reason": "Geprüft."},
    ),
    "mentor nomination": Target(
        people.OFFICER, lambda: "/verwaltung/applications/application/vorschlagen/"
    ),
    "workshop attendance": Target(
        people.CHAIR,
        lambda: "/beirat/jahrgang/{}/workshops/{}/anwesenheit/".format(
            _running_tandem().cohort_id,
            Workshop.objects.filter(cohort=_running_tandem().cohort).order_by("date").first().pk,
        ),
    ),
    "matching weights": Target(
        people.CHAIR_COLOGNE,
        lambda: f"/beirat/jahrgang/{_intercommunal().pk}/tandembildung/",
        "gewichte/",
    ),
    "end a tandem": Target(
        people.CHAIR,
        lambda: f"/beirat/tandem/{_running_tandem().pk}/beenden/",
        seed=lambda: {"reason": "Auf Wunsch beider.", "category": "relationship"},
    ),
    "project team": Target(
        people.CHAIR,
        lambda: f"/beirat/jahrgang/{_running_tandem().cohort_id}/projektteams/neu/",
        seed=lambda: {"title": "Führen in Teilzeit"},
    ),
    "cohort in the admin": Target(
        people.OFFICE, lambda: f"/verwaltung/cohorts/cohort/{_running_tandem().cohort_id}/change/"
    ),
    "workshop in the admin": Target(
        people.OFFICE, lambda: f"/verwaltung/workshops/workshop/{_next_workshop().pk}/change/"
    ),
    "account in the admin": Target(
        people.OFFICE,
        lambda: "/verwaltung/mentoring/user/add/",
        seed=lambda: {
            "email": "neu.admin@example.org",
            "first_name": "Nora",
            "last_name": "Neu",
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
        },
    ),
}

_read = {}


def form_of(client, demo, name):
    target = FORMS[name]
    user = demo(target.who) if target.who else None
    if name not in _read:
        if user:
            client.force_login(user)
        form = read_form(client, target.page(), target.action)
        form.defaults.update({key: [value] for key, value in target.seed().items()})
        _read[name] = form
        client.logout()
    return user, _read[name]


def send(client, user, method, url, data):
    """One request in a transaction of its own, rolled back afterwards."""
    with transaction.atomic():
        if user:
            client.force_login(user)
        response = client.post(url, data) if method == "post" else client.get(url, data)
        transaction.set_rollback(True)
    client.logout()
    return response.status_code


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(FORMS))
@FUZZ
@given(data=st.data())
def test_no_form_answers_with_a_server_error(demo, client, name, data):
    user, form = form_of(client, demo, name)
    status = send(client, user, form.method, form.action, data.draw(submissions(form)))
    assert status < 500


# Lists and searches: their query parameters ----------------------------------------------

QUERIES = {
    "applications in the admin": (
        people.OFFICE,
        "/verwaltung/applications/application/",
        ["q", "p", "o", "state__exact", "cohort", "e", "all"],
    ),
    "account": (people.MENTEE, "/konto/", ["seite"]),
    "contact overview": (
        people.CHAIR,
        "/beirat/jahrgang/{cohort}/kontakte/",
        ["monat", "seite", "status", "q"],
    ),
    "registration": (None, "/konto/registrieren/", ["next"]),
    "login": (None, "/konto/anmelden/", ["next"]),
    "certificate verification": (None, "/zertifikat/", ["code"]),
}


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(QUERIES))
@FUZZ
@given(data=st.data())
def test_no_query_answers_with_a_server_error(demo, client, name, data):
    who, url, parameters = QUERIES[name]
    url = url.format(cohort=_running_tandem().cohort_id) if "{" in url else url
    query = data.draw(
        st.dictionaries(
            st.sampled_from(parameters),
            st.one_of(hostile_scalar, st.lists(hostile_scalar, min_size=2, max_size=3)),
            min_size=1,
        )
    )
    assert send(client, demo(who) if who else None, "get", url, query) < 500


# What the fuzzer of issue 13 found, asked for directly --------------------------------


@pytest.mark.django_db
@FUZZ
@given(target=hostile_scalar)
def test_a_hostile_next_never_gives_a_server_error(demo, client, target):
    mentee = demo(people.MENTEE)
    registration = FORMS["registration"].seed() | {"next": target}
    login = {"username": people.MENTEE, "password": DEMO_PASSWORD, "next": target}
    answers = [
        send(client, None, "post", "/konto/registrieren/", registration),
        send(client, None, "get", "/konto/registrieren/", {"next": target}),
        send(client, mentee, "get", "/konto/registrieren/", {"next": target}),
        send(client, None, "post", "/konto/anmelden/", login),
        send(client, mentee, "post", "/konto/bestaetigen/erneut/", {"next": target}),
        send(client, None, "get", "/konto/bestaetigen/kein-token/", {"next": target}),
    ]
    assert [status < 500 for status in answers] == [True] * 6


@pytest.mark.django_db
@FUZZ
@given(at=hostile_scalar, place=hostile_scalar)
def test_hostile_interview_dates_and_places_never_give_a_server_error(demo, client, at, place):
    chair = demo(people.CHAIR_COLOGNE)
    application = _invitable()
    url = f"/verwaltung/applications/application/{application.pk}/"
    review = {
        "_review_save": "Speichern",
        "decision": "interview",
        "interview_at": at,
        "interview_place": place,
    }
    answers = [
        send(client, chair, "post", url + "gespraech/", {"at": at, "place": place}),
        send(client, chair, "post", url + "change/", review),
    ]
    assert [status < 500 for status in answers] == [True, True]
