"""PDF rendering of participation certificates and attendance sheets, on plain data.

No models here: callers turn their rows into the dataclasses below. WeasyPrint renders
offline: its URL fetcher serves only our own fonts and print stylesheet, so text that
participants typed can never make the renderer open a socket or read a file.

A certificate speaks its holder's language (``CertificateContent.language``), dates
included, whatever language the batch runs in; an attendance sheet speaks the active
language, that of the person who prints it.
"""

import copy
import mimetypes
import weakref
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, time
from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import url2pathname

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import formats, translation
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, gettext_lazy

from mentoring import dates

CERTIFICATE_TITLES = {
    "mentee": gettext_lazy("Teilnahmezertifikat"),
    "mentor": gettext_lazy("Teilnahmebestätigung"),
}
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
    chair_label: str  # may be lazy: it is shown in ``language``
    office_label: str
    language: str | None = None  # the holder's; None: the site's (LANGUAGE_CODE)

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


def time_range(start: time | None, end: time | None) -> str:
    """ "09:00 bis 16:30 Uhr" / "09:00 to 16:30", in the active language."""
    times = {
        name: formats.time_format(value, "TIME_FORMAT")
        for name, value in (("start", start), ("end", end))
        if value
    }
    if start and end:
        return gettext("%(start)s bis %(end)s Uhr") % times
    if start:
        return gettext("ab %(start)s Uhr") % times
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
    from weasyprint.urls import URLFetcherResponse  # WeasyPrint: see ``layout``

    path = _allowed_path(url)
    content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": content_type})


def qr_svg(url: str) -> str:
    """Inline SVG of a QR code for ``url``, labelled for screen readers and PDF tags."""
    import segno  # ~35 ms to import, for certificates only

    label = gettext("QR-Code zur Echtheitsprüfung: %(url)s") % {"url": url}
    svg = segno.make(url, error="m").svg_inline(omitsize=True, title=label, svgclass="qr-code")
    return svg.replace("<svg ", f'<svg role="img" aria-label="{escape(label)}" ', 1)


def layout(html: str):
    """One WeasyPrint layout pass, offline: a ``weasyprint.Document`` of laid-out pages."""
    # WeasyPrint takes ~2 s to import: only a process that renders a PDF pays for it.
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


# The title and language of each laid-out certificate page: a participant's own file, cut
# from the layout of many, carries hers rather than the whole layout's.
_page_metadata = weakref.WeakKeyDictionary()


def write_pdf(document, pages=None) -> bytes:
    """The PDF of ``document``, or of some of its (or other layouts') ``pages``, tagged.

    One layout of many certificates so yields each participant's own file and the whole
    batch without laying anything out twice (each page is drawn twice, though: drawing,
    mostly the QR code's vector paths, costs about as much as layout; see ``make bench``).
    Pages of one certificate get its title and language as the document's.
    """
    if pages is not None:
        pages = list(pages)
        document = document.copy(pages)
        own = {_page_metadata.get(page) for page in pages}
        if len(own) == 1 and None not in own:
            document.metadata = copy.copy(document.metadata)
            document.metadata.title, document.metadata.lang = own.pop()
    return document.write_pdf(pdf_variant=PDF_VARIANT)


def render_pdf(html: str) -> bytes:
    """One WeasyPrint render, offline, as tagged PDF/UA-1."""
    return write_pdf(layout(html))


def _language(certificate):
    return certificate.language or settings.LANGUAGE_CODE


def _certificate_page(certificate):
    """What the template shows of one certificate, in the holder's language."""
    with translation.override(_language(certificate)):
        return {
            "content": certificate,
            "language": _language(certificate),
            "title": str(CERTIFICATE_TITLES[certificate.kind]),
            "is_mentor": certificate.kind == "mentor",
            "period_start": dates.long_date(certificate.period_start),
            "period_end": dates.long_date(certificate.period_end),
            "issued_on": dates.long_date(certificate.issued_on),
            # segno builds the markup from the URL and escapes the title itself.
            "qr_svg": mark_safe(qr_svg(certificate.verification_url)),  # noqa: S308
        }


def _document_language(certificates):
    """One certificate's document is in its language; a batch's frame in the site's."""
    return _language(certificates[0]) if len(certificates) == 1 else settings.LANGUAGE_CODE


def certificates_html(certificates: Sequence[CertificateContent]) -> str:
    """The HTML of certificates, one A4 page each (``certificates.html``)."""
    if not certificates:
        raise ValueError("No certificates to render.")
    pages = [_certificate_page(certificate) for certificate in certificates]
    with translation.override(_document_language(certificates)):
        return render_to_string("workshops/pdf/certificates.html", {"pages": pages})


def layout_certificates(certificates: Sequence[CertificateContent]):
    """The laid-out Document of certificates; one page each unless a name overflows."""
    document = layout(certificates_html(certificates))
    if len(certificates) == 1:
        owners = [certificates[0]] * len(document.pages)
    elif len(document.pages) == len(certificates):
        owners = certificates
    else:  # a name spilled onto a second page: whose page is whose is not known here
        owners = ()
    for page, certificate in zip(document.pages, owners, strict=False):
        with translation.override(_language(certificate)):
            title = f"{CERTIFICATE_TITLES[certificate.kind]} – {certificate.participant_name}"
        _page_metadata[page] = (title, _language(certificate))
    return document


def render_certificates(certificates: Sequence[CertificateContent]) -> bytes:
    """All certificates in one document, one A4 page each."""
    return write_pdf(layout_certificates(certificates))


def render_attendance_sheet(sheet: AttendanceSheetContent) -> bytes:
    """A signature list for one workshop, in the active language; the table header and
    the page numbers repeat on every page."""
    # A CSS string around the counters: "Seite " counter(page) " von " counter(pages).
    page_of = gettext("Seite %(number)s von %(pages)s") % {
        "number": '" counter(page) "',
        "pages": '" counter(pages) "',
    }
    html = render_to_string(
        "workshops/pdf/attendance_sheet.html",
        {
            "sheet": sheet,
            "date": dates.long_date(sheet.date),
            "times": time_range(sheet.start_time, sheet.end_time),
            # From the catalogue, never from what people typed.
            "page_of": mark_safe(f'"{page_of}"'),  # noqa: S308
        },
    )
    return render_pdf(html)
