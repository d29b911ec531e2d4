"""The rules of follow-up as pure functions (R8.1–R8.3): no Django import, property-tested.

- **Which rule applies** to a request: the active rule for its service type beats the one for its
  service kind, which beats the default (`rule_for`); to a product: the plan rule for its category
  (the start of its model code, e.g. ``EL-``) and the customer's class beats one for the category,
  which beats one for the class, which beats the default (`plan_rule_for`).
- **When a follow-up after service falls due** (`needs_follow_up`, `due_after_working_days`): the
  request's follow-up SLA clock is the one truth when a policy sets one (the clock's due instant,
  shown in the request queues); otherwise the rule's N working days: the close of the N-th working
  day after the day of the resolution, in the rule's calendar (a resolution outside working hours
  counts from the next opening). Complaints always get one.
- **Retries** (`next_attempt`): after the first unanswered call, the rule's working hours later;
  after the next ones, the opening of the next working day; none after `max_attempts` calls.
- **Plans** (`plan_dates`): from the delivery date, every `first_every` months during the first
  `first_months`, every `then_every` months after; each date counted from the delivery date (so
  a 31st stays at the month's end), never cumulated.

Instants are integer microseconds (`fuwu.standards.businesstime.to_us`); a calendar answers
`add_us` and `end_of_business_day_us` (`BusinessClock`).
"""

import calendar as _calendar
import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

US = 1_000_000
COMPLAINT = "complaint"  # `fuwu.standards.models.ServiceKind.COMPLAINT`


class Calendar(Protocol):
    def add_us(self, start: int, seconds: int) -> tuple[int, tuple[int, ...]]: ...

    def end_of_business_day_us(self, start: int) -> int: ...


@dataclass(frozen=True)
class Rule:
    """A follow-up rule (`fuwu.followups.models.FollowUpRule`) as the rules read it."""

    id: int | None
    service_kind: str = ""  # blank: any kind
    service_type_id: int | None = None  # None: any type
    required: bool = True
    working_days: int = 3
    calendar_id: int | None = None
    retry_hours: int = 2
    max_attempts: int = 3


DEFAULT_RULE = Rule(None)


def rule_for(rules: Iterable[Rule], *, service_kind: str, service_type_id: int | None) -> Rule:
    """The rule for the request's type, else its kind, else the default (blank kind and type)."""
    best: tuple[int, Rule] | None = None
    for rule in rules:
        if rule.service_type_id is not None and rule.service_type_id != service_type_id:
            continue
        if rule.service_kind and rule.service_kind != service_kind:
            continue
        weight = (2 if rule.service_type_id is not None else 0) + (1 if rule.service_kind else 0)
        if best is None or weight > best[0]:
            best = (weight, rule)
    return best[1] if best else DEFAULT_RULE


def needs_follow_up(rule: Rule, *, service_kind: str, has_clock: bool) -> bool:
    """A follow-up falls due when a policy times one (the department committed to it), when the rule
    asks for one, and always after a complaint (R6.2: followed up until the customer is satisfied)."""
    return has_clock or rule.required or service_kind == COMPLAINT


def due_after_working_days(calendar: Calendar, at: int, days: int) -> int:
    """The close of the `days`-th working day after the working day of `at` (at least one)."""
    due = calendar.end_of_business_day_us(at)
    for _ in range(max(1, days)):
        due = calendar.end_of_business_day_us(due + 1)
    return due


def next_working_opening(calendar: Calendar, at: int) -> int:
    """The first working instant of the working day after the one `at` falls in (or of the next one)."""
    close = calendar.end_of_business_day_us(at)
    return calendar.add_us(close, 1)[0] - US


def next_attempt(calendar: Calendar, at: int, *, attempts: int, retry_hours: int, max_attempts: int) -> int | None:
    """When to call again after `attempts` unanswered calls (the last at `at`); None: give up."""
    if attempts >= max_attempts:
        return None
    if attempts <= 1:
        return calendar.add_us(at, retry_hours * 3600)[0]
    return next_working_opening(calendar, at)


# -- periodic plans (R8.2) -------------------------------------------------------------------------


@dataclass(frozen=True)
class PlanRule:
    """A plan rule (`fuwu.followups.models.FollowUpPlanRule`) as the rules read it."""

    id: int | None
    category: str = ""  # the start of the product's model code; blank: any product
    customer_class: str = ""  # blank: any class
    first_months: int = 12
    first_every: int = 1
    then_every: int = 3
    needs_survey: bool = False  # the customer is asked about next year's needs each December (R8.3)


DEFAULT_PLAN_RULE = PlanRule(None)


def plan_rule_for(rules: Iterable[PlanRule], *, model: str, customer_class: str) -> PlanRule:
    """The most specific rule: category and class, then category, then class, then the default.
    Of two categories that both match, the longer one."""
    best: tuple[tuple[int, int], PlanRule] | None = None
    model = (model or "").upper()
    for rule in rules:
        if rule.category and not model.startswith(rule.category.upper()):
            continue
        if rule.customer_class and rule.customer_class != customer_class:
            continue
        weight = ((2 if rule.category else 0) + (1 if rule.customer_class else 0), len(rule.category))
        if best is None or weight > best[0]:
            best = (weight, rule)
    return best[1] if best else DEFAULT_PLAN_RULE


def add_months(day: datetime.date, months: int) -> datetime.date:
    """`day` moved by whole months, kept within the month (31 January + 1 month = 28 or 29 February)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = _calendar.monthrange(year, month + 1)[1]
    return datetime.date(year, month + 1, min(day.day, last))


def plan_offsets(rule: PlanRule):
    """Months after the delivery at which a follow-up falls due, without end."""
    first_every, then_every = max(1, rule.first_every), max(1, rule.then_every)
    months = first_every
    while months <= rule.first_months:
        yield months
        months += first_every
    months = rule.first_months + then_every
    while True:
        yield months
        months += then_every


def plan_dates(delivered_on: datetime.date, rule: PlanRule, *, start: datetime.date,
               end: datetime.date) -> list[datetime.date]:
    """The plan's dates from `start` to `end`, both included."""
    found = []
    for months in plan_offsets(rule):
        day = add_months(delivered_on, months)
        if day > end:
            return found
        if day >= start:
            found.append(day)
    return found  # pragma: no cover - the offsets never end


def survey_date(today: datetime.date) -> datetime.date | None:
    """The needs survey of the year (新需求管理, R8.3): falls due in December, keyed on its first day."""
    return datetime.date(today.year, 12, 1) if today.month == 12 else None
