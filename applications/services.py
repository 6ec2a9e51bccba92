"""Every write that matters to an application: one function per transition.

Each function locks the application row (``select_for_update``), refuses a wrong source
state with an ``ApplicationError`` whose message is German and meant for the person who
clicked, writes an ``ApplicationLog`` entry, and queues mail only once the transaction
has committed.
"""

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from cohorts.models import CohortOrganisation
from cohorts.selectors import officer_organisation_ids
from mentoring import dates, outbox
from mentoring.consents import (
    ConsentError,
    consent_give,
    consent_withdraw,
    current_notice,
    has_active_consent,
)
from mentoring.enums import ConsentKind

from . import eligibility, follow_ups
from .enums import (
    APPLICATION_TRANSITIONS,
    ApplicationLogAction,
    ApplicationRole,
    ApplicationState,
    CareerStepKind,
    CareerStepSource,
    Decision,
    EligibilityOutcome,
    LeadershipLevel,
    PayScale,
)
from .mails import decision_kind
from .models import (
    MENTEE_DOCUMENTS,
    MENTEE_FACTS,
    MENTOR_FACTS,
    Application,
    ApplicationLog,
    CareerStep,
    EligibilityPolicy,
    FileAccess,
    FollowUpAnswer,
    Review,
)
from .selectors import decisions_to_release, takes_a_seat
from .tasks import send_application_mail


class ApplicationError(Exception):
    """A refused action; ``str(error)`` is the German message for the user.

    ``field`` names the form field the message belongs to, where there is one.
    """

    def __init__(self, message, *, field=None):
        super().__init__(message)
        self.field = field


BERLIN = ZoneInfo("Europe/Berlin")


def _locked(application):
    return (
        Application.objects.select_for_update(of=("self",))
        .select_related("cohort__programme", "applicant")
        .get(pk=application.pk)
    )


def _log(application, *, actor, action, from_state="", to_state="", note=""):
    ApplicationLog.objects.create(
        application=application,
        actor=actor,
        action=action,
        from_state=from_state,
        to_state=to_state,
        note=note,
    )


def _transition(application, *, actor, to_state, note="", **changes):
    """Moves ``application`` to ``to_state`` if ``APPLICATION_TRANSITIONS`` allows it; logs it."""
    if to_state not in APPLICATION_TRANSITIONS[application.state]:
        raise ApplicationError(
            _("Das ist im Status „%(state)s“ nicht möglich.")
            % {"state": application.get_state_display()}
        )
    from_state = application.state
    application.state = to_state
    for field, value in changes.items():
        setattr(application, field, value)
    application.save()
    _log(
        application,
        actor=actor,
        action=ApplicationLogAction.TRANSITION,
        from_state=from_state,
        to_state=to_state,
        note=note,
    )
    return application


def _queue_mail(application, kind):
    """Stores the mail's task with the caller's transaction; it goes out after the commit,
    or once Redis is reachable again (``mentoring.outbox``)."""
    outbox.enqueue(send_application_mail, application_id=application.pk, kind=kind)


# Eligibility -----------------------------------------------------------------------------


def policy_for(cohort):
    policy, _created = EligibilityPolicy.objects.get_or_create(cohort=cohort)
    return policy


def pure_policy(policy, *, participating_organisation_ids):
    accepted = set()
    if policy.accept_career_group_2:
        accepted.add("lg2")
    if policy.accept_employee_course_2:
        accepted.add("al2")
    return eligibility.Policy(
        qualifications=frozenset(accepted),
        manual_qualifications=frozenset({"degree"} if policy.degree_needs_check else set()),
        minimum_grades=(
            (PayScale.A.value, policy.minimum_grade_a),
            (PayScale.EG.value, policy.minimum_grade_eg),
            (PayScale.S.value, policy.minimum_grade_s),
        ),
        require_permanent=policy.require_permanent,
        minimum_service_months=policy.minimum_service_months,
        participating_organisation_ids=frozenset(participating_organisation_ids),
        cohort_start=policy.cohort.start_date,
        minimum_leadership_years=policy.minimum_leadership_years,
        mentor_levels=_known_levels(policy.mentor_levels),
    )


def _known_levels(levels):
    """The policy's mentor levels that exist; anything else in the JSON is ignored."""
    if not isinstance(levels, list):
        return frozenset()
    return frozenset(
        level for level in levels if isinstance(level, str) and level in LeadershipLevel.values
    )


