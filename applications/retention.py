"""Retention and erasure of applications (see ``mentoring.retention`` for the runner).

The rules, each counted in the programme's months (``Programme.retention_*``):

- Applications that were not selected (rejected, waitlisted) or were withdrawn are
  anonymised ``retention_unselected_months`` after the decision (AGG § 15 Abs. 4,
  ArbGG § 61b: by then no claim can be raised). The decision is the day it was released
  to her; a waiting list is counted from the cohort's start if that is later, since until
  then she may still move up; a withdrawal from the day she withdrew. Kept while she has
  an active consent to be kept for a later cohort or to follow-up questions.
- Drafts that were never submitted are deleted ``retention_drafts_months`` after the
  cohort's deadline.

Anonymised, not deleted: cohort reports count applications ("22 applications for 5
places", seats per administration, "8 of 15 promoted"), and those numbers must not change
when the people behind them are erased. An anonymised application keeps its cohort, role,
state, organisation, eligibility outcome, dates of submission and decision, and its
career steps' kinds and dates; everything else is blanked, its files, reviews and file
access log are deleted, the notes in its log and career steps are emptied, and it is
moved to a placeholder account of its own (``mentoring.retention.placeholders``), so that
nothing leads from it to her. A draft was never part of any count and is deleted.
"""

from collections import Counter

from django.db import transaction
from django.db.models import (
    Case,
    Count,
    DateField,
    DateTimeField,
    Exists,
    F,
    OuterRef,
    Q,
    Subquery,
    When,
)
from django.db.models.functions import Coalesce, Greatest, TruncDate
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cohorts.retention import erased_per_cohort, pending_per_cohort
from mentoring.enums import ConsentKind
from mentoring.models import Consent
from mentoring.retention import AddMonths, Line, erased_users, placeholders

from .enums import ApplicationLogAction, ApplicationState
from .models import Application, ApplicationLog, CareerStep, FileAccess, Review

KINDS = {
    "application": gettext_lazy("Bewerbungen (anonymisiert)"),
    "draft": gettext_lazy("nie eingereichte Entwürfe"),
}

UNSELECTED = (ApplicationState.REJECTED, ApplicationState.WAITLISTED, ApplicationState.WITHDRAWN)
# Consents that keep a not-selected application (``ConsentKind``).
KEEPING_CONSENTS = (ConsentKind.KEEP_FOR_LATER, ConsentKind.FOLLOW_UP)
# An erasure on request while she is still in the running counts as her withdrawal.
OPEN = frozenset({*ApplicationState.under_review(), ApplicationState.CHANGES_REQUESTED})

# What anonymising sets; what is not named here is kept (see the module's docstring).
BLANK = {
    "nominated_by": None,
    "phone": "",
    "department": "",
    "supervisor_email": "",
    "position_title": "",
    "employment_status": "",
    "qualification": "",
    "pay_scale": "",
    "pay_grade": "",
    "permanent": None,
    "service_start": None,
    "working_hours": "",
    "leadership_level": "",
    "leadership_years": None,
    "staff_count": None,
    "topics_other": "",
    "motivation": "",
    "cv": "",
    "letter": "",
    "consent_at": None,
    "transfer_consent_at": None,
    "eligibility_override_reason": "",
    "eligibility_override_by": None,
    "eligibility_override_at": None,
    "interview_at": None,
    "interview_place": "",
    "pending_decision": "",
    "decision_reason": "",
    "changes_requested_note": "",
}
BLANK_FACTORIES = {"wished_organisation_kinds": list, "eligibility_report": dict}


def unselected():
    """Not-selected and withdrawn applications that the rule may take, with ``due_on``."""
    withdrawn_at = Subquery(
        ApplicationLog.objects.filter(
            application=OuterRef("pk"), to_state=ApplicationState.WITHDRAWN
        )
        .order_by("-created_at")
        .values("created_at")[:1]
    )
    decided_at = Case(
        When(state=ApplicationState.WITHDRAWN, then=Coalesce(withdrawn_at, "updated_at")),
        default=Coalesce("decision_released_at", "updated_at"),
        output_field=DateTimeField(),
    )
    keeping = Consent.objects.filter(
        user=OuterRef("applicant"), withdrawn_at__isnull=True, kind__in=KEEPING_CONSENTS
    )
    return (
        Application.objects.filter(state__in=UNSELECTED)
        .exclude(erased_users("applicant__"))
        .exclude(Exists(keeping))
        .annotate(decided_on=TruncDate(decided_at))
        .annotate(
            counted_from=Case(
                When(
                    state=ApplicationState.WAITLISTED,
                    then=Greatest("decided_on", "cohort__start_date"),
                ),
                default=F("decided_on"),
                output_field=DateField(),
            )
        )
        .annotate(
            due_on=AddMonths("counted_from", "cohort__programme__retention_unselected_months")
        )
    )


def drafts():
    """Drafts never submitted, with ``due_on``: the deadline (in Berlin) plus the months."""
    return Application.objects.filter(state=ApplicationState.DRAFT).annotate(
        due_on=AddMonths(
            TruncDate("cohort__application_deadline"),
            "cohort__programme__retention_drafts_months",
        )
    )


