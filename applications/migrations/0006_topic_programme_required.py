import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("applications", "0005_topics_to_their_programme"),
        ("cohorts", "0005_programme_variants"),
    ]

    operations = [
        migrations.AlterField(
            model_name="topic",
            name="programme",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="topics",
                to="cohorts.programme",
                verbose_name="Programm",
            ),
        ),
        migrations.AddConstraint(
            model_name="topic",
            constraint=models.UniqueConstraint(
                fields=("programme", "name"), name="topic_unique_per_programme"
            ),
        ),
    ]