def _report_for(application, policy):
    if application.role == ApplicationRole.MENTOR:
        facts = eligibility.MentorFacts(
            organisation_id=application.organisation_id,
            leadership_years=application.leadership_years,
            staff_count=application.staff_count,
            leadership_level=application.leadership_level or None,
        )
        return eligibility.check_mentor(facts, policy)
    facts = eligibility.MenteeFacts(
        organisation_id=application.organisation_id,
        qualification=application.qualification or None,
        pay_scale=application.pay_scale or None,
        pay_grade=application.pay_grade or None,
        permanent=application.permanent,
        service_start=application.service_start,
    )
    return eligibility.check_mentee(facts, policy)


def _participating_ids(cohort):
    return set(cohort.participations.values_list("organisation_id", flat=True))


def application_check_eligibility(*, application, policy=None):
    """Computes and stores the eligibility report; returns it. Changes no state."""
    policy = policy or pure_policy(
        policy_for(application.cohort),
        participating_organisation_ids=_participating_ids(application.cohort),
    )
    report = _report_for(application, policy)
    application.eligibility_report = report.as_dict()
    application.eligibility_outcome = report.overall.value
    application.save(update_fields=["eligibility_report", "eligibility_outcome", "updated_at"])
    return report


def cohort_recheck_eligibility(*, cohort):
    """Recomputes every submitted application of ``cohort`` after its policy changed."""
    policy = pure_policy(
        policy_for(cohort), participating_organisation_ids=_participating_ids(cohort)
    )
    submitted = Application.objects.filter(cohort=cohort).exclude(state=ApplicationState.DRAFT)
    count = 0
    for application in submitted.select_related("cohort"):
        application_check_eligibility(application=application, policy=policy)
        count += 1
    return count


@transaction.atomic
def application_override_eligibility(*, application, actor, outcome, reason):
    """Sets the officer's overall eligibility verdict, with her written justification."""
    reason = (reason or "").strip()
    if not reason:
        raise ApplicationError(_("Bitte begründen Sie die Übersteuerung."))
    if outcome not in EligibilityOutcome.values:
        raise ApplicationError(_("Unbekanntes Ergebnis."))
    application = _locked(application)
    application.eligibility_override = outcome
    application.eligibility_override_reason = reason
    application.eligibility_override_by = actor
    application.eligibility_override_at = timezone.now()
    application.save()
    _log(
        application,
        actor=actor,
        action=ApplicationLogAction.ELIGIBILITY_OVERRIDE,
        note=f"{EligibilityOutcome(outcome).label}: {reason}",
    )
    return application


# The applicant ---------------------------------------------------------------------------


def missing_for_submission(application):
    """German names of what must be filled in before ``application`` can be submitted."""
    required = ["organisation", "department", "position_title", "motivation"]
    if application.role == ApplicationRole.MENTEE:
        required += [*MENTEE_FACTS, *MENTEE_DOCUMENTS]
    else:
        required += MENTOR_FACTS
    missing = [
        str(Application._meta.get_field(name).verbose_name)
        for name in required
        if getattr(application, name) in (None, "")
    ]
    if application.consent_at is None:
        missing.append(_("Einwilligung in die Datenverarbeitung"))
    return missing


# The states from which the applicant may withdraw: after submission, before a decision.
WITHDRAWABLE = ApplicationState.sources(ApplicationState.WITHDRAWN)


class ApplicationNotEditable(ApplicationError):
    """The applicant's answers can no longer change; nothing was saved."""


def _berlin(moment):
    """A moment in German time, in the active language's format (no fixed "Uhr")."""
    return date_format(timezone.localtime(moment, BERLIN), "SHORT_DATETIME_FORMAT")


