from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from applications.enums import ApplicationRole
from applications.models import Application
from cohorts.models import Cohort
from mentoring.dates import short_date, short_datetime
from mentoring.models import AuditEntry, audit_action
from mentoring.months import months_between

from .enums import (
    ConstraintKind,
    ContactFormat,
    EndCategory,
    GoalAgreementAction,
    MatchingLogAction,
    TandemLogAction,
    TandemStatus,
)


class MatchingSettings(models.Model):
    """The Beirat's weights for a cohort's matching (see tandems.matching.Weights)."""

    cohort = models.OneToOneField(
        Cohort, verbose_name=_("Jahrgang"), on_delete=models.CASCADE, related_name="matching"
    )
    weight_topics = models.DecimalField(
        _("Gewicht Themen"), max_digits=4, decimal_places=2, default=3
    )
    weight_kind = models.DecimalField(
        _("Gewicht Art der Organisation"), max_digits=4, decimal_places=2, default=1
    )
    weight_level = models.DecimalField(
        _("Gewicht Führungsebene"), max_digits=4, decimal_places=2, default=1
    )
    weight_distance = models.DecimalField(
        _("Gewicht Entfernung"), max_digits=4, decimal_places=2, default=1
    )
    weight_wish = models.DecimalField(
        _("Gewicht Wünsche"), max_digits=4, decimal_places=2, default=2
    )
    max_distance_km = models.PositiveSmallIntegerField(
        _("Entfernung ohne Punkte ab (km)"), default=100
    )
    separate_departments = models.BooleanField(
        _("intern: nie im selben Fachbereich / Amt"), default=True
    )

    class Meta:
        verbose_name = _("Einstellungen der Tandembildung")
        verbose_name_plural = _("Einstellungen der Tandembildung")

    def __str__(self):
        return str(self.cohort)


class PairConstraint(models.Model):
    """A pair the Beirat pinned (always kept) or forbade (never proposed)."""

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="pair_constraints")
    mentee = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="+")
    mentor = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("Art"), max_length=8, choices=ConstraintKind.choices)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Vorgabe der Tandembildung")
        verbose_name_plural = _("Vorgaben der Tandembildung")
        constraints = [
            models.UniqueConstraint(fields=["mentee", "mentor"], name="pair_constraint_unique"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.mentee_id} – {self.mentor_id}"


class MatchingRun(models.Model):
    """One proposal: a draft nobody but the Beirat sees until it is published."""

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="matching_runs")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("erstellt am"), auto_now_add=True)
    # What the solver saw: weights and the Beirat's pins and bans at that moment.
    weights = models.JSONField(_("Gewichte"), default=dict)
    pinned = models.JSONField(default=list)
    forbidden = models.JSONField(default=list)
    # [{"mentee" or "mentor": id, "reason": messages}], shown by ``matching_display``.
    unmatched = models.JSONField(_("ohne Tandem"), default=list)
    total_score = models.FloatField(_("Gesamtpunktzahl"), default=0)
    published_at = models.DateTimeField(_("veröffentlicht am"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Whether its pairs hold their distance and runner-up (``ProposedPair.km`` and
    # ``runner_up_*``); runs made before they were stored have them worked out when shown.
    compared = models.BooleanField(default=True)

    class Meta:
        verbose_name = _("Vorschlag der Tandembildung")
        verbose_name_plural = _("Vorschläge der Tandembildung")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.cohort} – {short_datetime(self.created_at)}"


class ProposedPair(models.Model):
    run = models.ForeignKey(MatchingRun, on_delete=models.CASCADE, related_name="pairs")
    mentee = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="+")
    mentor = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="+")
    score = models.FloatField(_("Punkte"))
    parts = models.JSONField(_("Teilpunkte"), default=dict)
    # The solver's messages, ``[[msgid, params], …]`` (``matching_display``), so that each
    # reader gets them in her language.
    explanation = models.JSONField(_("Begründung"), default=list)
    pinned = models.BooleanField(_("festgelegt"), default=False)
    # What the Beirat compares, as at the run: the distance between the two organisations
    # and the best other mentor the hard rules allowed for this mentee, with her score and
    # the solver's messages (see ``services.matching_run``).
    km = models.FloatField(_("Entfernung in km"), null=True, blank=True)
    runner_up_mentor = models.ForeignKey(
        Application, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    runner_up_score = models.FloatField(null=True, blank=True)
    runner_up_explanation = models.JSONField(default=list)

    class Meta:
        ordering = ["-score", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["run", "mentee"], name="proposed_pair_mentee_once"),
        ]

    def __str__(self):
        return f"{self.mentee_id} – {self.mentor_id} ({self.score:.2f})"


