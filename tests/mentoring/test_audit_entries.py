"""Every audit trail has one shape (``mentoring.models.AuditEntry``) and names its actions."""

from django.apps import apps

from mentoring.models import AuditEntry


def audit_logs():
    return {
        model._meta.label: model for model in apps.get_models() if issubclass(model, AuditEntry)
    }


def test_every_log_is_an_audit_entry():
    assert sorted(audit_logs()) == [
        "applications.ApplicationLog",
        "cohorts.CohortLog",
        "mentoring.ReminderLog",
        "tandems.MatchingLog",
        "tandems.TandemLog",
        "workshops.WorkshopLog",
    ]


def test_every_log_has_the_same_fields_and_named_actions():
    for label, model in audit_logs().items():
        names = {field.name for field in model._meta.get_fields()}
        assert {"actor", "action", "from_state", "note", "created_at"} <= names, label
        action = model._meta.get_field("action")
        assert action.choices, label
        # German source strings with a name for every code, not the code itself.
        assert all(str(name) != code for code, name in action.choices), label
        assert model._meta.ordering == ["created_at", "pk"], label
