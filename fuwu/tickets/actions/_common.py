"""What every ticket action shares: the row lock with its version check, saving, notifying."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from fuwu.core.errors import Conflict, FuwuError
from fuwu.core.outbox import outbox_notify
from fuwu.tickets.lifecycle import Move, Status
from fuwu.tickets.models import Ticket


class MoveNotAllowed(FuwuError):
    code = "move_not_allowed"
    status = 403

    def __init__(self, move: str, status: str):
        super().__init__(
            _("“%(move)s” is not possible while the request is “%(status)s”, or not for you.")
            % {"move": Move(move).label, "status": Status(status).label},
            code=f"move_not_allowed.{move}",
        )


def _lock(ticket: Ticket, expected_version: int | None) -> Ticket:
    locked = Ticket.objects.select_for_update().get(pk=ticket.pk)
    if expected_version is not None and locked.version != expected_version:
        raise Conflict(data={"current_version": locked.version, "status": locked.status})
    return locked


def _save(ticket: Ticket, fields: list[str]) -> None:
    ticket.version += 1
    ticket.updated_at = timezone.now()
    ticket.save(update_fields=[*fields, "version", "updated_at"])


def _url(ticket: Ticket) -> str:
    return reverse("tickets:detail", args=[ticket.pk])


def _notify_first_responsible(actor, ticket: Ticket, subject: str, body: str = "") -> None:
    """R3.3: the first-responsible person stays accountable and hears of every major change."""
    if ticket.first_responsible_id != getattr(actor, "pk", None):
        outbox_notify(recipients=[ticket.first_responsible], subject=subject, body=body, url=_url(ticket), obj=ticket)
