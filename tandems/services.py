"""Tandem formation: proposals, the Beirat's pins and bans, publication, early ends.

A proposal (``MatchingRun``) is a draft only the Beirat sees. Publication creates the
tandems once, mails each partner an introduction of the other after commit, and never
creates a tandem twice: a mentee in an active tandem, or a mentor at capacity, is skipped.
"""

from collections import Counter

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from applications.enums import ApplicationRole, ApplicationState, LeadershipLevel
from applications.models import Application

from . import matching
from .enums import ConstraintKind, TandemStatus
from .models import (
    GoalAgreement,
    MatchingRun,
    MatchingSettings,
    PairConstraint,
    ProposedPair,
    Tandem,
    TandemLog,
)

# How far up the hierarchy a mentor is; mentees count as 0 (the level part rewards distance).
LEVEL_RANK = {
    LeadershipLevel.EXECUTIVE: 4,
    LeadershipLevel.HEAD_OF_DEPARTMENT: 3,
    LeadershipLevel.HEAD_OF_OFFICE: 3,
    LeadershipLevel.HEAD_OF_DIVISION: 2,
    LeadershipLevel.TEAM_LEAD: 1,
    LeadershipLevel.OTHER: 1,
}


class TandemError(Exception):
    """A refused action; the message is German, for the person who clicked."""


def settings_for(cohort):
    matching_settings, _created = MatchingSettings.objects.get_or_create(cohort=cohort)
    return matching_settings


def _coordinates(organisation):
    if organisation is None or organisation.latitude is None:
        return None, None
    return float(organisation.latitude), float(organisation.longitude)


def _same_department_key(department):
    # Free-text departments differ in case and spacing more often than in substance.
    return " ".join(department.split()).casefold()


def participants(cohort):
    """(mentees, mentors, left_out) for the solver.

    Accepted mentees without an active tandem and accepted mentors with seats left; in
    programmes that pass data to partner organisations only with consent, those without
    it are ``left_out`` instead: ``[{"mentee" or "mentor": id, "reason": German text}]``.
    """
    needs_consent = cohort.programme.transfer_consent_required
    accepted = (
        Application.objects.filter(cohort=cohort, state=ApplicationState.ACCEPTED)
        .select_related("organisation", "applicant")
        .prefetch_related("topics", "wished_organisations", "avoided_organisations")
        .order_by("pk")
    )
    active = Tandem.objects.filter(cohort=cohort, status=TandemStatus.ACTIVE)
    matched = set(active.values_list("mentee_id", flat=True))
    load = Counter(active.values_list("mentor_id", flat=True))
    accepted = list(accepted)
    mentors_by_organisation = {}
    for application in accepted:
        if application.role == ApplicationRole.MENTOR:
            mentors_by_organisation.setdefault(application.organisation_id, set()).add(
                application.pk
            )

    # Internal programmes: the mentee names her line manager by e-mail address.
    mentor_by_email = {
        application.applicant.email.casefold(): application.pk
        for application in accepted
        if application.role == ApplicationRole.MENTOR
    }

    def mentors_of(organisations):
        return frozenset().union(*(mentors_by_organisation.get(o.pk, ()) for o in organisations))

    no_consent = _("keine Einwilligung in die Weitergabe an Partnerorganisationen")
    mentees, mentors, left_out = [], [], []
    for application in accepted:
        latitude, longitude = _coordinates(application.organisation)
        topics = frozenset(topic.pk for topic in application.topics.all())
        consented = not needs_consent or application.transfer_consent_at is not None
        if application.role == ApplicationRole.MENTEE and application.pk not in matched:
            if not consented:
                left_out.append({"mentee": application.pk, "reason": no_consent})
                continue
            supervisor = application.supervisor_email.strip().casefold()
            mentees.append(
                matching.Mentee(
                    id=application.pk,
                    organisation_id=application.organisation_id,
                    topics=topics,
                    department=_same_department_key(application.department),
                    supervisor_id=mentor_by_email.get(supervisor) if supervisor else None,
                    latitude=latitude,
                    longitude=longitude,
                    wished_kinds=frozenset(application.wished_organisation_kinds),
                    wishes=mentors_of(application.wished_organisations.all()),
                    vetoes=mentors_of(application.avoided_organisations.all()),
                )
            )
        elif application.role == ApplicationRole.MENTOR:
            seats = application.capacity - load[application.pk]
            if seats > 0 and not consented:
                left_out.append({"mentor": application.pk, "reason": no_consent})
            elif seats > 0:
                mentors.append(
                    matching.Mentor(
                        id=application.pk,
                        organisation_id=application.organisation_id,
                        topics=topics,
                        department=_same_department_key(application.department),
                        level=LEVEL_RANK.get(application.leadership_level, 0),
                        level_label=application.get_leadership_level_display(),
                        organisation_kind=application.organisation.kind
                        if application.organisation
                        else "",
                        capacity=seats,
                        latitude=latitude,
                        longitude=longitude,
                    )
                )
    return mentees, mentors, left_out


