"""E-mail address verification by a signed, expiring link (no table needed)."""

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from .mail import active_language, send_templated_mail

SALT = "mentoring.email-verification"
MAX_AGE = 60 * 60 * 24 * 7  # a week


def make_token(user):
    # The address is part of the token: changing it invalidates older links.
    return signing.dumps({"user": user.pk, "email": user.email}, salt=SALT)


def verify_token(token, user_model):
    """Returns the user whose address the token confirms, or None if invalid or expired."""
    try:
        data = signing.loads(token, salt=SALT, max_age=MAX_AGE)
    except signing.BadSignature:
        return None
    user = user_model.objects.filter(pk=data.get("user"), email=data.get("email")).first()
    if user is not None and user.email_verified_at is None:
        user.email_verified_at = timezone.now()
        user.save(update_fields=["email_verified_at"])
    return user


def _with_next(path, next_url):
    if next_url and next_url != "/":
        return f"{path}?{urlencode({'next': next_url})}"
    return path


def send_verification_mail(user, next_url=""):
    """Mails the link that confirms ``user``'s address, in her language; it leads on to
    ``next_url``."""
    path = reverse("verify_email", kwargs={"token": make_token(user)})
    send_templated_mail(
        template="registration/email/verify",
        to=[user.email],
        language=user.language,
        context={"user": user, "link": settings.SITE_URL + _with_next(path, next_url)},
    )


def send_account_exists_mail(user, next_url=""):
    """Tells ``user``, who registered again, that she has an account, and how to get in.

    In the language of the registration form: whoever filled it in reads that one.
    """
    send_templated_mail(
        template="registration/email/account_exists",
        to=[user.email],
        language=active_language(),
        context={
            "user": user,
            "login_link": settings.SITE_URL + _with_next(reverse("login"), next_url),
            "reset_link": settings.SITE_URL + reverse("password_reset"),
        },
    )
