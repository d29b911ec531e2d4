"""`manage.py export_customers OUT.xlsx --actor USERNAME [--include-archived]` (R2, R2.2).

An export is masked for the exporting user's role and recorded as `customer.exported`, so it
needs a real user: unlike an import, there is no system export.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from fuwu.core.errors import PermissionDenied
from fuwu.customers import actions
from fuwu.customers.management.commands.import_customers import actor_by_username
from fuwu.customers.selectors import CustomerFilters


class Command(BaseCommand):
    help = "Export the customer archive to an Excel (.xlsx) file, masked for the given user's role."

    def add_arguments(self, parser) -> None:
        parser.add_argument("out", help="the .xlsx file to write")
        parser.add_argument("--actor", metavar="USERNAME", help="export as this user (required)")
        parser.add_argument("--include-archived", action="store_true", help="also export archived customers")

    def handle(self, *args, out: str, actor: str | None, include_archived: bool, **options) -> None:
        user = actor_by_username(actor)
        if user is None:
            raise CommandError(_("Give --actor USERNAME: what an export shows, and how it is masked, depends on "
                                 "the user's role."))
        target = Path(out)
        partial = target.with_name(f".{target.name}.part")
        try:
            with partial.open("wb") as fh:
                count = actions.customers_export(
                    actor=user, filters=CustomerFilters(include_archived=include_archived), out=fh
                )
            partial.replace(target)
        except PermissionDenied as exc:
            raise CommandError(str(exc.message)) from exc
        finally:
            partial.unlink(missing_ok=True)
        self.stdout.write(self.style.SUCCESS(
            _("%(count)s customers exported to %(path)s.") % {"count": f"{count:,}", "path": target}
        ))
