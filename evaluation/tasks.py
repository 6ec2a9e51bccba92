import logging

from celery import shared_task
from django.conf import settings
from django.urls import reverse

from mentoring import mail

from .models import EarlyWarning

logger = logging.getLogger(__name__)

PURPOSE = "evaluation.early_warning"


@shared_task(name="evaluation.send_early_warning_notice", bind=True, **mail.RETRY)
def send_early_warning_notice(self, *, warning_id):
    """Tells the equality officer she named that someone asks for a conversation.

    The e-mail names nobody and quotes nothing: who it is, and her message, are behind the
    login (the list of requests). Sent once; none for a request without a named officer
    (the programme office finds it on its start page), nor for one handled meanwhile.
    """
    warning = (
        EarlyWarning.objects.select_related("contact", "survey__cohort__programme")
        .filter(pk=warning_id, contact__isnull=False, handled_at__isnull=True)
        .first()
    )
    if warning is None:
        logger.info("request for contact %s is gone or names nobody; no notice", warning_id)
        return
    mail.send_once(
        mail.OutgoingMail(
            purpose=PURPOSE,
            about=warning,
            recipient=warning.contact,
            template="evaluation/email/early_warning",
            context={
                "contact": warning.contact,
                "cohort": warning.survey.cohort,
                "requests_url": settings.SITE_URL
                + reverse("admin:evaluation_earlywarning_changelist")
                + "?stand=offen",
            },
        ),
        last_try=mail.is_last_try(self),
    )


@mail.resends(PURPOSE)
def _resend_notice(row):
    if not EarlyWarning.objects.filter(pk=row.object_id).exists():
        return None
    return send_early_warning_notice.name, {"warning_id": row.object_id}