def _solve(cohort, only_mentee=None):
    """Runs the solver on the cohort's free people (or one mentee) with the Beirat's levers.

    Returns (proposal, weights, pinned, forbidden, left_out); ``left_out`` are the people
    the solver never saw, with their reason (see ``participants``).
    """
    config = settings_for(cohort)
    weights = matching.Weights(
        topics=float(config.weight_topics),
        kind=float(config.weight_kind),
        level=float(config.weight_level),
        distance=float(config.weight_distance),
        wish=float(config.weight_wish),
    )
    # Explanations are stored; write them in the site's language, not the caller's.
    with translation.override(settings.LANGUAGE_CODE):
        mentees, mentors, left_out = participants(cohort)
    if only_mentee is not None:
        mentees = [mentee for mentee in mentees if mentee.id == only_mentee]
        left_out = [entry for entry in left_out if entry.get("mentee") == only_mentee]
    present = {person.id for person in (*mentees, *mentors)}
    constraints = [
        (c.kind, c.mentee_id, c.mentor_id)
        for c in PairConstraint.objects.filter(cohort=cohort)
        if c.mentee_id in present and c.mentor_id in present
    ]
    pinned = {
        (mentee, mentor) for kind, mentee, mentor in constraints if kind == ConstraintKind.PIN
    }
    forbidden = {
        (mentee, mentor) for kind, mentee, mentor in constraints if kind == ConstraintKind.FORBID
    }
    try:
        proposal = matching.solve(
            mentees,
            mentors,
            policy=cohort.programme.matching_policy,
            weights=weights,
            pinned=pinned,
            forbidden=forbidden,
            separate_departments=config.separate_departments,
            max_distance_km=float(config.max_distance_km),
        )
    except matching.MatchingError as error:
        raise TandemError(str(error)) from error
    return proposal, weights, pinned, forbidden, left_out


def matching_run(*, cohort, actor):
    """Computes and stores a new proposal for ``cohort``; sends nothing.

    The run lists the unmatched mentees and the people left out of the solver (e.g.
    without consent to pass their data on), each with the reason.
    """
    proposal, weights, pinned, forbidden, left_out = _solve(cohort)
    with transaction.atomic():
        run = MatchingRun.objects.create(
            cohort=cohort,
            created_by=actor,
            weights=weights.__dict__,
            pinned=sorted(pinned),
            forbidden=sorted(forbidden),
            unmatched=[
                *({"mentee": mentee, "reason": reason} for mentee, reason in proposal.unmatched),
                *left_out,
            ],
            total_score=proposal.total_score,
        )
        ProposedPair.objects.bulk_create(
            ProposedPair(
                run=run,
                mentee_id=pair.mentee_id,
                mentor_id=pair.mentor_id,
                score=pair.score,
                parts=pair.parts,
                explanation=pair.explanation,
                pinned=pair.pinned,
            )
            for pair in proposal.pairs
        )
    return run


def pair_constrain(*, cohort, mentee, mentor, kind, actor):
    """Pins or forbids a pair for the next runs (replacing an earlier pin or ban)."""
    if mentee.cohort_id != cohort.pk or mentor.cohort_id != cohort.pk:
        raise TandemError(_("Mentee und Mentor:in müssen beide zu diesem Jahrgang gehören."))
    if (mentee.role, mentor.role) != (ApplicationRole.MENTEE, ApplicationRole.MENTOR):
        raise TandemError(_("Ein Paar besteht aus einer Mentee und einer Mentor:in."))
    constraint, _created = PairConstraint.objects.update_or_create(
        mentee=mentee, mentor=mentor, defaults={"cohort": cohort, "kind": kind, "created_by": actor}
    )
    return constraint