# Why the applicant can no longer change her application, by its state, and what she can
# do instead; a withdrawn one depends on the deadline (``not_editable_message``).
_NOT_EDITABLE = {
    ApplicationState.SUBMITTED: gettext_lazy(
        "Diese Bewerbung ist bereits eingereicht und kann nicht mehr geändert werden. "
        "Möchten Sie etwas ergänzen, wenden Sie sich bitte an Ihre "
        "Gleichstellungsbeauftragte."
    ),
    ApplicationState.IN_REVIEW: gettext_lazy(
        "Der Mentoringbeirat prüft diese Bewerbung; sie kann nicht mehr geändert werden. "
        "Sie erhalten eine E-Mail, sobald entschieden ist."
    ),
    ApplicationState.INTERVIEW: gettext_lazy(
        "Sie sind zu einem Auswahlgespräch eingeladen; die Bewerbung kann nicht mehr "
        "geändert werden. Was sich geändert hat, können Sie im Gespräch sagen."
    ),
    ApplicationState.ACCEPTED: gettext_lazy(
        "Diese Bewerbung ist angenommen und kann nicht mehr geändert werden. Haben sich "
        "Ihre Angaben geändert, teilen Sie es bitte Ihrer Gleichstellungsbeauftragten mit."
    ),
    ApplicationState.WAITLISTED: gettext_lazy(
        "Diese Bewerbung steht auf der Warteliste und kann nicht mehr geändert werden. "
        "Wird ein Platz frei, melden wir uns bei Ihnen."
    ),
    ApplicationState.REJECTED: gettext_lazy(
        "Über diese Bewerbung ist entschieden; sie kann nicht mehr geändert werden. Ihre "
        "Gleichstellungsbeauftragte bietet Ihnen gern ein Feedbackgespräch an."
    ),
}


def not_editable_message(application, *, now=None):
    """Why the applicant can no longer change ``application``, and what she can do instead."""
    state = application.state
    if state in _NOT_EDITABLE:
        return str(_NOT_EDITABLE[state])
    if state == ApplicationState.WITHDRAWN:
        if application.cohort.is_application_window_open(at=now):
            return _(
                "Sie haben diese Bewerbung zurückgezogen. Bis zum %(deadline)s können Sie "
                "sich unter „Meine Bewerbungen“ erneut bewerben; Ihre Angaben bleiben "
                "erhalten."
            ) % {"deadline": _berlin(application.cohort.application_deadline)}
        return _(
            "Sie haben diese Bewerbung zurückgezogen. Die Bewerbungsfrist für diesen "
            "Jahrgang ist abgelaufen; bewerben Sie sich gern für den nächsten Jahrgang."
        )
    return _("Das ist im Status „%(state)s“ nicht möglich.") % {
        "state": application.get_state_display()
    }


def not_withdrawable_message(application, *, now=None):
    """Why the applicant cannot withdraw ``application`` (not in ``WITHDRAWABLE``)."""
    if application.state in ApplicationState.editable():
        return _("Diese Bewerbung ist noch nicht eingereicht; Sie müssen sie nicht zurückziehen.")
    if application.state in ApplicationState.decided():
        return _(
            "Über diese Bewerbung ist bereits entschieden. Möchten Sie nicht teilnehmen, "
            "wenden Sie sich bitte an Ihre Gleichstellungsbeauftragte."
        )
    return not_editable_message(application, now=now)


def begin_refusal(*, cohort, role, now=None):
    """Why nobody may begin a new application to ``cohort`` in ``role`` now, or ``None``."""
    now = now or timezone.now()
    if role == ApplicationRole.MENTOR and not cohort.programme.mentors_self_register:
        # Nominated mentors reach their draft from the invitation instead.
        return _(
            "In diesem Programm melden sich Mentor:innen nicht selbst: Das "
            "Gleichstellungsbüro spricht sie an und schlägt sie vor. Bitte wenden Sie sich "
            "dorthin, wenn Sie Mentor:in werden möchten."
        )
    if cohort.is_application_window_open(at=now):
        return None
    if now < cohort.application_opens_at:
        return _("Die Bewerbung für diesen Jahrgang beginnt am %(opens)s.") % {
            "opens": _berlin(cohort.application_opens_at)
        }
    return _("Für diesen Jahrgang ist die Bewerbungsfrist abgelaufen.")


