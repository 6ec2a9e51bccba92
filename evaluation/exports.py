"""The report as an Excel workbook (openpyxl): one sheet per section, the page's figures.

Every figure is written as ``Figure.cell()``: the number as the page shows it (a share as
a fraction formatted as percent, a mean to one decimal), or its text where it is
suppressed ("< 5") or not there ("–"). Every text goes through ``mentoring.spreadsheets
.cell``, so that nothing anyone typed (a free-text answer, a workshop's title) becomes a
formula. Days are dates, shown in the reader's short date format, so that a sheet sorts
and filters by them.
"""

import datetime
import io

from django.utils.formats import date_format, get_format
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from mentoring.dates import short_date
from mentoring.spreadsheets import cell as text

from .report import MEAN, SHARE, CohortReport, Figure, ProgrammeReport

FORMATS = {SHARE: "0 %", MEAN: "0.0"}
WIDE, NARROW = 48, 16
# Django's letters of a date format as Excel's number-format codes.
EXCEL_DATE = {
    "d": "DD",
    "j": "D",
    "m": "MM",
    "n": "M",
    "M": "MMM",
    "F": "MMMM",
    "y": "YY",
    "Y": "YYYY",
}


def date_cell_format():
    """The active language's short date (``SHORT_DATE_FORMAT``) as an Excel format."""
    return "".join(EXCEL_DATE.get(letter, letter) for letter in get_format("SHORT_DATE_FORMAT"))


class _Sheet:
    def __init__(self, workbook, title, header, *, first=False):
        from openpyxl.styles import Font  # openpyxl: see ``_workbook``

        self.bold = Font(bold=True)
        self.sheet = workbook.active if first else workbook.create_sheet()
        self.sheet.title = text(title)[:31]
        self.header = header
        if header:
            self.row(header, bold=True)
        self.sheet.column_dimensions["A"].width = WIDE
        for letter in "BCDEFGHIJKL":
            self.sheet.column_dimensions[letter].width = NARROW

    def row(self, values, *, bold=False):
        cells = []
        for value in values:
            if isinstance(value, Figure):
                cells.append(value.cell())
            elif isinstance(value, (int, float, datetime.date)) or value is None:
                cells.append(value)
            else:
                cells.append(text(value))
        self.sheet.append(cells)
        number = self.sheet.max_row
        for column, value in enumerate(values, start=1):
            target = self.sheet.cell(row=number, column=column)
            if bold:
                target.font = self.bold
            if isinstance(value, Figure) and value.shown and value.kind in FORMATS:
                target.number_format = FORMATS[value.kind]
            elif isinstance(value, datetime.date):
                target.number_format = date_cell_format()


def _workbook():
    from openpyxl import Workbook  # openpyxl: only a download pays for its import

    return Workbook()


def _save(workbook):
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _overview(workbook, title, lines):
    sheet = _Sheet(workbook, _("Übersicht"), None, first=True)
    sheet.row([title], bold=True)
    for label, value in lines:
        sheet.row([label, value])
    sheet.row([])
    sheet.row(
        [
            _(
                "Zahlen über Gruppen von weniger als 5 Personen erscheinen als „< 5“, damit "
                "niemand zu erkennen ist."
            )
        ]
    )


