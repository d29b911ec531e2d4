"""The default catalogue fits an equipment-service company (issue 15): installation and
maintenance visits; move-in formalities, a property manager's errand, are no longer offered.

The old type is deactivated, not deleted: requests registered with it keep it (R4.9), and an
administrator who needs it turns it on again.
"""

from django.db import migrations

ADDED = [
    # code, name, English name, kind, required fields, default group, default priority, order
    ("installation", "安装调试", "Installation and commissioning", "repair",
     ["contact_phone", "site_address", "region"], "repair", "normal", 3),
    ("maintenance", "保养巡检", "Maintenance and inspection", "repair",
     ["contact_phone", "site_address", "region"], "repair", "low", 4),
]


def forward(apps, schema_editor):
    ServiceType = apps.get_model("standards", "ServiceType")
    Group = apps.get_model("org", "Group")
    for code, name, name_en, kind, required, group, priority, order in ADDED:
        ServiceType.objects.get_or_create(code=code, defaults={
            "name": name, "name_en": name_en, "kind": kind, "required_fields": required,
            "default_group": Group.objects.filter(code=group).first(), "default_priority": priority,
            "sort_order": order,
        })
    ServiceType.objects.filter(code="move_in", is_active=True).update(is_active=False)


class Migration(migrations.Migration):
    dependencies = [("standards", "0006_policy_and_type_versions")]
    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
