from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cohorts.enums import OrganisationKind
from mentoring.consents import has_active_consent
from mentoring.enums import ConsentKind
from mentoring.forms import RequiredMarksMixin

from . import paygrades
from .eligibility_display import grade_error
from .enums import CareerStepKind, EligibilityOutcome, EmploymentStatus, PayScale
from .models import MENTEE_DOCUMENTS, MENTEE_FACTS, MENTOR_FACTS, Application, Topic

PDF_MAGIC = b"%PDF-"


def validate_pdf(upload):
    """Accepts a PDF by its content (not its name) and within the size limit."""
    limit = settings.APPLICATION_UPLOAD_MAX_BYTES
    if upload.size > limit:
        raise forms.ValidationError(
            _("Die Datei ist %(size)s groß; erlaubt sind höchstens %(limit)s.")
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(limit)}
        )
    upload.seek(0)
    head = upload.read(1024)
    upload.seek(max(upload.size - 2048, 0))
    tail = upload.read()
    upload.seek(0)
    if not head.lstrip(b"\r\n\t ").startswith(PDF_MAGIC) or b"%%EOF" not in tail:
        raise forms.ValidationError(
            _(
                "Die Datei ist kein PDF. Bitte speichern Sie das Dokument als PDF und laden "
                "Sie es erneut hoch."
            )
        )
    return upload


class PermanentField(forms.TypedChoiceField):
    def __init__(self, **kwargs):
        super().__init__(
            choices=[("True", _("unbefristet")), ("False", _("befristet"))],
            coerce=lambda value: value == "True",
            empty_value=None,
            widget=forms.RadioSelect,
            **kwargs,
        )


# What a submission still lacks, by the kind of field (ApplicationForm.missing_for_submission).
MISSING_TEXT = _("Bitte füllen Sie dieses Feld aus; wir brauchen die Angabe zum Einreichen.")
MISSING_CHOICE = _("Bitte wählen Sie aus; wir brauchen die Angabe zum Einreichen.")
MISSING_FILE = _("Bitte laden Sie die Datei als PDF hoch; wir brauchen sie zum Einreichen.")
MISSING_CONSENT = _(
    "Ohne Ihre Einwilligung können wir Ihre Bewerbung nicht bearbeiten. Bitte setzen Sie "
    "das Häkchen, um einzureichen."
)


