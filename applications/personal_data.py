"""Her applications, career steps, follow-up answers and who opened her documents, for her
data export.

See ``mentoring.export``. Nine queries, however many applications she has. Hers, and
so in here: every answer she gave, her documents, the states her application went
through (with her own notes, e.g. why she withdrew), the eligibility check computed
from her answers, the interview she was invited to, the correction asked of her, and a
decision once it is released to her, with its reason. Not in here: the Beirat's reviews,
scores and comments, a decision recorded but not yet released, and an officer's
override of the eligibility check with its justification (the Beirat's deliberation;
its outcome reaches her as the released decision), nor who moved her application on.
"""

from django.db.models import Prefetch
from django.utils.translation import gettext as _

from cohorts.enums import OrganisationKind
from mentoring.export import Attachment, Facts, Section, Table, file_path

from .eligibility_display import report_rows
from .enums import (
    ApplicationLogAction,
    ApplicationRole,
    ApplicationState,
    CareerStepKind,
    EligibilityOutcome,
)
from .models import Application, ApplicationLog

# Her answers, as she gave them (the form's fields besides topics, wishes and files).
ANSWERS = (
    "phone",
    "department",
    "supervisor_email",
    "position_title",
    "employment_status",
    "qualification",
    "pay_scale",
    "pay_grade",
    "permanent",
    "service_start",
    "working_hours",
    "leadership_level",
    "leadership_years",
    "staff_count",
    "capacity",
    "topics_other",
    "motivation",
    "consent_at",
    "transfer_consent_at",
)
FILE_NAMES = {"cv": "lebenslauf", "letter": "motivationsanschreiben"}


def _applications(user):
    return list(
        Application.objects.filter(applicant=user)
        .select_related("cohort__programme", "organisation")
        .prefetch_related(
            "topics",
            "wished_organisations",
            "avoided_organisations",
            "career_steps",
            "follow_up_answers__steps",
            "file_accesses",
            Prefetch(
                "log",
                queryset=ApplicationLog.objects.filter(
                    action=ApplicationLogAction.TRANSITION
                ).order_by("created_at", "pk"),
                to_attr="transitions",
            ),
        )
        .order_by("created_at", "pk")
    )


def _title(application):
    cohort = application.cohort
    return f"{application.get_role_display()} – {cohort.programme.name}, {cohort.display_title}"


def _shown(application, name):
    """A field's value as the overview shows it: the label of a choice, else the value."""
    field = Application._meta.get_field(name)
    value = getattr(application, name)
    if field.choices and value not in (None, ""):
        return getattr(application, f"get_{name}_display")()
    return value


def _released_decision(application):
    """The decision as released to her, or None while nothing was released.

    Decided states are final and are reached only by the release (``cohort_release_
    decisions``), so ``decision_reason`` is then the reason she was sent, never a newer
    one still pending.
    """
    if application.state not in ApplicationState.decided() or not application.decision_released_at:
        return None
    return {
        "outcome": application.state,
        "reason": application.decision_reason,
        "released_at": application.decision_released_at,
    }


def _eligibility(application):
    report = application.eligibility_report or {}
    if not application.eligibility_outcome:
        return None
    # In the language she reads the export in (``eligibility_display``).
    return {"outcome": application.eligibility_outcome, "results": report_rows(report)}


def _files(application):
    return {
        kind: file_path(f"bewerbung-{application.pk}-{name}.pdf")
        for kind, name in FILE_NAMES.items()
        if getattr(application, kind)
    }


def _history(application, user):
    return [
        {
            "at": entry.created_at,
            "from_state": entry.from_state,
            "to_state": entry.to_state,
            # Only what she wrote herself; officers' notes are their working notes.
            "note": entry.note if entry.actor_id == user.pk else "",
        }
        for entry in application.transitions
    ]


