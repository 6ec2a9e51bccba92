"""The report's charts: horizontal bars as inline SVG, drawn here; no script, no library.

Each chart is an image with a title and a description (``role="img"``, ``aria-labelledby``)
and stands beside a table of the same figures. Colour never carries meaning alone: every
bar has its words printed beside it (the group's label above, the series' name before it
where a group has several bars) and its value after it, and series differ by fill pattern
(solid, hatched, dotted) as well. Bars are dark blue on white with a dark outline (well
over 3:1), text nearly black (over 4.5:1). A suppressed value draws no bar, only "< 5".

The same markup goes into the page and, inline, into the PDF (WeasyPrint draws SVG), so
it uses presentation attributes only: the page's Content-Security-Policy allows no inline
style.
"""

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.formats import date_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .report import MEAN, SHARE, CohortReport, Figure, ProgrammeReport

WIDTH = 560  # narrow, so that the text stays legible when a phone shrinks the chart
BAR = 16  # a bar's height
ROW = 22  # a bar's row
LABEL = 20  # a group's label line
GAP = 10  # between groups
VALUE_ROOM = 64  # after the longest bar, for its value
SERIES_ROOM = 130  # before the bars, for the series' names, where there are several
INK = "#1f2a36"  # text: 14:1 on white
BLUE = "#1d3a5c"  # bars and their outlines: 11:1 on white
PATTERNS = ("solid", "hatched", "dotted")
PATTERN_NAMES = {
    "solid": gettext_lazy("ausgefüllte Balken"),
    "hatched": gettext_lazy("schraffierte Balken"),
    "dotted": gettext_lazy("gepunktete Balken"),
}
LONGEST_LABEL = 70  # characters; the table beside has the whole text
SERIES_LABEL = 20  # characters of a series' name, in SERIES_ROOM


@dataclass(frozen=True)
class Bar:
    figure: Figure
    series: int = 0  # index into the chart's ``series``


@dataclass(frozen=True)
class Group:
    label: str
    bars: Sequence[Bar]


def _short(text, longest=LONGEST_LABEL):
    text = str(text)
    return text if len(text) <= longest else text[: longest - 1] + "…"


def _defs(chart_id):
    return (
        "<defs>"
        f'<pattern id="{chart_id}-hatched" patternUnits="userSpaceOnUse" width="6" height="6"'
        ' patternTransform="rotate(45)">'
        f'<rect width="6" height="6" fill="#ffffff"/>'
        f'<rect width="3" height="6" fill="{BLUE}"/></pattern>'
        f'<pattern id="{chart_id}-dotted" patternUnits="userSpaceOnUse" width="6" height="6">'
        f'<rect width="6" height="6" fill="#ffffff"/>'
        f'<circle cx="3" cy="3" r="1.6" fill="{BLUE}"/></pattern>'
        "</defs>"
    )


def _fill(chart_id, series):
    pattern = PATTERNS[series % len(PATTERNS)]
    return BLUE if pattern == "solid" else f"url(#{chart_id}-{pattern})"


def _scale(groups, kind):
    if kind == SHARE:
        return 1.0
    if kind == MEAN:
        return 5.0
    values = [bar.figure.value for group in groups for bar in group.bars if bar.figure.shown]
    return float(max(values, default=0)) or 1.0


def bar_chart(
    *,
    chart_id: str,
    title: str,
    description: str,
    groups: Sequence[Group],
    series: Sequence[str] = (),
    kind: str = "count",
) -> SafeString:
    """A horizontal bar chart: per group its label, then one bar per series.

    ``series`` names the bars of a group where there are several (and so the patterns);
    ``kind`` sets the scale: counts up to the largest, shares up to 100 %, means up to 5.
    """
    scale = _scale(groups, kind)
    start = SERIES_ROOM if len(series) > 1 else 0
    room = WIDTH - start - VALUE_ROOM
    parts, y = [], 0
    for group in groups:
        y += LABEL
        parts.append(
            f'<text x="0" y="{y - 6}" font-size="13" font-weight="bold" fill="{INK}">'
            f"{escape(_short(group.label))}</text>"
        )
        for bar in group.bars:
            middle = y + ROW / 2
            if len(series) > 1:
                parts.append(
                    f'<text x="0" y="{middle + 4:.1f}" font-size="12" fill="{INK}">'
                    f"{escape(_short(series[bar.series], SERIES_LABEL))}</text>"
                )
            width = 0.0
            if bar.figure.shown:
                width = max(room * min(float(bar.figure.value) / scale, 1.0), 0.0)
            if width > 0:
                parts.append(
                    f'<rect x="{start}" y="{middle - BAR / 2:.1f}" width="{width:.1f}"'
                    f' height="{BAR}" fill="{_fill(chart_id, bar.series)}"'
                    f' stroke="{BLUE}" stroke-width="1"/>'
                )
            parts.append(
                f'<text x="{start + width + 6:.1f}" y="{middle + 4:.1f}" font-size="12"'
                f' fill="{INK}">{escape(str(bar.figure))}</text>'
            )
            y += ROW
        y += GAP
    height = max(y, ROW)
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="report-chart img-fluid" role="img"'
        f' aria-labelledby="{chart_id}-title {chart_id}-desc" viewBox="0 0 {WIDTH} {height}"'
        f' width="{WIDTH}" font-family="DejaVu Sans, Mentoring Sans, sans-serif">'
        f'<title id="{chart_id}-title">{escape(title)}</title>'
        f'<desc id="{chart_id}-desc">{escape(description)}</desc>'
        f"{_defs(chart_id)}{''.join(parts)}</svg>"
    )
    return mark_safe(svg)  # noqa: S308 -- every text in it went through escape()


