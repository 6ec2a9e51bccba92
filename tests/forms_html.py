"""Reading a form page's HTML in tests: its elements with their attributes, its text."""

import html
import re
from html.parser import HTMLParser


class _Elements(HTMLParser):
    def __init__(self):
        super().__init__()
        self.elements = []

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, {name: value or "" for name, value in attrs}))


def elements(page, tag=None, **wanted):
    """The attributes of each element of ``page`` with ``tag`` and the ``wanted`` attributes
    (``aria_required="true"`` stands for ``aria-required="true"``; ``None`` for any value)."""
    parser = _Elements()
    parser.feed(page)
    wanted = {name.replace("_", "-"): value for name, value in wanted.items()}
    return [
        attrs
        for name, attrs in parser.elements
        if (tag is None or name == tag)
        and all(
            key in attrs and (value is None or attrs[key] == value) for key, value in wanted.items()
        )
    ]


BLOCK = re.compile(r"</?(?:p|div|li|ul|ol|label|legend|fieldset|h\d|br|option|t[dhr])\b[^>]*>")


def text(fragment):
    """The text of an HTML fragment as a person reads it: no tags, whitespace collapsed."""
    spaced = re.sub(BLOCK, " ", fragment)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", spaced)).split())


def title(page):
    return text(re.search(r"<title>(.*?)</title>", page, re.S).group(1))


def error_summary(page):
    """The error summary's HTML (templates/_form_errors.html), or None."""
    found = re.search(r'<div class="[^"]*error-summary".*?</ul>', page, re.S)
    return found.group(0) if found else None


def summary_links(page):
    """The summary's entries as (href, text)."""
    summary = error_summary(page) or ""
    return [
        (href, text(inner))
        for href, inner in re.findall(r'<a href="([^"]*)">(.*?)</a>', summary, re.S)
    ]


def field_error(page, field_id):
    """The text of the error crispy shows at the field ``field_id``, or None."""
    pattern = rf'<div id="{field_id}_error" class="invalid-feedback">(.*?)</div>'
    found = re.search(pattern, page, re.S)
    return text(found.group(1)) if found else None
