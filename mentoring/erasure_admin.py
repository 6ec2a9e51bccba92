"""The admin's side of erasure: the erasure log, what is due soon, erasure on request.

Everything here is for the programme office alone (``mentoring.rules``). The user admin
takes its erasure on request from ``UserErasureMixin``; the log registers itself.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import retention
from .models import ErasureRecord

PREVIEW_PAGE_SIZE = 50


@admin.register(ErasureRecord)
class ErasureRecordAdmin(admin.ModelAdmin):
    """What was erased, when, why and by whom: kinds and counts, never the data. Read-only."""

    list_display = ["erased_at", "reason", "kind_label", "count", "cohort", "erased_by"]
    list_filter = ["reason"]
    list_select_related = ["erased_by"]
    date_hierarchy = "erased_at"
    fields = ["erased_at", "reason", "kind_label", "count", "cohort", "erased_by"]
    readonly_fields = fields
    list_per_page = 50

    def _office(self, request):
        return request.user.has_perm("mentoring.view_erasurerecord")

    def has_module_permission(self, request):
        return self._office(request)

    def has_view_permission(self, request, obj=None):
        return self._office(request)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=gettext_lazy("Art"))
    def kind_label(self, record):
        return retention.kind_label(record.kind)

    def get_urls(self):
        view = self.admin_site.admin_view(self.preview_view)
        return [path("vorschau/", view, name="mentoring_erasure_preview"), *super().get_urls()]

    def preview_view(self, request):
        """What the nightly job will erase in the next 30 days, per day, cohort and kind."""
        if not self._office(request):
            raise PermissionDenied
        today = timezone.localdate()
        rows = retention.pending(today=today)
        page = Paginator(rows, PREVIEW_PAGE_SIZE).get_page(request.GET.get("seite"))
        context = {
            **self.admin_site.each_context(request),
            "title": _("Was in den nächsten %(days)s Tagen gelöscht wird")
            % {"days": retention.PREVIEW_DAYS},
            "opts": self.opts,
            "today": today,
            "page": page,
            "total": sum(row.count for row in rows),
        }
        return TemplateResponse(request, "admin/mentoring/erasure_preview.html", context)


class ErasureConfirmForm(forms.Form):
    confirm = forms.BooleanField(
        label=gettext_lazy(
            "Ich habe den Antrag geprüft. Die Angaben werden endgültig gelöscht; das lässt "
            "sich nicht rückgängig machen."
        ),
        error_messages={"required": gettext_lazy("Bitte bestätigen Sie die Löschung.")},
    )


class UserErasureMixin:
    """Erasure on request (Art. 17 DSGVO) for the user admin: an action and a page.

    The page shows what goes and what stays, app by app, and erases on confirmation.
    Placeholders and erased accounts are not listed: there is nobody left to manage.
    """

    def get_queryset(self, request):
        return super().get_queryset(request).exclude(retention.erased_users())

    def _may_erase(self, request):
        return request.user.has_perm("mentoring.erase_user")

    def get_actions(self, request):
        actions = super().get_actions(request)
        if self._may_erase(request):
            action = self.get_action("erase_on_request")
            actions[action[1]] = action
        return actions

    @admin.action(description=gettext_lazy("Auf Antrag löschen (Art. 17 DSGVO) …"))
    def erase_on_request(self, request, queryset):
        people = list(queryset[:2])
        if len(people) != 1:
            self.message_user(
                request,
                _("Bitte wählen Sie genau eine Person: Jede Löschung wird einzeln bestätigt."),
                messages.WARNING,
            )
            return None
        return redirect("admin:mentoring_user_erase", pk=people[0].pk)

    def get_urls(self):
        view = self.admin_site.admin_view(self.erase_view)
        return [
            path("<int:pk>/loeschen-auf-antrag/", view, name="mentoring_user_erase"),
            *super().get_urls(),
        ]

    def erase_view(self, request, pk):
        if not self._may_erase(request):
            raise PermissionDenied
        person = get_object_or_404(self.get_queryset(request), pk=pk)
        form = ErasureConfirmForm(request.POST if request.method == "POST" else None)
        if request.method == "POST" and form.is_valid():
            try:
                retention.erase_person(user=person, actor=request.user)
            except retention.ErasureError as error:
                form.add_error("confirm", str(error))
            else:
                self.message_user(
                    request,
                    _("Die Person ist gelöscht. Das Löschprotokoll nennt Art und Anzahl."),
                    messages.SUCCESS,
                )
                return redirect("admin:mentoring_user_changelist")
        context = {
            **self.admin_site.each_context(request),
            "title": _("Auf Antrag löschen (Art. 17 DSGVO)"),
            "opts": self.opts,
            "original": person,
            "person": person,
            "lines": retention.person_summary(user=person),
            "form": form,
            "log_url": reverse("admin:mentoring_erasurerecord_changelist"),
        }
        return TemplateResponse(request, "admin/mentoring/erase_person.html", context)
