"""The accessibility statement's feedback mechanism (§ 12b BGG, BITV NRW).

A report is stored before anything is sent. The forwarding to the accessibility contact
and the confirmation to the sender each go out in a transaction that holds the report's
row and marks the mail as sent (``forwarded_at``, ``confirmed_at``) once the mail server
took it: a task that runs again, or beside the first, finds it sent and sends nothing.
A worker that dies while sending leaves no claim behind, since PostgreSQL ends its
transaction with its connection: the task's next delivery (it is acknowledged late) sends
the mail. It goes out twice only if the worker died after the mail server took it and
before the commit. These two mails are not in ``SentMail``: their recipients are addresses
without an account, and a ``SentMail`` row names a user.
"""

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from . import outbox
from .mail import templated_mail
from .models import AccessibilityFeedback, AccessibilityStatement


def feedback_submit(*, form, language):
    """Stores the report of ``form`` (valid) and queues its two e-mails after the commit."""
    with transaction.atomic():
        feedback = form.save(commit=False)
        feedback.language = language
        feedback.save()
        outbox.enqueue("mentoring.send_accessibility_feedback", feedback.pk)
    return feedback


def _send_unless_sent(feedback_id, field, message):
    """Sends ``message`` unless the report's ``field`` says it went, then sets ``field``.

    Holds the report's row while sending: a second sender waits, then finds it sent. If
    sending fails or the worker dies, the transaction ends without the mark.
    """
    with transaction.atomic():
        unsent = AccessibilityFeedback.objects.select_for_update().filter(
            pk=feedback_id, **{f"{field}__isnull": True}
        )
        if unsent.first() is None:
            return False
        message.send()
        unsent.update(**{field: timezone.now()})
    return True


def forward_feedback(feedback_id):
    """Forwards the report to the accessibility contact and confirms it to its sender,
    each once (see the module's docstring)."""
    feedback = AccessibilityFeedback.objects.filter(pk=feedback_id).first()
    if feedback is None:
        return
    statement = AccessibilityStatement.current()
    context = {
        "feedback": feedback,
        "statement": statement,
        "admin_link": settings.SITE_URL
        + reverse("admin:mentoring_accessibilityfeedback_change", args=[feedback.pk]),
    }
    forward = templated_mail(
        template="pages/email/accessibility_feedback",
        to=[statement.contact_email],
        reply_to=[feedback.email],
        context=context,
    )
    _send_unless_sent(feedback.pk, "forwarded_at", forward)
    confirmation = templated_mail(
        template="pages/email/accessibility_confirmation",
        to=[feedback.email],
        context=context,
        language=feedback.language,
    )
    _send_unless_sent(feedback.pk, "confirmed_at", confirmation)
