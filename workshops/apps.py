from django.apps import AppConfig
from django.db.models.signals import pre_delete
from django.utils.translation import gettext_lazy as _

from mentoring.files import delete_files_with_rows
from mentoring.public_pages import invalidate_on_change


class WorkshopsConfig(AppConfig):
    name = "workshops"
    verbose_name = _("Workshops und Zertifikate")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Imported here: models exist only once the app registry is ready.
        from applications.models import Application

        from .models import Certificate, CertificateBatch, Workshop
        from .retention import release_certificates_of_deleted

        # The call pages list a cohort's workshops (cohorts.views): an edit shows at once.
        invalidate_on_change(Workshop)
        delete_files_with_rows(Certificate, "file")
        delete_files_with_rows(CertificateBatch, "file")
        # A certificate's verification record outlives the participation; its PDF does not.
        pre_delete.connect(
            release_certificates_of_deleted,
            sender=Application,
            dispatch_uid="workshops.release_certificates_of_deleted",
        )