def pair_release(*, mentee, mentor):
    PairConstraint.objects.filter(mentee=mentee, mentor=mentor).delete()


def _log(tandem, *, actor, action, note=""):
    TandemLog.objects.create(tandem=tandem, actor=actor, action=action, note=note)


@transaction.atomic
def matching_publish(*, run, actor, start_date=None):
    """Creates the tandems of ``run`` and introduces the partners to each other by e-mail.

    Returns the tandems created. A run is published once; a pair whose mentee already has
    an active tandem, or whose mentor has no seat left, is skipped, so nothing is doubled.
    """
    from .tasks import send_tandem_introduction

    run = MatchingRun.objects.select_for_update().select_related("cohort").get(pk=run.pk)
    if run.published_at is not None:
        raise TandemError(_("Dieser Vorschlag ist bereits veröffentlicht."))
    cohort = run.cohort
    # Lock the cohort's accepted applications so two publications serialise.
    list(
        Application.objects.select_for_update()
        .filter(cohort=cohort, state=ApplicationState.ACCEPTED)
        .values_list("pk", flat=True)
    )
    active = Tandem.objects.filter(cohort=cohort, status=TandemStatus.ACTIVE)
    matched = set(active.values_list("mentee_id", flat=True))
    load = Counter(active.values_list("mentor_id", flat=True))
    created = []
    for pair in run.pairs.select_related("mentor").order_by("pk"):
        if pair.mentee_id in matched or load[pair.mentor_id] >= pair.mentor.capacity:
            continue
        tandem = Tandem.objects.create(
            cohort=cohort,
            mentee_id=pair.mentee_id,
            mentor_id=pair.mentor_id,
            run=run,
            start_date=start_date or cohort.start_date,
        )
        _log(tandem, actor=actor, action="published", note=pair.explanation)
        matched.add(pair.mentee_id)
        load[pair.mentor_id] += 1
        created.append(tandem)
        transaction.on_commit(
            lambda tandem_id=tandem.pk: send_tandem_introduction.delay(tandem_id=tandem_id)
        )
    run.published_at = timezone.now()
    run.published_by = actor
    run.save(update_fields=["published_at", "published_by"])
    return created


@transaction.atomic
def tandem_end(*, tandem, actor, reason, on=None):
    """Ends a tandem early with its reason; the mentee can then be matched again."""
    reason = (reason or "").strip()
    if not reason:
        raise TandemError(_("Bitte geben Sie den Grund an."))
    tandem = Tandem.objects.select_for_update().get(pk=tandem.pk)
    if tandem.status != TandemStatus.ACTIVE:
        raise TandemError(_("Dieses Tandem ist nicht mehr aktiv."))
    tandem.status = TandemStatus.ENDED
    tandem.ended_at = on or timezone.localdate()
    tandem.end_reason = reason
    tandem.save()
    _log(tandem, actor=actor, action="ended", note=reason)
    return tandem


@transaction.atomic
def tandem_rematch(*, ended, actor):
    """Gives the mentee of an early-ended tandem the best mentor with a free seat.

    Forms the new tandem at once (starting today) and introduces the two by e-mail.
    """
    from .tasks import send_tandem_introduction

    ended = Tandem.objects.select_for_update().select_related("cohort__programme").get(pk=ended.pk)
    if ended.status != TandemStatus.ENDED:
        raise TandemError(_("Neu zugeordnet wird nur nach einem vorzeitigen Ende."))
    if Tandem.objects.filter(mentee_id=ended.mentee_id, status=TandemStatus.ACTIVE).exists():
        raise TandemError(_("Die Mentee hat bereits ein aktives Tandem."))
    proposal, _weights, _pinned, _forbidden, left_out = _solve(
        ended.cohort, only_mentee=ended.mentee_id
    )
    if not proposal.pairs:
        reasons = [reason for _mentee, reason in proposal.unmatched]
        reasons += [entry["reason"] for entry in left_out]
        reason = reasons[0] if reasons else ""
        raise TandemError(_("Keine neue Zuordnung möglich: %(reason)s") % {"reason": reason})
    (pair,) = proposal.pairs
    tandem = Tandem.objects.create(
        cohort=ended.cohort,
        mentee_id=pair.mentee_id,
        mentor_id=pair.mentor_id,
        start_date=timezone.localdate(),
    )
    _log(tandem, actor=actor, action="rematched", note=pair.explanation)
    transaction.on_commit(lambda: send_tandem_introduction.delay(tandem_id=tandem.pk))
    return tandem


