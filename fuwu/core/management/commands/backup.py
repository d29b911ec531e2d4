"""Back up the database, the uploaded files and the audit anchors into one file (docs/operations.md)."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from fuwu.core.backup import BackupError, backup_write


class Command(BaseCommand):
    help = "Write a backup (.tar.gz) of the database, uploaded files and audit anchors."

    def add_arguments(self, parser):
        parser.add_argument("--output", type=Path, default=Path(settings.BASE_DIR) / "var" / "backups",
                            help="folder for the backup file (default var/backups)")

    def handle(self, *args, output: Path, **options):
        try:
            path = backup_write(output)
        except BackupError as exc:
            raise CommandError(str(exc), returncode=1) from exc
        self.stdout.write(self.style.SUCCESS(f"Backup written: {path}"))
        return str(path)
