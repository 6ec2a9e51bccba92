from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class MentoringConfig(AppConfig):
    default = True
    name = "mentoring"
    verbose_name = _("Benutzer:innen und Zugänge")
    default_auto_field = "django.db.models.BigAutoField"


class MentoringAdminConfig(admin_apps.AdminConfig):
    default = False
    default_site = "mentoring.sites.MentoringAdminSite"
