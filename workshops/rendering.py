"""PDF rendering of participation certificates and attendance sheets, on plain data.

No models here: callers turn their rows into the dataclasses below. WeasyPrint renders
offline: its URL fetcher serves only our own fonts and print stylesheet, so text that
participants typed can never make the renderer open a socket or read a file.
"""

import mimetypes
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, time
from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import url2pathname

from django.conf import settings
from django.template.loader import render_to_string
from django.utils.html import escape
from django.utils.safestring import mark_safe

GERMAN_MONTHS = (
    "Januar",
    "Februar",
    "März",
    "April",
    "Mai",
    "Juni",
    "Juli",
    "August",
    "September",
    "Oktober",
    "November",
    "Dezember",
)
CERTIFICATE_TITLES = {"mentee": "Teilnahmezertifikat", "mentor": "Teilnahmebestätigung"}
# PDF/UA-1: tagged structure, document language and title, for screen-reader users.
PDF_VARIANT = "pdf/ua-1"


@dataclass(frozen=True)
class CertificateContent:
    kind: str  # "mentee" or "mentor", see CERTIFICATE_TITLES
    participant_name: str
    organisation: str
    programme_title: str
    cohort_number: int
    period_start: date
    period_end: date
    partners: Sequence[str]
    place: str
    issued_on: date
    verification_code: str
    verification_url: str
    chair_label: str
    office_label: str

    def __post_init__(self):
        if self.kind not in CERTIFICATE_TITLES:
            raise ValueError(f"Unknown certificate kind: {self.kind!r}")


@dataclass(frozen=True)
class AttendanceRow:
    name: str
    organisation: str
    role: str


@dataclass(frozen=True)
class AttendanceSheetContent:
    programme_title: str
    cohort_number: int
    workshop_title: str
    workshop_kind: str
    date: date
    start_time: time | None
    end_time: time | None
    venue: str
    rows: Sequence[AttendanceRow]


class ResourceRefused(Exception):
    """The renderer asked for something other than our fonts and print stylesheet."""


def german_date(day: date) -> str:
    """'1. März 2026', whatever language is active."""
    return f"{day.day}. {GERMAN_MONTHS[day.month - 1]} {day.year}"


def german_time_range(start: time | None, end: time | None) -> str:
    if start and end:
        return f"{start:%H:%M} bis {end:%H:%M} Uhr"
    if start:
        return f"ab {start:%H:%M} Uhr"
    return ""


def _static_dir() -> Path:
    return Path(settings.BASE_DIR) / "static"


def _allowed_path(url: str) -> Path:
    """The resolved file behind ``url`` if it is one of ours; refuses without touching others."""
    parts = urlsplit(url)
    if parts.scheme != "file" or parts.netloc not in ("", "localhost"):
        raise ResourceRefused(f"Not a local file: {url}")
    path = Path(url2pathname(parts.path))
    fonts_dir = _static_dir() / "fonts"
    stylesheet = _static_dir() / "css" / "print.css"
    # Checked on the path as written first, so nothing outside is even looked at ...
    if ".." in path.parts or (path != stylesheet and fonts_dir not in path.parents):
        raise ResourceRefused(f"Not a font or the print stylesheet: {url}")
    # ... then again after following symlinks, which may point anywhere.
    resolved = path.resolve(strict=True)
    if resolved != stylesheet.resolve() and fonts_dir.resolve() not in resolved.parents:
        raise ResourceRefused(f"Leaves the fonts directory: {url}")
    return resolved


def safe_url_fetcher(url: str, timeout: int = 10, ssl_context=None):
    """Serves our fonts and print.css from ``static/``; refuses every other URL."""
    from weasyprint.urls import URLFetcherResponse

    path = _allowed_path(url)
    content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": content_type})


def qr_svg(url: str) -> str:
    """Inline SVG of a QR code for ``url``, labelled for screen readers and PDF tags."""
    import segno

    label = f"QR-Code zur Echtheitsprüfung: {url}"
    svg = segno.make(url, error="m").svg_inline(omitsize=True, title=label, svgclass="qr-code")
    return svg.replace("<svg ", f'<svg role="img" aria-label="{escape(label)}" ', 1)


def layout(html: str):
    """One WeasyPrint layout pass, offline: a ``weasyprint.Document`` of laid-out pages."""
    import weasyprint
    from weasyprint.urls import URLFetcher

    # Defined here because WeasyPrint is imported only when a PDF is rendered. WeasyPrint
    # calls fetch() for every stylesheet, font and image; it never opens URLs itself.
    class SafeURLFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            return safe_url_fetcher(url)

    base_url = _static_dir().as_uri() + "/"
    # A refused or missing font stops the render: an official document must not
    # silently fall back to whatever fonts the worker has.
    fetcher = SafeURLFetcher(fail_on_errors=True)
    document = weasyprint.HTML(string=html, base_url=base_url, url_fetcher=fetcher)
    return document.render(pdf_variant=PDF_VARIANT)


def write_pdf(document, pages=None) -> bytes:
    """The PDF of ``document``, or of some of its (or other layouts') ``pages``, tagged.

    One layout of many certificates so yields each participant's own file and the whole
    batch without laying anything out twice (each page is drawn twice, though: drawing,
    mostly the QR code's vector paths, costs about as much as layout; see ``make bench``).
    """
    if pages is not None:
        document = document.copy(pages)
    return document.write_pdf(pdf_variant=PDF_VARIANT)


def render_pdf(html: str) -> bytes:
    """One WeasyPrint render, offline, as tagged PDF/UA-1."""
    return write_pdf(layout(html))


def certificates_html(certificates: Sequence[CertificateContent]) -> str:
    """The HTML of certificates, one A4 page each (``certificates.html``)."""
    if not certificates:
        raise ValueError("No certificates to render.")
    pages = [
        {
            "content": certificate,
            "title": CERTIFICATE_TITLES[certificate.kind],
            "is_mentor": certificate.kind == "mentor",
            "period_start": german_date(certificate.period_start),
            "period_end": german_date(certificate.period_end),
            "issued_on": german_date(certificate.issued_on),
            # segno builds the markup from the URL and escapes the title itself.
            "qr_svg": mark_safe(qr_svg(certificate.verification_url)),  # noqa: S308
        }
        for certificate in certificates
    ]
    return render_to_string("workshops/pdf/certificates.html", {"pages": pages})


def layout_certificates(certificates: Sequence[CertificateContent]):
    """The laid-out Document of certificates; one page each unless a name overflows."""
    return layout(certificates_html(certificates))


def render_certificates(certificates: Sequence[CertificateContent]) -> bytes:
    """All certificates in one document, one A4 page each."""
    return write_pdf(layout_certificates(certificates))


def render_attendance_sheet(sheet: AttendanceSheetContent) -> bytes:
    """A signature list for one workshop; the table header repeats on every page."""
    html = render_to_string(
        "workshops/pdf/attendance_sheet.html",
        {
            "sheet": sheet,
            "date": german_date(sheet.date),
            "times": german_time_range(sheet.start_time, sheet.end_time),
        },
    )
    return render_pdf(html)
