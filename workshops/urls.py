from django.urls import path

from . import views

app_name = "workshops"

urlpatterns = [
    path("workshops/", views.my_workshops, name="mine"),
    path("workshops/<int:pk>/rueckmeldung/", views.rsvp, name="rsvp"),
    path("workshops/<int:pk>/kalender.ics", views.workshop_ics, name="ics"),
    path("workshops/kalender/neu/", views.feed_renew, name="feed_renew"),
    path("workshops/kalender/loeschen/", views.feed_revoke, name="feed_revoke"),
    path("workshops/kalender/<str:token>.ics", views.feed, name="feed"),
    path("beirat/jahrgang/<int:cohort_id>/workshops/", views.cohort_workshops, name="cohort"),
    path(
        "beirat/jahrgang/<int:cohort_id>/workshops/<int:pk>/anwesenheit/",
        views.attendance,
        name="attendance",
    ),
    path(
        "beirat/jahrgang/<int:cohort_id>/workshops/<int:pk>/teilnahmeliste.pdf",
        views.attendance_sheet,
        name="sheet",
    ),
    path("beirat/jahrgang/<int:cohort_id>/projektteams/", views.team_list, name="teams"),
    path(
        "beirat/jahrgang/<int:cohort_id>/zertifikate/",
        views.certificate_status,
        name="certificates",
    ),
    path(
        "beirat/jahrgang/<int:cohort_id>/zertifikate/druck/",
        views.certificate_batch_start,
        name="batch_start",
    ),
    path(
        "beirat/jahrgang/<int:cohort_id>/zertifikate/druck/<int:pk>/",
        views.certificate_batch,
        name="batch",
    ),
    path(
        "beirat/jahrgang/<int:cohort_id>/zertifikate/druck/<int:pk>/stand/",
        views.certificate_batch_progress,
        name="batch_progress",
    ),
    path(
        "beirat/jahrgang/<int:cohort_id>/zertifikate/druck/<int:pk>/zertifikate.pdf",
        views.certificate_batch_file,
        name="batch_file",
    ),
    path("beirat/zertifikate/<int:pk>/widerruf/", views.certificate_revoke, name="revoke"),
    path("zertifikate/<int:pk>/zertifikat.pdf", views.certificate_file, name="certificate_file"),
    path("zertifikat/", views.verify, name="verify_form"),
    path("zertifikat/<str:code>/", views.verify_code, name="verify"),
    path(
        "beirat/jahrgang/<int:cohort_id>/projektteams/neu/", views.team_create, name="team_create"
    ),
    path(
        "beirat/jahrgang/<int:cohort_id>/projektteams/<int:pk>/",
        views.team_edit,
        name="team_edit",
    ),
    path(
        "beirat/jahrgang/<int:cohort_id>/projektteams/<int:pk>/praesentation/",
        views.team_presented,
        name="team_presented",
    ),
]
