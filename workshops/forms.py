from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from applications.enums import ApplicationRole, ApplicationState
from applications.models import Application

from .enums import AttendanceStatus, RsvpAnswer
from .models import ProjectTeam, TeamMembership

NOTE_NEEDED = _("Bitte vermerken Sie, weshalb die Abwesenheit entschuldigt ist.")


class RsvpForm(forms.Form):
    """Whether she comes; "no" needs a reason (which the Beirat and the office see)."""

    answer = forms.ChoiceField(
        label=_("Ihre Rückmeldung"), choices=RsvpAnswer.choices, widget=forms.RadioSelect
    )
    reason = forms.CharField(
        label=_("Grund der Absage"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Nur bei einer Absage. Sichtbar für den Mentoringbeirat und das Programmbüro."),
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("answer") == RsvpAnswer.NO and not cleaned.get("reason", "").strip():
            self.add_error("reason", _("Bitte nennen Sie den Grund Ihrer Absage."))
        return cleaned


class AttendanceForm(forms.Form):
    """One status and one note per person on the page.

    A recorded "absent" is shown but not changeable unless ``can_excuse`` (the programme
    office): disabled fields keep their recorded value whatever is posted.
    """

    def __init__(self, *args, rows, can_excuse, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = rows
        for row in rows:
            recorded = row.attendance
            locked = (
                recorded is not None
                and recorded.status == AttendanceStatus.ABSENT
                and not can_excuse
            )
            name = row.applicant.get_full_name() or row.applicant.email
            self.fields[f"status_{row.pk}"] = forms.ChoiceField(
                label=_("Anwesenheit von %(name)s") % {"name": name},
                choices=[("", _("– nicht erfasst –")), *AttendanceStatus.choices],
                required=False,
                initial=recorded.status if recorded else "",
                disabled=locked,
            )
            self.fields[f"note_{row.pk}"] = forms.CharField(
                label=_("Vermerk zu %(name)s") % {"name": name},
                required=False,
                max_length=500,
                initial=recorded.note if recorded else "",
                disabled=locked,
            )
            row.locked = locked
            row.status_field = self[f"status_{row.pk}"]
            row.note_field = self[f"note_{row.pk}"]

    def clean(self):
        cleaned = super().clean()
        for row in self.rows:
            status = cleaned.get(f"status_{row.pk}")
            note = cleaned.get(f"note_{row.pk}", "").strip()
            if status == AttendanceStatus.EXCUSED and not note:
                self.add_error(f"note_{row.pk}", NOTE_NEEDED)
            if not status and row.attendance is not None:
                self.add_error(
                    f"status_{row.pk}", _("Eine erfasste Anwesenheit lässt sich nur ändern.")
                )
        return cleaned

    def changes(self):
        """(application, status, note) for each row whose posted value differs."""
        for row in self.rows:
            if row.locked:
                continue
            status = self.cleaned_data[f"status_{row.pk}"]
            note = self.cleaned_data[f"note_{row.pk}"].strip()
            recorded = row.attendance
            if not status:
                continue
            if recorded is None or (recorded.status, recorded.note) != (status, note):
                yield row, status, note


class TeamForm(forms.ModelForm):
    """A project team of the cohort's accepted mentees; each mentee in one team only."""

    members = forms.ModelMultipleChoiceField(
        label=_("Mentees im Team"),
        queryset=Application.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = ProjectTeam
        fields = ["title", "description", "members"]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, cohort, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.cohort = cohort
        self.fields["members"].queryset = (
            Application.objects.filter(
                cohort=cohort, role=ApplicationRole.MENTEE, state=ApplicationState.ACCEPTED
            )
            .select_related("applicant", "organisation")
            .order_by("applicant__last_name", "applicant__first_name", "pk")
        )
        self.fields["members"].label_from_instance = lambda application: (
            f"{application.applicant.get_full_name()} ({application.organisation})"
        )

    def clean_members(self):
        members = self.cleaned_data["members"]
        taken = (
            TeamMembership.objects.filter(application__in=members)
            .exclude(team_id=self.instance.pk)
            .select_related("team", "application__applicant")
            .order_by("application__applicant__last_name")
        )
        errors = [
            _("%(name)s ist bereits im Team „%(team)s“.")
            % {"name": membership.application.applicant.get_full_name(), "team": membership.team}
            for membership in taken
        ]
        if errors:
            raise forms.ValidationError(errors)
        return members


class PresentationForm(forms.Form):
    presented_on = forms.DateField(
        label=_("präsentiert am"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def clean_presented_on(self):
        day = self.cleaned_data["presented_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("Das Datum liegt in der Zukunft."))
        return day


class RevocationForm(forms.Form):
    reason = forms.CharField(
        label=_("Grund des Widerrufs"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Wird im Protokoll festgehalten, nicht auf der öffentlichen Prüfseite angezeigt."
        ),
        error_messages={"required": _("Bitte geben Sie den Grund des Widerrufs an.")},
    )


class VerificationForm(forms.Form):
    code = forms.CharField(
        label=_("Prüfcode"),
        max_length=40,
        help_text=_("Der Code steht unten auf dem Zertifikat, z. B. ABCD-EFGH-JKMN."),
        error_messages={"required": _("Bitte geben Sie den Prüfcode ein.")},
    )
