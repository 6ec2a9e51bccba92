"""The cohort report and the programme's comparison of its cohorts: every figure, computed
once, for the page, the PDF and the spreadsheet alike.

Small groups. Every figure is computed over a group of people (its denominator: the
submitted applications of a role, a cohort's tandems, the people recorded at a workshop,
the answers to a survey). A figure whose group has fewer than ``MIN_GROUP`` people is
suppressed and shows as "< 5", a group's own size included; ``figure`` is the one place
that decides it, and every output shows a ``Figure`` as ``str(figure)`` or
``figure.cell()``. An empty group names nobody and shows as 0 or "–". Survey figures
appear only for a survey that has closed and only for a group of at least ``MIN_GROUP``
answers; the counters and free texts of any other group are not even read.

Outcomes. Participants are the cohort's accepted mentees; the comparison group are its
waitlisted or rejected mentees who agree (now) to the follow-up questions. Of each group,
those with at least one career step dated from the cohort's start (a step of kind "none"
included) are the people whose outcome is known, and the outcome figures are shares of
them; the report says how many of the group that is.

A report reads the database a fixed number of times whatever the number of tandems,
answers or cohorts (``_load``), then computes in Python.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, DateField, Exists, OuterRef, Q
from django.db.models.functions import Cast, TruncMonth
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from applications import follow_ups
from applications.enums import (
    ApplicationRole,
    ApplicationState,
    CareerStepKind,
    EligibilityOutcome,
)
from applications.models import Application, CareerStep
from applications.selectors import careers_followed
from cohorts.models import Cohort, Programme
from mentoring.months import months_between
from tandems.enums import EndCategory, MonthState, TandemStatus
from tandems.models import Contact, Tandem
from tandems.progress import month_state
from workshops.enums import AttendanceStatus
from workshops.models import Workshop

from . import questions
from .enums import RELATIONSHIP_FUNCTIONS, Function, Scale, SurveyKind
from .models import MIN_GROUP, RatingCount, Survey, SurveyGroup, TextAnswer

SUPPRESSED = "< 5"
COUNT, SHARE, MEAN = "count", "share", "mean"
ROLES = (ApplicationRole.MENTEE, ApplicationRole.MENTOR)
# The steps the outcome section counts, in the order it shows them.
STEP_KINDS = (
    CareerStepKind.PROMOTION,
    CareerStepKind.LEADERSHIP,
    CareerStepKind.HORIZONTAL,
    CareerStepKind.APPLIED,
    CareerStepKind.NONE,
)
# Short names of the items the report shows one by one (the others by their function).
ITEM_LABELS = {
    "satisfaction_matching": gettext_lazy("Zufriedenheit mit der Tandembildung"),
    "satisfaction_workshops": gettext_lazy("Zufriedenheit mit den Workshops"),
    "satisfaction_beirat": gettext_lazy("Zufriedenheit mit der Unterstützung durch den Beirat"),
    "check_in_met": gettext_lazy("Erstes Tandemgespräch hat stattgefunden (Anteil „ja“)"),
}


def _half_up(value, digits):
    return float(Decimal(str(value)).quantize(Decimal(1).scaleb(-digits), ROUND_HALF_UP))


@dataclass(frozen=True)
class Figure:
    """One number of the report as every output shows it.

    ``value``: a count, a share (0 to 1) or a mean (1 to 5); None where there is nothing to
    show (no answers yet, a cohort still running). ``suppressed``: its group is too small.
    """

    value: float | int | None
    kind: str = COUNT
    suppressed: bool = False

    @property
    def shown(self):
        return not self.suppressed and self.value is not None

    @property
    def rounded(self):
        """The value as shown: a share to whole percent, a mean to one decimal."""
        if not self.shown:
            return None
        if self.kind == SHARE:
            return _half_up(self.value, 2)
        if self.kind == MEAN:
            return _half_up(self.value, 1)
        return self.value

    def __str__(self):
        if self.suppressed:
            return SUPPRESSED
        if self.value is None:
            return "–"
        if self.kind == SHARE:
            return f"{number_format(round(self.rounded * 100))} %"
        if self.kind == MEAN:
            return number_format(self.rounded, 1)
        return number_format(self.value)

    def cell(self):
        """For a spreadsheet: the number as shown (a share as a fraction), or the text."""
        return self.rounded if self.shown else str(self)


def figure(value, *, group, kind=COUNT):
    """``value``, computed over a group of ``group`` people, as the report may show it.

    The only place that suppresses: a group of 1 to ``MIN_GROUP - 1`` people gives "< 5".
    """
    if 0 < group < MIN_GROUP:
        return Figure(None, kind, suppressed=True)
    return Figure(value, kind)


def share(part, whole, *, group=None):
    """``part`` of ``whole`` as a share, over ``group`` people (by default ``whole``)."""
    group = whole if group is None else group
    return figure(part / whole if whole else None, group=group, kind=SHARE)


# The sections ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ApplicationRow:
    role: str
    label: str
    submitted: Figure
    eligible: Figure
    selected: Figure
    completed: Figure  # None until the cohort has ended


# The steps of an application the report counts, by their ``ApplicationRow`` field.
APPLICATION_STEPS = (
    ("submitted", gettext_lazy("eingereicht")),
    ("eligible", gettext_lazy("Voraussetzungen erfüllt")),
    ("selected", gettext_lazy("ausgewählt")),
    ("completed", gettext_lazy("abgeschlossen")),
)


@dataclass(frozen=True)
class Applications:
    rows: list[ApplicationRow]
    finished: bool  # whether the cohort has ended, so that "completed" is known

    @property
    def by_step(self):
        """(step label, [(role label, figure)]): the table of steps by role."""
        return [
            (str(label), [(row.label, getattr(row, name)) for row in self.rows])
            for name, label in APPLICATION_STEPS
        ]


@dataclass(frozen=True)
class Ending:
    category: str  # an EndCategory value, "" for those without one
    label: str
    count: Figure


@dataclass(frozen=True)
class EarlyEndings:
    tandems: Figure
    ended: Figure
    by_category: list[Ending]


@dataclass(frozen=True)
class ContactMonth:
    month: date
    tandems: Figure  # tandems whose month it was and is over (or had its contact)
    with_contact: Figure
    share: Figure


@dataclass(frozen=True)
class ContactRegularity:
    tandems: Figure
    tandem_months: Figure
    with_contact: Figure
    share: Figure
    months: list[ContactMonth]


@dataclass(frozen=True)
class WorkshopAttendance:
    title: str
    date: date
    recorded: Figure
    present: Figure
    excused: Figure
    absent: Figure


@dataclass(frozen=True)
class SurveyLine:
    label: str
    function: str
    value: Figure  # a mean on 1 to 5, or the share of "yes"
    n: Figure  # how many rated it (for a function: its most rated item)


@dataclass(frozen=True)
class SurveyTexts:
    question: str
    answers: list[str]  # in the random order of their keys: no sequence, no time


@dataclass(frozen=True)
class SurveyRole:
    role: str
    label: str
    responses: Figure
    shown: bool
    lines: list[SurveyLine] = field(default_factory=list)
    texts: list[SurveyTexts] = field(default_factory=list)


@dataclass(frozen=True)
class SurveyResult:
    kind: str
    label: str
    opens_on: date
    closes_on: date
    closed: bool
    roles: list[SurveyRole]

    def line(self, role, function):
        """The line of ``function`` for ``role``, or None."""
        for group in self.roles:
            if group.role == role:
                return next((line for line in group.lines if line.function == function), None)
        return None


@dataclass(frozen=True)
class OutcomeStep:
    kind: str
    label: str
    count: Figure
    share: Figure


@dataclass(frozen=True)
class OutcomeGroup:
    key: str  # "participants" or "comparison"
    label: str
    size: Figure  # the whole group
    known: Figure  # of them, with at least one recorded step
    steps: list[OutcomeStep]
    summary: str  # "8 von 15 Mentees befördert (53 %), 1 horizontale Veränderung"

    def step(self, kind):
        return next(step for step in self.steps if step.kind == kind)


@dataclass(frozen=True)
class Outcomes:
    since: date
    groups: list[OutcomeGroup]

    @property
    def rows(self):
        """(step label, [(group label, that step)]): the table of steps by group."""
        return [
            (step.label, [(group.label, group.steps[index]) for group in self.groups])
            for index, step in enumerate(self.groups[0].steps)
        ]


@dataclass(frozen=True)
class CohortReport:
    cohort: Cohort
    today: date
    applications: Applications
    early_endings: EarlyEndings
    contacts: ContactRegularity
    workshops: list[WorkshopAttendance]
    surveys: list[SurveyResult]
    outcomes: Outcomes
    free_texts: bool = True  # False: the free texts were left out (and not read)

    def survey(self, kind):
        return next((survey for survey in self.surveys if survey.kind == kind), None)


@dataclass(frozen=True)
class ProgrammeRow:
    cohort: Cohort
    applications: Figure  # mentees' submitted applications
    selected: Figure
    completed: Figure
    contact_share: Figure
    promoted_participants: Figure
    promoted_comparison: Figure
    means: list[Figure]  # the final survey's mentee means, one per RELATIONSHIP_FUNCTIONS


@dataclass(frozen=True)
class ProgrammeReport:
    programme: Programme
    today: date
    functions: list[str]  # the labels of RELATIONSHIP_FUNCTIONS
    rows: list[ProgrammeRow]


# Reading ----------------------------------------------------------------------------------


@dataclass
class _Data:
    """What the database says about one cohort; filled by ``_load``."""

    applications: dict = field(default_factory=dict)  # role: {submitted, eligible, ...}
    tandems: list = field(default_factory=list)  # (pk, start, ended_at, status, category)
    contact_months: dict = field(default_factory=lambda: defaultdict(set))  # tandem: {month}
    workshops: list = field(default_factory=list)
    surveys: list = field(default_factory=list)
    groups: dict = field(default_factory=dict)  # (survey pk, role): SurveyGroup
    # group pk: {item: {value: how many chose it}}
    ratings: dict = field(default_factory=lambda: defaultdict(lambda: defaultdict(Counter)))
    texts: dict = field(default_factory=lambda: defaultdict(list))  # group pk: [(item, text)]
    outcome_people: dict = field(default_factory=dict)  # application pk: "participants" | ...
    steps: dict = field(default_factory=lambda: defaultdict(set))  # application pk: {kind}


def _completed_condition():
    """An accepted participant whose tandem in the cohort was not ended early."""
    kept = Tandem.objects.filter(cohort_id=OuterRef("cohort_id")).exclude(status=TandemStatus.ENDED)
    return Q(state=ApplicationState.ACCEPTED) & (
        Q(Exists(kept.filter(mentee_id=OuterRef("pk"))))
        | Q(Exists(kept.filter(mentor_id=OuterRef("pk"))))
    )


def _load(cohorts, today, *, texts=True, kinds=tuple(SurveyKind)):
    """{cohort pk: _Data} for ``cohorts``: ten queries (nine without ``texts``) whatever
    their size and number; of the surveys, those of ``kinds``."""
    data = {cohort.pk: _Data() for cohort in cohorts}
    ids = list(data)
    eligible = Q(eligibility_override=EligibilityOutcome.PASS) | Q(
        eligibility_override="", eligibility_outcome=EligibilityOutcome.PASS
    )
    rows = (
        Application.objects.filter(cohort_id__in=ids)
        .exclude(state=ApplicationState.DRAFT)
        .values("cohort_id", "role")
        .annotate(
            submitted=Count("pk"),
            eligible=Count("pk", filter=eligible),
            selected=Count("pk", filter=Q(state=ApplicationState.ACCEPTED)),
            released=Count("pk", filter=Q(decision_released_at__isnull=False)),
            completed=Count("pk", filter=_completed_condition()),
        )
        .order_by()
    )
    for row in rows:
        data[row.pop("cohort_id")].applications[row.pop("role")] = row
    tandems = Tandem.objects.filter(cohort_id__in=ids).values_list(
        "cohort_id", "pk", "start_date", "ended_at", "status", "end_category"
    )
    for cohort_id, *tandem in tandems.order_by("pk"):
        data[cohort_id].tandems.append(tuple(tandem))
    months = (
        Contact.objects.filter(tandem__cohort_id__in=ids)
        # As a date: a timestamp would cost a time-zone parse per row.
        .annotate(month=Cast(TruncMonth("date"), DateField()))
        .values_list("tandem__cohort_id", "tandem_id", "month")
        .distinct()
        .order_by()
    )
    for cohort_id, tandem_id, month in months:
        data[cohort_id].contact_months[tandem_id].add(month)
    workshops = (
        Workshop.objects.filter(cohort_id__in=ids)
        .annotate(
            recorded=Count("attendances"),
            **{
                status: Count("attendances", filter=Q(attendances__status=status))
                for status in AttendanceStatus.values
            },
        )
        .order_by("date", "start_time", "pk")
    )
    for workshop in workshops:
        data[workshop.cohort_id].workshops.append(workshop)
    surveys = Survey.objects.filter(cohort_id__in=ids, is_active=True, kind__in=kinds)
    for survey in surveys.order_by("opens_on", "pk"):
        data[survey.cohort_id].surveys.append(survey)
    groups = SurveyGroup.objects.filter(
        survey__cohort_id__in=ids, survey__is_active=True, survey__kind__in=kinds
    )
    for group in groups.select_related("survey"):
        data[group.survey.cohort_id].groups[group.survey_id, group.role] = group
    # Only groups that may be shown are read: the others' answers never leave the database.
    shown = Q(
        group__survey__cohort_id__in=ids,
        group__survey__is_active=True,
        group__survey__kind__in=kinds,
        group__survey__closes_on__lt=today,
        group__responses__gte=MIN_GROUP,
    )
    ratings = RatingCount.objects.filter(shown).values_list(
        "group__survey__cohort_id", "group_id", "item", "value", "count"
    )
    for cohort_id, group_id, item, value, count in ratings.order_by():
        data[cohort_id].ratings[group_id][item][value] += count
    if texts:
        answers = TextAnswer.objects.filter(shown).values_list(
            "group__survey__cohort_id", "group_id", "item", "text"
        )
        for cohort_id, group_id, item, text in answers.order_by("pk"):
            data[cohort_id].texts[group_id].append((item, text))
    _load_outcomes(data, cohorts)
    return data


def _load_outcomes(data, cohorts):
    if not cohorts:
        return
    people = (
        Application.objects.filter(careers_followed(), cohort_id__in=list(data))
        .values_list("cohort_id", "pk", "state")
        .order_by()
    )
    for cohort_id, pk, state in people:
        key = "participants" if state == ApplicationState.ACCEPTED else "comparison"
        data[cohort_id].outcome_people[pk] = key
    starts = Q()
    for cohort in cohorts:
        starts |= Q(application__cohort_id=cohort.pk, date__gte=cohort.start_date)
    steps = CareerStep.objects.filter(starts, follow_ups.asked_filter("application__")).values_list(
        "application__cohort_id", "application_id", "kind"
    )
    for cohort_id, application_id, kind in steps.order_by().distinct():
        data[cohort_id].steps[application_id].add(kind)


# Computing --------------------------------------------------------------------------------


def _applications(cohort, data, today):
    finished = cohort.end_date < today
    rows = []
    for role in ROLES:
        counts = data.applications.get(role, {})
        submitted = counts.get("submitted", 0)
        selected = counts.get("selected", 0)
        # Until the Beirat's decisions for the role are released nobody is selected yet:
        # "–", not 0 (also on the day of the selection meeting itself).
        pending = not counts.get("released")
        rows.append(
            ApplicationRow(
                role=role,
                label=str(role.label),
                submitted=figure(submitted, group=submitted),
                eligible=figure(counts.get("eligible", 0), group=submitted),
                selected=figure(None if pending and not selected else selected, group=submitted),
                completed=figure(counts.get("completed", 0) if finished else None, group=selected),
            )
        )
    return Applications(rows=rows, finished=finished)


def _early_endings(data):
    total = len(data.tandems)
    ended = Counter(
        category for _pk, _start, _end, status, category in data.tandems
        if status == TandemStatus.ENDED
    )  # fmt: skip
    # The reasons are about the people who ended: officers know who they are, so a reason
    # is shown only when at least MIN_GROUP tandems ended (the group is the endings).
    endings = sum(ended.values())
    by_category = [
        Ending(value, str(label), figure(ended[value], group=endings))
        for value, label in EndCategory.choices
    ]
    by_category.append(Ending("", _("ohne Zuordnung"), figure(ended[""], group=endings)))
    return EarlyEndings(
        tandems=figure(total, group=total),
        ended=figure(endings, group=total),
        by_category=by_category,
    )


def _contacts(cohort, data, today):
    """The share of tandem-months with a contact: every month of a tandem's time that is
    over, or that already had its contact (``tandems.progress.month_state``)."""
    counted, done = Counter(), Counter()
    tandems = 0
    for pk, start, ended_at, _status, _category in data.tandems:
        had = data.contact_months.get(pk, set())
        states = {
            month: month_state(month, month in had, today)
            for month in months_between(start, min(ended_at or cohort.end_date, today))
        }
        counted_here = [m for m, s in states.items() if s in (MonthState.DONE, MonthState.MISSING)]
        tandems += bool(counted_here)
        for month in counted_here:
            counted[month] += 1
            done[month] += states[month] == MonthState.DONE
    months = [
        ContactMonth(
            month=month,
            tandems=figure(counted[month], group=counted[month]),
            with_contact=figure(done[month], group=counted[month]),
            share=share(done[month], counted[month]),
        )
        for month in sorted(counted)
    ]
    total, with_contact = sum(counted.values()), sum(done.values())
    return ContactRegularity(
        tandems=figure(tandems, group=tandems),
        tandem_months=figure(total, group=tandems),
        with_contact=figure(with_contact, group=tandems),
        share=share(with_contact, total, group=tandems),
        months=months,
    )


def _workshops(data):
    return [
        WorkshopAttendance(
            title=workshop.title,
            date=workshop.date,
            recorded=figure(workshop.recorded, group=workshop.recorded),
            present=figure(getattr(workshop, AttendanceStatus.PRESENT), group=workshop.recorded),
            excused=figure(getattr(workshop, AttendanceStatus.EXCUSED), group=workshop.recorded),
            absent=figure(getattr(workshop, AttendanceStatus.ABSENT), group=workshop.recorded),
        )
        for workshop in data.workshops
    ]


def _rated(items, counts):
    """(sum of values, number of ratings, most ratings of one item) of ``items``;
    ``counts`` is {item: {value: how many}}."""
    total = number = most = 0
    for item in items:
        chosen = counts.get(item.key, {})
        per_item = sum(chosen.values())
        total += sum(value * n for value, n in chosen.items())
        number += per_item
        most = max(most, per_item)
    return total, number, most


def _survey_lines(kind, counts):
    """The lines of one group: each function's mean (satisfaction item by item), and the
    share of "yes" of each yes-or-no item."""
    items = questions.ITEMS[kind]
    lines = []
    functions = list(dict.fromkeys(item.function for item in items))
    for function in functions:
        mine = [item for item in items if item.function == function]
        agreement = [item for item in mine if item.scale == Scale.AGREEMENT]
        if function == Function.SATISFACTION:
            parts = [(str(ITEM_LABELS[item.key]), [item]) for item in agreement]
        elif agreement:
            parts = [(str(Function(function).label), agreement)]
        else:
            parts = []
        for label, rated in parts:
            total, number, most = _rated(rated, counts)
            lines.append(
                SurveyLine(
                    label=label,
                    function=function if function != Function.SATISFACTION else rated[0].key,
                    value=figure(total / number if number else None, group=most, kind=MEAN),
                    n=figure(most, group=most),
                )
            )
        for item in mine:
            if item.scale != Scale.YES_NO:
                continue
            _total, number, _most = _rated([item], counts)
            yes = counts.get(item.key, {}).get(questions.YES, 0)
            lines.append(
                SurveyLine(
                    label=str(ITEM_LABELS[item.key]),
                    function=item.key,
                    value=share(yes, number),
                    n=figure(number, group=number),
                )
            )
    return lines


def _survey_texts(survey, role, answers):
    questions_of = {item.key: str(item.text(role)) for item in questions.TEXT_ITEMS[survey.kind]}
    if survey.extra_question:
        questions_of[questions.EXTRA] = survey.extra_question
    by_item = defaultdict(list)
    for item, text in answers:
        by_item[item].append(text)
    return [
        SurveyTexts(question=question, answers=by_item[key])
        for key, question in questions_of.items()
        if by_item[key]
    ]


def _surveys(data, today):
    results = []
    for survey in data.surveys:
        closed = survey.is_closed_on(today)
        roles = []
        for role in survey.roles():
            group = data.groups.get((survey.pk, role))
            responses = group.responses if group else 0
            shown = closed and responses >= MIN_GROUP
            if not closed:
                roles.append(SurveyRole(role, str(role.label), Figure(None), shown=False))
                continue
            roles.append(
                SurveyRole(
                    role=role,
                    label=str(role.label),
                    responses=figure(responses, group=responses),
                    shown=shown,
                    lines=_survey_lines(survey.kind, data.ratings[group.pk]) if shown else [],
                    texts=_survey_texts(survey, role, data.texts[group.pk]) if shown else [],
                )
            )
        results.append(
            SurveyResult(
                kind=survey.kind,
                label=survey.get_kind_display(),
                opens_on=survey.opens_on,
                closes_on=survey.closes_on,
                closed=closed,
                roles=roles,
            )
        )
    return results


def _outcome_summary(key, promoted, known, horizontal):
    """ "8 von 15 Mentees befördert (53 %), 1 horizontale Veränderung"; ``promoted`` is the
    promotion step, ``known`` the number of people with a recorded step."""
    if promoted.count.suppressed:
        return _("Angaben von weniger als 5 Personen: keine Zahlen.")
    if not known.value:
        return _("Noch keine Angaben.")
    sentence = {
        "participants": _("%(promoted)s von %(known)s Mentees befördert (%(share)s)"),
        "comparison": _(
            "%(promoted)s von %(known)s aus der Vergleichsgruppe befördert (%(share)s)"
        ),
    }[key] % {"promoted": promoted.count, "known": known, "share": promoted.share}
    moves = ngettext(
        "%(count)s horizontale Veränderung", "%(count)s horizontale Veränderungen", horizontal
    ) % {"count": horizontal}
    return f"{sentence}, {moves}"


def _outcomes(cohort, data):
    labels = {
        "participants": _("Teilnehmerinnen (Mentees)"),
        "comparison": _("Vergleichsgruppe (nicht ausgewählt, mit Einwilligung)"),
    }
    groups = []
    for key, label in labels.items():
        people = [pk for pk, group in data.outcome_people.items() if group == key]
        known = [data.steps[pk] for pk in people if data.steps.get(pk)]
        size, number = len(people), len(known)
        counts = {kind: sum(kind in steps for steps in known) for kind in STEP_KINDS}
        # "No change" is someone whose steps since the start are all of that kind.
        counts[CareerStepKind.NONE] = sum(steps == {CareerStepKind.NONE} for steps in known)
        steps = [
            OutcomeStep(
                kind=kind,
                label=str(kind.label),
                count=figure(counts[kind], group=number),
                share=share(counts[kind], number),
            )
            for kind in STEP_KINDS
        ]
        known_figure = figure(number, group=size)
        groups.append(
            OutcomeGroup(
                key=key,
                label=label,
                size=figure(size, group=size),
                known=known_figure,
                steps=steps,
                summary=_outcome_summary(
                    key, steps[0], known_figure, counts[CareerStepKind.HORIZONTAL]
                ),
            )
        )
    return Outcomes(since=cohort.start_date, groups=groups)


def _report(cohort, data, today, *, texts=True):
    return CohortReport(
        free_texts=texts,
        cohort=cohort,
        today=today,
        applications=_applications(cohort, data, today),
        early_endings=_early_endings(data),
        contacts=_contacts(cohort, data, today),
        workshops=_workshops(data),
        surveys=_surveys(data, today),
        outcomes=_outcomes(cohort, data),
    )


def cohort_report(*, cohort: Cohort, today: date, texts: bool = True) -> CohortReport:
    """Every figure of ``cohort``'s report on ``today``; ten queries whatever its size.
    ``texts=False`` leaves the free texts out (and unread)."""
    return _report(cohort, _load([cohort], today, texts=texts)[cohort.pk], today, texts=texts)


def programme_report(*, programme: Programme, today: date) -> ProgrammeReport:
    """One row per cohort of ``programme``, oldest first; ten queries whatever the number
    of cohorts and their size. Free texts are not read."""
    cohorts = list(
        Cohort.objects.filter(programme=programme)
        .select_related("programme")
        .order_by("year", "number")
    )
    data = _load(cohorts, today, texts=False, kinds=[SurveyKind.FINAL])
    rows = []
    for cohort in cohorts:
        cohort_data = data[cohort.pk]  # of the surveys, only the final one: see _load
        mentees = _applications(cohort, cohort_data, today).rows[0]
        participants, comparison = _outcomes(cohort, cohort_data).groups
        final = next(iter(_surveys(cohort_data, today)), None)
        rows.append(
            ProgrammeRow(
                cohort=cohort,
                applications=mentees.submitted,
                selected=mentees.selected,
                completed=mentees.completed,
                contact_share=_contacts(cohort, cohort_data, today).share,
                promoted_participants=participants.step(CareerStepKind.PROMOTION).share,
                promoted_comparison=comparison.step(CareerStepKind.PROMOTION).share,
                means=[_final_mean(final, function) for function in RELATIONSHIP_FUNCTIONS],
            )
        )
    return ProgrammeReport(
        programme=programme,
        today=today,
        functions=[str(function.label) for function in RELATIONSHIP_FUNCTIONS],
        rows=rows,
    )


def _final_mean(final, function):
    """The mentees' mean of ``function`` in the final survey; "–" where there is none, "< 5"
    where its group is too small."""
    if final is None or not final.closed:
        return Figure(None, MEAN)
    mentees = next((role for role in final.roles if role.role == ApplicationRole.MENTEE), None)
    if mentees is None or not mentees.shown:
        return Figure(None, MEAN, suppressed=mentees is not None and mentees.responses.suppressed)
    line = final.line(ApplicationRole.MENTEE, function)
    return line.value if line else Figure(None, MEAN)
