"""E-mail from templates, rendered in the recipient's language, and sent at most once.

``send_once`` is how the app's tasks send: each message is recorded in ``SentMail`` under
a unique key before it goes out, so a task that runs again (a retry after a connection
error, a redelivery, a second worker) never repeats one that went out. Transient failures
(SMTP 4xx, a lost connection) raise ``MailDeferred``; a task declared with ``RETRY`` is
then retried with backoff and takes the same row again.

A worker that dies while sending leaves its row "in Zustellung". The task is acknowledged
late, so it is delivered again (at once when a pool process died, after the broker's
visibility timeout when the whole worker did); a try that finds another sender's claim
waits for it with a retry, and a claim older than ``MAIL_CLAIM_STALE_SECONDS`` is taken
over and sent with the same Message-ID. Should no delivery come, ``resume`` (Celery beat,
every ``RESUME_INTERVAL_SECONDS``) queues the task again for every such row: each app says
in its ``tasks.py`` which task sends a purpose (``@resends``). A message goes out twice
only if the worker died after the mail server accepted it and before its row said so.

Reminders have their own table and sweep (``mentoring.reminders``); e-mail verification and
password reset stay plain.
"""

import hashlib
import logging
import smtplib
import uuid
from dataclasses import dataclass, field
from datetime import timedelta
from urllib.parse import urlsplit

from celery import Task
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import F, Model, Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext as _

from . import outbox
from .enums import MailStatus
from .models import SentMail

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Attachment:
    """A file sent with a message: its name, its bytes and its MIME type."""

    filename: str
    content: bytes
    mimetype: str


def active_language():
    """The language of the request being answered, as one of ``LANGUAGES``.

    For mail to an address that has no user behind it (yet), such as a registration or
    a report from the accessibility form: the language the person is reading in now.
    """
    try:
        return translation.get_supported_language_variant(
            translation.get_language() or settings.LANGUAGE_CODE
        )
    except LookupError:
        return settings.LANGUAGE_CODE


def render_mail(template, context, language=None):
    """Returns (subject, body) of ``<template>_subject.txt`` and ``<template>.txt``.

    Rendered in ``language`` (dates too: they follow its formats), by default the site's.
    """
    with translation.override(language or settings.LANGUAGE_CODE):
        subject = render_to_string(f"{template}_subject.txt", context).strip()
        body = render_to_string(f"{template}.txt", context)
    return " ".join(subject.splitlines()), body


def templated_mail(
    *, template, to, context, language=None, reply_to=None, attachments=(), headers=None
):
    """The message, rendered and addressed but not sent; ``attachments`` are ``Attachment``."""
    subject, body = render_mail(template, context, language)
    message = EmailMessage(
        subject=subject,
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=list(to),
        reply_to=list(reply_to or []),
        headers=dict(headers or {}),
    )
    for attachment in attachments:
        message.attach(attachment.filename, attachment.content, attachment.mimetype)
    return message


def send_templated_mail(**kwargs):
    """Sends at once, unrecorded: only for mails a person asks for again herself."""
    message = templated_mail(**kwargs)
    message.send()
    return message


# Sent at most once ---------------------------------------------------------------------------


class MailDeferred(Exception):
    """A message was not sent now and will be retried: the mail server could not take it,
    or another sender holds its claim. ``countdown``: seconds the retry should wait."""

    def __init__(self, message, *, countdown=None):
        super().__init__(message)
        self.countdown = countdown


class MailTask(Task):
    """The base of tasks that send with ``send_once``: a retry waits as long as the
    ``MailDeferred`` asks, if it does (until a claim left by a dead worker is stale),
    instead of the backoff."""

    def retry(
        self,
        args=None,
        kwargs=None,
        exc=None,
        throw=True,
        eta=None,
        countdown=None,
        max_retries=None,
        **options,
    ):
        wait = getattr(exc, "countdown", None)
        if wait is not None and eta is None:
            countdown = wait
        return super().retry(
            args=args,
            kwargs=kwargs,
            exc=exc,
            throw=throw,
            eta=eta,
            countdown=countdown,
            max_retries=max_retries,
            **options,
        )


# Options for a Celery task that sends with ``send_once``: retries after a transient
# failure, 30 s, 1, 2, 4 and 8 minutes later (with jitter); after the last try the row
# says "fehlgeschlagen" in the admin. A try that finds another sender's fresh claim
# waits until that claim would be stale.
RETRY = {
    "base": MailTask,
    "autoretry_for": (MailDeferred,),
    "retry_backoff": 30,
    "retry_backoff_max": 15 * 60,
    "retry_jitter": True,
    "max_retries": 5,
}


def is_last_try(task):
    """Whether ``task`` (bound, declared with ``RETRY``) runs for the last time."""
    return task.request.retries >= task.max_retries


