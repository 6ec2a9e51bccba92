"""The shared pieces of the start page and navigation: home, account, admin, failed mail."""

from django.urls import reverse
from django.utils.translation import gettext as _

from .enums import MailStatus, ReminderStatus
from .models import SentMail, SentReminder
from .start import NavItem, Panel, Task


def officer_panels(*, user, today):
    """For the programme office: e-mails and reminders that failed for good."""
    if not user.is_programme_office:
        return []
    tasks = []
    reminders = SentReminder.objects.filter(status=ReminderStatus.FAILED).count()
    if reminders:
        url = reverse("admin:mentoring_sentreminder_changelist") + "?status__exact=failed"
        tasks.append(Task(_("Fehlgeschlagene Erinnerungen"), url, count=reminders, urgent=True))
    mails = SentMail.objects.filter(status=MailStatus.FAILED).count()
    if mails:
        url = reverse("admin:mentoring_sentmail_changelist") + "?status__exact=failed"
        tasks.append(Task(_("Fehlgeschlagene E-Mails"), url, count=mails, urgent=True))
    return [Panel(title=_("E-Mail"), tasks=tuple(tasks), order=90)] if tasks else []


def navigation(*, user):
    items = [
        NavItem(_("Start"), reverse("start"), order=0),
        NavItem(_("Programme"), reverse("home"), order=10),
        NavItem(_("Mein Konto"), reverse("profile"), order=80),
    ]
    if user.is_staff:
        items.append(NavItem(_("Verwaltung"), reverse("admin:index"), order=70))
    return items
