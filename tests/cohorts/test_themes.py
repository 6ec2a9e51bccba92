"""Every call theme in site.css keeps its contrast (WCAG 2.1, BITV 2.0) and says so truly."""

import re
from pathlib import Path

import pytest
from django.conf import settings

from cohorts.enums import CallTheme

SITE_CSS = Path(settings.BASE_DIR) / "static" / "css" / "site.css"
PROPERTIES = ("--mf-accent", "--mf-accent-dark")
WHITE = "#ffffff"


def relative_luminance(colour):
    """WCAG 2.1 relative luminance of a #rrggbb colour."""
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast_ratio(first, second):
    lighter, darker = sorted([relative_luminance(first), relative_luminance(second)])[::-1]
    return (lighter + 0.05) / (darker + 0.05)


def rule(css, selector):
    """The declarations of the first rule whose selector is exactly ``selector``."""
    match = re.search(rf"(?m)^{re.escape(selector)}\s*\{{(.*?)\}}", css, re.S)
    return match.group(1) if match else None


def declared(block):
    """{property: (colour, ratio written in the comment or None)} of a rule's accents."""
    found = {}
    for name, colour, comment in re.findall(
        r"(--mf-accent(?:-dark)?)\s*:\s*(#[0-9a-fA-F]{6})\s*;[ \t]*(?:/\*(.*?)\*/)?", block
    ):
        written = re.search(r"(\d+(?:\.\d+)?):1 on white", comment)
        found[name] = (colour.lower(), float(written.group(1)) if written else None)
    return found


CSS = SITE_CSS.read_text(encoding="utf-8")
SELECTORS = [":root", *[f".theme-{theme}" for theme in CallTheme.values]]


def test_contrast_ratio_matches_the_wcag_examples():
    assert contrast_ratio("#000000", WHITE) == pytest.approx(21.0)
    assert contrast_ratio(WHITE, WHITE) == pytest.approx(1.0)
    assert round(contrast_ratio("#767676", WHITE), 2) == 4.54  # the well-known AA grey


def test_every_call_theme_has_its_rule_in_site_css():
    defined = set(re.findall(r"(?m)^\.theme-([a-z]+)\s*\{", CSS))
    assert defined == set(CallTheme.values)


@pytest.mark.parametrize("selector", SELECTORS)
def test_theme_colours_reach_seven_to_one_on_white(selector):
    block = rule(CSS, selector)
    assert block is not None, selector
    colours = declared(block)
    assert sorted(colours) == sorted(PROPERTIES)
    for name, (colour, written) in colours.items():
        ratio = contrast_ratio(colour, WHITE)
        # 7:1 is AAA for text; UI components (borders, focus rings) need only 3:1.
        assert ratio >= 7.0, f"{selector} {name} {colour}: {ratio:.2f}:1"
        assert written == round(ratio, 1), f"{selector} {name}: comment says {written}:1"


@pytest.mark.parametrize("selector", SELECTORS)
def test_footer_links_stay_readable_in_every_theme(selector):
    footer = re.search(r"background:\s*(#[0-9a-fA-F]{6})", rule(CSS, ".site-footer")).group(1)
    link = rule(CSS, ".site-footer a")
    assert "var(--mf-accent-dark)" in link
    colour, _written = declared(rule(CSS, selector))["--mf-accent-dark"]
    assert contrast_ratio(colour, footer) >= 4.5
