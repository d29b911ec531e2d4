"""The lifecycle of a work order (维修工单) as plain values and one transition table (R5.1, R4.4).

No Django import, like `fuwu/tickets/workflow/`: `fuwu/fieldservice/actions.py` asks `transition_for`
whether a move exists, and `who_moves` which side of the work may make it; the models give the
same values Django choices with labels (a test holds them equal).

created -> scheduled -> dispatched -> (accepted by the technician) en route -> on site -> diagnosed
-> repairing -> testing -> completed (the customer signs) -> reported (to the manager). A visit that
cannot fix it ends in "revisit needed" or "waiting for parts", with a reason, and the next visit is
scheduled from there. A technician who declines sends it back to be scheduled again.
"""

from dataclasses import dataclass
from enum import StrEnum


class WorkOrderStatus(StrEnum):
    CREATED = "created"
    SCHEDULED = "scheduled"  # an appointment with a technician is agreed
    DISPATCHED = "dispatched"  # sent to the technician, who accepts or declines
    EN_ROUTE = "en_route"
    ON_SITE = "on_site"
    DIAGNOSED = "diagnosed"
    REPAIRING = "repairing"
    TESTING = "testing"
    COMPLETED = "completed"  # the customer signed off
    REPORTED = "reported"  # the technician's report is with the manager
    REVISIT_NEEDED = "revisit_needed"
    WAITING_PARTS = "waiting_parts"
    CANCELLED = "cancelled"


class WorkOrderMove(StrEnum):
    SCHEDULE = "schedule"
    DISPATCH = "dispatch"
    DECLINE = "decline"
    DEPART = "depart"
    CHECK_IN = "check_in"
    DIAGNOSE = "diagnose"
    REPAIR = "repair"
    TEST = "test"
    COMPLETE = "complete"
    REPORT = "report"
    NOT_FIXED = "not_fixed"
    CANCEL = "cancel"


class Side(StrEnum):
    """Who makes a move: the dispatcher (hotline, manager) or the assigned technician."""

    DISPATCHER = "dispatcher"
    TECHNICIAN = "technician"


S, M = WorkOrderStatus, WorkOrderMove

# On site: the states of a visit in progress, from check-in to the customer's signature.
AT_WORK = frozenset({S.ON_SITE, S.DIAGNOSED, S.REPAIRING, S.TESTING})
# Waiting for an appointment: a new order, or one whose last visit did not fix it.
TO_SCHEDULE = frozenset({S.CREATED, S.REVISIT_NEEDED, S.WAITING_PARTS})
FINAL = frozenset({S.REPORTED, S.CANCELLED})
OPEN = frozenset(S) - FINAL


@dataclass(frozen=True)
class Transition:
    move: WorkOrderMove
    source: WorkOrderStatus
    target: WorkOrderStatus
    side: Side


_D, _T = Side.DISPATCHER, Side.TECHNICIAN
TRANSITIONS: tuple[Transition, ...] = (
    *(Transition(M.SCHEDULE, source, S.SCHEDULED, _D) for source in sorted(TO_SCHEDULE)),
    # Re-booking an agreed appointment is scheduling again, with a reason.
    Transition(M.SCHEDULE, S.SCHEDULED, S.SCHEDULED, _D),
    Transition(M.SCHEDULE, S.DISPATCHED, S.SCHEDULED, _D),
    Transition(M.DISPATCH, S.SCHEDULED, S.DISPATCHED, _D),
    Transition(M.DECLINE, S.DISPATCHED, S.CREATED, _T),
    Transition(M.DEPART, S.DISPATCHED, S.EN_ROUTE, _T),
    Transition(M.CHECK_IN, S.EN_ROUTE, S.ON_SITE, _T),
    # A technician already on the spot checks in without the journey.
    Transition(M.CHECK_IN, S.DISPATCHED, S.ON_SITE, _T),
    Transition(M.DIAGNOSE, S.ON_SITE, S.DIAGNOSED, _T),
    Transition(M.REPAIR, S.DIAGNOSED, S.REPAIRING, _T),
    Transition(M.TEST, S.REPAIRING, S.TESTING, _T),
    Transition(M.COMPLETE, S.TESTING, S.COMPLETED, _T),
    Transition(M.REPORT, S.COMPLETED, S.REPORTED, _T),
    *(Transition(M.NOT_FIXED, source, target, _T)
      for source in sorted(AT_WORK) for target in (S.REVISIT_NEEDED, S.WAITING_PARTS)),
    *(Transition(M.CANCEL, source, S.CANCELLED, _D) for source in sorted(OPEN - {S.COMPLETED} - AT_WORK)),
)

_TABLE: dict[tuple[str, str], list[Transition]] = {}
for _t in TRANSITIONS:
    _TABLE.setdefault((_t.source.value, _t.move.value), []).append(_t)


def transition_for(source: str, move: str, target: str | None = None) -> Transition | None:
    """The row for `move` from `source` (and to `target` where a move has two outcomes), or None."""
    rows = _TABLE.get((str(source), str(move)), [])
    if target is not None:
        rows = [t for t in rows if t.target == target]
    return rows[0] if len(rows) == 1 else None


def moves_from(source: str, side: Side | None = None) -> list[WorkOrderMove]:
    """The moves that exist from `source`, in table order, once each (for the one big button)."""
    seen: list[WorkOrderMove] = []
    for t in TRANSITIONS:
        if t.source == source and (side is None or t.side == side) and t.move not in seen:
            seen.append(t.move)
    return seen


# The outcome of a visit, by the status it ends in.
VISIT_ENDED_BY = {S.COMPLETED: "completed", S.REVISIT_NEEDED: "revisit_needed", S.WAITING_PARTS: "waiting_parts"}
# Moves that must carry a reason.
NEEDS_REASON = frozenset({M.DECLINE, M.NOT_FIXED, M.CANCEL})
