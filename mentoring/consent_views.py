"""The privacy notice, her consents, and asking again after the notice changed."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import renewal
from .consents import (
    DESCRIPTIONS,
    OPTIONAL_KINDS,
    ConsentError,
    active_consent,
    active_consents,
    consent_give,
    consent_withdraw,
    consents_renew,
    current_notice,
    first_notice_text,
    published_notice,
    withdrawal_consequences,
)
from .enums import ConsentKind
from .models import Consent


def _nothing_to_withdraw():
    return _("Diese Einwilligung ist nicht erteilt; es gibt nichts zu widerrufen.")


def _next(request, default):
    """Where to go on to: a path on this site, or ``default``."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target.startswith("/") and url_has_allowed_host_and_scheme(
        target, {request.get_host()}, request.is_secure()
    ):
        return target
    return reverse(default)


def _kind(kind):
    if kind not in ConsentKind.values:
        raise Http404
    return ConsentKind(kind)


# The privacy notice ----------------------------------------------------------------------


def privacy(request):
    """The notice in force, as the programme office published it (plain paragraphs)."""
    notice = current_notice()
    return render(
        request,
        "pages/privacy.html",
        {"notice": notice, "text": notice.text if notice else first_notice_text()},
    )


def privacy_version(request, version):
    """A published version, so that she can read the text she agreed to."""
    notice = published_notice(version)
    if notice is None:
        raise Http404
    current = current_notice()
    return render(
        request,
        "pages/privacy.html",
        {
            "notice": notice,
            "text": notice.text,
            "current": current if current and current.pk != notice.pk else None,
        },
    )


# Her consents ----------------------------------------------------------------------------


@login_required
def consents(request):
    """Her consents in force, each with a one-click withdrawal; the optional ones to give;
    and the history of all of them, a page at a time."""
    user = request.user
    notice = current_notice()
    active = active_consents(user)
    active_kinds = {consent.kind for consent in active}
    # A row ended by the same moment's new row was renewed, not withdrawn.
    renewed = Consent.objects.filter(
        user=OuterRef("user"), kind=OuterRef("kind"), given_at=OuterRef("withdrawn_at")
    )
    history = Paginator(
        Consent.objects.filter(user=user)
        .select_related("notice")
        .annotate(renewed=Exists(renewed))
        .order_by("-given_at", "-pk"),
        20,
    ).get_page(request.GET.get("seite"))
    return render(
        request,
        "registration/consents.html",
        {
            "notice": notice,
            "active": [(consent, DESCRIPTIONS[consent.kind]) for consent in active],
            "optional": [
                (kind, kind.label, DESCRIPTIONS[kind])
                for kind in OPTIONAL_KINDS
                if kind not in active_kinds
            ],
            "history": history,
            "renewal_needed": notice is not None
            and any(consent.notice.version < notice.version for consent in active),
        },
    )


@login_required
@require_POST
def give(request, kind):
    """Gives one of the optional consents (follow-up surveys, keeping an application)."""
    kind = _kind(kind)
    if kind not in OPTIONAL_KINDS:
        raise Http404
    try:
        consent_give(user=request.user, kind=kind)
    except ConsentError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _(
                "Danke, Ihre Einwilligung „%(kind)s“ ist erteilt. Sie können sie jederzeit "
                "hier widerrufen."
            )
            % {"kind": kind.label},
        )
        renewal.refresh(request)
    return redirect("consents")


@login_required
def withdraw(request, kind):
    """One click withdraws; where it changes more (an application), she confirms first.

    The GET, and a POST whose withdrawal has consequences, show the confirmation screen
    and write nothing; the POST from it (``confirmed``) withdraws at once.
    """
    kind = _kind(kind)
    consent = active_consent(request.user, kind)
    if consent is None:
        messages.info(request, _nothing_to_withdraw())
        return redirect("consents")
    consequences = withdrawal_consequences(user=request.user, kind=kind)
    confirmed = request.method == "POST" and (request.POST.get("confirmed") or not consequences)
    if not confirmed:
        return render(
            request,
            "registration/consent_withdraw.html",
            {
                "consent": consent,
                "description": DESCRIPTIONS[kind],
                "consequences": consequences,
            },
        )
    notes = consent_withdraw(user=request.user, kind=kind, actor=request.user)
    if notes is None:
        messages.info(request, _nothing_to_withdraw())
    else:
        messages.success(
            request,
            _("Ihre Einwilligung „%(kind)s“ ist widerrufen. Der Widerruf gilt ab sofort.")
            % {"kind": kind.label},
        )
        for note in notes:
            messages.info(request, note)
    renewal.refresh(request)
    return redirect("consents")


@login_required
def renew(request):
    """After a new notice: what changed, and her consents to confirm under it.

    Confirming gives each of her consents again under the new version (the old rows stay
    as history); she may instead go on to withdraw them one by one. With nothing left to
    confirm (answered in another window meanwhile) she goes straight on; the session then
    forgets the question.
    """
    user = request.user
    next_url = _next(request, "start")
    notice = current_notice()
    old = [
        consent
        for consent in active_consents(user)
        if notice is not None and consent.notice.version < notice.version
    ]
    if not old:
        request.session.pop(renewal.SESSION_KEY, None)
        return HttpResponseRedirect(next_url)
    if request.method == "POST":
        try:
            consents_renew(user=user)
        except ConsentError as error:
            messages.error(request, str(error))
            return redirect("consents")
        renewal.refresh(request)
        messages.success(
            request,
            _(
                "Danke. Ihre Einwilligungen gelten nun nach den Datenschutzhinweisen, "
                "Version %(version)s."
            )
            % {"version": notice.version},
        )
        return HttpResponseRedirect(next_url)
    return render(
        request,
        "registration/consents_renew.html",
        {"notice": notice, "old": old, "next": next_url},
    )
