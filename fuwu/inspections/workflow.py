"""Inspection rounds and checklist scores (R9.4, R9.7) as plain values: one transition table and the
score rule. No Django import, like `fuwu/complaints/workflow.py`: `fuwu/inspections/actions/` asks
`transition_for` whether a move exists and `score` what a filled checklist scored; the models give
the same values Django choices with labels (a test holds them equal).

A round is planned -> in progress (opened by hand or by the daily job when its period starts) ->
completed; a planned or running round may be cancelled, with a reason.

Score: each item gets 0..its maximum; the checklist's score is the weighted share of the maxima,
in percent, `sum(weight * score / max) / sum(weight) * 100`, rounded half up to two decimals. A
critical item fails when it scores less than half its maximum. A checklist fails, and gives a
finding, when a critical item fails or the score is below the pass mark.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum


class RoundStatus(StrEnum):
    PLANNED = "planned"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    CANCELLED = "cancelled"


class RoundMove(StrEnum):
    START = "start"
    COMPLETE = "complete"
    CANCEL = "cancel"


S, M = RoundStatus, RoundMove


@dataclass(frozen=True)
class Transition:
    move: RoundMove
    source: RoundStatus
    target: RoundStatus


TRANSITIONS: tuple[Transition, ...] = (
    Transition(M.START, S.PLANNED, S.IN_PROGRESS),
    Transition(M.COMPLETE, S.IN_PROGRESS, S.COMPLETED),
    Transition(M.CANCEL, S.PLANNED, S.CANCELLED),
    Transition(M.CANCEL, S.IN_PROGRESS, S.CANCELLED),
)

OPEN = frozenset({S.PLANNED, S.IN_PROGRESS})
# Checklists are filled on a round only while it runs.
SCORING = frozenset({S.IN_PROGRESS})
# Moves that need a reason.
NEEDS_REASON = frozenset({M.CANCEL})

_TABLE = {(t.source.value, t.move.value): t for t in TRANSITIONS}


def transition_for(source: str, move: str) -> Transition | None:
    return _TABLE.get((str(source), str(move)))


def moves_from(source: str) -> list[RoundMove]:
    return [t.move for t in TRANSITIONS if t.source == source]


def is_due(status: str, period_start_ordinal: int, today_ordinal: int) -> bool:
    """A planned round opens on the first day of its period (days as `date.toordinal()`)."""
    return status == S.PLANNED and period_start_ordinal <= today_ordinal


@dataclass(frozen=True)
class Item:
    """One checklist item as scored: its weight, maximum, critical flag and the score given."""

    weight: int
    max_score: int
    critical: bool
    score: int


@dataclass(frozen=True)
class Result:
    percent: Decimal  # 0.00 .. 100.00
    critical_failed: int  # how many critical items failed
    passed: bool

    @property
    def below_pass_mark(self) -> bool:
        return not self.passed and self.critical_failed == 0


class ScoreError(ValueError):
    """A score outside 0..max, a weight or maximum below 1, or no item at all."""


HUNDRED = Decimal(100)
CENT = Decimal("0.01")


def critical_fails(item: Item) -> bool:
    return item.critical and item.score * 2 < item.max_score


def score(items: Iterable[Item], pass_mark: int) -> Result:
    items = list(items)
    if not items:
        raise ScoreError("no items")
    for item in items:
        if item.weight < 1 or item.max_score < 1 or not 0 <= item.score <= item.max_score:
            raise ScoreError(f"bad item {item}")
    total_weight = sum(item.weight for item in items)
    earned = sum(Decimal(item.weight) * Decimal(item.score) / Decimal(item.max_score) for item in items)
    percent = (earned / total_weight * HUNDRED).quantize(CENT, rounding=ROUND_HALF_UP)
    failed = sum(1 for item in items if critical_fails(item))
    return Result(percent=percent, critical_failed=failed, passed=failed == 0 and percent >= pass_mark)
