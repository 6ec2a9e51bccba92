"""The public pages as anonymous visitors see them, kept in the shared cache.

A visitor who is not logged in sees the same call page as every other one in her
language, until an officer edits what the page shows or a date on it passes (a deadline,
midnight). Rendering it costs queries and template work on every request (issue 17:
17 ms, 6 queries); a copy from the cache costs one cache read. pretix and pretalx keep
their public pages the same way.

- Only anonymous GET requests without a query string and without a message waiting for
  the visitor are served from, or stored in, the cache. A logged-in person always gets
  her own page (her navigation, the logout form).
- The copy is the whole page with its CSRF token taken out; each visitor gets a token of
  her own put back in (``get_token``: the cookie is set as on any page with a form).
  Middleware runs on every request as before: cookies, ``Vary``, ``Content-Language``
  and the security headers are never cached.
- A copy is kept per path and language and is good for one *generation*: saving any
  model whose rows a public page shows starts a new one (``invalidate_on_change``), at
  once and again when the transaction commits, so no request can keep a page read from
  data that was about to change. ``valid_until`` tells the view's next change by the
  clock; ``TIMEOUT`` bounds whatever a write past the models' signals (``update()``,
  SQL) may leave.

The cache is Redis in production (shared by every worker) and local memory under
``make run`` (one process). Without Redis several processes would each keep their own
copies, and an edit would reach only the process that made it: run several workers only
with ``REDIS_URL``.
"""

import hashlib
import re
import uuid
from datetime import datetime
from functools import wraps

from django.contrib import messages
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.utils import timezone

GENERATION_KEY = "public-pages:generation"
# Seconds a copy is kept at most: the bound on what an edit that sends no signal leaves.
TIMEOUT = 300
# Where the visitor's own CSRF token goes back in; never sent as it is.
CSRF_PLACEHOLDER = b"\x00csrf-token\x00"
_CSRF_INPUT = re.compile(rb'(name="csrfmiddlewaretoken" value=")[^"]*(")')


def _response(request, content, content_type):
    """The copy as the visitor's own page: with her CSRF token (and so her cookie)."""
    if CSRF_PLACEHOLDER in content:
        content = content.replace(CSRF_PLACEHOLDER, get_token(request).encode())
    return HttpResponse(content, content_type=content_type)


def _servable(request):
    """Whether ``request`` may get, or leave, a shared copy: anonymous, plain and quiet."""
    if request.method != "GET" or request.META.get("QUERY_STRING"):
        return False
    if request.user.is_authenticated:
        return False
    # Counting the waiting messages loads them without marking them read.
    return not len(messages.get_messages(request))


def _key(request):
    # A copy is a plain tuple (generation, until, content, content type); the "1" names
    # that shape, so that a release that changes it never reads an older one.
    path = hashlib.sha256(request.path.encode()).hexdigest()
    return f"public-page:1:{request.LANGUAGE_CODE}:{path}"


def _generation():
    """The current generation, starting one if the cache has none (empty, or restarted)."""
    cache.add(GENERATION_KEY, uuid.uuid4().hex, timeout=None)
    return cache.get(GENERATION_KEY)


def public_page(*, valid_until):
    """Serves the decorated view's page to anonymous visitors from the shared cache.

    ``valid_until(now)`` gives the next moment the page may read differently without
    any edit (a deadline passing, a new day), or None.
    """

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not _servable(request):
                return view(request, *args, **kwargs)
            key = _key(request)
            found = cache.get_many([GENERATION_KEY, key])
            generation = found.get(GENERATION_KEY) or _generation()
            if generation is None:  # the cache is away: every request renders
                return view(request, *args, **kwargs)
            now = timezone.now()
            stored = found.get(key)
            if stored is not None:
                stored_generation, until, content, content_type = stored
                if stored_generation == generation and now.timestamp() < until:
                    return _response(request, content, content_type)
            response = view(request, *args, **kwargs)
            _store(key, generation, response, now, valid_until(now))
            return response

        return wrapped

    return decorator


def _store(key, generation, response, now, changes_at: datetime | None):
    if response.status_code != 200 or response.streaming or response.cookies:
        return
    if response.has_header("Cache-Control"):
        # A view that says how its page may be kept (never_cache, private) is not shared.
        return
    seconds = TIMEOUT
    if changes_at is not None:
        seconds = min(seconds, int((changes_at - now).total_seconds()))
    if seconds <= 0:
        return
    content = _CSRF_INPUT.sub(rb"\1" + CSRF_PLACEHOLDER + rb"\2", response.content)
    copy = (generation, now.timestamp() + seconds, content, response["Content-Type"])
    cache.set(key, copy, timeout=seconds)


def invalidate():
    """Starts a new generation: every public page is rendered afresh on its next request.

    Again once the surrounding transaction commits: a request that read the old rows
    while it was open may have stored them under the generation started here.
    """
    cache.set(GENERATION_KEY, uuid.uuid4().hex, timeout=None)
    connection = transaction.get_connection()
    if connection.in_atomic_block and not any(
        callback is _invalidate_on_commit for _sids, callback, _robust in connection.run_on_commit
    ):
        # Once per transaction, however many rows it saves.
        transaction.on_commit(_invalidate_on_commit)


def _invalidate_on_commit():
    cache.set(GENERATION_KEY, uuid.uuid4().hex, timeout=None)


def _on_save(sender, update_fields=None, **kwargs):
    shown = _SHOWN_FIELDS.get(sender)
    if shown is not None and update_fields is not None and shown.isdisjoint(update_fields):
        return
    invalidate()


def _on_delete(sender, **kwargs):
    invalidate()


def _on_m2m(sender, action, **kwargs):
    if action.startswith("post_"):
        invalidate()


_SHOWN_FIELDS = {}


def invalidate_on_change(*models, fields=None):
    """Starts a new generation whenever a row of one of ``models`` is saved or deleted.

    ``models`` may include many-to-many ``through`` models (their ``add``, ``remove`` and
    ``clear`` count too). With ``fields``, the names of the only fields a public page
    shows, a save limited to others (``update_fields``, e.g. a login's ``last_login``)
    keeps the pages.
    """
    for model in models:
        if fields is not None:
            _SHOWN_FIELDS[model] = frozenset(fields)
        uid = f"public_pages.{model._meta.label}"
        post_save.connect(_on_save, sender=model, dispatch_uid=uid)
        post_delete.connect(_on_delete, sender=model, dispatch_uid=uid)
        m2m_changed.connect(_on_m2m, sender=model, dispatch_uid=uid)
