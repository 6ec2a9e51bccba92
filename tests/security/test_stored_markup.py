"""Names and texts with HTML in them are shown as text on every page, never as markup.

People of the demo are renamed to markup (and one registers with such a name through the
registration page), so that it reaches every flow: applications in every state, pending
decisions and their release preview, tandems, workshops and certificates. Then every page
that the programme office, the chairs, an officer and the participants reach is fetched;
the raw markup must not appear in any of them. The same crawl checks that no page carries
an inline script, an inline style or an event handler attribute, which the
Content-Security-Policy would refuse.
"""

import re
from html.parser import HTMLParser

import pytest
from django.core import mail
from django.db import connection

from applications.enums import ApplicationState
from applications.models import Application, Review
from mentoring.enums import UserRole
from mentoring.models import User
from tandems.models import Contact, GoalAgreement
from tests.security import people
from tests.test_demo import _crawl
from workshops.models import Certificate, ProjectTeam

pytestmark = [pytest.mark.security]

FIRST = "<script>alert(1)</script>"
LAST = "<img src=x onerror=alert(1)>"
TEXT = f"Text {FIRST} und {LAST}"
ESCAPED_FIRST = "&lt;script&gt;alert(1)&lt;/script&gt;"


def put_markup_everywhere():
    """Every participant's name, and the free texts people type, now carry markup."""
    User.objects.filter(role=UserRole.PARTICIPANT).update(first_name=FIRST, last_name=LAST)
    Application.objects.update(department=TEXT, position_title=TEXT, motivation=TEXT)
    Review.objects.update(comment=TEXT)
    Contact.objects.update(topics_other=TEXT[:300], note=TEXT)
    GoalAgreement.objects.update(
        topics_other=TEXT, cadence=TEXT, excluded_topics=TEXT, expectations_mentee=TEXT
    )
    ProjectTeam.objects.update(title=TEXT, description=TEXT)


def register_with_markup(client, cohort):
    """A new person registers and starts an application, through the pages."""
    apply_url = f"/bewerbung/{cohort.programme.slug}/jahrgang/{cohort.number}/mentee/"
    client.post(
        "/konto/registrieren/",
        {
            "first_name": FIRST,
            "last_name": LAST,
            "email": "neu.markup@bottrop.example.org",
            "password1": "ein-sicheres-Passwort-2026",
            "password2": "ein-sicheres-Passwort-2026",
            "next": apply_url,
        },
    )
    link = re.search(r"https?://[^/\s]+(/konto/bestaetigen/\S+)", mail.outbox[-1].body).group(1)
    client.get(link)
    client.post(
        "/konto/anmelden/",
        {"username": "neu.markup@bottrop.example.org", "password": "ein-sicheres-Passwort-2026"},
    )
    response = client.post(apply_url)
    assert response.status_code == 302
    user = User.objects.get(email="neu.markup@bottrop.example.org")
    assert (user.first_name, user.last_name) == (FIRST, LAST)
    client.logout()
    return user


class _InlineCode(HTMLParser):
    """Collects what a strict CSP refuses: inline scripts and styles, event handlers."""

    def __init__(self):
        super().__init__()
        self.found = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        data_only = attributes.get("type") in ("application/json", "application/ld+json")
        if tag == "script" and "src" not in attributes and not data_only:
            self.found.append("<script> without src")
        if tag == "style":
            self.found.append("<style>")
        for name, _value in attrs:
            if name == "style" or name.startswith("on"):
                self.found.append(f"{name}= on <{tag}>")


def inline_code(html):
    parser = _InlineCode()
    parser.feed(html)
    return parser.found


def pages_of(client, user, extra):
    client.force_login(user)
    urls = [url for url, status, _queries in _crawl(client, limit=80) if status == 200] + extra
    pages = {}
    for url in urls:
        response = client.get(url)
        if "text/html" in response.get("Content-Type", ""):
            pages[url] = (response.status_code, response.content.decode())
    client.logout()
    return pages


@pytest.mark.django_db
def test_markup_in_names_and_texts_is_never_shown_as_markup(demo, client):
    put_markup_everywhere()
    pending = Application.objects.exclude(pending_decision="").filter(
        state__in=ApplicationState.under_review()
    )
    cohorts = sorted(set(pending.values_list("cohort_id", flat=True)))
    assert len(cohorts) >= 2
    release = [f"/verwaltung/applications/application/freigabe/{pk}/" for pk in cohorts]
    newcomer = register_with_markup(client, pending.first().cohort)
    draft = Application.objects.get(applicant=newcomer)
    certificate = Certificate.objects.filter(application__applicant__email=people.CERTIFIED).get()
    verify = [f"/zertifikat/{certificate.code}/"]
    extra = {
        people.OFFICE: release + verify,
        people.CHAIR: release,
        people.CHAIR_COLOGNE: release,
        people.OFFICER: [],
        people.DRAFT_APPLICANT: [],
        people.INVITED_APPLICANT: [],
        people.MENTEE: [],
        people.MENTOR: [],
        people.CERTIFIED: verify,
        newcomer.email: [f"/bewerbung/{draft.pk}/bearbeiten/", "/bewerbung/"],
    }
    raw, inline, escaped, fetched = [], [], set(), 0
    for email, urls in extra.items():
        connection.queries_log.clear()
        for url, (_status, html) in pages_of(client, demo(email), urls).items():
            fetched += 1
            if FIRST in html or LAST in html:
                raw.append(f"{email} {url}")
            if found := inline_code(html):
                inline.append(f"{email} {url}: {sorted(set(found))}")
            if ESCAPED_FIRST in html:
                escaped.add(url)
    assert raw == []
    assert inline == []
    # The names were there to be found: the release previews show them, escaped.
    assert set(release) <= escaped
    assert len(escaped) > 20
    assert fetched > 250
