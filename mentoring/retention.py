"""Erasing what is due (DSGVO Art. 5(1)(e)) and what a person asks to be erased (Art. 17).

The shared ground floor knows no domain app. Each app says in its ``retention.py`` what
of its data goes, and when; settings name those modules (``RETENTION_PROVIDERS``) in the
order they run: from the top of the stack down, so that each app still finds a person's
rows through her applications before the applications app detaches them from her. A
provider offers any of:

``KINDS``
    ``{kind: label}`` for what it erases (``ErasureRecord.kind``).
``pending(*, until)``
    ``Pending`` rows, counted per cohort, kind and day, that are due on or before
    ``until``; a fixed number of queries, whatever the data.
``erase_due(*, today)``
    erases exactly what ``pending(until=today)`` counts; returns ``Erased`` rows.
``person_summary(*, user)``
    ``Line`` rows: what erasing ``user`` on request takes from this app.
``erase_person(*, user, actor)``
    erases it; returns ``Erased`` rows.

This module adds what belongs to the account itself (consents, mails, reminders,
sessions, login attempts, the account) and writes the ``ErasureRecord`` rows: reason,
kind, count and the cohort's title, never a name, an address or a file name.

Rows that statistics count are anonymised rather than deleted (see
``applications.retention``): they keep their cohort, role, state and organisation and
point to a *placeholder*, a new inactive account without a person, one per row, so that
nothing links two anonymised rows or an anonymised row to anyone.
"""

import logging
import uuid
from calendar import monthrange
from collections import Counter
from dataclasses import dataclass
from datetime import timedelta
from importlib import import_module

from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models import CASCADE, DateField, Func, ProtectedError, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .enums import ErasureReason, UserRole
from .models import Consent, ErasureRecord, SentMail, SentReminder, User

logger = logging.getLogger(__name__)

# The programme office looks this far ahead (``pending``, the preview in the admin).
PREVIEW_DAYS = 30

# Placeholders and anonymised accounts have an address in this domain; ".invalid" is
# reserved (RFC 2606), so no mail to them can ever be delivered.
ERASED_EMAIL_DOMAIN = "geloescht.invalid"

KINDS = {
    "person": gettext_lazy("Person auf Antrag gelöscht"),
    "account": gettext_lazy("Benutzerkonto"),
    "consent": gettext_lazy("Einwilligungen"),
    "mail": gettext_lazy("E-Mail-Protokoll und Erinnerungen"),
}


class ErasureError(Exception):
    """A refused erasure; the message is German, for the person who clicked."""


@dataclass(frozen=True)
class Pending:
    """``count`` rows of ``kind`` in ``cohort`` (its title) that are due on ``due_on``."""

    kind: str
    cohort: str
    due_on: object
    count: int

    @property
    def label(self):
        return kind_label(self.kind)


@dataclass(frozen=True)
class Erased:
    """``count`` rows of ``kind`` in ``cohort`` (its title, or empty) that were erased."""

    kind: str
    cohort: str
    count: int

    @property
    def label(self):
        return kind_label(self.kind)


@dataclass(frozen=True)
class Line:
    """One line of the confirmation page: what goes (or stays), and how many."""

    label: str
    count: int | None = None
    note: str = ""


def add_months(day, months):
    """``day`` plus ``months`` calendar months; a day the month lacks becomes its last
    (31 August + 6 months = 28 February). ``AddMonths`` does the same in the database."""
    index = day.year * 12 + day.month - 1 + months
    year, month = index // 12, index % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, monthrange(year, month)[1]))


class AddMonths(Func):
    """``date + months`` as a date, in the database (PostgreSQL): see ``add_months``."""

    arity = 2
    output_field = DateField()

    def as_sql(self, compiler, connection, **extra_context):
        day, months = (compiler.compile(expression) for expression in self.source_expressions)
        sql = f"(({day[0]}) + make_interval(months => ({months[0]})::integer))::date"
        return sql, (*day[1], *months[1])

    def as_sqlite(self, compiler, connection, **extra_context):
        # The laptop's SQLite: close enough (it rolls 31 January + 1 month into March).
        day, months = (compiler.compile(expression) for expression in self.source_expressions)
        sql = f"date({day[0]}, '+' || ({months[0]}) || ' months')"
        return sql, (*day[1], *months[1])


# Placeholders -----------------------------------------------------------------------------


def erased_email():
    return f"{uuid.uuid4().hex}@{ERASED_EMAIL_DOMAIN}"


def is_erased(user):
    """Whether ``user`` is a placeholder or an anonymised account."""
    return user.email.endswith("@" + ERASED_EMAIL_DOMAIN)


def erased_users(prefix=""):
    """A Q for "the account at ``prefix`` is a placeholder or anonymised"."""
    return Q(**{f"{prefix}email__endswith": "@" + ERASED_EMAIL_DOMAIN})


def placeholders(count):
    """``count`` new inactive accounts without a person (no name, no password, no login)."""
    users = [
        User(
            email=erased_email(),
            is_active=False,
            role=UserRole.PARTICIPANT,
            password=make_password(None),
        )
        for _index in range(count)
    ]
    return User.objects.bulk_create(users)


# The runner -------------------------------------------------------------------------------


def _providers(attribute):
    for path in settings.RETENTION_PROVIDERS:
        provider = getattr(import_module(path), attribute, None)
        if provider is not None:
            yield provider


def kinds():
    labels = dict(KINDS)
    for provider_kinds in _providers("KINDS"):
        labels.update(provider_kinds)
    return labels


def kind_label(kind):
    return kinds().get(kind, kind)


