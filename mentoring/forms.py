from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import forms as auth_forms
from django.utils.translation import gettext_lazy as _

from .models import AccessibilityFeedback, User
from .throttling import lockout_message


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

    def _get_validation_exclusions(self):
        # Whether the address already has an account is the view's to handle, without
        # telling the person who typed it (views.register).
        return super()._get_validation_exclusions() | {"email"}

    def clean_email(self):
        return User.objects.normalize_email(self.cleaned_data["email"])


class UserCreationForm(auth_forms.BaseUserCreationForm):
    class Meta:
        model = User
        fields = ["email", "first_name", "last_name", "role"]


class UserChangeForm(auth_forms.UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"


class ThrottledLoginMixin:
    """Says so when django-axes refused the login because of too many failures."""

    def clean(self):
        try:
            return super().clean()
        except forms.ValidationError:
            if getattr(self.request, "axes_locked_out", False):
                raise forms.ValidationError(lockout_message(), code="locked_out") from None
            raise


class LoginForm(ThrottledLoginMixin, auth_forms.AuthenticationForm):
    error_messages = {
        **auth_forms.AuthenticationForm.error_messages,
        # Django's German text calls the e-mail case-sensitive; ours is not.
        "invalid_login": _(
            "E-Mail-Adresse oder Passwort sind nicht korrekt. Bitte prüfen Sie Ihre Eingabe."
        ),
    }


class AdminLoginForm(ThrottledLoginMixin, AdminAuthenticationForm):
    """The officers' admin login, throttled like the site's."""


class AccessibilityFeedbackForm(forms.ModelForm):
    """A report of a barrier; anyone may send one, logged in or not."""

    class Meta:
        model = AccessibilityFeedback
        fields = ["name", "email", "message", "page"]
        widgets = {
            "page": forms.HiddenInput,
            "message": forms.Textarea(attrs={"rows": 6}),
            "email": forms.EmailInput(attrs={"autocomplete": "email"}),
            "name": forms.TextInput(attrs={"autocomplete": "name"}),
        }
        help_texts = {
            "email": _("Wir bestätigen Ihnen den Eingang und antworten an diese Adresse."),
            "message": _(
                "Beschreiben Sie bitte, wo und wobei Sie auf eine Barriere gestoßen sind."
            ),
        }

    def clean_page(self):
        # Only a path on this site; anything else (a full URL, markup) is dropped.
        page = self.cleaned_data.get("page", "")
        return page if page.startswith("/") and not page.startswith("//") else ""
