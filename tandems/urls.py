from django.urls import path

from . import views

app_name = "tandems"

urlpatterns = [
    path("beirat/", views.beirat_home, name="beirat"),
    path("tandem/", views.my_tandems, name="mine"),
    path("tandem/<int:pk>/", views.tandem_detail, name="detail"),
    path("tandem/<int:pk>/kontakte/neu/", views.contact_create, name="contact_create"),
    path("tandem/<int:pk>/kontakte/<int:contact_id>/", views.contact_edit, name="contact_edit"),
    path(
        "tandem/<int:pk>/kontakte/<int:contact_id>/loeschen/",
        views.contact_delete,
        name="contact_delete",
    ),
    path("tandem/<int:pk>/zielvereinbarung/", views.goal_agreement, name="goal_agreement"),
    path("beirat/jahrgang/<int:cohort_id>/tandembildung/", views.matching, name="matching"),
    path(
        "beirat/jahrgang/<int:cohort_id>/tandembildung/berechnen/", views.matching_run, name="run"
    ),
    path(
        "beirat/jahrgang/<int:cohort_id>/tandembildung/gewichte/",
        views.matching_weights,
        name="weights",
    ),
    path("beirat/jahrgang/<int:cohort_id>/tandembildung/paar/", views.matching_pair, name="pair"),
    path(
        "beirat/jahrgang/<int:cohort_id>/tandembildung/von-hand/<int:mentee_id>/",
        views.matching_by_hand,
        name="pair_by_hand",
    ),
    path(
        "beirat/jahrgang/<int:cohort_id>/tandembildung/<int:run_id>/veroeffentlichen/",
        views.matching_publish,
        name="publish",
    ),
    path("beirat/jahrgang/<int:cohort_id>/tandems/", views.tandem_list, name="list"),
    path("beirat/jahrgang/<int:cohort_id>/kontakte/", views.contact_overview_page, name="contacts"),
    path(
        "beirat/jahrgang/<int:cohort_id>/kontakte.csv",
        views.contact_overview_csv,
        name="contacts_csv",
    ),
    path("beirat/tandem/<int:pk>/beenden/", views.tandem_end, name="end"),
    path("beirat/tandem/<int:pk>/neu-zuordnen/", views.tandem_rematch, name="rematch"),
]
