from django.db import migrations


def assign_topics(apps, schema_editor):
    """Topics were one catalogue for the installation; it belonged to its first programme."""
    Topic = apps.get_model("applications", "Topic")
    Programme = apps.get_model("cohorts", "Programme")
    first = Programme.objects.order_by("pk").first()
    if first is None:
        Topic.objects.all().delete()
    else:
        Topic.objects.filter(programme__isnull=True).update(programme=first)


class Migration(migrations.Migration):
    dependencies = [("applications", "0004_topics_per_programme_and_career_steps")]

    operations = [migrations.RunPython(assign_topics, migrations.RunPython.noop)]