def is_transient(error):
    """Worth another try: the server went away or answered 4xx ("try again later")."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return all(400 <= code < 500 for code, _message in error.recipients.values())
    if isinstance(error, smtplib.SMTPResponseException):
        return 400 <= error.smtp_code < 500
    return isinstance(error, (smtplib.SMTPServerDisconnected, ConnectionError, TimeoutError))


@dataclass(frozen=True)
class OutgoingMail:
    """One message to one person, with the key that says which occasion it belongs to.

    ``purpose`` is "<app>.<kind>" (at most 64 characters), ``about`` the object the mail
    is about, ``recipient`` a User; ``occasion`` tells apart repeated occasions of the
    same purpose, object and recipient, and is empty where there is only one. It is
    written in ``language``, by default the recipient's (``User.language``).
    """

    purpose: str
    about: Model
    recipient: Model
    template: str
    context: dict = field(default_factory=dict, compare=False, hash=False)
    occasion: str = ""
    reply_to: tuple = ()
    attachments: tuple = ()
    language: str | None = None

    def key(self):
        return {
            "purpose": self.purpose,
            "content_type": ContentType.objects.get_for_model(self.about),
            "object_id": self.about.pk,
            "recipient": self.recipient,
            "occasion": self.occasion,
        }


def message_id(*, purpose, about, recipient, occasion=""):
    """The Message-ID of the mail with this key: the same for every try and every resend."""
    opts = about._meta
    key = f"{purpose}|{opts.app_label}.{opts.model_name}|{about.pk}|{recipient.pk}|{occasion}"
    digest = hashlib.sha256(key.encode()).hexdigest()[:40]
    domain = urlsplit(settings.SITE_URL).hostname or "localhost"
    return f"<{digest}.{purpose}@{domain}>"


def _claim(mail):
    """Records ``mail`` and takes it for this sender, in a transaction of its own.

    Returns the row if this sender may send it now: it was not recorded before, its last
    try failed transiently, or its sender died (its claim is older than
    ``MAIL_CLAIM_STALE_SECONDS``, or ``resume`` released it). Returns None if it went out,
    failed for good, or is being sent by someone else. Of two senders at once, the database
    lets exactly one win: the second insert waits for the first and is dropped, the second
    update finds a fresh claim.
    """
    key = mail.key()
    claim, now = uuid.uuid4(), timezone.now()
    stale = now - timedelta(seconds=settings.MAIL_CLAIM_STALE_SECONDS)
    with transaction.atomic():
        SentMail.objects.bulk_create(
            [
                SentMail(
                    **key,
                    address=mail.recipient.email,
                    message_id=message_id(
                        purpose=mail.purpose,
                        about=mail.about,
                        recipient=mail.recipient,
                        occasion=mail.occasion,
                    ),
                    status=MailStatus.SENDING,
                    claim=claim,
                    claimed_at=now,
                    attempts=1,
                )
            ],
            ignore_conflicts=True,
        )
        SentMail.objects.filter(**key).filter(
            Q(status=MailStatus.RETRY)
            | Q(status=MailStatus.SENDING, claimed_at__lt=stale)
            | Q(status=MailStatus.SENDING, claimed_at__isnull=True)
            # Released by ``resume`` for exactly this try.
            | Q(status=MailStatus.SENDING, claim__isnull=True)
        ).update(
            status=MailStatus.SENDING,
            claim=claim,
            claimed_at=now,
            attempts=F("attempts") + 1,
            address=mail.recipient.email,
        )
        return SentMail.objects.filter(**key, claim=claim, status=MailStatus.SENDING).first()


def _held_for(mail):
    """Seconds until another sender's claim on ``mail`` counts as abandoned, or None if
    nobody is sending it."""
    claimed_at = (
        SentMail.objects.filter(**mail.key(), status=MailStatus.SENDING)
        .values_list("claimed_at", flat=True)
        .first()
    )
    if claimed_at is None:
        return None
    age = (timezone.now() - claimed_at).total_seconds()
    return max(settings.MAIL_CLAIM_STALE_SECONDS - age, 0) + 1


def _record(row, **fields):
    """Writes the outcome of this sender's try, unless the row is no longer its claim."""
    for name, value in fields.items():
        setattr(row, name, value)
    SentMail.objects.filter(pk=row.pk, claim=row.claim).update(**fields)
    return row


