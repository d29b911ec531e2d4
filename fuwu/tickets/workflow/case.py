"""One request and its clocks, and what each change does to them (R3.3, R4.1, R4.3, R4.4, R10.4).

`Case` is given a request's state (`Request`), its clocks, the targets that apply to it and its
calendars; each method is one change at an instant: it checks the rule, changes the state and the
clocks, and returns the audit payload. The ticket actions load rows into a `Case` and write back
what changed (`fuwu.tickets.persist`); the bulk demo loader (`fuwu.tickets.bulkload`) keeps
`Case`s in memory and writes them by COPY. Nothing here knows Django or the database.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from fuwu.tickets.workflow import clocks as c
from fuwu.tickets.workflow.clocks import Calendar, Clock, Target
from fuwu.tickets.workflow.states import (
    LIVE,
    LIVE_CHANNELS,
    OPEN_STATUSES,
    TIER_ORDER,
    ClockKind,
    Move,
    SlaState,
    Status,
    Tier,
    transition_for,
)

K = ClockKind
# Statuses whose reaching the first-responsible person hears of (R3.3), as for every manual move.
NOTIFIED = frozenset({Status.RESOLVED, Status.CLOSED, Status.REOPENED, Status.CANCELLED})
RESPONDED = frozenset({Status.ACCEPTED, Status.IN_PROGRESS, Status.RESOLVED})
FOLLOWED_UP = frozenset({Status.RESOLVED, Status.CLOSED})


class Refusal(StrEnum):
    """Why a rule refuses a change; the actions turn each into a typed error (`TicketError`)."""

    MOVE_NOT_ALLOWED = "move_not_allowed"
    SAME_TIER = "same_tier"
    REASON_REQUIRED = "reason_required"
    AUTHORISATION_REQUIRED = "authorisation_required"
    NOT_ONSITE = "not_onsite"
    ALREADY_ARRIVED = "already_arrived"
    HANDOVER_PENDING = "handover_pending"
    NOT_OPEN = "ticket_closed"
    NOT_RESOLVED = "not_resolved"


class Refused(ValueError):
    def __init__(self, refusal: Refusal):
        super().__init__(refusal.value)
        self.refusal = refusal


@dataclass(slots=True)
class Request:
    """What the rules look at and change on a request; instants in microseconds (`to_us`)."""

    status: str = Status.NEW
    tier: str = Tier.HOTLINE
    channel: str = ""
    priority: str = ""
    is_major: bool = False
    remote_authorised: bool = False
    first_responsible: int | None = None
    owner: int | None = None
    group_id: int | None = None
    has_pending_handover: bool = False
    resolution: str = ""
    resolved_at: int | None = None
    closed_at: int | None = None
    onsite_arrived_at: int | None = None
    repeat_contacts: int = 0


@dataclass(slots=True)
class Moved:
    """What a move did: the audit payload, and what the caller must do besides writing the state."""

    payload: dict[str, Any]
    notify_first_responsible: bool
    withdraw_handover: bool


class Case:
    """A request, its clocks and the rules, at the instants given (never the wall clock).

    `targets()`: the targets that apply to the request now, per clock kind (asked only when a clock
    starts or is re-evaluated). `calendar(id)`: a calendar's business clock. `new_id()`: the id of
    a new clock (None: the database gives it).
    """

    def __init__(self, request: Request, clocks: list[Clock], *, targets: Callable[[], Mapping[str, Target]],
                 calendar: Callable[[int], Calendar], new_id: Callable[[], int | None] = lambda: None):
        self.request = request
        self.clocks = clocks
        self._targets = targets
        self.calendar = calendar
        self.new_id = new_id

    # -- clocks -------------------------------------------------------------------------------------

    def live(self, *kinds: str) -> list[Clock]:
        return [k for k in self.clocks if k.state in LIVE and (not kinds or k.kind in kinds)]

    def targets(self) -> Mapping[str, Target]:
        return self._targets()

    def start(self, target: Target, at: int, handover: object | None = None) -> Clock:
        clock = c.new_clock(target, self.calendar(target.calendar_id), at, handover=handover, clock_id=self.new_id())
        self.clocks.append(clock)
        return clock

    def meet(self, clock: Clock, at: int) -> None:
        c.meet(clock, self.calendar(clock.target.calendar_id), at)

    def stop(self, clock: Clock, at: int) -> None:
        c.stop(clock, at)

    def queue_columns(self) -> tuple[int | None, SlaState]:
        return c.queue_columns(self.clocks)

    # -- the changes --------------------------------------------------------------------------------

    def register(self, received_at: int, registered_at: int) -> None:
        """First response and resolution run from the time received; a call or a visit is answered
        as it is taken, so its first response is met at registration."""
        targets = self.targets()
        for kind in (K.FIRST_RESPONSE, K.RESOLUTION):
            if kind in targets:
                clock = self.start(targets[kind], received_at)
                if kind == K.FIRST_RESPONSE and self.request.channel in LIVE_CHANNELS:
                    self.meet(clock, registered_at)

    def respond(self, at: int) -> None:
        """Accepted, started, replied to or resolved: the customer has had a first response."""
        for clock in self.live(K.FIRST_RESPONSE):
            self.meet(clock, at)

    def move(self, move: str, at: int, *, actor: int | None, resolution: str = "", reason: str = "",
             automatic: bool = False) -> Moved:
        """One row of the transition table (R4.1); refused when the table has none from here."""
        r = self.request
        transition = transition_for(r.status, move)
        if transition is None:
            raise Refused(Refusal.MOVE_NOT_ALLOWED)
        old, new = r.status, transition.target
        payload: dict[str, Any] = {"move": str(move), "from": str(old), "to": str(new)}
        if automatic:
            payload["automatic"] = True
        if move == Move.RESOLVE:
            r.resolution, r.resolved_at = resolution, at
            payload["resolution"] = resolution
        if move in (Move.CANCEL, Move.REOPEN):
            payload["reason"] = reason
        if move == Move.ACCEPT and r.owner is None:
            r.owner = actor
        if new == Status.CLOSED:
            r.closed_at = at
        if move == Move.REOPEN:
            r.resolved_at = None
        withdraw = new not in OPEN_STATUSES and r.has_pending_handover
        if withdraw:  # a resolved, closed or cancelled request can no longer be handed over (R3.3)
            r.has_pending_handover = False
            payload["handover_withdrawn"] = True
        r.status = new
        self._status_changed(old, new, at)
        return Moved(payload, new in NOTIFIED, withdraw)

    def _status_changed(self, old: str, new: Status, at: int) -> None:
        if new in RESPONDED:
            self.respond(at)
        if new == Status.PENDING_CUSTOMER:
            for clock in self.live(K.RESOLUTION):
                c.pause(clock, self.calendar(clock.target.calendar_id), at, "pending_customer")
        if old == Status.PENDING_CUSTOMER and new == Status.IN_PROGRESS:
            for clock in self.live(K.RESOLUTION):
                c.resume(clock, self.calendar(clock.target.calendar_id), at)
        if new == Status.RESOLVED:
            for clock in self.live(K.RESOLUTION):
                self.meet(clock, at)
            for clock in self.live(K.ONSITE_ARRIVAL, K.HANDOVER_ACCEPTANCE):
                self.stop(clock, at)  # resolved without a visit, or before the hand-over was taken up
            target = self.targets().get(K.FOLLOW_UP)
            if target is not None and not self.live(K.FOLLOW_UP):
                self.start(target, at)
        if new == Status.REOPENED:
            for clock in self.live(K.FOLLOW_UP):
                self.stop(clock, at)
            target = self.targets().get(K.RESOLUTION)
            if target is not None:
                self.start(target, at)  # a fresh resolution clock for the reopened matter
        if new == Status.CANCELLED:
            for clock in self.live():
                self.stop(clock, at)

    def check_hand_over(self) -> None:
        if self.request.has_pending_handover:
            raise Refused(Refusal.HANDOVER_PENDING)

    def hand_over(self, handover: object, at: int) -> None:
        """A registered hand-over (R3.3) starts the acceptance clock; the owner stays owner until accepted.
        One at a time: a second waits until the first is decided."""
        self.check_hand_over()
        self.request.has_pending_handover = True
        target = self.targets().get(K.HANDOVER_ACCEPTANCE)
        if target is not None:
            self.start(target, at, handover)

    def accept_handover(self, handover: object, at: int, *, actor: int, to_group: int | None) -> dict[str, Any]:
        """The target takes the request on: owner, in the target group; a new request is accepted
        through the table; the acceptance clock is met."""
        r = self.request
        old_owner = r.owner
        r.owner, r.group_id, r.has_pending_handover = actor, to_group, False
        for clock in self.live():
            if clock.handover == handover:
                self.meet(clock, at)
        transition = transition_for(r.status, Move.ACCEPT)
        if r.status == Status.NEW and transition is not None:
            r.status = transition.target
            self._status_changed(Status.NEW, transition.target, at)
        if r.status == Status.ACCEPTED:
            self.respond(at)
        return {"old_owner": old_owner, "new_owner": actor}

    def end_handover(self, handover: object, at: int) -> None:
        """Declined or withdrawn: its acceptance clock stops."""
        self.request.has_pending_handover = False
        for clock in self.live():
            if clock.handover == handover:
                self.stop(clock, at)

    def reassign(self, owner: int | None, group_id: int) -> None:
        """A manager's direct reassignment (R3.3); waiting hand-overs are withdrawn first (`end_handover`)."""
        r = self.request
        r.owner, r.group_id, r.has_pending_handover = owner, group_id, False

    def change_tier(self, tier: str, at: int, *, reason: str, authorised: bool) -> dict[str, Any]:
        """R4.3: hotline -> remote -> on site, one step up at a time; a step may be skipped (hotline
        straight to on site) and the event then names the skipped tier, under the reason required of
        every change; going back down is allowed. Remote service needs the customer's authorisation,
        recorded once. Going on site starts the arrival clock (R4.4); leaving it stops that clock."""
        r = self.request
        if tier not in TIER_ORDER or tier == r.tier:
            raise Refused(Refusal.SAME_TIER)
        if not reason:
            raise Refused(Refusal.REASON_REQUIRED)
        if tier == Tier.REMOTE and not (authorised or r.remote_authorised):
            raise Refused(Refusal.AUTHORISATION_REQUIRED)
        old, new = TIER_ORDER.index(Tier(r.tier)), TIER_ORDER.index(Tier(tier))
        payload: dict[str, Any] = {"from": str(r.tier), "to": str(tier), "reason": reason, "step": new - old}
        if new - old > 1:
            payload["skipped"] = [str(t) for t in TIER_ORDER[old + 1:new]]
        r.tier = Tier(tier)
        if authorised and not r.remote_authorised:
            r.remote_authorised = True
            payload["customer_authorised"] = True
        live = self.live(K.ONSITE_ARRIVAL)
        if r.tier == Tier.ONSITE and not live and r.onsite_arrived_at is None:
            target = self.targets().get(K.ONSITE_ARRIVAL)
            if target is not None:
                self.start(target, at)
        elif r.tier != Tier.ONSITE:
            for clock in live:
                self.stop(clock, at)
        return payload

    def arrive(self, at: int) -> None:
        """The technician is on site (R4.4): once, and only on site."""
        r = self.request
        if r.tier != Tier.ONSITE:
            raise Refused(Refusal.NOT_ONSITE)
        if r.onsite_arrived_at is not None:
            raise Refused(Refusal.ALREADY_ARRIVED)
        r.onsite_arrived_at = at
        for clock in self.live(K.ONSITE_ARRIVAL):
            self.meet(clock, at)

    def check_follow_up(self) -> None:
        """A follow-up with the customer comes after the resolution (R10.4)."""
        if self.request.status not in FOLLOWED_UP:
            raise Refused(Refusal.NOT_RESOLVED)

    def follow_up(self, at: int) -> None:
        """The follow-up call meets the follow-up clock."""
        self.check_follow_up()
        for clock in self.live(K.FOLLOW_UP):
            self.meet(clock, at)

    def repeat_contact(self) -> None:
        """The customer called again about this open matter: counted on it, no new request (R3.4)."""
        if self.request.status not in OPEN_STATUSES:
            raise Refused(Refusal.NOT_OPEN)
        self.request.repeat_contacts += 1

    def reclassify(self, at: int, stamp: Callable[[int | None], Any]) -> list[dict[str, Any]]:
        """After a change of type or priority each live clock takes the target that now applies,
        keeping the working time used; a kind without a target any more stops. Returns the changes."""
        targets = self.targets()
        changes = []
        for clock in self.live():
            target = targets.get(clock.kind)
            before = {"kind": str(clock.kind), "target": clock.target.id, "due": stamp(clock.due_at)}
            if target is None:
                self.stop(clock, at)
                changes.append({**before, "stopped": True})
                continue
            if target.id == clock.target.id:
                continue
            old_calendar = self.calendar(clock.target.calendar_id)
            c.retarget(clock, target, self.calendar(target.calendar_id), old_calendar, at)
            changes.append({**before, "new_target": target.id, "new_due": stamp(clock.due_at)})
        return changes
