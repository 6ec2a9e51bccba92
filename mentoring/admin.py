from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.utils import quote
from django.contrib.admin.views import main as changelist
from django.contrib.admin.widgets import (
    AdminSplitDateTime,
    AutocompleteSelect,
    AutocompleteSelectMultiple,
)
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db.models import BLANK_CHOICE_DASH, BooleanField, Count, ExpressionWrapper, Q, Subquery
from django.db.models.functions import Now
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from . import reminders
from .admin_editable import LabelledListEditableMixin
from .dates import short_datetime
from .erasure_admin import UserErasureMixin
from .forms import AdminPasswordSetForm, UserChangeForm, UserCreationForm
from .models import (
    AccessibilityFeedback,
    AccessibilityStatement,
    PrivacyNotice,
    SentMail,
    SentReminder,
    User,
)
from .throttling import unlock

# Roles and Beirat memberships say who may do what; Django's groups are not used.
admin.site.unregister(Group)


class _KeysOnly:
    """Shows again only those selected values that can be keys.

    Django's autocomplete widgets look the selected values up to show them again when a
    form comes back with errors; a value that is no key (text, a date, a number out of
    range) made that lookup fail with a server error. Such a value shows as not selected,
    and the field's own error says why. A single select starts with an empty option.
    """

    def optgroups(self, name, value, attr=None):
        remote = self.field.remote_field
        # A many-to-many relation names no field: its values are the primary keys.
        field_name = getattr(remote, "field_name", None)
        opts = remote.model._meta
        key = opts.get_field(field_name) if field_name else opts.pk
        keys = []
        for item in value:
            try:
                key.run_validators(key.to_python(item))
            except ValidationError:
                continue
            keys.append(item)
        groups = super().optgroups(name, keys, attr)
        if not self.allow_multiple_selected:
            # An empty first option, with text: HTML asks one of a required select (its
            # placeholder) and no option may be empty. Django writes none when the field
            # is required, and one without text when not (invalid HTML either way).
            options = groups[0][1]
            if options and options[0]["value"] == "":
                options.pop(0)
            options.insert(0, self.create_option(name, "", BLANK_CHOICE_DASH[0][1], False, 0))
        return groups


def label_split_datetime(field):
    """Names a split date-time field's date and time box after the field.

    Django's admin writes "Datum:" and "Zeit:" beside the two boxes as plain text, and the
    field's label points at neither, so both had no name (WCAG 1.3.1, 4.1.2).
    """
    date, time = field.widget.widgets
    date.attrs["aria-label"] = _("%(field)s: Datum") % {"field": field.label}
    time.attrs["aria-label"] = _("%(field)s: Zeit") % {"field": field.label}
    return field


class KeysOnlyAutocompleteSelect(_KeysOnly, AutocompleteSelect):
    pass


class KeysOnlyAutocompleteSelectMultiple(_KeysOnly, AutocompleteSelectMultiple):
    pass


