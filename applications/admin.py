import copy
from functools import partial

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.functional import lazy
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, ngettext, ngettext_lazy
from django.utils.translation import gettext_lazy as _

from cohorts.admin import CohortListFilter
from cohorts.enums import OrganisationKind
from cohorts.models import Cohort
from cohorts.selectors import contacts_by_organisation
from mentoring import dates
from mentoring.admin import RulesModelAdmin
from mentoring.admin_editable import LabelledListEditableMixin
from mentoring.enums import choice_label
from mentoring.mail import render_mail
from mentoring.numbers import whole_number

from . import exports, mails, services
from .admin_filters import RelatedWithRowsFilter, TaskFilter
from .admin_forms import CHANGES, CLEAR, INTERVIEW, CareerStepForm, ReviewDecisionForm
from .eligibility_display import report_rows
from .enums import ApplicationRole, ApplicationState, Decision, EligibilityOutcome, LeadershipLevel
from .exports import SCORES_HIDDEN, format_score
from .forms import (
    InterviewForm,
    NominationForm,
    OverrideForm,
    RequestChangesForm,
    ReviewForm,
)
from .models import (
    Application,
    CareerStep,
    EligibilityPolicy,
    ReviewCriterion,
    Topic,
)
from .selectors import (
    annotate_review_summary,
    applications_visible_to,
    awaiting_review_by,
    career_step_applications,
    career_steps_visible_to,
    decisions_to_release,
    follow_up_consent_in_force,
    nomination_cohorts,
    nomination_organisations,
    reviews_visible_to,
    seat_usage,
)


@admin.register(Topic)
class TopicAdmin(LabelledListEditableMixin, RulesModelAdmin):
    list_display = ["name", "programme", "position"]
    list_editable = ["position"]
    list_filter = ["programme"]
    list_select_related = ["programme"]
    search_fields = ["name"]


