"""The applications as CSV for the selection meeting, and how scores read there and in the admin.

No files, and the reviews as on the applications' pages: the others' scores and comments
follow the same rule as the application's page and the list's score column
(``selectors.annotate_review_summary``).
"""

from django.db.models import Prefetch, QuerySet
from django.http import HttpResponse
from django.utils.formats import number_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from mentoring import dates
from mentoring.models import User
from mentoring.spreadsheets import csv_response, write_row

from .enums import EligibilityOutcome
from .models import Application, Review
from .selectors import annotate_review_summary

# Instead of the mean, while the others' scores are hidden from her (see selectors).
SCORES_HIDDEN = _("nach eigener Bewertung")


def format_score(value):
    """A mean score with two decimals in the reader's language: 3,50 or 3.50."""
    return number_format(value, 2)


# The CSV's column heads, in the language of whoever exports.
EXPORT_HEADER = [
    _("Name"),
    _("E-Mail"),
    _("Verwaltung"),
    _("Rolle"),
    _("Status"),
    _("vorgemerkte Entscheidung"),
    _("Voraussetzungen"),
    _("Ø Bewertung"),
    _("Bewertungen"),
    _("meine Bewertung"),
    _("eingereicht am"),
    _("Fachbereich / Amt"),
    _("Funktion"),
    _("Status (Beschäftigung)"),
    _("Qualifikation"),
    _("Besoldung / Entgelt"),
    _("unbefristet"),
    _("in der Kommunalverwaltung seit"),
    _("Arbeitszeit"),
    _("Führungsebene"),
    _("Jahre Führung"),
    _("geführte Beschäftigte"),
    _("Themen"),
    _("Motivation"),
    _("Kommentare"),
]


def export_row(application, reviews):
    """One application's row; ``reviews`` are those its reader may see (own, others)."""
    if not application.review_count:
        mean = ""
    elif application.others_reviews_visible:
        mean = format_score(application.review_mean)
    else:
        mean = str(SCORES_HIDDEN)
    yes_no = {True: gettext("ja"), False: gettext("nein"), None: ""}
    return [
        application.applicant.get_full_name(),
        application.applicant.email,
        application.organisation.name if application.organisation else "",
        application.get_role_display(),
        application.get_state_display(),
        application.get_pending_decision_display() if application.pending_decision else "",
        EligibilityOutcome(application.effective_eligibility).label
        if application.effective_eligibility
        else "",
        mean,
        application.review_count,
        format_score(application.own_score) if application.own_score is not None else "",
        dates.short_datetime(application.submitted_at),
        application.department,
        application.position_title,
        application.get_employment_status_display(),
        application.get_qualification_display(),
        f"{application.pay_scale} {application.pay_grade}".strip(),
        yes_no[application.permanent],
        dates.short_date(application.service_start),
        application.get_working_hours_display(),
        application.get_leadership_level_display(),
        application.leadership_years if application.leadership_years is not None else "",
        application.staff_count if application.staff_count is not None else "",
        ", ".join(topic.name for topic in application.topics.all()),
        application.motivation,
        " | ".join(f"{review.reviewer}: {review.comment}" for review in reviews if review.comment),
    ]


def applications_csv(queryset: QuerySet[Application], *, user: User) -> HttpResponse:
    """The applications of ``queryset`` as a CSV download, as ``user`` may see them."""
    if "others_reviews_visible" not in queryset.query.annotations:
        queryset = annotate_review_summary(queryset=queryset, user=user)
    reviews = Review.objects.select_related("reviewer").order_by("created_at")
    rows = queryset.select_related(
        "applicant", "organisation", "cohort__programme"
    ).prefetch_related("topics", Prefetch("reviews", queryset=reviews))
    response, writer = csv_response("bewerbungen")
    write_row(writer, EXPORT_HEADER)
    for application in rows:
        visible = [
            review
            for review in application.reviews.all()
            if application.others_reviews_visible or review.reviewer_id == user.pk
        ]
        write_row(writer, export_row(application, visible))
    return response
