"""The ticket lifecycle (R4.1, DESIGN rule 3): statuses, tiers and the one transition table.

Who may make a move is decided by `fuwu.tickets.rules`; this module only says which moves exist.
"""

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    NEW = "new", _("New")  # registered, nobody has taken it on yet
    ACCEPTED = "accepted", _("Accepted")  # an owner has taken it on
    IN_PROGRESS = "in_progress", _("In progress")
    PENDING_CUSTOMER = "pending_customer", _("Pending customer")  # waiting for the customer
    RESOLVED = "resolved", _("Resolved")  # a resolution is recorded; awaiting confirmation
    REOPENED = "reopened", _("Reopened")  # the customer came back within the reopen window
    CLOSED = "closed", _("Closed")  # confirmed by the customer or closed automatically
    CANCELLED = "cancelled", _("Cancelled")  # withdrawn, by a manager, with a reason


OPEN_STATUSES = frozenset(
    {Status.NEW, Status.ACCEPTED, Status.IN_PROGRESS, Status.PENDING_CUSTOMER, Status.REOPENED}
)
FINAL_STATUSES = frozenset({Status.CLOSED, Status.CANCELLED})


class Tier(models.TextChoices):
    """R4.3: hotline answer -> remote service (with the customer's authorisation) -> on site."""

    HOTLINE = "hotline", _("Hotline")
    REMOTE = "remote", _("Remote")
    ONSITE = "onsite", _("On site")


class Move(models.TextChoices):
    """The named moves; each is one or more rows of the table below."""

    ACCEPT = "accept", _("Accept")
    START = "start", _("Start work")
    WAIT_CUSTOMER = "wait_customer", _("Wait for customer")
    RESUME = "resume", _("Resume")
    RESOLVE = "resolve", _("Resolve")
    CLOSE = "close", _("Close")
    REOPEN = "reopen", _("Reopen")
    CANCEL = "cancel", _("Cancel")


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

_BY_SOURCE_AND_MOVE = {(t.source, t.move): t for t in TRANSITIONS}


def transition_for(source: str, move: str) -> Transition | None:
    return _BY_SOURCE_AND_MOVE.get((Status(source), Move(move)))


def moves_from(source: str) -> list[Move]:
    return [t.move for t in TRANSITIONS if t.source == source]


# The tiers go up one step at a time; going back down is allowed (the matter turned out simpler).
TIER_ORDER = (Tier.HOTLINE, Tier.REMOTE, Tier.ONSITE)
