"""Reads shared by the participants' page, the Beirat's pages, reminders and certificates."""

from collections.abc import Iterable

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet

from applications.enums import ApplicationRole, ApplicationState
from applications.models import Application
from cohorts.models import Cohort
from cohorts.selectors import (
    AnyUser,
    chaired_cohort_filter,
    officer_organisation_ids,
    sees_whole_cohort,
)
from mentoring.models import User

from .enums import Invitees, RsvpAnswer
from .models import (
    Attendance,
    CalendarFeed,
    Certificate,
    ProjectTeam,
    Rsvp,
    TeamMembership,
    Workshop,
)

# The Q on Application, relative to a workshop, for "this workshop invites this role".
ROLE_INVITED = {
    ApplicationRole.MENTEE: [Invitees.BOTH, Invitees.MENTEES],
    ApplicationRole.MENTOR: [Invitees.BOTH, Invitees.MENTORS],
}


def participants(*, cohort: Cohort) -> QuerySet[Application]:
    """The cohort's accepted mentees and mentors, with person and organisation."""
    return (
        Application.objects.filter(cohort=cohort, state=ApplicationState.ACCEPTED)
        .select_related("applicant", "organisation")
        .order_by("applicant__last_name", "applicant__first_name", "pk")
    )


def invitees(
    *, workshops: Iterable[Workshop], include_declined: bool = False
) -> dict[Workshop, list[Application]]:
    """{workshop: [application, ...]}: who is expected at each workshop.

    Accepted participants of the workshop's cohort in an invited role; those who answered
    "no" are left out unless ``include_declined``. Two queries for any number of workshops.
    """
    workshops = list(workshops)
    people = (
        Application.objects.filter(
            cohort__in={workshop.cohort_id for workshop in workshops},
            state=ApplicationState.ACCEPTED,
        )
        .select_related("applicant", "organisation")
        .order_by("applicant__last_name", "applicant__first_name", "pk")
    )
    declined = set()
    if workshops and not include_declined:
        declined = set(
            Rsvp.objects.filter(workshop__in=workshops, answer=RsvpAnswer.NO).values_list(
                "workshop_id", "application_id"
            )
        )
    by_cohort = {}
    for application in people:
        by_cohort.setdefault(application.cohort_id, []).append(application)
    return {
        workshop: [
            application
            for application in by_cohort.get(workshop.cohort_id, [])
            if workshop.invites(application) and (workshop.pk, application.pk) not in declined
        ]
        for workshop in workshops
    }


def _invited_application_filter(user):
    """A Q on Workshop: the user has an accepted application in its cohort in an invited role."""
    condition = Q()
    for role, invitations in ROLE_INVITED.items():
        mine = Application.objects.filter(
            applicant=user,
            cohort=OuterRef("cohort_id"),
            state=ApplicationState.ACCEPTED,
            role=role,
        )
        condition |= Q(Exists(mine), invitees__in=invitations)
    return condition


def workshops_for(*, user: AnyUser) -> QuerySet[Workshop]:
    """The workshops this participant is invited to, in every cohort she takes part in."""
    if not user.is_authenticated:
        return Workshop.objects.none()
    return (
        Workshop.objects.filter(_invited_application_filter(user))
        .select_related("cohort__programme")
        .order_by("date", "start_time", "pk")
    )


def invited_application(*, user: User, workshop: Workshop) -> Application | None:
    """Her accepted application that the workshop invites, or None."""
    for application in Application.objects.filter(
        applicant=user, cohort_id=workshop.cohort_id, state=ApplicationState.ACCEPTED
    ).order_by("role"):
        if workshop.invites(application):
            return application
    return None


def with_answers(*, workshops: Iterable[Workshop], user: User) -> list[Workshop]:
    """Sets ``application`` and ``rsvp`` (or None) on each of her workshops; two queries."""
    workshops = list(workshops)
    applications = {}
    for application in Application.objects.filter(
        applicant=user,
        cohort__in={workshop.cohort_id for workshop in workshops},
        state=ApplicationState.ACCEPTED,
    ).order_by("role"):
        applications.setdefault(application.cohort_id, []).append(application)
    answers = {
        (rsvp.workshop_id, rsvp.application_id): rsvp
        for rsvp in Rsvp.objects.filter(workshop__in=workshops, application__applicant=user)
    }
    for workshop in workshops:
        workshop.application = next(
            (a for a in applications.get(workshop.cohort_id, []) if workshop.invites(a)), None
        )
        workshop.rsvp = (
            answers.get((workshop.pk, workshop.application.pk)) if workshop.application else None
        )
    return workshops