@admin.register(CareerStep)
class CareerStepAdmin(RulesModelAdmin):
    """Career steps after the programme, for the outcomes the report counts.

    An officer sees and records the steps of her own organisation's people only (the
    programme office: everyone's); not even a cohort's chair sees another organisation's
    careers. What an officer records names its source (her own knowledge or the personnel
    office) and where it came from; who recorded it is set here. Her own answers to the
    follow-up questions ("eigene Angabe") are hers: they are read here, not changed
    (``rules.py``).
    """

    form = CareerStepForm
    list_display = ["application", "kind", "date", "pay_grade_from", "pay_grade_to", "source"]
    list_filter = [("application__cohort", CohortListFilter), "kind", "source"]
    list_select_related = ["application__applicant", "application__cohort__programme"]
    search_fields = ["application__applicant__last_name", "application__applicant__email"]
    autocomplete_fields = ["application"]
    date_hierarchy = "date"
    readonly_fields = ["recorded_by", "created_at"]

    def get_queryset(self, request):
        # The change page looks its object up here too: another organisation's step is
        # "not found", not merely left out of the list.
        return career_steps_visible_to(user=request.user, queryset=super().get_queryset(request))

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "application":
            kwargs["queryset"] = career_step_applications(user=request.user).select_related(
                "applicant", "cohort__programme"
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        obj.recorded_by = obj.recorded_by or request.user
        super().save_model(request, obj, form, change)


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


def review_summary(application):
    """ "3,50 (2)", "–" or "nach eigener Bewertung": the same on the list and the page.

    ``application`` comes from ``selectors.annotate_review_summary``.
    """
    if not application.review_count:
        return "–"
    if not application.others_reviews_visible:
        return str(SCORES_HIDDEN)
    return f"{format_score(application.review_mean)} ({application.review_count})"


def _decide_description(decision):
    return gettext("Entscheidung vormerken: %(decision)s") % {"decision": decision.label}


def _decide(decision):
    # Lazy: the action's name is read per request, in the officer's language.
    @admin.action(
        description=lazy(_decide_description, str)(decision),
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
    # The columns that decide (eligibility, mean, her own score, submitted) fit 1280 px next
    # to the filters: role and pending decision share a cell with the name and the state,
    # and the page leaves out the navigation sidebar (``changelist_view``).
    list_display = [
        "applicant_column",
        "organisation",
        "status_column",
        "eligibility",
        "score_summary",
        "own_score_column",
        "submitted_on",
    ]
    list_filter = [
        ("cohort", CohortListFilter),
        TaskFilter,
        ("organisation", RelatedWithRowsFilter),
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
        return annotate_review_summary(queryset=self.get_scope_queryset(request), user=request.user)

    def get_scope_queryset(self, request):
        """The applications she may see, without the review figures: what the filters'
        choices are asked of (``RelatedWithRowsFilter``), built without the annotations."""
        queryset = applications_visible_to(
            user=request.user, queryset=super().get_queryset(request)
        )
        if not request.user.is_programme_office:
            queryset = queryset.exclude(state=ApplicationState.DRAFT)
        return queryset

    # What a row of the list shows (``list_display``, the checkbox's label): the page reads
    # these columns only, not the CV's path, the motivation letter or the eligibility report.
    LIST_FIELDS = [
        "cohort__number",
        "cohort__year",
        "cohort__title",
        "applicant__first_name",
        "applicant__last_name",
        "applicant__email",
        "organisation__name",
        "role",
        "state",
        "pending_decision",
        "eligibility_outcome",
        "eligibility_override",
        "submitted_at",
    ]

    def get_paginator(self, request, queryset, *args, **kwargs):
        queryset = (
            queryset.select_related(None)
            .select_related("applicant", "organisation", "cohort")
            .only(*self.LIST_FIELDS)
        )
        return super().get_paginator(request, queryset, *args, **kwargs)

    def get_search_results(self, request, queryset, search_term):
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        # The picker of the career-step form offers only whom she may record a step for.
        match = request.resolver_match
        if (
            match is not None
            and match.url_name == "autocomplete"
            and request.GET.get("app_label") == CareerStep._meta.app_label
            and request.GET.get("model_name") == CareerStep._meta.model_name
        ):
            queryset = queryset.filter(pk__in=career_step_applications(user=request.user))
        return queryset, may_have_duplicates

    def has_add_permission(self, request, *args):
        return False

    def has_change_permission(self, request, obj=None):
        # Nobody edits an application's fields here: what the Beirat does to one goes
        # through the services (the form on its page, the list's actions). So Django shows
        # its page as one to read, without save buttons, and refuses its own save.
        if obj is not None:
            return False
        return super().has_change_permission(request)

    def has_release_decisions_permission(self, request):
        """Offers the release action to the office and to chairs only (``rules.py``)."""
        return request.user.has_perm("applications.release_decisions")

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
        label = choice_label(EligibilityOutcome, outcome)
        suffix = _(" (übersteuert)") if obj.eligibility_override else ""
        return f"{OUTCOME_SYMBOLS[outcome]} {label}{suffix}"

    @admin.display(description=_("Ø Bewertung"), ordering="review_mean")
    def score_summary(self, obj):
        return review_summary(obj)

    @admin.display(description=_("Meine Bewertung"), ordering="own_score")
    def own_score_column(self, obj):
        return format_score(obj.own_score) if obj.own_score is not None else "–"

    @admin.display(description=_("Name"), ordering="applicant__last_name")
    def applicant_column(self, obj):
        return format_html(
            '{}<br><span class="quiet">{}</span>',
            self.applicant_name(obj),
            choice_label(ApplicationRole, obj.role),
        )

    @admin.display(description=_("Status"), ordering="state")
    def status_column(self, obj):
        # choice_label, not get_FOO_display: this runs for every row of the list.
        state = choice_label(ApplicationState, obj.state)
        if not obj.pending_decision:
            return state
        return format_html(
            '{}<br><span class="quiet">{}</span>',
            state,
            _("vorgemerkt: %(decision)s")
            % {"decision": choice_label(Decision, obj.pending_decision)},
        )

    @admin.display(description=_("eingereicht"), ordering="submitted_at")
    def submitted_on(self, obj):
        if obj.submitted_at is None:
            return "–"
        return dates.short_date(obj.submitted_at)

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
        results = report_rows(obj.eligibility_report)
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

    service_error = services.ApplicationError
    service_select_related = ("applicant",)
    service_done = ngettext_lazy(
        "%(count)d Bewerbung bearbeitet.", "%(count)d Bewerbungen bearbeitet.", "count"
    )

    def service_object_name(self, application):
        return str(application.applicant)

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

    @admin.action(
        description=_("Vorgemerkte Entscheidungen versenden (mit Vorschau)"),
        permissions=["release_decisions"],
    )
    def release_decisions(self, request, queryset):
        cohorts = list(Cohort.objects.filter(pk__in=queryset.values("cohort_id"))[:2])
        if len(cohorts) != 1:
            self.message_user(
                request, _("Bitte wählen Sie Bewerbungen genau eines Jahrgangs."), messages.ERROR
            )
            return None
        if not request.user.has_perm("applications.release_decisions", cohorts[0]):
            self.message_user(
                request,
                _("Die Entscheidungen von %(cohort)s versendet die oder der Vorsitzende "
                  "dieses Jahrgangs.") % {"cohort": cohorts[0]},
                messages.ERROR,
            )  # fmt: skip
            return None
        return redirect("admin:applications_release", cohort_id=cohorts[0].pk)

    @admin.action(description=_("Als CSV exportieren (für die Auswahlsitzung)"))
    def export_csv(self, request, queryset):
        """The selected applications as CSV (``exports.applications_csv``)."""
        return exports.applications_csv(queryset, user=request.user)

    # Seats --------------------------------------------------------------------------

    COHORT_FILTER = "cohort__id__exact"

    def _filtered_cohort(self, request):
        """The cohort the list is filtered to, if exactly one; odd input is no cohort."""
        values = request.GET.getlist(self.COHORT_FILTER)
        pk = whole_number(values[0]) if len(values) == 1 else None
        if pk is None or not 0 < pk < 2**63:
            return None
        return Cohort.objects.select_related("programme").filter(pk=pk).first()

    def changelist_view(self, request, extra_context=None):
        extra_context = {
            "title": _("Bewerbungen"),
            # The officers' worktable: its deciding columns need the width of the page at
            # 1280 px, next to the filters; the breadcrumbs lead back to the overview.
            "is_nav_sidebar_enabled": False,
            **(extra_context or {}),
        }
        cohort = self._filtered_cohort(request)
        if cohort is not None:
            extra_context.update(seat_cohort=cohort, seat_usage=seat_usage(cohort=cohort))
        return super().changelist_view(request, extra_context)

    # The steps an officer takes on one application through a form of their own: the URL,
    # its name, the page's title, the form and the service whose keyword arguments (besides
    # the application and the actor) are the form's fields (``_service_form_view``).
    SERVICE_FORMS = [
        (
            "korrektur",
            "applications_request_changes",
            _("Korrektur erbitten"),
            RequestChangesForm,
            services.application_request_changes,
        ),
        (
            "gespraech",
            "applications_interview",
            _("Zum Auswahlgespräch einladen"),
            InterviewForm,
            services.application_invite_interview,
        ),
        (
            "uebersteuern",
            "applications_override",
            _("Voraussetzungen übersteuern"),
            OverrideForm,
            services.application_override_eligibility,
        ),
    ]

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("freigabe/<int:cohort_id>/", view(self.release_view), name="applications_release"),
            path("vorschlagen/", view(self.nominate_view), name="applications_nominate"),
            path("<int:pk>/bewerten/", view(self.review_view), name="applications_review"),
            *(
                path(
                    f"<int:pk>/{segment}/",
                    view(
                        partial(
                            self._service_form_view,
                            title=title,
                            form_class=form_class,
                            service=service,
                        )
                    ),
                    name=name,
                )
                for segment, name, title, form_class, service in self.SERVICE_FORMS
            ),
            *super().get_urls(),
        ]

    REVIEW_SUBMITS = ("_review_save", "_review_next")

    def change_view(self, request, object_id, form_url="", extra_context=None):
        """The application to read and, while it is under review, to score and decide on.

        Her scores, comment and proposed step are one form (``ReviewDecisionForm``) saved
        through the services in one transaction; Django's own save of the fields is never
        used (``has_change_permission``).
        """
        application = self.get_object(request, object_id)
        if application is None:
            return super().change_view(request, object_id, form_url, extra_context)
        user = request.user
        may_review = user.has_perm("applications.review_application", application)
        criteria = list(application.cohort.review_criteria.all())
        own, others, count = reviews_visible_to(user=user, application=application)
        posted = request.method == "POST" and any(
            key in request.POST for key in self.REVIEW_SUBMITS
        )
        form = None
        if posted and not may_review:
            self.message_user(
                request,
                _("Diese Bewerbung wird nicht mehr bewertet (Status „%(state)s“).")
                % {"state": application.get_state_display()},
                messages.ERROR,
            )
            return redirect("admin:applications_application_change", application.pk)
        if may_review:
            form = ReviewDecisionForm(
                request.POST if posted else None,
                application=application,
                criteria=criteria,
                own_review=own,
            )
            if posted and form.is_valid():
                done = self._save_review_and_decision(request, application, form)
                if done is not None:
                    for message in done:
                        self.message_user(request, message, messages.SUCCESS)
                    if not done:
                        self.message_user(
                            request,
                            _("Es gab nichts Neues zu speichern: Ihre Bewertung ist unverändert."),
                            messages.INFO,
                        )
                    return self._after_review(request, application)
            if posted:
                # Shown again with what she typed and the errors at their fields.
                request = copy.copy(request)
                request.method = "GET"
        names = {str(criterion.pk): criterion.name for criterion in criteria}
        for review in [own, *others]:
            if review is not None:
                review.score_items = [
                    (names.get(str(key), "?"), value) for key, value in review.scores.items()
                ]
        extra_context = {
            **(extra_context or {}),
            "may_review": may_review,
            "review_form": form,
            "own_review": own,
            "other_reviews": others,
            "review_count": count,
            "score_summary": review_summary(application),
            "eligibility_text": self.eligibility(application),
            "may_override": may_review,
            "log": application.log.select_related("actor").order_by("-created_at")[:50]
            if user.is_programme_office
            else None,
        }
        if may_review:
            extra_context["title"] = _("Bewerbung bewerten")
        return super().change_view(request, object_id, form_url, extra_context)

    def _save_review_and_decision(self, request, application, form):
        """Saves her review and the step she chose, all or nothing.

        Returns the messages for her, or None when a service refused: then the refusal is
        on the form, at the field it concerns, and nothing was saved.
        """
        user = request.user
        data = form.cleaned_data
        decision = data["decision"]
        done = []

        def run(call, field, fields=None):
            try:
                return call()
            except services.ApplicationError as error:
                error.form_field = (fields or {}).get(error.field, field)
                raise

        try:
            with transaction.atomic():
                if form.review_changed:
                    run(
                        lambda: services.review_save(
                            application=application,
                            reviewer=user,
                            scores=form.scores,
                            comment=data["comment"].strip(),
                        ),
                        form.score_field(form.criteria[0]) if form.criteria else None,
                    )
                    done.append(gettext("Ihre Bewertung ist gespeichert."))
                if decision == CLEAR or (
                    decision in Decision.values and application.pending_decision
                ):
                    run(
                        lambda: services.application_clear_decision(
                            application=application, actor=user
                        ),
                        "decision",
                    )
                    if decision == CLEAR:
                        done.append(gettext("Die vorgemerkte Entscheidung ist aufgehoben."))
                if decision in Decision.values:
                    run(
                        lambda: services.application_record_decision(
                            application=application,
                            actor=user,
                            decision=decision,
                            reason=data["reason"].strip(),
                        ),
                        "decision",
                    )
                    done.append(
                        gettext(
                            "„%(decision)s“ ist vorgemerkt. Die Bewerberin erfährt die "
                            "Entscheidung erst mit dem Versand der Entscheidungen."
                        )
                        % {"decision": Decision(decision).label}
                    )
                elif decision == INTERVIEW:
                    run(
                        lambda: services.application_invite_interview(
                            application=application,
                            actor=user,
                            at=data["interview_at"],
                            place=data["interview_place"],
                        ),
                        "interview_at",
                        {"at": "interview_at", "place": "interview_place"},
                    )
                    done.append(
                        gettext("Die Einladung zum Auswahlgespräch geht per E-Mail hinaus.")
                    )
                elif decision == CHANGES:
                    run(
                        lambda: services.application_request_changes(
                            application=application, actor=user, note=data["changes_note"]
                        ),
                        "changes_note",
                    )
                    done.append(
                        gettext("Die Bitte um Korrektur geht per E-Mail an die Bewerberin.")
                    )
        except services.ApplicationError as error:
            field = getattr(error, "form_field", None)
            form.add_error(field if field in form.fields else None, str(error))
            return None
        return done

    def _after_review(self, request, application):
        """Back to the application, or on to the next one still without her score."""
        if "_review_next" in request.POST:
            following = (
                awaiting_review_by(user=request.user, queryset=self.get_queryset(request))
                .exclude(pk=application.pk)
                .order_by("submitted_at", "pk")
                .first()
            )
            if following is not None:
                return redirect("admin:applications_application_change", following.pk)
            self.message_user(
                request, _("Sie haben alle offenen Bewerbungen bewertet."), messages.SUCCESS
            )
            return redirect("admin:applications_application_changelist")
        return redirect("admin:applications_application_change", application.pk)

    def _scoped_application(self, request, pk):
        """The application if this user may act on it; another office's is a 404."""
        application = self.get_object(request, str(pk))
        if application is None:
            raise Http404
        if not request.user.has_perm("applications.change_application", application):
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

    def _service_form_view(self, request, pk, *, title, form_class, service):
        """A form whose fields are the keyword arguments of ``service``, which the officer
        applies to the application (``service(application=..., actor=..., **fields)``)."""
        return self._object_form_view(
            request,
            pk,
            title=title,
            build_form=lambda application, data: form_class(data),
            perform=lambda application, form: service(
                application=application, actor=request.user, **form.cleaned_data
            ),
        )

    def nominate_view(self, request):
        """An officer proposes a mentor of her administration for a cohort."""
        if not request.user.has_perm("mentoring.access_admin"):
            raise PermissionDenied
        form = NominationForm(
            request.POST or None,
            cohorts=nomination_cohorts(),
            organisations=nomination_organisations(user=request.user),
        )
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
        pending = list(
            decisions_to_release(cohort=cohort)
            .annotate(follow_up_agreed=follow_up_consent_in_force())
            .select_related("applicant", "cohort__programme", "organisation")
            .order_by("pending_decision", "applicant__last_name")
        )
        contacts = contacts_by_organisation(
            cohort=cohort, organisation_ids=[application.organisation_id for application in pending]
        )
        previews = []
        for application in pending:
            # The mail as she will read it: the same template and context, in her language.
            subject, body = render_mail(
                mails.template_of(mails.decision_kind(application.pending_decision)),
                mails.context_of(
                    application,
                    contact=contacts.get(application.organisation_id),
                    follow_up_agreed=application.follow_up_agreed,
                ),
                application.applicant.language,
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