class Tandem(models.Model):
    """A published pair of mentee and mentor for the length of the cohort."""

    cohort = models.ForeignKey(
        Cohort, verbose_name=_("Jahrgang"), on_delete=models.PROTECT, related_name="tandems"
    )
    mentee = models.ForeignKey(
        Application,
        verbose_name=_("Mentee"),
        on_delete=models.PROTECT,
        related_name="tandems_as_mentee",
    )
    mentor = models.ForeignKey(
        Application,
        verbose_name=_("Mentor:in"),
        on_delete=models.PROTECT,
        related_name="tandems_as_mentor",
    )
    run = models.ForeignKey(
        MatchingRun, on_delete=models.SET_NULL, null=True, blank=True, related_name="tandems"
    )
    start_date = models.DateField(_("Beginn"))
    status = models.CharField(
        _("Status"), max_length=12, choices=TandemStatus.choices, default=TandemStatus.ACTIVE
    )
    ended_at = models.DateField(_("beendet am"), null=True, blank=True)
    end_reason = models.TextField(_("Grund der Beendigung"), blank=True)
    # The reason grouped, for the cohort report; empty for ends recorded before it existed.
    end_category = models.CharField(
        _("Art des Grundes"), max_length=20, choices=EndCategory.choices, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Tandem")
        verbose_name_plural = _("Tandems")
        ordering = ["cohort", "mentee__applicant__last_name"]
        constraints = [
            # A mentee has at most one active tandem per cohort, whatever runs are published.
            models.UniqueConstraint(
                fields=["cohort", "mentee"],
                condition=Q(status=TandemStatus.ACTIVE),
                name="tandem_one_active_per_mentee",
            ),
            models.CheckConstraint(
                condition=~Q(status=TandemStatus.ENDED) | Q(ended_at__isnull=False),
                name="tandem_ended_has_date",
            ),
        ]

    def __str__(self):
        return f"{self.mentee.applicant} – {self.mentor.applicant}"

    @property
    def last_day(self):
        """The last day contacts count: the early end, or the cohort's end."""
        return self.ended_at or self.cohort.end_date

    @property
    def months(self):
        return months_between(self.start_date, self.last_day)


class TandemLog(AuditEntry):
    """Audit trail: publication, early end, re-matching, confirmations of the goal agreement."""

    tandem = models.ForeignKey(Tandem, on_delete=models.CASCADE, related_name="log")
    action = audit_action(TandemLogAction)


class MatchingLog(AuditEntry):
    """Audit trail of the Beirat's pins and bans: which pair, set or lifted by whom, when.

    ``from_state`` is the pair's pin or ban before (blank if it had none).
    """

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="matching_log")
    mentee = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="+")
    mentor = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="+")
    action = audit_action(MatchingLogAction)
    from_state = models.CharField(
        _("von"), max_length=32, choices=ConstraintKind.choices, blank=True
    )


