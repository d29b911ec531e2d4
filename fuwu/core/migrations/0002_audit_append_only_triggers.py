"""Refuse UPDATE, DELETE (and on PostgreSQL TRUNCATE) of audit events in the database itself (R4.9)."""

from django.db import migrations

from fuwu.core.migrations import _audit_triggers


def forward(apps, schema_editor):
    _audit_triggers.create(schema_editor.connection)


def reverse(apps, schema_editor):
    _audit_triggers.drop(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]
    operations = [migrations.RunPython(forward, reverse)]
