from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from applications.enums import ApplicationRole
from applications.models import Application
from cohorts.models import Cohort
from cohorts.rules import is_officer
from cohorts.selectors import chaired_cohort_filter, member_cohort_filter, sees_whole_cohort
from cohorts.shortcuts import cohort_or_403
from mentoring.months import period_key
from mentoring.numbers import whole_number
from mentoring.spreadsheets import csv_response, write_row

from . import progress, services
from .enums import ContactFormat, MonthState, TandemStatus
from .forms import (
    ContactForm,
    EndForm,
    GoalAgreementForm,
    MentorChoiceForm,
    OverviewFilter,
    PairForm,
    WeightsForm,
)
from .models import GoalAgreement, MatchingRun, Tandem
from .rules import involves_officers_people
from .selectors import (
    constraints_of,
    contact_formats,
    contact_overview_counts,
    contact_overview_rows,
    contact_overview_tandems,
    contacts_of,
    goal_agreement_for,
    goal_agreement_history,
    partner_role,
    run_detail,
    runs_of,
    settings_for,
    tandems_of,
    tandems_visible_to,
)


@login_required
def beirat_home(request):
    """The Beirat's start: each cohort with its tandem formation and tandems."""
    if not request.user.has_perm("tandems.view_cohort_tandems"):
        raise PermissionDenied
    cohorts = Cohort.objects.select_related("programme").order_by("programme__name", "-number")
    if not request.user.is_programme_office:
        cohorts = cohorts.filter(member_cohort_filter(user=request.user))
    cohorts = Paginator(cohorts, 25).get_page(request.GET.get("seite"))
    # The same rule as "tandems.manage_matching", answered for the whole page at once.
    chaired = set(
        Cohort.objects.filter(chaired_cohort_filter(user=request.user)).values_list("pk", flat=True)
    )
    for cohort in cohorts:
        cohort.can_match = request.user.is_programme_office or cohort.pk in chaired
    return render(request, "tandems/beirat_home.html", {"cohorts": cohorts})


def _matching_url(cohort, run=None):
    url = reverse("tandems:matching", kwargs={"cohort_id": cohort.pk})
    return f"{url}?lauf={run.pk}" if run else url


@login_required
def matching(request, cohort_id):
    """The Beirat's page: a proposal with every pair explained, the unmatched, the levers.

    Showing it writes nothing (the weights' defaults are read, not created).
    """
    cohort = cohort_or_403(request, cohort_id, "tandems.manage_matching")
    run, run_id = None, whole_number(request.GET.get("lauf", ""))
    if run_id is not None:
        run = get_object_or_404(MatchingRun, pk=run_id, cohort=cohort)
    form = WeightsForm(instance=settings_for(cohort=cohort))
    context = _matching_context(cohort, run, form, request.GET.get("seite"))
    return render(request, "tandems/matching.html", context)


def _matching_context(cohort, run, weights_form, page_number=None):
    runs = list(runs_of(cohort=cohort)[:20])
    current = runs[0] if runs else None
    run = run or current
    pairs, unmatched = run_detail(run=run, page_number=page_number) if run else ([], [])
    if run:
        run.cohort = cohort
        services.proposal_details(run, pairs)
    constraints = list(constraints_of(cohort=cohort))
    kinds = {(c.mentee_id, c.mentor_id): c.kind for c in constraints}
    for pair in pairs:
        pair.constraint = kinds.get((pair.mentee_id, pair.mentor_id))
    is_current = run is not None and run.pk == current.pk
    needs_consent = cohort.programme.transfer_consent_required
    for entry in unmatched:
        application = entry["application"]
        # Whom the solver never saw for want of consent cannot be paired by hand either.
        entry["can_pair"] = (
            is_current
            and application.role == ApplicationRole.MENTEE
            and (not needs_consent or application.transfer_consent_at is not None)
        )
    return {
        "cohort": cohort,
        # Links to other runs and pages name the page: the weights form's errors are shown
        # at the form's address, which only takes a POST.
        "matching_url": _matching_url(cohort),
        "runs": runs,
        "run": run,
        "is_current": is_current,
        # Pins, bans and choices by hand only where they can still change something.
        "can_steer": is_current and run.published_at is None,
        "pairs": pairs,
        "unmatched": unmatched,
        "constraints": constraints,
        "weights_form": weights_form,
    }


