from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from applications.selectors import applications_visible_to
from cohorts.admin import CohortListFilter
from mentoring.admin import RulesModelAdmin, RulesTabularInline

from . import issuing, services
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
    return applications_visible_to(user=request.user)


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
    list_filter = [("cohort", CohortListFilter), "kind"]
    list_select_related = ["cohort__programme"]
    search_fields = ["code", "participant_name", "organisation_name"]
    readonly_fields = [
        "application",
        "cohort",
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

    @admin.display(description=_("Widerruf"))
    def revoke_link(self, certificate):
        if not certificate.is_valid:
            return certificate.revocation_reason
        url = reverse("workshops:revoke", kwargs={"pk": certificate.pk})
        return format_html('<a href="{}">{}</a>', url, _("Zertifikat widerrufen …"))

    def has_change_permission(self, request, obj=None):
        return False


class BatchStartForm(forms.ModelForm):
    """Names the cohort; whether a batch is new, running or resumed is decided by
    ``services.certificate_batch_start``."""

    class Meta:
        model = CertificateBatch
        fields = ["cohort"]


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

    def add_view(self, request, form_url="", extra_context=None):
        """A valid POST starts through ``services.certificate_batch_start``, as the
        Beirat's page does.

        The batch is never created here: the service resumes a stalled batch, and of two
        people starting at once the second is shown the first's. The add form itself only
        shows the page and the error for a missing or unknown cohort.
        """
        if request.method == "POST":
            if not self.has_add_permission(request):
                raise PermissionDenied
            field = self.get_form(request).base_fields["cohort"]
            try:
                cohort = field.clean(request.POST.get("cohort"))
            except ValidationError:
                pass  # the add form says what is wrong
            else:
                return self._start(request, cohort)
        return super().add_view(request, form_url, extra_context)

    def _start(self, request, cohort):
        running = cohort.certificate_batches.filter(
            state__in=[BatchState.QUEUED, BatchState.RUNNING]
        ).first()
        batch = services.certificate_batch_start(cohort=cohort, actor=request.user)
        if batch is None:  # started and deleted again in the same moment
            return HttpResponseRedirect(reverse("admin:workshops_certificatebatch_changelist"))
        if running is not None and running.pk == batch.pk:
            if issuing.is_stalled(running):
                message = _("Der stehengebliebene Druck für %(cohort)s wird fortgesetzt.")
            else:
                message = _("Für %(cohort)s läuft bereits ein Druck; hier sehen Sie seinen Stand.")
            messages.info(request, message % {"cohort": cohort})
        elif batch.requested_by_id == request.user.pk and batch.is_active:
            self.log_addition(request, batch, [{"added": {}}])
            messages.success(
                request, _("Der Druck für %(cohort)s ist gestartet.") % {"cohort": cohort}
            )
        else:
            messages.info(
                request,
                _(
                    "Soeben wurde der Druck für %(cohort)s von jemand anderem gestartet; "
                    "hier sehen Sie seinen Stand."
                )
                % {"cohort": cohort},
            )
        return HttpResponseRedirect(
            reverse("workshops:batch", kwargs={"cohort_id": batch.cohort_id, "pk": batch.pk})
        )
