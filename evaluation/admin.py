"""The survey side in the officers' admin: surveys, and requests for contact.

No answer has an admin page: counters and free text are read only through the cohort
report, in groups of at least ``models.MIN_GROUP``.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import F
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from cohorts.admin import CohortListFilter
from cohorts.enums import CohortState
from cohorts.models import Cohort
from mentoring.admin import RulesModelAdmin
from mentoring.forms import RequiredMarksMixin

from . import services
from .models import EarlyWarning, Survey
from .selectors import surveys_visible_to, warnings_visible_to


class SurveyForm(forms.ModelForm):
    class Meta:
        model = Survey
        fields = [
            "cohort",
            "kind",
            "opens_on",
            "closes_on",
            "is_active",
            "for_mentors",
            "extra_question",
        ]

    def clean(self):
        cleaned = super().clean()
        opens, closes = cleaned.get("opens_on"), cleaned.get("closes_on")
        if opens and closes and closes < opens:
            self.add_error("closes_on", _("Die Befragung kann nicht enden, bevor sie beginnt."))
        return cleaned

    def validate_constraints(self, exclude=None):
        # The same rule as ``clean``'s, said there at the field.
        exclude = {*(exclude or ()), "closes_on"} if "closes_on" in self.errors else exclude
        super().validate_constraints(exclude=exclude)


class DefaultsForm(RequiredMarksMixin, forms.Form):
    """Which cohort gets the four surveys with default dates."""

    cohort = forms.ModelChoiceField(
        label=_("Jahrgang"),
        queryset=Cohort.objects.exclude(state=CohortState.FINISHED)
        .select_related("programme")
        .order_by("programme__name", "-number"),
        help_text=_(
            "Befragungen, die der Jahrgang schon hat, bleiben, wie sie sind; die übrigen "
            "werden mit Standardterminen angelegt, die Sie danach ändern können."
        ),
    )


@admin.register(Survey)
class SurveyAdmin(RulesModelAdmin):
    """The programme office sets up each cohort's surveys; the cohort's Beirat may read them."""

    form = SurveyForm
    list_display = ["cohort", "kind", "opens_on", "closes_on", "status", "for_mentors"]
    list_filter = [("cohort", CohortListFilter), "kind", "is_active"]
    list_select_related = ["cohort__programme"]
    search_fields = ["cohort__programme__name", "cohort__title", "cohort__year"]
    ordering = ["cohort__programme__name", "-cohort__number", "opens_on", "pk"]
    fields = [
        "cohort",
        "kind",
        "opens_on",
        "closes_on",
        "is_active",
        "for_mentors",
        "extra_question",
    ]

    def get_queryset(self, request):
        return surveys_visible_to(user=request.user).select_related("cohort__programme")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        # A plain list (a select named by its label), each cohort named with its programme.
        if db_field.name == "cohort":
            kwargs["queryset"] = Cohort.objects.select_related("programme").order_by(
                "programme__name", "-number"
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_readonly_fields(self, request, obj=None):
        # What is counted belongs to a cohort and a survey's questions: neither changes.
        return ["cohort", "kind"] if obj is not None else []

    def get_actions(self, request):
        # Deleting a survey deletes its answers: one at a time, and only without answers
        # (``evaluation.delete_survey``), never several at once from the list.
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    @admin.display(description=_("Stand"))
    def status(self, obj):
        return obj.state_on(timezone.localdate()).label

    # The four surveys of a cohort, with default dates ------------------------------------

    def get_urls(self):
        return [
            path(
                "standard/",
                self.admin_site.admin_view(self.defaults_view),
                name="evaluation_survey_defaults",
            ),
            *super().get_urls(),
        ]

    def defaults_view(self, request):
        """Asks for a cohort; creates the surveys it does not have (``surveys_create_defaults``)."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = DefaultsForm(request.POST if request.method == "POST" else None)
        if form.is_bound and form.is_valid():
            cohort = form.cleaned_data["cohort"]
            created = services.surveys_create_defaults(cohort=cohort, actor=request.user)
            for survey in created:
                self.log_addition(request, survey, gettext("Mit Standardterminen angelegt."))
            if created:
                self.message_user(
                    request,
                    gettext("Angelegt für %(cohort)s: %(surveys)s.")
                    % {
                        "cohort": cohort,
                        "surveys": "; ".join(
                            f"{survey.get_kind_display()} "
                            f"({date_format(survey.opens_on, 'SHORT_DATE_FORMAT')}–"
                            f"{date_format(survey.closes_on, 'SHORT_DATE_FORMAT')})"
                            for survey in created
                        ),
                    },
                    messages.SUCCESS,
                )
            else:
                self.message_user(
                    request,
                    gettext("%(cohort)s hat schon alle vier Befragungen.") % {"cohort": cohort},
                    messages.INFO,
                )
            changelist = reverse("admin:evaluation_survey_changelist")
            return redirect(f"{changelist}?cohort__id__exact={cohort.pk}")
        context = {
            **self.admin_site.each_context(request),
            "title": _("Befragungen eines Jahrgangs anlegen"),
            "form": form,
            "opts": self.opts,
        }
        return TemplateResponse(request, "admin/evaluation/survey/defaults.html", context)


