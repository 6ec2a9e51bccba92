"""Reading the report's three outputs back as rows of text, the way a person sees them.

``page_tables`` reads the page's tables (by their ``data-section``), ``pdf_text`` the PDF's
text layer, ``workbook_rows`` each sheet with its numbers shown as the page shows them.
"""

import io
import re
import subprocess
import tempfile
from html.parser import HTMLParser


class _Tables(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tables, self.current, self.row, self.cell = {}, None, None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table" and "data-section" in attrs:
            self.current = self.tables.setdefault(attrs["data-section"], [])
        elif self.current is not None and tag == "tr":
            self.row = []
        elif self.row is not None and tag in ("th", "td"):
            self.cell = []

    def handle_endtag(self, tag):
        if tag == "table":
            self.current = None
        elif tag in ("th", "td") and self.cell is not None:
            self.row.append(" ".join("".join(self.cell).split()))
            self.cell = None
        elif tag == "tr" and self.row is not None:
            self.current.append(self.row)
            self.row = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell.append(data)


def page_tables(html):
    """{data-section: [[cell text, ...] per row]} of the page's report tables."""
    parser = _Tables()
    parser.feed(html)
    return parser.tables


def _pdftotext(content, option):
    """What poppler's ``pdftotext option`` writes of the PDF ``content``."""
    with tempfile.NamedTemporaryFile(suffix=".pdf") as file:
        file.write(content)
        file.flush()
        return subprocess.run(
            ["pdftotext", option, "-enc", "UTF-8", file.name, "-"],
            capture_output=True,
            check=True,
            text=True,
        ).stdout


def pdf_text(content):
    """The PDF's text layer in the order it was written (poppler's ``pdftotext -raw``:
    WeasyPrint writes a table row by row), white space collapsed."""
    return " ".join(_pdftotext(content, "-raw").split())


def overlapping_words(content):
    """Pairs of words of the PDF that are drawn over each other, per page ([] if none):
    poppler's ``pdftotext -bbox`` gives each word's box."""
    overlaps = []
    for page in _pdftotext(content, "-bbox").split("<page ")[1:]:
        words = [
            (float(x0), float(y0), float(x1), float(y1), word)
            for x0, y0, x1, y1, word in re.findall(
                r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">'
                r"([^<]*)</word>",
                page,
            )
        ]
        for index, (ax0, ay0, ax1, ay1, a) in enumerate(words):
            for bx0, by0, bx1, by1, b in words[index + 1 :]:
                # More than a hair in both directions: glyphs of two words on each other.
                if min(ax1, bx1) - max(ax0, bx0) > 0.5 and min(ay1, by1) - max(ay0, by0) > 0.5:
                    overlaps.append((a, b))
    return overlaps


def shown(cell):
    """A workbook cell as the page shows its figure: "53 %", "4,3", "13", "< 5"."""
    value = cell.value
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if cell.is_date:  # the German short date the page shows
        return f"{value:%d.%m.%Y}"
    if "%" in cell.number_format:
        return f"{round(value * 100)} %"
    if cell.number_format == "0.0":
        return f"{value:.1f}".replace(".", ",")
    return str(value)


def workbook_rows(content):
    """{sheet title: [[cell text, ...] per row]}, figures as the page shows them."""
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(content))
    return {
        sheet.title: [[shown(cell) for cell in row] for row in sheet.iter_rows()]
        for sheet in workbook.worksheets
    }


def trimmed(rows):
    """Rows without their empty cells at the end."""
    result = []
    for row in rows:
        row = list(row)
        while row and row[-1] == "":
            row.pop()
        result.append(row)
    return result


def cell(count, share):
    """The page's cell of an outcome: "2 (40 %)", or only "< 5" where the group is too small."""
    return count if count == "< 5" else f"{count} ({share})"
