"""Matching runs and the Beirat's pages about them, as the tests read them."""

from django.db import connection
from django.test.utils import CaptureQueriesContext


def matching_url(cohort, run=None):
    url = f"/beirat/jahrgang/{cohort.pk}/tandembildung/"
    return f"{url}?lauf={run.pk}" if run else url


def pairs_of(run):
    return {(pair.mentee_id, pair.mentor_id) for pair in run.pairs.all()}


def queries(client, url):
    """The queries of a page's second load (the first fills per-process caches)."""
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)