def _application_data(application, user):
    files = _files(application)
    return {
        "id": application.pk,
        "programme": application.cohort.programme.name,
        "cohort": application.cohort.number,
        "cohort_title": str(application.cohort.display_title),
        "role": application.role,
        "state": application.state,
        "nominated": application.nominated_by_id is not None,
        "created_at": application.created_at,
        "updated_at": application.updated_at,
        "submitted_at": application.submitted_at,
        "organisation": application.organisation.name if application.organisation else None,
        **{name: getattr(application, name) for name in ANSWERS},
        "topics": [topic.name for topic in application.topics.all()],
        "wished_organisation_kinds": list(application.wished_organisation_kinds or []),
        "wished_organisations": [org.name for org in application.wished_organisations.all()],
        "avoided_organisations": [org.name for org in application.avoided_organisations.all()],
        "cv_file": files.get("cv"),
        "letter_file": files.get("letter"),
        "eligibility": _eligibility(application),
        "interview_at": application.interview_at,
        "interview_place": application.interview_place,
        "changes_requested_note": application.changes_requested_note,
        "decision": _released_decision(application),
        "history": _history(application, user),
    }


def _kind_labels(kinds):
    labels = dict(OrganisationKind.choices)
    return [str(labels.get(kind, kind)) for kind in kinds]


def _application_parts(application, data):
    # Where the form's label needs the form around it to be clear.
    labels = {"employment_status": _("Beschäftigtenstatus")}
    items = [
        (_("Programm"), data["programme"]),
        (_("Jahrgang"), data["cohort_title"]),
        (_("Rolle"), application.get_role_display()),
        (_("Stand"), application.get_state_display()),
        (_("angelegt am"), application.created_at),
        (_("eingereicht am"), application.submitted_at),
        (_("Verwaltung"), data["organisation"]),
        *(
            (
                labels.get(name) or Application._meta.get_field(name).verbose_name,
                _shown(application, name),
            )
            for name in ANSWERS
            if name != "capacity" or application.role == ApplicationRole.MENTOR
        ),
        (_("Themen"), data["topics"]),
        (
            Application._meta.get_field("wished_organisation_kinds").verbose_name,
            _kind_labels(data["wished_organisation_kinds"]),
        ),
        (_("Mentor:in am liebsten aus"), data["wished_organisations"]),
        (_("Mentor:in bitte nicht aus"), data["avoided_organisations"]),
        (_("Lebenslauf"), data["cv_file"]),
        (_("Motivationsanschreiben"), data["letter_file"]),
        (_("Auswahlgespräch am"), application.interview_at),
        (_("Ort des Auswahlgesprächs"), application.interview_place),
        (_("erbetene Korrektur"), application.changes_requested_note),
    ]
    decision = data["decision"]
    if decision:
        items += [
            (_("Entscheidung"), application.get_state_display()),
            (_("Begründung der Entscheidung"), decision["reason"]),
            (_("Entscheidung mitgeteilt am"), decision["released_at"]),
        ]
    # Leave out what does not apply to her (a mentee has no staff count): "–" everywhere
    # would bury what she did write. daten.json keeps every key.
    items = [(label, value) for label, value in items if value not in (None, "", [])]
    parts = [Facts(_title(application), tuple(items))]
    eligibility = data["eligibility"]
    if eligibility:
        outcomes = dict(EligibilityOutcome.choices)
        parts.append(
            Table(
                _("Prüfung der Voraussetzungen (%(outcome)s)")
                % {"outcome": outcomes.get(eligibility["outcome"], eligibility["outcome"])},
                (_("Voraussetzung"), _("Ergebnis"), _("Begründung")),
                tuple(
                    (
                        result["label"],
                        outcomes.get(result["outcome"], result["outcome"]),
                        result["reason"],
                    )
                    for result in eligibility["results"]
                ),
            )
        )
    states = dict(ApplicationState.choices)
    parts.append(
        Table(
            _("Verlauf"),
            (_("Datum"), _("von"), _("nach"), _("Ihre Notiz")),
            tuple(
                (
                    entry["at"],
                    states.get(entry["from_state"], entry["from_state"]),
                    states.get(entry["to_state"], entry["to_state"]),
                    entry["note"],
                )
                for entry in data["history"]
            ),
        )
    )
    return parts


