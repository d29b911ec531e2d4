"""The notice list a service department starts with (R7.1): senior management (the general manager)
and the service managers. The manager adds departments and people on /faults/notice-list/."""

from django.db import migrations
from django.utils import timezone


def forwards(apps, schema_editor):
    NoticeRecipient = apps.get_model("faults", "NoticeRecipient")
    for role in ("general_manager", "manager"):
        NoticeRecipient.objects.get_or_create(kind="role", role=role, defaults={"added_at": timezone.now()})


def backwards(apps, schema_editor):
    apps.get_model("faults", "NoticeRecipient").objects.filter(kind="role", added_by__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("faults", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
