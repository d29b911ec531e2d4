"""Backups of everything Fuwu keeps, and their restore into an empty database (R4.9).

A backup is one `.tar.gz`: the database (SQLite's online backup, or `pg_dump` in its custom
format), the uploaded files (`MEDIA_ROOT`), the audit anchors, and a manifest that names the
database vendor and the audit chain's head at the time. A restore refuses a database or a media
folder that already holds data (the record is never overwritten), and ends by verifying the chain
and its anchors and comparing the head with the manifest.
"""

import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.utils import timezone

from fuwu.core.anchors import ANCHOR_FILE, anchors_check
from fuwu.core.audit import ChainBreak, verify_chain
from fuwu.core.models import AuditEvent

FORMAT = 1
SQLITE_MEMBER, POSTGRES_MEMBER = "database.sqlite3", "database.pgdump"


class BackupError(Exception):
    """What stops a backup or a restore, said so an operator knows what to do."""


@dataclass(frozen=True)
class RestoreReport:
    events: int
    anchors_agreeing: int
    media_files: int


def _head() -> dict:
    head = AuditEvent.objects.order_by("-id").values("id", "hash").first()
    return {"events": AuditEvent.objects.count(), "head": head}


def _pg_env_and_args() -> tuple[dict[str, str], list[str]]:
    db = connection.settings_dict
    env = {**os.environ, "PGPASSWORD": str(db.get("PASSWORD") or "")}
    args = ["-h", str(db.get("HOST") or "127.0.0.1"), "-p", str(db.get("PORT") or 5432),
            "-U", str(db.get("USER") or "postgres"), "-d", str(db["NAME"])]
    return env, args


def _run(command: list[str], env: dict[str, str]) -> None:
    if shutil.which(command[0]) is None:
        raise BackupError(f"{command[0]} is not installed (Debian: postgresql-client).")
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if done.returncode != 0:
        raise BackupError(f"{command[0]} failed: {done.stderr.strip()}")


def backup_write(directory: Path) -> Path:
    """Write a backup file into `directory`; returns its path."""
    directory.mkdir(parents=True, exist_ok=True)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    target = directory / f"fuwu-backup-{stamp}.tar.gz"
    manifest = {"format": FORMAT, "created_at": timezone.now().isoformat(), "vendor": connection.vendor, **_head()}
    with tempfile.TemporaryDirectory() as work, tarfile.open(target, "w:gz") as archive:
        if connection.vendor == "sqlite":
            database = Path(work) / SQLITE_MEMBER
            connection.ensure_connection()
            with sqlite3.connect(database) as copy:
                connection.connection.backup(copy)  # consistent while others keep writing
            copy.close()
            archive.add(database, SQLITE_MEMBER)
        elif connection.vendor == "postgresql":
            database = Path(work) / POSTGRES_MEMBER
            env, args = _pg_env_and_args()
            _run(["pg_dump", "--format=custom", "--no-owner", "--no-privileges", "--file", str(database), *args], env)
            archive.add(database, POSTGRES_MEMBER)
        else:
            raise BackupError(f"Backups of {connection.vendor} databases are not supported.")
        media = Path(settings.MEDIA_ROOT)
        if media.is_dir():
            archive.add(media, "media")
        anchors = Path(settings.FUWU_AUDIT_ANCHOR_DIR) / ANCHOR_FILE
        if anchors.is_file():
            archive.add(anchors, ANCHOR_FILE)
        data = json.dumps(manifest, indent=2).encode()
        info = tarfile.TarInfo("manifest.json")
        info.size = len(data)
        archive.addfile(info, io.BytesIO(data))
    return target


def _database_is_empty() -> bool:
    return not connection.introspection.table_names()


def restore_read(source: Path) -> RestoreReport:
    """Restore `source` into the configured, empty database and media folder, then verify the record."""
    media = Path(settings.MEDIA_ROOT)
    if media.is_dir() and any(media.iterdir()):
        raise BackupError(f"The media folder {media} is not empty; restore only into an empty one.")
    if not _database_is_empty():
        raise BackupError("The database already holds tables; restore only into an empty database.")
    with tempfile.TemporaryDirectory() as work, tarfile.open(source, "r:gz") as archive:
        archive.extractall(work, filter="data")
        manifest = json.loads((Path(work) / "manifest.json").read_text())
        if manifest.get("vendor") != connection.vendor:
            raise BackupError(f"This backup is of a {manifest.get('vendor')} database, not {connection.vendor}.")
        if connection.vendor == "sqlite":
            connection.close()
            with sqlite3.connect(Path(work) / SQLITE_MEMBER) as backup, sqlite3.connect(
                    connection.settings_dict["NAME"]) as target:
                backup.backup(target)
        else:
            env, args = _pg_env_and_args()
            _run(["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error", *args,
                  str(Path(work) / POSTGRES_MEMBER)], env)
        media_files = 0
        if (Path(work) / "media").is_dir():
            shutil.copytree(Path(work) / "media", media, dirs_exist_ok=True)
            media_files = sum(1 for path in media.rglob("*") if path.is_file())
        anchors = Path(settings.FUWU_AUDIT_ANCHOR_DIR) / ANCHOR_FILE
        if (Path(work) / ANCHOR_FILE).is_file() and not anchors.exists():
            anchors.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(Path(work) / ANCHOR_FILE, anchors)
    connection.close()
    return RestoreReport(events=_verify(manifest), anchors_agreeing=_anchors_agreeing(), media_files=media_files)


def _verify(manifest: dict) -> int:
    checked = 0
    for step in verify_chain():
        if isinstance(step, ChainBreak):
            raise BackupError(f"Restored, but the audit chain is broken at event #{step.event_id}: {step.reason}.")
        checked = step
    if _head() != {"events": manifest["events"], "head": manifest["head"]}:
        raise BackupError("Restored, but the audit record is not the one the backup's manifest names.")
    return checked


def _anchors_agreeing() -> int:
    agreed, problems = anchors_check()
    if problems:
        raise BackupError("Restored, but anchors disagree: " + "; ".join(p.reason for p in problems))
    return agreed
