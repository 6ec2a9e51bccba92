from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from mentoring.models import AuditEntry, audit_action

from .enums import (
    BeiratRole,
    CallTheme,
    CertificatesOnErasure,
    CohortLogAction,
    CohortState,
    MatchingPolicy,
    OrganisationKind,
)


class Organisation(models.Model):
    """A partner: a municipal administration, a district, a company."""

    name = models.CharField(_("Name"), max_length=200, unique=True)
    kind = models.CharField(
        _("Art"), max_length=16, choices=OrganisationKind.choices, default=OrganisationKind.CITY
    )
    street = models.CharField(_("Straße und Hausnummer"), max_length=200, blank=True)
    postcode = models.CharField(_("PLZ"), max_length=10, blank=True)
    city = models.CharField(_("Ort"), max_length=100, blank=True)
    website = models.URLField(_("Website"), blank=True)
    # For travel distances between mentee and mentor (WGS 84).
    latitude = models.DecimalField(
        _("Breitengrad"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    longitude = models.DecimalField(
        _("Längengrad"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    departments = models.TextField(
        _("Fachbereiche / Ämter"),
        blank=True,
        help_text=_(
            "Eine Zeile je Fachbereich oder Amt. Ist die Liste gefüllt, wählen Bewerberinnen "
            "daraus, damit interne Programme Abteilungen sicher unterscheiden."
        ),
    )

    class Meta:
        verbose_name = _("Organisation")
        verbose_name_plural = _("Organisationen")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(latitude__isnull=True, longitude__isnull=True)
                | Q(latitude__isnull=False, longitude__isnull=False),
                name="organisation_coordinates_both_or_neither",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def department_list(self):
        return [line.strip() for line in self.departments.splitlines() if line.strip()]


class Programme(models.Model):
    """A mentoring programme that runs in yearly cohorts, e.g. "MIT FRAUEN an die Spitze"."""

    name = models.CharField(_("Name"), max_length=200, unique=True)
    slug = models.SlugField(_("Kurzname (URL)"), max_length=80, unique=True)
    tagline = models.CharField(_("Untertitel"), max_length=300, blank=True)
    description = models.TextField(_("Beschreibung"), blank=True)
    organiser = models.CharField(
        _("Träger / Programmbüro"),
        max_length=300,
        blank=True,
        help_text=_("z. B. Studieninstitut für kommunale Verwaltung Emscher-Lippe"),
    )
    website = models.URLField(_("Website"), blank=True)
    matching_policy = models.CharField(
        _("Tandembildung"),
        max_length=16,
        choices=MatchingPolicy.choices,
        default=MatchingPolicy.ACROSS_ORGANISATIONS,
    )
    organisations = models.ManyToManyField(
        Organisation,
        verbose_name=_("Partnerorganisationen"),
        related_name="programmes",
        blank=True,
    )
    theme = models.CharField(
        _("Farbe der Ausschreibung"),
        max_length=16,
        choices=CallTheme.choices,
        default=CallTheme.AUBERGINE,
    )
    mentee_requirements = models.TextField(
        _("Wer kann Mentee werden?"),
        blank=True,
        help_text=_("Für die Ausschreibung; eine Zeile je Voraussetzung."),
    )
    mentor_requirements = models.TextField(
        _("Wer kann Mentor:in werden?"),
        blank=True,
        help_text=_("Für die Ausschreibung; eine Zeile je Voraussetzung."),
    )
    # The documents' four programmes differ in how they select and form tandems.
    seats_binding = models.BooleanField(
        _("Plätze je Organisation bei der Auswahl verbindlich"),
        default=False,
        help_text=_(
            "Eine Zusage über die Mentee-Plätze einer Organisation hinaus wird abgelehnt "
            "(z. B. fünf aus Köln, fünf aus Düsseldorf)."
        ),
    )
    interview_required = models.BooleanField(
        _("Auswahlgespräch vor jeder Zusage"),
        default=False,
        help_text=_("Mentees werden erst nach einem Auswahlgespräch angenommen."),
    )
    transfer_consent_required = models.BooleanField(
        _("Weitergabe an Partnerorganisationen nur mit Einwilligung"),
        default=False,
        help_text=_(
            "Der Bewerbungsbogen fragt nach der ausdrücklichen Einwilligung, Angaben an die "
            "Partnerorganisation der Tandempartnerin weiterzugeben; ohne sie wird niemand "
            "zugeordnet (z. B. bei Unternehmen als Partnern)."
        ),
    )
    mentors_self_register = models.BooleanField(
        _("Mentor:innen melden sich selbst"),
        default=True,
        help_text=_(
            "Sonst spricht das Gleichstellungsbüro Mentor:innen an und schlägt sie in der "
            "Verwaltung vor; die Ausschreibung bietet dann keine Meldung als Mentor:in an."
        ),
    )

    # Retention (DSGVO Art. 5(1)(e)); the defaults are the legal ones.
    retention_unselected_months = models.PositiveSmallIntegerField(
        _("Nicht ausgewählte und zurückgezogene Bewerbungen löschen nach (Monaten)"),
        default=6,
        validators=[MinValueValidator(1), MaxValueValidator(120)],
        help_text=_(
            "Gezählt ab der Entscheidung; sechs Monate nach AGG § 15 Abs. 4 und ArbGG § 61b. "
            "Ausgenommen ist, wer der Aufbewahrung oder Nachbefragungen zugestimmt hat."
        ),
    )
    retention_drafts_months = models.PositiveSmallIntegerField(
        _("Nie eingereichte Entwürfe löschen nach (Monaten)"),
        default=6,
        validators=[MinValueValidator(1), MaxValueValidator(120)],
        help_text=_("Gezählt ab dem Bewerbungsschluss."),
    )
    retention_tandem_months = models.PositiveSmallIntegerField(
        _("Kontaktprotokolle und Zielvereinbarungen löschen nach (Monaten)"),
        default=12,
        validators=[MinValueValidator(1), MaxValueValidator(120)],
        help_text=_("Gezählt ab dem Ende des Jahrgangs."),
    )
    certificates_on_erasure = models.CharField(
        _("Ausgestellte Zertifikate bei Löschung auf Antrag"),
        max_length=8,
        choices=CertificatesOnErasure.choices,
        default=CertificatesOnErasure.KEEP,
    )

    class Meta:
        verbose_name = _("Programm")
        verbose_name_plural = _("Programme")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("cohorts:programme", kwargs={"slug": self.slug})

    @property
    def is_internal(self):
        return self.matching_policy == MatchingPolicy.INTERNAL


class Cohort(models.Model):
    """One run (Jahrgang) of a programme with its own dates and participants."""

    programme = models.ForeignKey(
        Programme, verbose_name=_("Programm"), on_delete=models.PROTECT, related_name="cohorts"
    )
    number = models.PositiveSmallIntegerField(_("Jahrgang (Nr.)"))
    year = models.PositiveSmallIntegerField(
        _("Jahr"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    title = models.CharField(
        _("Titel"), max_length=200, blank=True, help_text=_("z. B. Cross-Mentoring 2023")
    )
    application_opens_at = models.DateTimeField(_("Bewerbung ab"))
    application_deadline = models.DateTimeField(
        _("Bewerbungsschluss"), help_text=_("Uhrzeit in deutscher Zeit (Europe/Berlin).")
    )
    start_date = models.DateField(_("Beginn"))
    end_date = models.DateField(_("Ende"))
    duration_months = models.PositiveSmallIntegerField(
        _("Dauer (Monate)"), default=12, validators=[MinValueValidator(1), MaxValueValidator(36)]
    )
    state = models.CharField(
        _("Status"), max_length=16, choices=CohortState.choices, default=CohortState.PLANNED
    )
    reviews_hidden_until_own = models.BooleanField(
        _("Bewertungen anderer erst nach eigener Bewertung zeigen"),
        default=True,
        help_text=_("Jedes Beiratsmitglied urteilt zuerst unbeeinflusst."),
    )
    selection_date = models.DateField(
        _("Auswahlsitzung des Mentoringbeirats"),
        null=True,
        blank=True,
        help_text=_("Bis dahin sollen alle Bewerbungen bewertet sein."),
    )
    review_reminder_days = models.PositiveSmallIntegerField(
        _("Erinnerung an offene Bewertungen (Tage vorher)"),
        default=7,
        validators=[MaxValueValidator(60)],
        help_text=_("So viele Tage vor der Auswahlsitzung erinnern wir an fehlende Bewertungen."),
    )
    contact_reminder_day = models.PositiveSmallIntegerField(
        _("Erinnerung an den Monatskontakt ab dem"),
        default=20,
        validators=[MinValueValidator(1), MaxValueValidator(28)],
        help_text=_(
            "Tag des Monats, ab dem beide Tandempartnerinnen erinnert werden, wenn in diesem "
            "Monat noch kein Kontakt eingetragen ist."
        ),
    )
    organisations = models.ManyToManyField(
        Organisation,
        through="CohortOrganisation",
        verbose_name=_("teilnehmende Organisationen"),
        related_name="cohorts",
    )

    class Meta:
        verbose_name = _("Jahrgang")
        verbose_name_plural = _("Jahrgänge")
        ordering = ["programme", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "number"], name="cohort_number_unique_per_programme"
            ),
            models.CheckConstraint(
                condition=Q(application_deadline__gt=F("application_opens_at")),
                name="cohort_deadline_after_opening",
            ),
            models.CheckConstraint(
                condition=Q(end_date__gt=F("start_date")), name="cohort_ends_after_start"
            ),
        ]

    def __str__(self):
        return gettext("%(programme)s – %(number)s. Jahrgang (%(year)s)") % {
            "programme": self.programme,
            "number": self.number,
            "year": self.year,
        }

    def get_absolute_url(self):
        return reverse(
            "cohorts:cohort", kwargs={"slug": self.programme.slug, "number": self.number}
        )

    @property
    def display_title(self):
        return self.title or _("%(number)s. Jahrgang %(year)s") % {
            "number": self.number,
            "year": self.year,
        }

    def is_application_window_open(self, at=None):
        """Whether an application may be submitted at ``at`` (default: now)."""
        at = at or timezone.now()
        return (
            self.state == CohortState.OPEN
            and self.application_opens_at <= at < self.application_deadline
        )


class CohortOrganisation(models.Model):
    """An organisation taking part in a cohort, with the seats it funds."""

    cohort = models.ForeignKey(
        Cohort, verbose_name=_("Jahrgang"), on_delete=models.CASCADE, related_name="participations"
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("Organisation"),
        on_delete=models.PROTECT,
        related_name="cohort_participations",
    )
    mentee_seats = models.PositiveSmallIntegerField(_("Plätze Mentees"), default=1)
    mentor_seats = models.PositiveSmallIntegerField(_("Plätze Mentor:innen"), default=1)

    class Meta:
        verbose_name = _("teilnehmende Organisation")
        verbose_name_plural = _("teilnehmende Organisationen")
        ordering = ["organisation__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["cohort", "organisation"], name="cohort_organisation_unique"
            ),
        ]

    def __str__(self):
        return f"{self.organisation} ({self.cohort})"


class BeiratMembershipQuerySet(models.QuerySet):
    def for_cohorts(self, cohorts):
        """The seats on the Beirat of any of ``cohorts``: for the cohort or its programme."""
        cohorts = list(cohorts)
        return self.filter(
            Q(cohort__in=[cohort.pk for cohort in cohorts])
            | Q(programme_id__in={cohort.programme_id for cohort in cohorts})
        )

    def for_cohort(self, cohort):
        """The seats on ``cohort``'s Beirat: for the cohort itself or for its programme."""
        return self.filter(Q(cohort=cohort) | Q(programme_id=cohort.programme_id))


class BeiratMembership(models.Model):
    """A seat on the advisory board (Mentoringbeirat) of a programme or of one cohort.

    The member is usually the equality officer (Gleichstellungsbeauftragte) of her
    organisation and, as such, the contact for its applicants, mentees and mentors.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Person"),
        on_delete=models.CASCADE,
        related_name="beirat_memberships",
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("Organisation"),
        on_delete=models.CASCADE,
        related_name="beirat_memberships",
    )
    programme = models.ForeignKey(
        Programme,
        verbose_name=_("Programm"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="beirat_memberships",
        help_text=_("Für alle Jahrgänge des Programms; sonst einen Jahrgang wählen."),
    )
    cohort = models.ForeignKey(
        Cohort,
        verbose_name=_("Jahrgang"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="beirat_memberships",
    )
    role = models.CharField(
        _("Funktion"), max_length=16, choices=BeiratRole.choices, default=BeiratRole.MEMBER
    )
    function_title = models.CharField(
        _("Amtsbezeichnung"), max_length=200, default=_("Gleichstellungsbeauftragte")
    )
    is_contact = models.BooleanField(
        _("Ansprechpartnerin"),
        default=True,
        help_text=_("Wird auf der Ausschreibung als Kontakt der Organisation genannt."),
    )

    objects = BeiratMembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("Mitgliedschaft im Mentoringbeirat")
        verbose_name_plural = _("Mitgliedschaften im Mentoringbeirat")
        ordering = ["organisation__name", "user__last_name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(programme__isnull=False, cohort__isnull=True)
                | Q(programme__isnull=True, cohort__isnull=False),
                name="beirat_membership_programme_xor_cohort",
            ),
            models.UniqueConstraint(
                fields=["user", "organisation", "programme"],
                condition=Q(programme__isnull=False),
                name="beirat_membership_unique_per_programme",
            ),
            models.UniqueConstraint(
                fields=["user", "organisation", "cohort"],
                condition=Q(cohort__isnull=False),
                name="beirat_membership_unique_per_cohort",
            ),
        ]

    def __str__(self):
        scope = self.cohort or self.programme
        return f"{self.user} – {self.organisation} ({scope})"


class CohortLog(AuditEntry):
    """The audit trail of a cohort: its state changes, who made them and when."""

    cohort = models.ForeignKey(
        Cohort, verbose_name=_("Jahrgang"), on_delete=models.CASCADE, related_name="log"
    )
    action = audit_action(CohortLogAction)
    from_state = models.CharField(_("von"), max_length=32, choices=CohortState.choices, blank=True)
    to_state = models.CharField(_("nach"), max_length=16, choices=CohortState.choices, blank=True)

    def __str__(self):
        return (
            f"{self.get_action_display()}: {self.get_from_state_display() or '–'} → "
            f"{self.get_to_state_display() or '–'}"
        )
