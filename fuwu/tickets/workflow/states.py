"""The lifecycle of a service request as plain values (R4.1, R4.3): statuses, tiers, moves, the transition table.

`fuwu.tickets.lifecycle` gives the same values Django choices with translated labels for forms and
models (a test holds them equal); who may make a move is `fuwu.tickets.rules`.
"""

from dataclasses import dataclass
from enum import IntEnum, StrEnum


class Status(StrEnum):
    NEW = "new"  # registered, nobody has taken it on yet
    ACCEPTED = "accepted"  # an owner has taken it on
    IN_PROGRESS = "in_progress"
    PENDING_CUSTOMER = "pending_customer"  # waiting for the customer
    RESOLVED = "resolved"  # a resolution is recorded; awaiting confirmation
    REOPENED = "reopened"  # the customer came back within the reopen window
    CLOSED = "closed"  # confirmed by the customer or closed automatically
    CANCELLED = "cancelled"  # withdrawn, by a manager, with a reason


OPEN_STATUSES = frozenset(
    {Status.NEW, Status.ACCEPTED, Status.IN_PROGRESS, Status.PENDING_CUSTOMER, Status.REOPENED}
)
FINAL_STATUSES = frozenset({Status.CLOSED, Status.CANCELLED})


class Tier(StrEnum):
    """R4.3: hotline answer -> remote service (with the customer's authorisation) -> on site."""

    HOTLINE = "hotline"
    REMOTE = "remote"
    ONSITE = "onsite"


TIER_ORDER = (Tier.HOTLINE, Tier.REMOTE, Tier.ONSITE)


class Move(StrEnum):
    ACCEPT = "accept"
    START = "start"
    WAIT_CUSTOMER = "wait_customer"
    RESUME = "resume"
    RESOLVE = "resolve"
    CLOSE = "close"
    REOPEN = "reopen"
    CANCEL = "cancel"


class ClockKind(StrEnum):
    """The clocks run on a request; the values of `fuwu.standards.models.ClockKind`."""

    FIRST_RESPONSE = "first_response"
    HANDOVER_ACCEPTANCE = "handover_acceptance"
    ONSITE_ARRIVAL = "onsite_arrival"
    RESOLUTION = "resolution"
    FOLLOW_UP = "follow_up"


class ClockState(StrEnum):
    """The values of `fuwu.tickets.models.SlaClock.State`."""

    RUNNING = "running"
    PAUSED = "paused"
    MET = "met"
    STOPPED = "stopped"  # no longer applies (cancelled request, declined hand-over)


LIVE = frozenset({ClockState.RUNNING, ClockState.PAUSED})


class SlaState(StrEnum):
    """The worst state of a request's clocks, as the queues show it (`Ticket.sla_state`)."""

    NONE = ""
    RUNNING = "running"
    WARNING = "warning"
    BREACHED = "breached"
    PAUSED = "paused"


class HandoverState(StrEnum):
    """The values of `fuwu.tickets.models.Handover.State`."""

    PENDING = "pending"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    WITHDRAWN = "withdrawn"


class Level(IntEnum):
    """The breach watch's steps on one clock, in order (R10.4, R9.5, R3.5)."""

    WARNING = 0
    BREACH = 1
    MANAGER = 2
    GENERAL_MANAGER = 3


# Request facts the rules look at, by value (their Django choices live in `fuwu.standards`).
LIVE_CHANNELS = frozenset({"phone", "walk_in"})  # answered while taken: first response met at registration
URGENT = "urgent"


@dataclass(frozen=True)
class Transition:
    move: Move
    source: Status
    target: Status


_S = Status
TRANSITIONS: tuple[Transition, ...] = (
    Transition(Move.ACCEPT, _S.NEW, _S.ACCEPTED),
    Transition(Move.START, _S.ACCEPTED, _S.IN_PROGRESS),
    Transition(Move.START, _S.REOPENED, _S.IN_PROGRESS),
    Transition(Move.WAIT_CUSTOMER, _S.IN_PROGRESS, _S.PENDING_CUSTOMER),
    Transition(Move.RESUME, _S.PENDING_CUSTOMER, _S.IN_PROGRESS),
    # Settled at first contact (一次办结) is NEW -> RESOLVED by the person who took the call.
    Transition(Move.RESOLVE, _S.NEW, _S.RESOLVED),
    Transition(Move.RESOLVE, _S.ACCEPTED, _S.RESOLVED),
    Transition(Move.RESOLVE, _S.IN_PROGRESS, _S.RESOLVED),
    Transition(Move.RESOLVE, _S.PENDING_CUSTOMER, _S.RESOLVED),
    Transition(Move.RESOLVE, _S.REOPENED, _S.RESOLVED),
    Transition(Move.CLOSE, _S.RESOLVED, _S.CLOSED),
    Transition(Move.REOPEN, _S.RESOLVED, _S.REOPENED),
    *(Transition(Move.CANCEL, source, _S.CANCELLED) for source in sorted(OPEN_STATUSES)),
)

# Keyed by the plain values: a str, a member of these enums or of the Django choices finds the same row.
_BY_SOURCE_AND_MOVE = {(t.source.value, t.move.value): t for t in TRANSITIONS}


def transition_for(source: str, move: str) -> Transition | None:
    """The row of the table for `move` from `source`; None when the move does not exist from there."""
    return _BY_SOURCE_AND_MOVE.get((source, move))


def moves_from(source: str) -> list[Move]:
    return [t.move for t in TRANSITIONS if t.source == source]


class Event(StrEnum):
    """The audit codes of what the core decides (values of `fuwu.tickets.codes.TicketAction`)."""

    REGISTERED = "ticket.registered"
    MOVED = "ticket.moved"
    HANDOVER_REQUESTED = "ticket.handover_requested"
    HANDOVER_ACCEPTED = "ticket.handover_accepted"
    HANDOVER_DECLINED = "ticket.handover_declined"
    REASSIGNED = "ticket.reassigned"
    TIER_CHANGED = "ticket.tier_changed"
    MARKED_MAJOR = "ticket.marked_major"
    REPEAT_CONTACT = "ticket.repeat_contact"
    FOLLOW_UP_ADDED = "ticket.follow_up_added"
    RECLASSIFIED = "ticket.reclassified"
    ARRIVED_ON_SITE = "ticket.arrived_on_site"
    SLA_WARNING = "ticket.sla_warning"
    SLA_BREACHED = "ticket.sla_breached"
    SLA_ESCALATED = "ticket.sla_escalated"