def attendance_sheet_rows(*, workshop: Workshop, user: User) -> list[Application]:
    """The people of this workshop the user looks after, each with ``rsvp`` and ``attendance``.

    Everyone invited by role, those who declined too: they may still come, and their
    absence is what gets excused. Three queries (plus the scope check) for any number.
    """
    people = invitees(workshops=[workshop], include_declined=True)[workshop]
    if not sees_whole_cohort(user=user, cohort=workshop.cohort):
        organisations = officer_organisation_ids(user=user)
        people = [person for person in people if person.organisation_id in organisations]
    rsvps = {rsvp.application_id: rsvp for rsvp in Rsvp.objects.filter(workshop=workshop)}
    attendances = {
        attendance.application_id: attendance
        for attendance in Attendance.objects.filter(workshop=workshop).select_related("recorded_by")
    }
    for person in people:
        person.cohort = workshop.cohort  # for the permission check on saving, without a query
        person.rsvp = rsvps.get(person.pk)
        person.attendance = attendances.get(person.pk)
    return people


def attendance_by_participant(*, cohort: Cohort) -> dict[int, dict[int, str]]:
    """{application id: {workshop id: status}} for all recorded attendance of a cohort.

    One query. A workshop without an entry for a person means "not recorded" (yet).
    """
    result = {}
    rows = Attendance.objects.filter(workshop__cohort=cohort).values_list(
        "application_id", "workshop_id", "status"
    )
    for application_id, workshop_id, status in rows:
        result.setdefault(application_id, {})[workshop_id] = status
    return result


def _members_prefetch():
    return Prefetch(
        "members",
        queryset=Application.objects.select_related("applicant", "organisation").order_by(
            "applicant__last_name", "applicant__first_name", "pk"
        ),
    )


def team_of(*, application: Application) -> ProjectTeam | None:
    """The application's project team with its members (person, organisation), or None.

    Two queries.
    """
    return (
        ProjectTeam.objects.filter(memberships__application=application)
        .select_related("cohort__programme", "presentation_recorded_by")
        .prefetch_related(_members_prefetch())
        .first()
    )


def certificates_of_user(*, user: User) -> QuerySet[Certificate]:
    """Her valid certificates that are ready to download, newest cohort first."""
    return (
        Certificate.objects.filter(application__applicant=user, revoked_at__isnull=True)
        .exclude(file="")
        .select_related("cohort__programme")
        .order_by("-cohort__start_date", "pk")
    )


def teams_of_user(*, user: User) -> QuerySet[ProjectTeam]:
    """Her project teams (one per cohort at most), with members."""
    return (
        ProjectTeam.objects.filter(
            memberships__application__applicant=user,
            memberships__application__state=ApplicationState.ACCEPTED,
        )
        .select_related("cohort__programme")
        .prefetch_related(_members_prefetch())
        .order_by("-cohort__start_date", "pk")
    )


def teams_visible_to(*, user: User, cohort: Cohort) -> QuerySet[ProjectTeam]:
    """All the cohort's teams for the office and the chair; an officer's: those with her people."""
    teams = ProjectTeam.objects.filter(cohort=cohort)
    if not sees_whole_cohort(user=user, cohort=cohort):
        teams = teams.filter(
            Exists(
                TeamMembership.objects.filter(
                    team=OuterRef("pk"),
                    application__organisation_id__in=officer_organisation_ids(user=user),
                )
            )
        )
    return (
        teams.select_related("presentation_recorded_by")
        .prefetch_related(_members_prefetch())
        .order_by("title", "pk")
    )


def feed_for_token(*, token: str) -> CalendarFeed | None:
    return CalendarFeed.objects.select_related("user").filter(token=token).first()


def attendance_open(
    *, workshops: Iterable[Workshop], user: User
) -> dict[Workshop, list[Application]]:
    """{workshop: people of ``user``'s scope without recorded attendance}, for past workshops.

    The same people as ``attendance_sheet_rows`` shows, in a fixed number of queries for
    any number of workshops: what the start page counts is what the attendance page lists.
    """
    workshops = list(workshops)
    people = invitees(workshops=workshops, include_declined=True)
    recorded = set(
        Attendance.objects.filter(workshop__in=workshops).values_list(
            "workshop_id", "application_id"
        )
    )
    whole = {
        cohort_id
        for cohort_id in {workshop.cohort_id for workshop in workshops}
        if user.is_programme_office
    } | set(
        Cohort.objects.filter(
            chaired_cohort_filter(user=user), pk__in={w.cohort_id for w in workshops}
        ).values_list("pk", flat=True)
    )
    organisations = officer_organisation_ids(user=user)
    return {
        workshop: [
            person
            for person in people[workshop]
            if (workshop.pk, person.pk) not in recorded
            and (workshop.cohort_id in whole or person.organisation_id in organisations)
        ]
        for workshop in workshops
    }
