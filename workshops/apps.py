from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkshopsConfig(AppConfig):
    name = "workshops"
    verbose_name = _("Workshops und Zertifikate")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from mentoring.files import delete_files_with_rows

        from .models import Certificate, CertificateBatch

        delete_files_with_rows(Certificate, "file")
        delete_files_with_rows(CertificateBatch, "file")
