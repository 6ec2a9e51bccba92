from django.contrib import admin
from django.utils.translation import gettext_lazy as _


class MentoringAdminSite(admin.AdminSite):
    site_header = _("MIT FRAUEN an die Spitze – Verwaltung")
    site_title = _("Cross-Mentoring-Verwaltung")
    index_title = _("Übersicht")

    def has_permission(self, request):
        # The predicate lives with the Beirat (cohorts.rules); this site only asks for it.
        return request.user.is_active and request.user.has_perm("mentoring.access_admin")
