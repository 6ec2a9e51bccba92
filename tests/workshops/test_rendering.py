"""Certificates and attendance sheets as PDF: what they say, how they paginate, and that
the renderer stays offline whatever participants typed into their names."""

import re
import socket
import subprocess
import zlib
from datetime import date, time
from pathlib import Path

import pytest
from django.utils import translation

from tests.factories import EMSCHER_LIPPE
from workshops.issuing import CHAIR_LABEL
from workshops.rendering import (
    AttendanceRow,
    AttendanceSheetContent,
    CertificateContent,
    ResourceRefused,
    layout_certificates,
    render_attendance_sheet,
    render_certificates,
    safe_url_fetcher,
    write_pdf,
)

from .pdftools import (
    ALLOWED_URLS,
    STATIC,
    flat,
    page_count,
    page_texts,
    poppler,
    squeezed,
)


def make_certificate(**overrides) -> CertificateContent:
    values = {
        "kind": "mentee",
        "participant_name": "Sabine Kowalski",
        "organisation": "Stadt Marl",
        "programme_title": "Mit Frauen an die Spitze",
        "cohort_number": 8,
        "period_start": date(2025, 3, 1),
        "period_end": date(2026, 2, 28),
        "partners": EMSCHER_LIPPE,
        "place": "Recklinghausen",
        "issued_on": date(2026, 2, 20),
        "verification_code": "K7P4-9QXM-2HZT",
        "verification_url": "https://mentoring.example.org/zertifikate/K7P4-9QXM-2HZT/",
        "chair_label": "Vorsitzende des Mentoringbeirats",
        "office_label": "Studieninstitut für kommunale Verwaltung Emscher-Lippe",
    }
    return CertificateContent(**{**values, **overrides})


def make_sheet(row_count: int) -> AttendanceSheetContent:
    return AttendanceSheetContent(
        programme_title="Mit Frauen an die Spitze",
        cohort_number=8,
        workshop_title="Auftakt in Herten",
        workshop_kind="Auftaktworkshop und Tandembildung",
        date=date(2025, 3, 14),
        start_time=time(9, 0),
        end_time=time(16, 30),
        venue="Glashaus Herten, Hermannstraße 16, 45699 Herten",
        rows=[
            AttendanceRow(
                name=f"Teilnehmerin Nummer {number:03d}",
                organisation="Stadt Herten",
                role="Mentee" if number % 2 else "Mentor:in",
            )
            for number in range(1, row_count + 1)
        ],
    )


@pytest.fixture(scope="module")
def certificate_pdf():
    return render_certificates([make_certificate()])


def test_unknown_certificate_kind_is_refused():
    with pytest.raises(ValueError, match="volunteer"):
        make_certificate(kind="volunteer")


def test_a_certificate_speaks_its_holders_language_whatever_language_is_active(tmp_path):
    english = make_certificate(
        language="en",
        chair_label=CHAIR_LABEL,
        office_label="Studieninstitut für kommunale Verwaltung Emscher-Lippe",
    )
    with translation.override("de"):
        pdf = render_certificates([english])

    [page] = page_texts(pdf, tmp_path)
    assert flat(page) == (
        "MIT FRAUEN AN DIE SPITZE Certificate of participation Cohort 8 "
        "This is to certify that Sabine Kowalski Stadt Marl "
        "took part in the cross-mentoring programme “Mit Frauen an die Spitze” as a mentee "
        "from 1 March 2025 to 28 February 2026. "
        "IN COOPERATION WITH " + " · ".join(EMSCHER_LIPPE) + " "
        "Recklinghausen, 20 February 2026 "
        "Chair of the mentoring advisory board "
        "Studieninstitut für kommunale Verwaltung Emscher-Lippe "
        "Verify authenticity: https://mentoring.example.org/zertifikate/K7P4-9QXM-2HZT/ "
        "Verification code: K7P4-9QXM-2HZT"
    )
    info = poppler("pdfinfo", pdf=pdf, tmp_path=tmp_path)
    assert re.search(
        r"^Title:\s+Certificate of participation – Sabine Kowalski$", info, re.MULTILINE
    )
    assert b"/Lang (en)" in _objects(pdf)


