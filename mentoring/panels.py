"""The shared pieces of the start page and navigation: home, account, admin, failed mail."""

from django.urls import reverse
from django.utils.translation import gettext as _

from .enums import ReminderStatus
from .models import SentReminder
from .start import NavItem, Panel, Task


def panels(*, user, today):
    if not user.is_authenticated or not user.is_programme_office:
        return []
    failed = SentReminder.objects.filter(status=ReminderStatus.FAILED).count()
    if not failed:
        return []
    url = reverse("admin:mentoring_sentreminder_changelist") + "?status__exact=failed"
    return [
        Panel(
            title=_("Erinnerungen"),
            tasks=(Task(_("Fehlgeschlagene Erinnerungen"), url, count=failed, urgent=True),),
            order=90,
        )
    ]


def navigation(*, user):
    items = [NavItem(_("Programme"), reverse("home"), order=10)]
    if user.is_authenticated:
        items.insert(0, NavItem(_("Start"), reverse("start"), order=0))
        items.append(NavItem(_("Mein Konto"), reverse("profile"), order=80))
    if user.is_staff:
        items.append(NavItem(_("Verwaltung"), reverse("admin:index"), order=70))
    return items
