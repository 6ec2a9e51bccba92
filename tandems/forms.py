from django import forms
from django.utils.translation import gettext_lazy as _

from .enums import ConstraintKind
from .models import GoalAgreement, MatchingSettings


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