def _table_note():
    return _("Die Werte stehen auch in der Tabelle neben dem Diagramm.")


def _series_note(series):
    """Says which pattern is which series, for the description."""
    names = [
        _("%(series)s: %(pattern)s")
        % {"series": name, "pattern": PATTERN_NAMES[PATTERNS[n % len(PATTERNS)]]}
        for n, name in enumerate(series)
    ]
    return "; ".join(names)


def _describe(text, series=()):
    parts = [text]
    if len(series) > 1:
        parts.append(_series_note(series) + ".")
    parts.append(_table_note())
    return " ".join(parts)


def cohort_charts(report: CohortReport) -> dict[str, SafeString]:
    """The charts of a cohort report, by section; a survey's under ``survey-<kind>``."""
    charts = {}
    roles = [row.label for row in report.applications.rows]
    charts["applications"] = bar_chart(
        chart_id="chart-applications",
        title=_("Bewerbungen und Auswahl"),
        description=_describe(_("Anzahl der Bewerbungen je Schritt, nach Rolle."), roles),
        groups=[
            Group(label, [Bar(figure, n) for n, (_role, figure) in enumerate(figures)])
            for label, figures in report.applications.by_step
        ],
        series=roles,
    )
    charts["early_endings"] = bar_chart(
        chart_id="chart-early-endings",
        title=_("Vorzeitig beendete Tandems nach Art des Grundes"),
        description=_describe(_("Anzahl der vorzeitig beendeten Tandems je Art des Grundes.")),
        groups=[Group(e.label, [Bar(e.count)]) for e in report.early_endings.by_category],
    )
    charts["contacts"] = bar_chart(
        chart_id="chart-contacts",
        title=_("Anteil der Tandems mit Kontakt, je Monat"),
        description=_describe(
            _("Anteil der Tandems mit mindestens einem Kontakt im Monat, in Prozent.")
        ),
        groups=[
            Group(date_format(m.month, "YEAR_MONTH_FORMAT"), [Bar(m.share)])
            for m in report.contacts.months
        ],
        kind=SHARE,
    )
    statuses = [_("anwesend"), _("entschuldigt"), _("abwesend")]
    charts["workshops"] = bar_chart(
        chart_id="chart-workshops",
        title=_("Anwesenheit bei den Workshops"),
        description=_describe(_("Anzahl der Personen je Workshop und Anwesenheit."), statuses),
        groups=[
            Group(w.title, [Bar(w.present, 0), Bar(w.excused, 1), Bar(w.absent, 2)])
            for w in report.workshops
        ],
        series=statuses,
    )
    for survey in report.surveys:
        shown = [role for role in survey.roles if role.shown]
        if not shown:
            continue
        labels = [line.label for line in shown[0].lines if line.value.kind == MEAN]
        for role in shown[1:]:
            labels += [
                line.label
                for line in role.lines
                if line.value.kind == MEAN and line.label not in labels
            ]
        series = [role.label for role in shown]
        groups = []
        for label in labels:
            bars = []
            for n, role in enumerate(shown):
                line = next((line for line in role.lines if line.label == label), None)
                bars.append(Bar(line.value if line else Figure(None, MEAN), n))
            groups.append(Group(label, bars))
        charts[f"survey-{survey.kind}"] = bar_chart(
            chart_id=f"chart-survey-{survey.kind}",
            title=_("%(survey)s: Mittelwerte") % {"survey": survey.label},
            description=_describe(
                _("Mittelwerte auf der Skala von 1 (trifft gar nicht zu) bis 5 (trifft voll zu)."),
                series,
            ),
            groups=groups,
            series=series,
            kind=MEAN,
        )
    groups = report.outcomes.groups
    names = [_("Teilnehmerinnen"), _("Vergleichsgruppe")]  # short: they stand before bars
    charts["outcomes"] = bar_chart(
        chart_id="chart-outcomes",
        title=_("Beruflicher Werdegang seit Beginn des Jahrgangs"),
        description=_describe(
            _("Anteil der Personen mit Angaben, die den Schritt gemacht haben, in Prozent."),
            names,
        ),
        groups=[
            Group(step.label, [Bar(group.steps[index].share, n) for n, group in enumerate(groups)])
            for index, step in enumerate(groups[0].steps)
        ],
        series=names,
        kind=SHARE,
    )
    return charts


def programme_charts(report: ProgrammeReport) -> dict[str, SafeString]:
    names = [_("Teilnehmerinnen"), _("Vergleichsgruppe")]
    return {
        "contacts": bar_chart(
            chart_id="chart-programme-contacts",
            title=_("Regelmäßigkeit der Monatskontakte je Jahrgang"),
            description=_describe(_("Anteil der Tandem-Monate mit Kontakt, in Prozent.")),
            groups=[
                Group(row.cohort.display_title, [Bar(row.contact_share)]) for row in report.rows
            ],
            kind=SHARE,
        ),
        "promoted": bar_chart(
            chart_id="chart-programme-promoted",
            title=_("Anteil befördert je Jahrgang"),
            description=_describe(
                _("Anteil der Personen mit Angaben, die befördert wurden, in Prozent."), names
            ),
            groups=[
                Group(
                    row.cohort.display_title,
                    [Bar(row.promoted_participants, 0), Bar(row.promoted_comparison, 1)],
                )
                for row in report.rows
            ],
            series=names,
            kind=SHARE,
        ),
    }