# Goal agreement --------------------------------------------------------------------------


def partner_role(tandem, user):
    """ "mentee", "mentor" or None: which side of ``tandem`` this user is on."""
    if tandem.mentee.applicant_id == user.pk:
        return "mentee"
    if tandem.mentor.applicant_id == user.pk:
        return "mentor"
    return None


def goal_agreement_for(tandem):
    agreement, _created = GoalAgreement.objects.get_or_create(tandem=tandem)
    return agreement


def _locked_agreement(agreement):
    return (
        GoalAgreement.objects.select_for_update(of=("self",))
        .select_related("tandem__mentee", "tandem__mentor")
        .get(pk=agreement.pk)
    )


@transaction.atomic
def goal_agreement_save(*, agreement, actor, form):
    """Saves the mentee's draft; a change withdraws both confirmations given so far."""
    locked = _locked_agreement(agreement)
    if partner_role(locked.tandem, actor) != "mentee":
        raise TandemError(_("Die Zielvereinbarung entwirft die Mentee."))
    if locked.is_confirmed:
        raise TandemError(
            _(
                "Die Zielvereinbarung ist von beiden bestätigt; ändern Sie sie erst nach "
                "gemeinsamer Wiedereröffnung."
            )
        )
    # The form's instance carries the new answers; the lock above serialises writers.
    agreement = form.save(commit=False)
    agreement.mentee_confirmed_at = None
    agreement.mentor_confirmed_at = None
    agreement.save()
    form.save_m2m()
    return agreement


@transaction.atomic
def goal_agreement_confirm(*, agreement, actor):
    agreement = _locked_agreement(agreement)
    role = partner_role(agreement.tandem, actor)
    if role is None:
        raise TandemError(_("Nur das Tandem selbst kann die Zielvereinbarung bestätigen."))
    if role == "mentor" and not (agreement.topics_other or agreement.topics.exists()):
        raise TandemError(_("Die Mentee hat noch keine Themen eingetragen."))
    setattr(agreement, f"{role}_confirmed_at", timezone.now())
    agreement.reopen_requested_by = None
    agreement.save()
    return agreement


@transaction.atomic
def goal_agreement_reopen(*, agreement, actor):
    """The first partner asks to reopen; when the other agrees, both confirmations lapse."""
    agreement = _locked_agreement(agreement)
    if partner_role(agreement.tandem, actor) is None:
        raise TandemError(_("Nur das Tandem selbst kann die Zielvereinbarung wieder öffnen."))
    if not agreement.is_confirmed:
        raise TandemError(_("Die Zielvereinbarung ist noch offen."))
    if agreement.reopen_requested_by_id in (None, actor.pk):
        agreement.reopen_requested_by = actor
    else:
        agreement.mentee_confirmed_at = None
        agreement.mentor_confirmed_at = None
        agreement.reopen_requested_by = None
    agreement.save()
    return agreement


# Contacts ------------------------------------------------------------------------------


@transaction.atomic
def contact_save(*, tandem, actor, form):
    """Logs a new contact, or saves the author's change to her own entry."""
    if partner_role(tandem, actor) is None:
        raise TandemError(_("Nur das Tandem selbst trägt Kontakte ein."))
    contact = form.save(commit=False)
    if contact.pk is None:
        contact.tandem, contact.author = tandem, actor
    elif contact.author_id != actor.pk:
        raise TandemError(_("Sie können nur Ihre eigenen Einträge ändern."))
    contact.save()
    form.save_m2m()
    return contact


def contact_delete(*, contact, actor):
    if contact.author_id != actor.pk:
        raise TandemError(_("Sie können nur Ihre eigenen Einträge löschen."))
    contact.delete()
