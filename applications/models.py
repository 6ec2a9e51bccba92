import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cohorts.models import Cohort, Organisation, Programme
from mentoring.dates import short_date
from mentoring.enums import choice_label
from mentoring.models import AuditEntry, audit_action

from . import paygrades
from .eligibility_display import grade_error
from .enums import (
    ApplicationLogAction,
    ApplicationRole,
    ApplicationState,
    CareerStepKind,
    CareerStepSource,
    Decision,
    EligibilityOutcome,
    EmploymentStatus,
    FollowUpWave,
    LeadershipLevel,
    PayScale,
    Qualification,
    WorkingHours,
)

# What each role must state before submitting, besides organisation, position and motivation.
MENTEE_FACTS = (
    "employment_status",
    "qualification",
    "pay_scale",
    "pay_grade",
    "permanent",
    "service_start",
    "working_hours",
)
MENTEE_DOCUMENTS = ("cv", "letter")
MENTOR_FACTS = ("leadership_level", "leadership_years", "staff_count")


def private_upload_path(instance, filename):
    """A random ``.pdf`` name below ``applications/``: never guessable, never hers.

    The form accepts PDFs only, checked by content; the uploader's own suffix (``.html``,
    ``.svg``, ``.php``) is never kept, so no server or browser takes the file for anything else.
    """
    return f"applications/{instance.cohort_id}/{uuid.uuid4().hex}.pdf"


class Topic(models.Model):
    """A topic from a programme's catalogue that mentees wish and mentors offer."""

    programme = models.ForeignKey(
        Programme, verbose_name=_("Programm"), on_delete=models.CASCADE, related_name="topics"
    )
    name = models.CharField(_("Thema"), max_length=200)
    position = models.PositiveSmallIntegerField(_("Reihenfolge"), default=0)

    class Meta:
        verbose_name = _("Thema")
        verbose_name_plural = _("Themenkatalog")
        ordering = ["programme", "position", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "name"], name="topic_unique_per_programme"
            ),
        ]

    def __str__(self):
        return self.name


class EligibilityPolicy(models.Model):
    """The cohort's admission rules; defaults are those of the Emscher-Lippe flyer."""

    cohort = models.OneToOneField(
        Cohort,
        verbose_name=_("Jahrgang"),
        on_delete=models.CASCADE,
        related_name="eligibility_policy",
    )
    accept_career_group_2 = models.BooleanField(
        _("Laufbahngruppe 2, 1. Einstiegsamt genügt"), default=True
    )
    accept_employee_course_2 = models.BooleanField(
        _("Angestelltenlehrgang II genügt"), default=True
    )
    degree_needs_check = models.BooleanField(
        _("Hochschulabschluss einzeln prüfen"),
        default=True,
        help_text=_("Sonst gilt ein Hochschulabschluss als nicht ausreichend."),
    )
    minimum_grade_a = models.CharField(
        _("mindestens Besoldungsgruppe A"), max_length=4, default="11"
    )
    minimum_grade_eg = models.CharField(
        _("mindestens Entgeltgruppe EG"), max_length=4, default="10"
    )
    minimum_grade_s = models.CharField(_("mindestens Entgeltgruppe S"), max_length=4, default="15")
    require_permanent = models.BooleanField(
        _("unbefristete Beschäftigung erforderlich"), default=True
    )
    minimum_service_months = models.PositiveSmallIntegerField(
        _("Monate in der Kommunalverwaltung bis Beginn"), default=24
    )
    minimum_leadership_years = models.PositiveSmallIntegerField(
        _("Jahre Führungserfahrung (Mentor:innen)"), default=3
    )
    # Empty: any level with personnel responsibility (LeadershipLevel values).
    mentor_levels = models.JSONField(
        _("Führungsebenen der Mentor:innen"),
        default=list,
        blank=True,
        help_text=_("Leer lassen, wenn jede Führungsebene in Frage kommt."),
    )

    class Meta:
        verbose_name = _("Zulassungsvoraussetzungen")
        verbose_name_plural = _("Zulassungsvoraussetzungen")

    def __str__(self):
        return str(_("Zulassungsvoraussetzungen %(cohort)s") % {"cohort": self.cohort})

    def clean(self):
        # A minimum that is no grade of its scale would make every check meaningless.
        errors = {}
        for field, scale in (
            ("minimum_grade_a", "A"),
            ("minimum_grade_eg", "EG"),
            ("minimum_grade_s", "S"),
        ):
            try:
                setattr(self, field, paygrades.normalise_grade(scale, getattr(self, field)))
            except paygrades.UnknownGrade as error:
                errors[field] = grade_error(error)
        if errors:
            raise ValidationError(errors)


