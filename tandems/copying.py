"""The tandems' part of copying a cohort (see ``cohorts.copying``).

Taken over: the weights of the matching. Never copied: tandems, matching runs, pinned and
forbidden pairs (they name people of the earlier cohort), goal agreements, contacts.
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cohorts.copying import Part, copy_rules

from .models import MatchingSettings

LEFT_OUT = (gettext_lazy("Tandems, Vorschläge der Tandembildung, Kontakte"),)


def _parts(copied):
    return [Part(_("Einstellungen der Tandembildung"))] if copied else []


def preview(*, source):
    return _parts(MatchingSettings.objects.filter(cohort=source).exists())


def copy(*, source, target, years):
    return _parts(copy_rules(MatchingSettings, source=source, target=target))
