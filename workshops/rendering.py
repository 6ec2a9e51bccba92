"""PDF rendering of participation certificates and attendance sheets, on plain data.

No models here: callers turn their rows into the dataclasses below. WeasyPrint renders
offline: its URL fetcher serves only our own fonts and print stylesheet and the QR codes
made for the render, so text that participants typed can never make the renderer open a
socket or read a file. Fonts and stylesheet are loaded once per process (``_Renderer``).

A certificate speaks its holder's language (``CertificateContent.language``), dates
included, whatever language the batch runs in; an attendance sheet speaks the active
language, that of the person who prints it.
"""

import atexit
import contextlib
import copy
import io
import mimetypes
import threading
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
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, gettext_lazy

from mentoring import dates

CERTIFICATE_TITLES = {
    "mentee": gettext_lazy("Teilnahmezertifikat"),
    "mentor": gettext_lazy("Teilnahmebestätigung"),
}
# PDF/UA-1: tagged structure, document language and title, for screen-reader users.
PDF_VARIANT = "pdf/ua-1"
# The QR codes' mask pattern, see ``qr_png``.
QR_MASK = 4


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


def qr_png(url: str) -> bytes:
    """A QR code for ``url`` as a PNG of one pixel per module, quiet zone included.

    A raster costs the renderer one small image instead of hundreds of vector paths; drawn
    without smoothing (``image-rendering: pixelated`` in print.css) its edges stay as sharp
    as the vector's at any print resolution.
    """
    import segno  # ~35 ms to import, for certificates only

    # The mask is fixed: finding the best of the eight costs more than the rest of the code,
    # and any mask gives a valid code (the choice only evens out light and dark areas).
    buffer = io.BytesIO()
    segno.make(url, error="m", mask=QR_MASK).save(buffer, kind="png", scale=1, border=4)
    return buffer.getvalue()


class _Renderer:
    """What every render in a process shares: the font configuration with our fonts loaded
    and the parsed print stylesheet. Made at the first render of each thread (WeasyPrint's
    objects are not shared across threads); parsing the stylesheet and loading its four
    font faces used to cost about half a certificate."""

    def __init__(self, stylesheet: Path):
        import weasyprint  # WeasyPrint: see ``layout``
        from weasyprint.text.fonts import FontConfiguration

        self.stylesheet_path = stylesheet
        self.font_config = FontConfiguration()
        self.stylesheet = weasyprint.CSS(
            url=stylesheet.as_uri(), url_fetcher=_fetcher(), font_config=self.font_config
        )


_renderers = threading.local()


@atexit.register
def _drop_renderer():
    """Lets the font configuration remove its copies of our fonts (a temporary directory)
    while the modules it needs for that still exist."""
    vars(_renderers).pop("current", None)


def _renderer() -> _Renderer:
    stylesheet = _static_dir() / "css" / "print.css"
    renderer = getattr(_renderers, "current", None)
    if renderer is None or renderer.stylesheet_path != stylesheet:
        renderer = _renderers.current = _Renderer(stylesheet)
    return renderer


