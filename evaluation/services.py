"""Setting up a cohort's surveys, answering one, and asking for a call after a difficult start.

``survey_answer`` is the only writer of the counters (see ``evaluation.models`` for why an
answer is never a row). It takes cleaned data: ``ratings`` maps item keys to the chosen
value (or ``None`` for a skipped item), ``texts`` maps open questions to her text.
"""

import random
from datetime import date, timedelta

from django.db import IntegrityError, transaction
from django.db.models import Case, F, Max, Q, When
from django.utils import timezone
from django.utils.translation import gettext as _

from applications.enums import ApplicationRole
from cohorts.models import Cohort
from mentoring import outbox
from mentoring.retention import add_months
from tandems.models import Tandem

from . import questions, selectors
from .enums import SurveyKind
from .models import EarlyWarning, RatingCount, Survey, SurveyAnswered, SurveyGroup, TextAnswer
from .tasks import send_early_warning_notice

# How long each survey stays open when the programme office takes the defaults.
OPEN_FOR = {
    SurveyKind.BASELINE: timedelta(weeks=3),
    SurveyKind.FIRST_MONTH: timedelta(weeks=2),
    SurveyKind.MIDTERM: timedelta(weeks=3),
    SurveyKind.FINAL: timedelta(weeks=3),
}


class SurveyError(Exception):
    """A refused answer; ``str(error)`` is the German message for her."""


def default_schedule(*, start: date, end: date, last_workshop: date | None = None) -> dict:
    """``{kind: (opens_on, closes_on)}`` of the four surveys of a cohort from ``start`` to ``end``.

    The baseline opens on the first day, the one-month check-in a month later, the mid-term
    survey half-way through; the final survey the day after the last workshop, if that lies
    in the second half, else three weeks before the end. Pure: no database.
    """
    middle = start + (end - start) / 2
    if last_workshop is not None and last_workshop > middle:
        final = last_workshop + timedelta(days=1)
    else:
        final = max(end - OPEN_FOR[SurveyKind.FINAL], middle)
    opens = {
        SurveyKind.BASELINE: start,
        SurveyKind.FIRST_MONTH: add_months(start, 1),
        SurveyKind.MIDTERM: middle,
        SurveyKind.FINAL: final,
    }
    # ``closes_on`` is the last day on which she can answer.
    return {kind: (day, day + OPEN_FOR[kind] - timedelta(days=1)) for kind, day in opens.items()}


@transaction.atomic
def surveys_create_defaults(*, cohort: Cohort, actor) -> list[Survey]:
    """Creates those of the cohort's four surveys that it does not have yet, with the dates of
    ``default_schedule``; returns the new ones. Leaves existing surveys as they are, so a
    second call creates nothing. Sends nothing: invitations go with the reminder sweep once
    a survey opens (``evaluation.reminders``). Who created them (``actor``) the admin view
    writes to its log, one entry per survey.
    """
    # The row lock orders two clicks at once; the second finds the first one's surveys.
    cohort = Cohort.objects.select_for_update().get(pk=cohort.pk)
    existing = set(cohort.surveys.values_list("kind", flat=True))
    last_workshop = cohort.workshops.aggregate(last=Max("date"))["last"]
    schedule = default_schedule(
        start=cohort.start_date, end=cohort.end_date, last_workshop=last_workshop
    )
    return [
        Survey.objects.create(cohort=cohort, kind=kind, opens_on=opens, closes_on=closes)
        for kind, (opens, closes) in schedule.items()
        if kind not in existing
    ]


@transaction.atomic
def survey_answer(*, survey: Survey, user, ratings: dict, texts: dict, today=None) -> bool:
    """Adds her answers to the survey's counters; returns whether they are an early warning.

    Refuses a survey that is not open today, a person who does not take part, and a second
    answer. Values outside an item's scale and unknown keys are refused, not stored.
    """
    today = today or timezone.localdate()
    if not survey.is_open_on(today):
        raise SurveyError(_("Diese Befragung ist nicht geöffnet."))
    role = selectors.survey_role(survey=survey, user=user)
    if role is None:
        raise SurveyError(_("Sie gehören nicht zu den Befragten dieses Jahrgangs."))
    items = {item.key: item for item in questions.ITEMS[survey.kind]}
    text_keys = {item.key for item in questions.TEXT_ITEMS[survey.kind]}
    if survey.extra_question:
        text_keys.add(questions.EXTRA)
    chosen = {key: value for key, value in ratings.items() if value is not None}
    for key, value in chosen.items():
        if key not in items or value not in dict(items[key].choices):
            raise SurveyError(_("Eine Antwort liegt außerhalb der Skala."))
    if set(texts) - text_keys:
        raise SurveyError(_("Diese Frage gehört nicht zur Befragung."))
    longest = TextAnswer._meta.get_field("text").max_length
    if any(len(text or "") > longest for text in texts.values()):
        raise SurveyError(_("Eine Antwort ist zu lang."))
    try:
        with transaction.atomic():
            SurveyAnswered.objects.create(survey=survey, user=user)
    except IntegrityError:
        raise SurveyError(_("Sie haben diese Befragung bereits beantwortet.")) from None
    group, _created = SurveyGroup.objects.get_or_create(survey=survey, role=role)
    # The row lock orders concurrent answers of the group, so every increment counts.
    group = SurveyGroup.objects.select_for_update().get(pk=group.pk)
    SurveyGroup.objects.filter(pk=group.pk).update(responses=F("responses") + 1)
    _create_counters(group, items.values())
    _count(group, chosen)
    _add_texts(group, {key: text.strip() for key, text in texts.items() if text and text.strip()})
    return questions.is_early_warning(survey.kind, chosen)


