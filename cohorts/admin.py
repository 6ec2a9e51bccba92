from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from mentoring.admin import RulesModelAdmin, RulesTabularInline

from .models import BeiratMembership, Cohort, CohortOrganisation, Organisation, Programme


class CohortListFilter(admin.RelatedFieldListFilter):
    """Filter by cohort; a cohort's name includes its programme, so fetch both at once."""

    def field_choices(self, field, request, model_admin):
        cohorts = Cohort.objects.select_related("programme").order_by("programme__name", "-number")
        return [(cohort.pk, str(cohort)) for cohort in cohorts]


class CohortOrganisationInline(RulesTabularInline):
    model = CohortOrganisation
    extra = 0
    autocomplete_fields = ["organisation"]


class BeiratMembershipInline(RulesTabularInline):
    model = BeiratMembership
    extra = 0
    autocomplete_fields = ["user", "organisation"]
    fields = ["user", "organisation", "role", "function_title", "is_contact"]


@admin.register(Organisation)
class OrganisationAdmin(RulesModelAdmin):
    list_display = ["name", "kind", "postcode", "city"]
    list_filter = ["kind", "cohorts__programme"]
    search_fields = ["name", "city", "postcode"]
    fieldsets = [
        (None, {"fields": ["name", "kind", "website"]}),
        (_("Anschrift"), {"fields": ["street", "postcode", "city"]}),
        (_("Lage (für Entfernungen)"), {"fields": ["latitude", "longitude"]}),
    ]

    def get_queryset(self, request):
        # The participation filter joins; keep rows unique.
        return super().get_queryset(request).distinct()


@admin.register(Programme)
class ProgrammeAdmin(RulesModelAdmin):
    list_display = ["name", "matching_policy", "organisation_count", "cohort_count"]
    list_filter = ["matching_policy"]
    search_fields = ["name", "organiser"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["organisations"]
    inlines = [BeiratMembershipInline]
    fieldsets = [
        (None, {"fields": ["name", "slug", "organiser", "website"]}),
        (
            _("Ausschreibung"),
            {
                "fields": [
                    "tagline",
                    "description",
                    "theme",
                    "mentee_requirements",
                    "mentor_requirements",
                ]
            },
        ),
        (
            _("Verfahren"),
            {
                "fields": [
                    "matching_policy",
                    "seats_binding",
                    "interview_required",
                    "transfer_consent_required",
                    "mentors_self_register",
                ]
            },
        ),
        (_("Partnerorganisationen"), {"fields": ["organisations"]}),
    ]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                _organisation_count=Count("organisations", distinct=True),
                _cohort_count=Count("cohorts", distinct=True),
            )
        )

    @admin.display(description=_("Partnerorganisationen"), ordering="_organisation_count")
    def organisation_count(self, obj):
        return obj._organisation_count

    @admin.display(description=_("Jahrgänge"), ordering="_cohort_count")
    def cohort_count(self, obj):
        return obj._cohort_count


@admin.register(Cohort)
class CohortAdmin(RulesModelAdmin):
    list_display = [
        "__str__",
        "state",
        "application_deadline",
        "start_date",
        "end_date",
        "organisation_count",
    ]
    list_filter = ["programme", "state", "year"]
    list_select_related = ["programme"]
    search_fields = ["title", "programme__name", "year"]
    date_hierarchy = "start_date"
    inlines = [CohortOrganisationInline, BeiratMembershipInline]
    fieldsets = [
        (None, {"fields": ["programme", "number", "year", "title", "state"]}),
        (_("Bewerbung"), {"fields": ["application_opens_at", "application_deadline"]}),
        (_("Laufzeit"), {"fields": ["start_date", "end_date", "duration_months"]}),
        (
            _("Auswahlverfahren"),
            {"fields": ["selection_date", "review_reminder_days", "reviews_hidden_until_own"]},
        ),
        (_("Tandems"), {"fields": ["contact_reminder_day"]}),
    ]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(_organisation_count=Count("participations", distinct=True))
        )

    @admin.display(description=_("Organisationen"), ordering="_organisation_count")
    def organisation_count(self, obj):
        return obj._organisation_count


@admin.register(BeiratMembership)
class BeiratMembershipAdmin(RulesModelAdmin):
    list_display = ["user", "organisation", "role", "programme", "cohort", "is_contact"]
    list_filter = ["role", "programme", ("cohort", CohortListFilter), "is_contact"]
    list_select_related = ["user", "organisation", "programme", "cohort__programme"]
    search_fields = ["user__first_name", "user__last_name", "user__email", "organisation__name"]
    autocomplete_fields = ["user", "organisation"]