@login_required
@require_POST
def matching_run(request, cohort_id):
    cohort = cohort_or_403(request, cohort_id, "tandems.manage_matching")
    try:
        run = services.matching_run(cohort=cohort, actor=request.user)
    except services.TandemError as error:
        messages.error(request, str(error))
        return redirect(_matching_url(cohort))
    messages.success(request, _("Ein neuer Vorschlag ist berechnet."))
    return redirect(_matching_url(cohort, run))


@login_required
@require_POST
def matching_weights(request, cohort_id):
    """Saves the weights; the first save creates the cohort's settings."""
    cohort = cohort_or_403(request, cohort_id, "tandems.manage_matching")
    form = WeightsForm(request.POST, instance=settings_for(cohort=cohort))
    if form.is_valid():
        services.matching_settings_save(cohort=cohort, values=form.cleaned_data)
        messages.success(request, _("Gewichte gespeichert. Berechnen Sie einen neuen Vorschlag."))
        return redirect(_matching_url(cohort))
    return render(request, "tandems/matching.html", _matching_context(cohort, None, form))


PAIR_MESSAGES = {
    "pin": gettext_lazy(
        "Festgelegt: %(mentee)s mit %(mentor)s. Das gilt ab dem nächsten Vorschlag."
    ),
    "forbid": gettext_lazy(
        "Ausgeschlossen: %(mentee)s mit %(mentor)s. Das gilt ab dem nächsten Vorschlag."
    ),
    "release": gettext_lazy(
        "Vorgabe aufgehoben: %(mentee)s – %(mentor)s. Das gilt ab dem nächsten Vorschlag."
    ),
}


@login_required
@require_POST
def matching_pair(request, cohort_id):
    """Pins, forbids or releases one pair for the next proposals."""
    cohort = cohort_or_403(request, cohort_id, "tandems.manage_matching")
    form = PairForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Das Paar ist unvollständig."))
        return redirect(_matching_url(cohort))
    people = (
        Application.objects.filter(cohort=cohort)
        .select_related("applicant")
        .in_bulk([form.cleaned_data["mentee"], form.cleaned_data["mentor"]])
    )
    mentee = people.get(form.cleaned_data["mentee"])
    mentor = people.get(form.cleaned_data["mentor"])
    if mentee is None or mentor is None or mentee.role != ApplicationRole.MENTEE:
        messages.error(request, _("Das Paar gehört nicht zu diesem Jahrgang."))
        return redirect(_matching_url(cohort))
    kind = form.cleaned_data["kind"]
    try:
        if kind == "release":
            services.pair_release(mentee=mentee, mentor=mentor, actor=request.user)
        else:
            services.pair_constrain(
                cohort=cohort, mentee=mentee, mentor=mentor, kind=kind, actor=request.user
            )
    except services.TandemError as error:
        messages.error(request, str(error))
    else:
        names = {
            "mentee": mentee.applicant.get_full_name(),
            "mentor": mentor.applicant.get_full_name(),
        }
        messages.success(request, PAIR_MESSAGES[kind] % names)
    # Back to the proposal and the page of it she was on.
    url, run, page = (
        _matching_url(cohort),
        whole_number(request.POST.get("lauf", "")),
        whole_number(request.POST.get("seite", "")),
    )
    if run is not None:
        url += f"?lauf={run}" + (f"&seite={page}" if page is not None else "")
    return redirect(url)


def _chosen_mentor(form, cohort):
    """The cohort's application the form names as mentor; None if it names none."""
    if not form.is_valid() or form.cleaned_data["mentor"] is None:
        return None
    return (
        Application.objects.filter(cohort=cohort, pk=form.cleaned_data["mentor"])
        .select_related("applicant")
        .first()
    )


def _split_choices(choices):
    allowed = [choice for choice in choices if choice["reason"] is None]
    return allowed, [choice for choice in choices if choice["reason"] is not None]


