"""Each person's start page and navigation, put together from what every app knows.

The shared ground floor knows no domain app. Each app offers, in its ``start.py``, any of
``participant_panels(*, user, today)``, ``officer_panels(*, user, today)`` (asked for
officers and the programme office only) and ``navigation(*, user)``; settings name those
modules (``START_PAGE_PROVIDERS``), as they name the demo loaders. Providers are asked for
people who are logged in only; the anonymous visitor's navigation is written here. Every
provider answers with a fixed number of queries, so the start page's query count does not
grow with the data.
"""

from dataclasses import dataclass, field
from importlib import import_module

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class Task:
    """One line on a start page: what needs her, how many, and where to do it."""

    label: str
    url: str
    count: int | None = None
    note: str = ""
    urgent: bool = False


@dataclass(frozen=True)
class Panel:
    title: str
    tasks: tuple = ()
    order: int = 50
    empty: str = ""  # shown instead of the tasks when there are none


@dataclass(frozen=True)
class NavItem:
    label: str
    url: str
    order: int = 50


@dataclass
class StartPage:
    panels: list = field(default_factory=list)

    @property
    def open_tasks(self):
        """Lines that ask something of her: a count above zero, or an urgent step."""
        return sum(
            1
            for panel in self.panels
            for task in panel.tasks
            if (task.count if task.count is not None else task.urgent)
        )


def _providers(attribute):
    for path in settings.START_PAGE_PROVIDERS:
        module = import_module(path)
        provider = getattr(module, attribute, None)
        if provider is not None:
            yield provider


def start_page(*, user, today):
    kinds = ["participant_panels", "officer_panels"] if user.is_staff else ["participant_panels"]
    panels = [
        panel
        for kind in kinds
        for provider in _providers(kind)
        for panel in provider(user=user, today=today)
    ]
    return StartPage(panels=sorted(panels, key=lambda panel: panel.order))


def navigation(*, user):
    """Her navigation, asked once per request (memoised on the user object)."""
    if not user.is_authenticated:
        return [NavItem(_("Programme"), reverse("home"), order=10)]
    cached = getattr(user, "_navigation", None)
    if cached is None:
        items = [item for provider in _providers("navigation") for item in provider(user=user)]
        cached = sorted(items, key=lambda item: item.order)
        user._navigation = cached
    return cached
