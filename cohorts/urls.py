from django.urls import path

from . import views

app_name = "cohorts"

urlpatterns = [
    path("<slug:slug>/", views.programme_call, name="programme"),
    path("<slug:slug>/jahrgang/<int:number>/", views.cohort_detail, name="cohort"),
]
