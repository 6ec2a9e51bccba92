from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp.apps import DefaultConfig as TOTPConfig


class MentoringConfig(AppConfig):
    default = True
    name = "mentoring"
    verbose_name = _("Benutzer:innen und Zugänge")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from .idle import mark_login

        user_logged_in.connect(mark_login, dispatch_uid="mentoring.idle.mark_login")

        from django.db.models.signals import post_migrate

        from .consents import create_first_notice
        from .renewal import check_at_login

        # A fresh installation starts with version 1 of the privacy notice.
        post_migrate.connect(create_first_notice, sender=self, dispatch_uid="mentoring.notice")
        # A changed privacy notice is asked again at the next login.
        user_logged_in.connect(check_at_login, dispatch_uid="mentoring.renewal.check_at_login")


class MentoringAdminConfig(admin_apps.AdminConfig):
    default = False
    default_site = "mentoring.sites.MentoringAdminSite"

    def ready(self):
        super().ready()
        from .admin_booleans import install

        # Yes/no icons say "ja"/"nein", not "True"/"False" (see mentoring.admin_booleans).
        install()


class SecondFactorConfig(TOTPConfig):
    """django-otp's TOTP devices, under a German heading in the admin."""

    default = False
    verbose_name = _("Zweiter Faktor")
