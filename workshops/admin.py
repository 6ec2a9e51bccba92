from django import forms
from django.contrib import admin
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from applications.selectors import applications_visible_to
from cohorts.admin import CohortListFilter
from mentoring.admin import RulesModelAdmin, RulesTabularInline

from . import issuing
from .enums import BatchState
from .models import (
    Attendance,
    Certificate,
    CertificateBatch,
    CertificatePolicy,
    ProjectTeam,
    Rsvp,
    TeamMembership,
    Workshop,
)


@admin.register(Workshop)
class WorkshopAdmin(RulesModelAdmin):
    list_display = [
        "title",
        "cohort",
        "kind",
        "date",
        "start_time",
        "end_time",
        "invitees",
        "mandatory",
    ]
    list_filter = [
        "cohort__programme",
        ("cohort", CohortListFilter),
        "kind",
        "invitees",
        "mandatory",
    ]
    list_select_related = ["cohort__programme"]
    search_fields = ["title", "venue_name", "venue_city", "facilitators"]
    date_hierarchy = "date"


def _visible_people(request):
    """The applications this admin user may see: the one scope of the applications app."""
    return applications_visible_to(request.user)


@admin.register(Rsvp)
class RsvpAdmin(RulesModelAdmin):
    list_display = ["application", "workshop", "answer", "reason", "answered_at"]
    list_filter = [("workshop__cohort", CohortListFilter), "answer"]
    list_select_related = ["application__applicant", "application__cohort", "workshop"]
    search_fields = ["application__applicant__last_name", "application__applicant__email"]
    raw_id_fields = ["application", "workshop"]

    def get_queryset(self, request):
        return super().get_queryset(request).filter(application__in=_visible_people(request))


@admin.register(Attendance)
class AttendanceAdmin(RulesModelAdmin):
    """Read for officers (scoped); changes go through the attendance pages and their rules."""

    list_display = ["application", "workshop", "status", "note", "recorded_by", "recorded_at"]
    list_filter = [("workshop__cohort", CohortListFilter), "status"]
    list_select_related = [
        "application__applicant",
        "application__cohort",
        "workshop",
        "recorded_by",
    ]
    search_fields = ["application__applicant__last_name", "application__applicant__email"]
    readonly_fields = ["workshop", "application", "status", "note", "recorded_by", "recorded_at"]

    def has_add_permission(self, request, *args):
        return False

    def has_change_permission(self, request, obj=None):
        # The service keeps the audit trail and the "only the office excuses" rule.
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).filter(application__in=_visible_people(request))


class TeamMembershipInline(RulesTabularInline):
    model = TeamMembership
    raw_id_fields = ["application"]
    extra = 0

    def _has(self, request, action, obj=None):
        # Memberships are part of the team: the team's permissions decide.
        return request.user.has_perm(f"workshops.{action}_projectteam")


@admin.register(ProjectTeam)
class ProjectTeamAdmin(RulesModelAdmin):
    list_display = ["title", "cohort", "presented_on", "presentation_recorded_by"]
    list_filter = [("cohort", CohortListFilter)]
    list_select_related = ["cohort__programme", "presentation_recorded_by"]
    search_fields = ["title"]
    inlines = [TeamMembershipInline]
    readonly_fields = ["presentation_recorded_by", "presentation_recorded_at"]

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_programme_office:
            return queryset
        return queryset.filter(memberships__application__in=_visible_people(request)).distinct()


@admin.register(CertificatePolicy)
class CertificatePolicyAdmin(RulesModelAdmin):
    list_display = [
        "cohort",
        "mandatory_workshops",
        "excused_counts",
        "team_presentation",
        "mentor_confirmation",
    ]
    list_select_related = ["cohort__programme"]


@admin.register(Certificate)
class CertificateAdmin(RulesModelAdmin):
    """The office looks a certificate up by code or name; revoking is on the Beirat page."""

    list_display = ["participant_name", "kind", "cohort", "code", "issued_on", "revoked_at"]
    list_filter = [("application__cohort", CohortListFilter), "kind"]
    list_select_related = ["application__cohort__programme"]
    search_fields = ["code", "participant_name", "organisation_name"]
    readonly_fields = [
        "application",
        "kind",
        "code",
        "participant_name",
        "organisation_name",
        "issued_on",
        "issued_by",
        "rendered_at",
        "revoked_at",
        "revoked_by",
        "revocation_reason",
        "revoke_link",
    ]
    exclude = ["file"]

    @admin.display(description=_("Jahrgang"))
    def cohort(self, certificate):
        return certificate.application.cohort

    @admin.display(description=_("Widerruf"))
    def revoke_link(self, certificate):
        if not certificate.is_valid:
            return certificate.revocation_reason
        url = reverse("workshops:revoke", kwargs={"pk": certificate.pk})
        return format_html('<a href="{}">{}</a>', url, _("Zertifikat widerrufen …"))

    def has_change_permission(self, request, obj=None):
        return False


class BatchStartForm(forms.ModelForm):
    class Meta:
        model = CertificateBatch
        fields = ["cohort"]

    def clean_cohort(self):
        cohort = self.cleaned_data["cohort"]
        if cohort.certificate_batches.filter(
            state__in=[BatchState.QUEUED, BatchState.RUNNING]
        ).exists():
            raise forms.ValidationError(_("Für diesen Jahrgang läuft bereits ein Druck."))
        return cohort


@admin.register(CertificateBatch)
class CertificateBatchAdmin(RulesModelAdmin):
    """ "All certificates of a cohort as one PDF", started here or on the Beirat's page."""

    form = BatchStartForm
    list_display = ["cohort", "requested_at", "requested_by", "state", "done", "total", "page"]
    list_filter = [("cohort", CohortListFilter), "state"]
    list_select_related = ["cohort__programme", "requested_by"]

    @admin.display(description=_("Stand und PDF"))
    def page(self, batch):
        url = reverse("workshops:batch", kwargs={"cohort_id": batch.cohort_id, "pk": batch.pk})
        return format_html('<a href="{}">{}</a>', url, _("öffnen"))

    def has_change_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        obj.requested_by = request.user
        super().save_model(request, obj, form, change)
        issuing.queue(obj)

    def response_add(self, request, obj, post_url_continue=None):
        return HttpResponseRedirect(
            reverse("workshops:batch", kwargs={"cohort_id": obj.cohort_id, "pk": obj.pk})
        )
