from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .dates import short_date
from .enums import (
    STAFF_ROLES,
    Conformity,
    ConsentKind,
    ErasureReason,
    MailStatus,
    OutboxState,
    ReminderKind,
    ReminderLogAction,
    ReminderStatus,
    UserRole,
)


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_superuser", True)
        extra_fields.setdefault("role", UserRole.PROGRAMME_OFFICE)
        return self._create_user(email, password, **extra_fields)

    def get_by_natural_key(self, username):
        # Addresses are unique regardless of case; people type them as they like.
        return self.get(email__iexact=username)


class User(AbstractBaseUser, PermissionsMixin):
    """A person with a login; the e-mail address is the login name."""

    email = models.EmailField(_("E-Mail-Adresse"), unique=True)
    first_name = models.CharField(_("Vorname"), max_length=150, blank=True)
    last_name = models.CharField(_("Nachname"), max_length=150, blank=True)
    phone = models.CharField(_("Telefon"), max_length=50, blank=True)
    role = models.CharField(
        _("Rolle"), max_length=32, choices=UserRole.choices, default=UserRole.PARTICIPANT
    )
    is_active = models.BooleanField(_("aktiv"), default=True)
    date_joined = models.DateTimeField(_("registriert am"), default=timezone.now)
    # Set when the person followed the link mailed to her address; needed to submit.
    email_verified_at = models.DateTimeField(_("E-Mail bestätigt am"), null=True, blank=True)
    # The language of her e-mails and documents: the one she registered in, or last chose
    # with the language switch while logged in.
    language = models.CharField(
        _("Sprache"), max_length=8, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )

    objects = UserManager()

    EMAIL_FIELD = "email"
    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = []

    class Meta:
        verbose_name = _("Benutzer:in")
        verbose_name_plural = _("Benutzer:innen")
        ordering = ["last_name", "first_name", "email"]
        constraints = [
            models.UniqueConstraint(Lower("email"), name="user_email_ci_unique"),
        ]

    def __str__(self):
        return self.get_full_name() or self.email

    def get_full_name(self):
        return f"{self.first_name} {self.last_name}".strip()

    def get_short_name(self):
        return self.first_name or self.email

    @property
    def is_staff(self):
        """Officers and the programme office work in the admin; nobody else does."""
        return self.is_active and (self.is_superuser or self.role in STAFF_ROLES)

    @property
    def is_programme_office(self):
        return self.is_superuser or self.role == UserRole.PROGRAMME_OFFICE


