"""The report's SVG charts: an image with a title and a description, every bar with its words
and value beside it, patterns besides colour, contrast, and "< 5" without a bar."""

import re
import xml.etree.ElementTree as ET

from evaluation.charts import BLUE, INK, Bar, Group, bar_chart
from evaluation.report import MEAN, SHARE, Figure, figure, share

SVG = "{http://www.w3.org/2000/svg}"


def parse(markup):
    return ET.fromstring(str(markup))  # noqa: S314 -- markup the test itself made


def texts(svg):
    return [element.text for element in svg.iter(f"{SVG}text")]


def bars(svg):
    return svg.findall(f"{SVG}rect")  # the patterns' rectangles are inside <defs>


def chart(**kwargs):
    return parse(
        bar_chart(
            **{
                "chart_id": "chart-test",
                "title": "Anwesenheit",
                "description": "Anzahl je Workshop.",
                **kwargs,
            }
        )
    )


def test_the_chart_is_an_image_named_by_its_title_and_description():
    svg = chart(groups=[Group("Auftakt", [Bar(figure(6, group=7))])])
    assert svg.get("role") == "img"
    assert svg.get("aria-labelledby") == "chart-test-title chart-test-desc"
    assert (svg.find(f"{SVG}title").get("id"), svg.find(f"{SVG}title").text) == (
        "chart-test-title",
        "Anwesenheit",
    )
    assert (svg.find(f"{SVG}desc").get("id"), svg.find(f"{SVG}desc").text) == (
        "chart-test-desc",
        "Anzahl je Workshop.",
    )
    assert "style" not in str(bar_chart(chart_id="c", title="t", description="d", groups=[]))


def test_each_bar_has_its_label_and_value_printed_and_a_length_to_scale():
    svg = chart(
        groups=[
            Group("Auftakt", [Bar(figure(6, group=7))]),
            Group("Zwischenworkshop", [Bar(figure(3, group=7))]),
        ]
    )
    assert texts(svg) == ["Auftakt", "6", "Zwischenworkshop", "3"]
    widths = [float(rect.get("width")) for rect in bars(svg)]
    assert widths[0] == 2 * widths[1]


def test_a_suppressed_value_draws_no_bar_only_its_text():
    svg = chart(
        groups=[
            Group("Auftakt", [Bar(figure(6, group=7))]),
            Group("Abschluss", [Bar(figure(3, group=4))]),
        ]
    )
    assert texts(svg) == ["Auftakt", "6", "Abschluss", "< 5"]
    assert len(bars(svg)) == 1


def test_series_are_named_beside_each_bar_and_differ_by_pattern():
    svg = chart(
        groups=[
            Group("Karriereförderung", [Bar(Figure(4.4, MEAN), 0), Bar(Figure(4.0, MEAN), 1)]),
        ],
        series=["Mentees", "Mentor:innen"],
        kind=MEAN,
    )
    assert texts(svg) == ["Karriereförderung", "Mentees", "4,4", "Mentor:innen", "4,0"]
    fills = [rect.get("fill") for rect in bars(svg)]
    assert fills == [BLUE, "url(#chart-test-hatched)"]
    assert {rect.get("stroke") for rect in bars(svg)} == {BLUE}


def test_shares_and_means_have_fixed_scales():
    svg = chart(
        groups=[Group("Jan", [Bar(share(5, 10))]), Group("Feb", [Bar(share(10, 10))])], kind=SHARE
    )
    half, whole = (float(rect.get("width")) for rect in bars(svg))
    assert (half * 2, texts(svg)) == (whole, ["Jan", "50 %", "Feb", "100 %"])


def test_labels_from_the_database_are_escaped_and_long_ones_shortened():
    svg = chart(groups=[Group("<script>alert(1)</script>" + "x" * 100, [Bar(figure(5, group=5))])])
    label = texts(svg)[0]
    assert label.startswith("<script>alert(1)</script>")  # as text, parsed back from &lt;
    assert (len(label), label[-1]) == (70, "…")


def relative_luminance(colour):
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(colour, background="#ffffff"):
    lighter, darker = sorted((relative_luminance(colour), relative_luminance(background)))[::-1]
    return (lighter + 0.05) / (darker + 0.05)


def test_contrast_of_bars_and_text_on_white():
    markup = str(
        bar_chart(
            chart_id="c",
            title="t",
            description="d",
            groups=[Group("g", [Bar(figure(6, group=7), 0), Bar(figure(6, group=7), 1)])],
            series=["a", "b"],
        )
    )
    colours = set(re.findall(r'(?:fill|stroke)="(#[0-9a-f]{6})"', markup)) - {"#ffffff"}
    assert colours == {BLUE, INK}
    assert contrast(BLUE) >= 3
    assert contrast(INK) >= 4.5
