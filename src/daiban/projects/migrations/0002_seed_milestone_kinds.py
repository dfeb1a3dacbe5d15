"""Seed the lifecycle milestone kinds from reference/milestones.yaml (only the kinds not there yet)."""

from django.db import migrations

from daiban.projects.reference import read_milestone_kinds


def seed(apps, schema_editor):
    MilestoneKind = apps.get_model("projects", "MilestoneKind")
    for kind in read_milestone_kinds():
        MilestoneKind.objects.get_or_create(
            code=kind["code"], defaults={"name": kind["name"], "order": kind["order"]}
        )


class Migration(migrations.Migration):
    dependencies = [("projects", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
