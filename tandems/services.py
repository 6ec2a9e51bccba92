"""Tandem formation: proposals, the Beirat's pins and bans, publication, early ends.

A proposal (``MatchingRun``) is a draft only the Beirat sees; the newest is the current
one, and only it can be published. A pin that the hard rules forbid is refused when it is
set, so a later run never fails on it. Publication creates the tandems once, mails each
partner an introduction of the other after commit, and never creates a tandem twice: a
mentee in an active tandem, or a mentor at capacity, is skipped. The partners of a tandem
that ended early are not proposed to each other again unless the Beirat chooses so.
"""

import dataclasses
from collections import Counter

from django.conf import settings
from django.db import transaction
from django.db.models import prefetch_related_objects
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from applications.enums import ApplicationRole, ApplicationState
from applications.models import Application
from mentoring import outbox
from mentoring.dates import short_date

from . import matching
from .enums import (
    ConstraintKind,
    EndCategory,
    GoalAgreementAction,
    MatchingLogAction,
    TandemLogAction,
    TandemStatus,
)
from .matching_display import explanation_text, reason_text
from .models import (
    Contact,
    GoalAgreement,
    GoalAgreementEntry,
    MatchingLog,
    MatchingRun,
    MatchingSettings,
    PairConstraint,
    ProposedPair,
    Tandem,
    TandemLog,
)
from .selectors import (
    FORMER_PARTNERS,
    MentorLookup,
    as_mentee,
    as_mentor,
    free_people,
    participants,
    partner_role,
    settings_for,
    topic_ids,
    unmatched_of,
    with_partner_names,
)
from .tasks import send_tandem_introduction


class TandemError(Exception):
    """A refused action; the message is German, for the person who clicked."""


def matching_settings_save(*, cohort, values):
    """Stores the Beirat's weights for ``cohort``; the first save creates its settings.

    ``values`` are the cleaned fields of ``WeightsForm``. They count from the next proposal
    on; sends nothing.
    """
    matching_settings, _created = MatchingSettings.objects.update_or_create(
        cohort=cohort, defaults=values
    )
    return matching_settings


def _weights(config):
    return matching.Weights(
        topics=float(config.weight_topics),
        kind=float(config.weight_kind),
        level=float(config.weight_level),
        distance=float(config.weight_distance),
        wish=float(config.weight_wish),
    )


def _former_pairs(cohort):
    """(mentee, mentor) of the cohort's tandems that ended early: not proposed again."""
    return set(
        Tandem.objects.filter(cohort=cohort, status=TandemStatus.ENDED).values_list(
            "mentee_id", "mentor_id"
        )
    )


def _name(application):
    return application.applicant.get_full_name() or application.applicant.email


def _organisation_name(application):
    return application.organisation.name if application.organisation else _("ohne Organisation")


def _rule_text(rule, mentee, mentor):
    """The hard rule ``rule`` (``matching.broken_rule``) said with both people's names."""
    names = {"mentee": _name(mentee), "mentor": _name(mentor)}
    if rule == matching.SAME_ORGANISATION:
        return _(
            "%(mentee)s und %(mentor)s sind beide bei %(organisation)s; ein Tandem verbindet "
            "zwei verschiedene Organisationen."
        ) % {**names, "organisation": _organisation_name(mentee)}
    if rule == matching.SUPERVISOR:
        return (
            _("%(mentor)s ist in der Bewerbung von %(mentee)s als direkte Führungskraft angegeben.")
            % names
        )
    if rule == matching.DEPARTMENT:
        return _(
            "%(mentee)s und %(mentor)s arbeiten im selben Fachbereich / Amt (%(department)s)."
        ) % {**names, "department": mentee.department.strip()}
    if rule == matching.VETO:
        return _("%(mentee)s möchte laut ihrer Bewerbung keine Mentor:in aus %(organisation)s.") % {
            **names,
            "organisation": _organisation_name(mentor),
        }
    if rule == matching.FORBIDDEN:
        return _("Der Beirat hat das Paar %(mentee)s – %(mentor)s ausgeschlossen.") % names
    return _("Das Paar %(mentee)s – %(mentor)s verletzt eine feste Regel.") % names


def _solver_error_text(error):
    """A ``matching.MatchingError`` about a pin, said with names instead of ids."""
    people = (
        Application.objects.select_related("applicant", "organisation")
        .prefetch_related("avoided_organisations")
        .in_bulk([pk for pk in (error.mentee_id, error.mentor_id) if pk is not None])
    )
    mentee, mentor = people.get(error.mentee_id), people.get(error.mentor_id)
    if mentee is None or mentor is None:
        return _("Eine Vorgabe nennt eine Person, die es nicht mehr gibt. Heben Sie sie auf.")
    names = {"mentee": _name(mentee), "mentor": _name(mentor)}
    if error.code == matching.PIN_TWICE:
        return (
            _(
                "Für %(mentee)s sind mehrere Mentor:innen festgelegt. Heben Sie unter „Vorgaben“ "
                "alle bis auf eine auf."
            )
            % names
        )
    if error.code == matching.PIN_NO_SEAT:
        return (
            _(
                "%(mentor)s hat nicht genug freie Plätze für alle festgelegten Paare (zuletzt "
                "%(mentee)s). Heben Sie unter „Vorgaben“ eine davon auf."
            )
            % names
        )
    return _(
        "Das festgelegte Paar %(mentee)s – %(mentor)s verletzt eine feste Regel: %(reason)s "
        "Heben Sie die Vorgabe unter „Vorgaben“ auf, um neu zu berechnen."
    ) % {**names, "reason": _rule_text(error.rule, mentee, mentor)}


