"""The first-responsible person is recorded for good (R3.3): the database refuses to change it."""

from django.db import migrations

PG_CREATE = """
CREATE OR REPLACE FUNCTION fuwu_ticket_first_responsible_fixed() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'the first-responsible person of a ticket cannot be changed'
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER tickets_first_responsible_fixed
    BEFORE UPDATE OF first_responsible_id ON tickets_ticket
    FOR EACH ROW WHEN (OLD.first_responsible_id IS DISTINCT FROM NEW.first_responsible_id)
    EXECUTE FUNCTION fuwu_ticket_first_responsible_fixed();
"""
PG_DROP = """
DROP TRIGGER IF EXISTS tickets_first_responsible_fixed ON tickets_ticket;
DROP FUNCTION IF EXISTS fuwu_ticket_first_responsible_fixed();
"""
SQLITE_CREATE = """
CREATE TRIGGER IF NOT EXISTS tickets_first_responsible_fixed
BEFORE UPDATE OF first_responsible_id ON tickets_ticket
WHEN OLD.first_responsible_id IS NOT NEW.first_responsible_id
BEGIN SELECT RAISE(ABORT, 'the first-responsible person of a ticket cannot be changed'); END;
"""
SQLITE_DROP = "DROP TRIGGER IF EXISTS tickets_first_responsible_fixed;"


def forward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_CREATE)
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE_CREATE)


def reverse(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_DROP)
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE_DROP)


class Migration(migrations.Migration):
    dependencies = [("tickets", "0001_initial")]
    operations = [migrations.RunPython(forward, reverse)]
