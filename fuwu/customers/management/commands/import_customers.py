"""`manage.py import_customers FILE [--dry-run] [--actor USERNAME]` (R2).

Checks every row, prints each bad one with its Excel row number and exits 1 if there are any;
otherwise imports all rows in one transaction. A progress bar is drawn on stderr.
"""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, OutputWrapper
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from fuwu.core.errors import InvalidInput, PermissionDenied
from fuwu.customers import actions, transfer


class ProgressBar:
    """`\\r[#####-----] 2,000/5,000` on a stream, redrawn only when it changes; a newline when done."""

    def __init__(self, stream: OutputWrapper, label: str, width: int = 30) -> None:
        self.stream, self.label, self.width, self.last = stream, label, width, ""

    def __call__(self, done: int, total: int) -> None:
        filled = self.width * done // total if total else self.width
        text = f"\r{self.label} [{'#' * filled}{'-' * (self.width - filled)}] {done:,}/{total:,}"
        if text != self.last:
            self.stream.write(text, ending="\n" if done >= total else "")
            self.stream.flush()
            self.last = text


def actor_by_username(username: str | None):
    """The user to act as, or None (the system) when no username is given."""
    if not username:
        return None
    try:
        return get_user_model().objects.get(username=username, is_active=True)
    except get_user_model().DoesNotExist:
        raise CommandError(_("No active user is named %(name)s.") % {"name": username}) from None


class Command(BaseCommand):
    help = "Import customers from an Excel (.xlsx) file: every row is checked, then all are imported or none."

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", help="the .xlsx file; its first row holds the column names")
        parser.add_argument("--dry-run", action="store_true", help="check the file and list bad rows; write nothing")
        parser.add_argument("--actor", metavar="USERNAME", help="import as this user (default: the system)")

    def handle(self, *args, file: str, dry_run: bool, actor: str | None, **options) -> None:
        user = actor_by_username(actor)
        path = Path(file)
        if not path.is_file():
            raise CommandError(_("No such file: %(path)s") % {"path": file})
        try:
            sheet = transfer.read_workbook(path, progress=ProgressBar(self.stderr, _("Reading")))
            report = actions.customers_import(
                actor=user,
                records=sheet.records,
                row_numbers=sheet.row_numbers,
                parse_errors=sheet.errors,
                dry_run=dry_run,
                progress=ProgressBar(self.stderr, _("Importing")),
                file_name=path.name,
            )
        except (InvalidInput, PermissionDenied) as exc:
            raise CommandError(str(exc.message)) from exc
        for row, messages in transfer.iter_problems(report.problems):
            self.stdout.write(_("Row %(row)d: %(problems)s") % {"row": row, "problems": "; ".join(messages)})
        if report.problems:
            n = len(report.problems)
            raise CommandError(
                ngettext("%(n)d row has problems; nothing was imported.",
                         "%(n)d rows have problems; nothing was imported.", n) % {"n": n},
                returncode=1,
            )
        if dry_run:
            self.stdout.write(_("%(n)d rows checked, no problems found. Nothing was written (dry run).")
                              % {"n": report.rows})
        else:
            n = len(report.created_ids)
            self.stdout.write(self.style.SUCCESS(
                ngettext("%(n)d customer imported.", "%(n)d customers imported.", n) % {"n": n}
            ))
