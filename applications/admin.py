from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import (
    Avg,
    BooleanField,
    Count,
    Exists,
    OuterRef,
    Prefetch,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from cohorts.admin import CohortListFilter
from cohorts.enums import CohortState, OrganisationKind
from cohorts.models import Cohort, Organisation
from cohorts.selectors import officer_organisation_ids
from mentoring.admin import RulesModelAdmin
from mentoring.mail import render_mail
from mentoring.spreadsheets import csv_response, write_row

from . import services
from .enums import ApplicationState, Decision, EligibilityOutcome, LeadershipLevel
from .forms import (
    InterviewForm,
    NominationForm,
    OverrideForm,
    RequestChangesForm,
    ReviewForm,
)
from .admin_filters import TaskFilter
from .models import Application, EligibilityPolicy, Review, ReviewCriterion, Topic
from .selectors import applications_visible_to, reviews_visible_to, seat_usage


@admin.register(Topic)
class TopicAdmin(RulesModelAdmin):
    list_display = ["name", "programme", "position"]
    list_editable = ["position"]
    list_filter = ["programme"]
    list_select_related = ["programme"]
    search_fields = ["name"]


@admin.register(ReviewCriterion)
class ReviewCriterionAdmin(RulesModelAdmin):
    list_display = ["name", "cohort", "position"]
    list_filter = [("cohort", CohortListFilter)]
    list_select_related = ["cohort__programme"]


class EligibilityPolicyForm(forms.ModelForm):
    mentor_levels = forms.MultipleChoiceField(
        label=EligibilityPolicy._meta.get_field("mentor_levels").verbose_name,
        help_text=EligibilityPolicy._meta.get_field("mentor_levels").help_text,
        choices=LeadershipLevel.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = EligibilityPolicy
        fields = [
            "cohort",
            "accept_career_group_2",
            "accept_employee_course_2",
            "degree_needs_check",
            "minimum_grade_a",
            "minimum_grade_eg",
            "minimum_grade_s",
            "require_permanent",
            "minimum_service_months",
            "minimum_leadership_years",
            "mentor_levels",
        ]

    def clean_mentor_levels(self):
        # Stored from the top of an administration down, whatever order was ticked.
        chosen = set(self.cleaned_data["mentor_levels"])
        return [level for level in LeadershipLevel.values if level in chosen]


@admin.register(EligibilityPolicy)
class EligibilityPolicyAdmin(RulesModelAdmin):
    form = EligibilityPolicyForm
    list_display = ["cohort", "minimum_grade_a", "minimum_grade_eg", "minimum_grade_s"]
    list_select_related = ["cohort__programme"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        count = services.cohort_recheck_eligibility(cohort=obj.cohort)
        self.message_user(
            request,
            ngettext(
                "Voraussetzungen von %(count)d Bewerbung neu geprüft.",
                "Voraussetzungen von %(count)d Bewerbungen neu geprüft.",
                count,
            )
            % {"count": count},
        )


OUTCOME_SYMBOLS = {
    EligibilityOutcome.PASS: "✓",
    EligibilityOutcome.FAIL: "✗",
    EligibilityOutcome.MANUAL: "?",
}


def _decide(decision):
    @admin.action(
        description=_("Entscheidung vormerken: %(decision)s") % {"decision": decision.label},
        permissions=["change"],
    )
    def action(modeladmin, request, queryset):
        modeladmin.run_service(
            request,
            queryset,
            lambda application: services.application_record_decision(
                application=application, actor=request.user, decision=decision
            ),
        )

    action.__name__ = f"decide_{decision.value}"
    return action


@admin.register(Application)
class ApplicationAdmin(RulesModelAdmin):
    list_display = [
        "applicant_name",
        "organisation",
        "role",
        "state",
        "pending_decision",
        "eligibility",
        "mean_score",
        "submitted_at",
    ]
    list_filter = [
        ("cohort", CohortListFilter),
        TaskFilter,
        ("organisation", admin.RelatedOnlyFieldListFilter),
        "role",
        "state",
        "eligibility_outcome",
        "pending_decision",
    ]
    list_select_related = ["applicant", "organisation", "cohort__programme"]
    search_fields = ["applicant__first_name", "applicant__last_name", "applicant__email"]
    list_per_page = 50
    ordering = ["-submitted_at", "-created_at", "-id"]
    show_full_result_count = False
    actions = [
        "start_review",
        _decide(Decision.ACCEPTED),
        _decide(Decision.WAITLISTED),
        _decide(Decision.REJECTED),
        "clear_decision",
        "release_decisions",
        "export_csv",
    ]
    fieldsets = [
        (_("Person"), {"fields": ["applicant_name", "applicant_email", "phone", "role", "cohort"]}),
        (
            _("Verwaltung und Stelle"),
            {"fields": ["organisation", "department", "position_title"]},
        ),
        (
            _("Laufbahn"),
            {
                "fields": [
                    "employment_status",
                    "qualification",
                    "pay",
                    "permanent",
                    "service_start",
                    "working_hours",
                ]
            },
        ),
        (
            _("Führung (Mentor:innen)"),
            {"fields": ["leadership_level", "leadership_years", "staff_count", "capacity"]},
        ),
        (_("Themen und Motivation"), {"fields": ["topic_list", "topics_other", "motivation"]}),
        (
            _("Wünsche für die Tandembildung"),
            {"fields": ["wished_kinds", "wished_organisations", "avoided_organisations"]},
        ),
        (_("Unterlagen"), {"fields": ["files", "consent_at"]}),
        (
            _("Voraussetzungen"),
            {
                "fields": [
                    "eligibility_report_table",
                    "eligibility_override",
                    "eligibility_override_reason",
                    "eligibility_override_by",
                    "eligibility_override_at",
                ]
            },
        ),
        (
            _("Verfahren"),
            {
                "fields": [
                    "state",
                    "submitted_at",
                    "interview_at",
                    "interview_place",
                    "changes_requested_note",
                    "pending_decision",
                    "decision_reason",
                    "decision_released_at",
                ]
            },
        ),
    ]

    def get_fieldsets(self, request, obj=None):
        """The fieldsets, plus what only some programmes ask: supervisor, transfer consent."""
        programme = obj.cohort.programme if obj is not None else None
        extra = {
            _("Verwaltung und Stelle"): ["supervisor_email"]
            if programme is not None and programme.is_internal
            else [],
            _("Unterlagen"): ["transfer_consent_at"]
            if programme is not None and programme.transfer_consent_required
            else [],
        }
        return [
            (title, {**options, "fields": [*options["fields"], *extra.get(title, [])]})
            for title, options in self.fieldsets
        ]

    def get_readonly_fields(self, request, obj=None):
        # State changes go through the services (actions), never through a form field.
        return [
            field
            for _title, options in self.get_fieldsets(request, obj)
            for field in options["fields"]
        ]

    def get_queryset(self, request):
        # The detail view looks its object up here too: another administration's
        # application is "not found", not merely hidden from the list.
        queryset = applications_visible_to(request.user, super().get_queryset(request))
        if not request.user.is_programme_office:
            queryset = queryset.exclude(state=ApplicationState.DRAFT)
        # Correlated subqueries, not JOIN + GROUP BY: the database evaluates them only for
        # the page shown, and the paginator's count can leave them out (10 000 rows: the
        # GROUP BY made the list ~20x slower, see bench/).
        reviews = Review.objects.filter(application=OuterRef("pk")).order_by().values("application")
        own_review = Review.objects.filter(application=OuterRef("pk"), reviewer=request.user)
        return queryset.annotate(
            _mean_score=Subquery(reviews.annotate(mean=Avg("mean_score")).values("mean")),
            _review_count=Coalesce(
                Subquery(reviews.annotate(count=Count("pk")).values("count")), 0
            ),
            _reviewed_by_me=Exists(own_review),
            _sees_all_scores=Value(request.user.is_programme_office, BooleanField()),
        )

    def has_add_permission(self, request, *args):
        return False

    # Columns -----------------------------------------------------------------------

    @admin.display(description=_("Name"), ordering="applicant__last_name")
    def applicant_name(self, obj):
        return obj.applicant.get_full_name() or obj.applicant.email

    @admin.display(description=_("E-Mail-Adresse"))
    def applicant_email(self, obj):
        return obj.applicant.email

    @admin.display(description=_("Voraussetzungen"), ordering="eligibility_outcome")
    def eligibility(self, obj):
        outcome = obj.effective_eligibility
        if not outcome:
            return "–"
        label = EligibilityOutcome(outcome).label
        suffix = _(" (übersteuert)") if obj.eligibility_override else ""
        return f"{OUTCOME_SYMBOLS[outcome]} {label}{suffix}"

    @admin.display(description=_("Ø Bewertung"), ordering="_mean_score")
    def mean_score(self, obj):
        if obj._review_count == 0:
            return "–"
        hidden = obj.cohort.reviews_hidden_until_own and not (
            obj._reviewed_by_me or obj._sees_all_scores
        )
        if hidden:
            return _("nach eigener Bewertung")
        return f"{obj._mean_score:.2f} ({obj._review_count})".replace(".", ",")

    @admin.display(description=_("Besoldung / Entgelt"))
    def pay(self, obj):
        return f"{obj.pay_scale} {obj.pay_grade}".strip() or "–"

    @admin.display(description=_("gewünschte Art der Organisation"))
    def wished_kinds(self, obj):
        labels = dict(OrganisationKind.choices)
        return (
            ", ".join(str(labels.get(kind, kind)) for kind in obj.wished_organisation_kinds) or "–"
        )

    @admin.display(description=_("Themen"))
    def topic_list(self, obj):
        return ", ".join(topic.name for topic in obj.topics.all()) or "–"

    @admin.display(description=_("Dateien"))
    def files(self, obj):
        links = [
            (reverse("applications:file", args=[obj.pk, kind]), label)
            for kind, label in (("cv", _("Lebenslauf")), ("letter", _("Motivationsanschreiben")))
            if getattr(obj, kind)
        ]
        if not links:
            return "–"
        return format_html_join(mark_safe("<br>"), '<a href="{}">{}</a>', links)

    @admin.display(description=_("Prüfbericht"))
    def eligibility_report_table(self, obj):
        results = obj.eligibility_report.get("results", [])
        if not results:
            return _("noch nicht geprüft")
        rows = format_html_join(
            "",
            "<tr><th scope='row'>{}</th><td>{} {}</td><td>{}</td></tr>",
            (
                (
                    result["label"],
                    OUTCOME_SYMBOLS[result["outcome"]],
                    EligibilityOutcome(result["outcome"]).label,
                    result["reason"],
                )
                for result in results
            ),
        )
        return format_html(
            "<table><thead><tr><th scope='col'>{}</th><th scope='col'>{}</th>"
            "<th scope='col'>{}</th></tr></thead><tbody>{}</tbody></table>",
            _("Regel"),
            _("Ergebnis"),
            _("Begründung"),
            rows,
        )

    # Actions -----------------------------------------------------------------------

    def run_service(self, request, queryset, service):
        done = 0
        for application in queryset.select_related("applicant"):
            if not request.user.has_perm("applications.change_application", application):
                continue
            try:
                service(application)
            except services.ApplicationError as error:
                self.message_user(request, f"{application.applicant}: {error}", messages.ERROR)
            else:
                done += 1
        if done:
            self.message_user(
                request,
                ngettext(
                    "%(count)d Bewerbung bearbeitet.", "%(count)d Bewerbungen bearbeitet.", done
                )
                % {"count": done},
                messages.SUCCESS,
            )

    @admin.action(description=_("Prüfung beginnen"), permissions=["change"])
    def start_review(self, request, queryset):
        self.run_service(
            request,
            queryset,
            lambda application: services.application_start_review(
                application=application, actor=request.user
            ),
        )

    @admin.action(description=_("Vorgemerkte Entscheidung aufheben"), permissions=["change"])
    def clear_decision(self, request, queryset):
        self.run_service(
            request,
            queryset,
            lambda application: services.application_clear_decision(
                application=application, actor=request.user
            ),
        )

    @admin.action(description=_("Vorgemerkte Entscheidungen versenden (mit Vorschau)"))
    def release_decisions(self, request, queryset):
        cohort_ids = set(queryset.values_list("cohort_id", flat=True))
        if len(cohort_ids) != 1:
            self.message_user(
                request, _("Bitte wählen Sie Bewerbungen genau eines Jahrgangs."), messages.ERROR
            )
            return None
        return redirect("admin:applications_release", cohort_id=cohort_ids.pop())

    @admin.action(description=_("Als CSV exportieren (für die Auswahlsitzung)"))
    def export_csv(self, request, queryset):
        """The selected applications as CSV; no files, and others' comments only for the chair."""
        own_only = not request.user.is_programme_office
        reviews = Review.objects.select_related("reviewer").order_by("created_at")
        rows = queryset.select_related(
            "applicant", "organisation", "cohort__programme"
        ).prefetch_related("topics", Prefetch("reviews", queryset=reviews))
        response, writer = csv_response("bewerbungen")
        write_row(writer, EXPORT_HEADER)
        chairs = {}
        for application in rows:
            if own_only and application.cohort_id not in chairs:
                chairs[application.cohort_id] = request.user.has_perm(
                    "applications.see_all_comments", application.cohort
                )
            visible = [
                review
                for review in application.reviews.all()
                if not own_only
                or chairs[application.cohort_id]
                or review.reviewer_id == request.user.pk
            ]
            write_row(writer, export_row(application, visible))
        return response

    # Seats --------------------------------------------------------------------------

    COHORT_FILTER = "cohort__id__exact"

    def _filtered_cohort(self, request):
        """The cohort the list is filtered to, if exactly one; odd input is no cohort."""
        values = request.GET.getlist(self.COHORT_FILTER)
        if len(values) != 1 or not values[0].isascii() or not values[0].isdigit():
            return None
        pk = int(values[0])
        if not 0 < pk < 2**63:
            return None
        return Cohort.objects.select_related("programme").filter(pk=pk).first()

    def changelist_view(self, request, extra_context=None):
        extra_context = extra_context or {}
        cohort = self._filtered_cohort(request)
        if cohort is not None:
            extra_context.update(seat_cohort=cohort, seat_usage=seat_usage(cohort=cohort))
        return super().changelist_view(request, extra_context)

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("freigabe/<int:cohort_id>/", view(self.release_view), name="applications_release"),
            path("vorschlagen/", view(self.nominate_view), name="applications_nominate"),
            path("<int:pk>/bewerten/", view(self.review_view), name="applications_review"),
            path(
                "<int:pk>/korrektur/",
                view(self.request_changes_view),
                name="applications_request_changes",
            ),
            path("<int:pk>/gespraech/", view(self.interview_view), name="applications_interview"),
            path("<int:pk>/uebersteuern/", view(self.override_view), name="applications_override"),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        application = self.get_object(request, object_id)
        extra_context = extra_context or {}
        if application is not None:
            own, others, count = reviews_visible_to(request.user, application)
            extra_context.update(
                own_review=own,
                other_reviews=others,
                review_count=count,
                criteria={
                    str(criterion.pk): criterion.name
                    for criterion in application.cohort.review_criteria.all()
                },
                log=application.log.select_related("actor").order_by("-created_at")[:50]
                if request.user.is_programme_office
                else None,
            )
        return super().change_view(request, object_id, form_url, extra_context)

    def _scoped_application(self, request, pk):
        """The application if this user may act on it; another office's is a 404."""
        application = self.get_object(request, str(pk))
        if application is None:
            raise Http404
        if not self.has_change_permission(request, application):
            raise PermissionDenied
        return application

    def _object_form_view(self, request, pk, *, title, build_form, perform):
        application = self._scoped_application(request, pk)
        form = build_form(application, request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                perform(application, form)
            except services.ApplicationError as error:
                # A message about one field is shown next to it, e.g. the interview date.
                field = error.field if error.field in form.fields else None
                form.add_error(field, str(error))
            else:
                self.message_user(request, _("Gespeichert."), messages.SUCCESS)
                return redirect("admin:applications_application_change", application.pk)
        context = {
            **self.admin_site.each_context(request),
            "title": title,
            "application": application,
            "form": form,
            "opts": self.opts,
        }
        return TemplateResponse(request, "admin/applications/object_form.html", context)

    def review_view(self, request, pk):
        def build(application, data):
            criteria = application.cohort.review_criteria.all()
            own = application.reviews.filter(reviewer=request.user).first()
            initial = {}
            if own:
                initial = {f"score_{key}": value for key, value in own.scores.items()}
                initial["comment"] = own.comment
            return ReviewForm(data, criteria=criteria, initial=initial)

        return self._object_form_view(
            request,
            pk,
            title=_("Bewerbung bewerten"),
            build_form=build,
            perform=lambda application, form: services.review_save(
                application=application,
                reviewer=request.user,
                scores=form.scores,
                comment=form.cleaned_data["comment"],
            ),
        )

    def request_changes_view(self, request, pk):
        return self._object_form_view(
            request,
            pk,
            title=_("Korrektur erbitten"),
            build_form=lambda application, data: RequestChangesForm(data),
            perform=lambda application, form: services.application_request_changes(
                application=application, actor=request.user, note=form.cleaned_data["note"]
            ),
        )

    def interview_view(self, request, pk):
        return self._object_form_view(
            request,
            pk,
            title=_("Zum Auswahlgespräch einladen"),
            build_form=lambda application, data: InterviewForm(data),
            perform=lambda application, form: services.application_invite_interview(
                application=application,
                actor=request.user,
                at=form.cleaned_data["at"],
                place=form.cleaned_data["place"],
            ),
        )

    def override_view(self, request, pk):
        return self._object_form_view(
            request,
            pk,
            title=_("Voraussetzungen übersteuern"),
            build_form=lambda application, data: OverrideForm(data),
            perform=lambda application, form: services.application_override_eligibility(
                application=application,
                actor=request.user,
                outcome=form.cleaned_data["outcome"],
                reason=form.cleaned_data["reason"],
            ),
        )

    def nominate_view(self, request):
        """An officer proposes a mentor of her administration for a cohort."""
        if not request.user.has_perm("mentoring.access_admin"):
            raise PermissionDenied
        organisations = Organisation.objects.order_by("name")
        if not request.user.is_programme_office:
            organisations = organisations.filter(pk__in=officer_organisation_ids(request.user))
        cohorts = Cohort.objects.select_related("programme").exclude(
            state__in=[CohortState.RUNNING, CohortState.FINISHED]
        )
        form = NominationForm(request.POST or None, cohorts=cohorts, organisations=organisations)
        if request.method == "POST" and form.is_valid():
            try:
                application = services.mentor_nominate(actor=request.user, **form.cleaned_data)
            except services.ApplicationError as error:
                form.add_error(None, str(error))
            else:
                self.message_user(
                    request,
                    _("%(person)s ist eingeladen, die Meldung zu ergänzen und zu bestätigen.")
                    % {"person": application.applicant},
                    messages.SUCCESS,
                )
                return redirect("admin:applications_application_changelist")
        context = {
            **self.admin_site.each_context(request),
            "title": _("Mentor:in vorschlagen"),
            "form": form,
            "opts": self.opts,
        }
        return TemplateResponse(request, "admin/applications/nominate.html", context)

    def release_view(self, request, cohort_id):
        """Shows every decision mail that will go out, then sends them on confirmation."""
        cohort = get_object_or_404(Cohort.objects.select_related("programme"), pk=cohort_id)
        if not request.user.has_perm("applications.release_decisions", cohort):
            raise PermissionDenied
        if request.method == "POST":
            released = services.cohort_release_decisions(cohort=cohort, actor=request.user)
            self.message_user(
                request,
                ngettext(
                    "%(count)d Entscheidung versandt.",
                    "%(count)d Entscheidungen versandt.",
                    len(released),
                )
                % {"count": len(released)},
                messages.SUCCESS,
            )
            return redirect("admin:applications_application_changelist")
        pending = (
            Application.objects.filter(cohort=cohort, state__in=ApplicationState.under_review())
            .exclude(pending_decision="")
            .select_related("applicant", "cohort__programme", "organisation")
            .order_by("pending_decision", "applicant__last_name")
        )
        previews = []
        for application in pending:
            subject, body = render_mail(
                f"applications/email/decision_{application.pending_decision}",
                {"application": application, "contact": None, "status_url": "…"},
            )
            previews.append({"application": application, "subject": subject, "body": body})
        context = {
            **self.admin_site.each_context(request),
            "title": _("Entscheidungen versenden: %(cohort)s") % {"cohort": cohort},
            "cohort": cohort,
            "previews": previews,
            "seat_cohort": cohort,
            "seat_usage": seat_usage(cohort=cohort),
            "opts": self.opts,
        }
        return TemplateResponse(request, "admin/applications/release.html", context)


EXPORT_HEADER = [
    "Name",
    "E-Mail",
    "Verwaltung",
    "Rolle",
    "Status",
    "vorgemerkte Entscheidung",
    "Voraussetzungen",
    "Ø Bewertung",
    "Bewertungen",
    "eingereicht am",
    "Fachbereich / Amt",
    "Funktion",
    "Status (Beschäftigung)",
    "Qualifikation",
    "Besoldung / Entgelt",
    "unbefristet",
    "in der Kommunalverwaltung seit",
    "Arbeitszeit",
    "Führungsebene",
    "Jahre Führung",
    "geführte Beschäftigte",
    "Themen",
    "Motivation",
    "Kommentare",
]


def export_row(application, reviews):
    scores = [review.mean_score for review in reviews]
    mean = f"{sum(scores) / len(scores):.2f}".replace(".", ",") if scores else ""
    submitted = timezone.localtime(application.submitted_at) if application.submitted_at else None
    yes_no = {True: "ja", False: "nein", None: ""}
    return [
        application.applicant.get_full_name(),
        application.applicant.email,
        application.organisation.name if application.organisation else "",
        application.get_role_display(),
        application.get_state_display(),
        application.get_pending_decision_display() if application.pending_decision else "",
        EligibilityOutcome(application.effective_eligibility).label
        if application.effective_eligibility
        else "",
        mean,
        len(scores),
        f"{submitted:%d.%m.%Y %H:%M}" if submitted else "",
        application.department,
        application.position_title,
        application.get_employment_status_display(),
        application.get_qualification_display(),
        f"{application.pay_scale} {application.pay_grade}".strip(),
        yes_no[application.permanent],
        f"{application.service_start:%d.%m.%Y}" if application.service_start else "",
        application.get_working_hours_display(),
        application.get_leadership_level_display(),
        application.leadership_years if application.leadership_years is not None else "",
        application.staff_count if application.staff_count is not None else "",
        ", ".join(topic.name for topic in application.topics.all()),
        application.motivation,
        " | ".join(f"{review.reviewer}: {review.comment}" for review in reviews if review.comment),
    ]
