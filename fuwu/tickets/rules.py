"""Who may make each move on a ticket (R3.3, R4.1): the guards beside the transition table."""

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.utils import timezone

from fuwu.customers.models import Contact
from fuwu.org.policy import Perm, can
from fuwu.tickets.lifecycle import FINAL_STATUSES, Move, Status
from fuwu.tickets.models import Entry, Handover, Ticket

# What a customer does on its own request through the portal (R4.1): confirm the resolution, or
# reopen it within the reopen window. Every other move is the staff's.
CUSTOMER_MOVES = frozenset({Move.CLOSE, Move.REOPEN})


def is_manager(user) -> bool:
    return can(user, Perm.TICKET_MANAGE)


def in_group(user, group_id: int | None) -> bool:
    profile = getattr(user, "profile", None)
    return group_id is not None and profile is not None and profile.group_id == group_id


def is_owner(user, ticket: Ticket) -> bool:
    return ticket.owner_id == user.pk


def portal_customer_id(user) -> int | None:
    """The customer whose portal login `user` is (R1.2: an active contact's login), else None; read once per user."""
    if not can(user, Perm.PORTAL_USE):
        return None
    if not hasattr(user, "_fuwu_portal_customer_id"):
        user._fuwu_portal_customer_id = (
            Contact.objects.filter(user=user, is_active=True).values_list("customer_id", flat=True).first()
        )
    return user._fuwu_portal_customer_id


def is_portal_customer(user, ticket: Ticket) -> bool:
    """`user` is a portal login of the request's own customer (R2.2: never of another customer's request)."""
    return ticket.customer_id is not None and portal_customer_id(user) == ticket.customer_id


def may_move(user, ticket: Ticket, move: Move) -> bool:
    """The roles allowed to make `move`; the transition table says whether it exists from here."""
    if is_portal_customer(user, ticket):
        return move in CUSTOMER_MOVES
    if not can(user, Perm.TICKET_WORK):
        return False
    if move == Move.CANCEL:
        return is_manager(user)
    if move == Move.ACCEPT and ticket.has_pending_handover:
        return False  # taken on through the hand-over (accept or decline), not around it
    if is_manager(user):
        return True
    if move == Move.ACCEPT:
        return is_owner(user, ticket) or (ticket.owner_id is None and in_group(user, ticket.group_id))
    if move in (Move.CLOSE, Move.REOPEN):
        return is_owner(user, ticket) or ticket.first_responsible_id == user.pk or _granted_move(user, ticket, move)
    return is_owner(user, ticket) or _granted_move(user, ticket, move)


def reopen_window_open(ticket: Ticket) -> bool:
    if ticket.status != Status.RESOLVED or ticket.resolved_at is None:
        return False
    return (timezone.now() - ticket.resolved_at).days < settings.FUWU_REOPEN_DAYS


def may_hand_over(user, ticket: Ticket) -> bool:
    return can(user, Perm.TICKET_WORK) and ticket.is_open and (is_owner(user, ticket) or is_manager(user))


def may_decide_handover(user, handover: Handover) -> bool:
    """The named person, else any member of the target group; a manager always may."""
    if not can(user, Perm.TICKET_WORK):
        return False
    if is_manager(user):
        return True
    if handover.to_user_id is not None:
        return handover.to_user_id == user.pk
    return in_group(user, handover.to_group_id)


WriteGrant = Callable[[Any, Ticket], bool]
_write_grants: list[WriteGrant] = []


def register_write_grant(grant: WriteGrant) -> None:
    """An app above `tickets` names who else works a request (the technician of its work order)."""
    if grant not in _write_grants:
        _write_grants.append(grant)


CustomerVoice = Callable[[Any], bool]
_customer_voices: list[CustomerVoice] = []


def register_customer_voice(voice: CustomerVoice) -> None:
    """An app above `tickets` that carries the customer's own words in names its login (the mailbox's):
    it may add the customer's messages (`Entry.Kind.CUSTOMER`) to an open request."""
    if voice not in _customer_voices:
        _customer_voices.append(voice)


def may_add_entry(user, ticket: Ticket, kind: str) -> bool:
    """Replies, notes and follow-ups are the staff's (`may_write`); a message from the customer
    (`Entry.Kind.CUSTOMER`) is written by a portal login of the request's own customer, or carried in
    by a registered customer voice (a reply by e-mail), until the request is closed or cancelled."""
    if kind == Entry.Kind.CUSTOMER:
        return ticket.status not in FINAL_STATUSES and (
            is_portal_customer(user, ticket) or any(voice(user) for voice in _customer_voices))
    return may_write(user, ticket)
MoveGrant = Callable[[Any, Ticket, Move], bool]
_move_grants: list[MoveGrant] = []


def register_move_grant(grant: MoveGrant) -> None:
    """An app above `tickets` names who else may make a move (the agent recording an unsatisfied
    follow-up reopens the request, R8.1); asked only after the owner and first-responsible checks."""
    if grant not in _move_grants:
        _move_grants.append(grant)


def _granted_move(user, ticket: Ticket, move: Move) -> bool:
    return any(grant(user, ticket, move) for grant in _move_grants)


def may_write(user, ticket: Ticket) -> bool:
    """Replies, notes, repeat contacts, tier changes: anyone working the ticket or accountable for it."""
    return can(user, Perm.TICKET_WORK) and (
        is_owner(user, ticket)
        or ticket.first_responsible_id == user.pk
        or in_group(user, ticket.group_id)
        or is_manager(user)
        or any(grant(user, ticket) for grant in _write_grants)
    )
