from django import forms
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from applications.models import Topic
from mentoring.forms import RequiredMarksMixin

from .enums import ConstraintKind, EndCategory
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
    """Pin, forbid or release (lift) one pair; sent by the buttons of the matching page."""

    mentee = forms.IntegerField()
    mentor = forms.IntegerField()
    kind = forms.ChoiceField(choices=[*ConstraintKind.choices, ("release", "release")])


class MentorChoiceForm(forms.Form):
    """The mentor the Beirat chose by hand (an application id of the cohort).

    ``required=False`` where leaving the choice to the solver is allowed (re-matching).
    """

    mentor = forms.IntegerField(
        label=_("Mentor:in"),
        min_value=1,
        error_messages={
            "required": _("Bitte wählen Sie eine Mentor:in."),
            "invalid": _("Bitte wählen Sie eine Mentor:in."),
            "min_value": _("Bitte wählen Sie eine Mentor:in."),
        },
    )

    def __init__(self, *args, required=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mentor"].required = required


class EndForm(forms.Form):
    category = forms.ChoiceField(
        label=_("Art des Grundes"),
        help_text=_("Der Bericht des Jahrgangs zählt die vorzeitigen Enden nach dieser Art."),
        choices=EndCategory.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Bitte wählen Sie die Art des Grundes.")},
    )
    reason = forms.CharField(
        label=_("Grund der Beendigung"),
        help_text=_(
            "Der Grund steht in der Liste der Tandems und im Verlauf des Tandems; "
            "der Beirat sieht ihn."
        ),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Bitte geben Sie den Grund an.")},
    )


class GoalAgreementForm(forms.Form):
    """One partner's part and the shared part of the goal agreement (``GoalAgreement.PARTS``).

    Gives cleaned data for ``services.goal_agreement_save``; ``version`` is the version the
    form showed, so a change the other partner made meanwhile is not overwritten.
    """

    version = forms.IntegerField(min_value=0, required=False, widget=forms.HiddenInput)

    def __init__(self, *args, agreement, role, **kwargs):
        names = GoalAgreement.fields_of(role)
        initial = {"version": agreement.version}
        if agreement.pk is not None:
            initial |= forms.model_to_dict(agreement, fields=names)
        else:
            initial |= {name: GoalAgreement._meta.get_field(name).get_default() for name in names}
            initial["topics"] = []
        super().__init__(*args, initial=initial, **kwargs)
        self.fields.update(
            forms.fields_for_model(
                GoalAgreement,
                fields=names,
                widgets={
                    "topics": forms.CheckboxSelectMultiple,
                    **{
                        name: forms.Textarea(attrs={"rows": 3})
                        for name in names
                        if name not in ("topics", "confidentiality")
                    },
                },
            )
        )
        if "topics" in self.fields:
            self.fields["topics"].queryset = Topic.objects.filter(
                programme_id=agreement.tandem.cohort.programme_id
            )
        self.own = [self[name] for name in GoalAgreement.PARTS[role]]
        self.shared = [self[name] for name in GoalAgreement.SHARED]

    def data_for_service(self):
        """The cleaned answers without the version, for ``goal_agreement_save``."""
        return {name: value for name, value in self.cleaned_data.items() if name != "version"}


class ContactForm(RequiredMarksMixin, forms.ModelForm):
    """A contact of ``tandem``: within the tandem's time, never in the future.

    Its format is a group of radios with none chosen beforehand (``RequiredMarksMixin``).
    """

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
        field = self.fields["organisation"]
        field.queryset = cohort.organisations.order_by("name")
        # Read once as a list: Django's iterator reads the choices through a server-side
        # cursor (three round trips, a held cursor) on every page of the grid.
        field.choices = [("", field.empty_label)] + [
            (organisation.pk, str(organisation)) for organisation in field.queryset
        ]

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