def cohort_workbook(report: CohortReport) -> bytes:
    """The cohort report as an .xlsx file's bytes."""
    cohort = report.cohort
    workbook = _workbook()
    _overview(
        workbook,
        _("Bericht: %(programme)s, %(cohort)s")
        % {"programme": cohort.programme.name, "cohort": cohort.display_title},
        [
            (_("Programm"), cohort.programme.name),
            (_("Jahrgang"), cohort.display_title),
            (_("Beginn"), cohort.start_date),
            (_("Ende"), cohort.end_date),
            (pgettext("as of a date", "Stand"), report.today),
        ],
    )
    applications = report.applications
    sheet = _Sheet(
        workbook, _("Bewerbungen"), [_("Schritt"), *[row.label for row in applications.rows]]
    )
    for label, figures in applications.by_step:
        sheet.row([label, *[figure for _role, figure in figures]])

    endings = report.early_endings
    sheet = _Sheet(workbook, _("Vorzeitige Beendigungen"), [_("Art des Grundes"), _("Tandems")])
    for ending in endings.by_category:
        sheet.row([ending.label, ending.count])
    sheet.row([_("vorzeitig beendet"), endings.ended])
    sheet.row([_("Tandems insgesamt"), endings.tandems])

    contacts = report.contacts
    sheet = _Sheet(
        workbook, _("Monatskontakte"), [_("Monat"), _("Tandems"), _("mit Kontakt"), _("Anteil")]
    )
    for month in contacts.months:
        sheet.row(
            [
                date_format(month.month, "YEAR_MONTH_FORMAT"),
                month.tandems,
                month.with_contact,
                month.share,
            ]
        )
    # The sum of each column: all tandem-months, those with a contact, and their share.
    sheet.row([_("insgesamt"), contacts.tandem_months, contacts.with_contact, contacts.share])
    sheet.row([_("Tandems"), contacts.tandems])

    sheet = _Sheet(
        workbook,
        _("Workshops"),
        [_("Workshop"), _("Datum"), _("erfasst"), _("anwesend"), _("entschuldigt"),
         _("abwesend")],
    )  # fmt: skip
    for workshop in report.workshops:
        sheet.row(
            [
                workshop.title,
                workshop.date,
                workshop.recorded,
                workshop.present,
                workshop.excused,
                workshop.absent,
            ]
        )

    sheet = _Sheet(
        workbook,
        _("Befragungen"),
        [_("Befragung"), _("Rolle"), _("Frage"), _("Mittelwert / Anteil"), "n"],
    )
    free = _Sheet(workbook, _("Freitexte"), [_("Befragung"), _("Rolle"), _("Frage"), _("Antwort")])
    for survey in report.surveys:
        if not survey.closed:
            sheet.row(
                [
                    survey.label,
                    "",
                    _("läuft bis zum %(closes)s") % {"closes": short_date(survey.closes_on)},
                ]
            )
            continue
        for role in survey.roles:
            sheet.row([survey.label, role.label, _("Antworten"), role.responses])
            for line in role.lines:
                sheet.row([survey.label, role.label, line.label, line.value, line.n])
            for block in role.texts:
                for answer in block.answers:
                    free.row([survey.label, role.label, block.question, answer])

    outcomes = report.outcomes
    header = [_("Schritt")]
    for group in outcomes.groups:
        header += [group.label, _("Anteil")]
    sheet = _Sheet(workbook, _("Werdegang"), header)
    sheet.row([_("Personen"), *[value for g in outcomes.groups for value in (g.size, "")]])
    sheet.row(
        [_("davon mit Angaben"), *[value for g in outcomes.groups for value in (g.known, "")]]
    )
    for label, steps in outcomes.rows:
        sheet.row([label, *[value for _g, step in steps for value in (step.count, step.share)]])
    sheet.row([])
    for group in outcomes.groups:
        sheet.row([group.label, group.summary])
    return _save(workbook)


def programme_workbook(report: ProgrammeReport) -> bytes:
    """The programme's comparison of its cohorts as an .xlsx file's bytes."""
    workbook = _workbook()
    _overview(
        workbook,
        _("Programmbericht: %(programme)s") % {"programme": report.programme.name},
        [
            (_("Programm"), report.programme.name),
            (pgettext("as of a date", "Stand"), report.today),
        ],
    )
    sheet = _Sheet(
        workbook,
        _("Jahrgänge"),
        [
            _("Jahrgang"),
            _("Bewerbungen"),
            _("ausgewählt"),
            _("abgeschlossen"),
            _("Monatskontakte"),
            _("befördert: Teilnehmerinnen"),
            _("befördert: Vergleichsgruppe"),
            *report.functions,
        ],
    )
    for row in report.rows:
        sheet.row(
            [
                row.cohort.display_title,
                row.applications,
                row.selected,
                row.completed,
                row.contact_share,
                row.promoted_participants,
                row.promoted_comparison,
                *row.means,
            ]
        )
    return _save(workbook)
