from django.db import models
from django.utils.translation import gettext_lazy as _


class ConstraintKind(models.TextChoices):
    PIN = "pin", _("festgelegt")
    FORBID = "forbid", _("ausgeschlossen")


class TandemStatus(models.TextChoices):
    ACTIVE = "active", _("aktiv")
    ENDED = "ended", _("vorzeitig beendet")
    COMPLETED = "completed", _("abgeschlossen")
