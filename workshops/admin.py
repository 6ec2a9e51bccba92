from django.contrib import admin

from applications.selectors import applications_visible_to
from cohorts.admin import CohortListFilter
from mentoring.admin import RulesModelAdmin, RulesTabularInline

from .models import Attendance, CertificatePolicy, ProjectTeam, Rsvp, TeamMembership, Workshop


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
