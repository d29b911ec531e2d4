"""The lifecycle of a major fault report (重大故障报告, R7) as plain values and one transition table.

No Django import, like `fuwu/complaints/workflow.py`: `fuwu/faults/actions.py` asks `transition_for`
whether a move exists and `closing_refusal` whether a report may close; the models give the same
values Django choices with labels (a test holds them equal).

open (reported, everyone on the notice list told at once, R7.1) -> handling -> restored (the
service works again; told again) -> closed (the analysis is written and the corrective or preventive
measures exist; told again, and the analysis report goes to the affected customers, R7.2). A
restored fault that comes back returns to handling.
"""

from dataclasses import dataclass
from enum import StrEnum


class FaultStatus(StrEnum):
    OPEN = "open"
    HANDLING = "handling"
    RESTORED = "restored"
    CLOSED = "closed"


class FaultMove(StrEnum):
    HANDLE = "handle"  # someone works on it
    RESTORE = "restore"  # service restored
    RECUR = "recur"  # restored, then back: handling again
    CLOSE = "close"  # the analysis is done


class Severity(StrEnum):
    MAJOR = "major"  # 较大
    SEVERE = "severe"  # 重大
    CRITICAL = "critical"  # 特别重大


S, M = FaultStatus, FaultMove


@dataclass(frozen=True)
class Transition:
    move: FaultMove
    source: FaultStatus
    target: FaultStatus
    notify: bool = False  # the notice list hears of it (R7.1)


TRANSITIONS: tuple[Transition, ...] = (
    Transition(M.HANDLE, S.OPEN, S.HANDLING),
    Transition(M.RESTORE, S.OPEN, S.RESTORED, notify=True),
    Transition(M.RESTORE, S.HANDLING, S.RESTORED, notify=True),
    Transition(M.RECUR, S.RESTORED, S.HANDLING, notify=True),
    Transition(M.CLOSE, S.RESTORED, S.CLOSED, notify=True),
)

OPEN = frozenset(S) - {S.CLOSED}

_TABLE = {(t.source.value, t.move.value): t for t in TRANSITIONS}


def transition_for(source: str, move: str) -> Transition | None:
    return _TABLE.get((str(source), str(move)))


def moves_from(source: str) -> list[FaultMove]:
    return [t.move for t in TRANSITIONS if t.source == source]


class CloseRefusal(StrEnum):
    ALREADY_CLOSED = "already_closed"
    NOT_RESTORED = "not_restored"  # the service is not restored yet
    NO_ANALYSIS = "no_analysis"  # impact, handling and root cause are not all written
    NO_MEASURES = "no_measures"  # no corrective or preventive measure


def closing_refusal(status: str, *, has_analysis: bool, measures: int) -> CloseRefusal | None:
    """Why a fault report in `status` may not close now, or None when it may.

    `measures` counts the corrective and preventive measures (linked improvement actions, R17.1)."""
    if status == S.CLOSED:
        return CloseRefusal.ALREADY_CLOSED
    if transition_for(status, M.CLOSE) is None:
        return CloseRefusal.NOT_RESTORED
    if not has_analysis:
        return CloseRefusal.NO_ANALYSIS
    if measures < 1:
        return CloseRefusal.NO_MEASURES
    return None
