from .start import navigation as navigation_items


def navigation(request):
    """The main navigation: only what the logged-in person may use (see ``mentoring.start``)."""
    user = getattr(request, "user", None)
    if user is None:
        return {"nav_items": []}
    items = [
        {"label": item.label, "url": item.url, "current": request.path == item.url}
        for item in navigation_items(user=user)
    ]
    return {"nav_items": items}