class ReviewCriterion(models.Model):
    """A criterion the Beirat scores every application on (1 to 5)."""

    cohort = models.ForeignKey(
        Cohort, verbose_name=_("Jahrgang"), on_delete=models.CASCADE, related_name="review_criteria"
    )
    name = models.CharField(_("Kriterium"), max_length=120)
    position = models.PositiveSmallIntegerField(_("Reihenfolge"), default=0)

    class Meta:
        verbose_name = _("Bewertungskriterium")
        verbose_name_plural = _("Bewertungskriterien")
        ordering = ["cohort", "position", "name"]
        constraints = [
            models.UniqueConstraint(fields=["cohort", "name"], name="review_criterion_unique"),
        ]

    def __str__(self):
        return self.name


class Application(models.Model):
    """A person's application to a cohort, as mentee or as mentor."""

    cohort = models.ForeignKey(
        Cohort, verbose_name=_("Jahrgang"), on_delete=models.PROTECT, related_name="applications"
    )
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Person"),
        on_delete=models.PROTECT,
        related_name="applications",
    )
    role = models.CharField(_("Rolle"), max_length=8, choices=ApplicationRole.choices)
    state = models.CharField(
        _("Status"),
        max_length=20,
        choices=ApplicationState.choices,
        default=ApplicationState.DRAFT,
        db_index=True,
    )
    nominated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("vorgeschlagen von"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    # Person and contact (name and e-mail live on the user).
    phone = models.CharField(_("Telefon (dienstlich)"), max_length=50, blank=True)

    # Organisation and position.
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("Verwaltung"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="applications",
    )
    department = models.CharField(_("Fachbereich / Amt"), max_length=200, blank=True)
    # Internal programmes: a mentee is never matched with her own line manager.
    supervisor_email = models.EmailField(
        _("E-Mail-Adresse Ihrer direkten Vorgesetzten"), blank=True
    )
    position_title = models.CharField(
        _("Funktion / Stellenbezeichnung"), max_length=200, blank=True
    )

    # Career (mentees).
    employment_status = models.CharField(
        _("Status"), max_length=16, choices=EmploymentStatus.choices, blank=True
    )
    qualification = models.CharField(
        _("Qualifikation"), max_length=8, choices=Qualification.choices, blank=True
    )
    pay_scale = models.CharField(
        _("Besoldungs- / Entgeltordnung"), max_length=2, choices=PayScale.choices, blank=True
    )
    pay_grade = models.CharField(_("Besoldungs- / Entgeltgruppe"), max_length=4, blank=True)
    permanent = models.BooleanField(_("unbefristet beschäftigt"), null=True, blank=True)
    service_start = models.DateField(_("in der Kommunalverwaltung seit"), null=True, blank=True)
    working_hours = models.CharField(
        _("Arbeitszeit"), max_length=16, choices=WorkingHours.choices, blank=True
    )

    # Leadership (mentors).
    leadership_level = models.CharField(
        _("Führungsebene"), max_length=16, choices=LeadershipLevel.choices, blank=True
    )
    leadership_years = models.PositiveSmallIntegerField(
        _("Jahre Führung mit Personalverantwortung"), null=True, blank=True
    )
    staff_count = models.PositiveIntegerField(
        _("Zahl der geführten Beschäftigten"), null=True, blank=True
    )
    capacity = models.PositiveSmallIntegerField(
        _("Mentees gleichzeitig"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )

    # Topics and motivation.
    topics = models.ManyToManyField(
        Topic, verbose_name=_("Themen"), blank=True, related_name="applications"
    )
    topics_other = models.TextField(_("weitere Themen"), blank=True)

    # Matching wishes (mentees): the solver rewards wishes and never crosses a veto.
    wished_organisation_kinds = models.JSONField(
        _("gewünschte Art der Organisation der Mentor:in"), default=list, blank=True
    )
    wished_organisations = models.ManyToManyField(
        Organisation,
        verbose_name=_("Mentor:in am liebsten aus"),
        blank=True,
        related_name="+",
    )
    avoided_organisations = models.ManyToManyField(
        Organisation,
        verbose_name=_("Mentor:in bitte nicht aus"),
        blank=True,
        related_name="+",
    )
    motivation = models.TextField(_("Motivation"), blank=True)

    # Uploads: private storage, downloaded only through a permission-checked view.
    cv = models.FileField(_("Lebenslauf (PDF)"), upload_to=private_upload_path, blank=True)
    letter = models.FileField(
        _("Motivationsanschreiben (PDF)"), upload_to=private_upload_path, blank=True
    )
    consent_at = models.DateTimeField(_("Einwilligung erteilt am"), null=True, blank=True)
    # Programmes with companies as partners: passing her data to the partner's organisation.
    transfer_consent_at = models.DateTimeField(
        _("Einwilligung in die Weitergabe erteilt am"), null=True, blank=True
    )

    # Eligibility, computed by the service on submission and when the policy changes.
    eligibility_report = models.JSONField(_("Prüfbericht"), default=dict, blank=True)
    eligibility_outcome = models.CharField(
        _("Voraussetzungen"), max_length=8, choices=EligibilityOutcome.choices, blank=True
    )
    eligibility_override = models.CharField(
        _("Voraussetzungen (übersteuert)"),
        max_length=8,
        choices=EligibilityOutcome.choices,
        blank=True,
    )
    eligibility_override_reason = models.TextField(_("Begründung der Übersteuerung"), blank=True)
    eligibility_override_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("übersteuert von"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    eligibility_override_at = models.DateTimeField(_("übersteuert am"), null=True, blank=True)

    # Interview.
    interview_at = models.DateTimeField(_("Auswahlgespräch am"), null=True, blank=True)
    interview_place = models.CharField(_("Ort des Auswahlgesprächs"), max_length=200, blank=True)

    # Decision: recorded as pending, released to the applicant in one batch.
    pending_decision = models.CharField(
        _("vorgemerkte Entscheidung"), max_length=12, choices=Decision.choices, blank=True
    )
    decision_reason = models.TextField(_("Begründung der Entscheidung"), blank=True)
    decision_released_at = models.DateTimeField(
        _("Entscheidung versandt am"), null=True, blank=True
    )
    # Set by the mail task: a retried task never mails a decision twice.
    decision_mailed_at = models.DateTimeField(_("Entscheidung gemailt am"), null=True, blank=True)
    changes_requested_note = models.TextField(_("erbetene Korrektur"), blank=True)

    created_at = models.DateTimeField(_("angelegt am"), auto_now_add=True)
    updated_at = models.DateTimeField(_("geändert am"), auto_now=True)
    submitted_at = models.DateTimeField(_("eingereicht am"), null=True, blank=True)

    class Meta:
        verbose_name = _("Bewerbung")
        verbose_name_plural = _("Bewerbungen")
        ordering = ["-submitted_at", "-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["cohort", "applicant", "role"], name="application_unique_per_role"
            ),
            models.CheckConstraint(
                condition=Q(pending_decision="")
                | Q(state__in=sorted(ApplicationState.under_review())),
                name="application_pending_decision_only_under_review",
            ),
        ]
        indexes = [
            models.Index(fields=["cohort", "organisation", "state"]),
            # The admin list's order: lets the database stop after one page.
            models.Index(
                fields=["-submitted_at", "-created_at", "-id"], name="application_list_order"
            ),
        ]

    def __str__(self):
        # choice_label: every row of the admin's list names its application (checkbox label).
        role = choice_label(ApplicationRole, self.role)
        return f"{self.applicant} – {role} ({self.cohort.display_title})"

    @property
    def effective_eligibility(self):
        """The officer's override where there is one, else the computed outcome."""
        return self.eligibility_override or self.eligibility_outcome

    @property
    def is_editable(self):
        return self.state in ApplicationState.editable()


class Review(models.Model):
    """One Beirat member's scores and comment on one application."""

    application = models.ForeignKey(
        Application, verbose_name=_("Bewerbung"), on_delete=models.CASCADE, related_name="reviews"
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Gutachterin"),
        on_delete=models.PROTECT,
        related_name="reviews",
    )
    # {criterion primary key (as string): score 1..5}
    scores = models.JSONField(_("Bewertungen"), default=dict)
    mean_score = models.DecimalField(_("Mittelwert"), max_digits=3, decimal_places=2)
    comment = models.TextField(_("Kommentar"), blank=True)
    created_at = models.DateTimeField(_("angelegt am"), auto_now_add=True)
    updated_at = models.DateTimeField(_("geändert am"), auto_now=True)

    class Meta:
        verbose_name = _("Bewertung")
        verbose_name_plural = _("Bewertungen")
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "reviewer"], name="review_once_per_reviewer"
            ),
            models.CheckConstraint(
                condition=Q(mean_score__gte=1) & Q(mean_score__lte=5), name="review_mean_in_range"
            ),
        ]

    def __str__(self):
        return f"{self.reviewer} → {self.application_id}: {self.mean_score}"


