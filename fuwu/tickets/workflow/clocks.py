"""SLA clocks as plain records (R10.4, R4.4, R3.3): start, pause, resume, meet, stop, re-evaluate.

Instants are integer microseconds since 2000-01-01 UTC (`fuwu.standards.businesstime.to_us`);
working time comes from a calendar answering `add_us`, `between_us` and
`end_of_business_day_us` (`BusinessClock`, or `MicroClock` in the bulk loader).
"""

from dataclasses import dataclass, field
from typing import Protocol

from fuwu.standards.businesstime import US
from fuwu.tickets.workflow.states import ClockState, SlaState


class Calendar(Protocol):
    def add_us(self, start: int, seconds: int) -> tuple[int, tuple[int, ...]]: ...

    def between_us(self, start: int, end: int) -> int: ...

    def end_of_business_day_us(self, start: int) -> int: ...


@dataclass(frozen=True, slots=True)
class Target:
    """What a policy asks of one clock (`fuwu.standards.models.SlaTarget`)."""

    id: int
    kind: str
    calendar_id: int
    minutes: int | None
    end_of_business_day: bool = False
    warn_percent: int = 75


@dataclass(slots=True, eq=False)
class Clock:
    """One clock on one request. `pauses`: [started, ended or None, reason] opened or closed here
    (a started of None stands for the open pause already stored); `changed`: to be written."""

    id: int | None
    kind: str
    target: Target
    handover: object | None  # the hand-over whose acceptance it times
    target_seconds: int
    started_at: int
    running_since: int | None
    state: str = ClockState.RUNNING
    consumed: int = 0
    due_at: int | None = None
    warn_at: int | None = None
    met_at: int | None = None
    breached_at: int | None = None
    warned_at: int | None = None
    escalation_level: int = 0
    next_escalation_at: int | None = None
    missing_years: list = field(default_factory=list)
    pauses: list = field(default_factory=list)
    changed: bool = False


def used_seconds(calendar: Calendar, start: int, end: int) -> int:
    """Whole working seconds from `start` to `end`, never negative."""
    return max(0, round(calendar.between_us(start, end) / US))


def seconds_for(target: Target, calendar: Calendar, at: int) -> int:
    """The clock's length: the target's minutes, or 当天事情当天办 (R10.4) what is left of the working day."""
    if target.end_of_business_day:
        return used_seconds(calendar, at, calendar.end_of_business_day_us(at))
    return target.minutes * 60


def schedule(clock: Clock, calendar: Calendar) -> None:
    """Due and warning instants of a running clock, from the working time it has left."""
    left = max(0, clock.target_seconds - clock.consumed)
    clock.due_at, missing = calendar.add_us(clock.running_since, left)
    warn_after = max(0, clock.target_seconds * clock.target.warn_percent // 100 - clock.consumed)
    clock.warn_at = calendar.add_us(clock.running_since, warn_after)[0]
    clock.missing_years = list(missing)


def new_clock(target: Target, calendar: Calendar, at: int, *, handover: object | None = None,
              clock_id: int | None = None) -> Clock:
    clock = Clock(clock_id, target.kind, target, handover, seconds_for(target, calendar, at), at, at, changed=True)
    schedule(clock, calendar)
    return clock


def meet(clock: Clock, calendar: Calendar, at: int) -> None:
    """Met at `at`; met after its due instant, it was breached when it fell due, watched or not."""
    if clock.state == ClockState.RUNNING:
        clock.consumed += used_seconds(calendar, clock.running_since, at)
    if clock.due_at is not None and at > clock.due_at and clock.breached_at is None:
        clock.breached_at = clock.due_at
    _close_pause(clock, at)
    clock.state, clock.met_at, clock.running_since, clock.warn_at, clock.next_escalation_at = (
        ClockState.MET, at, None, None, None)
    clock.changed = True


def stop(clock: Clock, at: int) -> None:
    """No longer applies (cancelled request, declined hand-over): neither met nor breached later."""
    _close_pause(clock, at)
    clock.state, clock.running_since, clock.warn_at, clock.next_escalation_at = ClockState.STOPPED, None, None, None
    clock.changed = True


def pause(clock: Clock, calendar: Calendar, at: int, reason: str) -> None:
    if clock.state != ClockState.RUNNING:
        return
    clock.consumed += used_seconds(calendar, clock.running_since, at)
    clock.state, clock.running_since, clock.due_at, clock.warn_at, clock.next_escalation_at = (
        ClockState.PAUSED, None, None, None, None)
    clock.pauses.append([at, None, reason])
    clock.changed = True


def resume(clock: Clock, calendar: Calendar, at: int) -> None:
    """Running again with what it had left."""
    if clock.state != ClockState.PAUSED:
        return
    _close_pause(clock, at)
    clock.state, clock.running_since = ClockState.RUNNING, at
    schedule(clock, calendar)
    clock.changed = True


def retarget(clock: Clock, target: Target, calendar: Calendar, old_calendar: Calendar, at: int) -> None:
    """Take a new target, keeping the working time already used (R10.4 re-evaluation)."""
    if clock.state == ClockState.RUNNING:
        clock.consumed += used_seconds(old_calendar, clock.running_since, at)
        clock.running_since = at
    clock.target = target
    if target.end_of_business_day:
        clock.target_seconds = clock.consumed + seconds_for(target, calendar, at)
    else:
        clock.target_seconds = target.minutes * 60
    if clock.breached_at is None:
        clock.warned_at = None  # the new target warns afresh
    if clock.state == ClockState.RUNNING:
        schedule(clock, calendar)
    clock.changed = True


def _close_pause(clock: Clock, at: int) -> None:
    if clock.state == ClockState.PAUSED:
        for entry in clock.pauses:
            if entry[1] is None:
                entry[1] = at


def queue_columns(clocks: list[Clock]) -> tuple[int | None, SlaState]:
    """`Ticket.sla_due_at` and `sla_state`: the most urgent running clock's due instant and the worst state."""
    running = [c for c in clocks if c.state == ClockState.RUNNING]
    due = min((c.due_at for c in running if c.due_at is not None), default=None)
    if any(c.breached_at is not None for c in running):
        return due, SlaState.BREACHED
    if any(c.warned_at is not None for c in running):
        return due, SlaState.WARNING
    if due is not None:
        return due, SlaState.RUNNING
    return due, SlaState.PAUSED if any(c.state == ClockState.PAUSED for c in clocks) else SlaState.NONE
