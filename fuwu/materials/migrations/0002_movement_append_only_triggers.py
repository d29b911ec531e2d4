"""Movements are append-only underneath the model too (R13.2, docs/architecture.md "Materials").

PostgreSQL refuses UPDATE and DELETE of a movement; SQLite refuses UPDATE. TRUNCATE (PostgreSQL)
and DELETE (SQLite) stay open for the test database's flush, as nothing in the app issues them.
"""

from django.db import migrations

PG_CREATE = """
CREATE OR REPLACE FUNCTION fuwu_materials_movement_refuse_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'materials movements are append-only (%% refused)', TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER materials_movement_append_only
    BEFORE UPDATE OR DELETE ON materials_movement
    FOR EACH ROW EXECUTE FUNCTION fuwu_materials_movement_refuse_change();
"""
PG_DROP = """
DROP TRIGGER IF EXISTS materials_movement_append_only ON materials_movement;
DROP FUNCTION IF EXISTS fuwu_materials_movement_refuse_change();
"""
SQLITE_CREATE = """CREATE TRIGGER IF NOT EXISTS materials_movement_no_update BEFORE UPDATE ON materials_movement
    BEGIN SELECT RAISE(ABORT, 'materials movements are append-only (UPDATE refused)'); END;"""
SQLITE_DROP = "DROP TRIGGER IF EXISTS materials_movement_no_update;"


def forward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_CREATE)
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE_CREATE)


def backward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_DROP)
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE_DROP)


class Migration(migrations.Migration):
    dependencies = [("materials", "0001_initial")]

    operations = [migrations.RunPython(forward, backward)]
