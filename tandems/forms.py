from django import forms
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from applications.models import Topic

from .enums import ConstraintKind
from .models import Contact, GoalAgreement, MatchingSettings


class WeightsForm(forms.ModelForm):
    class Meta:
        model = MatchingSettings
        fields = [
            "weight_topics",
            "weight_kind",
            "weight_level",
            "weight_distance",
            "weight_wish",
            "max_distance_km",
            "separate_departments",
        ]

    def clean(self):
        cleaned = super().clean()
        for name in self.Meta.fields[:5]:
            value = cleaned.get(name)
            if value is not None and value < 0:
                self.add_error(name, _("Gewichte dürfen nicht negativ sein."))
        return cleaned


class PairForm(forms.Form):
    mentee = forms.IntegerField()
    mentor = forms.IntegerField()
    kind = forms.ChoiceField(choices=[*ConstraintKind.choices, ("release", "release")])


class EndForm(forms.Form):
    reason = forms.CharField(
        label=_("Grund der Beendigung"), widget=forms.Textarea(attrs={"rows": 3})
    )


class GoalAgreementForm(forms.ModelForm):
    class Meta:
        model = GoalAgreement
        fields = [
            "topics",
            "topics_other",
            "cadence",
            "excluded_topics",
            "expectations_mentee",
            "expectations_mentor",
            "confidentiality",
        ]
        widgets = {
            "topics": forms.CheckboxSelectMultiple,
            **{
                name: forms.Textarea(attrs={"rows": 3})
                for name in (
                    "topics_other",
                    "cadence",
                    "excluded_topics",
                    "expectations_mentee",
                    "expectations_mentor",
                )
            },
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["topics"].queryset = Topic.objects.filter(
            programme_id=self.instance.tandem.cohort.programme_id
        )


class ContactForm(forms.ModelForm):
    """A contact of ``tandem``: within the tandem's time, never in the future."""

    class Meta:
        model = Contact
        fields = ["date", "format", "duration_minutes", "topics", "topics_other", "note"]
        widgets = {
            "date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "format": forms.RadioSelect,
            "duration_minutes": forms.NumberInput(attrs={"min": 5, "max": 720, "step": 5}),
            "topics": forms.CheckboxSelectMultiple,
            "note": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {
            "topics_other": _("Frei formuliert, wenn ein Thema nicht in der Liste steht.")
        }

    def __init__(self, *args, tandem, today=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.tandem = tandem
        self.today = today or timezone.localdate()
        agreed = getattr(tandem, "goal_agreement", None)
        topics = agreed.topics.all() if agreed is not None else Topic.objects.none()
        # The agreement's topics first; without any, the programme's catalogue.
        catalogue = Topic.objects.filter(programme_id=tandem.cohort.programme_id)
        self.fields["topics"].queryset = topics if topics.exists() else catalogue
        self.fields["topics"].label = _("Themen")
        self.fields["date"].widget.attrs.update(
            min=tandem.start_date.isoformat(), max=min(self.today, tandem.last_day).isoformat()
        )

    def clean_date(self):
        day = self.cleaned_data["date"]
        if day > self.today:
            raise forms.ValidationError(_("Das Datum liegt in der Zukunft."))
        if day < self.tandem.start_date:
            raise forms.ValidationError(
                _("Das Datum liegt vor dem Beginn Ihres Tandems (%(start)s).")
                % {"start": formats.date_format(self.tandem.start_date, "SHORT_DATE_FORMAT")}
            )
        if day > self.tandem.last_day:
            raise forms.ValidationError(
                _("Das Datum liegt nach dem Ende Ihres Tandems (%(end)s).")
                % {"end": formats.date_format(self.tandem.last_day, "SHORT_DATE_FORMAT")}
            )
        return day


class OverviewFilter(forms.Form):
    """The grid's filters; invalid input is ignored rather than failing the page."""

    organisation = forms.ModelChoiceField(
        label=_("Organisation"),
        queryset=None,
        required=False,
        empty_label=_("alle"),
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    quiet = forms.BooleanField(
        label=_("nur Tandems mit zwei Monaten ohne Kontakt"),
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )

    def __init__(self, *args, cohort, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = cohort.organisations.order_by("name")

    def chosen(self):
        if not self.is_bound or not self.is_valid():
            return None, False
        return self.cleaned_data["organisation"], self.cleaned_data["quiet"]

    def query_string(self):
        """The valid filters as URL parameters, for pagination and the CSV link."""
        organisation, quiet = self.chosen()
        parts = []
        if organisation is not None:
            parts.append(f"organisation={organisation.pk}")
        if quiet:
            parts.append("quiet=on")
        return "&".join(parts)
