"""E-mail from templates, rendered in the recipient's language."""

from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import translation


@dataclass(frozen=True)
class Attachment:
    """A file sent with a message: its name, its bytes and its MIME type."""

    filename: str
    content: bytes
    mimetype: str


def render_mail(template, context, language=None):
    """Returns (subject, body) of ``<template>_subject.txt`` and ``<template>.txt``."""
    with translation.override(language or settings.LANGUAGE_CODE):
        subject = render_to_string(f"{template}_subject.txt", context).strip()
        body = render_to_string(f"{template}.txt", context)
    return " ".join(subject.splitlines()), body


def templated_mail(*, template, to, context, language=None, reply_to=None, attachments=()):
    """The message, rendered and addressed but not sent; ``attachments`` are ``Attachment``."""
    subject, body = render_mail(template, context, language)
    message = EmailMessage(
        subject=subject,
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=list(to),
        reply_to=list(reply_to or []),
    )
    for attachment in attachments:
        message.attach(attachment.filename, attachment.content, attachment.mimetype)
    return message


def send_templated_mail(**kwargs):
    message = templated_mail(**kwargs)
    message.send()
    return message