def pending(*, until):
    return [
        *pending_per_cohort(unselected(), "application", until=until),
        *pending_per_cohort(drafts(), "draft", until=until),
    ]


def _locked(queryset, *, skip_locked=False):
    return list(
        queryset.select_related("cohort__programme").select_for_update(
            of=("self",), skip_locked=skip_locked
        )
    )


def anonymise(applications, *, leaving=frozenset(), actor=None):
    """Anonymises ``applications`` (locked rows) as the module's docstring says.

    Those whose keys are in ``leaving`` are withdrawn as well, with a log entry by
    ``actor``. Files are deleted once the transaction is committed. Returns a Counter of
    cohort titles.
    """
    if not applications:
        return Counter()
    ids = [application.pk for application in applications]
    files = [
        (stored.storage, stored.name)
        for application in applications
        for stored in (application.cv, application.letter)
        if stored
    ]
    withdrawals = []
    for application, person in zip(applications, placeholders(len(applications)), strict=True):
        if application.pk in leaving and application.state != ApplicationState.WITHDRAWN:
            withdrawals.append(
                ApplicationLog(
                    application=application,
                    actor=actor,
                    action=ApplicationLogAction.TRANSITION,
                    from_state=application.state,
                    to_state=ApplicationState.WITHDRAWN,
                )
            )
            application.state = ApplicationState.WITHDRAWN
        for field, value in BLANK.items():
            setattr(application, field, value)
        for field, factory in BLANK_FACTORIES.items():
            setattr(application, field, factory())
        application.applicant = person
    Application.objects.bulk_update(applications, [*BLANK, *BLANK_FACTORIES, "applicant", "state"])
    for relation in (
        Application.topics,
        Application.wished_organisations,
        Application.avoided_organisations,
    ):
        relation.through.objects.filter(application_id__in=ids).delete()
    Review.objects.filter(application_id__in=ids).delete()
    FileAccess.objects.filter(application_id__in=ids).delete()
    ApplicationLog.objects.filter(application_id__in=ids).exclude(note="").update(note="")
    CareerStep.objects.filter(application_id__in=ids).exclude(note="").update(note="")
    ApplicationLog.objects.bulk_create(withdrawals)
    for storage, name in files:
        transaction.on_commit(lambda storage=storage, name=name: storage.delete(name))
    return Counter(str(application.cohort) for application in applications)


def _delete(applications):
    """Deletes ``applications`` (locked rows); their files go after the commit."""
    Application.objects.filter(pk__in=[application.pk for application in applications]).delete()
    return Counter(str(application.cohort) for application in applications)


def erase_due(*, today):
    due = unselected().filter(due_on__lte=today)
    anonymised = anonymise(_locked(due, skip_locked=True))
    deleted = _delete(_locked(drafts().filter(due_on__lte=today), skip_locked=True))
    return [*erased_per_cohort("application", anonymised), *erased_per_cohort("draft", deleted)]


# Erasure on request ----------------------------------------------------------------------


def person_summary(*, user):
    counts = Application.objects.filter(applicant=user).aggregate(
        drafts=Count("pk", filter=Q(state=ApplicationState.DRAFT)),
        others=Count("pk", filter=~Q(state=ApplicationState.DRAFT)),
        files=Count("pk", filter=~Q(cv="")) + Count("pk", filter=~Q(letter="")),
    )
    reviews = Review.objects.filter(application__applicant=user).count()
    written = Review.objects.filter(reviewer=user).count()
    lines = [
        Line(
            _("Bewerbungen und Teilnahmen"),
            counts["others"],
            _(
                "werden anonymisiert: Jahrgang, Rolle, Status und Verwaltung bleiben für die "
                "Statistik, alles andere wird gelöscht. Eine laufende Bewerbung oder "
                "Teilnahme gilt als zurückgezogen."
            ),
        ),
        Line(_("Entwürfe"), counts["drafts"], _("werden gelöscht")),
        Line(_("Dateien (Lebenslauf, Anschreiben)"), counts["files"], _("werden gelöscht")),
        Line(_("Bewertungen ihrer Bewerbungen"), reviews, _("werden gelöscht")),
        Line(
            _("Von ihr geschriebene Bewertungen"),
            written,
            _("bleiben bei den Bewerbungen; ihr Konto wird anonymisiert statt gelöscht"),
        ),
    ]
    return [line for line in lines if line.count]


def erase_person(*, user, actor):
    today = timezone.localdate()
    mine = _locked(Application.objects.filter(applicant=user))
    drafts_ = [application for application in mine if application.state == ApplicationState.DRAFT]
    others = [application for application in mine if application.state != ApplicationState.DRAFT]
    leaving = {
        application.pk
        for application in others
        if application.state in OPEN
        or (application.state == ApplicationState.ACCEPTED and application.cohort.end_date >= today)
    }
    anonymised = anonymise(others, leaving=leaving, actor=actor)
    deleted = _delete(drafts_)
    return [*erased_per_cohort("application", anonymised), *erased_per_cohort("draft", deleted)]