def _solve(cohort, only_mentee=None):
    """Runs the solver on the cohort's free people (or one mentee) with the Beirat's levers.

    Returns (proposal, weights, pinned, forbidden, left_out); ``left_out`` are the people
    the solver never saw, with their reason (see ``participants``). The partners of a
    tandem that ended early are never proposed again unless the Beirat pinned them.
    """
    config = settings_for(cohort=cohort)
    weights = _weights(config)
    mentees, mentors, left_out = participants(cohort=cohort)
    if only_mentee is not None:
        mentees = [mentee for mentee in mentees if mentee.id == only_mentee]
        left_out = [entry for entry in left_out if entry.get("mentee") == only_mentee]
    mentee_ids, mentor_ids = {m.id for m in mentees}, {m.id for m in mentors}
    constraints = [
        (c.kind, c.mentee_id, c.mentor_id)
        for c in PairConstraint.objects.filter(cohort=cohort)
        if c.mentee_id in mentee_ids and c.mentor_id in mentor_ids
    ]
    pinned = {
        (mentee, mentor) for kind, mentee, mentor in constraints if kind == ConstraintKind.PIN
    }
    forbidden = {
        (mentee, mentor) for kind, mentee, mentor in constraints if kind == ConstraintKind.FORBID
    }
    bans = set(forbidden)
    former = {
        (mentee, mentor)
        for mentee, mentor in _former_pairs(cohort)
        if mentee in mentee_ids and mentor in mentor_ids and (mentee, mentor) not in pinned
    }
    forbidden |= former
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
        raise TandemError(_solver_error_text(error)) from error
    if former and proposal.unmatched:
        proposal = _note_former_partners(
            proposal, former, mentees, mentors, bans=bans, cohort=cohort, config=config
        )
    return proposal, weights, pinned, forbidden, left_out


def _note_former_partners(proposal, former, mentees, mentors, *, bans, cohort, config):
    """Adds to an unmatched mentee's reason that her former partner was left out on purpose.

    Only where the former partner breaks no other hard rule: she could be chosen by hand.
    """
    records = {person.id: person for person in (*mentees, *mentors)}
    allowed = {}
    for mentee_id, mentor_id in sorted(former):
        rule = matching.broken_rule(
            records[mentee_id],
            records[mentor_id],
            policy=cohort.programme.matching_policy,
            separate_departments=config.separate_departments,
            forbidden=bans,
        )
        if rule is None:
            allowed.setdefault(mentee_id, []).append(mentor_id)
    if not allowed:
        return proposal
    # By id, not by name: the name is looked up when the run is shown, so that it goes
    # with her erasure (``selectors.unmatched_of``).
    unmatched = [
        (
            mentee_id,
            reason
            if mentee_id not in allowed
            else (*reason, matching.message(FORMER_PARTNERS, mentors=allowed[mentee_id])),
        )
        for mentee_id, reason in proposal.unmatched
    ]
    return dataclasses.replace(proposal, unmatched=tuple(unmatched))


