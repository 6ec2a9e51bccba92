from django.urls import path

from . import views

app_name = "applications"

urlpatterns = [
    path("", views.my_applications, name="mine"),
    path("nachbefragung/einwilligen/", views.follow_up_consent, name="follow_up_consent"),
    path("nachbefragung/<str:token>/", views.follow_up, name="follow_up"),
    path(
        "nachbefragung/<str:token>/keine-weiteren-fragen/",
        views.follow_up_stop,
        name="follow_up_stop",
    ),
    path("<slug:slug>/jahrgang/<int:number>/<str:role>/", views.apply, name="apply"),
    path("<int:pk>/bearbeiten/", views.edit, name="edit"),
    path("<int:pk>/zurueckziehen/", views.withdraw, name="withdraw"),
    path("<int:pk>/datei/<str:kind>/", views.application_file, name="file"),
]
