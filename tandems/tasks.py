import logging

from celery import shared_task
from django.conf import settings

from mentoring.mail import send_templated_mail

from .models import Tandem

logger = logging.getLogger(__name__)


@shared_task(
    name="tandems.send_tandem_introduction",
    autoretry_for=(ConnectionError, TimeoutError),
    retry_backoff=True,
    max_retries=5,
)
def send_tandem_introduction(*, tandem_id):
    """Introduces each partner of a new tandem to the other (two e-mails)."""
    tandem = (
        Tandem.objects.select_related(
            "cohort__programme",
            "mentee__applicant",
            "mentee__organisation",
            "mentor__applicant",
            "mentor__organisation",
        )
        .filter(pk=tandem_id)
        .first()
    )
    if tandem is None:
        logger.info("tandem %s is gone; no introduction", tandem_id)
        return
    for me, partner in ((tandem.mentee, tandem.mentor), (tandem.mentor, tandem.mentee)):
        send_templated_mail(
            template="tandems/email/introduction",
            to=[me.applicant.email],
            context={"tandem": tandem, "me": me, "partner": partner, "site_url": settings.SITE_URL},
        )
