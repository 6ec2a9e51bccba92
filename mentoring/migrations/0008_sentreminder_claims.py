"""Reminders claimed by a sweep that died are taken over: when each claim was last renewed,
and the day whose finders say what to write."""

from zoneinfo import ZoneInfo

import django.utils.timezone
from django.conf import settings
from django.db import migrations, models
from django.db.models import F
from django.db.models.functions import TruncDate


def from_created_at(apps, schema_editor):
    SentReminder = apps.get_model("mentoring", "SentReminder")
    SentReminder.objects.update(
        due_on=TruncDate("created_at", tzinfo=ZoneInfo(settings.TIME_ZONE)),
        claimed_at=F("created_at"),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("mentoring", "0007_user_language"),
    ]

    operations = [
        migrations.AddField(
            model_name="sentreminder",
            name="due_on",
            field=models.DateField(null=True, verbose_name="fällig am"),
        ),
        migrations.AddField(
            model_name="sentreminder",
            name="claimed_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="zuletzt versucht am"),
        ),
        migrations.RunPython(from_created_at, migrations.RunPython.noop, elidable=True),
        migrations.AlterField(
            model_name="sentreminder",
            name="due_on",
            field=models.DateField(
                default=django.utils.timezone.localdate, verbose_name="fällig am"
            ),
        ),
        migrations.AddIndex(
            model_name="sentreminder",
            index=models.Index(
                condition=models.Q(("status", "pending")),
                fields=["claimed_at"],
                name="reminder_pending",
            ),
        ),
    ]
