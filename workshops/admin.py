from django.contrib import admin

from cohorts.admin import CohortListFilter
from mentoring.admin import RulesModelAdmin

from .models import Workshop


@admin.register(Workshop)
class WorkshopAdmin(RulesModelAdmin):
    list_display = ["title", "cohort", "kind", "date", "start_time", "end_time", "mandatory"]
    list_filter = ["cohort__programme", ("cohort", CohortListFilter), "kind", "mandatory"]
    list_select_related = ["cohort__programme"]
    search_fields = ["title", "venue_name", "venue_city"]
    date_hierarchy = "date"
