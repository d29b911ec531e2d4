"""Restore a backup into an empty database and media folder, then verify the audit record (R4.9)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from fuwu.core.backup import BackupError, restore_read


class Command(BaseCommand):
    help = "Restore a backup made by `manage.py backup` into an empty database, then verify the audit chain."

    def add_arguments(self, parser):
        parser.add_argument("backup", type=Path, help="the .tar.gz written by `manage.py backup`")

    def handle(self, *args, backup: Path, **options):
        if not backup.is_file():
            raise CommandError(f"No backup file at {backup}.", returncode=1)
        try:
            report = restore_read(backup)
        except BackupError as exc:
            raise CommandError(str(exc), returncode=1) from exc
        self.stdout.write(self.style.SUCCESS(
            f"Restored and verified: {report.events} audit events intact, {report.anchors_agreeing} anchor(s) agree, "
            f"{report.media_files} uploaded file(s)."))