def test_a_german_certificate_stays_german_in_an_english_session(tmp_path):
    with translation.override("en"):
        pdf = render_certificates([make_certificate(language="de", chair_label=CHAIR_LABEL)])

    text = flat(page_texts(pdf, tmp_path)[0])
    assert text.startswith("MIT FRAUEN AN DIE SPITZE Teilnahmezertifikat 8. Jahrgang")
    assert "vom 1. März 2025 bis 28. Februar 2026 als Mentee" in text
    assert "Recklinghausen, 20. Februar 2026 Vorsitzende des Mentoringbeirats" in text
    assert b"/Lang (de)" in _objects(pdf)


def test_each_file_cut_from_a_batch_carries_its_holders_title_and_language(tmp_path):
    certificates = [
        make_certificate(language="de", participant_name="Anna Becker"),
        make_certificate(language="en", participant_name="Birgit Çelik", kind="mentor"),
    ]
    document = layout_certificates(certificates)

    first, second = (write_pdf(document, [page]) for page in document.pages)
    whole = write_pdf(document, document.pages)

    assert flat(page_texts(second, tmp_path)[0]).startswith(
        "MIT FRAUEN AN DIE SPITZE Confirmation of participation Cohort 8"
    )
    titles = [
        re.search(r"^Title:\s+(.*)$", poppler("pdfinfo", pdf=pdf, tmp_path=tmp_path), re.M)[1]
        for pdf in (first, second, whole)
    ]
    assert titles == [
        "Teilnahmezertifikat – Anna Becker",
        "Confirmation of participation – Birgit Çelik",
        "Teilnahmezertifikate und Teilnahmebestätigungen",
    ]
    assert [b"/Lang (en)" in _objects(pdf) for pdf in (first, second, whole)] == [
        False,
        True,
        False,
    ]


def test_mentee_certificate_says_who_took_part_when_where_and_how_to_verify(
    certificate_pdf, tmp_path
):
    [page] = page_texts(certificate_pdf, tmp_path)

    assert flat(page) == (
        "MIT FRAUEN AN DIE SPITZE Teilnahmezertifikat 8. Jahrgang "
        "Hiermit wird bestätigt, dass Sabine Kowalski Stadt Marl "
        "vom 1. März 2025 bis 28. Februar 2026 als Mentee am Cross-Mentoring-Programm "
        "„Mit Frauen an die Spitze“ teilgenommen hat. "
        "IN KOOPERATION MIT " + " · ".join(EMSCHER_LIPPE) + " "
        "Recklinghausen, 20. Februar 2026 "
        "Vorsitzende des Mentoringbeirats "
        "Studieninstitut für kommunale Verwaltung Emscher-Lippe "
        "Echtheit prüfen: https://mentoring.example.org/zertifikate/K7P4-9QXM-2HZT/ "
        "Prüfcode: K7P4-9QXM-2HZT"
    )


def test_mentor_gets_a_confirmation_of_participation(tmp_path):
    pdf = render_certificates([make_certificate(kind="mentor", participant_name="Jörg Brandt")])

    [page] = page_texts(pdf, tmp_path)
    text = flat(page)
    assert "Teilnahmebestätigung 8. Jahrgang" in text
    assert "Teilnahmezertifikat" not in text
    assert "Jörg Brandt Stadt Marl vom 1. März 2025 bis 28. Februar 2026 als Mentor:in" in text


def test_batch_gives_one_page_per_certificate_each_with_its_own_name_and_code(tmp_path):
    names = ["Anna Becker", "Birgit Çelik", "Claudia Nowak", "Dana Schröder", "Eva Lindqvist"]
    certificates = [
        make_certificate(
            participant_name=name,
            verification_code=f"CODE-{number:04d}",
            verification_url=f"https://mentoring.example.org/zertifikate/CODE-{number:04d}/",
        )
        for number, name in enumerate(names)
    ]

    pdf = render_certificates(certificates)

    assert page_count(pdf, tmp_path) == len(names)
    pages = [flat(page) for page in page_texts(pdf, tmp_path)]
    for number, (name, page) in enumerate(zip(names, pages, strict=True)):
        assert f"dass {name} Stadt Marl" in page
        assert page.endswith(f"CODE-{number:04d}/ Prüfcode: CODE-{number:04d}")
        assert [other for other in names if other in page] == [name]


