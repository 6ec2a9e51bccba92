"""What the e-mails to an applicant about her application are made of, in one place.

The task that sends them (``tasks.send_application_mail``) and the release page's preview
of the decision mails (admin) both take template and context from here, so the preview
shows what will be sent.
"""

from django.conf import settings
from django.urls import reverse

from cohorts.models import BeiratMembership
from mentoring.consents import has_active_consent
from mentoring.enums import ConsentKind

from .models import Application


def template_of(kind: str) -> str:
    """The template of the mail ``kind``: "submitted", "interview", "decision_accepted", …"""
    return f"applications/email/{kind}"


def decision_kind(decision: str) -> str:
    """The mail ``kind`` that tells the applicant of ``decision`` ("accepted", …)."""
    return f"decision_{decision}"


def context_of(
    application: Application,
    *,
    contact: BeiratMembership | None,
    password_url: str = "",
    follow_up_agreed: bool | None = None,
) -> dict:
    """The context of every mail about ``application``.

    ``contact`` is her equality officer (``cohorts.selectors.contact_for``), named in the
    signature; ``password_url`` the link a nominated person without a password sets one
    with (never in a preview: it would let the reader set it). ``follow_up_agreed``:
    whether her consent to the follow-up questions is in force, where the caller read it
    for many (``selectors.follow_up_consent_in_force``); else it is asked here.
    """
    if follow_up_agreed is None:
        follow_up_agreed = has_active_consent(application.applicant_id, ConsentKind.FOLLOW_UP)
    return {
        "application": application,
        "contact": contact,
        "status_url": settings.SITE_URL + reverse("applications:mine"),
        # Where she agrees to the follow-up questions on her career (``follow_ups``); empty
        # once she has, so that a decision mail does not ask again.
        "follow_up_url": ""
        if follow_up_agreed
        else settings.SITE_URL + reverse("applications:mine") + "#nachbefragung",
        "edit_url": settings.SITE_URL + reverse("applications:edit", kwargs={"pk": application.pk}),
        "password_url": password_url,
    }
