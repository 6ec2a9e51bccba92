"""The officers' work queues as a filter of the application list.

The start page counts each queue with the same selector (``selectors.TASKS``) that this
filter applies, so the number she clicks is the number of rows she gets.
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .selectors import TASKS


class TaskFilter(admin.SimpleListFilter):
    title = _("Aufgabe")
    parameter_name = "aufgabe"

    def lookups(self, request, model_admin):
        return [
            ("bewertung", _("ohne meine Bewertung")),
            ("gespraech", _("Auswahlgespräch zu vereinbaren")),
            ("entscheidung", _("Entscheidung vorzumerken")),
            ("versand", _("Entscheidung vorgemerkt, nicht versandt")),
        ]

    def queryset(self, request, queryset):
        selector = TASKS.get(self.value())
        if selector is None:
            return queryset
        return selector(user=request.user, queryset=queryset)
