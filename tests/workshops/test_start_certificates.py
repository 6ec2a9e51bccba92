"""The start page tells the chair and the office when a cohort's certificates are due."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from workshops.certificates import ready_to_print, verdicts
from workshops.issuing import issue_missing
from workshops.models import CertificatePolicy

pytestmark = pytest.mark.django_db


def due(client, user, cohort):
    client.force_login(user)
    html = client.get("/start/").content.decode()
    label = f"Zertifikate bereit zum Druck: {cohort.programme.name}, {cohort.display_title}"
    match = re.search(re.escape(label) + r"</a>.*?>(\d+)</span>", html, re.S)
    return int(match.group(1)) if match else 0


def test_chair_and_office_see_certificates_due_and_officers_do_not(client, world, ceremony):
    cohort, people = world["cohort"], world["people"]
    expected = sum(1 for verdict in verdicts(cohort) if verdict.qualifies)
    assert expected == 2
    assert due(client, people["chair"], cohort) == 2
    assert due(client, people["office"], cohort) == 2
    assert due(client, people["bottrop"], cohort) == 0


def test_issued_certificates_are_no_longer_due(client, world, ceremony):
    issue_missing(world["cohort"])
    assert due(client, world["people"]["chair"], world["cohort"]) == 0


def test_counting_reads_only_and_takes_fixed_queries(world, ceremony):
    cohort = world["cohort"]
    with CaptureQueriesContext(connection) as queries:
        assert ready_to_print([cohort]) == {cohort.pk: 2}
    assert not any(q["sql"].startswith(("INSERT", "UPDATE")) for q in queries.captured_queries)
    assert len(queries) == 6
    assert not CertificatePolicy.objects.filter(cohort=cohort).exists()


def test_the_certificate_page_writes_nothing(client, world, ceremony):
    client.force_login(world["people"]["chair"])
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"/beirat/jahrgang/{world['cohort'].pk}/zertifikate/")
    assert response.status_code == 200
    assert not any(
        q["sql"].startswith(("INSERT", "UPDATE", "DELETE")) for q in queries.captured_queries
    )
