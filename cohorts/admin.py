from django.contrib import admin, messages
from django.contrib.admin.widgets import AdminSplitDateTime
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.functional import lazy
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext, ngettext_lazy
from django.utils.translation import gettext_lazy as _

from mentoring.admin import RulesModelAdmin, RulesTabularInline, label_split_datetime
from mentoring.dates import short_datetime

from . import copying, services
from .enums import CohortState
from .forms import CohortCopyForm
from .models import BeiratMembership, Cohort, CohortOrganisation, Organisation, Programme
from .selectors import member_cohort_filter


class CohortListFilter(admin.RelatedFieldListFilter):
    """Filter by cohort: the programme office's of every programme, an officer's of the
    Beiräte she sits on. A cohort's name includes its programme, so fetch both at once."""

    def field_choices(self, field, request, model_admin):
        cohorts = Cohort.objects.select_related("programme").order_by("programme__name", "-number")
        if not request.user.is_programme_office:
            cohorts = cohorts.filter(member_cohort_filter(user=request.user))
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

    class Media:
        # Names the selector's search icons as ARIA allows (see the script).
        js = ["js/admin-select-filter.js"]

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


def _transition_description(state):
    return gettext("Status wechseln zu „%(state)s“") % {"state": state.label}


def _transition(state):
    # Lazy: the action's name is read per request, in the officer's language.
    @admin.action(description=lazy(_transition_description, str)(state), permissions=["change"])
    def action(modeladmin, request, queryset):
        modeladmin.run_service(
            request,
            queryset,
            lambda cohort: services.cohort_transition(cohort=cohort, to=state, actor=request.user),
        )

    action.__name__ = f"transition_{state.value}"
    return action


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
    # The state changes only through the actions (``services.cohort_transition``).
    readonly_fields = ["state", "state_log"]
    fieldsets = [
        (None, {"fields": ["programme", "number", "year", "title", "state", "state_log"]}),
        (_("Bewerbung"), {"fields": ["application_opens_at", "application_deadline"]}),
        (_("Laufzeit"), {"fields": ["start_date", "end_date", "duration_months"]}),
        (
            _("Auswahlverfahren"),
            {"fields": ["selection_date", "review_reminder_days", "reviews_hidden_until_own"]},
        ),
        (_("Tandems"), {"fields": ["contact_reminder_day"]}),
    ]

    actions = ["copy_cohort", *(_transition(state) for state in CohortState)]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(_organisation_count=Count("participations", distinct=True))
        )

    @admin.display(description=_("Organisationen"), ordering="_organisation_count")
    def organisation_count(self, obj):
        return obj._organisation_count

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is not None:
            return fieldsets
        # A new cohort starts as planned and has no state changes yet.
        first, *rest = fieldsets
        fields = [name for name in first[1]["fields"] if name != "state_log"]
        return [(first[0], {**first[1], "fields": fields}), *rest]

    @admin.display(description=_("Statuswechsel"))
    def state_log(self, obj):
        """The cohort's state changes, newest first, as its log names them."""
        entries = obj.log.select_related("actor").order_by("-created_at", "-pk")[:50]
        if not entries:
            return "–"
        return format_html(
            "<ul>{}</ul>",
            format_html_join(
                "",
                "<li>{} – {}: {} ({} → {}){}</li>",
                (
                    (
                        short_datetime(entry.created_at),
                        entry.actor or "–",
                        entry.get_action_display(),
                        entry.get_from_state_display() or "–",
                        entry.get_to_state_display() or "–",
                        f" – {entry.note}" if entry.note else "",
                    )
                    for entry in entries
                ),
            ),
        )

    service_error = services.CohortError
    service_select_related = ("programme",)
    service_done = ngettext_lazy(
        "%(count)d Jahrgang geändert.", "%(count)d Jahrgänge geändert.", "count"
    )

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if field is not None and isinstance(field.widget, AdminSplitDateTime):
            label_split_datetime(field)
        return field

    # A new cohort from an earlier one (cohorts.copying) ---------------------------------

    @admin.action(description=_("Neuen Jahrgang aus diesem anlegen"), permissions=["add"])
    def copy_cohort(self, request, queryset):
        cohorts = list(queryset[:2])
        if len(cohorts) != 1:
            self.message_user(
                request, _("Bitte wählen Sie genau einen Jahrgang als Vorlage."), messages.ERROR
            )
            return None
        return redirect("admin:cohorts_cohort_copy", cohorts[0].pk)

    def get_urls(self):
        return [
            path(
                "<int:pk>/neuer-jahrgang/",
                self.admin_site.admin_view(self.copy_view),
                name="cohorts_cohort_copy",
            ),
            *super().get_urls(),
        ]

    def add_view(self, request, form_url="", extra_context=None):
        # Copying the previous cohort is the quicker start; the empty form stays below.
        extra_context = {"copy_sources": copying.copy_sources(), **(extra_context or {})}
        return super().add_view(request, form_url, extra_context)

    def copy_view(self, request, pk):
        """Asks number, year and dates of the new cohort; copies ``pk``'s set-up onto it."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        source = get_object_or_404(Cohort.objects.select_related("programme"), pk=pk)
        form = CohortCopyForm(request.POST if request.method == "POST" else None, source=source)
        if form.is_bound and form.is_valid():
            try:
                cohort, parts = copying.cohort_copy(source=source, **form.cleaned_data)
            except copying.CohortCopyError as error:
                form.add_error(error.field, str(error))
            else:
                self.log_addition(
                    request, cohort, gettext("Aus %(cohort)s kopiert.") % {"cohort": source}
                )
                self.message_user(
                    request,
                    gettext("%(cohort)s ist angelegt, Status „%(state)s“. Übernommen: %(parts)s.")
                    % {
                        "cohort": cohort,
                        "state": cohort.get_state_display(),
                        "parts": "; ".join(str(part) for part in parts) or "–",
                    },
                    messages.SUCCESS,
                )
                return redirect("admin:cohorts_cohort_change", cohort.pk)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Neuen Jahrgang aus %(cohort)s anlegen") % {"cohort": source},
            "source": source,
            "form": form,
            "parts": copying.copy_preview(source=source),
            "left_out": copying.copy_left_out(),
            "opts": self.opts,
        }
        return TemplateResponse(request, "admin/cohorts/cohort/copy.html", context)


@admin.register(BeiratMembership)
class BeiratMembershipAdmin(RulesModelAdmin):
    list_display = ["user", "organisation", "role", "programme", "cohort", "is_contact"]
    list_filter = ["role", "programme", ("cohort", CohortListFilter), "is_contact"]
    list_select_related = ["user", "organisation", "programme", "cohort__programme"]
    search_fields = ["user__first_name", "user__last_name", "user__email", "organisation__name"]
    autocomplete_fields = ["user", "organisation"]