class SentReminder(models.Model):
    """One reminder e-mail: claimed once per (kind, object, recipient, period), then sent.

    The unique constraint is what makes a reminder go out once, however many sweeps run,
    in parallel or after a crash: a row is sent only by the sweep whose token it carries.
    A claim that has not been renewed for ``MAIL_CLAIM_STALE_SECONDS`` was left by a sweep
    that died; the next sweep takes it over (``mentoring.reminders``). It keeps the subject
    only: reminders never carry what a tandem wrote, and neither does this table.
    """

    kind = models.CharField(_("Art"), max_length=32, choices=ReminderKind.choices)
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    subject_object = GenericForeignKey("content_type", "object_id")
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Empfänger:in"),
        on_delete=models.CASCADE,
        related_name="reminders",
    )
    # The occasion within the object's life: a month ("2026-03"), "7" days before, ...
    period = models.CharField(_("Anlass"), max_length=32)
    status = models.CharField(
        _("Status"), max_length=12, choices=ReminderStatus.choices, default=ReminderStatus.PENDING
    )
    subject = models.CharField(_("Betreff"), max_length=255, blank=True)
    attempts = models.PositiveSmallIntegerField(_("Versuche"), default=0)
    error = models.CharField(_("Fehler"), max_length=500, blank=True)
    sweep = models.UUIDField(_("Lauf"), db_index=True)
    # The day whose sweep found it due: a sweep that takes the row over asks that day's
    # finders again for what to write.
    due_on = models.DateField(_("fällig am"), default=timezone.localdate)
    # When its sweep last showed it was alive; empty: claimed by nobody (sent again on
    # request), to be taken by the next sweep at once.
    claimed_at = models.DateTimeField(_("zuletzt versucht am"), null=True, blank=True)
    created_at = models.DateTimeField(_("angelegt am"), auto_now_add=True)
    sent_at = models.DateTimeField(_("gesendet am"), null=True, blank=True)

    class Meta:
        verbose_name = _("gesendete Erinnerung")
        verbose_name_plural = _("gesendete Erinnerungen")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "content_type", "object_id", "recipient", "period"],
                name="reminder_once_per_occasion",
            ),
        ]
        indexes = [
            models.Index(fields=["recipient", "-created_at"], name="reminder_recipient"),
            # What a sweep that died left behind, looked for every minute.
            models.Index(
                fields=["claimed_at"],
                condition=models.Q(status="pending"),
                name="reminder_pending",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} → {self.recipient} ({self.period})"


class SentMail(models.Model):
    """One e-mail of the app on one occasion: recorded before it goes out, marked once it went.

    The key (purpose, object, recipient, occasion) is unique, and a sender claims its row in
    a transaction of its own before talking to the mail server, so a task that runs again,
    in parallel or after a retry, never sends a message that went out. The Message-ID is
    derived from the key: a copy that does reach someone twice is recognisable as one.
    Like ``SentReminder`` it keeps the subject only, never the body.
    """

    # What the mail is for, as "<app>.<kind>": "application.submitted", "tandem.introduction".
    purpose = models.CharField(_("Zweck"), max_length=64)
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    subject_object = GenericForeignKey("content_type", "object_id")
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Empfänger:in"),
        on_delete=models.CASCADE,
        related_name="sent_mails",
    )
    # Tells one occasion of the same purpose from the next (a second submission after a
    # requested correction); empty where a purpose happens once per object and recipient.
    occasion = models.CharField(_("Vorgang"), max_length=64, blank=True)
    address = models.CharField(_("Adresse"), max_length=254, blank=True)
    status = models.CharField(
        _("Status"), max_length=12, choices=MailStatus.choices, default=MailStatus.SENDING
    )
    subject = models.CharField(_("Betreff"), max_length=255, blank=True)
    message_id = models.CharField(_("Message-ID"), max_length=255, unique=True)
    attempts = models.PositiveSmallIntegerField(_("Versuche"), default=0)
    error = models.CharField(_("Fehler"), max_length=500, blank=True)
    # Whose claim the row is: only the sender holding it records the outcome.
    claim = models.UUIDField(_("Zustellung"), null=True, blank=True)
    created_at = models.DateTimeField(_("angelegt am"), auto_now_add=True)
    claimed_at = models.DateTimeField(_("zuletzt versucht am"), null=True, blank=True)
    sent_at = models.DateTimeField(_("gesendet am"), null=True, blank=True)

    class Meta:
        verbose_name = _("gesendete E-Mail")
        verbose_name_plural = _("gesendete E-Mails")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["purpose", "content_type", "object_id", "recipient", "occasion"],
                name="mail_once_per_occasion",
            ),
        ]
        indexes = [models.Index(fields=["status", "-created_at"], name="mail_status")]

    def __str__(self):
        return f"{self.purpose} → {self.recipient} ({self.get_status_display()})"


