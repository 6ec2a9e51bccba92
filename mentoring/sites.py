from django.conf import settings
from django.contrib import admin
from django.utils.functional import SimpleLazyObject, lazy
from django.utils.translation import gettext_lazy as _

from .forms import AdminLoginForm


class MentoringAdminSite(admin.AdminSite):
    # Lazy: the installation's name is a setting, the word for "admin" a translation.
    site_header = lazy(lambda: f"{settings.SITE_NAME} – {_('Verwaltung')}", str)()
    site_title = _("Cross-Mentoring-Verwaltung")
    index_title = _("Übersicht")
    # Throttled like the site's login (mentoring.throttling).
    login_form = AdminLoginForm

    def has_permission(self, request):
        # The predicate lives with the Beirat (cohorts.rules); this site only asks for it.
        return request.user.is_active and request.user.has_perm("mentoring.access_admin")

    def get_app_list(self, request, app_label=None):
        # Every admin page puts the list in its context (``each_context``) for the sidebar,
        # and building it asks a permission per model; it is built when a page reads it.
        build = super().get_app_list
        return SimpleLazyObject(lambda: build(request, app_label))