@transaction.atomic
def application_begin(*, cohort, applicant, role, now=None):
    """Starts the person's application to ``cohort`` in ``role``; returns it.

    Creates a draft (logged as "→ draft") if she has none, returns her draft or requested
    correction unchanged, and reopens an application she withdrew (``application_reopen``)
    while the application window is open. Refuses a new application outside the window
    and a mentor's own registration where mentors are nominated; an application that is
    under review or decided stays as it is (``ApplicationNotEditable``). Sends nothing.
    """
    now = now or timezone.now()
    if role not in ApplicationRole.values:
        raise ApplicationError(_("Unbekannte Rolle."))
    existing = (
        Application.objects.select_for_update(of=("self",))
        .select_related("cohort__programme", "applicant")
        .filter(cohort=cohort, applicant=applicant, role=role)
        .first()
    )
    if existing is None:
        refusal = begin_refusal(cohort=cohort, role=role, now=now)
        if refusal:
            raise ApplicationError(refusal)
        # Two clicks at once: the unique constraint lets one insert; the other gets it.
        application, created = Application.objects.get_or_create(
            cohort=cohort, applicant=applicant, role=role
        )
        if created:
            _log(
                application,
                actor=applicant,
                action=ApplicationLogAction.TRANSITION,
                to_state=ApplicationState.DRAFT,
            )
        return application
    if existing.is_editable:
        return existing
    if existing.state == ApplicationState.WITHDRAWN:
        return application_reopen(application=existing, actor=applicant, now=now)
    raise ApplicationNotEditable(not_editable_message(existing, now=now))


@transaction.atomic
def application_reopen(*, application, actor, now=None):
    """Turns a withdrawn application back into a draft, with all her answers kept.

    Only while the cohort's application window is open. Forgets the old submission date,
    a requested correction and an interview appointment, which belonged to the withdrawn
    submission; logs "withdrawn → draft". Sends nothing: she submits again herself.
    """
    now = now or timezone.now()
    application = _locked(application)
    if application.state != ApplicationState.WITHDRAWN:
        raise ApplicationError(
            _("Nur eine zurückgezogene Bewerbung kann wieder aufgenommen werden.")
        )
    if not application.cohort.is_application_window_open(at=now):
        raise ApplicationNotEditable(not_editable_message(application, now=now))
    return _transition(
        application,
        actor=actor,
        to_state=ApplicationState.DRAFT,
        note=_("erneut beworben"),
        submitted_at=None,
        changes_requested_note="",
        interview_at=None,
        interview_place="",
    )


def application_save_answers(
    *, application, actor, write_answers, submit=False, consents=None, now=None
):
    """Stores the applicant's answers and, with ``submit``, submits them: under the row lock.

    ``write_answers()`` writes the answers (the Bewerbungsbogen's own fields, never the
    state; ``ApplicationForm.save``). It runs only once the row is locked and still
    editable, so two clicks on "einreichen" submit once: the second waits for the first
    and is refused (``ApplicationNotEditable``) without saving. ``consents`` maps an
    optional consent the form offers (``ConsentKind.KEEP_FOR_LATER``) to her answer: a
    tick gives it, no tick withdraws it, with the answers. If the submission itself
    is refused (deadline, missing answers) or a consent cannot be recorded, the answers
    stay saved and the ``ApplicationError`` is raised after the commit. Sends the
    confirmation on submission.
    """
    refusal = None
    with transaction.atomic():
        locked = _locked(application)
        if not locked.is_editable:
            raise ApplicationNotEditable(not_editable_message(locked, now=now))
        write_answers()
        refusal = _record_optional_consents(locked.applicant, consents or {})
        if submit and refusal is None:
            try:
                # A savepoint: a refused submission leaves the saved answers in place.
                locked = application_submit(application=locked, actor=actor, now=now)
            except ApplicationError as error:
                refusal = error
    if refusal is not None:
        raise refusal
    return locked


def _record_optional_consents(applicant, answers):
    """Gives or withdraws the optional consents of the form; returns a refusal or None."""
    for kind, given in answers.items():
        try:
            if given:
                consent_give(user=applicant, kind=kind)
            else:
                consent_withdraw(user=applicant, kind=kind, actor=applicant)
        except ConsentError as error:
            # Refused before it wrote anything (no notice published).
            return ApplicationError(str(error))
    return None


def _record_consents(application):
    """Her consents with the submission, under the privacy notice in force (see
    ``mentoring.consents``): processing always, passing data on where the programme asks
    for it and she gave it. A consent already in force under that notice stays as it is.
    """
    applicant = application.applicant
    consent_give(user=applicant, kind=ConsentKind.PROCESSING)
    if application.cohort.programme.transfer_consent_required and application.transfer_consent_at:
        consent_give(user=applicant, kind=ConsentKind.TRANSFER)


