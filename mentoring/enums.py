from django.db import models
from django.utils.translation import gettext_lazy as _


class UserRole(models.TextChoices):
    """What a person does in the programme, as far as the whole site is concerned.

    Scope is finer than the role: an officer sees what her Beirat memberships give her
    (``cohorts.rules``), a participant what her applications and tandems give her.
    """

    PARTICIPANT = "participant", _("Teilnehmende (Bewerberin, Mentee, Mentor:in)")
    OFFICER = "officer", _("Gleichstellungsbeauftragte / Mentoringbeirat")
    PROGRAMME_OFFICE = "programme_office", _("Programmbüro (Studieninstitut)")


# Roles that work in the officers' admin.
STAFF_ROLES = frozenset({UserRole.OFFICER, UserRole.PROGRAMME_OFFICE})