def matching_run(*, cohort, actor):
    """Computes and stores a new proposal for ``cohort``; sends nothing.

    The run lists the unmatched mentees and the people left out of the solver (e.g.
    without consent to pass their data on), each with the reason. It becomes the cohort's
    current proposal, the only one that can be published.
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
        pairs = [
            ProposedPair(
                run=run,
                mentee_id=pair.mentee_id,
                mentor_id=pair.mentor_id,
                score=pair.score,
                parts=pair.parts,
                explanation=list(pair.explanation),
                pinned=pair.pinned,
            )
            for pair in proposal.pairs
        ]
        _add_comparison(run, pairs)
        ProposedPair.objects.bulk_create(pairs)
    return run


def _add_comparison(run, pairs):
    """Adds to each pair what the proposal page compares, to be stored with it: worked out
    once for the whole run, instead of scoring every mentor again for each page shown."""
    mentees = (
        Application.objects.select_related("organisation")
        .prefetch_related("topics", "wished_organisations", "avoided_organisations")
        .in_bulk([pair.mentee_id for pair in pairs])
    )
    for pair in pairs:
        pair.mentee = mentees[pair.mentee_id]
    for pair, (km, runner) in zip(pairs, _compare(run, pairs)[0], strict=True):
        pair.km = km
        if runner is not None:
            pair.runner_up_mentor_id = runner.mentor_id
            pair.runner_up_score = runner.score
            pair.runner_up_explanation = list(runner.explanation)


def _people(*pks):
    """The applications ``pks`` with what the hard rules read, locked for this transaction."""
    locked = (
        Application.objects.select_for_update(of=("self",))
        .select_related("applicant", "organisation")
        .prefetch_related("topics", "wished_organisations", "avoided_organisations")
        .filter(pk__in=pks)
        .order_by("pk")
    )
    return {application.pk: application for application in locked}


def _broken_rule_text(cohort, mentee, mentor, *, forbidden=()):
    """The hard rule this one pair breaks, said with names; None if the pair is allowed."""
    config = settings_for(cohort=cohort)
    rule = matching.broken_rule(
        as_mentee(application=mentee, lookup=MentorLookup([mentor])),
        as_mentor(application=mentor, seats=mentor.capacity),
        policy=cohort.programme.matching_policy,
        separate_departments=config.separate_departments,
        forbidden=forbidden,
    )
    return None if rule is None else _rule_text(rule, mentee, mentor)


def _check_pin(cohort, mentee, mentor):
    """Refuses a pin the solver could never keep, with both names and the reason."""
    names = {"mentee": _name(mentee), "mentor": _name(mentor)}
    for person in (mentee, mentor):
        if person.state != ApplicationState.ACCEPTED:
            raise TandemError(
                _("%(name)s ist nicht angenommen; festlegen lassen sich nur angenommene Personen.")
                % {"name": _name(person)}
            )
    active = Tandem.objects.filter(cohort=cohort, status=TandemStatus.ACTIVE)
    current = active.filter(mentee=mentee).select_related("mentor__applicant").first()
    if current is not None:
        raise TandemError(
            _("%(mentee)s hat bereits ein Tandem mit %(partner)s.")
            % {**names, "partner": _name(current.mentor)}
        )
    other = (
        PairConstraint.objects.filter(mentee=mentee, kind=ConstraintKind.PIN)
        .exclude(mentor=mentor)
        .select_related("mentor__applicant")
        .first()
    )
    if other is not None:
        raise TandemError(
            _(
                "Für %(mentee)s ist bereits %(other)s festgelegt. Heben Sie diese Vorgabe "
                "zuerst auf."
            )
            % {**names, "other": _name(other.mentor)}
        )
    reason = _broken_rule_text(cohort, mentee, mentor)
    if reason is not None:
        raise TandemError(_("Diese Vorgabe ist nicht möglich: %(reason)s") % {"reason": reason})
    seats = mentor.capacity - active.filter(mentor=mentor).count()
    taken = [
        _name(pin.mentee)
        for pin in PairConstraint.objects.filter(mentor=mentor, kind=ConstraintKind.PIN)
        .exclude(mentee=mentee)
        .exclude(mentee__in=active.values("mentee_id"))
        .select_related("mentee__applicant")
        .order_by("pk")
    ]
    if seats <= 0:
        raise TandemError(_("%(mentor)s hat keinen freien Platz mehr.") % names)
    if len(taken) >= seats:
        raise TandemError(
            _("Die freien Plätze von %(mentor)s sind schon festgelegt: %(taken)s.")
            % {**names, "taken": ", ".join(taken)}
        )


@transaction.atomic
def pair_constrain(*, cohort, mentee, mentor, kind, actor):
    """Pins or forbids a pair for the next runs (replacing an earlier pin or ban of it).

    A pin is refused, with both names and the reason, when the solver could never keep it:
    the pair breaks a hard rule of the programme (same organisation, the mentee's own line
    manager, the same department, the mentee's veto), someone is not accepted, the mentee
    already has an active tandem or another pin, or the mentor's free seats are taken.
    The row keeps who set it and when, and the matching log says what it replaced. Sends
    nothing.
    """
    if mentee.cohort_id != cohort.pk or mentor.cohort_id != cohort.pk:
        raise TandemError(_("Mentee und Mentor:in müssen beide zu diesem Jahrgang gehören."))
    if (mentee.role, mentor.role) != (ApplicationRole.MENTEE, ApplicationRole.MENTOR):
        raise TandemError(_("Ein Paar besteht aus einer Mentee und einer Mentor:in."))
    # Lock both people: two chairs pinning the same mentee or mentor at once serialise here.
    people = _people(mentee.pk, mentor.pk)
    if kind == ConstraintKind.PIN:
        _check_pin(cohort, people[mentee.pk], people[mentor.pk])
    before = PairConstraint.objects.filter(mentee=mentee, mentor=mentor).first()
    constraint, _created = PairConstraint.objects.update_or_create(
        mentee=mentee, mentor=mentor, defaults={"cohort": cohort, "kind": kind, "created_by": actor}
    )
    _log_pair(
        constraint,
        actor=actor,
        action=MatchingLogAction.PINNED
        if kind == ConstraintKind.PIN
        else MatchingLogAction.FORBIDDEN,
        before=before,
    )
    return constraint


@transaction.atomic
def pair_release(*, mentee, mentor, actor):
    """Lifts the pin or ban of this pair; it counts from the next proposal.

    Logs who lifted it in the matching log. Sends nothing.
    """
    constraint = (
        PairConstraint.objects.select_for_update().filter(mentee=mentee, mentor=mentor).first()
    )
    if constraint is None:
        raise TandemError(_("Diese Vorgabe besteht nicht mehr."))
    constraint.delete()
    _log_pair(constraint, actor=actor, action=MatchingLogAction.RELEASED, before=constraint)


def _log_pair(constraint, *, actor, action, before):
    MatchingLog.objects.create(
        cohort_id=constraint.cohort_id,
        mentee_id=constraint.mentee_id,
        mentor_id=constraint.mentor_id,
        actor=actor,
        action=action,
        from_state=before.kind if before else "",
    )


def mentor_choices(*, cohort, mentee):
    """Every mentor with a free seat, scored for ``mentee``, for a choice by hand.

    Returns a list of dicts, allowed mentors first (best score first), then those a hard
    rule forbids: ``application``, ``score``, ``explanation`` (messages, see
    ``matching``), ``km``, ``reason`` (text in the active language, with names; None if
    allowed) and ``former`` (her partner in a tandem that ended early: allowed, but only
    chosen on purpose). The scores are those of a proposal.
    Refuses a mentee the solver would not see (not accepted, in an active tandem, or
    without consent). Reads only.
    """
    mentees, mentors, left_out, lookup = free_people(cohort=cohort)
    found = next((application for application in mentees if application.pk == mentee.pk), None)
    if found is None:
        raise TandemError(_why_not_free(cohort, mentee, left_out))
    config = settings_for(cohort=cohort)
    bans = set(
        PairConstraint.objects.filter(mentee=found, kind=ConstraintKind.FORBID).values_list(
            "mentee_id", "mentor_id"
        )
    )
    former = {mentor_id for mentee_id, mentor_id in _former_pairs(cohort) if mentee_id == found.pk}
    record = as_mentee(application=found, lookup=lookup)
    records = [
        as_mentor(application=application, seats=seats) for application, seats in mentors.items()
    ]
    by_id = {application.pk: application for application in mentors}
    return [
        {
            "application": by_id[candidate.mentor_id],
            "score": candidate.score,
            "explanation": candidate.explanation,
            "km": candidate.km,
            "reason": None
            if candidate.rule is None
            else _rule_text(candidate.rule, found, by_id[candidate.mentor_id]),
            "former": candidate.mentor_id in former,
        }
        for candidate in matching.candidates(
            record,
            records,
            policy=cohort.programme.matching_policy,
            weights=_weights(config),
            forbidden=bans,
            separate_departments=config.separate_departments,
            max_distance_km=float(config.max_distance_km),
        )
    ]


def _why_not_free(cohort, mentee, left_out):
    names = {"mentee": _name(mentee)}
    if mentee.role != ApplicationRole.MENTEE or mentee.cohort_id != cohort.pk:
        return _("%(mentee)s ist keine Mentee dieses Jahrgangs.") % names
    if mentee.state != ApplicationState.ACCEPTED:
        return _("%(mentee)s ist nicht angenommen.") % names
    current = (
        Tandem.objects.filter(cohort=cohort, mentee=mentee, status=TandemStatus.ACTIVE)
        .select_related("mentor__applicant")
        .first()
    )
    if current is not None:
        return _("%(mentee)s hat bereits ein Tandem mit %(partner)s.") % {
            **names,
            "partner": _name(current.mentor),
        }
    reason = next((e["reason"] for e in left_out if e.get("mentee") == mentee.pk), ())
    return _("%(mentee)s kann keinem Tandem zugeordnet werden: %(reason)s") % {
        **names,
        "reason": reason_text(reason),
    }


def _chosen(cohort, mentee, mentor):
    """The entry of ``mentor_choices`` for ``mentor``; refuses one that is not allowed."""
    choices = mentor_choices(cohort=cohort, mentee=mentee)
    choice = next((c for c in choices if c["application"].pk == mentor.pk), None)
    if choice is None:
        raise TandemError(
            _(
                "%(mentor)s steht nicht zur Wahl: keine angenommene Mentor:in dieses Jahrgangs "
                "mit freiem Platz."
            )
            % {"mentor": _name(mentor)}
        )
    if choice["reason"] is not None:
        raise TandemError(
            _("%(mentee)s und %(mentor)s können kein Tandem bilden: %(reason)s")
            % {"mentee": _name(mentee), "mentor": _name(mentor), "reason": choice["reason"]}
        )
    return choice


@transaction.atomic
def pair_by_hand(*, cohort, mentee, mentor, actor):
    """Pairs ``mentee`` with the mentor the chair chose, then computes a new proposal.

    The choice must be one of ``mentor_choices`` that no hard rule forbids (a refusal
    names the rule). It is stored as a pin, which replaces the mentee's earlier pin and
    keeps who set it and when; the new run (by ``actor``) lists it among its pins and
    marks the pair as pinned, and the other pairs are optimised around it. So a pair made
    by hand is traceable like any other. Returns the new run; sends nothing.
    """
    _people(mentee.pk, mentor.pk)
    _chosen(cohort, mentee, mentor)
    replaced = PairConstraint.objects.filter(mentee=mentee, kind=ConstraintKind.PIN).exclude(
        mentor=mentor
    )
    for constraint in replaced.select_for_update():
        constraint.delete()
        _log_pair(constraint, actor=actor, action=MatchingLogAction.RELEASED, before=constraint)
    pair_constrain(
        cohort=cohort, mentee=mentee, mentor=mentor, kind=ConstraintKind.PIN, actor=actor
    )
    return matching_run(cohort=cohort, actor=actor)


# What the page needs of every accepted mentor: the solver's view of her (``as_mentor``,
# ``MentorLookup``) and her name and organisation, should she be a runner-up.
MENTOR_FIELDS = [
    "organisation",
    "department",
    "leadership_level",
    "capacity",
    "transfer_consent_at",
    "applicant__email",
    "applicant__first_name",
    "applicant__last_name",
]


def proposal_details(run, pairs):
    """What the Beirat compares for each of ``pairs`` (a page of ``run``'s pairs, with
    ``runner_up_mentor`` selected as ``run_detail`` does).

    Sets on each pair ``facts`` (both people's topics, common ones marked, their level and
    the distance between their organisations) and ``runner_up``: the best other mentor
    the hard rules allowed for this mentee, scored with the run's weights, and whether
    this run proposes her for another mentee. A constant number of queries.
    """
    pairs = list(pairs)
    if not pairs:
        return pairs
    prefetch_related_objects([pair.mentee for pair in pairs], "topics")
    prefetch_related_objects([pair.mentor for pair in pairs], "topics")
    if run.compared:
        compared = [(pair.km, pair.runner_up_mentor) for pair in pairs]
    else:  # a run from before comparisons were stored
        prefetch_related_objects(
            [pair.mentee for pair in pairs], "wished_organisations", "avoided_organisations"
        )
        people, mentors = _compare(run, pairs)
        compared = []
        for pair, (km, runner) in zip(pairs, people, strict=True):
            if runner is not None:
                pair.runner_up_score = runner.score
                pair.runner_up_explanation = runner.explanation
            compared.append((km, None if runner is None else mentors[runner.mentor_id]))
    proposed = set(run.pairs.values_list("mentor_id", flat=True))
    for pair, (km, runner) in zip(pairs, compared, strict=True):
        mentee, mentor = pair.mentee, pair.mentor
        offered = {topic.pk for topic in mentor.topics.all()}
        wished = {topic.pk for topic in mentee.topics.all()}
        pair.facts = {
            "mentee_topics": [(t.name, t.pk in offered) for t in mentee.topics.all()],
            "mentor_topics": [(t.name, t.pk in wished) for t in mentor.topics.all()],
            "mentee_level": _mentee_level(mentee),
            "mentor_level": mentor.get_leadership_level_display() or mentor.position_title,
            "km": km,
        }
        pair.runner_up = (
            None
            if runner is None
            else {
                "application": runner,
                "score": pair.runner_up_score,
                "explanation": pair.runner_up_explanation,
                "taken": runner.pk in proposed,
            }
        )
        # There was one, whose data were erased since (``retention._forget_runner_up``).
        pair.runner_up_erased = runner is None and pair.runner_up_score is not None
    return pairs


def _compare(run, pairs):
    """For each of ``pairs`` (mentees with topics and wished and avoided organisations):
    the distance between the two organisations and the best other mentor of the cohort
    that the hard rules allow, a ``matching.Candidate`` or None (``matching.runners_up``);
    and the mentors compared, by id, with their names and organisations."""
    cohort = run.cohort
    needs_consent = cohort.programme.transfer_consent_required
    mentors = [
        application
        for application in Application.objects.filter(
            cohort=cohort, role=ApplicationRole.MENTOR, state=ApplicationState.ACCEPTED
        )
        .select_related("applicant", "organisation")
        .only(*MENTOR_FIELDS)
        .order_by("pk")
        if not needs_consent or application.transfer_consent_at is not None
    ]
    topics = topic_ids(applications=mentors)
    config = settings_for(cohort=cohort)
    try:
        weights = matching.Weights(**run.weights)
    except TypeError:
        weights = _weights(config)
    lookup = MentorLookup(mentors)
    records = [
        as_mentor(
            application=application, seats=application.capacity, topics=topics[application.pk]
        )
        for application in mentors
    ]
    # Every pair at once (``candidates`` per pair scored all mentors 100 times).
    compared = matching.runners_up(
        [as_mentee(application=pair.mentee, lookup=lookup) for pair in pairs],
        records,
        proposed=[pair.mentor_id for pair in pairs],
        policy=cohort.programme.matching_policy,
        weights=weights,
        forbidden=[tuple(p) for p in run.forbidden],
        separate_departments=config.separate_departments,
        max_distance_km=float(config.max_distance_km),
    )
    return compared, {application.pk: application for application in mentors}


def _mentee_level(application):
    grade = " ".join(part for part in (application.pay_scale, application.pay_grade) if part)
    return ", ".join(part for part in (application.position_title, grade) if part)


def _in_site_language(show, value):
    """``show(value)`` in the site's language: a log is a record, written in one language."""
    with translation.override(settings.LANGUAGE_CODE):
        return show(value)


def _log(tandem, *, actor, action, note=""):
    TandemLog.objects.create(tandem=tandem, actor=actor, action=action, note=note)


def _current_run_id(cohort):
    return (
        MatchingRun.objects.filter(cohort=cohort)
        .order_by("-created_at", "-pk")
        .values_list("pk", flat=True)
        .first()
    )


def _publication_plan(run):
    """(pairs that become tandems, [(pair, German reason)] skipped) if ``run`` is published.

    A pair whose mentee has an active tandem by now, or whose mentor has no seat left, is
    skipped, so nothing is doubled.
    """
    active = Tandem.objects.filter(cohort_id=run.cohort_id, status=TandemStatus.ACTIVE)
    matched = set(active.values_list("mentee_id", flat=True))
    load = Counter(active.values_list("mentor_id", flat=True))
    formed, skipped = [], []
    for pair in run.pairs.select_related(
        "mentee__applicant", "mentee__organisation", "mentor__applicant", "mentor__organisation"
    ).order_by("pk"):
        if pair.mentee_id in matched:
            skipped.append((pair, _("hat inzwischen ein Tandem")))
        elif load[pair.mentor_id] >= pair.mentor.capacity:
            skipped.append(
                (
                    pair,
                    _("%(mentor)s hat keinen freien Platz mehr") % {"mentor": _name(pair.mentor)},
                )
            )
        else:
            formed.append(pair)
            matched.add(pair.mentee_id)
            load[pair.mentor_id] += 1
    return formed, skipped


def _after_end(cohort, start):
    """Why no tandem of ``cohort`` can begin on ``start`` (German), or None: one beginning
    after the cohort's last day would have no month and no day for a contact."""
    if start <= cohort.end_date:
        return None
    return _("Der Jahrgang endete am %(end)s; danach werden keine Tandems mehr gebildet.") % {
        "end": short_date(cohort.end_date)
    }


def _publication_refusal(run, formed, start):
    """Why ``run`` cannot be published with tandems beginning on ``start`` (German), or None."""
    if run.published_at is not None:
        return _("Dieser Vorschlag ist bereits veröffentlicht.")
    if (after_end := _after_end(run.cohort, start)) is not None:
        return after_end
    if _current_run_id(run.cohort_id) != run.pk:
        return _(
            "Veröffentlicht werden kann nur der neueste Vorschlag. Öffnen Sie ihn oder "
            "berechnen Sie einen neuen."
        )
    if not run.pairs.exists():
        return _("Dieser Vorschlag enthält kein Paar; es gibt nichts zu veröffentlichen.")
    if not formed:
        return _(
            "Keines der Paare dieses Vorschlags kann noch gebildet werden. Berechnen Sie einen "
            "neuen Vorschlag."
        )
    return None


def publication_preview(run):
    """What publishing ``run`` would do, for the confirmation page; reads only.

    A dict: ``refusal`` (German, or None), ``formed`` (pairs that become tandems),
    ``skipped`` ([(pair, reason)]), ``emails`` (two per tandem, one to each partner),
    ``start`` (the day the tandems begin),
    ``unmatched`` ([{"application", "reason"}]: the run's people without a tandem) and
    ``idle_mentors`` (accepted mentors who would have no mentee). Constant queries.
    """
    formed, skipped = _publication_plan(run)
    start = start_of_new_tandems(run.cohort)
    unmatched = unmatched_of(run=run)
    busy = set(
        Tandem.objects.filter(cohort_id=run.cohort_id, status=TandemStatus.ACTIVE).values_list(
            "mentor_id", flat=True
        )
    ) | {pair.mentor_id for pair in formed}
    listed = {entry["application"].pk for entry in unmatched}
    idle_mentors = list(
        Application.objects.filter(
            cohort_id=run.cohort_id, role=ApplicationRole.MENTOR, state=ApplicationState.ACCEPTED
        )
        .exclude(pk__in=busy | listed)
        .select_related("applicant", "organisation")
        .order_by("applicant__last_name", "pk")
    )
    return {
        "refusal": _publication_refusal(run, formed, start),
        "formed": formed,
        "skipped": skipped,
        "emails": 2 * len(formed),
        "start": start,
        "unmatched": unmatched,
        "idle_mentors": idle_mentors,
    }


def start_of_new_tandems(cohort):
    """The day tandems published now begin: the cohort's start, or today once it has
    started (a proposal published late does not begin in the past)."""
    return max(cohort.start_date, timezone.localdate())


@transaction.atomic
def matching_publish(*, run, actor, start_date=None):
    """Creates the tandems of ``run`` and introduces the partners to each other by e-mail.

    Returns the tandems created, beginning on ``start_date`` (by default
    ``start_of_new_tandems``; never after the cohort's end). Only the cohort's current
    (newest) proposal with at least one pair that can still be formed is published, and
    only once; a pair whose mentee already has an active tandem, or whose mentor has no
    seat left, is skipped, so nothing is doubled. Records who published it and when; each
    tandem's log names the pair's explanation. Queues two introduction e-mails per tandem
    after commit.
    """
    run = MatchingRun.objects.select_for_update().select_related("cohort").get(pk=run.pk)
    cohort = run.cohort
    # Lock the cohort's accepted applications so two publications serialise.
    list(
        Application.objects.select_for_update()
        .filter(cohort=cohort, state=ApplicationState.ACCEPTED)
        .values_list("pk", flat=True)
    )
    formed, _skipped = _publication_plan(run)
    start_date = start_date or start_of_new_tandems(cohort)
    refusal = _publication_refusal(run, formed, start_date)
    if refusal is not None:
        raise TandemError(refusal)
    created = []
    for pair in formed:
        tandem = Tandem.objects.create(
            cohort=cohort,
            mentee_id=pair.mentee_id,
            mentor_id=pair.mentor_id,
            run=run,
            start_date=start_date,
        )
        _log(
            tandem,
            actor=actor,
            action=TandemLogAction.PUBLISHED,
            note=_in_site_language(explanation_text, pair.explanation),
        )
        created.append(tandem)
        outbox.enqueue(send_tandem_introduction, tandem_id=tandem.pk)
    run.published_at = timezone.now()
    run.published_by = actor
    run.save(update_fields=["published_at", "published_by"])
    return created


@transaction.atomic
def tandem_end(*, tandem, actor, reason, category="", on=None):
    """Ends a tandem early with its reason; the mentee can then be matched again.

    ``category`` groups the reason for the cohort report (an ``EndCategory``; blank only
    where no person says why, as when her data is erased on request). Records the end in
    the tandem's log (who, when, why). Her former mentor is not proposed to her again
    unless the Beirat chooses her on purpose. Sends nothing.
    """
    reason = (reason or "").strip()
    if not reason:
        raise TandemError(_("Bitte geben Sie den Grund an."))
    if category and category not in EndCategory.values:
        raise TandemError(_("Bitte wählen Sie die Art des Grundes."))
    tandem = Tandem.objects.select_for_update().get(pk=tandem.pk)
    if tandem.status != TandemStatus.ACTIVE:
        raise TandemError(_("Dieses Tandem ist nicht mehr aktiv."))
    tandem.status = TandemStatus.ENDED
    tandem.ended_at = on or timezone.localdate()
    tandem.end_reason = reason
    tandem.end_category = category
    tandem.save()
    _log(tandem, actor=actor, action=TandemLogAction.ENDED, note=reason)
    return tandem


def rematch_options(ended):
    """The mentors the mentee of the early-ended tandem ``ended`` may get; reads only.

    ``mentor_choices`` for her, or a TandemError (German) saying why she cannot be
    re-matched now.
    """
    if ended.status != TandemStatus.ENDED:
        raise TandemError(_("Neu zugeordnet wird nur nach einem vorzeitigen Ende."))
    if (after_end := _after_end(ended.cohort, timezone.localdate())) is not None:
        raise TandemError(after_end)
    return mentor_choices(cohort=ended.cohort, mentee=ended.mentee)


@transaction.atomic
def tandem_rematch(*, ended, actor, mentor=None):
    """Gives the mentee of an early-ended tandem a new mentor, and forms the tandem at once.

    Without ``mentor``, the best mentor with a free seat, never her former partner of an
    early-ended tandem (unless the Beirat pinned that pair). With ``mentor``, the one the
    Beirat chose, which may be her former partner on purpose, if no hard rule forbids it.
    The new tandem starts today, its log says how it was chosen, and the two are
    introduced by e-mail after commit.
    """
    ended = Tandem.objects.select_for_update().select_related("cohort__programme").get(pk=ended.pk)
    if ended.status != TandemStatus.ENDED:
        raise TandemError(_("Neu zugeordnet wird nur nach einem vorzeitigen Ende."))
    if Tandem.objects.filter(mentee_id=ended.mentee_id, status=TandemStatus.ACTIVE).exists():
        raise TandemError(_("Die Mentee hat bereits ein aktives Tandem."))
    if (after_end := _after_end(ended.cohort, timezone.localdate())) is not None:
        raise TandemError(after_end)
    mentee = Application.objects.select_related("applicant").get(pk=ended.mentee_id)
    if mentor is not None:
        _people(mentee.pk, mentor.pk)
        choice = _chosen(ended.cohort, mentee, mentor)
        mentor_id = mentor.pk
        # The log is a record: written in the site's language, like the explanations.
        with translation.override(settings.LANGUAGE_CODE):
            note = _("von Hand gewählt: %(explanation)s") % {
                "explanation": explanation_text(choice["explanation"])
            }
            if choice["former"]:
                note = _("frühere Mentor:in bewusst gewählt; %(note)s") % {"note": note}
    else:
        mentor_id, note = _best_new_mentor(ended, mentee)
    tandem = Tandem.objects.create(
        cohort=ended.cohort,
        mentee_id=mentee.pk,
        mentor_id=mentor_id,
        start_date=timezone.localdate(),
    )
    _log(tandem, actor=actor, action=TandemLogAction.REMATCHED, note=note)
    outbox.enqueue(send_tandem_introduction, tandem_id=tandem.pk)
    return tandem


def _best_new_mentor(ended, mentee):
    """(mentor id, explanation) the solver proposes for the mentee alone; or a refusal."""
    proposal, _weights, _pinned, _forbidden, left_out = _solve(ended.cohort, only_mentee=mentee.pk)
    if proposal.pairs:
        (pair,) = proposal.pairs
        return pair.mentor_id, _in_site_language(explanation_text, pair.explanation)
    reasons = [
        reason_text(reason)
        for reason in with_partner_names(reasons=[reason for _mentee, reason in proposal.unmatched])
    ]
    reasons += [reason_text(entry["reason"]) for entry in left_out]
    formers = [
        choice["application"]
        for choice in (mentor_choices(cohort=ended.cohort, mentee=mentee) if not left_out else [])
        if choice["former"] and choice["reason"] is None
    ]
    if formers:
        raise TandemError(
            _(
                "Keine neue Zuordnung möglich: Einen freien Platz hat nur die frühere "
                "Mentor:in %(mentor)s. Wählen Sie sie bewusst aus, wenn das Tandem neu "
                "beginnen soll."
            )
            % {"mentor": _name(formers[0])}
        )
    reason = reasons[0] if reasons else ""
    raise TandemError(_("Keine neue Zuordnung möglich: %(reason)s") % {"reason": reason})


# Goal agreement --------------------------------------------------------------------------


def _locked_agreement(agreement):
    """The agreement's row, created if it is still missing, locked for this transaction."""
    if agreement.pk is None:
        agreement, _created = GoalAgreement.objects.get_or_create(tandem_id=agreement.tandem_id)
    return (
        GoalAgreement.objects.select_for_update(of=("self",))
        .select_related("tandem__mentee", "tandem__mentor", "tandem__cohort")
        .get(pk=agreement.pk)
    )


def _writable_by(agreement, actor):
    """The actor's role in the agreement's tandem; refuses strangers and ended tandems."""
    role = partner_role(tandem=agreement.tandem, user=actor)
    if role is None:
        raise TandemError(_("Nur das Tandem selbst schreibt und bestätigt die Zielvereinbarung."))
    if agreement.tandem.status != TandemStatus.ACTIVE:
        raise TandemError(_("Dieses Tandem ist nicht mehr aktiv."))
    return role


def _topic_names(topics):
    return sorted(topic.name for topic in topics)


def _changes(agreement, data):
    """{field: [before, after]} for each field of ``data`` whose value differs."""
    changes = {}
    for name, value in data.items():
        if name == "topics":
            before = list(agreement.topics.all())
            if {topic.pk for topic in before} != {topic.pk for topic in value}:
                changes[name] = [_topic_names(before), _topic_names(value)]
        elif getattr(agreement, name) != value:
            changes[name] = [getattr(agreement, name), value]
    return changes


def _record(agreement, *, actor, role, action, changes=None):
    GoalAgreementEntry.objects.create(
        agreement=agreement,
        actor=actor,
        role=role,
        action=action,
        version=agreement.version,
        changes=changes or {},
    )


@transaction.atomic
def goal_agreement_save(*, agreement, actor, data, based_on=None):
    """Saves the actor's own part and the shared part of the tandem's goal agreement.

    ``data`` holds cleaned values of some of ``GoalAgreement.fields_of(role)`` (``topics``
    an iterable of the programme's Topics); fields not in it stay as they are. The mentee
    writes the topics and her expectations, the mentor her expectations and what she
    offers, both the shared part (see ``GoalAgreement``). ``based_on`` is the version the
    actor's form showed: if the agreement changed since, nothing is saved, so neither
    overwrites what the other wrote meanwhile.

    A real change raises the version, withdraws both confirmations (both confirm the new
    text again) and is recorded with its fields, old and new values, who and when; saving
    without a change does nothing. The first save creates the agreement. Sends nothing.
    """
    locked = _locked_agreement(agreement)
    role = _writable_by(locked, actor)
    if set(data) - set(GoalAgreement.fields_of(role)):
        raise TandemError(_("Diesen Teil der Zielvereinbarung schreibt Ihr Gegenüber."))
    if based_on is not None and based_on != locked.version:
        raise TandemError(
            _(
                "Ihr Gegenüber hat die Zielvereinbarung geändert, während Sie sie bearbeitet "
                "haben. Bitte prüfen Sie die aktuelle Fassung und speichern Sie erneut."
            )
        )
    topics = data.get("topics")
    if topics is not None:
        topics = list(topics)
        programme_id = locked.tandem.cohort.programme_id
        if any(topic.programme_id != programme_id for topic in topics):
            raise TandemError(_("Dieses Thema gehört nicht zu Ihrem Programm."))
        data = {**data, "topics": topics}
    changes = _changes(locked, data)
    if not changes:
        return locked
    for name, value in data.items():
        if name != "topics":
            setattr(locked, name, value)
    if topics is not None:
        locked.topics.set(topics)
    locked.version += 1
    locked.mentee_confirmed_at = None
    locked.mentor_confirmed_at = None
    locked.save()
    _record(locked, actor=actor, role=role, action=GoalAgreementAction.CHANGED, changes=changes)
    return locked


@transaction.atomic
def goal_agreement_confirm(*, agreement, actor, version=None):
    """Records the actor's confirmation of the agreement as it stands (and in the history).

    ``version`` is the version the actor read: a text changed since is not confirmed.
    Refused before the mentee has chosen topics. The tandem's log records that she
    confirmed, never what. Sends nothing.
    """
    locked = _locked_agreement(agreement)
    role = _writable_by(locked, actor)
    if version is not None and version != locked.version:
        raise TandemError(
            _(
                "Die Zielvereinbarung wurde inzwischen geändert. Bitte lesen Sie die neue "
                "Fassung und bestätigen Sie dann."
            )
        )
    if not (locked.topics_other or locked.topics.exists()):
        if role == "mentor":
            raise TandemError(_("Die Mentee hat noch keine Themen eingetragen."))
        raise TandemError(_("Bitte tragen Sie zuerst Ihre Themen ein."))
    if getattr(locked, f"{role}_confirmed_at") is not None:
        raise TandemError(_("Sie haben diese Fassung bereits bestätigt."))
    setattr(locked, f"{role}_confirmed_at", timezone.now())
    locked.save()
    _record(locked, actor=actor, role=role, action=GoalAgreementAction.CONFIRMED)
    _log(locked.tandem, actor=actor, action=TandemLogAction.GOAL_AGREEMENT_CONFIRMED)
    return locked


# Contacts ------------------------------------------------------------------------------


# What a partner writes about a contact (the fields of ``ContactForm``).
CONTACT_FIELDS = ("date", "format", "duration_minutes", "topics", "topics_other", "note")


@transaction.atomic
def contact_save(*, tandem, actor, data, contact=None):
    """Logs a new contact of ``tandem``, or saves the author's change to her own ``contact``.

    ``data`` holds cleaned values of ``CONTACT_FIELDS`` (``topics`` an iterable of
    Topics); fields not in it stay as they are. Sends nothing.
    """
    if partner_role(tandem=tandem, user=actor) is None:
        raise TandemError(_("Nur das Tandem selbst trägt Kontakte ein."))
    if contact is None:
        contact = Contact(tandem=tandem, author=actor)
    elif contact.author_id != actor.pk:
        raise TandemError(_("Sie können nur Ihre eigenen Einträge ändern."))
    for name in CONTACT_FIELDS:
        if name in data and name != "topics":
            setattr(contact, name, data[name])
    contact.save()
    if "topics" in data:
        contact.topics.set(data["topics"])
    return contact


def contact_delete(*, contact, actor):
    if contact.author_id != actor.pk:
        raise TandemError(_("Sie können nur Ihre eigenen Einträge löschen."))
    contact.delete()