class ApplicationForm(RequiredMarksMixin, forms.ModelForm):
    """The fields both roles share; a draft may be saved with any of them still empty.

    ``required_to_submit`` are the answers a submission needs: the fields of
    ``services.missing_for_submission``, which checks them again on submission. They carry
    the * mark; the view names the missing ones at their fields
    (``missing_for_submission``).
    """

    required_to_submit = ("organisation", "department", "position_title", "motivation", "consent")

    consent = forms.BooleanField(
        label=_(
            "Ich willige ein, dass meine Angaben und Unterlagen für die Auswahl und "
            "Durchführung des Mentorings verarbeitet werden."
        ),
        required=False,
    )
    # Only in programmes whose partners are companies (Programme.transfer_consent_required):
    # optional for submission, but nobody without it is matched.
    transfer_consent = forms.BooleanField(
        label=_(
            "Ich willige ein, dass meine Angaben zur Bildung des Tandems an die "
            "Partnerorganisation meiner künftigen Tandempartnerin bzw. meines künftigen "
            "Tandempartners weitergegeben werden. Ohne diese Einwilligung kann ich keinem "
            "Tandem zugeordnet werden."
        ),
        required=False,
    )
    # Optional, and hers rather than the application's: a Consent row, recorded by the
    # service (application_save_answers), not by this form; shown ticked while in force.
    keep_for_later = forms.BooleanField(
        label=_(
            "Freiwillig: Werde ich nicht ausgewählt, darf meine Bewerbung für einen späteren "
            "Jahrgang aufbewahrt werden."
        ),
        help_text=_(
            "Sonst wird sie nach Ablauf der Aufbewahrungsfrist gelöscht. Sie können die "
            "Einwilligung jederzeit unter „Meine Einwilligungen“ widerrufen."
        ),
        required=False,
    )

    common_fields = [
        "phone",
        "organisation",
        "department",
        "position_title",
        "topics",
        "topics_other",
        "motivation",
    ]

    def __init__(self, *args, cohort, **kwargs):
        super().__init__(*args, **kwargs)
        self.cohort = cohort
        self.fields["organisation"].queryset = cohort.organisations.order_by("name")
        self.fields["organisation"].empty_label = _("– bitte wählen –")
        self.fields["topics"].queryset = Topic.objects.filter(programme_id=cohort.programme_id)
        for name in ("wished_organisations", "avoided_organisations"):
            if name in self.fields:
                self.fields[name].queryset = self.fields["organisation"].queryset
        self.fields["consent"].initial = self.instance.consent_at is not None
        # For the error summary, where the whole sentence would be too long.
        self.fields["consent"].short_label = _("Einwilligung in die Datenverarbeitung")
        if cohort.programme.transfer_consent_required:
            self.fields["transfer_consent"].initial = self.instance.transfer_consent_at is not None
        else:
            del self.fields["transfer_consent"]
        self.fields["keep_for_later"].initial = has_active_consent(
            self.instance.applicant_id, ConsentKind.KEEP_FOR_LATER
        )
        departments = self._departments_offered()
        if departments:
            self.fields["department"].widget = forms.Select(
                choices=[("", _("– bitte wählen –")), *((name, name) for name in departments)]
            )

    def _departments_offered(self):
        """The department list of the organisation chosen (or saved, or the cohort's only one).

        Without a list the department stays free text; ``clean`` checks the value against
        the list of the organisation actually submitted.
        """
        organisations = self.fields["organisation"].queryset
        chosen = self.data.get(self.add_prefix("organisation")) if self.is_bound else None
        if chosen:
            try:
                organisation = self.fields["organisation"].clean(chosen)
            except forms.ValidationError:
                organisation = None
        elif not self.is_bound and self.instance.organisation_id:
            organisation = self.instance.organisation
        else:
            only = list(organisations[:2])
            organisation = only[0] if len(only) == 1 else None
        return organisation.department_list if organisation is not None else []

    def clean(self):
        cleaned = super().clean()
        organisation, department = cleaned.get("organisation"), cleaned.get("department")
        if organisation is not None and department:
            departments = organisation.department_list
            if departments and department not in departments:
                self.add_error(
                    "department",
                    _(
                        "Bitte wählen Sie Ihren Fachbereich bzw. Ihr Amt aus der Liste Ihrer "
                        "Organisation."
                    ),
                )
        return cleaned

    def save(self, commit=True):
        application = super().save(commit=False)
        if self.cleaned_data.get("consent"):
            application.consent_at = application.consent_at or timezone.now()
        else:
            application.consent_at = None
        if "transfer_consent" in self.fields:
            if self.cleaned_data.get("transfer_consent"):
                application.transfer_consent_at = application.transfer_consent_at or timezone.now()
            else:
                application.transfer_consent_at = None
        if commit:
            if application._state.adding:
                application.save()
            else:
                # Only this form's own columns: a stale instance never writes back the
                # state (or anything else) that a service changed in the meantime.
                application.save(update_fields=self.answer_fields())
            self.save_m2m()
        return application

    def missing_for_submission(self):
        """What a submission still lacks: {field name: German message}, after ``is_valid()``."""
        missing = {}
        for name in self.required_to_submit:
            field = self.fields.get(name)
            if field is None:
                continue
            value = self.cleaned_data.get(name)
            if isinstance(field, forms.BooleanField):
                if not value:
                    missing[name] = MISSING_CONSENT
            elif isinstance(field, forms.FileField):
                if not value:
                    missing[name] = MISSING_FILE
            elif value is None or value == "":
                choice = isinstance(field.widget, (forms.Select, forms.RadioSelect))
                missing[name] = MISSING_CHOICE if choice else MISSING_TEXT
        return missing

    def kept_uploads(self):
        """Her new uploads that passed their checks, by field name, whatever else failed."""
        return {
            name: upload
            for name in MENTEE_DOCUMENTS
            if name in self.fields
            and name not in self.errors
            and isinstance(upload := self.cleaned_data.get(name), UploadedFile)
        }

    def save_uploads(self):
        """Stores only the new uploads that passed their checks (``kept_uploads``).

        For a form that failed: the browser cannot send a file again, so a valid CV or
        letter goes to the draft, under the same checks and the same private storage as
        with a successful save.
        """
        kept = self.kept_uploads()
        for name, upload in kept.items():
            setattr(self.instance, name, upload)
        self.instance.save(update_fields=[*kept, "updated_at"])

    def answer_fields(self):
        """The columns this form writes: the applicant's answers and consents, never a state."""
        columns = {field.name for field in Application._meta.concrete_fields}
        names = [name for name in self.fields if name in columns]
        names.append("consent_at")
        if "transfer_consent" in self.fields:
            names.append("transfer_consent_at")
        return [*names, "updated_at"]