@transaction.atomic
def application_submit(*, application, actor, now=None):
    """Submits a draft (within the application window) or a requested correction.

    Records her consents with the version of the privacy notice in force (processing;
    passing data on where the programme asks for it), computes eligibility and sends the
    applicant a confirmation.
    """
    now = now or timezone.now()
    application = _locked(application)
    if application.state == ApplicationState.DRAFT and not (
        application.cohort.is_application_window_open(at=now)
    ):
        raise ApplicationError(
            _(
                "Die Bewerbungsfrist ist am %(deadline)s abgelaufen. Ihr Entwurf bleibt "
                "gespeichert; bitte wenden Sie sich an Ihre Gleichstellungsbeauftragte."
            )
            % {"deadline": dates.short_datetime(application.cohort.application_deadline)}
        )
    if application.state not in ApplicationState.editable():
        raise ApplicationNotEditable(not_editable_message(application, now=now))
    if application.applicant.email_verified_at is None:
        raise ApplicationError(
            _(
                "Bitte bestätigen Sie zuerst Ihre E-Mail-Adresse über den Link, den wir Ihnen "
                "geschickt haben."
            )
        )
    missing = missing_for_submission(application)
    if missing:
        raise ApplicationError(
            _("Bitte ergänzen Sie vor dem Einreichen: %(fields)s.") % {"fields": ", ".join(missing)}
        )
    if current_notice() is None:
        raise ApplicationError(
            _(
                "Es ist noch kein Datenschutzhinweis veröffentlicht; eine Bewerbung kann "
                "deshalb gerade nicht eingereicht werden. Ihr Entwurf bleibt gespeichert; "
                "bitte wenden Sie sich an das Programmbüro."
            )
        )
    _transition(
        application,
        actor=actor,
        to_state=ApplicationState.SUBMITTED,
        submitted_at=application.submitted_at or now,
        changes_requested_note="",
    )
    _record_consents(application)
    application_check_eligibility(application=application)
    _queue_mail(application, "submitted")
    return application


@transaction.atomic
def application_withdraw(*, application, actor, reason=""):
    """The applicant withdraws her application; possible until a decision is released.

    Drops a pending decision and keeps her answers, so that she can apply again while the
    application window is open (``application_begin``). Logs the reason she gave; sends
    nothing.
    """
    application = _locked(application)
    _transition(
        application,
        actor=actor,
        to_state=ApplicationState.WITHDRAWN,
        note=(reason or "").strip(),
        pending_decision="",
    )
    return application


# The Beirat ------------------------------------------------------------------------------


@transaction.atomic
def mentor_nominate(
    *, cohort, actor, email, first_name, last_name, organisation, position_title=""
):
    """An officer proposes a mentor: creates the person's draft and invites her to confirm.

    The person gets an e-mail with a link to set her password (new accounts) and to
    complete and submit the mentor form herself; nothing is submitted on her behalf.
    """
    if not actor.is_programme_office and organisation.pk not in officer_organisation_ids(
        user=actor
    ):
        raise ApplicationError(_("Sie können nur Personen Ihrer eigenen Verwaltung vorschlagen."))
    if not cohort.participations.filter(organisation=organisation).exists():
        raise ApplicationError(_("Diese Verwaltung nimmt an diesem Jahrgang nicht teil."))
    User = get_user_model()
    email = User.objects.normalize_email(email).strip()
    person = User.objects.filter(email__iexact=email).first()
    if person is None:
        person = User(email=email, first_name=first_name, last_name=last_name)
        person.set_unusable_password()
        person.save()
    application, created = Application.objects.get_or_create(
        cohort=cohort,
        applicant=person,
        role=ApplicationRole.MENTOR,
        defaults={
            "nominated_by": actor,
            "organisation": organisation,
            "position_title": position_title,
        },
    )
    if not created:
        raise ApplicationError(
            _("Für %(person)s gibt es schon eine Meldung als Mentor:in in diesem Jahrgang.")
            % {"person": person}
        )
    _log(
        application,
        actor=actor,
        action=ApplicationLogAction.TRANSITION,
        to_state=ApplicationState.DRAFT,
        note=_("vorgeschlagen"),
    )
    _queue_mail(application, "nominated")
    return application


@transaction.atomic
def application_start_review(*, application, actor):
    application = _locked(application)
    return _transition(
        application,
        actor=actor,
        to_state=ApplicationState.IN_REVIEW,
    )


