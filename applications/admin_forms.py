"""Forms of the officers' admin that are not the applicant's: the review on an application's
page, and a career step an officer records.

The applicant's Bewerbungsbogen and its helpers stay in ``forms.py``.
"""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .enums import ApplicationState, CareerStepKind, CareerStepSource, Decision
from .forms import PayGradeField, check_pay_grades
from .models import CareerStep

SCORE_CHOICES = [(value, str(value)) for value in range(1, 6)]

# What she may propose besides the three decisions (``Decision``).
INTERVIEW = "interview"
CHANGES = "changes"
CLEAR = "clear"

SCORE_HELP = _("1 = schwach … 5 = sehr überzeugend")


class ReviewDecisionForm(forms.Form):
    """On an application's page: her scores and comment, and a proposed next step with reason.

    Every part is optional, but what is chosen must be complete: all criteria or none, a
    reason with a decision, date and place with an invitation, a note with a request for
    changes. The services check the rest (state, seats, interview first) when it is saved.
    """

    comment = forms.CharField(
        label=_("Ihr Kommentar"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=5000,
        help_text=_("Für den Mentoringbeirat; die Bewerberin sieht ihn nicht."),
    )
    decision = forms.ChoiceField(
        label=_("Ihr Vorschlag"),
        widget=forms.RadioSelect(attrs={"class": "radiolist"}),
        required=False,
        help_text=_(
            "Eine Entscheidung wird vorgemerkt und erst mit dem Versand der Entscheidungen "
            "mitgeteilt. Einladung und Bitte um Korrektur gehen sofort per E-Mail hinaus."
        ),
    )
    reason = forms.CharField(
        label=_("Begründung der Entscheidung (intern)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=5000,
        help_text=_("Für das Protokoll des Beirats; die Bewerberin erhält sie nicht."),
    )
    interview_at = forms.DateTimeField(
        label=_("Termin des Auswahlgesprächs"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%d.%m.%Y %H:%M"],
        error_messages={
            "invalid": _("Bitte geben Sie Datum und Uhrzeit an, zum Beispiel 14.09.2026 10:30.")
        },
        required=False,
        help_text=_("Nur bei einer Einladung zum Auswahlgespräch."),
    )
    interview_place = forms.CharField(
        label=_("Ort des Auswahlgesprächs"),
        max_length=200,
        required=False,
        help_text=_("Nur bei einer Einladung zum Auswahlgespräch."),
    )
    changes_note = forms.CharField(
        label=_("Was soll die Bewerberin ergänzen oder korrigieren?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=5000,
        help_text=_("Nur bei einer Bitte um Korrektur; geht per E-Mail an die Bewerberin."),
    )
    # The decision pending when the page was shown: a change in between is not overwritten.
    pending_seen = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, application, criteria, own_review=None, **kwargs):
        initial = kwargs.pop("initial", None) or {}
        initial["pending_seen"] = application.pending_decision
        initial.setdefault("decision", "")
        if own_review is not None:
            initial["comment"] = own_review.comment
            for key, value in own_review.scores.items():
                initial[f"score_{key}"] = value
        super().__init__(*args, initial=initial, **kwargs)
        self.application = application
        self.criteria = list(criteria)
        self.own_review = own_review
        for criterion in self.criteria:
            self.fields[self.score_field(criterion)] = forms.TypedChoiceField(
                label=criterion.name,
                choices=SCORE_CHOICES,
                coerce=int,
                empty_value=None,
                required=False,
                widget=forms.RadioSelect(attrs={"class": "radiolist inline"}),
                help_text=SCORE_HELP,
            )
        self.fields["decision"].choices = self._decision_choices()
        self.order_fields(
            [self.score_field(criterion) for criterion in self.criteria] + ["comment"]
        )

    @staticmethod
    def score_field(criterion):
        return f"score_{criterion.pk}"

    def _decision_choices(self):
        application = self.application
        pending = application.pending_decision
        if pending:
            keep = _("Vormerkung „%(decision)s“ beibehalten") % {
                "decision": application.get_pending_decision_display()
            }
        else:
            keep = _("noch keine")
        choices = [("", keep)]
        if application.state in ApplicationState.under_review():
            choices += [
                (Decision.ACCEPTED, _("annehmen")),
                (Decision.WAITLISTED, _("auf die Warteliste setzen")),
                (Decision.REJECTED, _("ablehnen")),
            ]
        if not pending and application.state in {
            ApplicationState.SUBMITTED,
            ApplicationState.IN_REVIEW,
        }:
            choices += [
                (INTERVIEW, _("zum Auswahlgespräch einladen")),
                (CHANGES, _("um Korrektur bitten")),
            ]
        if pending:
            choices.append((CLEAR, _("Vormerkung aufheben")))
        return choices

    @property
    def offers_interview(self):
        return INTERVIEW in dict(self.fields["decision"].choices)

    @property
    def offers_changes(self):
        return CHANGES in dict(self.fields["decision"].choices)

    @property
    def score_fields(self):
        return [self[self.score_field(criterion)] for criterion in self.criteria]

    @property
    def scores(self):
        """{criterion pk: score} as entered, or {} when she gave none."""
        return {
            criterion.pk: self.cleaned_data[self.score_field(criterion)]
            for criterion in self.criteria
            if self.cleaned_data.get(self.score_field(criterion)) is not None
        }

    @property
    def review_changed(self):
        """Whether saving would change her review (a new one, other scores, other comment)."""
        if not self.scores:
            return False
        own = self.own_review
        if own is None:
            return True
        stored = {str(key): int(value) for key, value in own.scores.items()}
        entered = {str(key): value for key, value in self.scores.items()}
        return stored != entered or own.comment != self.cleaned_data["comment"]

    def clean(self):
        cleaned = super().clean()
        scores = self.scores
        if scores and len(scores) < len(self.criteria):
            for criterion in self.criteria:
                if cleaned.get(self.score_field(criterion)) is None:
                    self.add_error(
                        self.score_field(criterion), _("Bitte bewerten Sie auch dieses Kriterium.")
                    )
        if not scores and (cleaned.get("comment") or "").strip():
            self.add_error(
                "comment",
                _("Ein Kommentar wird mit Ihrer Bewertung gespeichert: Bitte bewerten Sie jedes "
                  "Kriterium."),
            )  # fmt: skip
        decision = cleaned.get("decision") or ""
        if decision in Decision.values and not (cleaned.get("reason") or "").strip():
            self.add_error("reason", _("Bitte begründen Sie die Entscheidung."))
        if decision == INTERVIEW:
            if cleaned.get("interview_at") is None and "interview_at" not in self.errors:
                self.add_error("interview_at", _("Bitte geben Sie den Termin des Gesprächs an."))
            if not (cleaned.get("interview_place") or "").strip():
                self.add_error("interview_place", _("Bitte geben Sie den Ort des Gesprächs an."))
        if decision == CHANGES and not (cleaned.get("changes_note") or "").strip():
            self.add_error("changes_note", _("Bitte schreiben Sie, was korrigiert werden soll."))
        if decision in {*Decision.values, CLEAR} and (
            cleaned.get("pending_seen", "") != self.application.pending_decision
        ):
            now = self.application.get_pending_decision_display() or _("keine")
            # Shown again with what is pending now, so that a second click means it.
            self.data = self.data.copy()
            self.data["pending_seen"] = self.application.pending_decision
            self.add_error(
                "decision",
                _("Die vorgemerkte Entscheidung hat sich inzwischen geändert (jetzt: "
                  "„%(decision)s“). Bitte prüfen Sie Ihre Wahl.") % {"decision": now},
            )  # fmt: skip
        if not self.errors and not scores and not decision:
            raise forms.ValidationError(
                _("Bitte bewerten Sie die Bewerbung oder schlagen Sie eine Entscheidung vor.")
            )
        return cleaned


class CareerStepForm(forms.ModelForm):
    """A step an officer knows of: from her own knowledge or the personnel office, with a
    note where it came from; the pay grades on the product's scale, as in her own answer."""

    # Her own answers ("eigene Angabe") come only from her, through the follow-up page.
    source = forms.ChoiceField(
        label=_("Quelle"),
        choices=[
            (CareerStepSource.OFFICER, CareerStepSource.OFFICER.label),
            (CareerStepSource.PERSONNEL, CareerStepSource.PERSONNEL.label),
        ],
    )
    pay_grade_from = PayGradeField(label=_("von Besoldungs- / Entgeltgruppe"))
    pay_grade_to = PayGradeField(label=_("nach Besoldungs- / Entgeltgruppe"))

    class Meta:
        model = CareerStep
        fields = ["application", "kind", "date", "pay_grade_from", "pay_grade_to", "source", "note"]
        labels = {"note": _("Woher bekannt")}
        help_texts = {
            "note": _(
                "Pflichtangabe: woher Sie davon wissen, z. B. „Mitteilung des Personalamts vom "
                "3. März“."
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "note" in self.fields:  # not on the read-only page of her own answer
            self.fields["note"].required = True

    def clean_date(self):
        day = self.cleaned_data["date"]
        if day > timezone.localdate():
            raise forms.ValidationError(
                _(
                    "Das Datum liegt in der Zukunft. Erfassen Sie nur Schritte, die schon "
                    "stattgefunden haben."
                )
            )
        return day

    def clean(self):
        cleaned = super().clean()
        if "kind" in cleaned:
            check_pay_grades(self, promotion=cleaned["kind"] == CareerStepKind.PROMOTION)
        return cleaned