@login_required
def matching_by_hand(request, cohort_id, mentee_id):
    """The chair pairs one mentee by hand: every mentor with a seat, scored and explained.

    GET shows the mentors the hard rules allow (best first) and those they rule out, with
    the rule; POST pins the chosen one and computes a new proposal around it.
    """
    cohort = cohort_or_403(request, cohort_id, "tandems.manage_matching")
    mentee = get_object_or_404(
        Application.objects.select_related("applicant", "organisation"),
        pk=mentee_id,
        cohort=cohort,
        role=ApplicationRole.MENTEE,
    )
    here = reverse("tandems:pair_by_hand", kwargs={"cohort_id": cohort.pk, "mentee_id": mentee.pk})
    if request.method == "POST":
        form = MentorChoiceForm(request.POST)
        mentor = _chosen_mentor(form, cohort)
        if mentor is None:
            messages.error(request, _("Bitte wählen Sie eine Mentor:in dieses Jahrgangs."))
            return redirect(here)
        try:
            run = services.pair_by_hand(
                cohort=cohort, mentee=mentee, mentor=mentor, actor=request.user
            )
        except services.TandemError as error:
            messages.error(request, str(error))
            return redirect(here)
        messages.success(
            request,
            _(
                "%(mentee)s ist von Hand %(mentor)s zugeordnet (festgelegt); ein neuer "
                "Vorschlag ist berechnet."
            )
            % {
                "mentee": mentee.applicant.get_full_name(),
                "mentor": mentor.applicant.get_full_name(),
            },
        )
        return redirect(_matching_url(cohort, run))
    try:
        choices, refusal = services.mentor_choices(cohort=cohort, mentee=mentee), None
    except services.TandemError as error:
        choices, refusal = [], str(error)
    allowed, ruled_out = _split_choices(choices)
    return render(
        request,
        "tandems/pair_by_hand.html",
        {
            "cohort": cohort,
            "mentee": mentee,
            "topics": mentee.topics.all(),
            "allowed": allowed,
            "ruled_out": ruled_out,
            "refusal": refusal,
        },
    )


@login_required
def matching_publish(request, cohort_id, run_id):
    """GET: what publishing will do (tandems, e-mails, who stays without); POST: publish."""
    cohort = cohort_or_403(request, cohort_id, "tandems.manage_matching")
    run = get_object_or_404(MatchingRun, pk=run_id, cohort=cohort)
    run.cohort = cohort
    if request.method == "POST":
        try:
            created = services.matching_publish(run=run, actor=request.user)
        except services.TandemError as error:
            messages.error(request, str(error))
            return redirect(_matching_url(cohort, run))
        messages.success(
            request,
            ngettext(
                "%(count)d Tandem gebildet; beide Seiten erhalten eine E-Mail.",
                "%(count)d Tandems gebildet; beide Seiten erhalten eine E-Mail.",
                len(created),
            )
            % {"count": len(created)},
        )
        return redirect("tandems:list", cohort_id=cohort.pk)
    preview = services.publication_preview(run)
    return render(
        request, "tandems/publish_confirm.html", {"cohort": cohort, "run": run, **preview}
    )


@login_required
def tandem_list(request, cohort_id):
    """The cohort's tandems as far as this officer may see them; paginated."""
    cohort = cohort_or_403(request, cohort_id, "tandems.view_cohort_tandems")
    tandems = tandems_visible_to(user=request.user, cohort=cohort).order_by(
        "mentee__applicant__last_name", "pk"
    )
    page = Paginator(tandems, 50).get_page(request.GET.get("seite"))
    # "tandems.end_tandem", with its cohort-wide part answered once for the whole page.
    user = request.user
    whole_cohort = sees_whole_cohort(user=user, cohort=cohort)
    # An ended tandem's mentee who has a new tandem needs no re-matching.
    matched = set(
        Tandem.objects.filter(
            cohort=cohort,
            status=TandemStatus.ACTIVE,
            mentee_id__in=[tandem.mentee_id for tandem in page],
        ).values_list("mentee_id", flat=True)
    )
    for tandem in page:
        tandem.can_end = whole_cohort or (
            is_officer(user) and involves_officers_people(user, tandem)
        )
        tandem.can_rematch = (
            tandem.can_end
            and tandem.status == TandemStatus.ENDED
            and tandem.mentee_id not in matched
        )
    return render(
        request,
        "tandems/list.html",
        {
            "cohort": cohort,
            "page": page,
            "can_match": request.user.has_perm("tandems.manage_matching", cohort),
        },
    )


def _tandem_for_officer(request, pk):
    tandem = get_object_or_404(
        Tandem.objects.select_related(
            "cohort__programme",
            "mentee__applicant",
            "mentee__organisation",
            "mentor__applicant",
            "mentor__organisation",
        ),
        pk=pk,
    )
    if not request.user.has_perm("tandems.end_tandem", tandem):
        raise PermissionDenied
    return tandem


