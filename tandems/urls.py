from django.urls import path

from . import views

app_name = "tandems"

urlpatterns = [
    path("jahrgang/<int:cohort_id>/tandembildung/", views.matching, name="matching"),
    path("jahrgang/<int:cohort_id>/tandembildung/berechnen/", views.matching_run, name="run"),
    path(
        "jahrgang/<int:cohort_id>/tandembildung/gewichte/",
        views.matching_weights,
        name="weights",
    ),
    path("jahrgang/<int:cohort_id>/tandembildung/paar/", views.matching_pair, name="pair"),
    path(
        "jahrgang/<int:cohort_id>/tandembildung/<int:run_id>/veroeffentlichen/",
        views.matching_publish,
        name="publish",
    ),
    path("jahrgang/<int:cohort_id>/tandems/", views.tandem_list, name="list"),
    path("tandem/<int:pk>/beenden/", views.tandem_end, name="end"),
]
