"""What apps above `tickets` hear of a request's life (docs/architecture.md, Layers).

Explicit calls, not signals: the action that moves a request or adds an entry calls `ticket_moved`
or `ticket_entry_added` inside its own transaction, after its rows and audit event are written. A
listener registered in a higher app's `AppConfig.ready` (a follow-up falls due on resolution, a
survey is sent, a reply is mailed to the customer) writes its own rows and outbox messages in the
same transaction, so they commit or roll back with the move.
"""

from collections.abc import Callable
from typing import Any

from fuwu.tickets.models import Entry, Ticket

MoveListener = Callable[[Any, Ticket, str], None]  # (actor, the moved ticket, the Move value)
EntryListener = Callable[[Any, Ticket, Entry], None]  # (actor, ticket, the new entry)
_move_listeners: list[MoveListener] = []
_entry_listeners: list[EntryListener] = []


def register_move_listener(listener: MoveListener) -> None:
    if listener not in _move_listeners:
        _move_listeners.append(listener)


def register_entry_listener(listener: EntryListener) -> None:
    if listener not in _entry_listeners:
        _entry_listeners.append(listener)


def ticket_moved(actor, ticket: Ticket, move: str) -> None:
    for listener in _move_listeners:
        listener(actor, ticket, move)


def ticket_entry_added(actor, ticket: Ticket, entry: Entry) -> None:
    for listener in _entry_listeners:
        listener(actor, ticket, entry)
