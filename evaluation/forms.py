from django import forms
from django.utils.translation import gettext_lazy as _

from . import questions
from .enums import Scale
from .models import EarlyWarning, TextAnswer

TEXT_LENGTH = TextAnswer._meta.get_field("text").max_length
SKIPPED = ""


def _choice_label(value, words, scale):
    """What the radio says: the number and its words on the 1–5 scale, else the words."""
    return f"{value} – {words}" if scale == Scale.AGREEMENT else words


class SurveyAnswerForm(forms.Form):
    """The items of one survey as she reads them in her role; every question may be left out.

    A rated item is a group of radios with the scale's words, and "keine Angabe" to take a
    choice back; the open questions (and the programme's own, if it asks one) are free text.
    """

    def __init__(self, *args, survey, role, **kwargs):
        super().__init__(*args, **kwargs)
        self.rating_keys = []
        for item in questions.ITEMS[survey.kind]:
            choices = [
                (value, _choice_label(value, words, item.scale)) for value, words in item.choices
            ]
            self.fields[item.key] = forms.TypedChoiceField(
                label=item.text(role),
                choices=[*choices, (SKIPPED, _("keine Angabe"))],
                coerce=int,
                empty_value=None,
                required=False,
                widget=forms.RadioSelect,
                error_messages={
                    "invalid_choice": _("Bitte wählen Sie eine der angebotenen Antworten.")
                },
            )
            self.rating_keys.append(item.key)
        texts = [(item.key, item.text(role)) for item in questions.TEXT_ITEMS[survey.kind]]
        if survey.extra_question:
            texts.append((questions.EXTRA, survey.extra_question))
        self.text_keys = []
        for key, label in texts:
            self.fields[key] = forms.CharField(
                label=label,
                required=False,
                max_length=TEXT_LENGTH,
                strip=True,
                widget=forms.Textarea(attrs={"rows": 4}),
            )
            self.text_keys.append(key)

    @property
    def rating_fields(self):
        return [self[key] for key in self.rating_keys]

    @property
    def text_fields(self):
        return [self[key] for key in self.text_keys]

    def clean(self):
        cleaned = super().clean()
        if (
            not self.errors
            and not any(cleaned.get(key) is not None for key in self.rating_keys)
            and not any(cleaned.get(key) for key in self.text_keys)
        ):
            raise forms.ValidationError(
                _(
                    "Sie haben keine Frage beantwortet. Bitte beantworten Sie mindestens "
                    "eine; jede einzelne dürfen Sie auslassen."
                ),
                code="empty",
            )
        return cleaned

    def ratings(self):
        return {key: self.cleaned_data.get(key) for key in self.rating_keys}

    def texts(self):
        return {key: self.cleaned_data.get(key, "") for key in self.text_keys}


class EarlyWarningForm(forms.Form):
    """Whether her equality officer may contact her, with a message if she wants."""

    message = forms.CharField(
        label=_("Ihre Nachricht (freiwillig)"),
        required=False,
        max_length=EarlyWarning._meta.get_field("message").max_length,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Zum Beispiel, wie und wann Sie am besten zu erreichen sind."),
    )
