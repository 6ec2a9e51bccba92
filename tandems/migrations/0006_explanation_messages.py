"""``ProposedPair.explanation`` holds the solver's messages as JSON, not JSON in text.

Runs stored before kept German text, or messages as JSON text: both become messages (a
German text is one message without parameters, shown as it was).
"""

import json

from django.db import migrations, models


def to_messages(apps, schema_editor):
    ProposedPair = apps.get_model("tandems", "ProposedPair")
    for pair in ProposedPair.objects.only("explanation_text").iterator():
        text = pair.explanation_text or ""
        try:
            messages = json.loads(text) if text.startswith("[") else None
        except ValueError:
            messages = None
        if messages is None:
            messages = [[text, {}]] if text else []
        pair.explanation = messages
        pair.save(update_fields=["explanation"])


def to_text(apps, schema_editor):
    ProposedPair = apps.get_model("tandems", "ProposedPair")
    for pair in ProposedPair.objects.only("explanation").iterator():
        pair.explanation_text = json.dumps(pair.explanation, ensure_ascii=False)[:500]
        pair.save(update_fields=["explanation_text"])


class Migration(migrations.Migration):
    dependencies = [("tandems", "0005_audit_entry_and_matching_log")]

    operations = [
        migrations.RenameField("proposedpair", "explanation", "explanation_text"),
        migrations.AddField(
            model_name="proposedpair",
            name="explanation",
            field=models.JSONField(default=list, verbose_name="Begründung"),
        ),
        migrations.RunPython(to_messages, to_text),
        migrations.RemoveField("proposedpair", "explanation_text"),
    ]
