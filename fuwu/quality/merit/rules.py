"""How a result rule judges one staff member's figure (R9.5, R11.5), with no Django import.

A figure is a numerator and a denominator (None for a count), as the indicator catalogue computes it.
Its volume is what the rule's minimum asks for: the denominator of a rate or a mean (the settled
clocks, the answers, the requests resolved), the count itself for a count. A staff member with no
figure of a rate (nothing settled) has no result; a count missing means zero.
"""

from dataclasses import dataclass

COMPARISONS = {
    "gte": lambda value, threshold: value >= threshold,
    "gt": lambda value, threshold: value > threshold,
    "lte": lambda value, threshold: value <= threshold,
    "lt": lambda value, threshold: value < threshold,
}
SYMBOLS = {"gte": "≥", "gt": ">", "lte": "≤", "lt": "<"}


@dataclass(frozen=True)
class Verdict:
    value: float
    numerator: float
    denominator: float | None
    volume: int
    holds: bool  # the condition holds with enough volume: an outcome is proposed


def volume_of(numerator: float, denominator: float | None) -> int:
    return round(numerator if denominator is None else denominator)


def judge(*, comparison: str, threshold: float, min_volume: int, numerator: float | None,
          denominator: float | None, scale: float = 1, is_count: bool = False) -> Verdict | None:
    """The verdict on one figure, or None when there is no figure to judge (a rate with nothing behind it)."""
    if numerator is None:
        if not is_count:
            return None
        numerator, denominator = 0.0, None
    if denominator is not None and not denominator:
        return None
    value = numerator if denominator is None else numerator * scale / denominator
    volume = volume_of(numerator, denominator)
    holds = volume >= min_volume and COMPARISONS[comparison](value, threshold)
    return Verdict(value, numerator, denominator, volume, holds)


def points_fit(outcome: str, points: int) -> bool:
    """A reward gives points (≥ 0), a penalty takes them (≤ 0); coaching may carry either or none."""
    if outcome == "reward":
        return points >= 0
    if outcome == "penalty":
        return points <= 0
    return True
