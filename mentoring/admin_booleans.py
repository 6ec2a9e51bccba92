"""Yes/no icons in the admin whose text is "ja", "nein" or "unbekannt", in her language.

Django's admin draws a boolean (a list column, a read-only field) as an icon with Python's
``True``, ``False`` or ``None`` as its alternative text: English words, and code at that,
for a screen reader in a German admin. Every place that draws one imports
``admin_list._boolean_icon`` when it runs, so ``install()`` (from the admin's app config)
replaces it once for all of them.
"""

from django.contrib.admin.templatetags import admin_list
from django.templatetags.static import static
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

ICONS = {True: "yes", False: "no", None: "unknown"}
TEXTS = {True: _("ja"), False: _("nein"), None: _("unbekannt")}


def boolean_icon(value):
    """Django's icon, with text: ``<img src="…/icon-yes.svg" alt="ja">``."""
    return format_html(
        '<img src="{}" alt="{}">', static(f"admin/img/icon-{ICONS[value]}.svg"), TEXTS[value]
    )


def install():
    admin_list._boolean_icon = boolean_icon
