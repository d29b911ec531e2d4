"""The lifecycle of an improvement action (整改措施, R17.1) as plain values and one transition table.

No Django import, like `fuwu/complaints/workflow.py`: `fuwu/improvements/actions.py` asks
`transition_for` whether a move exists; the models give the same values Django choices with labels
(a test holds them equal).

proposed -> approved (the service manager, not the proposer) -> in progress -> done, awaiting
verification (the owner) -> verified effective (a quality supervisor who is not the owner, R1.2), or
found not effective -> back in progress. Until it is done an action may be cancelled, with a reason.
"""

from dataclasses import dataclass
from enum import StrEnum


class ActionStatus(StrEnum):
    PROPOSED = "proposed"
    APPROVED = "approved"
    IN_PROGRESS = "in_progress"
    DONE = "done"  # the owner says the measures are carried out: awaiting verification of effect
    VERIFIED = "verified"  # verified effective
    CANCELLED = "cancelled"


class ActionMove(StrEnum):
    APPROVE = "approve"
    START = "start"
    COMPLETE = "complete"
    VERIFY = "verify"  # effective
    REJECT = "reject"  # not effective: back to work
    CANCEL = "cancel"


class ActionKind(StrEnum):
    CORRECTIVE = "corrective"  # 纠正措施: removes the cause of a problem that happened
    PREVENTIVE = "preventive"  # 预防措施: removes the cause of a problem that could happen


class Side(StrEnum):
    """Who makes a move: the approver (service manager), the owner, the verifier (quality)."""

    APPROVER = "approver"
    OWNER = "owner"
    VERIFIER = "verifier"
    MANAGER = "manager"  # whoever manages improvement actions (cancelling)


class SuggestionStatus(StrEnum):
    SUBMITTED = "submitted"
    ACCEPTED = "accepted"  # an improvement action was opened from it
    DECLINED = "declined"


S, M = ActionStatus, ActionMove


@dataclass(frozen=True)
class Transition:
    move: ActionMove
    source: ActionStatus
    target: ActionStatus
    side: Side


TRANSITIONS: tuple[Transition, ...] = (
    Transition(M.APPROVE, S.PROPOSED, S.APPROVED, Side.APPROVER),
    Transition(M.START, S.APPROVED, S.IN_PROGRESS, Side.OWNER),
    Transition(M.COMPLETE, S.IN_PROGRESS, S.DONE, Side.OWNER),
    Transition(M.VERIFY, S.DONE, S.VERIFIED, Side.VERIFIER),
    Transition(M.REJECT, S.DONE, S.IN_PROGRESS, Side.VERIFIER),
    *(Transition(M.CANCEL, source, S.CANCELLED, Side.MANAGER) for source in (S.PROPOSED, S.APPROVED, S.IN_PROGRESS)),
)

CLOSED = frozenset({S.VERIFIED, S.CANCELLED})
OPEN = frozenset(S) - CLOSED
# Statuses in which the owner still owes the work: past the due date these are overdue.
OWED = frozenset({S.PROPOSED, S.APPROVED, S.IN_PROGRESS})
# Moves that need a written reason.
NEEDS_REASON = frozenset({M.REJECT, M.CANCEL})

_TABLE = {(t.source.value, t.move.value): t for t in TRANSITIONS}


def transition_for(source: str, move: str) -> Transition | None:
    return _TABLE.get((str(source), str(move)))


def moves_from(source: str) -> list[ActionMove]:
    return [t.move for t in TRANSITIONS if t.source == source]


def is_overdue(status: str, due_on_ordinal: int, today_ordinal: int) -> bool:
    """Past its due date while the owner still owes the work (dates as `date.toordinal()`)."""
    return status in OWED and today_ordinal > due_on_ordinal
