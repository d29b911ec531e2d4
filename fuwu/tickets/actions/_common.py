"""What every ticket action shares: saving what a case changed, notifying.

The ticket row is locked with `fuwu.core.locking.lock_row` (its version checked, the status sent
back on a conflict)."""

from datetime import datetime

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from fuwu.core.errors import FuwuError
from fuwu.core.outbox import Words, outbox_notify
from fuwu.tickets.cases import apply_request, set_queue_columns, store_clocks
from fuwu.tickets.codes import TicketError
from fuwu.tickets.lifecycle import Move, Status
from fuwu.tickets.models import Ticket
from fuwu.tickets.workflow.case import Case


class MoveNotAllowed(FuwuError):
    code = TicketError.MOVE_NOT_ALLOWED
    status = 403

    def __init__(self, move: str, status: str):
        super().__init__(
            _("“%(move)s” is not possible while the request is “%(status)s”, or not for you.")
            % {"move": Move(move).label, "status": Status(status).label},
            code=f"{TicketError.MOVE_NOT_ALLOWED.value}.{move}",
        )


def _save(ticket: Ticket, fields: list[str], now: datetime | None = None) -> None:
    ticket.version += 1
    ticket.updated_at = now or timezone.now()
    ticket.save(update_fields=[*fields, "version", "updated_at"])


def _url(ticket: Ticket) -> str:
    return reverse("tickets:detail", args=[ticket.pk])


def _notify_first_responsible(actor, ticket: Ticket, subject: Words, body: Words = "") -> None:
    """R3.3: the first-responsible person stays accountable and hears of every major change."""
    if ticket.first_responsible_id != getattr(actor, "pk", None):
        outbox_notify(recipients=[ticket.first_responsible], subject=subject, body=body, url=_url(ticket), obj=ticket)


def _store(ticket: Ticket, case: Case, fields: list[str], now: datetime) -> None:
    """Write what the case changed: the ticket's fields (version bumped), its clocks, the queue columns."""
    fields = [*fields, *apply_request(ticket, case.request)]
    store_clocks(ticket, case)
    _save(ticket, [*dict.fromkeys([*fields, *set_queue_columns(ticket, case)])], now)
