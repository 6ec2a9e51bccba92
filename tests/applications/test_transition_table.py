"""The table of an application's state changes is what the services do, in both directions.

For every pair of states, the service that leads to the second is asked to move an
application in the first: where ``APPLICATION_TRANSITIONS`` allows the step it is taken
and logged, anywhere else it is refused and nothing changes.
"""

import datetime as dt

import pytest
from django.utils import timezone

from applications import services
from applications.enums import APPLICATION_TRANSITIONS, ApplicationLogAction, ApplicationState
from applications.models import Application, ApplicationLog
from tests.factories import ApplicationFactory, ProgrammeOfficeFactory

pytestmark = pytest.mark.django_db
S = ApplicationState


def move(application, target, actor):
    """Asks the service that moves an application to ``target`` to do so."""
    if target == S.DRAFT:
        return services.application_reopen(application=application, actor=application.applicant)
    if target == S.SUBMITTED:
        return services.application_submit(application=application, actor=application.applicant)
    if target == S.IN_REVIEW:
        return services.application_start_review(application=application, actor=actor)
    if target == S.CHANGES_REQUESTED:
        return services.application_request_changes(
            application=application, actor=actor, note="Bitte ergänzen."
        )
    if target == S.INTERVIEW:
        return services.application_invite_interview(
            application=application,
            actor=actor,
            at=timezone.make_aware(dt.datetime(application.cohort.year, 10, 6, 10)),
            place="Rathaus Marl",
        )
    if target == S.WITHDRAWN:
        return services.application_withdraw(application=application, actor=application.applicant)
    # A decision is recorded first and reaches the application when it is released.
    services.application_record_decision(application=application, actor=actor, decision=target)
    return services.cohort_release_decisions(cohort=application.cohort, actor=actor)


def test_every_state_is_in_the_table_and_every_step_leads_to_a_state():
    assert set(APPLICATION_TRANSITIONS) == set(S)
    assert set().union(*APPLICATION_TRANSITIONS.values()) <= set(S)


@pytest.mark.parametrize("target", list(S))
@pytest.mark.parametrize("source", list(S))
def test_the_services_take_exactly_the_steps_of_the_table(source, target):
    office = ProgrammeOfficeFactory()
    application = ApplicationFactory(
        state=source, submitted_at=None if source == S.DRAFT else timezone.now()
    )
    if target in APPLICATION_TRANSITIONS[source]:
        move(application, target, office)
        assert Application.objects.get(pk=application.pk).state == target
        entry = ApplicationLog.objects.filter(action=ApplicationLogAction.TRANSITION).get()
        assert (entry.from_state, entry.to_state) == (source, target)
    else:
        with pytest.raises(services.ApplicationError):
            move(application, target, office)
        assert Application.objects.get(pk=application.pk).state == source
        assert not ApplicationLog.objects.filter(action=ApplicationLogAction.TRANSITION).exists()
