"""Security headers: a Content-Security-Policy and a Permissions-Policy on every page,
personal pages kept out of every cache, a language cookie as strict as the session's."""

import re
from pathlib import Path

import pytest
from django.conf import settings

from applications.models import Application
from tandems.enums import TandemStatus
from tandems.models import Tandem
from tests.security import people
from workshops.models import Certificate, Workshop

pytestmark = [pytest.mark.security, pytest.mark.django_db]

CSP = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "font-src": "'self'",
    "connect-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}
PERMISSIONS = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
    "microphone=(), payment=(), usb=()"
)
NO_STORE = "private, no-store"


def policy(response):
    header = response.get("Content-Security-Policy", "")
    return dict(part.strip().split(" ", 1) for part in header.split(";") if part.strip())


def fetch(client, url, method="get", data=None):
    response = getattr(client, method)(url, data or {})
    assert response.status_code == 200, (url, response.status_code)
    return response


def test_public_pages_have_the_policies_and_may_be_cached(demo, client):
    programme = Application.objects.first().cohort.programme
    for url in (
        "/",
        "/impressum/",
        f"/programm/{programme.slug}/",
        "/barrierefreiheit/",
        "/datenschutz/",
    ):
        response = fetch(client, url)
        assert (policy(response), response["Permissions-Policy"]) == (CSP, PERMISSIONS), url
        assert "no-store" not in response.get("Cache-Control", ""), url


def personal_urls(demo):
    mentee = demo(people.MENTEE)
    tandem = Tandem.objects.get(mentee__applicant=mentee, status=TandemStatus.ACTIVE)
    workshop = Workshop.objects.filter(cohort=tandem.cohort).order_by("date").last()
    draft = Application.objects.get(applicant__email=people.DRAFT_APPLICANT)
    with_cv = Application.objects.exclude(cv="").order_by("pk").first()
    certificate = Certificate.objects.filter(application__applicant__email=people.CERTIFIED).get()
    cohort = tandem.cohort_id
    return {
        people.MENTEE: [
            ("get", "/bewerbung/", None),
            ("get", "/start/", None),
            ("get", "/konto/", None),
            ("get", f"/tandem/{tandem.pk}/", None),
            ("get", f"/tandem/{tandem.pk}/kontakte/neu/", None),
            ("get", f"/tandem/{tandem.pk}/zielvereinbarung/", None),
            ("get", "/workshops/", None),
            ("get", f"/workshops/{workshop.pk}/kalender.ics", None),
        ],
        people.DRAFT_APPLICANT: [("get", f"/bewerbung/{draft.pk}/bearbeiten/", None)],
        people.OFFICE: [
            ("get", "/verwaltung/", None),
            ("get", "/verwaltung/applications/application/", None),
            (
                "post",
                "/verwaltung/applications/application/",
                {"action": "export_csv", "_selected_action": [with_cv.pk]},
            ),
            ("get", f"/beirat/jahrgang/{cohort}/kontakte/", None),
            ("get", f"/beirat/jahrgang/{cohort}/kontakte.csv", None),
            ("get", f"/bewerbung/{with_cv.pk}/datei/cv/", None),
            ("get", f"/zertifikate/{certificate.pk}/zertifikat.pdf", None),
        ],
        # The certificate check names the person, whoever asks.
        None: [
            ("get", f"/zertifikat/{certificate.code}/", None),
            ("get", "/konto/anmelden/", None),
            ("get", "/verwaltung/login/", None),
        ],
    }


def test_personal_pages_are_kept_out_of_every_cache(demo, client):
    seen = []
    for email, requests in personal_urls(demo).items():
        client.logout()
        if email:
            client.force_login(demo(email))
        for method, url, data in requests:
            response = fetch(client, url, method, data)
            seen.append(
                (
                    url,
                    response["Cache-Control"],
                    response["Permissions-Policy"] == PERMISSIONS,
                    policy(response) == CSP,
                )
            )
    assert seen == [(url, NO_STORE, True, True) for url, *_rest in seen]
    assert len(seen) == 19


def test_every_page_of_a_logged_in_person_is_kept_out_of_every_cache(demo, client):
    client.force_login(demo(people.MENTEE))
    assert fetch(client, "/")["Cache-Control"] == NO_STORE
    assert fetch(client, "/impressum/")["Cache-Control"] == NO_STORE


def test_the_language_cookie_is_secure_lax_and_http_only(demo, client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    cookie = response.cookies[settings.LANGUAGE_COOKIE_NAME]
    assert (cookie.value, cookie["secure"], cookie["samesite"], cookie["httponly"]) == (
        "en",
        True,
        "Lax",
        True,
    )


ROOT = Path(settings.BASE_DIR)
INLINE = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>|<style\b|\sstyle=|\son[a-z]+=", re.I)


def test_no_template_of_a_page_has_inline_script_or_style():
    """PDFs (rendered by WeasyPrint, never served as pages), e-mails and the files of a data
    export (opened from the ZIP, self-contained) may; pages may not."""
    templates = [
        path
        for folder in [ROOT / "templates", *ROOT.glob("*/templates")]
        for path in folder.rglob("*.html")
        if not {"pdf", "email", "export"} & set(path.relative_to(folder).parts[:-1])
    ]
    assert len(templates) > 40
    offending = {
        str(path.relative_to(ROOT)): INLINE.findall(path.read_text())
        for path in templates
        if INLINE.search(path.read_text())
    }
    assert offending == {}