def _fetcher(images=None):
    """WeasyPrint's URL fetcher, offline: our fonts and print stylesheet (``safe_url_fetcher``)
    and the ``images`` of this render, by the names the HTML gives them; nothing else."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    images = images or {}

    # Defined here because WeasyPrint is imported only when a PDF is rendered. WeasyPrint
    # calls fetch() for every stylesheet, font and image; it never opens URLs itself.
    class SafeURLFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            if url in images:
                return URLFetcherResponse(url, images[url], {"Content-Type": "image/png"})
            return safe_url_fetcher(url)

    # A refused or missing font stops the render: an official document must not
    # silently fall back to whatever fonts the worker has.
    return SafeURLFetcher(fail_on_errors=True)


def layout(html: str, *, print_stylesheet: bool = False, images=None):
    """One WeasyPrint layout pass, offline: a ``weasyprint.Document`` of laid-out pages.

    ``print_stylesheet``: with our print.css and fonts. ``images``: PNGs the HTML names,
    ``{"qr:1": b"..."}``, served to this render only.
    """
    # WeasyPrint takes ~2 s to import: only a process that renders a PDF pays for it.
    import weasyprint

    renderer = _renderer()
    base_url = _static_dir().as_uri() + "/"
    document = weasyprint.HTML(string=html, base_url=base_url, url_fetcher=_fetcher(images))
    return document.render(
        font_config=renderer.font_config,
        stylesheets=[renderer.stylesheet] if print_stylesheet else None,
        pdf_variant=PDF_VARIANT,
    )


# The title and language of each laid-out certificate page: a participant's own file, cut
# from the layout of many, carries hers rather than the whole layout's.
_page_metadata = weakref.WeakKeyDictionary()


def write_pdf(document, pages=None, *, tagged=True) -> bytes:
    """The PDF of ``document``, or of some of its (or other layouts') ``pages``, tagged
    (PDF/UA-1) unless ``tagged`` is false, which saves about a third.

    One layout of many certificates so yields each participant's own file without laying
    anything out twice. Pages of one certificate get its title and language as the
    document's.
    """
    if pages is not None:
        pages = list(pages)
        document = document.copy(pages)
        own = {_page_metadata.get(page) for page in pages}
        if len(own) == 1 and None not in own:
            document.metadata = copy.copy(document.metadata)
            document.metadata.title, document.metadata.lang = own.pop()
    return document.write_pdf(pdf_variant=PDF_VARIANT if tagged else None)


def concatenate_pdfs(parts, output, *, title: str, language: str):
    """Writes the pages of ``parts``, [(path, page numbers)], one after the other, to
    ``output`` (a path or a binary file), with ``title`` and ``language``.

    For a batch's print: pages are copied as drawn, so the layouts they came from need not
    be held. qpdf keeps what it copies until it saves, about 40 kB a page when the pages of
    a part share their fonts; files of one page each would cost four times as much.
    """
    import pikepdf  # for batches only

    with contextlib.ExitStack() as open_parts, pikepdf.new() as document:
        for path, numbers in parts:
            pages = open_parts.enter_context(pikepdf.open(path)).pages
            document.pages.extend(pages[number] for number in numbers)
        document.docinfo[pikepdf.Name.Title] = title
        document.Root.Lang = pikepdf.String(language)
        document.Root.ViewerPreferences = pikepdf.Dictionary(DisplayDocTitle=True)
        document.save(
            output,
            min_version="1.7",
            object_stream_mode=pikepdf.ObjectStreamMode.generate,
            stream_decode_level=pikepdf.StreamDecodeLevel.none,  # copied, not decoded
        )


def render_pdf(html: str, *, print_stylesheet: bool = False) -> bytes:
    """One WeasyPrint render, offline, as tagged PDF/UA-1 (see ``layout``)."""
    return write_pdf(layout(html, print_stylesheet=print_stylesheet))


def _language(certificate):
    return certificate.language or settings.LANGUAGE_CODE


def _certificate_page(certificate, qr_image):
    """What the template shows of one certificate, in the holder's language; ``qr_image``
    is the name its QR code has in the render."""
    with translation.override(_language(certificate)):
        return {
            "content": certificate,
            "language": _language(certificate),
            "title": str(CERTIFICATE_TITLES[certificate.kind]),
            "is_mentor": certificate.kind == "mentor",
            "period_start": dates.long_date(certificate.period_start),
            "period_end": dates.long_date(certificate.period_end),
            "issued_on": dates.long_date(certificate.issued_on),
            "qr_image": qr_image,
            "qr_label": gettext("QR-Code zur Echtheitsprüfung: %(url)s")
            % {"url": certificate.verification_url},
        }


def _document_language(certificates):
    """One certificate's document is in its language; a batch's frame in the site's."""
    return _language(certificates[0]) if len(certificates) == 1 else settings.LANGUAGE_CODE


def certificates_html(certificates: Sequence[CertificateContent]) -> tuple[str, dict]:
    """The HTML of certificates, one A4 page each (``certificates.html``), and the images
    it names: the QR codes as PNG."""
    if not certificates:
        raise ValueError("No certificates to render.")
    names = [f"qr:{number}" for number in range(len(certificates))]
    pages = [_certificate_page(*each) for each in zip(certificates, names, strict=True)]
    images = {
        name: qr_png(certificate.verification_url)
        for name, certificate in zip(names, certificates, strict=True)
    }
    with translation.override(_document_language(certificates)):
        html = render_to_string("workshops/pdf/certificates.html", {"pages": pages})
    return html, images


def layout_certificates(certificates: Sequence[CertificateContent]):
    """The laid-out Document of certificates; one page each unless a name overflows."""
    html, images = certificates_html(certificates)
    document = layout(html, print_stylesheet=True, images=images)
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


def page_of():
    """The page counter of a PDF's margin, as a CSS ``content`` value in the active
    language: "Seite " counter(page) " von " counter(pages)."""
    text = gettext("Seite %(number)s von %(pages)s") % {
        "number": '" counter(page) "',
        "pages": '" counter(pages) "',
    }
    return mark_safe(f'"{text}"')  # noqa: S308 -- from the catalogue, nothing typed


def render_attendance_sheet(sheet: AttendanceSheetContent) -> bytes:
    """A signature list for one workshop, in the active language; the table header and
    the page numbers repeat on every page."""
    html = render_to_string(
        "workshops/pdf/attendance_sheet.html",
        {
            "sheet": sheet,
            "date": dates.long_date(sheet.date),
            "times": time_range(sheet.start_time, sheet.end_time),
            "page_of": page_of(),
        },
    )
    return render_pdf(html, print_stylesheet=True)
