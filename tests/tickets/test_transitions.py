"""The ticket lifecycle (R4.1, docs/architecture.md, rule 3): every status × every move × every role."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from fuwu.core.errors import InvalidInput
from fuwu.core.models import AuditEvent
from fuwu.org.models import Group
from fuwu.tickets.actions import MoveNotAllowed, ticket_reassign, tickets_auto_close
from fuwu.tickets.lifecycle import Move, Status
from fuwu.tickets.models import Ticket
from tests.factories import make_staff
from tests.tickets.workflow import ROLES, make_cast, move, ticket_in_status

pytestmark = pytest.mark.django_db

S, M = Status, Move
# Written out from R4.1 rather than read from `lifecycle.TRANSITIONS`, so a change to the table shows here.
EXPECTED_TARGET = {
    (S.NEW, M.ACCEPT): S.ACCEPTED,
    (S.NEW, M.RESOLVE): S.RESOLVED,  # settled at first contact (一次办结)
    (S.NEW, M.CANCEL): S.CANCELLED,
    (S.ACCEPTED, M.START): S.IN_PROGRESS,
    (S.ACCEPTED, M.RESOLVE): S.RESOLVED,
    (S.ACCEPTED, M.CANCEL): S.CANCELLED,
    (S.IN_PROGRESS, M.WAIT_CUSTOMER): S.PENDING_CUSTOMER,
    (S.IN_PROGRESS, M.RESOLVE): S.RESOLVED,
    (S.IN_PROGRESS, M.CANCEL): S.CANCELLED,
    (S.PENDING_CUSTOMER, M.RESUME): S.IN_PROGRESS,
    (S.PENDING_CUSTOMER, M.RESOLVE): S.RESOLVED,
    (S.PENDING_CUSTOMER, M.CANCEL): S.CANCELLED,
    (S.RESOLVED, M.CLOSE): S.CLOSED,
    (S.RESOLVED, M.REOPEN): S.REOPENED,
    (S.REOPENED, M.START): S.IN_PROGRESS,
    (S.REOPENED, M.RESOLVE): S.RESOLVED,
    (S.REOPENED, M.CANCEL): S.CANCELLED,
}
# Who may make which move on a ticket they meet in the matrix (R3.3: the first-responsible person
# stays accountable and may confirm or reopen; only a manager cancels; supervision works nothing).
MAY = {
    "owner": set(Move) - {M.CANCEL},
    "first_responsible": {M.CLOSE, M.REOPEN},
    "manager": set(Move),
}


class _Undo(Exception):
    """Raised to roll an allowed move back, so the next move starts from the same status."""


def _state(ticket: Ticket) -> tuple:
    t = Ticket.objects.get(pk=ticket.pk)
    return t.status, t.version, t.owner_id, t.group_id, t.resolution, t.resolved_at, t.closed_at


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("status", list(Status))
def test_transition_matrix(status, role):
    cast = make_cast()
    ticket = ticket_in_status(cast, status)
    actor = getattr(cast, role)
    for name in Move:
        target = EXPECTED_TARGET.get((status, name))
        before, events_before = _state(ticket), AuditEvent.objects.count()
        if target is not None and name in MAY.get(role, set()):
            try:
                with transaction.atomic():
                    moved = move(actor, ticket, name)
                    assert moved.status == target, (status, name, role)
                    assert moved.version == ticket.version + 1
                    event = AuditEvent.objects.for_object(ticket).order_by("-id").first()
                    assert event.action == "ticket.moved" and event.actor_id == actor.pk
                    assert (event.payload["from"], event.payload["to"], event.payload["move"]) == (
                        status, target, name)
                    raise _Undo
            except _Undo:
                pass
        else:
            with pytest.raises(MoveNotAllowed) as excinfo:
                move(actor, ticket, name)
            assert excinfo.value.code == f"move_not_allowed.{name}", (status, name, role)
            assert excinfo.value.status == 403
            assert _state(ticket) == before, (status, name, role)
            assert AuditEvent.objects.count() == events_before


def test_group_member_takes_an_unowned_ticket(agent, manager):
    cast = make_cast()
    ticket = ticket_in_status(cast, Status.NEW)
    ticket = ticket_reassign(actor=manager, ticket=ticket, expected_version=ticket.version,
                             to_group=Group.objects.get(code="repair"), to_user=None, note="由维修组认领")
    assert ticket.owner_id is None
    with pytest.raises(MoveNotAllowed):
        move(cast.tech_other_group, ticket, Move.ACCEPT)
    accepted = move(cast.tech_in_group, ticket, Move.ACCEPT)
    assert (accepted.status, accepted.owner_id) == (Status.ACCEPTED, cast.tech_in_group.pk)


@pytest.mark.parametrize(
    ("status", "name", "field"),
    [(S.IN_PROGRESS, M.RESOLVE, "resolution"), (S.ACCEPTED, M.CANCEL, "reason"), (S.RESOLVED, M.REOPEN, "reason")],
)
def test_resolve_needs_a_resolution_cancel_and_reopen_a_reason(status, name, field):
    cast = make_cast()
    ticket = ticket_in_status(cast, status)
    before = _state(ticket)
    actor = cast.manager if name == M.CANCEL else cast.owner
    with pytest.raises(InvalidInput) as excinfo:
        move(actor, ticket, name, **{field: "   "})
    assert field in excinfo.value.errors
    assert _state(ticket) == before


def test_resolve_records_resolution_and_time_and_reopen_clears_the_time():
    cast = make_cast()
    ticket = ticket_in_status(cast, Status.RESOLVED)
    assert ticket.resolution and ticket.resolved_at is not None
    event = AuditEvent.objects.for_object(ticket).filter(action="ticket.moved", payload__to="resolved").get()
    assert event.payload["resolution"] == ticket.resolution
    reopened = move(cast.first_responsible, ticket, Move.REOPEN, reason="客户反映仍不制冷")
    assert reopened.resolved_at is None
    assert AuditEvent.objects.for_object(ticket).order_by("-id").first().payload["reason"] == "客户反映仍不制冷"


def _resolved_ago(ticket: Ticket, delta: timedelta) -> Ticket:
    """Time travel: the ticket was resolved `delta` ago."""
    Ticket.objects.filter(pk=ticket.pk).update(resolved_at=timezone.now() - delta)
    return Ticket.objects.get(pk=ticket.pk)


def test_reopen_only_within_the_reopen_period(settings):
    settings.FUWU_REOPEN_DAYS = 3
    cast = make_cast()
    inside = _resolved_ago(ticket_in_status(cast, Status.RESOLVED), timedelta(days=2, hours=23))
    assert move(cast.owner, inside, Move.REOPEN).status == Status.REOPENED

    outside = _resolved_ago(ticket_in_status(cast, Status.RESOLVED), timedelta(days=3, minutes=1))
    with pytest.raises(InvalidInput) as excinfo:
        move(cast.owner, outside, Move.REOPEN)
    assert excinfo.value.code == "reopen_window_closed"
    assert Ticket.objects.get(pk=outside.pk).status == Status.RESOLVED

    settings.FUWU_REOPEN_DAYS = 10
    assert move(cast.owner, outside, Move.REOPEN).status == Status.REOPENED


def test_auto_close_closes_old_resolved_tickets_exactly_once(settings):
    settings.FUWU_AUTO_CLOSE_DAYS = 3
    cast = make_cast()
    old = _resolved_ago(ticket_in_status(cast, Status.RESOLVED), timedelta(days=4))
    recent = _resolved_ago(ticket_in_status(cast, Status.RESOLVED), timedelta(days=2))
    still_open = ticket_in_status(cast, Status.IN_PROGRESS)

    assert tickets_auto_close(older_than_days=settings.FUWU_AUTO_CLOSE_DAYS) == 1
    old.refresh_from_db()
    assert old.status == Status.CLOSED and old.closed_at is not None
    event = AuditEvent.objects.for_object(old).order_by("-id").first()
    assert event.actor_id is None
    assert event.payload == {"move": "close", "from": "resolved", "to": "closed", "automatic": True}
    assert Ticket.objects.get(pk=recent.pk).status == Status.RESOLVED
    assert Ticket.objects.get(pk=still_open.pk).status == Status.IN_PROGRESS

    events = AuditEvent.objects.count()
    assert tickets_auto_close(older_than_days=settings.FUWU_AUTO_CLOSE_DAYS) == 0
    assert AuditEvent.objects.count() == events
    call_command("verify_audit")


def test_a_stale_version_is_a_conflict():
    from fuwu.core.errors import Conflict
    from fuwu.tickets.actions import ticket_move

    cast = make_cast()
    ticket = ticket_in_status(cast, Status.ACCEPTED)
    stale = ticket.version
    move(cast.owner, ticket, Move.START)
    with pytest.raises(Conflict) as excinfo:
        ticket_move(actor=cast.manager, ticket=ticket, expected_version=stale, move=Move.CANCEL, reason="重复")
    assert excinfo.value.data["status"] == Status.IN_PROGRESS
    assert Ticket.objects.get(pk=ticket.pk).status == Status.IN_PROGRESS


def test_moves_keep_the_audit_chain_valid():
    cast = make_cast()
    for status in Status:
        ticket_in_status(cast, status)
    make_staff("agent")
    call_command("verify_audit")
