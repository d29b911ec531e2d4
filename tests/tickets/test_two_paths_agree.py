"""One year, two players (docs/architecture.md, "Service requests"): the demo script played through the
actions (`fuwu.tickets.demo`) and through the workflow core and the bulk loader (`fuwu.tickets.bulkload`)
writes the same requests, hand-overs, clocks, pauses, escalations, entries and audit payloads, field by
field (database ids, chain hashes and seals aside). R3.3, R4.1, R4.3, R4.4, R4.9, R10.4."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from fuwu.core.models import AuditEvent
from fuwu.tickets.bulkload import seed_tickets_fast
from fuwu.tickets.demo import seed_tickets
from fuwu.tickets.models import Entry, Handover, RepeatContact, SlaClock, SlaClockPause, SlaEscalation, Ticket

pytestmark = pytest.mark.django_db

REQUESTS = 250
SEED = 11


def _rows(model, *order: str, skip: tuple[str, ...] = ()) -> list[dict]:
    fields = [f.attname for f in model._meta.concrete_fields if f.attname not in ("id", *skip)]
    return list(model.objects.order_by(*order, "id").values(*fields, "id"))


def snapshot() -> dict:
    """Every row the year wrote, keyed by natural keys instead of ids."""
    numbers = dict(Ticket.objects.values_list("id", "number"))
    handovers = {h["id"]: (numbers[h["ticket_id"]], h["created_at"]) for h in _rows(Handover, "created_at")}
    clocks = {c["id"]: (numbers[c["ticket_id"]], c["kind"], c["started_at"]) for c in _rows(SlaClock, "started_at")}
    entries = {e["id"]: (numbers[e["ticket_id"]], e["created_at"]) for e in _rows(Entry, "created_at")}
    repeats = {r["id"]: (numbers[r["ticket_id"]], r["received_at"]) for r in _rows(RepeatContact, "received_at")}
    natural = {"handover_id": handovers, "clock": clocks, "entry_id": entries, "repeat_id": repeats}

    def keyed(row: dict, **refs) -> dict:
        row = {k: v for k, v in row.items() if k != "id"}
        for name, table in refs.items():
            row[name] = table.get(row[name], row[name]) if row[name] is not None else None
        return row

    def payload(value: dict) -> dict:
        return {k: natural[k].get(v, v) if k in natural else v for k, v in value.items()}

    events = [
        {**keyed(e), "object_id": numbers[int(e["object_id"])], "payload": payload(e["payload"])}
        for e in _rows(AuditEvent, "occurred_at", skip=("prev_hash", "hash", "seal"))
        if e["object_type"] == "tickets.ticket"
    ]
    return {
        "tickets": {t["number"]: keyed(t) for t in _rows(Ticket, "number")},
        "handovers": [keyed(h, ticket_id=numbers) for h in _rows(Handover, "ticket_id", "created_at")],
        "clocks": sorted((keyed(c, ticket_id=numbers, handover_id=handovers) for c in _rows(SlaClock, "started_at")),
                         key=lambda c: (c["ticket_id"], c["started_at"], c["kind"])),
        "pauses": sorted((keyed(p, clock_id=clocks) for p in _rows(SlaClockPause, "started_at")),
                         key=lambda p: (p["clock_id"], p["started_at"])),
        "escalations": sorted((keyed(e, clock_id=clocks) for e in _rows(SlaEscalation, "at")),
                              key=lambda e: (e["clock_id"], e["level"])),
        "entries": sorted((keyed(e, ticket_id=numbers) for e in _rows(Entry, "created_at")),
                          key=lambda e: (e["ticket_id"], e["created_at"])),
        "repeats": sorted((keyed(r, ticket_id=numbers) for r in _rows(RepeatContact, "received_at")),
                          key=lambda r: (r["ticket_id"], r["received_at"])),
        # Steps of one watch run share an instant; their order in the chain is not part of the record.
        "events": sorted(events, key=lambda e: (e["object_id"], e["occurred_at"], e["action"], repr(e["payload"]))),
    }


def played(player) -> dict:
    with transaction.atomic():
        player()
        found = snapshot()
        transaction.set_rollback(True)
    return found


def test_the_actions_and_the_bulk_loader_write_the_same_year():
    call_command("seed_demo", customers=60, staff=12, tickets=0, year_only=True,
                 stdout=StringIO())  # staff, customers, policies
    now = timezone.now()
    slow = played(lambda: seed_tickets(seed=SEED, count=REQUESTS))
    fast = played(lambda: seed_tickets_fast(seed=SEED, count=REQUESTS, now=now, processes=0))
    assert len(slow["tickets"]) == REQUESTS
    # The year exercised every path: hand-overs declined and accepted, pauses, breaches and escalations.
    assert {h["state"] for h in slow["handovers"]} >= {Handover.State.ACCEPTED, Handover.State.DECLINED}
    assert slow["pauses"] and {e["level"] for e in slow["escalations"]} >= {0, 1, 2}
    assert {e["action"] for e in slow["events"]} >= {"ticket.tier_changed", "ticket.sla_breached",
                                                      "ticket.arrived_on_site", "ticket.follow_up_added"}
    for table in slow:
        if table == "tickets":
            for number, row in slow["tickets"].items():
                assert fast["tickets"][number] == row, number
        else:
            assert len(fast[table]) == len(slow[table]), table
            for ours, theirs in zip(slow[table], fast[table], strict=True):
                assert theirs == ours, table