def pending(*, today=None, days=PREVIEW_DAYS):
    """What is due by ``today + days``, counted per day, cohort and kind; sorted by day.

    Reads only; one or two queries per provider.
    """
    today = today or timezone.localdate()
    until = today + timedelta(days=days)
    rows = [row for provider in _providers("pending") for row in provider(until=until)]
    return sorted(rows, key=lambda row: (row.due_on, row.cohort, row.kind))


def _totals(rows):
    counts = Counter()
    for row in rows:
        counts[(row.kind, row.cohort)] += row.count
    return [Erased(kind, cohort, count) for (kind, cohort), count in counts.items() if count]


def _record(erased, *, reason, actor=None, at=None):
    at = at or timezone.now()
    ErasureRecord.objects.bulk_create(
        ErasureRecord(
            erased_at=at,
            erased_by=actor,
            reason=reason,
            kind=row.kind,
            count=row.count,
            cohort=row.cohort[: ErasureRecord._meta.get_field("cohort").max_length],
        )
        for row in erased
    )


def erase_due(*, today=None, dry_run=False):
    """Erases everything whose time is up on ``today``; returns what went, per kind and cohort.

    Files go once the erasure is committed. Each provider's erasure is one transaction with
    its ``ErasureRecord`` rows. Safe to run twice, and in parallel: what is erased no longer
    matches a rule, and rows another run holds are skipped. With ``dry_run`` nothing is
    changed; the answer is what would go.
    """
    today = today or timezone.localdate()
    if dry_run:
        return _totals(pending(today=today, days=0))
    erased = []
    for provider in _providers("erase_due"):
        with transaction.atomic():
            done = _totals(provider(today=today))
            _record(done, reason=ErasureReason.RETENTION)
        erased.extend(done)
    logger.info(
        "retention %s: %s", today, ", ".join(f"{r.kind}×{r.count}" for r in erased) or "nothing"
    )
    return erased


# Erasure on request (Art. 17) -------------------------------------------------------------


def person_summary(*, user):
    """What erasing ``user`` takes, app by app; reads only, a fixed number of queries."""
    lines = [line for provider in _providers("person_summary") for line in provider(user=user)]
    consents = Consent.objects.filter(user=user).count()
    mails = SentMail.objects.filter(recipient=user).count()
    mails += SentReminder.objects.filter(recipient=user).count()
    return [
        *lines,
        Line(_("Einwilligungen"), consents, _("werden gelöscht")),
        Line(_("E-Mail-Protokoll und Erinnerungen"), mails, _("werden gelöscht")),
        Line(
            _("Benutzerkonto"),
            1,
            _(
                "wird gelöscht; wo ihr Konto als Handelnde in Protokollen anderer steht "
                "(z. B. als Gutachterin), wird es stattdessen anonymisiert und deaktiviert. "
                "Alle Sitzungen enden."
            ),
        ),
    ]


def _end_sessions(user):
    """Ends every session of ``user`` in a database-backed session store; returns how many.

    Other stores lose her sessions all the same: the account is gone or its password hash
    changed, and Django checks that hash on every request.
    """
    store = import_module(settings.SESSION_ENGINE).SessionStore
    if not hasattr(store, "get_model_class"):
        return 0
    key = str(user.pk)
    sessions = store.get_model_class().objects.filter(expire_date__gt=timezone.now())
    ended = [
        session.session_key
        for session in sessions.iterator()
        if session.get_decoded().get(SESSION_KEY) == key
    ]
    for session_key in ended:
        store(session_key=session_key).delete()
    return len(ended)


def _erase_account(user):
    consents = Consent.objects.filter(user=user).delete()[0]
    mails = SentMail.objects.filter(recipient=user).delete()[0]
    mails += SentReminder.objects.filter(recipient=user).delete()[0]
    AccessAttempt.objects.filter(username__iexact=user.email).delete()
    _end_sessions(user)
    try:
        with transaction.atomic():
            user.delete()
    except ProtectedError:
        # She is named as the actor of something that must stay (a review she wrote): what
        # would have gone with the account goes all the same, and the account stays empty.
        for relation in user._meta.related_objects:
            if not relation.many_to_many and relation.on_delete is CASCADE:
                related = relation.related_model._base_manager
                related.filter(**{relation.field.name: user}).delete()
        user.groups.clear()
        user.user_permissions.clear()
        user.email = erased_email()
        user.first_name = user.last_name = user.phone = ""
        user.is_active = user.is_superuser = False
        user.role = UserRole.PARTICIPANT
        user.email_verified_at = user.last_login = None
        user.date_joined = timezone.now()
        user.set_unusable_password()
        user.save()
    return [Erased("consent", "", consents), Erased("mail", "", mails), Erased("account", "", 1)]


def erase_person(*, user, actor):
    """Erases ``user`` on her request (Art. 17 DSGVO); returns what went.

    Each app erases or anonymises her rows (its ``erase_person``), then her consents,
    mails, reminders, login attempts and sessions go, and the account itself (or, where
    others' records name her as their actor, it is anonymised and deactivated). One
    transaction; files go once it is committed. The ``ErasureRecord`` rows say who erased
    and when, with kinds and counts only.
    """
    if user.pk == actor.pk:
        raise ErasureError(_("Sie können Ihr eigenes Konto nicht auf diesem Weg löschen."))
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        if is_erased(user):
            raise ErasureError(_("Diese Person ist bereits gelöscht."))
        erased = [
            row
            for provider in _providers("erase_person")
            for row in provider(user=user, actor=actor)
        ]
        erased += _erase_account(user)
        erased = [Erased("person", "", 1), *_totals(erased)]
        _record(erased, reason=ErasureReason.REQUEST, actor=actor)
    logger.info("erasure on request by %s: %s", actor.pk, [(r.kind, r.count) for r in erased])
    return erased
