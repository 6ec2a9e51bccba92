from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.contrib.auth.signals import user_logged_in
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp.apps import DefaultConfig as TOTPConfig
from django_otp_webauthn.apps import OtpWebauthnConfig


class MentoringConfig(AppConfig):
    default = True
    name = "mentoring"
    verbose_name = _("Benutzer:innen und Zugänge")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Imported here: these modules load models (directly or through django.contrib.auth),
        # which exist only once the app registry is ready.
        from .consents import create_first_notice
        from .idle import mark_login
        from .languages import language_at_login
        from .renewal import check_at_login

        user_logged_in.connect(mark_login, dispatch_uid="mentoring.idle.mark_login")
        # A fresh installation starts with version 1 of the privacy notice.
        post_migrate.connect(create_first_notice, sender=self, dispatch_uid="mentoring.notice")
        # A changed privacy notice is asked again at the next login.
        user_logged_in.connect(check_at_login, dispatch_uid="mentoring.renewal.check_at_login")
        # Her saved language follows her to the device she logs in on.
        user_logged_in.connect(language_at_login, dispatch_uid="mentoring.languages.login")


class MentoringAdminConfig(admin_apps.AdminConfig):
    default = False
    default_site = "mentoring.sites.MentoringAdminSite"

    def ready(self):
        super().ready()
        # Imported here: the admin's template tags load models (see MentoringConfig.ready).
        from .admin_booleans import install

        # Yes/no icons say "ja"/"nein", not "True"/"False" (see mentoring.admin_booleans).
        install()


class SecondFactorConfig(TOTPConfig):
    """django-otp's TOTP devices, under a German heading in the admin."""

    default = False
    verbose_name = _("Zweiter Faktor")


class SecurityKeysConfig(OtpWebauthnConfig):
    """django-otp-webauthn's security keys and passkeys, under a German heading in the admin."""

    default = False
    verbose_name = _("Sicherheitsschlüssel")
