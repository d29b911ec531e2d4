"""The ticket lifecycle (R4.1) as Django choices: statuses, tiers and moves with their labels.

The values and the one transition table are the workflow core's (`fuwu.tickets.workflow.states`);
these choices give them translated labels for models, forms and pages (a test holds both equal).
Who may make a move is decided by `fuwu.tickets.rules`.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from fuwu.tickets.workflow.states import (
    FINAL_STATUSES,
    OPEN_STATUSES,
    TIER_ORDER,
    TRANSITIONS,
    Transition,
    transition_for,
)
from fuwu.tickets.workflow.states import moves_from as _core_moves_from


class Status(models.TextChoices):
    NEW = "new", _("New")  # registered, nobody has taken it on yet
    ACCEPTED = "accepted", _("Accepted")  # an owner has taken it on
    IN_PROGRESS = "in_progress", _("In progress")
    PENDING_CUSTOMER = "pending_customer", _("Pending customer")  # waiting for the customer
    RESOLVED = "resolved", _("Resolved")  # a resolution is recorded; awaiting confirmation
    REOPENED = "reopened", _("Reopened")  # the customer came back within the reopen window
    CLOSED = "closed", _("Closed")  # confirmed by the customer or closed automatically
    CANCELLED = "cancelled", _("Cancelled")  # withdrawn, by a manager, with a reason


class Tier(models.TextChoices):
    """R4.3: hotline answer -> remote service (with the customer's authorisation) -> on site."""

    HOTLINE = "hotline", _("Hotline")
    REMOTE = "remote", _("Remote")
    ONSITE = "onsite", _("On site")


class Move(models.TextChoices):
    """The named moves; each is one or more rows of the table."""

    ACCEPT = "accept", _("Accept")
    START = "start", _("Start work")
    WAIT_CUSTOMER = "wait_customer", _("Wait for customer")
    RESUME = "resume", _("Resume")
    RESOLVE = "resolve", _("Resolve")
    CLOSE = "close", _("Close")
    REOPEN = "reopen", _("Reopen")
    CANCEL = "cancel", _("Cancel")


def moves_from(source: str) -> list[Move]:
    """The moves from `source` as choices, with the labels the pages show on their buttons."""
    return [Move(m.value) for m in _core_moves_from(source)]


__all__ = ["FINAL_STATUSES", "OPEN_STATUSES", "TIER_ORDER", "TRANSITIONS", "Move", "Status", "Tier", "Transition",
           "moves_from", "transition_for"]
