"""What the start page shows about tandems: her own, with what is missing this month."""

from django.urls import reverse
from django.utils.translation import gettext as _

from mentoring.months import month_start
from mentoring.start import NavItem, Panel, Task

from .enums import TandemStatus
from .models import Contact
from .selectors import tandems_of


def _participant_panels(user, today):
    tandems = [t for t in tandems_of(user) if t.status == TandemStatus.ACTIVE]
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


def panels(*, user, today):
    if not user.is_authenticated:
        return []
    return _participant_panels(user, today)


def navigation(*, user):
    if not user.is_authenticated:
        return []
    items = []
    if tandems_of(user).exists():
        items.append(NavItem(_("Mein Tandem"), reverse("tandems:mine"), order=30))
    if user.is_staff:
        items.append(NavItem(_("Mentoringbeirat"), reverse("tandems:beirat"), order=60))
    return items
