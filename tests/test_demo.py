import io

import pytest
from django.apps import apps
from django.core import serializers
from django.core.management import call_command

from cohorts.enums import BeiratRole, CohortState
from cohorts.models import BeiratMembership, Cohort, Organisation
from mentoring.enums import UserRole
from mentoring.models import User
from workshops.models import Workshop

pytestmark = pytest.mark.django_db

DEMO_MODELS = ["mentoring", "cohorts", "applications", "workshops"]


def snapshot():
    rows = []
    for label in DEMO_MODELS:
        for model in apps.get_app_config(label).get_models():
            rows.append(serializers.serialize("json", model.objects.order_by("pk")))
    return rows


def load():
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def test_load_demo_twice_changes_nothing():
    load()
    first = snapshot()
    load()
    assert snapshot() == first


def test_demo_has_thirteen_administrations_each_with_one_officer():
    output = load()
    assert Organisation.objects.count() == 13
    officers = User.objects.filter(role=UserRole.OFFICER)
    assert officers.count() == 13
    assert BeiratMembership.objects.filter(role=BeiratRole.CHAIR).count() == 1
    assert set(BeiratMembership.objects.values_list("organisation__name", flat=True)) == set(
        Organisation.objects.values_list("name", flat=True)
    )
    assert User.objects.filter(role=UserRole.PROGRAMME_OFFICE).count() == 1
    assert "programmbuero@studieninstitut.example.org" in output
    assert "gleichstellung@bottrop.example.org" in output


def test_demo_cohorts_and_their_workshops():
    load()
    eighth = Cohort.objects.get(number=8)
    ninth = Cohort.objects.get(number=9)
    assert eighth.state == CohortState.FINISHED
    assert eighth.is_application_window_open() is False
    assert ninth.state == CohortState.OPEN
    assert ninth.is_application_window_open() is True
    assert [w.date.isoformat() for w in Workshop.objects.filter(cohort=eighth)] == [
        "2023-11-21",
        "2024-06-11",
        "2024-11-26",
    ]
    assert Workshop.objects.filter(cohort=ninth).count() == 3
    assert eighth.participations.count() == ninth.participations.count() == 13
