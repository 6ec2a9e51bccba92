"""Reads of the survey side: who is asked, what is open for her, whose requests an officer sees.

Each answers with one query, whatever the number of surveys, people or requests.
"""

from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery

from applications.enums import ApplicationRole, ApplicationState
from applications.models import Application
from cohorts.models import BeiratMembership, Cohort
from cohorts.selectors import contact_for, member_cohort_filter

from .models import EarlyWarning, Survey, SurveyAnswered


def _accepted(user, role):
    return Application.objects.filter(
        cohort=OuterRef("cohort"), applicant=user, role=role, state=ApplicationState.ACCEPTED
    )


def survey_role(*, survey: Survey, user) -> str | None:
    """The role in which ``user`` takes part in the survey's cohort, or ``None``."""
    roles = set(
        Application.objects.filter(
            cohort_id=survey.cohort_id, applicant=user, state=ApplicationState.ACCEPTED
        ).values_list("role", flat=True)
    )
    for role in survey.roles():
        if role in roles:
            return role
    return None


def surveys_of(*, user) -> QuerySet[Survey]:
    """The active surveys that ask ``user``: of her cohorts, in her role (mentors only where
    the survey asks them too)."""
    return Survey.objects.filter(is_active=True).filter(
        Q(Exists(_accepted(user, ApplicationRole.MENTEE)))
        | Q(Exists(_accepted(user, ApplicationRole.MENTOR)), for_mentors=True)
    )


def open_surveys_for(*, user, today) -> list[Survey]:
    """The surveys open on ``today`` that ask ``user`` and that she has not answered yet."""
    answered = SurveyAnswered.objects.filter(survey=OuterRef("pk"), user=user)
    return list(
        surveys_of(user=user)
        .filter(opens_on__lte=today, closes_on__gte=today)
        .exclude(Exists(answered))
        .select_related("cohort__programme")
        .order_by("closes_on", "pk")
    )


def respondents(*, surveys) -> dict[int, list]:
    """``{survey id: [user, ...]}``: who each survey asks and has not answered it yet.

    The accepted participants of its cohort in the roles it asks, with an account that can
    still log in (an erased person's placeholder cannot). Two queries.
    """
    surveys = list(surveys)
    if not surveys:
        return {}
    answered = set(
        SurveyAnswered.objects.filter(survey__in=surveys).values_list("survey_id", "user_id")
    )
    applications = (
        Application.objects.filter(
            cohort__in={survey.cohort_id for survey in surveys},
            state=ApplicationState.ACCEPTED,
            applicant__is_active=True,
        )
        .select_related("applicant")
        .order_by("applicant__last_name", "applicant__first_name", "pk")
    )
    by_cohort = {}
    for application in applications:
        by_cohort.setdefault(application.cohort_id, []).append(application)
    result = {}
    for survey in surveys:
        people = result.setdefault(survey.pk, [])
        for application in by_cohort.get(survey.cohort_id, ()):
            user = application.applicant
            if application.role not in survey.roles() or (survey.pk, user.pk) in answered:
                continue
            if user not in people:
                people.append(user)
    return result


def surveys_visible_to(*, user) -> QuerySet[Survey]:
    """The programme office sees every survey; a Beirat member those of her cohorts."""
    surveys = Survey.objects.all()
    if user.is_programme_office:
        return surveys
    return surveys.filter(cohort__in=Cohort.objects.filter(member_cohort_filter(user=user)))


def _her_application():
    return Application.objects.filter(
        cohort=OuterRef("survey__cohort"),
        applicant=OuterRef("user"),
        state=ApplicationState.ACCEPTED,
    ).order_by("role", "pk")


def her_contact(*, survey: Survey, user) -> BeiratMembership | None:
    """The equality officer whom the question after the one-month check-in names: the
    contact for her organisation in the survey's cohort (``cohorts.selectors.contact_for``)."""
    application = (
        Application.objects.filter(
            cohort_id=survey.cohort_id, applicant=user, state=ApplicationState.ACCEPTED
        )
        .select_related("organisation")
        .order_by("role", "pk")
        .first()
    )
    organisation = application.organisation if application else None
    return contact_for(organisation=organisation, cohort=survey.cohort)


def warnings_visible_to(*, user) -> QuerySet[EarlyWarning]:
    """The requests for contact that ``user`` may read, by name: the programme office all,
    an equality officer those that name her (``EarlyWarning.contact``), as the question
    told the person who asked, while she still sits on the Beirat of that cohort. Once she
    has left it, the programme office, which reads all, takes care of them."""
    warnings = EarlyWarning.objects.annotate(
        organisation_name=Subquery(_her_application().values("organisation__name")[:1])
    )
    if user.is_programme_office:
        return warnings
    seat = BeiratMembership.objects.filter(user=user).filter(
        Q(cohort=OuterRef("survey__cohort")) | Q(programme=OuterRef("survey__cohort__programme"))
    )
    return warnings.filter(contact=user).filter(Exists(seat))
