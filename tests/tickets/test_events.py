"""Apps above tickets hear of moves and entries inside the action's transaction (fuwu/tickets/events.py)."""

import pytest
from django.db import transaction

from fuwu.tickets import events
from fuwu.tickets.actions import ticket_add_entry
from fuwu.tickets.lifecycle import Move, Status
from fuwu.tickets.models import Entry, Ticket
from tests.factories import make_ticket

pytestmark = pytest.mark.django_db


@pytest.fixture
def heard(monkeypatch):
    heard = []
    monkeypatch.setattr(events, "_move_listeners", [lambda actor, t, move: heard.append(("moved", t.status, move))])
    monkeypatch.setattr(events, "_entry_listeners",
                        [lambda actor, t, entry: heard.append(("entry", entry.kind, entry.body))])
    return heard


def test_a_listener_hears_the_resolution_with_the_request_already_resolved(agent, heard):
    make_ticket(agent, title="咨询保修政策", settle_with_resolution="已告知保修期三年")
    assert heard == [("moved", Status.RESOLVED, Move.RESOLVE)]


def test_a_listener_hears_each_entry(agent, heard):
    ticket = make_ticket(agent, title="打印机卡纸")
    ticket_add_entry(actor=agent, ticket=ticket, kind=Entry.Kind.NOTE, body="<p>已致电</p>")
    assert heard == [("entry", Entry.Kind.NOTE, "<p>已致电</p>")]


def test_a_failing_listener_rolls_the_move_back(agent, monkeypatch):
    def refuse(actor, ticket, move):
        raise RuntimeError("listener failed")

    monkeypatch.setattr(events, "_move_listeners", [refuse])
    with pytest.raises(RuntimeError), transaction.atomic():
        make_ticket(agent, title="咨询保修政策", settle_with_resolution="已告知保修期三年")
    assert not Entry.objects.exists()
    assert not Ticket.objects.exists()


def test_a_registration_listener_hears_the_request_as_registered(agent, monkeypatch):
    heard = []
    monkeypatch.setattr(events, "_registration_listeners",
                        [lambda actor, t: heard.append((actor.pk, t.number, t.status, t.is_major))])
    ticket = make_ticket(agent, title="咨询保修政策", settle_with_resolution="已告知保修期三年", major=True)
    assert heard == [(agent.pk, ticket.number, Status.RESOLVED, True)]


def test_a_close_guard_refuses_resolve_and_close_with_its_reason(agent, monkeypatch):
    from fuwu.core.errors import InvalidInput
    from fuwu.tickets.actions import ticket_move
    from fuwu.tickets.codes import TicketError

    asked = []

    def guard(ticket, move):
        asked.append(move)
        return "投诉尚未调查" if ticket.title == "投诉" else None

    monkeypatch.setattr(events, "_close_guards", [guard])
    guarded = make_ticket(agent, title="投诉")
    with pytest.raises(InvalidInput) as refused:
        ticket_move(actor=agent, ticket=guarded, expected_version=None, move=Move.RESOLVE, resolution="已处理")
    assert refused.value.code == TicketError.CLOSE_REFUSED
    assert refused.value.errors == {"resolution": ["投诉尚未调查"]}
    guarded.refresh_from_db()
    assert guarded.status == Status.NEW
    free = make_ticket(agent, title="咨询")
    ticket_move(actor=agent, ticket=free, expected_version=None, move=Move.RESOLVE, resolution="已答复")
    assert asked == [Move.RESOLVE, Move.RESOLVE]


def test_replaying_history_silences_registration_listeners_and_close_guards(agent, monkeypatch):
    from fuwu.core.errors import InvalidInput

    heard = []
    monkeypatch.setattr(events, "_registration_listeners", [lambda actor, t: heard.append(t.pk)])
    monkeypatch.setattr(events, "_close_guards", [lambda t, move: "不可关闭"])
    with events.replaying_history():
        ticket = make_ticket(agent, title="投诉", settle_with_resolution="已处理")
    assert heard == []
    assert ticket.status == Status.RESOLVED
    with pytest.raises(InvalidInput) as refused:
        make_ticket(agent, title="投诉", settle_with_resolution="已处理")
    assert refused.value.errors == {"resolution": ["不可关闭"]}
