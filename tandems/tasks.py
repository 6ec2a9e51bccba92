import logging

from celery import shared_task
from django.conf import settings

from mentoring import mail

from .models import Tandem

logger = logging.getLogger(__name__)


@shared_task(name="tandems.send_tandem_introduction", bind=True, **mail.RETRY)
def send_tandem_introduction(self, *, tandem_id):
    """Introduces each partner of a new tandem to the other (two e-mails, each sent once).

    A retry after a connection error sends only the e-mail that did not go out.
    """
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
    mail.send_each(
        [
            mail.OutgoingMail(
                purpose="tandem.introduction",
                about=tandem,
                recipient=me.applicant,
                template="tandems/email/introduction",
                context={
                    "tandem": tandem,
                    "me": me,
                    "partner": partner,
                    "site_url": settings.SITE_URL,
                },
            )
            for me, partner in ((tandem.mentee, tandem.mentor), (tandem.mentor, tandem.mentee))
        ],
        last_try=mail.is_last_try(self),
    )


@mail.resends("tandem.introduction")
def _resend_introduction(row):
    if not Tandem.objects.filter(pk=row.object_id).exists():
        return None
    return send_tandem_introduction.name, {"tandem_id": row.object_id}