class KeysOnlyAutocompleteMixin:
    """Every admin of ours uses the autocomplete widgets above (see ``_KeysOnly``)."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = KeysOnlyAutocompleteSelect(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = KeysOnlyAutocompleteSelectMultiple(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_manytomany(db_field, request, **kwargs)


# Django's own words for the checkbox, translated by Django's catalogue (a name, not a
# literal, so that makemessages leaves it out of ours).
ACTION_CHECKBOX_LABEL = "Select this object for an action - {}"


class ChangeList(changelist.ChangeList):
    """Django's list of objects, with each row's link made without resolving the URL again."""

    PLACEHOLDER = "0PK0"

    def url_for_result(self, result):
        # reverse() per row cost as much as a column; the pattern is the same for every row.
        if not hasattr(self, "_change_url"):
            self._change_url = reverse(
                f"admin:{self.opts.app_label}_{self.opts.model_name}_change",
                args=(self.PLACEHOLDER,),
                current_app=self.model_admin.admin_site.name,
            )
        pk = getattr(result, self.pk_attname)
        return self._change_url.replace(self.PLACEHOLDER, str(quote(pk)), 1)


class RulesModelAdmin(KeysOnlyAutocompleteMixin, admin.ModelAdmin):
    """A ModelAdmin that asks django-rules, with the object, for every permission.

    Scoping of the rows an officer sees is each admin's ``get_queryset``; these checks
    guard every single object as well, so a guessed URL gets a 403 rather than data.
    """

    def _has(self, request, action, obj=None):
        opts = self.opts
        return request.user.has_perm(f"{opts.app_label}.{action}_{opts.model_name}", obj)

    def has_view_permission(self, request, obj=None):
        return self._has(request, "view", obj) or self._has(request, "change", obj)

    def has_add_permission(self, request, *args):
        return self._has(request, "add")

    def has_change_permission(self, request, obj=None):
        return self._has(request, "change", obj)

    def has_delete_permission(self, request, obj=None):
        return self._has(request, "delete", obj)

    def has_module_permission(self, request):
        return self.has_view_permission(request)

    def action_checkbox(self, obj):
        """Django's checkbox of a list row, with the same markup, written without its widget.

        The widget renders two templates per row: half the time of a 50-row list.
        """
        label = format_html(gettext(ACTION_CHECKBOX_LABEL), str(obj))
        return format_html(
            '<input type="checkbox" name="{}" value="{}" class="action-select" aria-label="{}">',
            helpers.ACTION_CHECKBOX_NAME,
            str(obj.pk),
            label,
        )

    def get_changelist(self, request, **kwargs):
        return ChangeList

    # What ``run_service`` catches, which relations it loads, and what it reports when done
    # (``ngettext_lazy`` with "count" as its number).
    service_error = None
    service_select_related = ()
    service_done = None

    def run_service(self, request, queryset, service):
        """An admin action's service on each row she may change; says what went and why not.

        ``service`` takes the object; a ``service_error`` it raises becomes a message with
        the object's name, and the other rows go on.
        """
        done = 0
        for obj in queryset.select_related(*self.service_select_related):
            if not self._has(request, "change", obj):
                continue
            try:
                service(obj)
            except self.service_error as error:
                self.message_user(
                    request, f"{self.service_object_name(obj)}: {error}", messages.ERROR
                )
            else:
                done += 1
        if done:
            self.message_user(request, self.service_done % {"count": done}, messages.SUCCESS)

    def service_object_name(self, obj):
        return str(obj)


class RulesTabularInline(KeysOnlyAutocompleteMixin, admin.TabularInline):
    def _has(self, request, action, obj=None):
        opts = self.opts
        return request.user.has_perm(f"{opts.app_label}.{action}_{opts.model_name}", obj)

    def has_view_permission(self, request, obj=None):
        return self._has(request, "view") or self._has(request, "change")

    def has_add_permission(self, request, obj=None):
        return self._has(request, "add")

    def has_change_permission(self, request, obj=None):
        return self._has(request, "change")

    def has_delete_permission(self, request, obj=None):
        return self._has(request, "delete")


@admin.register(User)
class UserAdmin(UserErasureMixin, RulesModelAdmin, DjangoUserAdmin):
    form = UserChangeForm
    add_form = UserCreationForm
    change_password_form = AdminPasswordSetForm
    list_display = ["email", "last_name", "first_name", "role", "is_active", "last_login"]
    list_filter = ["role", "is_active"]
    search_fields = ["email", "first_name", "last_name"]
    ordering = ["last_name", "first_name", "email"]
    readonly_fields = ["last_login", "date_joined"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Person"), {"fields": ["first_name", "last_name", "phone", "language"]}),
        (_("Zugang"), {"fields": ["role", "is_active", "is_superuser"]}),
        (_("Daten"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (
            None,
            {
                "classes": ["wide"],
                "fields": ["email", "first_name", "last_name", "role", "password1", "password2"],
            },
        ),
    ]
    filter_horizontal = []
    actions = ["unlock_login"]

    @admin.action(description=_("Anmeldesperre aufheben"), permissions=["change"])
    def unlock_login(self, request, queryset):
        """Lifts the lock after too many failed logins (mentoring.throttling)."""
        for user in queryset:
            unlock(user)
        self.message_user(
            request,
            ngettext(
                "Die Anmeldesperre von %(count)d Konto ist aufgehoben.",
                "Die Anmeldesperren von %(count)d Konten sind aufgehoben.",
                len(queryset),
            )
            % {"count": len(queryset)},
            messages.SUCCESS,
        )

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        # Only a superuser hands out superuser rights.
        if not request.user.is_superuser:
            fields.append("is_superuser")
        return fields


@admin.register(SentReminder)
class SentReminderAdmin(RulesModelAdmin):
    """What the daily sweep sent, and what the mail server refused. Read-only, but for
    "Erneut senden" on reminders that failed for good (``reminders.resend``).

    "in Zustellung" for longer than ``MAIL_CLAIM_STALE_SECONDS`` means a sweep died while
    sending; the next sweep (at the latest a minute later) sends it by itself.
    """

    list_display = [
        "created_at",
        "kind",
        "recipient",
        "subject",
        "period",
        "status",
        "attempts",
        "error",
    ]
    list_filter = ["status", "kind"]
    list_select_related = ["recipient"]
    search_fields = ["recipient__email", "recipient__last_name", "subject"]
    date_hierarchy = "created_at"
    fields = [
        "kind",
        "recipient",
        "subject",
        "period",
        "due_on",
        "status",
        "attempts",
        "error",
        "created_at",
        "claimed_at",
        "sent_at",
        "sweep",
        "resent",
    ]
    readonly_fields = fields
    list_per_page = 50
    actions = ["resend"]

    @admin.display(description=_("erneut gesendet"))
    def resent(self, obj):
        """Who sent it again after it had failed, newest first, with the error it had."""
        entries = obj.log.select_related("actor").order_by("-created_at", "-pk")[:50]
        if not entries:
            return "–"
        return format_html(
            "<ul>{}</ul>",
            format_html_join(
                "",
                "<li>{} – {}: {}</li>",
                (
                    (
                        short_datetime(entry.created_at),
                        entry.actor or "–",
                        _("war fehlgeschlagen: %(error)s") % {"error": entry.note or "–"},
                    )
                    for entry in entries
                ),
            ),
        )

    def has_resend_permission(self, request):
        return self._has(request, "resend")

    @admin.action(description=_("Fehlgeschlagene erneut senden"), permissions=["resend"])
    def resend(self, request, queryset):
        """Sends the failed ones among the chosen reminders again; the others stay as they
        are (one went out, or is on its way)."""
        count = reminders.resend(reminders=queryset, actor=request.user)
        if not count:
            self.message_user(
                request,
                _("Unter den gewählten Erinnerungen ist keine fehlgeschlagene."),
                messages.WARNING,
            )
            return
        self.message_user(
            request,
            ngettext(
                "%(count)d Erinnerung wird erneut gesendet.",
                "%(count)d Erinnerungen werden erneut gesendet.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )


@admin.register(SentMail)
class SentMailAdmin(RulesModelAdmin):
    """Every e-mail the app's tasks sent, or tried to: one row per occasion. Read-only.

    "in Zustellung" for longer than ``MAIL_CLAIM_STALE_SECONDS`` means a worker died while
    sending; the task's next delivery, or beat (``mail.resume``), takes it over and sends
    it with the same Message-ID.
    """

    list_display = ["created_at", "purpose", "recipient", "subject", "status", "attempts"]
    list_filter = ["status", "purpose"]
    list_select_related = ["recipient"]
    search_fields = ["recipient__email", "recipient__last_name", "address", "subject"]
    date_hierarchy = "created_at"
    fields = [
        "purpose",
        "recipient",
        "address",
        "subject",
        "status",
        "attempts",
        "error",
        "occasion",
        "message_id",
        "created_at",
        "claimed_at",
        "sent_at",
    ]
    readonly_fields = fields
    list_per_page = 50


class ProgrammeOfficeAdmin(admin.ModelAdmin):
    """An admin for the programme office alone: she may do everything the subclass does
    not narrow down; nobody else sees it."""

    def _office(self, request):
        return request.user.is_active and request.user.is_programme_office

    def has_module_permission(self, request):
        return self._office(request)

    def has_view_permission(self, request, obj=None):
        return self._office(request)

    def has_add_permission(self, request):
        return self._office(request)

    def has_change_permission(self, request, obj=None):
        return self._office(request)

    def has_delete_permission(self, request, obj=None):
        return self._office(request)


@admin.register(AccessibilityStatement)
class AccessibilityStatementAdmin(ProgrammeOfficeAdmin):
    """One statement per installation, kept up to date by the programme office."""

    list_display = ["__str__", "conformity", "reviewed_on", "contact_email"]
    fieldsets = [
        (None, {"fields": ["conformity", "known_barriers", "method", "reviewed_on"]}),
        (_("Kontakt"), {"fields": ["contact_name", "contact_email", "contact_phone"]}),
        (
            _("Durchsetzungsverfahren"),
            {"fields": ["enforcement_body", "enforcement_url", "ombudsperson", "ombudsperson_url"]},
        ),
    ]

    def has_add_permission(self, request):
        return self._office(request) and not AccessibilityStatement.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False

    def get_changeform_initial_data(self, request):
        # The form starts from the defaults the public page shows until it is saved.
        initial = super().get_changeform_initial_data(request)
        return {"contact_email": settings.ACCESSIBILITY_CONTACT_EMAIL} | initial


@admin.register(AccessibilityFeedback)
class AccessibilityFeedbackAdmin(LabelledListEditableMixin, ProgrammeOfficeAdmin):
    """Reports of barriers, to be answered within six weeks."""

    list_display = ["created_at", "page", "email", "forwarded_at", "done"]
    list_filter = ["done"]
    list_editable = ["done"]
    readonly_fields = ["name", "email", "page", "message", "language", "created_at"]
    readonly_fields += ["forwarded_at", "confirmed_at"]
    fields = readonly_fields + ["done"]

    def has_add_permission(self, request):
        return False


class PrivacyNoticeForm(forms.ModelForm):
    """A new version: numbered after the last, not dated before it, its changes told."""

    class Meta:
        model = PrivacyNotice
        fields = ["version", "published_at", "text", "changes"]

    def clean(self):
        cleaned = super().clean()
        latest = PrivacyNotice.objects.exclude(pk=self.instance.pk).order_by("-version").first()
        if latest is None:
            return cleaned
        version, published_at = cleaned.get("version"), cleaned.get("published_at")
        if version is not None and version <= latest.version:
            self.add_error(
                "version",
                _("Die neue Version muss höher sein als die bisher letzte (%(version)s).")
                % {"version": latest.version},
            )
        if published_at is not None and published_at < latest.published_at:
            self.add_error(
                "published_at",
                _("Eine neue Version kann nicht vor der bisher letzten gelten."),
            )
        if not (cleaned.get("changes") or "").strip():
            self.add_error(
                "changes",
                _(
                    "Bitte beschreiben Sie kurz, was sich geändert hat: Das lesen alle, die "
                    "eingewilligt haben, bei ihrer nächsten Anmeldung."
                ),
            )
        return cleaned


@admin.register(PrivacyNotice)
class PrivacyNoticeAdmin(ProgrammeOfficeAdmin):
    """The programme office publishes a new version; everyone is asked again at login.

    A version in force is never edited (consents name the text people saw), only read; a
    version not yet in force may be corrected or deleted.
    """

    form = PrivacyNoticeForm
    list_display = ["version", "published_at", "in_force", "active_consents"]
    ordering = ["-version"]
    fields = ["version", "published_at", "text", "changes"]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if field is not None and isinstance(field.widget, AdminSplitDateTime):
            label_split_datetime(field)
        return field

    def _published(self, obj):
        return obj is not None and obj.published_at <= timezone.now()

    def has_change_permission(self, request, obj=None):
        return self._office(request) and not self._published(obj)

    def has_delete_permission(self, request, obj=None):
        return (
            self._office(request)
            and obj is not None
            and not self._published(obj)
            and not obj.consents.exists()
        )

    def get_queryset(self, request):
        in_force = PrivacyNotice.objects.filter(published_at__lte=Now()).order_by("-version")
        return (
            super()
            .get_queryset(request)
            .annotate(
                active_count=Count("consents", filter=Q(consents__withdrawn_at__isnull=True)),
                is_in_force=ExpressionWrapper(
                    Q(pk=Subquery(in_force.values("pk")[:1])), output_field=BooleanField()
                ),
            )
        )

    @admin.display(description=_("in Kraft"), boolean=True, ordering="is_in_force")
    def in_force(self, obj):
        return obj.is_in_force

    @admin.display(description=_("geltende Einwilligungen"), ordering="active_count")
    def active_consents(self, obj):
        return obj.active_count

    def get_changeform_initial_data(self, request):
        # A new version starts from the text in force, numbered after the last one.
        initial = super().get_changeform_initial_data(request)
        latest = PrivacyNotice.objects.order_by("-version").first()
        if latest is None:
            return {"version": 1} | initial
        return {"version": latest.version + 1, "text": latest.text} | initial


# The second factor's pages (a module of their own; registered here, before django-otp's).
from . import second_factor_admin  # noqa: E402,F401
