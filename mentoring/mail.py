"""E-mail from templates, rendered in the recipient's language."""

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import translation


def render_mail(template, context, language=None):
    """Returns (subject, body) of ``<template>_subject.txt`` and ``<template>.txt``."""
    with translation.override(language or settings.LANGUAGE_CODE):
        subject = render_to_string(f"{template}_subject.txt", context).strip()
        body = render_to_string(f"{template}.txt", context)
    return " ".join(subject.splitlines()), body


def templated_mail(*, template, to, context, language=None, reply_to=None):
    """The message, rendered and addressed but not sent."""
    subject, body = render_mail(template, context, language)
    return EmailMessage(
        subject=subject,
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=list(to),
        reply_to=list(reply_to or []),
    )


def send_templated_mail(**kwargs):
    message = templated_mail(**kwargs)
    message.send()
    return message
