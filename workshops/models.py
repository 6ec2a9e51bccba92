from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from cohorts.models import Cohort

from .enums import WorkshopKind


class Workshop(models.Model):
    """A (usually one-day) workshop of a cohort."""

    cohort = models.ForeignKey(
        Cohort, verbose_name=_("Jahrgang"), on_delete=models.CASCADE, related_name="workshops"
    )
    kind = models.CharField(_("Art"), max_length=16, choices=WorkshopKind.choices)
    title = models.CharField(_("Titel"), max_length=200)
    date = models.DateField(_("Datum"))
    start_time = models.TimeField(_("Beginn"))
    end_time = models.TimeField(_("Ende"))
    venue_name = models.CharField(_("Ort"), max_length=200)
    venue_street = models.CharField(_("Straße und Hausnummer"), max_length=200, blank=True)
    venue_postcode = models.CharField(_("PLZ"), max_length=10, blank=True)
    venue_city = models.CharField(_("Ort (Stadt)"), max_length=100, blank=True)
    mandatory = models.BooleanField(_("verbindlich"), default=True)

    class Meta:
        verbose_name = _("Workshop")
        verbose_name_plural = _("Workshops")
        ordering = ["date", "start_time"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_time__gt=F("start_time")), name="workshop_ends_after_start"
            ),
        ]

    def __str__(self):
        return f"{self.title} ({self.date:%d.%m.%Y})"

    @property
    def venue_address(self):
        town = f"{self.venue_postcode} {self.venue_city}".strip()
        return ", ".join(part for part in (self.venue_street, town) if part)
