from django.db import models
from django.utils.translation import gettext_lazy as _


class WorkshopKind(models.TextChoices):
    KICK_OFF = "kick_off", _("Auftaktworkshop und Tandembildung")
    INTERIM = "interim", _("Zwischenworkshop")
    FINAL = "final", _("Abschlussworkshop und Präsentation der Mentee-Teams")
    SEMINAR = "seminar", _("Seminar")
    NETWORK = "network", _("Netzwerktreffen")