def test_markup_in_names_is_printed_as_text_and_fetches_nothing(listener, fetched_urls, tmp_path):
    image = f'<img src="http://127.0.0.1:{listener.port}/x">'
    stylesheet = f'<link rel="stylesheet" href="http://127.0.0.1:{listener.port}/s.css">'
    css_url = "url(file:///etc/passwd)"
    style = f'<style>@import "http://127.0.0.1:{listener.port}/i.css";</style>'
    certificates = [
        make_certificate(participant_name=image, organisation=stylesheet, partners=[style]),
        make_certificate(participant_name=css_url, organisation=css_url, partners=[css_url]),
    ]

    pdf = render_certificates(certificates)

    assert listener.accepted() == []
    assert set(fetched_urls) == ALLOWED_URLS
    # Lines may break inside the long strings, even right after "http://", so the text is
    # compared without whitespace.
    first, second = (squeezed(page) for page in page_texts(pdf, tmp_path))
    assert squeezed(f"dass {image} {stylesheet} vom") in first
    assert squeezed(f"IN KOOPERATION MIT {style} Recklinghausen") in first
    assert squeezed(f"dass {css_url} {css_url} vom") in second
    assert squeezed(f"IN KOOPERATION MIT {css_url} Recklinghausen") in second
    assert "root:" not in first + second


def test_listener_notices_a_connection(listener):
    socket.create_connection(("127.0.0.1", listener.port), timeout=1).close()

    assert len(listener.accepted()) == 1


def test_fetcher_serves_the_bundled_font_and_the_print_stylesheet():
    font = STATIC / "fonts" / "DejaVuSans.ttf"
    stylesheet = STATIC / "css" / "print.css"

    assert safe_url_fetcher(font.as_uri()).read() == font.read_bytes()
    assert safe_url_fetcher(stylesheet.as_uri()).read() == stylesheet.read_bytes()


@pytest.mark.parametrize(
    "url",
    [
        "https://fonts.example.org/DejaVuSans.ttf",
        "ftp://example.org/DejaVuSans.ttf",
        "data:text/css,body{color:red}",
        "file:///etc/passwd",
        f"{(STATIC / 'fonts').as_uri()}/../../../../../etc/passwd",
        f"{(STATIC / 'fonts').as_uri()}/%2e%2e/%2e%2e/mentoring/settings.py",
        (STATIC / "css" / "site.css").as_uri(),
        f"file://files.example.org{STATIC / 'fonts' / 'DejaVuSans.ttf'}",
    ],
)
def test_fetcher_refuses_anything_but_our_fonts_and_stylesheet_without_reading(url, monkeypatch):
    read = []
    real_read_bytes, real_open = Path.read_bytes, Path.open
    monkeypatch.setattr(Path, "read_bytes", lambda path: read.append(path) or real_read_bytes(path))
    monkeypatch.setattr(
        Path, "open", lambda path, *a, **k: read.append(path) or real_open(path, *a, **k)
    )

    with pytest.raises(ResourceRefused):
        safe_url_fetcher(url)
    assert read == []


def test_fetcher_refuses_http_without_connecting(listener):
    with pytest.raises(ResourceRefused):
        safe_url_fetcher(f"http://127.0.0.1:{listener.port}/DejaVuSans.ttf")

    assert listener.accepted() == []


def test_fetcher_refuses_symlinks_leaving_the_fonts_directory(tmp_path, settings):
    fonts = tmp_path / "static" / "fonts"
    fonts.mkdir(parents=True)
    (fonts / "Own.ttf").write_bytes(b"font")
    secret = tmp_path / "secret.txt"
    secret.write_text("root:x:0:0")
    (fonts / "Linked.ttf").symlink_to(secret)
    (fonts / "linked-dir").symlink_to(tmp_path, target_is_directory=True)
    settings.BASE_DIR = tmp_path

    assert safe_url_fetcher((fonts / "Own.ttf").as_uri()).read() == b"font"
    with pytest.raises(ResourceRefused):
        safe_url_fetcher((fonts / "Linked.ttf").as_uri())
    with pytest.raises(ResourceRefused):
        safe_url_fetcher((fonts / "linked-dir" / "secret.txt").as_uri())


