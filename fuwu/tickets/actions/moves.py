"""Moving a request through its lifecycle (R4.1) and between service tiers (R4.3)."""

from datetime import timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fuwu.core.audit import audit_record
from fuwu.core.errors import InvalidInput, PermissionDenied
from fuwu.tickets import clocks, rules
from fuwu.tickets.actions._common import MoveNotAllowed, _lock, _notify_first_responsible, _save
from fuwu.tickets.lifecycle import OPEN_STATUSES, TIER_ORDER, Move, Status, Tier, transition_for
from fuwu.tickets.models import Handover, Ticket


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
        raise InvalidInput(code="unknown_move", errors={"move": [_("Unknown move.")]})
    locked = _lock(ticket, expected_version)
    transition = transition_for(locked.status, move)
    if transition is None or not rules.may_move(actor, locked, Move(move)):
        raise MoveNotAllowed(move, locked.status)
    if move == Move.REOPEN and not rules.reopen_window_open(locked):
        raise InvalidInput(code="reopen_window_closed", errors={"move": [_("The reopen period has passed.")]})
    fields = ["status"]
    payload: dict[str, Any] = {"move": move, "from": locked.status, "to": transition.target}
    if move == Move.RESOLVE:
        if not resolution.strip():
            raise InvalidInput(errors={"resolution": [_("Describe how the request was resolved.")]})
        locked.resolution, locked.resolved_at = resolution.strip(), timezone.now()
        fields += ["resolution", "resolved_at"]
        payload["resolution"] = locked.resolution
    if move in (Move.CANCEL, Move.REOPEN):
        if not reason.strip():
            raise InvalidInput(errors={"reason": [_("Give a reason.")]})
        payload["reason"] = reason.strip()
    if move == Move.ACCEPT and locked.owner_id is None:
        locked.owner = actor
        fields.append("owner")
    if transition.target == Status.CLOSED:
        locked.closed_at = timezone.now()
        fields.append("closed_at")
    if move == Move.REOPEN:
        locked.resolved_at = None
        fields.append("resolved_at")
    if transition.target not in OPEN_STATUSES and locked.has_pending_handover:
        # A resolved, closed or cancelled request can no longer be handed over (R3.3): withdraw the waiting one.
        Handover.objects.filter(ticket=locked, state=Handover.State.PENDING).update(
            state=Handover.State.WITHDRAWN, decided_by=actor, decided_at=timezone.now()
        )
        locked.has_pending_handover = False
        fields.append("has_pending_handover")
        payload["handover_withdrawn"] = True
    old_status, locked.status = locked.status, transition.target
    _save(locked, fields)
    clocks.on_status_changed(locked, old=old_status, new=locked.status, at=locked.updated_at)
    audit_record(actor=actor, action="ticket.moved", obj=locked, payload=payload)
    if transition.target in (Status.RESOLVED, Status.CLOSED, Status.REOPENED, Status.CANCELLED):
        subject = _("%(number)s is now %(status)s") % {"number": locked.number, "status": locked.get_status_display()}
        _notify_first_responsible(actor, locked, subject)
    return locked


@transaction.atomic
def ticket_change_tier(*, actor, ticket: Ticket, expected_version: int | None, tier: str, reason: str,
                       customer_authorised: bool = False) -> Ticket:
    """Step between hotline, remote and on-site service, with the reason (R4.3).

    Remote service needs the customer's recorded authorisation.
    """
    locked = _lock(ticket, expected_version)
    if not (locked.is_open and rules.may_write(actor, locked)):
        raise PermissionDenied(code="forbidden.tier")
    if tier not in Tier.values or tier == locked.tier:
        raise InvalidInput(errors={"tier": [_("Choose a different service tier.")]})
    if not reason.strip():
        raise InvalidInput(errors={"reason": [_("Give a reason.")]})
    if tier == Tier.REMOTE and not (customer_authorised or locked.remote_authorised):
        raise InvalidInput(code="authorisation_required", errors={
            "customer_authorised": [_("Remote service needs the customer's authorisation.")]})
    step = TIER_ORDER.index(Tier(tier)) - TIER_ORDER.index(Tier(locked.tier))
    payload = {"from": locked.tier, "to": tier, "reason": reason.strip(), "step": step}
    locked.tier = tier
    fields = ["tier"]
    if customer_authorised and not locked.remote_authorised:
        locked.remote_authorised = True
        fields.append("remote_authorised")
        payload["customer_authorised"] = True
    _save(locked, fields)
    clocks.on_tier_changed(locked, at=locked.updated_at)
    audit_record(actor=actor, action="ticket.tier_changed", obj=locked, payload=payload)
    return locked


@transaction.atomic
def tickets_auto_close(*, older_than_days: int) -> int:
    """Close resolved requests the customer did not confirm within the period (R4.1). Idempotent."""
    cutoff = timezone.now() - timedelta(days=older_than_days)
    closed = 0
    for ticket in Ticket.objects.select_for_update(skip_locked=True).filter(
        status=Status.RESOLVED, resolved_at__lt=cutoff
    ).order_by("id")[:1000]:
        ticket.status, ticket.closed_at = Status.CLOSED, timezone.now()
        _save(ticket, ["status", "closed_at"])
        audit_record(actor=None, action="ticket.moved", obj=ticket,
                     payload={"move": Move.CLOSE, "from": Status.RESOLVED, "to": Status.CLOSED, "automatic": True})
        closed += 1
    return closed
