from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from mentoring.files import delete_files_with_rows


class ApplicationsConfig(AppConfig):
    name = "applications"
    verbose_name = _("Bewerbungen")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Imported here: models exist only once the app registry is ready.
        from .models import Application

        # A CV is personal data: erasing an application erases its uploads.
        delete_files_with_rows(Application, "cv", "letter")
