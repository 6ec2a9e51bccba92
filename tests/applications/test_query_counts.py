"""The applications pages keep their number of queries as the data grows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from applications import services
from applications.enums import ApplicationState, Decision
from tests.factories import (
    ApplicationFactory,
    CohortOrganisationFactory,
    ProgrammeOfficeFactory,
    ReviewCriterionFactory,
    TopicFactory,
)

pytestmark = pytest.mark.django_db


def queries(client, url):
    client.get(url)  # warm per-process caches (content types), as a running worker has them
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_form_page_does_not_grow_with_topics_or_organisations(client):
    application = ApplicationFactory()
    client.force_login(application.applicant)
    url = f"/bewerbung/{application.pk}/bearbeiten/"
    TopicFactory()
    few = queries(client, url)
    TopicFactory.create_batch(20)
    for _ in range(12):
        CohortOrganisationFactory(cohort=application.cohort)
    assert queries(client, url) == few


def test_the_release_preview_does_not_grow_with_pending_decisions(client):
    office = ProgrammeOfficeFactory()
    client.force_login(office)
    first = ApplicationFactory(state=ApplicationState.IN_REVIEW, submitted_at=timezone.now())
    cohort = first.cohort
    services.application_record_decision(
        application=first, actor=office, decision=Decision.ACCEPTED
    )
    url = f"/verwaltung/applications/application/freigabe/{cohort.pk}/"
    few = queries(client, url)
    for _ in range(15):
        application = ApplicationFactory(
            cohort=cohort, state=ApplicationState.IN_REVIEW, submitted_at=timezone.now()
        )
        services.application_record_decision(
            application=application, actor=office, decision=Decision.REJECTED
        )
    assert queries(client, url) == few


def test_the_review_form_does_not_grow_with_criteria(client):
    office = ProgrammeOfficeFactory()
    client.force_login(office)
    application = ApplicationFactory(state=ApplicationState.SUBMITTED, submitted_at=timezone.now())
    ReviewCriterionFactory(cohort=application.cohort)
    url = f"/verwaltung/applications/application/{application.pk}/bewerten/"
    few = queries(client, url)
    ReviewCriterionFactory.create_batch(6, cohort=application.cohort)
    assert queries(client, url) == few


def test_the_detail_page_does_not_grow_with_reviews(client):
    office = ProgrammeOfficeFactory()
    client.force_login(office)
    application = ApplicationFactory(state=ApplicationState.SUBMITTED, submitted_at=timezone.now())
    criterion = ReviewCriterionFactory(cohort=application.cohort)
    url = f"/verwaltung/applications/application/{application.pk}/change/"
    services.review_save(
        application=application, reviewer=ProgrammeOfficeFactory(), scores={criterion.pk: 3}
    )
    few = queries(client, url)
    for _ in range(8):
        services.review_save(
            application=application, reviewer=ProgrammeOfficeFactory(), scores={criterion.pk: 4}
        )
    assert queries(client, url) == few
