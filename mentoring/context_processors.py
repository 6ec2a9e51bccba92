from django.urls import reverse
from django.utils.translation import gettext as _


def navigation(request):
    """The main navigation: only what the logged-in person may use."""
    user = getattr(request, "user", None)
    items = [{"label": _("Ausschreibung"), "url": reverse("home")}]
    if user is not None and user.is_authenticated:
        items.append({"label": _("Meine Bewerbungen"), "url": reverse("applications:mine")})
        items.append({"label": _("Mein Tandem"), "url": reverse("tandems:mine")})
        items.append({"label": _("Workshops"), "url": reverse("workshops:mine")})
        items.append({"label": _("Mein Konto"), "url": reverse("profile")})
    if user is not None and user.is_authenticated and user.is_staff:
        items.append({"label": _("Mentoringbeirat"), "url": reverse("tandems:beirat")})
        items.append({"label": _("Verwaltung"), "url": reverse("admin:index")})
    for item in items:
        item["current"] = request.path == item["url"]
    return {"nav_items": items}