@transaction.atomic
def application_request_changes(*, application, actor, note):
    """Asks the applicant to correct her answers; she may edit and resubmit."""
    note = (note or "").strip()
    if not note:
        raise ApplicationError(_("Bitte schreiben Sie, was korrigiert werden soll."))
    application = _locked(application)
    _transition(
        application,
        actor=actor,
        to_state=ApplicationState.CHANGES_REQUESTED,
        note=note,
        changes_requested_note=note,
        pending_decision="",
    )
    _queue_mail(application, "changes_requested")
    return application


def _interview_window(cohort):
    """From 1 January of the year before the cohort's year to 31 December of the next.

    Catches a mistyped year (2062 for 2026) and keeps every later step (database, mail,
    calendar file with its end an hour later) within the dates a computer can represent.
    """
    first = dt.datetime(cohort.year - 1, 1, 1, tzinfo=BERLIN)
    last = dt.datetime(cohort.year + 1, 12, 31, 23, 59, tzinfo=BERLIN)
    return first, last


@transaction.atomic
def application_invite_interview(*, application, actor, at, place):
    """Invites the applicant to a selection interview and tells her when and where.

    Sends her an e-mail with the date, the place and a calendar file (.ics).
    """
    place = (place or "").strip()
    if at is None or not place:
        raise ApplicationError(_("Bitte geben Sie Termin und Ort des Gesprächs an."))
    place_field = Application._meta.get_field("interview_place")
    if len(place) > place_field.max_length:
        raise ApplicationError(
            _("Der Ort darf höchstens %(limit)d Zeichen lang sein.")
            % {"limit": place_field.max_length},
            field="place",
        )
    if timezone.is_naive(at):
        at = at.replace(tzinfo=BERLIN)
    application = _locked(application)
    first, last = _interview_window(application.cohort)
    if not first <= at <= last:
        raise ApplicationError(
            _(
                "Bitte wählen Sie einen Termin zwischen dem %(first)s und dem %(last)s "
                "(Jahrgang %(year)d)."
            )
            % {
                "first": dates.short_date(first),
                "last": dates.short_date(last),
                "year": application.cohort.year,
            },
            field="at",
        )
    _transition(
        application,
        actor=actor,
        to_state=ApplicationState.INTERVIEW,
        note=f"{dates.short_datetime(at)}, {place}",
        interview_at=at,
        interview_place=place,
    )
    _queue_mail(application, "interview")
    return application


def _refuse_acceptance_without_interview(application):
    programme = application.cohort.programme
    if (
        programme.interview_required
        and application.role == ApplicationRole.MENTEE
        and application.state != ApplicationState.INTERVIEW
    ):
        raise ApplicationError(
            _(
                "In diesem Programm werden Mentees erst nach einem Auswahlgespräch "
                "angenommen. Bitte laden Sie die Bewerberin zuerst zum Auswahlgespräch ein."
            )
        )


def _seats_full_message(role, *, organisation, seats, taken):
    values = {"organisation": organisation, "seats": seats, "taken": taken}
    if seats == 0:
        if role == ApplicationRole.MENTOR:
            message = _("%(organisation)s hat in diesem Jahrgang keine Mentor:innen-Plätze.")
        else:
            message = _("%(organisation)s hat in diesem Jahrgang keine Mentee-Plätze.")
        hint = _("Setzen Sie die Bewerbung auf die Warteliste oder erhöhen Sie die Plätze.")
        return f"{message % values} {hint}"
    if role == ApplicationRole.MENTOR:
        message = ngettext(
            "Für %(organisation)s ist der Mentor:innen-Platz vergeben (%(taken)d/%(seats)d).",
            "Für %(organisation)s sind alle %(seats)d Mentor:innen-Plätze vergeben "
            "(%(taken)d/%(seats)d).",
            seats,
        )
    else:
        message = ngettext(
            "Für %(organisation)s ist der Mentee-Platz vergeben (%(taken)d/%(seats)d).",
            "Für %(organisation)s sind alle %(seats)d Mentee-Plätze vergeben "
            "(%(taken)d/%(seats)d).",
            seats,
        )
    hint = _(
        "Setzen Sie die Bewerbung auf die Warteliste oder nehmen Sie eine andere Zusage zurück."
    )
    return f"{message % values} {hint}"


