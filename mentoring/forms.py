from django import forms
from django.contrib.auth import forms as auth_forms
from django.utils.translation import gettext_lazy as _

from .models import User


class RegistrationForm(auth_forms.BaseUserCreationForm):
    """Self-registration of applicants: name, address, password."""

    class Meta:
        model = User
        fields = ["first_name", "last_name", "email"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("first_name", "last_name"):
            self.fields[name].required = True
        self.fields["email"].help_text = _("Ihre dienstliche Adresse ist Ihr Anmeldename.")

    def clean_email(self):
        email = User.objects.normalize_email(self.cleaned_data["email"])
        if User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(
                _(
                    "Für diese Adresse gibt es schon ein Konto. Bitte melden Sie sich an oder "
                    "setzen Sie Ihr Passwort zurück."
                )
            )
        return email


class UserCreationForm(auth_forms.BaseUserCreationForm):
    class Meta:
        model = User
        fields = ["email", "first_name", "last_name", "role"]


class UserChangeForm(auth_forms.UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"


class LoginForm(auth_forms.AuthenticationForm):
    error_messages = {
        **auth_forms.AuthenticationForm.error_messages,
        # Django's German text calls the e-mail case-sensitive; ours is not.
        "invalid_login": _(
            "E-Mail-Adresse oder Passwort sind nicht korrekt. Bitte prüfen Sie Ihre Eingabe."
        ),
    }
