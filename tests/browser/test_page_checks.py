"""The reflow, control-contrast and HTML checks find what they look for (and nothing else)."""

import re

import pytest
from django.conf import settings

from tests.browser.conftest import (
    control_contrast_failures,
    html_errors,
    nu_checker_problem,
    reflow_problem,
)

pytestmark = pytest.mark.browser
FAINT = "/".join(["#dee2e6"] * 4)  # Bootstrap's field border on all four sides: 1.3:1

STYLE = """
  body { margin: 0; background: #fff; font: 16px sans-serif; }
  :focus-visible { outline: 3px solid #1a4d8f; outline-offset: 2px; }
  input, button { border: 1px solid #6c757d; background: #fff; }
  .faint { border-color: #dee2e6; }
  .drawn { appearance: none; width: 1rem; height: 1rem; }
  .no-ring:focus-visible { outline: none; }
  .pale-ring:focus-visible { outline-color: #c8d8f0; }
  .filled { background: #7a1f5c; border-color: #7a1f5c; color: #fff; }
  .text { background: none; border: 0; }
  .hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }
"""


@pytest.fixture
def blank(browser):
    context = browser.new_context(viewport={"width": 320, "height": 600})
    page = context.new_page()
    yield page
    context.close()


def show(page, body):
    page.set_content(f"<!DOCTYPE html><html lang='de'><style>{STYLE}</style><body>{body}</body>")


def test_reflow_names_what_sticks_out_at_320_px(blank):
    show(
        blank, "<p>Schmal</p><div style='overflow-x: auto'><table><tr><td>x</td></tr></table></div>"
    )
    assert reflow_problem(blank) is None

    show(blank, "<p>Schmal</p><div class='wide' style='width: 500px'>breit</div>")
    assert reflow_problem(blank) == "500 px wide at 320 px: div.wide (right edge 500 px)"


def test_reflow_names_text_that_runs_out_of_its_element(blank):
    # An address has no place to break: the heading keeps its width, its text runs on.
    heading = "<h1>Passwort ändern: programmbuero@studieninstitut.example.org</h1>"
    show(blank, heading)
    problem = reflow_problem(blank)
    assert re.fullmatch(
        r'(\d+) px wide at 320 px: text "Passwort ändern: programmbuero@studienin" in h1'
        r" \(right edge \1 px\)",
        problem,
    ), problem

    show(blank, heading.replace("<h1>", "<h1 style='overflow-wrap: break-word'>"))
    assert reflow_problem(blank) is None


def test_contrast_passes_strong_edges_text_buttons_and_exempt_controls(blank):
    show(
        blank,
        "<label>Name <input id='name'></label>"
        "<input type='checkbox' aria-label='nativ'>"
        "<input type='checkbox' class='drawn' aria-label='gezeichnet'>"
        "<input class='faint' disabled aria-label='gesperrt'>"
        "<input class='faint hidden' aria-label='versteckt'>"
        "<button class='filled'>Speichern</button> <button class='text'>Abbrechen</button>",
    )
    assert control_contrast_failures(blank) == []


def test_contrast_finds_faint_edges_and_weak_or_missing_focus(blank):
    show(
        blank,
        "<label>Name <input id='name' class='faint'></label>"
        "<input type='radio' class='drawn faint' aria-label='Option'>"
        "<button class='faint'>Suchen</button>"
        "<a href='#' class='no-ring'>Ohne Ring</a> <a href='#x' class='pale-ring'>Blass</a>",
    )
    assert control_contrast_failures(blank) == [
        f'edge 1.30:1 input[type=text]#name.faint "Name": {FAINT} on #ffffff',
        f'edge 1.30:1 input[type=radio].drawn.faint "Option": {FAINT} on #ffffff',
        f'edge 1.30:1 button.faint "Suchen": {FAINT}/#ffffff on #ffffff',
        'focus: no outline or shadow on a.no-ring "Ohne Ring"',
        'focus 1.44:1 a.pale-ring "Blass": #c8d8f0 on #ffffff',
    ]


@pytest.fixture
def nu_checker():
    problem = nu_checker_problem()
    if problem and settings.REQUIRE_SERVICES:
        pytest.fail(f"required component missing (Nu HTML Checker: {problem})")
    if problem:
        pytest.skip(f"needs the Nu HTML Checker: {problem}")


def test_html_errors_name_the_page_and_the_line(nu_checker):
    document = (
        "<!DOCTYPE html>\n<html lang='de'><head><title>{}</title></head>\n<body>{}</body></html>"
    )
    assert html_errors(
        {
            "Besucherin: /programm/": document.format(
                "Programm", "<h1>Programm</h1><h2>Ablauf</h2>"
            ),
            "Besucherin: /jahrgang/": document.format(
                "Jahrgang", "<h1>Jahrgang</h1>\n<h3>Workshops</h3>"
            ),
        }
    ) == [
        "Besucherin: /jahrgang/ line 4: The heading “h3” (with computed level 3) follows the"
        " heading “h1” (with computed level 1), skipping 1 heading level."
        " [gang</h1> <h3>Worksh]"
    ]
