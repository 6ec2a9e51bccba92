import rules

from cohorts.rules import can_use_admin
from mentoring.rules import is_programme_office

rules.add_perm("workshops.view_workshop", can_use_admin)
for action in ("add", "change", "delete"):
    rules.add_perm(f"workshops.{action}_workshop", is_programme_office)
