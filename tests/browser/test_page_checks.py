"""The reflow and control-contrast checks find what they look for (and nothing else)."""

import pytest

from tests.browser.conftest import control_contrast_failures, reflow_problem

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