def _refuse_acceptance_beyond_seats(application):
    """Where seats are binding, an acceptance needs a free seat of the organisation.

    Locks the organisation's participation row first: two officers accepting two people
    of the same organisation at the same moment queue here, and the second one counts
    the first one's acceptance.
    """
    if not application.cohort.programme.seats_binding:
        return
    if application.organisation_id is None:
        raise ApplicationError(
            _("Die Bewerbung nennt keine Organisation; ohne sie kann kein Platz vergeben werden.")
        )
    participation = (
        CohortOrganisation.objects.select_for_update(of=("self",))
        .select_related("organisation")
        .filter(cohort_id=application.cohort_id, organisation_id=application.organisation_id)
        .first()
    )
    if participation is None:
        raise ApplicationError(
            _("%(organisation)s nimmt an diesem Jahrgang nicht teil und hat keine Plätze.")
            % {"organisation": application.organisation}
        )
    seats = (
        participation.mentor_seats
        if application.role == ApplicationRole.MENTOR
        else participation.mentee_seats
    )
    taken = (
        Application.objects.filter(
            cohort_id=application.cohort_id,
            organisation_id=application.organisation_id,
            role=application.role,
        )
        .filter(takes_a_seat())
        .exclude(pk=application.pk)
        .count()
    )
    if taken >= seats:
        raise ApplicationError(
            _seats_full_message(
                application.role,
                organisation=participation.organisation,
                seats=seats,
                taken=taken,
            )
        )


@transaction.atomic
def application_record_decision(*, application, actor, decision, reason=""):
    """Records a decision as pending; the applicant hears of it only when it is released.

    Refuses if another decision is already pending, so two officers deciding at the same
    moment cannot both win: the row lock makes the second one see the first. Where the
    programme says so, refuses an acceptance before the selection interview (mentees)
    and beyond the organisation's seats.
    """
    if decision not in Decision.values:
        raise ApplicationError(_("Unbekannte Entscheidung."))
    application = _locked(application)
    if application.state not in ApplicationState.under_review():
        raise ApplicationError(
            _("Im Status „%(state)s“ kann nicht entschieden werden.")
            % {"state": application.get_state_display()}
        )
    if application.pending_decision:
        last = (
            application.log.filter(action=ApplicationLogAction.DECISION_RECORDED)
            .select_related("actor")
            .last()
        )
        raise ApplicationError(
            _("Für diese Bewerbung ist bereits „%(decision)s“ vorgemerkt (%(who)s).")
            % {
                "decision": application.get_pending_decision_display(),
                "who": str(last.actor) if last and last.actor else _("unbekannt"),
            }
        )
    if decision == Decision.ACCEPTED:
        _refuse_acceptance_without_interview(application)
        _refuse_acceptance_beyond_seats(application)
    application.pending_decision = decision
    application.decision_reason = reason
    application.save()
    _log(
        application,
        actor=actor,
        action=ApplicationLogAction.DECISION_RECORDED,
        from_state=application.state,
        to_state=decision,
        note=reason,
    )
    return application


@transaction.atomic
def application_clear_decision(*, application, actor):
    application = _locked(application)
    if not application.pending_decision:
        raise ApplicationError(_("Es ist keine Entscheidung vorgemerkt."))
    previous = application.pending_decision
    application.pending_decision = ""
    application.save()
    _log(
        application,
        actor=actor,
        action=ApplicationLogAction.DECISION_RECORDED,
        from_state=application.state,
        to_state=application.state,
        note=_("Vormerkung „%(decision)s“ aufgehoben") % {"decision": Decision(previous).label},
    )
    return application


@transaction.atomic
def cohort_release_decisions(*, cohort, actor):
    """Releases every pending decision of ``cohort`` at once and mails each applicant.

    Returns the released applications. A second call finds nothing pending and sends
    nothing: the decision leaves ``pending_decision`` in the same transaction.
    """
    now = timezone.now()
    pending = list(decisions_to_release(cohort=cohort).select_for_update().order_by("pk"))
    for application in pending:
        decision = application.pending_decision
        _transition(
            application,
            actor=actor,
            to_state=decision,
            note=application.decision_reason,
            pending_decision="",
            decision_released_at=now,
        )
        _log(
            application,
            actor=actor,
            action=ApplicationLogAction.DECISION_RELEASED,
            to_state=decision,
        )
        _queue_mail(application, decision_kind(decision))
    return pending