class ApplicationLog(AuditEntry):
    """The audit trail of an application: who did what, when, from which state."""

    application = models.ForeignKey(
        Application, verbose_name=_("Bewerbung"), on_delete=models.CASCADE, related_name="log"
    )
    action = audit_action(ApplicationLogAction)
    from_state = models.CharField(
        _("von"), max_length=32, choices=ApplicationState.choices, blank=True
    )
    to_state = models.CharField(
        _("nach"), max_length=20, choices=ApplicationState.choices, blank=True
    )

    def __str__(self):
        return (
            f"{self.get_action_display()}: {self.get_from_state_display() or '–'} → "
            f"{self.get_to_state_display() or '–'}"
        )


class CareerStep(models.Model):
    """A step in a person's career after (or beside) the programme, with its date.

    Recorded for participants and, where they agreed, for applicants who were not
    selected: the comparison that makes "8 of 15 promoted" mean something.
    """

    application = models.ForeignKey(
        Application,
        verbose_name=_("Bewerbung"),
        on_delete=models.CASCADE,
        related_name="career_steps",
    )
    kind = models.CharField(_("Art"), max_length=20, choices=CareerStepKind.choices)
    date = models.DateField(_("am"))
    pay_grade_from = models.CharField(
        _("von Besoldungs- / Entgeltgruppe"), max_length=8, blank=True
    )
    pay_grade_to = models.CharField(_("nach Besoldungs- / Entgeltgruppe"), max_length=8, blank=True)
    source = models.CharField(
        _("Quelle"), max_length=12, choices=CareerStepSource.choices, default=CareerStepSource.SELF
    )
    note = models.CharField(_("Notiz"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("erfasst von"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("erfasst am"), auto_now_add=True)

    class Meta:
        verbose_name = _("Karriereschritt")
        verbose_name_plural = _("Karriereschritte")
        ordering = ["application", "date", "pk"]

    def __str__(self):
        return f"{self.get_kind_display()} ({short_date(self.date)})"


class FollowUpAnswer(models.Model):
    """That she answered one wave of the follow-up questions (her steps are ``CareerStep``s).

    Stops that wave's reminder. An answer of "nothing changed" is a ``CareerStep`` of kind
    ``none``, so that the report counts her among those it knows about. ``steps`` are the
    steps this answer recorded: answering the same wave again replaces them
    (``services.follow_up_answer``), and leaves the steps officers recorded alone.
    """

    application = models.ForeignKey(
        Application,
        verbose_name=_("Bewerbung"),
        on_delete=models.CASCADE,
        related_name="follow_up_answers",
    )
    wave = models.CharField(_("Nachbefragung"), max_length=4, choices=FollowUpWave.choices)
    answered_at = models.DateTimeField(_("beantwortet am"), default=timezone.now)
    steps = models.ManyToManyField(
        CareerStep,
        verbose_name=_("Karriereschritte"),
        related_name="follow_up_answers",
        blank=True,
    )

    class Meta:
        verbose_name = _("Antwort auf eine Nachbefragung")
        verbose_name_plural = _("Antworten auf Nachbefragungen")
        ordering = ["application", "answered_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "wave"], name="follow_up_answer_once_per_wave"
            ),
        ]

    def __str__(self):
        return f"{self.get_wave_display()} ({short_date(self.answered_at)})"


class FileAccess(models.Model):
    """Who opened which CV or letter, and when: shown to the applicant in her data export.

    Her own downloads are not recorded; everyone else's are, officers and office alike.
    """

    class Document(models.TextChoices):
        CV = "cv", _("Lebenslauf")
        LETTER = "letter", _("Motivationsanschreiben")

    application = models.ForeignKey(
        Application,
        verbose_name=_("Bewerbung"),
        on_delete=models.CASCADE,
        related_name="file_accesses",
    )
    document = models.CharField(_("Dokument"), max_length=8, choices=Document.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("geöffnet von"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    # Kept so the log still says who it was after her account is gone.
    user_name = models.CharField(_("Name"), max_length=301)
    accessed_at = models.DateTimeField(_("geöffnet am"), auto_now_add=True)

    class Meta:
        verbose_name = _("Dokumentenzugriff")
        verbose_name_plural = _("Dokumentenzugriffe")
        ordering = ["-accessed_at", "-pk"]
        indexes = [models.Index(fields=["application", "-accessed_at"], name="file_access_app")]

    def __str__(self):
        return f"{self.get_document_display()}: {self.user_name} ({short_date(self.accessed_at)})"