def _create_counters(group, items):
    """Every counter of the group at zero, before the first answer is counted.

    Created one by one as values first occur, the counters' sequence of keys would tell in
    which order values were first chosen, and so, next to the order of ``SurveyAnswered``,
    what the first people to answer chose. Created all at once, their keys tell nothing.
    (An item added to the catalogue later gets its counters with the next answer.)
    """
    RatingCount.objects.bulk_create(
        [
            RatingCount(group=group, item=item.key, value=value, count=0)
            for item in items
            for value, _label in item.choices
        ],
        ignore_conflicts=True,
    )


def _count(group, chosen):
    """Adds one to the chosen counters, in one statement that writes every counter of the
    group: PostgreSQL stamps each row it writes with the writing transaction (``xmin``),
    the same transaction that wrote her ``SurveyAnswered``. Were only her values written,
    that stamp would tell, for each value, who chose it last."""
    chosen_values = Q(pk__in=[])
    for key, value in chosen.items():
        chosen_values |= Q(item=key, value=value)
    RatingCount.objects.filter(group=group).update(
        count=F("count") + Case(When(chosen_values, then=1), default=0)
    )


def _add_texts(group, texts):
    """Adds her free text to the group's, and writes all of the group's anew, in random
    order and under new keys: so neither the transaction stamp of a row nor its place in
    the table tells whose it is (as a plain insert next to her ``SurveyAnswered`` would)."""
    if not texts:
        return
    kept = list(TextAnswer.objects.filter(group=group).values_list("item", "text"))
    TextAnswer.objects.filter(group=group).delete()
    rows = kept + list(texts.items())
    random.SystemRandom().shuffle(rows)
    TextAnswer.objects.bulk_create(
        TextAnswer(group=group, item=item, text=text) for item, text in rows
    )


@transaction.atomic
def early_warning_raise(*, survey: Survey, user, message: str = "") -> EarlyWarning:
    """She asks her equality officer to contact her after the one-month check-in.

    Only for a survey she answered; a second request keeps the first (and its message).
    The request names the officer the question named (``selectors.her_contact``), and
    she is told by e-mail, after the commit, that someone asks (``tasks``; no name in it).
    """
    if survey.kind != SurveyKind.FIRST_MONTH:
        raise SurveyError(_("Diese Befragung sieht keine Bitte um Kontakt vor."))
    if not SurveyAnswered.objects.filter(survey=survey, user=user).exists():
        raise SurveyError(_("Bitte beantworten Sie zuerst die Befragung."))
    role = selectors.survey_role(survey=survey, user=user)
    tandem = _current_tandem(survey=survey, user=user, role=role)
    contact = selectors.her_contact(survey=survey, user=user)
    warning, created = EarlyWarning.objects.get_or_create(
        survey=survey,
        user=user,
        defaults={
            "tandem": tandem,
            "message": message.strip(),
            "contact": contact.user if contact else None,
        },
    )
    if created and warning.contact_id is not None:
        outbox.enqueue(send_early_warning_notice, warning_id=warning.pk)
    return warning


def _current_tandem(*, survey, user, role):
    """Her latest tandem of the survey's cohort, on the side ``role`` says. Not
    ``tandems.selectors.tandems_of``: that takes both sides (she may be a mentee and a
    mentor of one cohort), orders a tie on the start day the other way, and joins the
    people, the cohort and the goal agreement that nobody reads here."""
    side = "mentee__applicant" if role == ApplicationRole.MENTEE else "mentor__applicant"
    return (
        Tandem.objects.filter(cohort_id=survey.cohort_id, **{side: user})
        .order_by("-start_date", "-pk")
        .first()
    )


@transaction.atomic
def early_warning_handle(*, warning: EarlyWarning, actor) -> EarlyWarning:
    """Marks her request as handled by ``actor`` (the officer who called her). Refuses one
    that is handled already, and keeps who did it first. Sends nothing."""
    locked = EarlyWarning.objects.select_for_update().get(pk=warning.pk)
    if locked.handled_at is not None:
        raise SurveyError(_("Diese Bitte ist bereits erledigt."))
    locked.handled_at = timezone.now()
    locked.handled_by = actor
    locked.save(update_fields=["handled_at", "handled_by"])
    warning.handled_at, warning.handled_by = locked.handled_at, actor
    return warning