@login_required
def tandem_end(request, pk):
    """Ending a tandem early: GET shows the tandem and asks for the reason, POST ends it."""
    tandem = _tandem_for_officer(request, pk)
    form = EndForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.tandem_end(
                tandem=tandem,
                actor=request.user,
                reason=form.cleaned_data["reason"],
                category=form.cleaned_data["category"],
            )
        except services.TandemError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                _("Das Tandem %(mentee)s – %(mentor)s ist beendet.")
                % {
                    "mentee": tandem.mentee.applicant.get_full_name(),
                    "mentor": tandem.mentor.applicant.get_full_name(),
                },
            )
        return redirect("tandems:list", cohort_id=tandem.cohort_id)
    return render(request, "tandems/end.html", {"tandem": tandem, "form": form})


@login_required
def tandem_rematch(request, pk):
    """A new mentor for the mentee of an early-ended tandem.

    GET shows the mentors with a free seat, scored for her (her former partner marked and
    not preselected); POST forms the new tandem with the chosen one, or without a choice
    with the best one the solver finds (never the former partner).
    """
    ended = _tandem_for_officer(request, pk)
    here = reverse("tandems:rematch", kwargs={"pk": ended.pk})
    if request.method == "POST":
        form = MentorChoiceForm(request.POST, required=False)
        mentor = _chosen_mentor(form, ended.cohort)
        if mentor is None and request.POST.get("mentor"):
            messages.error(request, _("Bitte wählen Sie eine Mentor:in dieses Jahrgangs."))
            return redirect(here)
        try:
            tandem = services.tandem_rematch(ended=ended, actor=request.user, mentor=mentor)
        except services.TandemError as error:
            messages.error(request, str(error))
            return redirect(here)
        messages.success(
            request,
            _("Neues Tandem: %(mentee)s mit %(mentor)s.")
            % {"mentee": tandem.mentee.applicant, "mentor": tandem.mentor.applicant},
        )
        return redirect("tandems:list", cohort_id=ended.cohort_id)
    try:
        choices, refusal = services.rematch_options(ended), None
    except services.TandemError as error:
        choices, refusal = [], str(error)
    allowed, ruled_out = _split_choices(choices)
    suggested = next((choice for choice in allowed if not choice["former"]), None)
    return render(
        request,
        "tandems/rematch.html",
        {
            "tandem": ended,
            "allowed": allowed,
            "ruled_out": ruled_out,
            "refusal": refusal,
            "suggested": suggested["application"].pk if suggested else None,
        },
    )


def _as_partner(tandem, user):
    tandem.my_role = partner_role(tandem=tandem, user=user)
    tandem.partner = tandem.mentor if tandem.my_role == "mentee" else tandem.mentee
    return tandem


@login_required
def my_tandems(request):
    """The participant's tandems; with just one (the usual case), straight to its page."""
    tandems = Paginator(tandems_of(user=request.user), 20).get_page(request.GET.get("seite"))
    if tandems.paginator.count == 1:
        return redirect("tandems:detail", pk=tandems[0].pk)
    for tandem in tandems:
        _as_partner(tandem, request.user)
    return render(request, "tandems/mine.html", {"tandems": tandems})


@login_required
def tandem_detail(request, pk):
    """The tandem portal: partner, goal agreement, workshops, months and the contact log.

    Only the two partners reach it; for anyone else the tandem does not exist.
    """
    tandem = _as_partner(get_object_or_404(tandems_of(user=request.user), pk=pk), request.user)
    today = timezone.localdate()
    months = progress.months_of(
        tandem, contact_formats(tandems=[tandem.pk]).get(tandem.pk, {}), today
    )
    contacts = Paginator(contacts_of(tandem=tandem), 25).get_page(request.GET.get("seite"))
    agreement = getattr(tandem, "goal_agreement", None)
    return render(
        request,
        "tandems/detail.html",
        {
            "tandem": tandem,
            "agreement": agreement,
            "my_confirmation": agreement and getattr(agreement, f"{tandem.my_role}_confirmed_at"),
            "months": months,
            "contacts": contacts,
            "workshops": tandem.cohort.workshops.all(),
            "can_log": tandem.start_date <= today,
        },
    )


