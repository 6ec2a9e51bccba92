import datetime as dt
import logging

from celery import shared_task
from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from cohorts.selectors import contact_for
from mentoring import calendar as ics
from mentoring import mail
from mentoring.enums import MailStatus
from mentoring.mail import Attachment

from . import mails
from .enums import ApplicationLogAction, ApplicationState
from .models import Application

logger = logging.getLogger(__name__)

INTERVIEW_MINUTES = 60


def interview_attachment(application, contact):
    """The selection interview as an .ics file: an hour from the time set, Berlin time."""
    start = timezone.localtime(application.interview_at, ics.BERLIN)
    # An hour of real time, also across a change of the clocks.
    end = (start.astimezone(dt.UTC) + dt.timedelta(minutes=INTERVIEW_MINUTES)).astimezone(
        ics.BERLIN
    )
    # In the applicant's language, like the e-mail it comes with.
    with translation.override(application.applicant.language):
        summary = _("Auswahlgespräch: %(programme)s") % {
            "programme": application.cohort.programme.name
        }
        description = _("Auswahlgespräch zu Ihrer Bewerbung als %(role)s für %(cohort)s.") % {
            "role": application.get_role_display(),
            "cohort": application.cohort.display_title,
        }
    content = ics.calendar_bytes(
        [
            ics.CalendarEvent(
                uid=ics.event_uid("interview", application.pk),
                start=start,
                end=end,
                summary=summary,
                location=application.interview_place,
                description=description,
                organizer=contact.user.email if contact else settings.DEFAULT_FROM_EMAIL,
            )
        ],
        method="PUBLISH",
    )
    return Attachment("auswahlgespraech.ics", content, ics.ICS_CONTENT_TYPE)


def _occasion(application, kind):
    """Which submission, request for changes, invitation or decision a mail reports.

    The audit entry of the state change it reports: a second submission after a requested
    correction is a new occasion and gets its own confirmation, while the same task run
    again finds the same entry and sends nothing. A nomination happens once.
    """
    state = kind.removeprefix("decision_")
    if state not in ApplicationState.values:
        return ""
    entry = (
        application.log.filter(action=ApplicationLogAction.TRANSITION, to_state=state)
        .order_by("-pk")
        .values_list("pk", flat=True)
        .first()
    )
    return f"log-{entry}" if entry else ""


@shared_task(name="applications.send_application_mail", bind=True, **mail.RETRY)
def send_application_mail(self, *, application_id, kind):
    """Mails the applicant about her application (confirmation, interview, decision).

    Once per occasion (see ``_occasion``), however often the task runs; a decision mail
    also sets ``decision_mailed_at``.
    """
    application = (
        Application.objects.select_related("applicant", "cohort__programme", "organisation")
        .filter(pk=application_id)
        .first()
    )
    if application is None:
        logger.info("application %s is gone; no %s mail", application_id, kind)
        return
    is_decision = kind.startswith("decision_")
    if is_decision and application.decision_mailed_at is not None:
        # Mailed before ``SentMail`` recorded decisions; a decision is made once.
        return
    contact = contact_for(organisation=application.organisation, cohort=application.cohort)
    applicant = application.applicant
    password_url = ""
    if not applicant.has_usable_password():
        # A nominated person has no password yet; this link lets her set one.
        password_url = settings.SITE_URL + reverse(
            "password_reset_confirm",
            kwargs={
                "uidb64": urlsafe_base64_encode(force_bytes(applicant.pk)),
                "token": default_token_generator.make_token(applicant),
            },
        )
    attachments = ()
    if kind == "interview" and application.interview_at is not None:
        attachments = (interview_attachment(application, contact),)
    row = mail.send_once(
        mail.OutgoingMail(
            purpose=f"application.{kind}",
            about=application,
            recipient=applicant,
            occasion=_occasion(application, kind),
            template=mails.template_of(kind),
            reply_to=(contact.user.email,) if contact else (),
            attachments=attachments,
            context=mails.context_of(application, contact=contact, password_url=password_url),
        ),
        last_try=mail.is_last_try(self),
    )
    if is_decision and row is not None and row.status == MailStatus.SENT:
        Application.objects.filter(pk=application.pk, decision_mailed_at__isnull=True).update(
            decision_mailed_at=row.sent_at
        )


@mail.resends("application.")
def _resend_application_mail(row):
    """The task again, if it still sends this row: the application is there and the mail's
    occasion (see ``_occasion``) is still the latest."""
    kind = row.purpose.removeprefix("application.")
    application = Application.objects.filter(pk=row.object_id).first()
    if application is None or _occasion(application, kind) != row.occasion:
        return None
    return send_application_mail.name, {"application_id": application.pk, "kind": kind}
