from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from mentoring.public_pages import invalidate_on_change


class CohortsConfig(AppConfig):
    name = "cohorts"
    verbose_name = _("Programme und Jahrgänge")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Imported here: models exist only once the app registry is ready.
        from mentoring.models import User

        from .models import BeiratMembership, Cohort, CohortOrganisation, Organisation, Programme

        # What the call pages show (cohorts.views): an edit shows at once.
        invalidate_on_change(
            Programme,
            Programme.organisations.through,
            Cohort,
            CohortOrganisation,
            Organisation,
            BeiratMembership,
        )
        # Contacts' names and addresses; a login's last_login changes no page.
        invalidate_on_change(User, fields=["first_name", "last_name", "email", "phone"])
