"""The breach watch's rules (R10.4, R9.5, R3.5): when a running clock is warned, breached, escalated.

At the warning share of the target (75 % by default) the owner hears of it (the group leader when
there is no owner); at the breach the owner and the group leader, by e-mail too; when the clock is
overdue by a further `step_percent` of its target (in business time after the due instant), the
service managers; by twice that, the general managers, for major or urgent matters only. Each step
is taken once per clock, in that order, at one run of the watch (`run`); `fuwu.tickets.actions.
escalation.sla_watch` runs it every minute, the bulk loader replays the minutes it would have run.
"""

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from fuwu.tickets.workflow.clocks import Calendar, Clock
from fuwu.tickets.workflow.states import URGENT, ClockState, Event, Level


class Recipient(StrEnum):
    OWNER_OR_LEADER = "owner_or_leader"
    OWNER = "owner"
    GROUP_LEADER = "group_leader"
    MANAGERS = "managers"
    GENERAL_MANAGERS = "general_managers"


@dataclass(frozen=True, slots=True)
class Step:
    level: Level
    event: Event
    recipients: tuple[Recipient, ...]
    by_email: bool


WARNING_STEP = Step(Level.WARNING, Event.SLA_WARNING, (Recipient.OWNER_OR_LEADER,), by_email=False)
BREACH_STEP = Step(Level.BREACH, Event.SLA_BREACHED, (Recipient.OWNER, Recipient.GROUP_LEADER), by_email=True)
ESCALATION_STEPS = {
    Level.MANAGER: Step(Level.MANAGER, Event.SLA_ESCALATED, (Recipient.MANAGERS,), by_email=True),
    Level.GENERAL_MANAGER: Step(Level.GENERAL_MANAGER, Event.SLA_ESCALATED, (Recipient.GENERAL_MANAGERS,),
                                by_email=True),
}


def recipients[U](step: Step, *, owner: U | None, leader: U | None, managers: list[U],
                  general_managers: list[U]) -> list[U]:
    """Who hears of a step, given the request's owner and group leader at the time and the role holders."""
    found: list[U | None] = []
    for recipient in step.recipients:
        if recipient == Recipient.OWNER_OR_LEADER:
            found.append(owner or leader)
        elif recipient == Recipient.OWNER:
            found.append(owner)
        elif recipient == Recipient.GROUP_LEADER:
            found.append(leader)
        elif recipient == Recipient.MANAGERS:
            found += managers
        else:
            found += general_managers
    return [user for user in found if user is not None]


def is_major(*, major: bool, priority: str) -> bool:
    """R3.5: major matters reach the general manager; so do urgent ones left overdue this long."""
    return major or priority == URGENT


def warn(clock: Clock, now: int) -> Step | None:
    if (clock.state != ClockState.RUNNING or clock.warned_at is not None or clock.breached_at is not None
            or clock.warn_at is None or clock.warn_at > now):
        return None
    clock.warned_at = now
    clock.changed = True
    return WARNING_STEP


def breach(clock: Clock, now: int, calendar: Calendar, *, major: bool, step_percent: int) -> Step | None:
    """Breached when it fell due (not when the watch saw it); a clock breached unwarned counts as warned."""
    if clock.state != ClockState.RUNNING or clock.breached_at is not None or clock.due_at is None or (
            clock.due_at > now):
        return None
    clock.breached_at = clock.due_at
    clock.warned_at = clock.warned_at if clock.warned_at is not None else now
    clock.escalation_level = Level.BREACH
    clock.next_escalation_at = next_escalation(clock, calendar, after=Level.BREACH, major=major,
                                               step_percent=step_percent)
    clock.changed = True
    return BREACH_STEP


def escalate(clock: Clock, now: int, calendar: Calendar, *, major: bool, step_percent: int) -> Step | None:
    level = clock.escalation_level + 1
    if (clock.state != ClockState.RUNNING or clock.breached_at is None or level > Level.GENERAL_MANAGER
            or clock.next_escalation_at is None or clock.next_escalation_at > now):
        return None
    clock.escalation_level = level
    clock.next_escalation_at = next_escalation(clock, calendar, after=Level(level), major=major,
                                               step_percent=step_percent)
    clock.changed = True
    return ESCALATION_STEPS[Level(level)]


def next_escalation(clock: Clock, calendar: Calendar, *, after: Level, major: bool, step_percent: int) -> int | None:
    """Each further step waits another share of the target, in business time, after the due instant."""
    if after >= Level.GENERAL_MANAGER or (after == Level.MANAGER and not major):
        return None
    wait = clock.target_seconds * step_percent // 100 * after
    return calendar.add_us(clock.due_at, wait)[0]


def run(clock: Clock, now: int, calendar: Calendar, *, major: bool, step_percent: int) -> list[Step]:
    """One run of the watch on one clock: the breach first (which warns too), else the warning; then
    one escalation if due."""
    steps = []
    first = breach(clock, now, calendar, major=major, step_percent=step_percent) or warn(clock, now)
    if first is not None:
        steps.append(first)
    later = escalate(clock, now, calendar, major=major, step_percent=step_percent)
    if later is not None:
        steps.append(later)
    return steps


_RUNNING = ClockState.RUNNING
_LAST = int(Level.GENERAL_MANAGER)


def next_due(clock: Clock) -> int | None:
    """The earliest instant at which a run of the watch would take a step on this clock.

    Asked before every change of every request by the bulk loader: kept to plain comparisons."""
    if clock.state != _RUNNING:
        return None
    if clock.breached_at is None:
        due, warn = clock.due_at, clock.warn_at
        if clock.warned_at is None and warn is not None and (due is None or warn < due):
            return warn
        return due
    if clock.escalation_level < _LAST:
        return clock.next_escalation_at
    return None


def payload(clock_id: Any, clock: Clock, level: Level, recipients: list[int], stamp) -> dict[str, Any]:
    """The audit payload of a step (`recipients`: the user ids reached)."""
    return {"clock": clock_id, "kind": str(clock.kind), "level": int(level), "due": stamp(clock.due_at),
            "recipients": recipients}
