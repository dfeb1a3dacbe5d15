"""Seed the default 督办 ladder: 服务专员 (base deadline) → 项目管家 +3 → 部门负责人 +3 → 区领导 +5."""

from django.db import migrations

LEVELS = [
    (0, "服务专员", "specialist", 0),
    (1, "项目管家", "butler", 3),
    (2, "部门负责人", "department_head", 3),
    (3, "区领导", "leader", 5),
]


def seed(apps, schema_editor):
    EscalationLevel = apps.get_model("coordination", "EscalationLevel")
    for order, name, holder, extra_days in LEVELS:
        EscalationLevel.objects.get_or_create(
            order=order, defaults={"name": name, "holder": holder, "extra_days": extra_days}
        )


def unseed(apps, schema_editor):
    apps.get_model("coordination", "EscalationLevel").objects.filter(
        order__in=[order for order, *_ in LEVELS]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("coordination", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
