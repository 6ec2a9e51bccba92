from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import forms as auth_forms
from django.forms.boundfield import BoundField
from django.utils.translation import gettext_lazy as _

from .models import AccessibilityFeedback, User
from .numbers import ascii_digits
from .second_factor import TOTP_DIGITS, normalise_code
from .throttling import lockout_message

PLEASE_CHOOSE = _("– bitte wählen –")


class MarkedBoundField(BoundField):
    """A field that knows whether it carries the * mark, and says so to assistive technology."""

    @property
    def marked_required(self):
        return self.field.required or self.name in self.form.required_to_submit

    def build_widget_attrs(self, attrs, widget=None):
        attrs = super().build_widget_attrs(attrs, widget)
        widget = widget or self.field.widget
        # A radio cannot carry aria-required (its group does: templates/bootstrap5/field.html),
        # nor a group of checkboxes; a file already stored (before this request or by it)
        # is not missing.
        grouped = isinstance(widget, forms.RadioSelect)
        instance = getattr(self.form, "instance", None)
        stored = isinstance(widget, forms.FileInput) and bool(getattr(instance, self.name, None))
        if (
            self.marked_required
            and not grouped
            and not stored
            and widget.use_required_attribute(self.initial)
        ):
            attrs["aria-required"] = "true"
        return attrs


class RequiredMarksMixin:
    """What a person must fill in carries the * mark and ``aria-required``; radio groups
    offer no empty choice, so nothing is pre-selected unless the field has a real default.

    ``required_to_submit`` names fields that a draft may leave empty but that a submission
    needs: they are marked like required fields, without the browser's own check, which
    would keep her from saving the draft.
    """

    bound_field_class = MarkedBoundField
    required_to_submit = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            radios = isinstance(widget, forms.RadioSelect) and not isinstance(
                widget, forms.CheckboxSelectMultiple
            )
            if radios and isinstance(field, forms.ModelChoiceField):
                field.empty_label = None
            elif radios and hasattr(field, "choices"):
                field.choices = [(value, label) for value, label in field.choices if value != ""]
            elif isinstance(widget, forms.Select):
                # A screen reader reads Django's "---------" as a row of dashes.
                if isinstance(field, forms.ModelChoiceField):
                    if field.empty_label == "---------":
                        field.empty_label = PLEASE_CHOOSE
                elif isinstance(field, forms.ChoiceField):
                    field.choices = [
                        (value, PLEASE_CHOOSE if value == "" else label)
                        for value, label in field.choices
                    ]


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


class PasswordSummaryWidget(auth_forms.ReadOnlyPasswordHashWidget):
    """Django's summary of the stored password, without ``disabled`` on its ``<div>``.

    The field is disabled (the form never takes a password from it) and Django hands that
    on to the widget's attributes; a ``<div>`` has no such attribute (invalid HTML).
    """

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["attrs"].pop("disabled", None)
        return context


class UserChangeForm(auth_forms.UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "password" in self.fields:
            self.fields["password"].widget = PasswordSummaryWidget()


class AdminPasswordSetForm(auth_forms.AdminPasswordChangeForm):
    """The office sets a person's new password; it does not switch password login off.

    Here one logs in with a password (a second factor comes on top): an account without
    one could neither log in nor get a reset link, which Django sends only to accounts
    with a password. Django's switch for it also put a list inside a paragraph.
    """

    def __init__(self, user, *args, **kwargs):
        super().__init__(user, *args, **kwargs)
        if self.fields.pop("usable_password", None) is not None:
            self.fields["password1"].required = True
            self.fields["password2"].required = True


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


class OneTimeCodeInput(forms.TextInput):
    """A field for a code from an authenticator app: the phone's number pad, autofill."""

    def __init__(self, attrs=None):
        defaults = {
            "autocomplete": "one-time-code",
            "inputmode": "numeric",
            "autocapitalize": "off",
            "spellcheck": "false",
            "size": 12,
        }
        super().__init__({**defaults, **(attrs or {})})


class SecondFactorSetupForm(forms.Form):
    code = forms.CharField(
        label=_("Code aus der App"),
        max_length=20,
        widget=OneTimeCodeInput,
        help_text=_("Die sechs Ziffern, die Ihre App nach dem Einrichten anzeigt."),
        error_messages={"required": _("Bitte geben Sie den Code aus Ihrer App ein.")},
    )

    def clean_code(self):
        code = normalise_code(self.cleaned_data["code"])
        if len(code) != TOTP_DIGITS or not ascii_digits(code):
            raise forms.ValidationError(
                _("Der Code besteht aus sechs Ziffern. Bitte prüfen Sie Ihre Eingabe."),
                code="format",
            )
        return code


class SecondFactorVerifyForm(forms.Form):
    code = forms.CharField(
        label=_("Bestätigungscode"),
        max_length=24,
        widget=OneTimeCodeInput,
        help_text=_(
            "Die sechs Ziffern aus Ihrer Authenticator-App oder einer Ihrer zehnstelligen "
            "Notfallcodes."
        ),
        error_messages={"required": _("Bitte geben Sie den Code aus Ihrer App ein.")},
    )

    def clean_code(self):
        code = normalise_code(self.cleaned_data["code"])
        if not (6 <= len(code) <= 16) or not code.isalnum():
            raise forms.ValidationError(
                _("Bitte geben Sie die sechs Ziffern aus Ihrer App oder einen Notfallcode ein."),
                code="format",
            )
        return code
