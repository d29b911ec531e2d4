"""Builders for the ticket tests: a cast of staff, and tickets brought into each status through the actions."""

import itertools
from dataclasses import dataclass

from django.contrib.auth import get_user_model

from fuwu.org import actions as org_actions
from fuwu.org.models import Group
from fuwu.org.roles import Role
from fuwu.tickets.actions import ticket_move, ticket_reassign
from fuwu.tickets.lifecycle import Move, Status
from fuwu.tickets.models import Ticket
from tests.factories import PASSWORD, fake, make_staff, make_ticket

_n = itertools.count(1)


def staff_in(role: str | Role, group_code: str | None, **kwargs):
    """A login holding `role` in the group `group_code` (make_staff picks the usual group per role)."""
    n = next(_n)
    profile = org_actions.staff_create(
        actor=None,
        username=f"{Role(role).value}-{group_code or 'none'}-{n}",
        password=PASSWORD,
        full_name=fake.name(),
        roles=[Role(role)],
        employee_no=f"W{n:05d}",
        group=Group.objects.get(code=group_code) if group_code else None,
        **kwargs,
    )
    return get_user_model().objects.get(pk=profile.user_id)


@dataclass
class Cast:
    """Everyone the transition matrix asks about, around a ticket owned in the repair group."""

    owner: object  # an agent who owns the ticket (placed in the repair group by the manager)
    first_responsible: object  # the agent who took the call, no longer the owner
    other_agent: object
    tech_in_group: object  # technician of the ticket's group (repair)
    tech_other_group: object
    manager: object
    quality_supervisor: object
    general_manager: object
    finance: object


ROLES = [
    "owner", "first_responsible", "other_agent", "tech_in_group", "tech_other_group", "manager",
    "quality_supervisor", "general_manager", "finance",
]


def make_cast() -> Cast:
    return Cast(
        owner=staff_in(Role.AGENT, "repair"),
        first_responsible=make_staff(Role.AGENT),
        other_agent=make_staff(Role.AGENT),
        tech_in_group=make_staff(Role.TECHNICIAN),
        tech_other_group=staff_in(Role.TECHNICIAN, "tech_support"),
        manager=make_staff(Role.MANAGER),
        quality_supervisor=make_staff(Role.QUALITY_SUPERVISOR),
        general_manager=make_staff(Role.GENERAL_MANAGER),
        finance=make_staff(Role.FINANCE),
    )


# The moves (by the owner, or the manager for cancel) that bring a NEW ticket into each status.
PATHS: dict[Status, list[Move]] = {
    Status.NEW: [],
    Status.ACCEPTED: [Move.ACCEPT],
    Status.IN_PROGRESS: [Move.ACCEPT, Move.START],
    Status.PENDING_CUSTOMER: [Move.ACCEPT, Move.START, Move.WAIT_CUSTOMER],
    Status.RESOLVED: [Move.ACCEPT, Move.START, Move.RESOLVE],
    Status.REOPENED: [Move.ACCEPT, Move.START, Move.RESOLVE, Move.REOPEN],
    Status.CLOSED: [Move.ACCEPT, Move.START, Move.RESOLVE, Move.CLOSE],
    Status.CANCELLED: [Move.CANCEL],
}


def move(actor, ticket: Ticket, name: str, **kwargs) -> Ticket:
    kwargs.setdefault("resolution", "已更换压缩机电容，制冷恢复正常")
    kwargs.setdefault("reason", "客户来电说明情况")
    return ticket_move(actor=actor, ticket=ticket, expected_version=ticket.version, move=name, **kwargs)


def ticket_in_status(cast: Cast, status: Status, **fields) -> Ticket:
    """Registered by the first-responsible agent, placed with the owner in repair by the manager, then moved."""
    ticket = make_ticket(cast.first_responsible, "consultation", **fields)
    ticket = ticket_reassign(
        actor=cast.manager, ticket=ticket, expected_version=ticket.version,
        to_group=Group.objects.get(code="repair"), to_user=cast.owner, note="转维修组跟进",
    )
    for name in PATHS[status]:
        ticket = move(cast.manager if name == Move.CANCEL else cast.owner, ticket, name)
    assert ticket.status == status
    return ticket
