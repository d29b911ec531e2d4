"""Moving a request through its lifecycle (R4.1) and between service tiers (R4.3)."""

from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fuwu.core.audit import audit_record
from fuwu.core.errors import InvalidInput, PermissionDenied
from fuwu.core.locking import lock_row
from fuwu.standards.businesstime import to_us
from fuwu.tickets import rules
from fuwu.tickets.actions._common import MoveNotAllowed, _notify_first_responsible, _store
from fuwu.tickets.cases import load_case
from fuwu.tickets.codes import TicketAction, TicketError
from fuwu.tickets.events import close_refusal, ticket_moved
from fuwu.tickets.lifecycle import Move, Status, transition_for
from fuwu.tickets.models import Handover, Ticket
from fuwu.tickets.workflow.case import Refusal, Refused


@transaction.atomic
def ticket_move(
    *,
    actor,
    ticket: Ticket,
    expected_version: int | None,
    move: str,
    resolution: str = "",
    reason: str = "",
) -> Ticket:
    """Apply one move of the lifecycle (R4.1) through the transition table, or refuse it."""
    if move not in Move.values:
        raise InvalidInput(code=TicketError.UNKNOWN_MOVE, errors={"move": [_("Unknown move.")]})
    locked = lock_row(Ticket.objects.all(), ticket.pk, expected_version=expected_version, report=("status",))
    if transition_for(locked.status, move) is None or not rules.may_move(actor, locked, Move(move)):
        raise MoveNotAllowed(move, locked.status)
    if move == Move.REOPEN and not rules.reopen_window_open(locked):
        raise InvalidInput(code=TicketError.REOPEN_WINDOW_CLOSED,
                           errors={"move": [_("The reopen period has passed.")]})
    if move == Move.RESOLVE and not resolution.strip():
        raise InvalidInput(errors={"resolution": [_("Describe how the request was resolved.")]})
    if move in (Move.CANCEL, Move.REOPEN) and not reason.strip():
        raise InvalidInput(errors={"reason": [_("Give a reason.")]})
    if move in (Move.RESOLVE, Move.CLOSE) and (refusal := close_refusal(locked, move)):
        raise InvalidInput(code=TicketError.CLOSE_REFUSED,
                           errors={"resolution" if move == Move.RESOLVE else "move": [refusal]})
    return _apply_move(actor, locked, move, timezone.now(), resolution=resolution.strip(), reason=reason.strip())


def _apply_move(actor, locked: Ticket, move: str, now: datetime, *, resolution: str = "", reason: str = "",
                automatic: bool = False) -> Ticket:
    """The core's move on a locked ticket, written: state, clocks, a withdrawn hand-over, the event, the notice."""
    case = load_case(locked)
    moved = case.move(move, to_us(now), actor=getattr(actor, "pk", None), resolution=resolution, reason=reason,
                      automatic=automatic)
    if moved.withdraw_handover:
        Handover.objects.filter(ticket=locked, state=Handover.State.PENDING).update(
            state=Handover.State.WITHDRAWN, decided_by=actor, decided_at=now)
    _store(locked, case, [], now)
    audit_record(actor=actor, action=TicketAction.MOVED, obj=locked, payload=moved.payload)
    ticket_moved(actor, locked, move)
    if moved.notify_first_responsible:
        _notify_first_responsible(actor, locked, lambda: _("%(number)s is now %(status)s") % {
            "number": locked.number, "status": locked.get_status_display()})
    return locked


_TIER_ERRORS = {
    Refusal.SAME_TIER: lambda: InvalidInput(errors={"tier": [_("Choose a different service tier.")]}),
    Refusal.REASON_REQUIRED: lambda: InvalidInput(errors={"reason": [_("Give a reason.")]}),
    Refusal.AUTHORISATION_REQUIRED: lambda: InvalidInput(code=TicketError.AUTHORISATION_REQUIRED, errors={
        "customer_authorised": [_("Remote service needs the customer's authorisation.")]}),
}


@transaction.atomic
def ticket_change_tier(*, actor, ticket: Ticket, expected_version: int | None, tier: str, reason: str,
                       customer_authorised: bool = False) -> Ticket:
    """Step between hotline, remote and on-site service, with the reason (R4.3; the rule is
    `fuwu.tickets.workflow.case.Case.change_tier`). Remote service needs the customer's recorded authorisation."""
    locked = lock_row(Ticket.objects.all(), ticket.pk, expected_version=expected_version, report=("status",))
    if not (locked.is_open and rules.may_write(actor, locked)):
        raise PermissionDenied(code=TicketError.FORBIDDEN_TIER)
    now = timezone.now()
    case = load_case(locked)
    try:
        payload = case.change_tier(tier, to_us(now), reason=reason.strip(), authorised=customer_authorised)
    except Refused as refused:
        raise _TIER_ERRORS[refused.refusal]() from None
    _store(locked, case, [], now)
    audit_record(actor=actor, action=TicketAction.TIER_CHANGED, obj=locked, payload=payload)
    return locked


@transaction.atomic
def tickets_auto_close(*, older_than_days: int) -> int:
    """Close resolved requests the customer did not confirm within the period (R4.1). Idempotent.

    The same move as a manual close, through the transition table: the first-responsible person
    hears of it (R3.3), and the event says it was automatic.
    """
    now = timezone.now()
    closed = 0
    for ticket in Ticket.objects.select_for_update(skip_locked=True).filter(
        status=Status.RESOLVED, resolved_at__lt=now - timedelta(days=older_than_days)
    ).order_by("id")[:1000]:
        _apply_move(None, ticket, Move.CLOSE, now, automatic=True)
        closed += 1
    return closed