class HandledFilter(admin.SimpleListFilter):
    title = _("Stand")
    parameter_name = "stand"

    def lookups(self, request, model_admin):
        return [("offen", _("offen")), ("erledigt", _("erledigt"))]

    def queryset(self, request, queryset):
        if self.value() == "offen":
            return queryset.filter(handled_at__isnull=True)
        if self.value() == "erledigt":
            return queryset.filter(handled_at__isnull=False)
        return queryset


@admin.register(EarlyWarning)
class EarlyWarningAdmin(RulesModelAdmin):
    """Her request to be contacted after a difficult start, by name, to her own officers.

    Read-only; the officer who called her marks it as handled. It holds no rating: that she
    asked is all it says.
    """

    list_display = [
        "created_at",
        "person",
        "email",
        "organisation",
        "cohort",
        "handled",
    ]
    list_filter = [HandledFilter, ("survey__cohort", CohortListFilter)]
    list_select_related = ["user", "survey__cohort__programme", "handled_by"]
    search_fields = ["user__first_name", "user__last_name", "user__email"]
    # Open requests first: PostgreSQL would put the empty dates last.
    ordering = [F("handled_at").asc(nulls_first=True), "-created_at", "-pk"]
    fields = [
        "person",
        "email",
        "phone",
        "organisation",
        "cohort",
        "tandem_names",
        "message",
        "created_at",
        "handled_at",
        "handled_by",
    ]
    readonly_fields = fields
    actions = ["mark_handled"]

    def get_queryset(self, request):
        return warnings_visible_to(user=request.user).select_related(
            "user", "survey__cohort__programme", "handled_by"
        )

    def has_add_permission(self, request, *args):
        return False

    def has_delete_permission(self, request, obj=None):
        # It goes with her account or with the cohort's retention (``evaluation.retention``).
        return False

    def has_handle_permission(self, request, obj=None):
        return self._has(request, "handle", obj)

    @admin.display(description=_("Person"), ordering="user__last_name")
    def person(self, obj):
        return obj.user.get_full_name() or obj.user.email

    @admin.display(description=_("E-Mail-Adresse"), ordering="user__email")
    def email(self, obj):
        return obj.user.email

    @admin.display(description=_("Telefon"))
    def phone(self, obj):
        return obj.user.phone or "–"

    @admin.display(description=_("Organisation"), ordering="organisation_name")
    def organisation(self, obj):
        return obj.organisation_name or "–"

    @admin.display(description=_("Jahrgang"), ordering="survey__cohort")
    def cohort(self, obj):
        return obj.survey.cohort

    @admin.display(description=_("Tandem"))
    def tandem_names(self, obj):
        tandem = obj.tandem
        if tandem is None:
            return "–"
        return (
            f"{tandem.mentee.applicant.get_full_name()} – {tandem.mentor.applicant.get_full_name()}"
        )

    @admin.display(description=_("erledigt"), boolean=True, ordering="handled_at")
    def handled(self, obj):
        return obj.handled_at is not None

    @admin.action(description=_("Als erledigt markieren"), permissions=["handle"])
    def mark_handled(self, request, queryset):
        """The officer called her back: the request leaves the start page's open ones."""
        done = 0
        for warning in queryset:
            if not self.has_handle_permission(request, warning):
                continue
            try:
                services.early_warning_handle(warning=warning, actor=request.user)
            except services.SurveyError as error:
                self.message_user(request, f"{self.person(warning)}: {error}", messages.WARNING)
            else:
                done += 1
        if done:
            self.message_user(
                request,
                ngettext(
                    "%(count)d Bitte als erledigt markiert.",
                    "%(count)d Bitten als erledigt markiert.",
                    done,
                )
                % {"count": done},
                messages.SUCCESS,
            )
