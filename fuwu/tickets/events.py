"""What apps above `tickets` hear of a request's life (docs/architecture.md, Layers).

Explicit calls, not signals: the action that moves a request or adds an entry calls `ticket_moved`
or `ticket_entry_added` inside its own transaction, after its rows and audit event are written. A
listener registered in a higher app's `AppConfig.ready` (a follow-up falls due on resolution, a
survey is sent, a reply is mailed to the customer) writes its own rows and outbox messages in the
same transaction, so they commit or roll back with the move.
"""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from fuwu.tickets.models import Entry, Ticket

MoveListener = Callable[[Any, Ticket, str], None]  # (actor, the moved ticket, the Move value)
EntryListener = Callable[[Any, Ticket, Entry], None]  # (actor, ticket, the new entry)
RegistrationListener = Callable[[Any, Ticket], bool | None]  # (actor, the new ticket) -> moved it
# (the locked ticket, the Move value: resolve or close) -> why it may not end yet, or None.
CloseGuard = Callable[[Ticket, str], str | None]
_move_listeners: list[MoveListener] = []
_entry_listeners: list[EntryListener] = []
_registration_listeners: list[RegistrationListener] = []
_close_guards: list[CloseGuard] = []
_replaying = ContextVar("fuwu_tickets_replaying_history", default=False)


def register_move_listener(listener: MoveListener) -> None:
    if listener not in _move_listeners:
        _move_listeners.append(listener)


def register_entry_listener(listener: EntryListener) -> None:
    if listener not in _entry_listeners:
        _entry_listeners.append(listener)


def register_registration_listener(listener: RegistrationListener) -> None:
    """Called by `ticket_register` once the request is registered — settled at first contact and marked
    major where asked — in its transaction (a complaint record opens for a complaint-kind request). A
    listener that moves the request itself returns True."""
    if listener not in _registration_listeners:
        _registration_listeners.append(listener)


def register_close_guard(guard: CloseGuard) -> None:
    """A higher app that must finish its own work before a request ends (a complaint's investigation
    and the customer's answer) says why not; `ticket_move` refuses resolve and close while it does."""
    if guard not in _close_guards:
        _close_guards.append(guard)


@contextmanager
def replaying_history() -> Iterator[None]:
    """While the demo replays a past year through the actions, registration listeners and close guards
    stay silent, as under the bulk loader: each higher app's own demo step fills its rows afterwards."""
    token = _replaying.set(True)
    try:
        yield
    finally:
        _replaying.reset(token)


def ticket_registered(actor, ticket: Ticket) -> bool:
    """Tell the listeners; True when one of them moved the request (its caller reads it again)."""
    if _replaying.get():
        return False
    moved = False
    for listener in _registration_listeners:
        moved = bool(listener(actor, ticket)) or moved
    return moved


def close_refusal(ticket: Ticket, move: str) -> str | None:
    """The first reason a registered guard gives why `ticket` may not be resolved or closed, or None."""
    if _replaying.get():
        return None
    for guard in _close_guards:
        reason = guard(ticket, move)
        if reason:
            return reason
    return None


def ticket_moved(actor, ticket: Ticket, move: str) -> None:
    for listener in _move_listeners:
        listener(actor, ticket, move)


def ticket_entry_added(actor, ticket: Ticket, entry: Entry) -> None:
    for listener in _entry_listeners:
        listener(actor, ticket, entry)
