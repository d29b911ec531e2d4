"""The default organisation (R1.1): a service department with three groups, and the other
departments that take part in workflows. Roles exist as rows so profiles can hold several."""

from django.db import migrations

DEPARTMENTS = [
    ("service", "服务部", "service"),
    ("office", "办公室", "office"),
    ("finance", "财务部", "finance"),
    ("gm", "总经理办公室", "general_management"),
    ("sales", "销售部", "sales"),
    ("rnd", "研发部", "rnd"),
]
GROUPS = [
    ("service", "customer_service", "客服组"),
    ("service", "tech_support", "技术支持组"),
    ("service", "repair", "维修组"),
]
ROLES = [
    "admin", "manager", "agent", "support", "technician", "quality_supervisor", "finance", "general_manager",
    "customer",
]


def forward(apps, schema_editor):
    Department = apps.get_model("org", "Department")
    Group = apps.get_model("org", "Group")
    RoleAssignment = apps.get_model("org", "RoleAssignment")
    for code, name, kind in DEPARTMENTS:
        Department.objects.get_or_create(code=code, defaults={"name": name, "kind": kind})
    for dept, code, name in GROUPS:
        Group.objects.get_or_create(code=code, defaults={"name": name, "department": Department.objects.get(code=dept)})
    for code in ROLES:
        RoleAssignment.objects.get_or_create(code=code)


class Migration(migrations.Migration):
    dependencies = [("org", "0001_initial")]
    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
