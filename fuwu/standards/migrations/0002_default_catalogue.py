"""The default service catalogue (R3.2). Administrators change it in the admin."""

from django.db import migrations

CATALOGUE = [
    # code, name, English name, kind, required fields, default group, default priority
    ("consultation", "咨询", "Consultation", "consultation", [], "customer_service", "normal"),
    ("complaint", "投诉", "Complaint", "complaint", ["contact_phone", "customer"], "customer_service", "high"),
    ("repair", "报修", "Repair request", "repair", ["contact_phone", "site_address", "region", "occurred_since"],
     "repair", "normal"),
    ("fault", "故障报告", "Fault report", "fault", ["contact_phone", "site_address", "occurred_since"],
     "tech_support", "high"),
    ("suggestion", "建议", "Suggestion", "suggestion", [], "customer_service", "low"),
    ("move_in", "入住手续", "Move-in formalities", "errand", ["contact_phone", "site_address"],
     "customer_service", "normal"),
    ("other", "其他", "Other", "other", [], "customer_service", "normal"),
]


def forward(apps, schema_editor):
    ServiceType = apps.get_model("standards", "ServiceType")
    Group = apps.get_model("org", "Group")
    for order, (code, name, name_en, kind, required, group, priority) in enumerate(CATALOGUE):
        ServiceType.objects.get_or_create(
            code=code,
            defaults={
                "name": name, "name_en": name_en, "kind": kind, "required_fields": required,
                "default_group": Group.objects.filter(code=group).first(), "default_priority": priority,
                "sort_order": order,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("standards", "0001_initial"), ("org", "0002_default_organisation")]
    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
