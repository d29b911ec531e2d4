"""The SLA clocks of a simulated request as `fuwu.tickets.clocks` drives them, and the breach watch replayed.

A base class of `FastTicketGenerator` (`simulation.py`), kept apart because it is the one place
where the fast path must track another module step for step: `fuwu.tickets.clocks` for the clocks,
`fuwu.tickets.actions.escalation.sla_watch` for warnings, breaches and escalations. Instants are
int microseconds; the calendars' business time is `business.MicroClock`.
"""

from fuwu.org.roles import Role
from fuwu.standards.models import ClockKind, Priority, SlaTarget
from fuwu.tickets.clocks import LIVE_CHANNELS
from fuwu.tickets.lifecycle import Status
from fuwu.tickets.models import SlaClock
from fuwu.tickets.scale.business import MicroClock
from fuwu.tickets.scale.instants import US, ceil_minute, json_instant
from fuwu.tickets.scale.records import ClockRecord, HandoverRecord, TicketRecord


class ClockReplay:
    """The clock steps and the watch; the generator supplies the request (`t`), the time (`at`) and the staff."""

    t: TicketRecord
    at: int
    now: int
    business: dict[int, MicroClock]  # per calendar id
    leaders: dict[int, int | None]
    holders: dict[str, list[int]]
    escalation_step: int

    def next_id(self, table: str) -> int:
        raise NotImplementedError

    def _event(self, action: str, actor: int | None, payload: dict, at: int | None = None,
               local: tuple[str, str] | None = None) -> None:
        raise NotImplementedError

    # SLA clocks: fuwu.tickets.clocks, step for step ------------------------------------------------------------------

    def targets(self) -> dict[str, SlaTarget]:
        return self.t.targets  # the facts the policies look at do not change during the demo's life

    def _live(self, *kinds: str) -> list[ClockRecord]:
        return [c for c in self.t.clocks if c.state in (SlaClock.State.RUNNING, SlaClock.State.PAUSED)
                and (not kinds or c.kind in kinds)]

    def _schedule(self, c: ClockRecord) -> None:
        business = self.business[c.target.calendar_id]
        left = max(0, c.target_seconds - c.consumed)
        c.due_at, missing = business.add(c.running_since, left)
        warn_after = max(0, c.target_seconds * c.target.warn_percent // 100 - c.consumed)
        c.warn_at = business.add(c.running_since, warn_after)[0]
        c.missing_years = list(missing)

    def _used(self, c: ClockRecord, at: int) -> int:
        return max(0, round(self.business[c.target.calendar_id].between(c.running_since, at) / US))

    def clock_start(self, target: SlaTarget, at: int, handover: HandoverRecord | None = None) -> ClockRecord:
        if target.end_of_business_day:
            business = self.business[target.calendar_id]
            seconds = max(0, round(business.between(at, business.end_of_business_day(at)) / US))
        else:
            seconds = target.minutes * 60
        c = ClockRecord(self.next_id("clock"), str(target.kind), target, handover, seconds, at, at,
                   first_watch=ceil_minute(self.at + 1))
        self._schedule(c)
        self.t.clocks.append(c)
        return c

    def clock_meet(self, c: ClockRecord, at: int) -> None:
        self.watch(c, until=at)
        if c.state == SlaClock.State.RUNNING:
            c.consumed += self._used(c, at)
        if c.due_at is not None and at > c.due_at and c.breached_at is None:
            c.breached_at = c.due_at
        self._close_pause(c, at)
        c.state, c.met_at, c.running_since, c.warn_at, c.next_escalation_at = SlaClock.State.MET, at, None, None, None

    def clock_stop(self, c: ClockRecord, at: int) -> None:
        self.watch(c, until=at)
        self._close_pause(c, at)
        c.state, c.running_since, c.warn_at, c.next_escalation_at = SlaClock.State.STOPPED, None, None, None

    def clock_pause(self, c: ClockRecord, at: int, reason: str) -> None:
        if c.state != SlaClock.State.RUNNING:
            return
        self.watch(c, until=at)
        c.consumed += self._used(c, at)
        c.state, c.running_since, c.due_at, c.warn_at, c.next_escalation_at = (
            SlaClock.State.PAUSED, None, None, None, None)
        c.pauses.append([at, None, reason])

    def clock_resume(self, c: ClockRecord, at: int) -> None:
        if c.state != SlaClock.State.PAUSED:
            return
        self._close_pause(c, at)
        c.state, c.running_since = SlaClock.State.RUNNING, at
        self._schedule(c)

    def _close_pause(self, c: ClockRecord, at: int) -> None:
        if c.state == SlaClock.State.PAUSED:
            for pause in c.pauses:
                if pause[1] is None:
                    pause[1] = at

    def on_registered(self) -> None:
        t, targets = self.t, self.targets()
        for kind in (ClockKind.FIRST_RESPONSE, ClockKind.RESOLUTION):
            if kind in targets:
                c = self.clock_start(targets[kind], t.received)
                if kind == ClockKind.FIRST_RESPONSE and t.channel in LIVE_CHANNELS:
                    self.clock_meet(c, t.registered)

    def on_responded(self, at: int) -> None:
        for c in self._live(ClockKind.FIRST_RESPONSE):
            self.clock_meet(c, at)

    def on_status_changed(self, old: str, new: str, at: int) -> None:
        if new in (Status.ACCEPTED, Status.IN_PROGRESS, Status.RESOLVED):
            self.on_responded(at)
        if new == Status.PENDING_CUSTOMER:
            for c in self._live(ClockKind.RESOLUTION):
                self.clock_pause(c, at, "pending_customer")
        if old == Status.PENDING_CUSTOMER and new == Status.IN_PROGRESS:
            for c in self._live(ClockKind.RESOLUTION):
                self.clock_resume(c, at)
        if new == Status.RESOLVED:
            for c in self._live(ClockKind.RESOLUTION):
                self.clock_meet(c, at)
            for c in self._live(ClockKind.ONSITE_ARRIVAL, ClockKind.HANDOVER_ACCEPTANCE):
                self.clock_stop(c, at)
            target = self.targets().get(ClockKind.FOLLOW_UP)
            if target is not None and not self._live(ClockKind.FOLLOW_UP):
                self.clock_start(target, at)
        if new == Status.REOPENED:
            for c in self._live(ClockKind.FOLLOW_UP):
                self.clock_stop(c, at)
            target = self.targets().get(ClockKind.RESOLUTION)
            if target is not None:
                self.clock_start(target, at)
        if new == Status.CANCELLED:
            for c in self._live():
                self.clock_stop(c, at)

    # The breach watch, replayed -------------------------------------------------------------------------------------

    def watch(self, c: ClockRecord, *, until: int) -> None:
        """What `sla_watch` did to this running clock in the minutes before `until` (and before now)."""
        if c.state != SlaClock.State.RUNNING or c.due_at is None:
            return
        until = min(until, self.now)
        if c.breached_at is None:
            breach = max(ceil_minute(c.due_at), c.first_watch)
            if c.warned_at is None and c.warn_at is not None:
                warn = max(ceil_minute(c.warn_at), c.first_watch)
                if warn < breach and warn < until:  # in one run the breach step comes first and warns too
                    c.warned_at = warn
                    self._escalation(c, 0, warn, [self.t.owner or self.leaders.get(self.t.group_id)],
                                     "ticket.sla_warning")
            if breach >= until:
                return
            c.breached_at = c.due_at
            c.warned_at = c.warned_at or breach
            c.escalation_level = 1
            c.next_escalation_at = self._next_escalation(c, after=1)
            self._escalation(c, 1, breach, [self.t.owner, self.leaders.get(self.t.group_id)], "ticket.sla_breached")
            last = breach
        else:
            last = 0
        while c.next_escalation_at is not None:
            at = max(ceil_minute(c.next_escalation_at), last)
            if at >= until or c.escalation_level + 1 > 3:
                return
            c.escalation_level += 1
            c.next_escalation_at = self._next_escalation(c, after=c.escalation_level)
            role = Role.MANAGER if c.escalation_level == 2 else Role.GENERAL_MANAGER
            self._escalation(c, c.escalation_level, at, self.holders[role], "ticket.sla_escalated")
            last = at

    def watch_all(self, until: int) -> None:
        for c in self.t.clocks:
            self.watch(c, until=until)

    def _next_escalation(self, c: ClockRecord, *, after: int) -> int | None:
        t = self.t
        if after >= 3 or (after == 2 and not (t.is_major or t.priority == Priority.URGENT)):
            return None
        step = c.target_seconds * self.escalation_step // 100 * after
        return self.business[c.target.calendar_id].add(c.due_at, step)[0]

    def _escalation(self, c: ClockRecord, level: int, at: int, recipients: list, action: str) -> None:
        recipients = [user for user in recipients if user is not None]
        self.t.escalations.append((c.id, level, at, recipients))
        self._event(action, None, {"clock": c.id, "kind": c.kind, "level": level,
                                   "due": json_instant(c.due_at), "recipients": recipients}, at=at,
                    local=("clock", "clock"))

