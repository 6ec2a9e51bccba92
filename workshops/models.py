import secrets
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from applications.enums import ApplicationRole, ApplicationState
from applications.models import Application
from cohorts.models import Cohort
from mentoring.dates import short_date
from mentoring.models import AuditEntry, audit_action

from .enums import (
    AttendanceStatus,
    BatchState,
    CertificateKind,
    Invitees,
    RsvpAnswer,
    WorkshopKind,
    WorkshopLogAction,
)

# The application roles each invitation reaches.
INVITED_ROLES = {
    Invitees.BOTH: frozenset({ApplicationRole.MENTEE, ApplicationRole.MENTOR}),
    Invitees.MENTEES: frozenset({ApplicationRole.MENTEE}),
    Invitees.MENTORS: frozenset({ApplicationRole.MENTOR}),
}


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
    facilitators = models.CharField(
        _("Leitung"),
        max_length=300,
        blank=True,
        help_text=_("z. B. „Dr. Anna Beispiel (Trainerin)“; mehrere durch Komma getrennt."),
    )
    mandatory = models.BooleanField(_("verbindlich"), default=True)
    invitees = models.CharField(
        _("eingeladen sind"), max_length=8, choices=Invitees.choices, default=Invitees.BOTH
    )

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
        return f"{self.title} ({short_date(self.date)})"

    @property
    def venue_address(self):
        town = f"{self.venue_postcode} {self.venue_city}".strip()
        return ", ".join(part for part in (self.venue_street, town) if part)

    @property
    def invited_roles(self):
        return INVITED_ROLES[self.invitees]

    def invites(self, application):
        return application.role in self.invited_roles


class Rsvp(models.Model):
    """A participant's answer whether she will come; a "no" carries its reason."""

    workshop = models.ForeignKey(
        Workshop, verbose_name=_("Workshop"), on_delete=models.CASCADE, related_name="rsvps"
    )
    application = models.ForeignKey(
        Application,
        verbose_name=_("Teilnahme"),
        on_delete=models.CASCADE,
        related_name="workshop_rsvps",
    )
    answer = models.CharField(_("Rückmeldung"), max_length=3, choices=RsvpAnswer.choices)
    reason = models.TextField(_("Grund der Absage"), blank=True)
    answered_at = models.DateTimeField(_("beantwortet am"), auto_now=True)

    class Meta:
        verbose_name = _("Rückmeldung")
        verbose_name_plural = _("Rückmeldungen")
        constraints = [
            models.UniqueConstraint(fields=["workshop", "application"], name="rsvp_once"),
            models.CheckConstraint(
                condition=~Q(answer=RsvpAnswer.NO) | ~Q(reason=""), name="rsvp_no_has_reason"
            ),
        ]

    def __str__(self):
        return f"{self.application.applicant}: {self.get_answer_display()}"


