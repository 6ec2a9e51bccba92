"""The accessibility statement's feedback mechanism (§ 12b BGG, BITV NRW).

A report is stored before anything is sent. The forwarding to the accessibility contact
and the confirmation to the sender are claimed one by one with a conditional update, so
a task that runs again sends neither twice.
"""

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from . import outbox
from .mail import send_templated_mail
from .models import AccessibilityFeedback, AccessibilityStatement


def feedback_submit(*, form, language):
    """Stores the report of ``form`` (valid) and queues its two e-mails after the commit."""
    with transaction.atomic():
        feedback = form.save(commit=False)
        feedback.language = language
        feedback.save()
        outbox.enqueue("mentoring.send_accessibility_feedback", feedback.pk)
    return feedback


def _claim(feedback_id, field):
    return bool(
        AccessibilityFeedback.objects.filter(pk=feedback_id, **{f"{field}__isnull": True}).update(
            **{field: timezone.now()}
        )
    )


def forward_feedback(feedback_id):
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
    if _claim(feedback.pk, "forwarded_at"):
        send_templated_mail(
            template="pages/email/accessibility_feedback",
            to=[statement.contact_email],
            reply_to=[feedback.email],
            context=context,
        )
    if _claim(feedback.pk, "confirmed_at"):
        send_templated_mail(
            template="pages/email/accessibility_confirmation",
            to=[feedback.email],
            context=context,
            language=feedback.language,
        )
