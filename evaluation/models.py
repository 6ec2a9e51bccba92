"""Surveys and their answers, stored so that no answer leads back to a person.

An answer is never a row of its own. Submitting a survey adds one to the counters of the
values she chose (``RatingCount``, per survey, role, item and value) and stores her free
text as rows without a person, a time or a sequence (``TextAnswer``, keyed by a random
UUID). Separately, ``SurveyAnswered`` notes *that* she answered: it stops the reminders
and a second answer, and joins nothing else. Officers see the counters only for a group of
at least ``MIN_GROUP`` answers, and only once the survey has closed, so that watching the
figures before and after one person answers reveals nothing (``evaluation.report``).
Below the tables as well: each answer writes all of its group's counters and texts anew
(``services.survey_answer``), so neither PostgreSQL's stamp of the writing transaction nor
a text's place in the table points to her. (Until the next vacuum, the old row versions
remain in the data files; reading those takes the database server's files, not SQL.)

``EarlyWarning`` is the exception she chooses herself: after a one-month check-in with a
low score she may ask her equality officer to contact her, and only then does a row name
her. It never holds her ratings.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from applications.enums import ApplicationRole
from cohorts.models import Cohort
from mentoring.dates import short_date
from tandems.models import Tandem

from .enums import SurveyKind, SurveyState

# The smallest group whose figures or free text an officer may see.
MIN_GROUP = 5


class Survey(models.Model):
    """One of a cohort's four surveys, as the programme office set it up."""

    cohort = models.ForeignKey(
        Cohort, verbose_name=_("Jahrgang"), on_delete=models.CASCADE, related_name="surveys"
    )
    kind = models.CharField(_("Befragung"), max_length=12, choices=SurveyKind.choices)
    opens_on = models.DateField(_("offen ab"))
    closes_on = models.DateField(_("offen bis einschließlich"))
    is_active = models.BooleanField(
        _("wird durchgeführt"),
        default=True,
        help_text=_("Ohne Haken geht keine Einladung hinaus und niemand sieht die Befragung."),
    )
    for_mentors = models.BooleanField(_("auch die Mentor:innen befragen"), default=True)
    extra_question = models.CharField(
        _("eigene offene Frage"),
        max_length=300,
        blank=True,
        help_text=_("Wird zusätzlich zu den festen Fragen gestellt; die Antwort ist Freitext."),
    )

    class Meta:
        verbose_name = _("Befragung")
        verbose_name_plural = _("Befragungen")
        ordering = ["cohort", "opens_on", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["cohort", "kind"], name="survey_once_per_cohort"),
            models.CheckConstraint(
                condition=Q(closes_on__gte=F("opens_on")), name="survey_closes_after_opening"
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} – {self.cohort}"

    def roles(self):
        if self.for_mentors:
            return (ApplicationRole.MENTEE, ApplicationRole.MENTOR)
        return (ApplicationRole.MENTEE,)

    def is_open_on(self, day):
        return self.is_active and self.opens_on <= day <= self.closes_on

    def is_closed_on(self, day):
        return day > self.closes_on

    def state_on(self, day):
        """Where the survey stands on ``day``: not carried out at all, before, while or
        after it is open."""
        if not self.is_active:
            return SurveyState.INACTIVE
        if self.is_open_on(day):
            return SurveyState.OPEN
        return SurveyState.CLOSED if self.is_closed_on(day) else SurveyState.UPCOMING


class SurveyGroup(models.Model):
    """The answers of one role to one survey: how many answered, and their counters."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="groups")
    role = models.CharField(_("Rolle"), max_length=8, choices=ApplicationRole.choices)
    responses = models.PositiveIntegerField(_("Antworten"), default=0)

    class Meta:
        verbose_name = _("Antwortgruppe")
        verbose_name_plural = _("Antwortgruppen")
        constraints = [
            models.UniqueConstraint(fields=["survey", "role"], name="survey_group_per_role"),
        ]

    def __str__(self):
        return f"{self.survey}: {self.get_role_display()} ({self.responses})"


class RatingCount(models.Model):
    """How many of a group chose ``value`` for ``item`` (a key of ``evaluation.questions``)."""

    group = models.ForeignKey(SurveyGroup, on_delete=models.CASCADE, related_name="ratings")
    item = models.CharField(_("Frage"), max_length=32)
    value = models.SmallIntegerField(_("Wert"))
    count = models.PositiveIntegerField(_("Anzahl"), default=0)

    class Meta:
        verbose_name = _("Anzahl einer Bewertung")
        verbose_name_plural = _("Anzahlen der Bewertungen")
        constraints = [
            models.UniqueConstraint(
                fields=["group", "item", "value"], name="rating_count_per_value"
            ),
        ]

    def __str__(self):
        return f"{self.item} = {self.value}: {self.count}"


class TextAnswer(models.Model):
    """One free-text answer: no person, no time, and a random key instead of a sequence."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    group = models.ForeignKey(SurveyGroup, on_delete=models.CASCADE, related_name="texts")
    item = models.CharField(_("Frage"), max_length=32)
    text = models.TextField(_("Antwort"), max_length=4000)

    class Meta:
        verbose_name = _("Freitextantwort")
        verbose_name_plural = _("Freitextantworten")

    def __str__(self):
        return self.item


class SurveyAnswered(models.Model):
    """That she answered a survey: stops its reminders and a second answer. Nothing else
    refers to it, and it holds no time, so it cannot be lined up with the counters."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="answered")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="surveys_answered"
    )

    class Meta:
        verbose_name = _("Teilnahme an einer Befragung")
        verbose_name_plural = _("Teilnahmen an Befragungen")
        constraints = [
            models.UniqueConstraint(fields=["survey", "user"], name="survey_answered_once"),
        ]

    def __str__(self):
        return str(self.survey)


class EarlyWarning(models.Model):
    """She asked her equality officer to contact her after a difficult start."""

    survey = models.ForeignKey(
        Survey, verbose_name=_("Befragung"), on_delete=models.CASCADE, related_name="warnings"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Person"),
        on_delete=models.CASCADE,
        related_name="early_warnings",
    )
    tandem = models.ForeignKey(
        Tandem,
        verbose_name=_("Tandem"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    message = models.TextField(_("Nachricht"), max_length=2000, blank=True)
    # The one she agreed may contact her, as the question named her: only she and the
    # programme office read the request.
    contact = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Ansprechpartnerin"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("am"), auto_now_add=True)
    handled_at = models.DateTimeField(_("erledigt am"), null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("erledigt von"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("Bitte um Kontakt")
        verbose_name_plural = _("Bitten um Kontakt")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["survey", "user"], name="early_warning_once"),
        ]

    def __str__(self):
        return f"{self.user} ({short_date(self.created_at)})"
