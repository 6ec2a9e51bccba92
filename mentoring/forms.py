from django.contrib.auth import forms as auth_forms
from django.utils.translation import gettext_lazy as _

from .models import User


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
