"""What the start page shows about tandems: her own, with what is missing this month."""

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from applications.selectors import has_applications
from cohorts.enums import CohortState
from cohorts.models import Cohort
from cohorts.selectors import chaired_cohort_filter, member_cohort_filter, officer_organisation_ids
from mentoring.months import month_start
from mentoring.start import NavItem, Panel, Task

from .enums import TandemStatus
from .models import Contact, Tandem
from .selectors import has_tandem, quiet_tandems, tandems_of


def participant_panels(*, user, today):
    tandems = [t for t in tandems_of(user=user) if t.status == TandemStatus.ACTIVE]
    if not tandems:
        return []
    this_month = set(
        Contact.objects.filter(tandem__in=tandems, date__gte=month_start(today)).values_list(
            "tandem_id", flat=True
        )
    )
    panels = []
    for tandem in tandems:
        mentee = tandem.mentee.applicant_id == user.pk
        partner = (tandem.mentor if mentee else tandem.mentee).applicant
        url = reverse("tandems:detail", args=[tandem.pk])
        tasks = [
            Task(label=_("Zum Tandem mit %(name)s") % {"name": partner.get_full_name()}, url=url)
        ]
        agreement = getattr(tandem, "goal_agreement", None)
        confirmed = agreement is not None and (
            agreement.mentee_confirmed_at if mentee else agreement.mentor_confirmed_at
        )
        if not confirmed:
            tasks.append(
                Task(
                    label=_("Zielvereinbarung von Ihnen noch nicht bestätigt"),
                    url=reverse("tandems:goal_agreement", args=[tandem.pk]),
                    urgent=True,
                )
            )
        if tandem.start_date <= today and tandem.pk not in this_month:
            tasks.append(
                Task(
                    label=_("Kontakt in diesem Monat noch nicht eingetragen"),
                    url=reverse("tandems:contact_create", args=[tandem.pk]),
                    urgent=today.day >= tandem.cohort.contact_reminder_day,
                )
            )
        panels.append(
            Panel(
                title=_("Ihr Tandem: %(cohort)s") % {"cohort": tandem.cohort.display_title},
                tasks=tuple(tasks),
                order=20,
            )
        )
    return panels


def officer_panels(*, user, today):
    """Quiet tandems of her people (of everyone, for the chair and the office), per cohort."""
    cohorts = Cohort.objects.filter(state=CohortState.RUNNING)
    if not user.is_programme_office:
        cohorts = cohorts.filter(member_cohort_filter(user=user))
    cohorts = {cohort.pk: cohort for cohort in cohorts.select_related("programme")}
    if not cohorts:
        return []
    tandems = Tandem.objects.filter(cohort__in=cohorts)
    if not user.is_programme_office:
        organisations = officer_organisation_ids(user=user)
        tandems = tandems.filter(
            Q(cohort__in=Cohort.objects.filter(chaired_cohort_filter(user=user)))
            | Q(mentee__organisation_id__in=organisations)
            | Q(mentor__organisation_id__in=organisations)
        )
    quiet = dict(
        quiet_tandems(tandems=tandems, today=today)
        .order_by()
        .values_list("cohort")
        .annotate(n=Count("pk", distinct=True))
    )
    tasks = tuple(
        Task(
            label=_("Tandems seit zwei Monaten ohne Kontakt: %(programme)s, %(cohort)s")
            % {"programme": cohort.programme.name, "cohort": cohort.display_title},
            url=reverse("tandems:contacts", args=[pk]) + "?quiet=on",
            count=quiet.get(pk, 0),
            urgent=bool(quiet.get(pk)),
        )
        for pk, cohort in sorted(cohorts.items(), key=lambda item: str(item[1].programme))
    )
    return [Panel(title=_("Tandems"), tasks=tasks, order=12)]


def navigation(*, user):
    items = []
    if has_applications(user=user) and has_tandem(user=user):
        items.append(NavItem(_("Mein Tandem"), reverse("tandems:mine"), order=30))
    if user.is_staff:
        items.append(NavItem(_("Mentoringbeirat"), reverse("tandems:beirat"), order=60))
    return items
