"""Demo service requests at scale (`manage.py seed_demo --tickets 1000000 --fast`): a year in minutes.

`fuwu.tickets.demo` lives each request through the actions, which is right for a demo of a few
thousand and far too slow for a million (a few hundred requests a second). This package simulates
the same year (the same branches and waits as `DemoTicketGenerator.life`) and writes the rows the
actions would have written, directly: binary COPY on PostgreSQL (psycopg's `cursor.copy`), large
multi-row inserts on SQLite. The requests are simulated in chunks by worker processes, one per
core, while the parent writes and chains what they send back.

What it writes for each request, as the actions do:

- the ticket row in its final state (status, owner, group, tier, version, times, arrival on
  site, `sla_due_at` / `sla_state` as `fuwu.tickets.clocks.refresh_ticket` leaves them), numbered
  FW-<year>-NNNNNN in registration order;
- its hand-overs (accepted or declined, with the reason), repeat contacts and follow-up entries;
- its SLA clocks as `fuwu.tickets.clocks` drives them (first response, hand-over acceptance,
  on-site arrival, resolution, follow-up; R10.4, R4.4, R3.3) under the targets
  `fuwu.standards.sla.targets_for` picks, with due and warning instants from the calendars'
  business clocks, pauses while waiting for the customer, met / stopped / breached consistent
  with the times; and what the minute-by-minute breach watch would have done to them (warnings,
  breaches, escalations: `SlaEscalation` rows and their events);
- its audit events with the actions' payloads, appended to the hash chain in time order after
  the events already recorded, under the chain lock, so `manage.py verify_audit` passes.

What it does not write: outbox rows and notifications (delivery state of the past, not the
record). Customers and staff are made before, through their actions. Deterministic for a seed
(and the end of the year, and what the database held before), whatever the number of processes.
Fields the simulation does not know (added later) get their model default; a field without one
stops it with a clear error. On PostgreSQL, the loaded tables' secondary indexes and foreign keys
are set aside during the load and put back (and so checked) at the end, in the same transaction.

The modules, in the order the data flows:

- `world`: what the simulation reads from the database, once, before any worker starts;
- `simulation` (requests, hand-overs, moves), `clocks` (SLA clocks and the breach watch),
  `business` (calendars' business time in integer microseconds), `records`, `instants`;
- `encoding`: the row layouts, and a simulated chunk as COPY data or SQLite rows;
- `pool`: the worker processes, and the ids each chunk starts from;
- `writer`: the rows to the database; `seeder`: the whole load in one transaction, the audit chain.
"""

from fuwu.tickets.bulkload.seeder import seed_tickets_fast

__all__ = ["seed_tickets_fast"]