class MenteeApplicationForm(ApplicationForm):
    required_to_submit = (*ApplicationForm.required_to_submit, *MENTEE_FACTS, *MENTEE_DOCUMENTS)
    permanent = PermanentField(label=_("Beschäftigungsverhältnis"), required=False)
    wished_organisation_kinds = forms.MultipleChoiceField(
        label=_("Aus welcher Art von Organisation wünschen Sie sich Ihre Mentor:in?"),
        choices=OrganisationKind.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    # Longer than the stored grade: people type the scale too ("EG 9c"); clean() strips it.
    pay_grade = forms.CharField(
        label=_("Besoldungs- / Entgeltgruppe"),
        max_length=12,
        required=False,
        help_text=_("Nur die Gruppe, z. B. 11 (für A 11) oder 9c (für EG 9c)."),
    )

    class Meta:
        model = Application
        fields = [
            *ApplicationForm.common_fields,
            *MENTEE_FACTS,
            *MENTEE_DOCUMENTS,
            "supervisor_email",
            "wished_organisation_kinds",
            "wished_organisations",
            "avoided_organisations",
        ]
        widgets = {
            "service_start": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "topics": forms.CheckboxSelectMultiple,
            "motivation": forms.Textarea(attrs={"rows": 8}),
            "topics_other": forms.Textarea(attrs={"rows": 3}),
            "wished_organisations": forms.CheckboxSelectMultiple,
            "avoided_organisations": forms.CheckboxSelectMultiple,
            "employment_status": forms.RadioSelect,
            "working_hours": forms.RadioSelect,
            "cv": forms.FileInput(attrs={"accept": "application/pdf"}),
            "letter": forms.FileInput(attrs={"accept": "application/pdf"}),
        }
        help_texts = {
            "service_start": _("Beginn Ihrer Tätigkeit in einer Kommunalverwaltung."),
            "supervisor_email": _(
                "Wir verwenden sie nur, damit Sie nie Ihrer eigenen Vorgesetzten bzw. Ihrem "
                "eigenen Vorgesetzten als Mentee zugeordnet werden."
            ),
        }

    def __init__(self, *args, cohort, **kwargs):
        super().__init__(*args, cohort=cohort, **kwargs)
        # Only internal programmes match within one administration, where she could
        # otherwise meet her own line manager as mentor.
        if not cohort.programme.is_internal:
            del self.fields["supervisor_email"]

    def clean_supervisor_email(self):
        email = self.cleaned_data.get("supervisor_email", "")
        applicant = self.instance.applicant if self.instance.applicant_id else None
        if email and applicant is not None and email.casefold() == applicant.email.casefold():
            raise forms.ValidationError(
                _("Bitte geben Sie die Adresse Ihrer Vorgesetzten an, nicht Ihre eigene.")
            )
        return email

    def clean_cv(self):
        upload = self.cleaned_data.get("cv")
        return validate_pdf(upload) if upload and upload != self.instance.cv else upload

    def clean_letter(self):
        upload = self.cleaned_data.get("letter")
        return validate_pdf(upload) if upload and upload != self.instance.letter else upload

    def clean_service_start(self):
        start = self.cleaned_data.get("service_start")
        if start and start > timezone.localdate():
            raise forms.ValidationError(_("Das Datum liegt in der Zukunft."))
        return start

    def clean(self):
        cleaned = super().clean()
        both = set(cleaned.get("wished_organisations") or ()) & set(
            cleaned.get("avoided_organisations") or ()
        )
        if both:
            self.add_error(
                "avoided_organisations",
                _("%(names)s kann nicht zugleich gewünscht und ausgeschlossen sein.")
                % {"names": ", ".join(sorted(str(o) for o in both))},
            )
        status, scale = cleaned.get("employment_status"), cleaned.get("pay_scale")
        grade = (cleaned.get("pay_grade") or "").strip()
        if status and scale and scale not in PayScale.for_status(status):
            self.add_error(
                "pay_scale",
                _(
                    "Beamtinnen und Beamte werden nach A oder B besoldet, Tarifbeschäftigte "
                    "nach EG oder S."
                )
                if status == EmploymentStatus.CIVIL_SERVANT
                else _("Tarifbeschäftigte werden nach EG oder S bezahlt, nicht nach A oder B."),
            )
        if grade and not scale:
            self.add_error("pay_scale", _("Bitte wählen Sie die Besoldungs- oder Entgeltordnung."))
        elif grade:
            # People type "A 11" or "EG 9c" as often as "11" or "9c".
            if grade.upper().startswith(scale):
                grade = grade[len(scale) :]
            try:
                cleaned["pay_grade"] = paygrades.normalise_grade(scale, grade)
            except paygrades.UnknownGrade as error:
                self.add_error("pay_grade", grade_error(error))
        return cleaned


class MentorApplicationForm(ApplicationForm):
    required_to_submit = (*ApplicationForm.required_to_submit, *MENTOR_FACTS)

    class Meta:
        model = Application
        fields = [*ApplicationForm.common_fields, *MENTOR_FACTS, "capacity"]
        widgets = {
            "topics": forms.CheckboxSelectMultiple,
            "motivation": forms.Textarea(attrs={"rows": 8}),
            "topics_other": forms.Textarea(attrs={"rows": 3}),
        }
        labels = {"topics": _("Themen, die Sie anbieten können")}
        help_texts = {"capacity": _("Meist eine Mentee; höchstens fünf.")}


class WithdrawForm(forms.Form):
    """The applicant's optional reason for withdrawing her application."""

    reason = forms.CharField(
        label=_("Grund (freiwillig)"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        required=False,
        help_text=_(
            "Sie müssen keinen Grund angeben. Ihre Angabe wird mit der Bewerbung gespeichert."
        ),
    )


SCORE_CHOICES = [(value, str(value)) for value in range(1, 6)]


class ReviewForm(forms.Form):
    """A Beirat member's scores (1 = schwach … 5 = sehr überzeugend) and comment."""

    comment = forms.CharField(
        label=_("Kommentar"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )

    def __init__(self, *args, criteria, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        for criterion in self.criteria:
            self.fields[f"score_{criterion.pk}"] = forms.TypedChoiceField(
                label=criterion.name,
                choices=SCORE_CHOICES,
                coerce=int,
                widget=forms.RadioSelect,
                help_text=_("1 = schwach … 5 = sehr überzeugend"),
            )
        self.order_fields([f"score_{criterion.pk}" for criterion in self.criteria] + ["comment"])

    @property
    def scores(self):
        return {
            criterion.pk: self.cleaned_data[f"score_{criterion.pk}"] for criterion in self.criteria
        }


class RequestChangesForm(forms.Form):
    note = forms.CharField(
        label=_("Was soll die Bewerberin ergänzen oder korrigieren?"),
        widget=forms.Textarea(attrs={"rows": 5}),
    )


class InterviewForm(forms.Form):
    at = forms.DateTimeField(
        label=_("Termin"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%d.%m.%Y %H:%M"],
    )
    place = forms.CharField(label=_("Ort"), max_length=200)


class OverrideForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Ergebnis"), choices=EligibilityOutcome.choices)
    reason = forms.CharField(label=_("Begründung"), widget=forms.Textarea(attrs={"rows": 4}))


class NominationForm(forms.Form):
    """An officer proposes a mentor from her own administration."""

    cohort = forms.ModelChoiceField(label=_("Jahrgang"), queryset=None)
    organisation = forms.ModelChoiceField(label=_("Verwaltung"), queryset=None)
    first_name = forms.CharField(label=_("Vorname"), max_length=150)
    last_name = forms.CharField(label=_("Nachname"), max_length=150)
    email = forms.EmailField(label=_("E-Mail-Adresse"))
    position_title = forms.CharField(label=_("Funktion"), max_length=200, required=False)

    def __init__(self, *args, cohorts, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cohort"].queryset = cohorts
        self.fields["organisation"].queryset = organisations


# Career steps: her follow-up answer and an officer's entry share these checks -------------

PAY_GRADE_HELP = _("Mit der Ordnung, z. B. A 11, EG 9c oder S 12.")


class PayGradeField(forms.CharField):
    """A pay grade on the product's own scale (``paygrades``), typed as people write it
    ("a11", "EG 9C"); cleans to its canonical spelling ("A 11", "EG 9c"), or to ""."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 12)
        kwargs.setdefault("required", False)
        kwargs.setdefault("help_text", PAY_GRADE_HELP)
        super().__init__(**kwargs)

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return ""
        try:
            return paygrades.display(*paygrades.parse(value))
        except paygrades.UnknownGrade as error:
            raise forms.ValidationError(grade_error(error)) from error


def check_pay_grades(form, *, promotion):
    """Adds errors at the pay-grade fields of ``form`` (after field cleaning).

    The grades belong to a promotion (``promotion``: whether one is recorded); the new one
    is needed once the old one is given, and ranks above it where both are on one ladder (a
    move from the TVöD to civil servants' pay has no order).
    """
    if form.has_error("pay_grade_from") or form.has_error("pay_grade_to"):
        return  # a grade that does not exist says so at its field; nothing more to add
    cleaned = form.cleaned_data
    before, after = cleaned.get("pay_grade_from"), cleaned.get("pay_grade_to")
    if not (before or after):
        return
    if not promotion:
        form.add_error(
            "pay_grade_to" if after else "pay_grade_from",
            _(
                "Besoldungs- und Entgeltgruppen gehören zu einer Beförderung oder "
                "Höhergruppierung. Bitte wählen Sie diese mit aus oder lassen Sie die Felder leer."
            ),
        )
        return
    if before and not after:
        form.add_error("pay_grade_to", _("Bitte geben Sie auch die neue Gruppe an."))
        return
    if before and paygrades.higher(*paygrades.parse(before), *paygrades.parse(after)) is False:
        form.add_error(
            "pay_grade_to",
            _("Die neue Gruppe (%(after)s) muss über der bisherigen (%(before)s) liegen.")
            % {"after": after, "before": before},
        )


class MonthInput(forms.DateInput):
    input_type = "month"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m")


class FollowUpForm(RequiredMarksMixin, forms.Form):
    """Her answer to a wave of the follow-up questions: what changed, and optional details.

    ``steps`` are ``CareerStepKind`` values; "nothing changed" stands alone. ``month`` is
    the first day of the month it happened (by default this month's).
    """

    steps = forms.MultipleChoiceField(
        label=_("Was hat sich beruflich für Sie verändert?"),
        choices=CareerStepKind.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Mehrere Antworten sind möglich."),
        error_messages={"required": _("Bitte wählen Sie mindestens eine Antwort.")},
    )
    month = forms.DateField(
        label=_("Seit wann? (Monat und Jahr, freiwillig)"),
        required=False,
        widget=MonthInput(),
        input_formats=["%Y-%m", "%m.%Y", "%m/%Y", "%d.%m.%Y", "%Y-%m-%d"],
        help_text=_("Zum Beispiel 2026-05 oder 05.2026. Ohne Angabe zählt der laufende Monat."),
        error_messages={
            "invalid": _("Bitte geben Sie Monat und Jahr an, z. B. 2026-05 oder 05.2026.")
        },
    )
    pay_grade_from = PayGradeField(label=_("Bisherige Besoldungs- / Entgeltgruppe (freiwillig)"))
    pay_grade_to = PayGradeField(label=_("Neue Besoldungs- / Entgeltgruppe (freiwillig)"))
    note = forms.CharField(
        label=_("Anmerkung (freiwillig)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=300,
        required=False,
        help_text=_("Zum Beispiel die neue Funktion. Bitte keine Namen anderer Personen."),
    )

    def __init__(self, *args, today, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        self.fields["month"].initial = today.replace(day=1)

    def clean_steps(self):
        steps = self.cleaned_data["steps"]
        if CareerStepKind.NONE in steps and len(steps) > 1:
            raise forms.ValidationError(
                _("„%(none)s“ passt nicht zu einer Veränderung. Bitte wählen Sie eines von beiden.")
                % {"none": CareerStepKind.NONE.label}
            )
        return [CareerStepKind(step) for step in steps]

    def clean_month(self):
        month = self.cleaned_data.get("month") or self.today
        if month.replace(day=1) > self.today.replace(day=1):
            raise forms.ValidationError(
                _("Bitte wählen Sie einen Monat bis einschließlich des laufenden.")
            )
        return month.replace(day=1)

    def clean(self):
        cleaned = super().clean()
        if "steps" in cleaned:
            check_pay_grades(self, promotion=CareerStepKind.PROMOTION in cleaned["steps"])
        return cleaned
