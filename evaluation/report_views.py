"""The cohort report and the programme view, as a page, a PDF and an Excel workbook.

The programme office and the Beirat of the cohort (or programme) read them; everyone
else gets a 403. All three outputs show the same ``evaluation.report`` figures.
"""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.timezone import localdate

from cohorts.models import Programme
from cohorts.shortcuts import cohort_or_403
from workshops.rendering import page_of, render_pdf

from . import charts, exports
from .report import cohort_report, programme_report

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _download(content, content_type, name):
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _cohort(request, cohort_id, *, texts=True):
    cohort = cohort_or_403(request, cohort_id, "evaluation.view_cohort_report")
    report = cohort_report(cohort=cohort, today=localdate(), texts=texts)
    figures = charts.cohort_charts(report)
    return report, {
        "report": report,
        "charts": figures,
        "surveys": [(s, figures.get(f"survey-{s.kind}")) for s in report.surveys],
    }


def _name(report, extension):
    return f"bericht-jahrgang-{report.cohort.number}-{report.today.isoformat()}.{extension}"


@login_required
def cohort_report_page(request, cohort_id):
    """The cohort report: six sections, each chart beside its table."""
    report, context = _cohort(request, cohort_id)
    context["programme_link"] = request.user.has_perm(
        "evaluation.view_programme_report", report.cohort.programme
    )
    return render(request, "evaluation/report/cohort.html", context)


@login_required
def cohort_report_pdf(request, cohort_id):
    """The report as a PDF for a council committee (Ausschussvorlage). A committee paper is
    public: free texts, which may name someone however anonymous the survey, stay out."""
    report, context = _cohort(request, cohort_id, texts=False)
    html = render_to_string("evaluation/report/pdf/cohort.html", {**context, "page_of": page_of()})
    return _download(
        render_pdf(html, print_stylesheet=True), "application/pdf", _name(report, "pdf")
    )


@login_required
def cohort_report_xlsx(request, cohort_id):
    report, _context = _cohort(request, cohort_id)
    return _download(exports.cohort_workbook(report), XLSX, _name(report, "xlsx"))


def _programme(request, programme_id, *, links):
    programme = get_object_or_404(Programme, pk=programme_id)
    if not request.user.has_perm("evaluation.view_programme_report", programme):
        raise PermissionDenied
    report = programme_report(programme=programme, today=localdate())
    rows = []
    for row in report.rows:
        may = links and request.user.has_perm("evaluation.view_cohort_report", row.cohort)
        link = reverse("evaluation:cohort_report", args=[row.cohort.pk]) if may else None
        rows.append({**row.__dict__, "link": link})
    return report, {"report": report, "rows": rows, "charts": charts.programme_charts(report)}


def _programme_name(report, extension):
    return f"programmbericht-{report.programme.slug}-{report.today.isoformat()}.{extension}"


@login_required
def programme_report_page(request, programme_id):
    """The programme's cohorts year by year; each row leads to its cohort's report."""
    _report, context = _programme(request, programme_id, links=True)
    return render(request, "evaluation/report/programme.html", context)


@login_required
def programme_report_pdf(request, programme_id):
    report, context = _programme(request, programme_id, links=False)
    html = render_to_string(
        "evaluation/report/pdf/programme.html", {**context, "page_of": page_of()}
    )
    return _download(
        render_pdf(html, print_stylesheet=True), "application/pdf", _programme_name(report, "pdf")
    )


@login_required
def programme_report_xlsx(request, programme_id):
    report, _context = _programme(request, programme_id, links=False)
    return _download(exports.programme_workbook(report), XLSX, _programme_name(report, "xlsx"))
