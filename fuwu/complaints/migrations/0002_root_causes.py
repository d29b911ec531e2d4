"""The root causes the house starts with (R6.2); managers add more through `root_cause_add`."""

from django.db import migrations

CAUSES = [
    ("attitude", "服务态度"),
    ("skill", "技能水平"),
    ("product_quality", "产品质量"),
    ("delay", "响应或处理延误"),
    ("process", "流程制度"),
    ("billing", "收费"),
    ("other", "其他"),
]


def add_causes(apps, schema_editor):
    RootCause = apps.get_model("complaints", "RootCause")
    for position, (code, name) in enumerate(CAUSES, start=1):
        RootCause.objects.get_or_create(code=code, defaults={"name": name, "position": position * 10})


class Migration(migrations.Migration):
    dependencies = [("complaints", "0001_initial")]

    operations = [migrations.RunPython(add_causes, migrations.RunPython.noop)]
