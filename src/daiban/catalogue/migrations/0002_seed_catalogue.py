"""Seed the catalogue from the shipped reference/catalogue.yaml and the light rule set choice ("default").

Only into empty tables: a database an administrator already edited is left as it is.
"""

from django.db import migrations

from daiban.catalogue.convert import shipped_item_fields


def seed(apps, schema_editor):
    ApprovalItemRecord = apps.get_model("catalogue", "ApprovalItemRecord")
    LightRuleSetting = apps.get_model("catalogue", "LightRuleSetting")
    if not ApprovalItemRecord.objects.exists():
        ApprovalItemRecord.objects.bulk_create(ApprovalItemRecord(**fields) for fields in shipped_item_fields())
    if not LightRuleSetting.objects.exists():
        LightRuleSetting.objects.create(rule_set="default")


class Migration(migrations.Migration):
    dependencies = [("catalogue", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
