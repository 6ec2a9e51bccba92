from django import forms
from django.utils.translation import gettext_lazy as _

from .copying import initial_for
from .models import Cohort


def _label(name):
    return Cohort._meta.get_field(name).verbose_name


def _help(name):
    return Cohort._meta.get_field(name).help_text


class DateInput(forms.DateInput):
    """The browser's own date picker; it sends ISO dates whatever the language."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%dT%H:%M")


DATE_FORMATS = ["%Y-%m-%d", "%d.%m.%Y"]


class CohortCopyForm(forms.Form):
    """Number, year and dates of a new cohort made from ``source`` (``cohorts.copying``).

    Proposes the next number and ``source``'s dates a year later; says at the field what
    is wrong: a number the programme has already, a deadline before the opening, an end
    before the start.
    """

    number = forms.IntegerField(label=_label("number"), min_value=1, max_value=32767)
    year = forms.IntegerField(label=_label("year"), min_value=2000, max_value=2100)
    title = forms.CharField(
        label=_label("title"), max_length=200, required=False, help_text=_help("title")
    )
    application_opens_at = forms.DateTimeField(
        label=_label("application_opens_at"), widget=DateTimeInput
    )
    application_deadline = forms.DateTimeField(
        label=_label("application_deadline"),
        widget=DateTimeInput,
        help_text=_help("application_deadline"),
    )
    start_date = forms.DateField(
        label=_label("start_date"), widget=DateInput, input_formats=DATE_FORMATS
    )
    end_date = forms.DateField(
        label=_label("end_date"), widget=DateInput, input_formats=DATE_FORMATS
    )
    selection_date = forms.DateField(
        label=_label("selection_date"),
        widget=DateInput,
        input_formats=DATE_FORMATS,
        required=False,
        help_text=_help("selection_date"),
    )

    def __init__(self, data=None, *, source, **kwargs):
        self.source = source
        kwargs.setdefault("initial", initial_for(source))
        super().__init__(data, **kwargs)

    def clean_number(self):
        number = self.cleaned_data["number"]
        if Cohort.objects.filter(programme_id=self.source.programme_id, number=number).exists():
            raise forms.ValidationError(
                _("Den %(number)s. Jahrgang gibt es in diesem Programm schon."),
                code="taken",
                params={"number": number},
            )
        return number

    def clean(self):
        cleaned = super().clean()
        opens, deadline = cleaned.get("application_opens_at"), cleaned.get("application_deadline")
        if opens and deadline and deadline <= opens:
            self.add_error(
                "application_deadline",
                _("Der Bewerbungsschluss muss nach dem Beginn der Bewerbung liegen."),
            )
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        if start and end and end <= start:
            self.add_error("end_date", _("Das Ende muss nach dem Beginn liegen."))
        return cleaned
