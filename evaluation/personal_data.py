"""Which surveys she answered and her requests for contact, for her data export (Art. 15 GDPR).

See ``mentoring.export``. Two queries, whatever she has. Her answers themselves are not in
it: they are stored without any link to her (``evaluation.models``), so nothing can find
them as hers, and the note says so. Who handled a request is the office's working note and
stays out; that and when it was handled are hers.
"""

from django.utils.translation import gettext as _

from mentoring.export import Section, Table

from .models import EarlyWarning, SurveyAnswered


def _cohort(survey):
    return f"{survey.cohort.programme.name}, {survey.cohort.display_title}"


def _name(user):
    """Whom she agreed may contact her; without a contact, the programme office reads it."""
    return user.get_full_name() if user is not None else _("Programmbüro")


def personal_data(*, user):
    answered = list(
        SurveyAnswered.objects.filter(user=user)
        .select_related("survey__cohort__programme")
        .order_by("survey__opens_on", "survey__pk")
    )
    warnings = list(
        EarlyWarning.objects.filter(user=user)
        .select_related("survey__cohort__programme", "contact")
        .order_by("created_at", "pk")
    )
    if not answered and not warnings:
        return []
    data = {
        "answered": [
            {
                "survey": entry.survey.kind,
                "programme": entry.survey.cohort.programme.name,
                "cohort": entry.survey.cohort.number,
                "open_from": entry.survey.opens_on,
                "open_until": entry.survey.closes_on,
            }
            for entry in answered
        ],
        "contact_requests": [
            {
                "survey": warning.survey.kind,
                "programme": warning.survey.cohort.programme.name,
                "cohort": warning.survey.cohort.number,
                "message": warning.message,
                "contact": _name(warning.contact),
                "created_at": warning.created_at,
                "handled_at": warning.handled_at,
            }
            for warning in warnings
        ],
    }
    parts = (
        Table(
            _("Befragungen, die Sie beantwortet haben"),
            (_("Befragung"), _("Jahrgang"), _("offen ab"), _("offen bis")),
            tuple(
                (
                    entry.survey.get_kind_display(),
                    _cohort(entry.survey),
                    entry.survey.opens_on,
                    entry.survey.closes_on,
                )
                for entry in answered
            ),
            empty=_("Sie haben keine Befragung beantwortet."),
        ),
        Table(
            _("Ihre Bitten um ein Gespräch"),
            (
                _("Befragung"),
                _("Jahrgang"),
                _("Ihre Nachricht"),
                _("Ansprechperson"),
                _("am"),
                _("erledigt am"),
            ),
            tuple(
                (
                    warning.survey.get_kind_display(),
                    _cohort(warning.survey),
                    warning.message,
                    _name(warning.contact),
                    warning.created_at,
                    warning.handled_at,
                )
                for warning in warnings
            ),
            empty=_("Sie haben um kein Gespräch gebeten."),
        ),
    )
    return [
        Section(
            key="surveys",
            title=_("Befragungen"),
            data=data,
            parts=parts,
            note=_(
                "Ihre Antworten selbst sind ohne Bezug zu Ihrer Person gespeichert: Nichts "
                "verbindet sie mit Ihnen, deshalb kann sie niemand als Ihre finden, auch wir "
                "nicht für diese Auskunft. Gespeichert ist nur, dass Sie geantwortet haben."
            ),
            order=70,
        )
    ]