def send_once(mail, *, last_try=True):
    """Sends ``mail`` unless it was sent (or is being sent) for its occasion already.

    Call it outside a transaction: the claim must be committed before the message goes
    out. Returns the ``SentMail`` row of this try ("gesendet" or "fehlgeschlagen"), or
    None if there was nothing to do. Raises ``MailDeferred`` after a transient failure
    unless ``last_try``; the row then waits for the task's next try. So it does when
    another sender holds the row's claim: that one may have died (a redelivery after a
    worker was lost), and the next try takes the claim over once it is stale.
    """
    row = _claim(mail)
    if row is None and not last_try and (held := _held_for(mail)) is not None:
        raise MailDeferred(
            f"{mail.purpose} to {mail.recipient.pk}: being sent elsewhere", countdown=held
        )
    if row is None:
        logger.info(
            "%s to %s about %s: already recorded", mail.purpose, mail.recipient.pk, mail.about.pk
        )
        return None
    try:
        message = templated_mail(
            template=mail.template,
            to=[mail.recipient.email],
            context=mail.context,
            language=mail.language or mail.recipient.language,
            reply_to=mail.reply_to,
            attachments=mail.attachments,
            headers={"Message-ID": row.message_id},
        )
    except Exception as error:  # a broken template is recorded, not retried
        logger.exception("%s to %s could not be rendered", mail.purpose, mail.recipient.pk)
        return _record(row, status=MailStatus.FAILED, error=repr(error)[:500])
    _record(row, subject=message.subject[:255])
    try:
        message.send()
    except (smtplib.SMTPException, OSError) as error:
        text = (str(error) or repr(error))[:500]
        if is_transient(error) and not last_try:
            _record(row, status=MailStatus.RETRY, error=text)
            raise MailDeferred(f"{mail.purpose} to {mail.recipient.pk}: {text}") from error
        logger.warning("%s to %s failed: %s", mail.purpose, mail.recipient.pk, text)
        return _record(row, status=MailStatus.FAILED, error=text)
    return _record(row, status=MailStatus.SENT, sent_at=timezone.now(), error="")


def sent_row(mail):
    """The ``SentMail`` row of ``mail``'s occasion if it went out, else None; one query.
    For a caller whose ``send_once`` found it sent already (by a worker that then died)."""
    return SentMail.objects.filter(**mail.key(), status=MailStatus.SENT).first()


def retry_failed(*, purpose, model, object_ids):
    """Lets the mails of ``purpose`` about these objects (of ``model``) that failed for good
    be sent by their task's next run, for a new occasion to send them (the next print of
    a cohort's certificates). Returns how many."""
    return SentMail.objects.filter(
        purpose=purpose,
        content_type=ContentType.objects.get_for_model(model),
        object_id__in=object_ids,
        status=MailStatus.FAILED,
    ).update(status=MailStatus.RETRY)


def send_each(mails, *, last_try=True):
    """``send_once`` for each of ``mails``; a transient failure of one does not stop the rest.

    Returns the rows; raises the first ``MailDeferred`` once all were tried, so the retry
    takes up only what did not go out.
    """
    rows, deferred = [], None
    for mail in mails:
        try:
            rows.append(send_once(mail, last_try=last_try))
        except MailDeferred as error:
            deferred = deferred or error
    if deferred is not None:
        raise deferred
    return rows


# Taking over what a dead worker left -------------------------------------------------------

_resenders = {}


def resends(purpose):
    """Registers how a mail of ``purpose`` is sent again once its sender died; a purpose
    that ends in a dot ("application.") stands for every purpose that starts with it.

    The decorated function gets the ``SentMail`` row and returns the name of the task that
    sends it and the task's keyword arguments, or None if that task would not send this row
    any more (its object is gone, or the occasion has passed). Each app registers its
    purposes in its ``tasks.py``, next to the task.
    """

    def register(function):
        _resenders[purpose] = function
        return function

    return register


def _resender(purpose):
    autodiscover_modules("tasks")
    for prefix, function in _resenders.items():
        if purpose == prefix or (prefix.endswith(".") and purpose.startswith(prefix)):
            return function
    return None


def _abandoned():
    """The rows "in Zustellung" whose claim is older than ``MAIL_CLAIM_STALE_SECONDS``."""
    stale = timezone.now() - timedelta(seconds=settings.MAIL_CLAIM_STALE_SECONDS)
    return SentMail.objects.filter(status=MailStatus.SENDING).filter(
        Q(claimed_at__lt=stale) | Q(claimed_at__isnull=True)
    )


def resume():
    """Queues again the task of each mail a dead worker left "in Zustellung" (Celery beat,
    every ``RESUME_INTERVAL_SECONDS``; ``manage.py resume_jobs``); returns those rows.

    Each row is released for the task's next try, which takes it over at once and sends it
    with its Message-ID; should that try never come either, the row is abandoned again
    after ``MAIL_CLAIM_STALE_SECONDS`` and queued once more. A row its task would no longer
    send is marked "fehlgeschlagen", with the reason. One indexed query when there are none.
    """
    queued = []
    for row in _abandoned().order_by("pk"):
        resender = _resender(row.purpose)
        task = resender(row) if resender is not None else None
        with transaction.atomic():
            mine = _abandoned().filter(pk=row.pk, claim=row.claim)
            if task is None:
                mine.update(
                    status=MailStatus.FAILED,
                    error=_("Bei der Wiederaufnahme nicht mehr zu senden; nicht gesendet."),
                )
                logger.warning("%s %s: not to be sent any more", row.purpose, row.pk)
                continue
            name, kwargs = task
            if mine.update(claim=None, claimed_at=timezone.now()):
                outbox.enqueue(name, **kwargs)
                queued.append(row)
    if queued:
        logger.warning("%d mail(s) a dead worker left were queued again", len(queued))
    return queued
