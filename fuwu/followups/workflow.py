"""The lifecycle of a follow-up (回访, R8.1–R8.3) as plain values and one transition table.

No Django import, like `fuwu/fieldservice/workflow.py`: `fuwu/followups/actions/` asks
`transition_for` whether a move exists; the models give the same values Django choices with labels
(a test holds them equal).

due -> reached (the customer answered: opinion and satisfaction, or the needs for next year)
due -> retry (not reached: an attempt recorded, the next one scheduled) -> ... -> reached
due | retry -> unreachable (the retry schedule is used up)
due | retry -> withdrawn (the request was reopened before anyone called: a new follow-up falls
due at its next resolution)
"""

from dataclasses import dataclass
from enum import StrEnum


class FollowUpKind(StrEnum):
    AFTER_SERVICE = "after_service"  # after a request is resolved (R8.1)
    PERIODIC = "periodic"  # a delivered product's plan: monthly in the first year, quarterly after (R8.2)
    NEEDS_SURVEY = "needs_survey"  # December: next year's needs (新需求管理, R8.3)


class FollowUpState(StrEnum):
    DUE = "due"
    RETRY = "retry"  # not reached yet; the next attempt is scheduled
    REACHED = "reached"
    UNREACHABLE = "unreachable"
    WITHDRAWN = "withdrawn"


class FollowUpMove(StrEnum):
    REACH = "reach"
    MISS = "miss"  # not reached, another attempt follows
    GIVE_UP = "give_up"  # not reached, and no attempt is left
    WITHDRAW = "withdraw"


class NextStep(StrEnum):
    """What an unsatisfied customer's answer leads to (R8.1, R6.1)."""

    NONE = ""
    REOPEN = "reopen"  # the request is reopened with the customer's opinion as the reason
    COMPLAINT = "complaint"  # a complaint is registered, linked to the request


S, M = FollowUpState, FollowUpMove
OPEN = frozenset({S.DUE, S.RETRY})
FINAL = frozenset(S) - OPEN
# Satisfaction 1–5; an answer of 1 or 2 is unsatisfied and asks the agent for the next step.
SATISFACTION = range(1, 6)
UNSATISFIED_AT_MOST = 2


@dataclass(frozen=True)
class Transition:
    move: FollowUpMove
    source: FollowUpState
    target: FollowUpState


TRANSITIONS: tuple[Transition, ...] = (
    Transition(M.REACH, S.DUE, S.REACHED),
    Transition(M.REACH, S.RETRY, S.REACHED),
    Transition(M.MISS, S.DUE, S.RETRY),
    Transition(M.MISS, S.RETRY, S.RETRY),
    Transition(M.GIVE_UP, S.DUE, S.UNREACHABLE),
    Transition(M.GIVE_UP, S.RETRY, S.UNREACHABLE),
    Transition(M.WITHDRAW, S.DUE, S.WITHDRAWN),
    Transition(M.WITHDRAW, S.RETRY, S.WITHDRAWN),
)

_TABLE = {(t.source.value, t.move.value): t for t in TRANSITIONS}


def transition_for(source: str, move: str) -> Transition | None:
    """The row for `move` from `source`, or None when the move does not exist from there."""
    return _TABLE.get((str(source), str(move)))


def moves_from(source: str) -> list[FollowUpMove]:
    return [t.move for t in TRANSITIONS if t.source == source]


def is_unsatisfied(satisfaction: int | None) -> bool:
    return satisfaction is not None and satisfaction <= UNSATISFIED_AT_MOST
