import django.db.models.deletion
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def copy_cohort(apps, schema_editor):
    Certificate = apps.get_model("workshops", "Certificate")
    Application = apps.get_model("applications", "Application")
    Certificate.objects.update(
        cohort_id=Subquery(
            Application.objects.filter(pk=OuterRef("application_id")).values("cohort_id")[:1]
        )
    )


class Migration(migrations.Migration):
    """A certificate's verification record outlives the participation it proves."""

    dependencies = [
        ("applications", "0007_file_access"),
        ("cohorts", "0006_programme_retention"),
        ("workshops", "0005_certificate_ready_mailed_at"),
    ]

    operations = [
        migrations.AddField(
            model_name="certificate",
            name="cohort",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="cohorts.cohort",
                verbose_name="Jahrgang",
            ),
        ),
        migrations.RunPython(copy_cohort, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="certificate",
            name="cohort",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="cohorts.cohort",
                verbose_name="Jahrgang",
            ),
        ),
        migrations.AlterField(
            model_name="certificate",
            name="application",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="certificates",
                to="applications.application",
                verbose_name="Teilnahme",
            ),
        ),
    ]