def _contact_form_page(request, tandem, contact=None):
    form = ContactForm(
        request.POST if request.method == "POST" else None, instance=contact, tandem=tandem
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.contact_save(
                tandem=tandem, actor=request.user, data=form.cleaned_data, contact=contact
            )
        except services.TandemError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Kontakt gespeichert. Sie beide sehen ihn jetzt."))
            return redirect("tandems:detail", pk=tandem.pk)
    return render(
        request, "tandems/contact_form.html", {"tandem": tandem, "form": form, "contact": contact}
    )


@login_required
def contact_create(request, pk):
    tandem = _as_partner(get_object_or_404(tandems_of(user=request.user), pk=pk), request.user)
    return _contact_form_page(request, tandem)


@login_required
def contact_edit(request, pk, contact_id):
    """Each partner edits her own entries; the other's are not found here."""
    tandem = _as_partner(get_object_or_404(tandems_of(user=request.user), pk=pk), request.user)
    contact = get_object_or_404(tandem.contacts, pk=contact_id, author=request.user)
    return _contact_form_page(request, tandem, contact)


@login_required
def contact_delete(request, pk, contact_id):
    tandem = _as_partner(get_object_or_404(tandems_of(user=request.user), pk=pk), request.user)
    contact = get_object_or_404(tandem.contacts, pk=contact_id, author=request.user)
    if request.method == "POST":
        services.contact_delete(contact=contact, actor=request.user)
        messages.success(request, _("Der Eintrag ist gelöscht."))
        return redirect("tandems:detail", pk=tandem.pk)
    return render(request, "tandems/contact_delete.html", {"tandem": tandem, "contact": contact})


def _overview(request, cohort_id):
    """(cohort, filters, today, the grid's tandems as filtered): what the page and CSV share."""
    cohort = cohort_or_403(request, cohort_id, "tandems.view_cohort_tandems")
    filters = OverviewFilter(request.GET or None, cohort=cohort)
    organisation, quiet_only = filters.chosen()
    today = timezone.localdate()
    tandems = contact_overview_tandems(
        tandems=tandems_visible_to(user=request.user, cohort=cohort),
        today=today,
        organisation=organisation,
        quiet_only=quiet_only,
    )
    return cohort, filters, today, tandems


@login_required
def contact_overview_page(request, cohort_id):
    """The Beirat's grid: tandems × months, whether (and how) they met; never what about.

    Reads the tandems and contacts of the page shown (50 rows), and counts in the database.
    """
    cohort, filters, today, tandems = _overview(request, cohort_id)
    count, quiet_count = contact_overview_counts(tandems=tandems, today=today)
    paginator = Paginator(tandems, 50)
    paginator.count = count  # counted above, with the quiet ones
    page = paginator.get_page(request.GET.get("seite"))
    months, page.object_list = contact_overview_rows(
        tandems=page.object_list, cohort=cohort, today=today
    )
    _render_cells(page)
    return render(
        request,
        "tandems/overview.html",
        {
            "cohort": cohort,
            "filters": filters,
            "months": months,
            "page": page,
            "quiet_count": quiet_count,
            "whole_cohort": sees_whole_cohort(user=request.user, cohort=cohort),
            "query": filters.query_string(),
            "legend": [(state, state.label) for state in MonthState],
            "formats": ContactFormat.choices,
        },
    )


def _render_cells(rows):
    """Sets each row's ``cells``: its months as table cells, each distinct cell (state and
    formats) rendered once. A page has 600 cells of a handful of kinds; the template then
    writes one string per row."""
    cells = {}
    for row in rows:
        for month in row["months"]:
            key = (month.state, tuple(month.formats))
            if key not in cells:
                cells[key] = format_html(
                    '<td class="text-center cell-{}">{}</td>',
                    month.state,
                    render_to_string("tandems/_month_mark.html", {"month": month}),
                )
        marks = "".join(cells[(month.state, tuple(month.formats))] for month in row["months"])
        row["cells"] = mark_safe(marks)  # noqa: S308 -- made by format_html above


@login_required
def contact_overview_csv(request, cohort_id):
    """The same grid as CSV: one row per tandem, one column per month."""
    cohort, _filters, today, tandems = _overview(request, cohort_id)
    months, rows = contact_overview_rows(tandems=tandems, cohort=cohort, today=today)
    response, writer = csv_response(f"kontakte-jahrgang-{cohort.number}")
    write_row(
        writer,
        [
            _("Mentee"),
            _("Organisation der Mentee"),
            _("Mentor:in"),
            _("Organisation der Mentor:in"),
            _("Status"),
            _("zwei Monate ohne Kontakt"),
            *(period_key(month) for month in months),
        ],
    )
    # Each text once, not once per row: the export has a row per tandem of the cohort.
    state_text = {state: str(state.label) for state in MonthState}
    format_text = {value: str(label) for value, label in ContactFormat.choices}
    quiet_text = {True: _("ja"), False: _("nein")}
    for row in rows:
        write_row(
            writer,
            [
                row["mentee"],
                row["mentee_organisation"],
                row["mentor"],
                row["mentor_organisation"],
                row["status_label"],
                quiet_text[bool(row["quiet"])],
                *(_csv_cell(month, state_text, format_text) for month in row["months"]),
            ],
        )
    return response


def _csv_cell(month, state_text, format_text):
    if month.state == MonthState.DONE:
        return ", ".join(format_text[value] for value in month.formats)
    return (
        "" if month.state in (MonthState.UPCOMING, MonthState.OUTSIDE) else state_text[month.state]
    )


@login_required
def goal_agreement(request, pk):
    """The agreement, its history and the partner's own part to write; both confirm.

    Only the two partners reach this page; anyone else gets a 404. Showing it writes
    nothing: the agreement is created by the first save or confirmation.
    """
    tandem = _as_partner(get_object_or_404(tandems_of(user=request.user), pk=pk), request.user)
    agreement = goal_agreement_for(tandem=tandem)
    form = GoalAgreementForm(agreement=agreement, role=tandem.my_role)
    if request.method == "POST" and "confirm" in request.POST:
        return _goal_agreement_confirm(request, tandem, agreement)
    if request.method == "POST" and "save" not in request.POST:
        return redirect("tandems:goal_agreement", pk=tandem.pk)
    if request.method == "POST":
        form = GoalAgreementForm(request.POST, agreement=agreement, role=tandem.my_role)
        if form.is_valid():
            try:
                saved = services.goal_agreement_save(
                    agreement=agreement,
                    actor=request.user,
                    data=form.data_for_service(),
                    based_on=form.cleaned_data["version"],
                )
            except services.TandemError as error:
                # Show the current text, and keep what she typed for another try.
                tandem = _as_partner(
                    get_object_or_404(tandems_of(user=request.user), pk=pk), request.user
                )
                agreement = goal_agreement_for(tandem=tandem)
                data = request.POST.copy()
                data["version"] = str(agreement.version)
                form = GoalAgreementForm(data, agreement=agreement, role=tandem.my_role)
                form.is_valid()
                form.add_error(None, str(error))
            else:
                shown = form.cleaned_data["version"]
                if saved.version == (agreement.version if shown is None else shown):
                    messages.info(request, _("Keine Änderung."))
                else:
                    messages.success(
                        request,
                        _(
                            "Gespeichert. Bitte bestätigen Sie beide die neue Fassung der "
                            "Zielvereinbarung."
                        ),
                    )
                return redirect("tandems:goal_agreement", pk=tandem.pk)
    return render(
        request,
        "tandems/goal_agreement.html",
        {
            "tandem": tandem,
            "agreement": agreement,
            "topics": list(agreement.topics.all()) if agreement.pk else [],
            "form": form,
            "role": tandem.my_role,
            "editable": tandem.status == TandemStatus.ACTIVE,
            "my_confirmation": getattr(agreement, f"{tandem.my_role}_confirmed_at"),
            "history": _history_rows(goal_agreement_history(agreement=agreement)),
        },
    )


def _goal_agreement_confirm(request, tandem, agreement):
    # The version she read; anything but a number matches no version.
    shown = request.POST.get("version")
    version = None
    if shown is not None:
        version = whole_number(shown)
        version = -1 if version is None else version
    try:
        services.goal_agreement_confirm(agreement=agreement, actor=request.user, version=version)
    except services.TandemError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Sie haben die Zielvereinbarung bestätigt."))
    return redirect("tandems:goal_agreement", pk=tandem.pk)


def _history_rows(entries):
    """Each entry with its changes as (label, before, after) texts, in the form's order."""
    names = GoalAgreement.PARTS["mentee"] + GoalAgreement.PARTS["mentor"] + GoalAgreement.SHARED
    labels = {name: GoalAgreement._meta.get_field(name).verbose_name for name in names}
    labels["confidentiality"] = _("Verschwiegenheit")
    rows = []
    for entry in entries:
        entry.changed = [
            (
                labels[name],
                _history_text(entry.changes[name][0]),
                _history_text(entry.changes[name][1]),
            )
            for name in names
            if name in entry.changes
        ]
        rows.append(entry)
    return rows


def _history_text(value):
    if isinstance(value, bool):
        return _("vereinbart") if value else _("nicht vereinbart")
    if isinstance(value, list):
        return ", ".join(value)
    return value
