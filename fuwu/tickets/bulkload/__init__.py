"""Demo service requests at scale (`manage.py seed_demo --tickets 1000000 --fast`): a year in minutes.

`fuwu.tickets.demo` plays the demo year's script (`fuwu.tickets.demo_script`) through the actions,
which is right for a demo of a few thousand and far too slow for a million (a few hundred requests
a second). This package plays the same script through the same workflow core
(`fuwu.tickets.workflow`: the moves, the SLA clocks, the breach watch, the payloads) and only
writes differently: binary COPY on PostgreSQL (psycopg's `cursor.copy`), large multi-row inserts
on SQLite. The requests are lived in chunks by worker processes, one per core, while the parent
writes and chains what they send back.

What it writes for each request, as the actions do: the ticket row in its final state (numbered
FW-<year>-NNNNNN in registration order, with the queue columns the core computes); its
hand-overs, repeat contacts and follow-up entries; its SLA clocks with their pauses and what the
minute-by-minute breach watch would have done to them (`SlaEscalation` rows and their events);
its audit events with the core's payloads, appended to the hash chain in time order after the
events already recorded, under the chain lock, so `manage.py verify_audit` passes.

What it does not write: outbox rows and notifications (delivery state of the past, not the
record). Customers and staff are made before, through their actions. Deterministic for a seed
(and the end of the year, and what the database held before), whatever the number of processes.
Fields it does not know (added later) get their model default; a field without one stops it with
a clear error. On PostgreSQL, the loaded tables' secondary indexes and foreign keys are set aside
during the load and put back (and so checked) at the end, in the same transaction.

The modules, in the order the data flows:

- `world`: what the load reads from the database, once, before any worker starts (staff, targets
  as the core's `Target`s, each calendar's `fuwu.standards.businesstime.MicroClock`);
- `simulation`: the script's player on the core, with the breach watch replayed; `records`, `instants`;
- `encoding`: the row layouts, and a lived chunk as COPY data or SQLite rows;
- `pool`: the worker processes, and the ids each chunk starts from;
- `writer`: the rows to the database; `seeder`: the whole load in one transaction, the audit chain.
"""

from fuwu.tickets.bulkload.seeder import seed_tickets_fast

__all__ = ["seed_tickets_fast"]
