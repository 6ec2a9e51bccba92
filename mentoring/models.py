from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .enums import STAFF_ROLES, UserRole


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