def test_bundled_fonts_are_embedded(certificate_pdf, tmp_path):
    listing = poppler("pdffonts", pdf=certificate_pdf, tmp_path=tmp_path).splitlines()[2:]
    # Columns: name, type, encoding, emb, ...; the type "CID TrueType" is two words.
    fonts = {line.split()[0].split("+", 1)[1]: line.split()[4] for line in listing}

    assert fonts == {
        "Mentoring-Sans": "yes",
        "Mentoring-Sans-Bold": "yes",
        "Mentoring-Serif": "yes",
    }


def _objects(pdf):
    # The catalog sits in a compressed object stream.
    streams = re.findall(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.DOTALL)
    return b"".join(zlib.decompress(stream) for stream in streams)


def test_the_qr_code_reads_back_as_the_verification_url_and_is_described(certificate_pdf, tmp_path):
    import zxingcpp
    from PIL import Image

    (tmp_path / "certificate.pdf").write_bytes(certificate_pdf)
    page = tmp_path / "page"
    subprocess.run(  # 150 dpi: an office printer's worst
        ["pdftoppm", "-r", "150", "-png", "-singlefile", tmp_path / "certificate.pdf", page],
        check=True,
    )

    codes = zxingcpp.read_barcodes(Image.open(f"{page}.png"))
    url = "https://mentoring.example.org/zertifikate/K7P4-9QXM-2HZT/"
    assert [(code.format, code.text) for code in codes] == [(zxingcpp.BarcodeFormat.QRCode, url)]
    # Tagged as a figure with its text alternative, for screen readers.
    [alternative] = re.findall(rb"/S /Figure/.*?/Alt <feff([0-9a-f]+)>", _objects(certificate_pdf))
    assert bytes.fromhex(alternative.decode()).decode("utf-16-be") == (
        f"QR-Code zur Echtheitsprüfung: {url}"
    )


def test_certificate_is_tagged_pdf_ua_in_german(certificate_pdf, tmp_path):
    info = poppler("pdfinfo", pdf=certificate_pdf, tmp_path=tmp_path)
    metadata = poppler("pdfinfo", "-meta", pdf=certificate_pdf, tmp_path=tmp_path)
    objects = _objects(certificate_pdf)

    assert re.search(r"^Tagged:\s+yes$", info, re.MULTILINE)
    assert re.search(r"^Title:\s+Teilnahmezertifikat – Sabine Kowalski$", info, re.MULTILINE)
    assert 'pdfuaid:part="1"' in metadata
    assert b"/Lang (de)" in objects


def test_attendance_sheet_has_the_workshop_header_and_a_row_per_participant(tmp_path):
    pdf = render_attendance_sheet(make_sheet(3))

    [page] = page_texts(pdf, tmp_path, "-layout")
    lines = [" ".join(line.split()) for line in page.splitlines() if line.strip()]
    assert lines[:5] == [
        "MIT FRAUEN AN DIE SPITZE · 8. JAHRGANG",
        "Teilnahmeliste: Auftakt in Herten",
        "Veranstaltung Auftaktworkshop und Tandembildung",
        "Datum 14. März 2025, 09:00 bis 16:30 Uhr",
        "Ort Glashaus Herten, Hermannstraße 16, 45699 Herten",
    ]
    assert lines[5:9] == [
        "Nr. Name Verwaltung Rolle Unterschrift",
        "1 Teilnehmerin Nummer 001 Stadt Herten Mentee",
        "2 Teilnehmerin Nummer 002 Stadt Herten Mentor:in",
        "3 Teilnehmerin Nummer 003 Stadt Herten Mentee",
    ]


def test_long_attendance_sheet_repeats_the_table_header_on_every_page(tmp_path):
    pdf = render_attendance_sheet(make_sheet(60))

    pages = page_texts(pdf, tmp_path, "-layout")
    assert page_count(pdf, tmp_path) == len(pages) > 1
    header = re.compile(r"^\s*Nr\.\s+Name\s+Verwaltung\s+Rolle\s+Unterschrift\s*$", re.MULTILINE)
    assert [len(header.findall(page)) for page in pages] == [1] * len(pages)
    names = re.findall(r"Teilnehmerin Nummer \d{3}", "".join(pages))
    assert names == [f"Teilnehmerin Nummer {number:03d}" for number in range(1, 61)]
    footers = [re.search(r"Seite \d+ von \d+", page)[0] for page in pages]
    assert footers == [f"Seite {number} von {len(pages)}" for number in range(1, len(pages) + 1)]
