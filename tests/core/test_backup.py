"""Backup and restore drill (R4.9): a backup restored into an empty database passes verify_audit.

The restore runs as an operator would run it, `manage.py restore` in its own process, against an
empty database of the same kind as the one under test.
"""

import os
import subprocess
import sys
import uuid
from pathlib import Path

import psycopg
import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection

from fuwu.core.anchors import anchor_write
from fuwu.core.models import AuditEvent
from tests.factories import make_customer

pytestmark = pytest.mark.django_db(transaction=True)

ROOT = Path(settings.BASE_DIR)


def _manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env={**os.environ, **env},  # noqa: S603
                          capture_output=True, text=True, timeout=300, check=False)


@pytest.fixture
def empty_database(tmp_path):
    """The URL of an empty database of the kind under test, dropped afterwards."""
    if connection.vendor == "sqlite":
        yield f"sqlite:///{tmp_path / 'restored.sqlite3'}"
        return
    db = connection.settings_dict
    name = f"fuwu_restore_drill_{uuid.uuid4().hex[:8]}"
    admin = f"postgresql://{db['USER']}:{db.get('PASSWORD') or ''}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
    with psycopg.connect(f"{admin}/postgres", autocommit=True) as server:
        server.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"{admin}/{name}"
    finally:
        with psycopg.connect(f"{admin}/postgres", autocommit=True) as server:
            server.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_a_backup_restores_into_an_empty_database_and_verifies(manager, tmp_path, empty_database, settings):
    for n in range(3):
        make_customer(manager, name=f"备份客户{n}")
    upload = Path(settings.MEDIA_ROOT) / "attachments" / "2026" / "invoice.pdf"
    upload.parent.mkdir(parents=True)
    upload.write_bytes(b"%PDF-1.7 invoice")
    anchor_write()
    events = AuditEvent.objects.count()

    backup = Path(call_command("backup", output=tmp_path / "backups"))
    assert backup.is_file() and backup.name.startswith("fuwu-backup-20261202-")

    restored = {"DATABASE_URL": empty_database, "MEDIA_ROOT": str(tmp_path / "restored-media"),
                "FUWU_AUDIT_ANCHOR_DIR": str(tmp_path / "restored-anchors")}
    done = _manage("restore", str(backup), env=restored)
    assert done.returncode == 0, done.stderr
    assert f"{events} audit events intact, 1 anchor(s) agree, 1 uploaded file(s)" in done.stdout
    assert (tmp_path / "restored-media" / "attachments" / "2026" / "invoice.pdf").read_bytes() == b"%PDF-1.7 invoice"
    verified = _manage("verify_audit", env=restored)
    assert verified.returncode == 0 and f"{events} events verified, 1 anchor(s) agree" in verified.stdout

    again = _manage("restore", str(backup), env={**restored, "MEDIA_ROOT": str(tmp_path / "other-media")})
    assert again.returncode == 1 and "restore only into an empty database" in again.stderr
