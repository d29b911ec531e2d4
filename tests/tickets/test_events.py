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