# Reviews ---------------------------------------------------------------------------------


@transaction.atomic
def review_save(*, application, reviewer, scores, comment=""):
    """Stores (or updates) ``reviewer``'s scores; the first review starts the review."""
    criteria = {str(pk) for pk in application.cohort.review_criteria.values_list("pk", flat=True)}
    if not criteria:
        raise ApplicationError(_("Für diesen Jahrgang sind keine Bewertungskriterien festgelegt."))
    scores = {str(key): int(value) for key, value in scores.items()}
    if set(scores) != criteria:
        raise ApplicationError(_("Bitte bewerten Sie jedes Kriterium."))
    if any(not 1 <= value <= 5 for value in scores.values()):
        raise ApplicationError(_("Bewertungen reichen von 1 bis 5."))
    application = _locked(application)
    if application.state not in ApplicationState.under_review():
        raise ApplicationError(
            _("Im Status „%(state)s“ wird nicht bewertet.")
            % {"state": application.get_state_display()}
        )
    mean = (Decimal(sum(scores.values())) / len(scores)).quantize(
        Decimal("0.01"), rounding=ROUND_HALF_UP
    )
    review, _created = Review.objects.update_or_create(
        application=application,
        reviewer=reviewer,
        defaults={"scores": scores, "mean_score": mean, "comment": comment},
    )
    if application.state == ApplicationState.SUBMITTED:
        _transition(
            application,
            actor=reviewer,
            to_state=ApplicationState.IN_REVIEW,
        )
    return review


# Access to her documents -----------------------------------------------------------------


def file_access_record(*, application, document, user):
    """Records that ``user`` opened ``application``'s CV or letter; her own opening is not.

    Written on the download itself (a GET): the applicant sees in her page and her data
    export (Art. 15 GDPR) who opened her documents. The name is copied, so the entry
    still says who it was once that account is gone. Returns the entry, or None.
    """
    if application.applicant_id == user.pk:
        return None
    return FileAccess.objects.create(
        application=application,
        document=FileAccess.Document(document),
        user=user,
        user_name=user.get_full_name() or user.email,
    )


# Follow-up questions on her career (``follow_ups``) ----------------------------------------


def follow_up_answer(
    *, application, wave, steps, month, pay_grade_from="", pay_grade_to="", note="", now=None
):
    """Records her answer to ``wave`` of the follow-up questions; returns the answer.

    Writes a ``FollowUpAnswer`` (which stops that wave's reminder) and one ``CareerStep``
    of source "eigene Angabe" per kind in ``steps``, each dated ``month``; the pay grades
    go with the promotion, the note with every step; "nothing changed" is a step of kind
    ``none``. Answering the same wave again replaces the earlier answer: the steps it
    recorded are deleted and the new ones written (a corrected click leaves no duplicate,
    and the answer's time is the latest), while steps that officers recorded stay.
    Refuses (``ApplicationError``) once she is no longer asked: her consent withdrawn, or
    an application that is not asked at all. Sends nothing.
    """
    now = now or timezone.now()
    with transaction.atomic():
        application = _locked(application)
        if not follow_ups.is_asked(application):
            raise ApplicationError(_("Zu dieser Bewerbung gibt es keine Nachbefragung."))
        if not has_active_consent(application.applicant_id, ConsentKind.FOLLOW_UP):
            raise ApplicationError(follow_up_stopped_message())
        answer, created = FollowUpAnswer.objects.get_or_create(
            application=application, wave=wave, defaults={"answered_at": now}
        )
        if not created:
            answer.steps.all().delete()
            answer.answered_at = now
            answer.save(update_fields=["answered_at"])
        recorded = CareerStep.objects.bulk_create(
            [
                CareerStep(
                    application=application,
                    kind=kind,
                    date=month,
                    pay_grade_from=pay_grade_from if kind == CareerStepKind.PROMOTION else "",
                    pay_grade_to=pay_grade_to if kind == CareerStepKind.PROMOTION else "",
                    source=CareerStepSource.SELF,
                    note=note,
                )
                for kind in steps
            ]
        )
        answer.steps.set(recorded)
    return answer


def follow_up_stopped_message():
    return _(
        "Sie haben Ihre Einwilligung in die Nachbefragungen widerrufen. Wir fragen Sie nicht "
        "mehr; Ihre bisherigen Angaben sind gelöscht."
    )