class OutboxTask(models.Model):
    """A background task stored in PostgreSQL with the action that caused it.

    The row is written in the same transaction as the user's action, so both happen or
    neither does. After the commit it is handed to the broker; if Redis is away, the row
    waits and the periodic sweep (``mentoring.outbox``) hands it over once Redis is back.
    Tasks sent this way are idempotent: handing one over twice does no harm.
    """

    # The Celery task's registered name, e.g. "applications.tasks.send_submission_mail".
    task = models.CharField(_("Aufgabe"), max_length=200)
    args = models.JSONField(_("Argumente"), default=list, blank=True)
    kwargs = models.JSONField(_("benannte Argumente"), default=dict, blank=True)
    state = models.CharField(
        _("Stand"), max_length=12, choices=OutboxState.choices, default=OutboxState.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("Versuche"), default=0)
    error = models.CharField(_("Fehler"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("angelegt am"), auto_now_add=True)
    dispatched_at = models.DateTimeField(_("übergeben am"), null=True, blank=True)

    class Meta:
        verbose_name = _("wartende Aufgabe")
        verbose_name_plural = _("wartende Aufgaben")
        ordering = ["created_at", "pk"]
        indexes = [
            models.Index(
                fields=["created_at"],
                condition=models.Q(state="pending"),
                name="outbox_pending",
            ),
        ]

    def __str__(self):
        return f"{self.task} ({self.get_state_display()})"


class PrivacyNotice(models.Model):
    """One version of the privacy notice (Datenschutzhinweise) as people saw it.

    Consents name the version they were given under; publishing a new version asks
    everyone with a consent again at her next login.
    """

    version = models.PositiveIntegerField(_("Version"), unique=True)
    published_at = models.DateTimeField(_("gültig ab"), default=timezone.now)
    text = models.TextField(_("Text"))
    changes = models.TextField(
        _("Was sich geändert hat"),
        blank=True,
        help_text=_("Kurz, für die erneute Abfrage bei der nächsten Anmeldung."),
    )

    class Meta:
        verbose_name = _("Datenschutzhinweis")
        verbose_name_plural = _("Datenschutzhinweise")
        ordering = ["-version"]

    def __str__(self):
        return str(_("Datenschutzhinweis, Version %(version)s") % {"version": self.version})


class Consent(models.Model):
    """A consent given under one version of the privacy notice, and its withdrawal."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Person"),
        on_delete=models.CASCADE,
        related_name="consents",
    )
    kind = models.CharField(_("Einwilligung"), max_length=16, choices=ConsentKind.choices)
    notice = models.ForeignKey(
        PrivacyNotice,
        verbose_name=_("Datenschutzhinweis"),
        on_delete=models.PROTECT,
        related_name="consents",
    )
    given_at = models.DateTimeField(_("erteilt am"), default=timezone.now)
    withdrawn_at = models.DateTimeField(_("widerrufen am"), null=True, blank=True)

    class Meta:
        verbose_name = _("Einwilligung")
        verbose_name_plural = _("Einwilligungen")
        ordering = ["-given_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "kind"],
                condition=models.Q(withdrawn_at__isnull=True),
                name="consent_one_active_per_kind",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} ({self.user})"

    @property
    def is_active(self):
        return self.withdrawn_at is None


class ErasureRecord(models.Model):
    """That data was erased, by whom and why, without the erased data itself.

    What is erased is described by kind and count only ("3 Bewerbungen"), with the
    cohort's title where there is one; never a name, an address or a file name.
    """

    erased_at = models.DateTimeField(_("gelöscht am"), default=timezone.now)
    # Empty for the daily retention job.
    erased_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("gelöscht von"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    reason = models.CharField(_("Anlass"), max_length=12, choices=ErasureReason.choices)
    # What was erased, e.g. "application", "draft", "contact_log", "person".
    kind = models.CharField(_("Art"), max_length=32)
    count = models.PositiveIntegerField(_("Anzahl"), default=1)
    cohort = models.CharField(_("Jahrgang"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("Löschprotokoll")
        verbose_name_plural = _("Löschprotokolle")
        ordering = ["-erased_at", "-pk"]

    def __str__(self):
        return f"{self.kind} × {self.count} ({short_date(self.erased_at)})"


class AccessibilityStatement(models.Model):
    """The installation's accessibility statement (Erklärung zur Barrierefreiheit).

    One row per installation, edited by the programme office; without a row the page
    shows the defaults below, which describe this product as shipped.
    """

    conformity = models.CharField(
        _("Stand der Vereinbarkeit"),
        max_length=8,
        choices=Conformity.choices,
        default=Conformity.PARTIAL,
    )
    known_barriers = models.TextField(
        _("Bekannte Barrieren und Alternativen"),
        blank=True,
        default=_(
            "Hochgeladene Dokumente (Lebensläufe, Anschreiben) stammen von den "
            "Bewerberinnen und sind nicht immer barrierefrei. Alternative: Das Programmbüro "
            "stellt die Angaben auf Anfrage in einer zugänglichen Form bereit.\n"
            "Die Verwaltungsoberfläche beruht auf Django; einzelne Bedienelemente sind noch "
            "nicht vollständig geprüft. Alternative: Das Programmbüro erledigt Vorgänge auf "
            "Anfrage telefonisch oder per E-Mail."
        ),
        help_text=_("Eine Barriere je Absatz, jeweils mit der zugänglichen Alternative."),
    )
    method = models.CharField(
        _("Grundlage der Bewertung"),
        max_length=300,
        default=_(
            "Selbstbewertung: automatische Prüfung jeder Seite mit axe-core und dem Nu HTML "
            "Checker sowie manuelle Prüfung mit Tastatur und 320 px Breite"
        ),
    )
    reviewed_on = models.DateField(_("Letzte Überprüfung am"), default=timezone.localdate)
    contact_name = models.CharField(
        _("Kontakt für Barrieren"), max_length=200, default=_("Programmbüro")
    )
    contact_email = models.EmailField(
        _("E-Mail-Adresse für Rückmeldungen"),
        help_text=_("Rückmeldungen über das Formular gehen an diese Adresse."),
    )
    contact_phone = models.CharField(_("Telefon"), max_length=50, blank=True)
    enforcement_body = models.CharField(
        _("Schlichtungsstelle"),
        max_length=300,
        default=_("Schlichtungsstelle nach § 16 Behindertengleichstellungsgesetz (BGG)"),
    )
    enforcement_url = models.URLField(
        _("Website der Schlichtungsstelle"), default="https://www.schlichtungsstelle-bgg.de/"
    )
    ombudsperson = models.CharField(
        _("Ombudsstelle des Landes"),
        max_length=300,
        blank=True,
        default=_(
            "Ombudsstelle für barrierefreie Informationstechnik des Landes "
            "Nordrhein-Westfalen bei der Beauftragten der Landesregierung für Menschen mit "
            "Behinderung"
        ),
    )
    ombudsperson_url = models.URLField(
        _("Website der Ombudsstelle"), blank=True, default="https://www.lbb.nrw.de/"
    )
    updated_at = models.DateTimeField(_("geändert am"), auto_now=True)

    class Meta:
        verbose_name = _("Erklärung zur Barrierefreiheit")
        verbose_name_plural = _("Erklärung zur Barrierefreiheit")

    def __str__(self):
        return str(self._meta.verbose_name)

    @classmethod
    def current(cls):
        """The saved statement, or the defaults (unsaved) where none was written yet."""
        return cls.objects.order_by("-pk").first() or cls(
            contact_email=settings.ACCESSIBILITY_CONTACT_EMAIL
        )

    @property
    def barriers(self):
        return [part.strip() for part in self.known_barriers.splitlines() if part.strip()]


class AccessibilityFeedback(models.Model):
    """A barrier someone reported through the form linked from every page.

    Stored first; the e-mails to the contact and the confirmation to the sender are each
    marked (``forwarded_at``, ``confirmed_at``) in the transaction that sends them, so they
    go once (``mentoring.accessibility``).
    """

    name = models.CharField(_("Ihr Name"), max_length=200, blank=True)
    email = models.EmailField(_("Ihre E-Mail-Adresse"))
    page = models.CharField(_("Seite"), max_length=500, blank=True)
    message = models.TextField(_("Was ist Ihnen aufgefallen?"), max_length=5000)
    language = models.CharField(max_length=8, default="de")
    created_at = models.DateTimeField(_("eingegangen am"), auto_now_add=True)
    forwarded_at = models.DateTimeField(_("weitergeleitet am"), null=True, blank=True)
    confirmed_at = models.DateTimeField(_("bestätigt am"), null=True, blank=True)
    done = models.BooleanField(_("erledigt"), default=False)

    class Meta:
        verbose_name = _("Rückmeldung zur Barrierefreiheit")
        verbose_name_plural = _("Rückmeldungen zur Barrierefreiheit")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{short_date(self.created_at)} – {self.page or '/'}"


class AuditEntry(models.Model):
    """One entry of an audit trail: who did what, when, from which state, and why.

    Every app's log (``ApplicationLog``, ``CohortLog``, ``TandemLog``, ``MatchingLog``,
    ``WorkshopLog``) is one of these: it adds the foreign key to its object, and sets the
    choices of ``action`` to the actions in its ``enums.py`` (``audit_action``), so that
    pages and the admin show the action's name rather than its code.
    """

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("durch"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    action = models.CharField(_("Vorgang"), max_length=32)
    from_state = models.CharField(_("von"), max_length=32, blank=True)
    note = models.TextField(_("Begründung / Notiz"), blank=True)
    created_at = models.DateTimeField(_("am"), auto_now_add=True, db_index=True)

    class Meta:
        abstract = True
        verbose_name = _("Protokolleintrag")
        verbose_name_plural = _("Protokoll")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.get_action_display()} ({short_date(self.created_at)})"


def audit_action(actions):
    """The ``action`` field of an ``AuditEntry``, choosing from the ``TextChoices`` ``actions``."""
    return models.CharField(_("Vorgang"), max_length=32, choices=actions.choices)


class ReminderLog(AuditEntry):
    """Who sent a reminder that had failed for good again, and what the error had been."""

    reminder = models.ForeignKey(
        SentReminder, verbose_name=_("Erinnerung"), on_delete=models.CASCADE, related_name="log"
    )
    action = audit_action(ReminderLogAction)
    from_state = models.CharField(
        _("von"), max_length=32, choices=ReminderStatus.choices, blank=True
    )
