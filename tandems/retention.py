"""Retention and erasure of what tandems wrote (see ``mentoring.retention`` for the runner).

The rule: ``Programme.retention_tandem_months`` after the cohort's end, the content of
every contact and every goal agreement goes.

- A contact keeps its tandem, date, format and duration: that a tandem met in a month, and
  how, is what the Beirat's monthly grid and the cohort's report count, and it is all an
  officer ever saw. Its note, topics, other topics and author (who of the two logged it)
  are erased.
- A goal agreement is deleted with its history: it is content from the first word to the
  last, and no report counts it.

Erasure on request does the same at once for every tandem she was part of, and ends a
tandem that is still running (she leaves the programme). The partner loses the content
of their contacts and agreement as well: it is theirs together and says as much about
her. Reasons for an early end and the notes in the tandem's log are emptied; the tandem
itself stays, with its anonymised participation (``applications.retention``).

A matching proposal that named her as a runner-up (``ProposedPair.runner_up_mentor``)
forgets her there, with what its explanation said of her: at once on request, and on the
night after her application was anonymised when its time was up.
"""

from collections import Counter

from django.db.models import Count, Exists, OuterRef, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cohorts.retention import erased_per_cohort, locked_per_cohort, pending_per_cohort
from mentoring.retention import AddMonths, Line, erased_users

from . import services
from .enums import TandemStatus
from .models import Contact, GoalAgreement, ProposedPair, Tandem, TandemLog

KINDS = {
    "contact": gettext_lazy("Kontakte: Inhalte (Datum, Form und Dauer bleiben)"),
    "goal_agreement": gettext_lazy("Zielvereinbarungen mit Verlauf"),
    "tandem_ended": gettext_lazy("laufende Tandems beendet"),
}

COHORT = "tandem__cohort__"


def _due_on(prefix):
    return AddMonths(f"{prefix}end_date", f"{prefix}programme__retention_tandem_months")


def _with_content():
    topics = Contact.topics.through.objects.filter(contact_id=OuterRef("pk"))
    return ~Q(note="") | ~Q(topics_other="") | Q(author__isnull=False) | Exists(topics)


def contacts():
    """Contacts whose content is still there, with ``due_on``."""
    return Contact.objects.filter(_with_content()).annotate(due_on=_due_on(COHORT))


def agreements():
    return GoalAgreement.objects.annotate(due_on=_due_on(COHORT))


def pending(*, until):
    return [
        *pending_per_cohort(contacts(), "contact", until=until, prefix=COHORT),
        *pending_per_cohort(agreements(), "goal_agreement", until=until, prefix=COHORT),
    ]


def _locked(queryset, *, skip_locked=False):
    return locked_per_cohort(queryset, prefix=COHORT, skip_locked=skip_locked)


def _blank_contacts(locked):
    Contact.topics.through.objects.filter(contact_id__in=locked).delete()
    Contact.objects.filter(pk__in=locked).update(note="", topics_other="", author=None)
    return Counter(locked.values())


def _delete_agreements(locked):
    GoalAgreement.objects.filter(pk__in=locked).delete()
    return Counter(locked.values())


def _forget_runner_up(pairs):
    """The proposal's pairs ``pairs`` no longer name their runner-up; the page says that
    someone was, without who (``services.proposal_details``)."""
    pairs.update(runner_up_mentor=None, runner_up_explanation=[])


def erase_due(*, today):
    blanked = _blank_contacts(_locked(contacts().filter(due_on__lte=today), skip_locked=True))
    deleted = _delete_agreements(_locked(agreements().filter(due_on__lte=today), skip_locked=True))
    _forget_runner_up(ProposedPair.objects.filter(erased_users("runner_up_mentor__applicant__")))
    return [*erased_per_cohort("contact", blanked), *erased_per_cohort("goal_agreement", deleted)]


# Erasure on request ----------------------------------------------------------------------


def _hers(user):
    return Tandem.objects.filter(Q(mentee__applicant=user) | Q(mentor__applicant=user))


def person_summary(*, user):
    tandems = _hers(user)
    counts = tandems.aggregate(
        tandems=Count("pk"), active=Count("pk", filter=Q(status=TandemStatus.ACTIVE))
    )
    if not counts["tandems"]:
        return []
    written = Contact.objects.filter(tandem__in=tandems).filter(_with_content()).count()
    agreements_ = GoalAgreement.objects.filter(tandem__in=tandems).count()
    lines = [
        Line(
            _("Tandems"),
            counts["tandems"],
            _("bleiben mit ihrer anonymisierten Teilnahme; Gründe und Notizen werden gelöscht"),
        ),
        Line(
            _("laufende Tandems"),
            counts["active"],
            _("werden heute beendet; die Partnerin oder der Partner wird nicht benachrichtigt"),
        ),
        Line(
            _("Kontakte"),
            written,
            _("Inhalte werden gelöscht, auch die der Partnerin; Datum und Form bleiben"),
        ),
        Line(_("Zielvereinbarungen"), agreements_, _("werden mit ihrem Verlauf gelöscht")),
    ]
    return [line for line in lines if line.count]


def erase_person(*, user, actor):
    tandems = _hers(user).select_related("cohort__programme")
    mine = {tandem.pk: tandem for tandem in tandems.select_for_update(of=("self",))}
    blanked = _blank_contacts(_locked(contacts().filter(tandem__in=list(mine))))
    deleted = _delete_agreements(_locked(agreements().filter(tandem__in=list(mine))))
    # The reason's category goes with its text: "illness or leave" speaks of her as well.
    Tandem.objects.filter(pk__in=mine).filter(~Q(end_reason="") | ~Q(end_category="")).update(
        end_reason="", end_category=""
    )
    TandemLog.objects.filter(tandem__in=list(mine)).exclude(note="").update(note="")
    _forget_runner_up(ProposedPair.objects.filter(runner_up_mentor__applicant=user))
    ended = Counter()
    for tandem in mine.values():
        if tandem.status == TandemStatus.ACTIVE:
            services.tandem_end(
                tandem=tandem, actor=actor, reason=_("Löschung auf Antrag (Art. 17 DSGVO)")
            )
            ended[str(tandem.cohort)] += 1
    return [
        *erased_per_cohort("contact", blanked),
        *erased_per_cohort("goal_agreement", deleted),
        *erased_per_cohort("tandem_ended", ended),
    ]
