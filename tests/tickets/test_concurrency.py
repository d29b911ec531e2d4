"""Concurrent edits (docs/architecture.md, rule 3): the row lock and version check, and the number sequence,
under real threads.

Only on PostgreSQL: SQLite has one write lock for the whole database, so writers never overlap there.
"""

import re

from django.core.management import call_command

from fuwu.core.errors import Conflict
from fuwu.org.roles import Role
from fuwu.tickets.actions import ticket_move
from fuwu.tickets.lifecycle import Move, Status
from fuwu.tickets.models import Ticket
from tests.concurrency import POSTGRES_ONLY, run_together
from tests.factories import make_staff, make_ticket
from tests.tickets.workflow import make_cast, ticket_in_status

pytestmark = POSTGRES_ONLY


def test_conflicting_moves_with_the_same_version_one_wins_one_conflicts():
    cast = make_cast()
    ticket = ticket_in_status(cast, Status.ACCEPTED)
    version = ticket.version
    results = run_together([
        lambda: ticket_move(actor=cast.owner, ticket=ticket, expected_version=version, move=Move.START),
        lambda: ticket_move(actor=cast.manager, ticket=ticket, expected_version=version, move=Move.CANCEL,
                            reason="客户撤回"),
    ])
    outcomes = sorted(kind for kind, _ in results)
    assert outcomes == ["error", "ok"], results
    (winner,) = [value for kind, value in results if kind == "ok"]
    (error,) = [value for kind, value in results if kind == "error"]
    assert isinstance(error, Conflict), error
    assert error.data["current_version"] == version + 1
    stored = Ticket.objects.get(pk=ticket.pk)
    assert (stored.status, stored.version) == (winner.status, version + 1)
    assert stored.status in (Status.IN_PROGRESS, Status.CANCELLED)
    call_command("verify_audit")


def test_concurrent_registrations_get_distinct_consecutive_numbers():
    agents = [make_staff(Role.AGENT) for _ in range(4)]
    results = run_together([
        (lambda a=agents[i % 4], n=i: make_ticket(a, title=f"并发登记{n}")) for i in range(20)
    ])
    assert all(kind == "ok" for kind, _ in results), [v for k, v in results if k != "ok"]
    numbers = [value.number for _, value in results]
    assert len(set(numbers)) == 20
    serials = sorted(int(re.fullmatch(r"FW-\d{4}-(\d{6})", n).group(1)) for n in numbers)
    assert serials == list(range(serials[0], serials[0] + 20))
    assert Ticket.objects.count() == 20
    call_command("verify_audit")