class GoalAgreement(models.Model):
    """The tandem's Zielvereinbarung: each partner writes her part, both confirm it.

    Who writes what (``PARTS`` and ``SHARED``): the topics are the mentee's, since she
    chooses what the year is about; each partner writes her own expectations, and the
    mentor what she offers; how often and how they meet, what they leave out and their
    confidentiality are agreed together, so either of them may write those. Any change
    withdraws both confirmations and is kept in ``history``. Only the two partners ever see
    the content or its history; officers see whether and when it was confirmed.
    """

    PARTS = {
        "mentee": ("topics", "topics_other", "expectations_mentee"),
        "mentor": ("expectations_mentor", "offer_mentor"),
    }
    SHARED = ("cadence", "excluded_topics", "confidentiality")

    tandem = models.OneToOneField(Tandem, on_delete=models.CASCADE, related_name="goal_agreement")
    topics = models.ManyToManyField(
        "applications.Topic", verbose_name=_("Themen"), blank=True, related_name="+"
    )
    topics_other = models.TextField(_("weitere Themen"), blank=True)
    cadence = models.TextField(
        _("Wie oft und wie treffen wir uns?"),
        blank=True,
        help_text=_(
            "z. B. monatlich, abwechselnd persönlich und per Video, während der Dienstzeit"
        ),
    )
    excluded_topics = models.TextField(_("Themen, die wir ausschließen"), blank=True)
    expectations_mentee = models.TextField(_("Erwartungen der Mentee"), blank=True)
    expectations_mentor = models.TextField(_("Erwartungen der Mentor:in"), blank=True)
    offer_mentor = models.TextField(
        _("Was die Mentor:in anbietet"),
        blank=True,
        help_text=_("z. B. Hospitation, Einblick in Gremien, Kontakte in ihr Netzwerk"),
    )
    confidentiality = models.BooleanField(
        _("Wir vereinbaren Verschwiegenheit über alles, was wir im Tandem besprechen."),
        default=True,
    )
    mentee_confirmed_at = models.DateTimeField(
        _("von der Mentee bestätigt am"), null=True, blank=True
    )
    mentor_confirmed_at = models.DateTimeField(
        _("von der Mentor:in bestätigt am"), null=True, blank=True
    )
    # Raised by every change of the content: a form or a confirmation names the version it
    # showed, so nobody overwrites or confirms a text she has not seen.
    version = models.PositiveIntegerField(_("Fassung"), default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("Zielvereinbarung")
        verbose_name_plural = _("Zielvereinbarungen")

    def __str__(self):
        return str(_("Zielvereinbarung %(tandem)s") % {"tandem": self.tandem})

    @classmethod
    def fields_of(cls, role):
        """The fields the partner in ``role`` ("mentee" or "mentor") may write."""
        return cls.PARTS[role] + cls.SHARED

    @property
    def is_confirmed(self):
        return self.mentee_confirmed_at is not None and self.mentor_confirmed_at is not None

    @property
    def confirmed_at(self):
        return (
            max(self.mentee_confirmed_at, self.mentor_confirmed_at) if self.is_confirmed else None
        )


class GoalAgreementEntry(models.Model):
    """One change or confirmation of a goal agreement: who, when, and what changed.

    ``changes`` maps each changed field to ``[before, after]`` (topics as their names), so
    the partners can read what the agreement said before. Like the agreement itself, only
    the two partners see it.
    """

    agreement = models.ForeignKey(GoalAgreement, on_delete=models.CASCADE, related_name="history")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    role = models.CharField(max_length=8, choices=ApplicationRole.choices)
    action = models.CharField(max_length=12, choices=GoalAgreementAction.choices)
    version = models.PositiveIntegerField(_("Fassung"))
    changes = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Verlauf der Zielvereinbarung")
        verbose_name_plural = _("Verlauf der Zielvereinbarung")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.get_action_display()} ({short_datetime(self.created_at)})"


class Contact(models.Model):
    """One contact of a tandem (meeting, call, written exchange), logged by either partner.

    Topics, duration and note are for the two partners only. Officers learn no more than
    that a contact took place in a month, and its format (``selectors.contact_grid``).
    """

    tandem = models.ForeignKey(Tandem, on_delete=models.CASCADE, related_name="contacts")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("eingetragen von"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    date = models.DateField(_("Datum"))
    format = models.CharField(_("Form"), max_length=12, choices=ContactFormat.choices)
    duration_minutes = models.PositiveSmallIntegerField(
        _("Dauer (Minuten)"), validators=[MinValueValidator(5), MaxValueValidator(720)]
    )
    topics = models.ManyToManyField(
        "applications.Topic", verbose_name=_("Themen"), blank=True, related_name="+"
    )
    topics_other = models.CharField(_("weitere Themen"), max_length=300, blank=True)
    note = models.TextField(
        _("Notiz"),
        blank=True,
        help_text=_("Nur Sie beide sehen diese Notiz, niemand sonst."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("Kontakt")
        verbose_name_plural = _("Kontakte")
        ordering = ["-date", "-pk"]
        indexes = [models.Index(fields=["tandem", "date"], name="contact_tandem_date")]

    def __str__(self):
        return f"{self.get_format_display()} {short_date(self.date)}"
