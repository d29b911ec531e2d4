"""The catalogue type of the requests that inspection findings become (R9.7): an internal quality
issue (内部品质问题), kind "other" (not offered to customers in the portal), no required fields; the
request is handed over to the responsible group, so it has no default group."""

from django.db import migrations


def forward(apps, schema_editor):
    ServiceType = apps.get_model("standards", "ServiceType")
    ServiceType.objects.get_or_create(code="quality_issue", defaults={
        "name": "内部品质问题", "name_en": "Internal quality issue", "kind": "other", "required_fields": [],
        "default_priority": "normal", "sort_order": 90,
    })


class Migration(migrations.Migration):
    dependencies = [("inspections", "0001_initial"), ("standards", "0007_equipment_service_catalogue")]
    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
