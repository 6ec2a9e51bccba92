"""Her language (``User.language``) follows her from device to device.

The page language comes from the language cookie (``LocaleMiddleware``), which only the
language switch sets. At login: a device where she chose a language (the cookie) tells
her saved language what she now reads; a device without a choice gets her saved one. Her
pages, e-mails and documents so speak the same language. Choosing another language while
logged in saves it too (``mentoring.views.set_language``). A page reached from her e-mail
without logging in (a signed link) speaks her language too (``speak_her_language``).
"""

from django.conf import settings
from django.utils import translation

from .models import User


def language_at_login(sender, request, user, **kwargs):
    """``user_logged_in`` (a POST): keeps the device's choice, or brings hers to it."""
    if request is None:
        return
    chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    if chosen in dict(settings.LANGUAGES):
        if chosen != user.language:
            User.objects.filter(pk=user.pk).update(language=chosen)
            user.language = chosen
    elif user.language in dict(settings.LANGUAGES):
        request.login_language = user.language


def speak_her_language(request, user):
    """For a page that a signed link of her e-mail opens without a login: on a device where
    no language was chosen, this request speaks hers, as the e-mail did. Sets no cookie."""
    if request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME) in dict(settings.LANGUAGES):
        return
    if user.language in dict(settings.LANGUAGES):
        translation.activate(user.language)
        request.LANGUAGE_CODE = user.language


class LoginLanguageMiddleware:
    """Sets the language cookie on the response of a login (see ``language_at_login``)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        language = getattr(request, "login_language", None)
        if language:
            response.set_cookie(
                settings.LANGUAGE_COOKIE_NAME,
                language,
                max_age=settings.LANGUAGE_COOKIE_AGE,
                path=settings.LANGUAGE_COOKIE_PATH,
                domain=settings.LANGUAGE_COOKIE_DOMAIN,
                secure=settings.LANGUAGE_COOKIE_SECURE,
                httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
                samesite=settings.LANGUAGE_COOKIE_SAMESITE,
            )
        return response
