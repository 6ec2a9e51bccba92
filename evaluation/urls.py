from django.urls import path

from . import report_views, views

app_name = "evaluation"

urlpatterns = [
    path("befragung/<int:pk>/", views.survey_answer_page, name="survey"),
    path("befragung/<int:pk>/kontakt/", views.early_warning_offer, name="contact"),
    # The report (evaluation.report_views).
    path(
        "beirat/jahrgang/<int:cohort_id>/bericht/",
        report_views.cohort_report_page,
        name="cohort_report",
    ),
    path(
        "beirat/jahrgang/<int:cohort_id>/bericht.pdf",
        report_views.cohort_report_pdf,
        name="cohort_report_pdf",
    ),
    path(
        "beirat/jahrgang/<int:cohort_id>/bericht.xlsx",
        report_views.cohort_report_xlsx,
        name="cohort_report_xlsx",
    ),
    path(
        "beirat/programm/<int:programme_id>/bericht/",
        report_views.programme_report_page,
        name="programme_report",
    ),
    path(
        "beirat/programm/<int:programme_id>/bericht.pdf",
        report_views.programme_report_pdf,
        name="programme_report_pdf",
    ),
    path(
        "beirat/programm/<int:programme_id>/bericht.xlsx",
        report_views.programme_report_xlsx,
        name="programme_report_xlsx",
    ),
]
