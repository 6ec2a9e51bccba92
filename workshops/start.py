"""What the start page shows about workshops: her next one, or attendance still to record."""

from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from applications.selectors import has_applications
from cohorts.enums import CohortState
from cohorts.models import Cohort
from cohorts.selectors import chaired_cohort_filter, member_cohort_filter
from mentoring.months import month_start
from mentoring.start import NavItem, Panel, Task

from .certificates import ready_to_print
from .enums import WorkshopKind
from .models import Workshop
from .selectors import attendance_open, certificates_of_user, with_answers, workshops_for


def participant_panels(*, user, today):
    upcoming = with_answers(
        workshops=workshops_for(user=user).filter(date__gte=today)[:1], user=user
    )
    certificates = list(certificates_of_user(user=user)[:3])
    tasks = []
    for workshop in upcoming:
        note = date_format(workshop.date, "DATE_FORMAT")
        if workshop.rsvp is None:
            note = _("%(date)s – bitte sagen Sie zu oder ab") % {"date": note}
        tasks.append(
            Task(
                label=_("Nächster Workshop: %(title)s") % {"title": workshop.title},
                url=reverse("workshops:mine"),
                note=note,
                urgent=workshop.rsvp is None,
            )
        )
    for certificate in certificates:
        tasks.append(
            Task(
                label=_("Ihr Teilnahmenachweis: %(cohort)s")
                % {"cohort": certificate.cohort.display_title},
                url=reverse("workshops:certificate_file", args=[certificate.pk]),
                note=_("PDF herunterladen"),
            )
        )
    return [Panel(title=_("Workshops"), tasks=tuple(tasks), order=25)] if tasks else []


def officer_panels(*, user, today):
    cohorts = Cohort.objects.all()
    if not user.is_programme_office:
        cohorts = cohorts.filter(member_cohort_filter(user=user))
    workshops = (
        Workshop.objects.filter(cohort__in=cohorts, date__gte=month_start(today), date__lte=today)
        .select_related("cohort__programme")
        .order_by("date", "pk")
    )
    open_people = attendance_open(workshops=workshops, user=user)
    tasks = tuple(
        Task(
            label=_("Anwesenheit erfassen: %(title)s, %(cohort)s")
            % {"title": workshop.title, "cohort": workshop.cohort.display_title},
            url=reverse("workshops:attendance", args=[workshop.cohort_id, workshop.pk]),
            count=len(people),
            note=date_format(workshop.date, "DATE_FORMAT"),
            urgent=bool(people),
        )
        for workshop, people in open_people.items()
        if people
    )
    result = [Panel(title=_("Workshops in diesem Monat"), tasks=tasks, order=15)] if tasks else []
    return result + _certificate_panels(user, today)


def _certificate_panels(user, today):
    """For the office and the chair: cohorts past their final workshop with certificates due."""
    cohorts = Cohort.objects.filter(
        state__in=[CohortState.RUNNING, CohortState.FINISHED],
        workshops__kind=WorkshopKind.FINAL,
        workshops__date__lt=today,
    ).distinct()
    if not user.is_programme_office:
        cohorts = cohorts.filter(chaired_cohort_filter(user=user))
    cohorts = list(cohorts.select_related("programme").order_by("programme__name", "number"))
    ready = ready_to_print(cohorts, today)
    tasks = tuple(
        Task(
            label=_("Zertifikate bereit zum Druck: %(programme)s, %(cohort)s")
            % {"programme": cohort.programme.name, "cohort": cohort.display_title},
            url=reverse("workshops:certificates", args=[cohort.pk]),
            count=ready[cohort.pk],
        )
        for cohort in cohorts
        if ready[cohort.pk]
    )
    return [Panel(title=_("Zertifikate"), tasks=tasks, order=16)] if tasks else []


def navigation(*, user):
    # Workshops and certificates come with an application; most officers have none.
    if not has_applications(user=user) or not (
        workshops_for(user=user).exists() or certificates_of_user(user=user).exists()
    ):
        return []
    return [NavItem(_("Workshops"), reverse("workshops:mine"), order=40)]
