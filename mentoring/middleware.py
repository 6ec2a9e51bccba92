"""Response headers for privacy that Django does not set by itself."""

from django.conf import settings

# Pages below these paths show or take personal data, whoever asks (the certificate check
# names the person, a calendar feed her dates); everything a logged-in person sees is hers.
PERSONAL_PREFIXES = (
    "/konto/",
    "/start/",
    "/bewerbung/",
    "/tandem/",
    "/beirat/",
    "/workshops/",
    "/zertifikat/",
    "/zertifikate/",
    "/verwaltung/",
)


def is_personal(request):
    if request.path.startswith(PERSONAL_PREFIXES):
        return True
    user = getattr(request, "user", None)
    return user is not None and user.is_authenticated


class PrivacyHeadersMiddleware:
    """Adds ``Permissions-Policy`` everywhere and keeps personal pages out of every cache.

    ``Cache-Control: private, no-store``: neither a shared proxy nor the browser's history
    keeps a copy of a CV, a status page or a CSV export.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        if is_personal(request):
            response["Cache-Control"] = "private, no-store"
        return response
