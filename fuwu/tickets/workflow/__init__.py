"""The service request workflow as a pure core (R3.3, R4.1, R4.3, R4.4, R10.4; docs/architecture.md).

No Django, no database: plain enums and dataclasses, instants in integer microseconds.

- `states`: statuses, tiers, moves, clock kinds and states, the transition table;
- `clocks`: an SLA clock and what can happen to it (start, pause, resume, meet, stop, retarget);
- `case`: a request with its clocks, and each change to it (registration, moves, hand-overs, tiers,
  arrival, follow-up, reclassification), returning the audit payloads;
- `watch`: the breach watch's steps (warning, breach, manager, general manager).

The ticket actions load a `Case` from rows and write back what changed (`fuwu.tickets.cases`);
the bulk demo loader (`fuwu.tickets.bulkload`) lives its requests through the same `Case`.
"""
