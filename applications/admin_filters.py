"""The officers' work queues as a filter of the application list.

The start page counts each queue with the same selector (``selectors.TASKS``) that this
filter applies, so the number she clicks is the number of rows she gets.
"""

from django.contrib import admin
from django.db.models import Exists, OuterRef, Q
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


class RelatedWithRowsFilter(admin.RelatedOnlyFieldListFilter):
    """Django's "related only" filter: the choices that a row she may see points to.

    Asked per choice (an index lookup each) instead of collecting the distinct values of
    every row: 10 000 applications were read on each page of the list to find 13
    organisations.
    """

    def field_choices(self, field, request, model_admin):
        # The admin's rows without what it adds to show them (annotations), if it says so.
        scope = getattr(model_admin, "get_scope_queryset", model_admin.get_queryset)
        rows = scope(request).filter(**{self.field_path: OuterRef("pk")})
        return field.get_choices(
            include_blank=False,
            limit_choices_to=Q(Exists(rows)),
            ordering=self.field_admin_ordering(field, request, model_admin),
        )