class Attendance(models.Model):
    """Whether a participant was at a workshop, as recorded by the Beirat or the office."""

    workshop = models.ForeignKey(
        Workshop, verbose_name=_("Workshop"), on_delete=models.CASCADE, related_name="attendances"
    )
    application = models.ForeignKey(
        Application,
        verbose_name=_("Teilnahme"),
        on_delete=models.CASCADE,
        related_name="workshop_attendances",
    )
    status = models.CharField(_("Anwesenheit"), max_length=8, choices=AttendanceStatus.choices)
    note = models.TextField(_("Vermerk"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("erfasst von"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("erfasst am"))

    class Meta:
        verbose_name = _("Anwesenheit")
        verbose_name_plural = _("Anwesenheiten")
        constraints = [
            models.UniqueConstraint(fields=["workshop", "application"], name="attendance_once"),
            models.CheckConstraint(
                condition=~Q(status=AttendanceStatus.EXCUSED) | ~Q(note=""),
                name="attendance_excused_has_note",
            ),
        ]

    def __str__(self):
        return f"{self.application.applicant}: {self.get_status_display()}"


class ProjectTeam(models.Model):
    """A small team of mentees with a project they present at the final workshop."""

    cohort = models.ForeignKey(
        Cohort, verbose_name=_("Jahrgang"), on_delete=models.CASCADE, related_name="project_teams"
    )
    title = models.CharField(_("Projekttitel"), max_length=200)
    description = models.TextField(_("Beschreibung"), blank=True)
    members = models.ManyToManyField(
        Application,
        verbose_name=_("Mitglieder"),
        through="TeamMembership",
        related_name="project_teams",
    )
    presented_on = models.DateField(_("präsentiert am"), null=True, blank=True)
    presentation_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Präsentation erfasst von"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    presentation_recorded_at = models.DateTimeField(
        _("Präsentation erfasst am"), null=True, blank=True
    )

    class Meta:
        verbose_name = _("Projektteam")
        verbose_name_plural = _("Projektteams")
        ordering = ["title", "pk"]

    def __str__(self):
        return self.title


class TeamMembership(models.Model):
    team = models.ForeignKey(ProjectTeam, on_delete=models.CASCADE, related_name="memberships")
    application = models.ForeignKey(
        Application, verbose_name=_("Mentee"), on_delete=models.CASCADE, related_name="+"
    )

    class Meta:
        verbose_name = _("Teammitglied")
        verbose_name_plural = _("Teammitglieder")
        constraints = [
            # An application belongs to one cohort, so this is "one team per mentee and cohort".
            models.UniqueConstraint(fields=["application"], name="team_membership_one_team"),
        ]

    def __str__(self):
        return str(self.application.applicant)

    def clean(self):
        # The admin's inline reaches any application; teams are the cohort's accepted mentees.
        if self.application_id is None or getattr(self, "team", None) is None:
            return
        application = self.application
        if application.cohort_id != self.team.cohort_id or (
            application.role != ApplicationRole.MENTEE
            or application.state != ApplicationState.ACCEPTED
        ):
            raise ValidationError(
                {"application": _("Teams bestehen nur aus Mentees dieses Jahrgangs.")}
            )


class WorkshopLog(AuditEntry):
    """Audit trail: attendance, project teams and their presentations, certificates.

    ``from_state`` is the attendance status before, or the presentation date before.
    """

    workshop = models.ForeignKey(
        Workshop, on_delete=models.CASCADE, null=True, blank=True, related_name="log"
    )
    team = models.ForeignKey(
        ProjectTeam, on_delete=models.CASCADE, null=True, blank=True, related_name="log"
    )
    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    certificate = models.ForeignKey(
        "Certificate", on_delete=models.CASCADE, null=True, blank=True, related_name="log"
    )
    action = audit_action(WorkshopLogAction)


def new_feed_token():
    return secrets.token_urlsafe(32)


class CalendarFeed(models.Model):
    """A participant's secret calendar address: all her workshops, without a login.

    Revoking deletes the row; a new address is a new token, so old links stop working.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="workshop_feed"
    )
    token = models.CharField(max_length=64, unique=True, default=new_feed_token)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Kalenderabonnement")
        verbose_name_plural = _("Kalenderabonnements")

    def __str__(self):
        return str(self.user)


class CertificatePolicy(models.Model):
    """Who of a cohort gets a participation certificate (mentees) or confirmation (mentors)."""

    cohort = models.OneToOneField(
        Cohort,
        verbose_name=_("Jahrgang"),
        on_delete=models.CASCADE,
        related_name="certificate_policy",
    )
    mandatory_workshops = models.BooleanField(
        _("alle verbindlichen Workshops besucht"),
        default=True,
        help_text=_("Eine entschuldigte Abwesenheit zählt, wenn unten so eingestellt."),
    )
    excused_counts = models.BooleanField(
        _("entschuldigtes Fehlen zählt als Teilnahme"), default=True
    )
    team_presentation = models.BooleanField(
        _("Projektteam der Mentee hat präsentiert"), default=True
    )
    mentor_confirmation = models.BooleanField(
        _("Mentor:innen erhalten eine Teilnahmebestätigung"), default=True
    )

    class Meta:
        verbose_name = _("Zertifikatsregel")
        verbose_name_plural = _("Zertifikatsregeln")

    def __str__(self):
        return str(_("Zertifikatsregel %(cohort)s") % {"cohort": self.cohort})


# Verification codes: 12 characters from an alphabet without look-alikes (no 0/O, 1/I/L),
# 60 random bits, shown as XXXX-XXXX-XXXX. Stored without dashes, compared in upper case.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 12


def new_verification_code():
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalise_code(text):
    """What someone typed or scanned, as stored: the code's characters only, upper case.

    Dashes, spaces and anything that cannot be part of a code are dropped, so that no
    input reaches a URL or a query that a code could not.
    """
    return "".join(char for char in text.upper() if char in CODE_ALPHABET)[: CODE_LENGTH * 2]


def certificate_path(instance, filename):
    """A random name below ``certificates/``: the file is reached only through its view."""
    return f"certificates/{uuid.uuid4().hex}.pdf"


class Certificate(models.Model):
    """A participant's certificate (mentee) or confirmation (mentor), with its proof of origin.

    The name and administration are copied at issue: the document, its verification page
    and this row say the same even if the account changes later. The code never changes;
    a revoked certificate stays revoked, and the participant, if she still qualifies, gets a
    new one with a new code.
    """

    # Empty once the participation was erased: the verification record outlives it.
    application = models.ForeignKey(
        Application,
        verbose_name=_("Teilnahme"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="certificates",
    )
    cohort = models.ForeignKey(
        Cohort, verbose_name=_("Jahrgang"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("Art"), max_length=8, choices=CertificateKind.choices)
    code = models.CharField(
        _("Prüfcode"), max_length=CODE_LENGTH, unique=True, default=new_verification_code
    )
    # First and last name of an account are 150 characters each.
    participant_name = models.CharField(_("Name"), max_length=301)
    organisation_name = models.CharField(_("Verwaltung"), max_length=200, blank=True)
    issued_on = models.DateField(_("ausgestellt am"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ausgestellt von"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    file = models.FileField(_("PDF"), upload_to=certificate_path, blank=True)
    rendered_at = models.DateTimeField(_("erstellt am"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("widerrufen am"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("widerrufen von"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    revocation_reason = models.TextField(_("Grund des Widerrufs"), blank=True)
    # Set when the "your certificate is ready" e-mail is claimed for sending, so that a
    # batch that runs again never mails twice (see ``issuing.mail_ready``).
    ready_mailed_at = models.DateTimeField(_("Benachrichtigung versandt am"), null=True, blank=True)

    class Meta:
        verbose_name = _("Zertifikat")
        verbose_name_plural = _("Zertifikate")
        ordering = ["participant_name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["application"],
                condition=Q(revoked_at__isnull=True),
                name="certificate_one_valid_per_participant",
            ),
            models.CheckConstraint(
                condition=Q(revoked_at__isnull=True) | ~Q(revocation_reason=""),
                name="certificate_revocation_has_reason",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.participant_name} ({self.display_code})"

    @property
    def display_code(self):
        return "-".join(self.code[i : i + 4] for i in range(0, len(self.code), 4))

    @property
    def is_valid(self):
        return self.revoked_at is None


def batch_path(instance, filename):
    return f"certificates/batches/{uuid.uuid4().hex}.pdf"


class CertificateBatch(models.Model):
    """ "All certificates of the cohort as one PDF", rendered in the background.

    The task heartbeats into ``heartbeat_at`` while it works; a batch whose worker died
    stays "running" without a heartbeat and can be resumed: certificates already issued
    and rendered are kept, the rest is finished, and no code is ever issued twice.
    """

    cohort = models.ForeignKey(
        Cohort,
        verbose_name=_("Jahrgang"),
        on_delete=models.CASCADE,
        related_name="certificate_batches",
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("angestoßen von"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    requested_at = models.DateTimeField(_("angestoßen am"), auto_now_add=True)
    state = models.CharField(
        _("Stand"), max_length=8, choices=BatchState.choices, default=BatchState.QUEUED
    )
    total = models.PositiveIntegerField(_("Zertifikate"), default=0)
    done = models.PositiveIntegerField(_("davon erstellt"), default=0)
    worker_token = models.CharField(max_length=32, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(_("fertig am"), null=True, blank=True)
    file = models.FileField(_("PDF"), upload_to=batch_path, blank=True)
    error = models.TextField(_("Fehler"), blank=True)

    class Meta:
        verbose_name = _("Zertifikatsdruck")
        verbose_name_plural = _("Zertifikatsdrucke")
        ordering = ["-requested_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["cohort"],
                condition=Q(state__in=[BatchState.QUEUED, BatchState.RUNNING]),
                name="certificate_batch_one_active_per_cohort",
            ),
        ]

    def __str__(self):
        return str(_("Zertifikatsdruck %(cohort)s") % {"cohort": self.cohort})

    @property
    def is_active(self):
        return self.state in (BatchState.QUEUED, BatchState.RUNNING)

    @property
    def percent(self):
        return round(100 * self.done / self.total) if self.total else 0