def _career_steps(applications):
    steps = [
        (application, step)
        for application in applications
        for step in application.career_steps.all()
    ]
    data = [
        {
            "application": application.pk,
            "kind": step.kind,
            "date": step.date,
            "pay_grade_from": step.pay_grade_from,
            "pay_grade_to": step.pay_grade_to,
            "source": step.source,
            "note": step.note,
            "created_at": step.created_at,
        }
        for application, step in steps
    ]
    table = Table(
        _("Ihre Karriereschritte"),
        (_("am"), _("Art"), _("von"), _("nach"), _("Quelle"), _("Notiz"), _("Bewerbung")),
        tuple(
            (
                step.date,
                step.get_kind_display(),
                step.pay_grade_from,
                step.pay_grade_to,
                step.get_source_display(),
                step.note,
                _title(application),
            )
            for application, step in steps
        ),
    )
    return Section(
        key="career_steps", title=_("Karriereschritte"), data=data, parts=(table,), order=40
    )


def _follow_up_answers(applications):
    answers = sorted(
        (
            (application, answer)
            for application in applications
            for answer in application.follow_up_answers.all()
        ),
        key=lambda pair: (pair[1].answered_at, pair[1].pk),
    )
    kinds = dict(CareerStepKind.choices)
    data = [
        {
            "application": application.pk,
            "wave": answer.wave,
            "answered_at": answer.answered_at,
            "steps": sorted(step.kind for step in answer.steps.all()),
        }
        for application, answer in answers
    ]
    table = Table(
        _("Ihre Antworten auf die Nachbefragungen"),
        (_("beantwortet am"), _("Nachbefragung"), _("Ihre Antwort"), _("Bewerbung")),
        tuple(
            (
                answer.answered_at,
                answer.get_wave_display(),
                ", ".join(str(kinds.get(kind, kind)) for kind in entry["steps"]),
                _title(application),
            )
            for (application, answer), entry in zip(answers, data, strict=True)
        ),
    )
    return Section(
        key="follow_up_answers",
        title=_("Nachbefragungen zum beruflichen Werdegang"),
        data=data,
        parts=(table,),
        note=_("Die Einzelheiten Ihrer Antworten stehen bei Ihren Karriereschritten."),
        order=42,
    )


def _file_accesses(applications):
    accesses = sorted(
        (
            (application, access)
            for application in applications
            for access in application.file_accesses.all()
        ),
        key=lambda pair: (pair[1].accessed_at, pair[1].pk),
    )
    data = [
        {
            "application": application.pk,
            "document": access.document,
            "opened_by": access.user_name,
            "opened_at": access.accessed_at,
        }
        for application, access in accesses
    ]
    table = Table(
        _("Wer hat Ihre Unterlagen geöffnet"),
        (_("Geöffnet am"), _("von"), _("Dokument"), _("Bewerbung")),
        tuple(
            (
                access.accessed_at,
                access.user_name,
                access.get_document_display(),
                _title(application),
            )
            for application, access in accesses
        ),
        empty=_("Bisher hat niemand außer Ihnen Ihre Unterlagen geöffnet."),
    )
    return Section(
        key="document_access_log",
        title=_("Zugriffe auf Ihre Unterlagen"),
        data=data,
        parts=(table,),
        note=_("Ihre eigenen Aufrufe werden nicht festgehalten."),
        order=45,
    )


def personal_data(*, user):
    applications = _applications(user)
    data, parts, files = [], [], []
    for application in applications:
        entry = _application_data(application, user)
        data.append(entry)
        parts += _application_parts(application, entry)
        for kind in FILE_NAMES:
            if entry[f"{kind}_file"]:
                files.append(Attachment(entry[f"{kind}_file"], getattr(application, kind)))
    return [
        Section(
            key="applications",
            title=_("Bewerbungen"),
            data=data,
            parts=tuple(parts),
            files=tuple(files),
            note=_(
                "Nicht enthalten: Bewertungen und Kommentare des Mentoringbeirats, noch nicht "
                "mitgeteilte Entscheidungen und die Begründung einer abweichenden Prüfung der "
                "Voraussetzungen."
            ),
            order=20,
        ),
        _career_steps(applications),
        _follow_up_answers(applications),
        _file_accesses(applications),
    ]
