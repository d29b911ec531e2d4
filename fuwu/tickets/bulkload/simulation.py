"""`FastTicketGenerator`: the demo year of `fuwu.tickets.demo`, lived through the workflow core without the ORM.

Each action of the year is the core's change (`fuwu.tickets.workflow.case.Case`) on the request's
records, with the same payload the action records; the minute-by-minute breach watch is replayed
with the core's rules (`fuwu.tickets.workflow.watch`) at the minutes it would have run. What is
left here is the bookkeeping the actions do through the ORM: ids, versions, rows, events.
"""

from collections import Counter

from fuwu.org.roles import Role
from fuwu.tickets.actions.conversation import sanitise
from fuwu.tickets.bulkload.instants import DAY, MINUTE, ceil_minute, json_instant
from fuwu.tickets.bulkload.records import HandoverRecord, TicketRecord
from fuwu.tickets.bulkload.world import World
from fuwu.tickets.demo_script import DemoLife, Draft, request_rng
from fuwu.tickets.workflow import payloads, watch
from fuwu.tickets.workflow.case import Case
from fuwu.tickets.workflow.clocks import Clock
from fuwu.tickets.workflow.states import ClockState, Event, HandoverState, Move, Status, Tier
from fuwu.tickets.workflow.watch import Step, next_due

FOLLOW_UP = "follow_up"  # `Entry.Kind.FOLLOW_UP`
RUNNING = ClockState.RUNNING


class FastTicketGenerator:
    """The demo year's script (`fuwu.tickets.demo_script`) played through the core, for a chunk of requests.

    The same requests' lives as the demo through the actions (the same script, each request with
    its own random generator), the same rows and events as the actions, the SLA clocks and the
    breach watch by the same rules.

    The requests' ids and numbers are given; the ids of what they make (clocks, hand-overs, repeat
    contacts, entries) count from 0 within the chunk and are moved into place when the chunk is
    written (`encoding.encode_chunk`), once the chunks before it have said how many they used. So
    chunks simulate independently (each with its own random generator), in any process.
    """

    def __init__(self, world: World):
        self.world = world
        self.now = world.now
        self.ids = {"clock": 0, "handover": 0, "repeat": 0, "entry": 0}  # the next id per table, in this chunk
        self.agents, self.support, self.technicians = world.agents, world.support, world.technicians
        self.manager, self.callers, self.regions = world.manager, world.callers, world.regions
        self.groups, self.leaders, self.holders = world.groups, world.leaders, world.holders
        self.types, self.business, self.escalation_step = world.types, world.business, world.escalation_step
        self.classes = world.classes
        self._sanitised: dict[str, str] = {}
        self.statuses: Counter = Counter()
        self.events: list[tuple] = []  # (at, ticket id, step, action, actor, payload, ticket, local id key)
        self.first_watch: dict[int, int] = {}  # per clock id: the watch's first run after its row existed
        self._calendar = self.business.__getitem__
        self.at = 0
        self.t: TicketRecord = None  # type: ignore[assignment]
        self.case: Case = None  # type: ignore[assignment]

    def run(self, tickets: list[TicketRecord]) -> None:
        for t in tickets:
            self.live(t)

    def next_id(self, table: str) -> int:
        value = self.ids[table]
        self.ids[table] = value + 1
        return value

    def _event(self, action: str, actor: int | None, payload: dict, at: int | None = None,
               local: tuple[str, str] | None = None) -> None:
        """`local`: (payload key, table) of an id counted within the chunk, moved into place when written."""
        t = self.t
        t.step += 1
        self.events.append((self.at if at is None else at, t.id, t.step, str(action), actor, payload, t, local))

    def _begin(self) -> Case:
        """Before an action at `self.at`: what the watch did to the request's clocks in the minutes before."""
        self.watch_all(self.at)
        return self.case

    def _save(self) -> None:
        """After an action: the version and time as the actions' `_save` leaves them."""
        t = self.t
        t.version += 1
        t.updated_at = self.at
        self._watch_new_clocks()

    def _targets(self) -> dict:
        return self.t.targets  # the facts the policies look at do not change during the demo's life

    def _new_clock_id(self) -> int:
        return self.next_id("clock")

    def _watch_new_clocks(self) -> None:
        """The watch sees a clock from its first run at or after the change that wrote the clock's row (a run
        in the same minute as a change comes after it, as in `fuwu.tickets.demo`)."""
        clocks, first_watch = self.t.clocks, self.first_watch
        if len(first_watch) < len(clocks):  # new clocks are appended
            run = ceil_minute(self.at)
            for clock in clocks[len(first_watch):]:
                first_watch[clock.id] = run

    # The actions, through the core --------------------------------------------------------------------------------

    def register(self, actor: int, draft: Draft, *, settle: str = "", retroactive: bool = False,
                 major: bool = False) -> None:
        t = self.t
        t.code, t.service_type = draft.code, self.types[draft.code]
        t.title, t.description, t.channel = draft.title, draft.description, draft.channel
        t.customer_id, t.contact_name, t.contact_phone = draft.customer_id, draft.contact_name, draft.contact_phone
        t.customer_class = self.classes.get(draft.customer_id, "") if draft.customer_id else ""
        t.site_address, t.region_id, t.occurred_since = draft.site_address, draft.region_id, draft.occurred_since
        service_type = t.service_type
        t.first_responsible = t.owner = actor
        t.group_id = self.world.user_group.get(actor) or service_type.default_group_id
        t.priority = service_type.default_priority
        t.is_retroactive = retroactive
        t.targets = self.world.targets[(service_type.pk, t.priority, t.customer_class, t.region_id, t.channel)]
        self.case = Case(t, t.clocks, targets=self._targets, calendar=self._calendar, new_id=self._new_clock_id)
        self.case.register(t.received, t.registered)
        t.updated_at = self.at
        self._watch_new_clocks()
        self._event(Event.REGISTERED, actor, payloads.registered(
            number=t.number, type_code=t.code, channel=t.channel, retroactive=retroactive,
            received_at=json_instant(t.received)))
        if settle:
            self.move(actor, Move.RESOLVE, resolution=settle)
        if major:
            t.is_major = True
            self._save()
            self._event(Event.MARKED_MAJOR, actor, payloads.marked_major(reason=self.world.major_reason))

    def move(self, actor: int | None, move: Move, *, resolution: str = "", reason: str = "",
             automatic: bool = False) -> None:
        moved = self._begin().move(move, self.at, actor=actor, resolution=resolution, reason=reason,
                                   automatic=automatic)
        pending = self.t.pending
        if moved.withdraw_handover and pending is not None:
            pending.state, pending.decided_by, pending.decided_at = HandoverState.WITHDRAWN, actor, self.at
            self.t.pending = None
        self._save()
        self._event(Event.MOVED, actor, moved.payload)

    def hand_over(self, actor: int, group: str, to_user: int | None, note: str) -> HandoverRecord:
        t = self.t
        handover = HandoverRecord(self.next_id("handover"), t.id, actor, self.groups[group], to_user, note, self.at)
        t.handovers.append(handover)
        t.pending = handover
        self._begin().hand_over(handover, self.at)
        self._save()
        self._event(Event.HANDOVER_REQUESTED, actor, payloads.handover_requested(
            handover_id=handover.id, to_group=group, to_user=to_user, note=note), local=("handover_id", "handover"))
        return handover

    def decide(self, handover: HandoverRecord, actor: int, *, reason: str = "") -> None:
        case = self._begin()  # the watch's recipients are the owner and group of the time
        handover.decided_by, handover.decided_at = actor, self.at
        self.t.pending = None
        if reason:
            handover.state, handover.decline_reason = HandoverState.DECLINED, reason
            case.end_handover(handover, self.at)
            self._save()
            self._event(Event.HANDOVER_DECLINED, actor, payloads.handover_declined(handover_id=handover.id,
                                                                                 reason=reason),
                        local=("handover_id", "handover"))
            return
        handover.state = HandoverState.ACCEPTED
        decided = case.accept_handover(handover, self.at, actor=actor, to_group=handover.to_group)
        self._save()
        self._event(Event.HANDOVER_ACCEPTED, actor, payloads.handover_accepted(handover_id=handover.id,
                                                                               decided=decided),
                    local=("handover_id", "handover"))

    def change_tier(self, actor: int, tier: Tier, reason: str, authorised: bool = False) -> None:
        payload = self._begin().change_tier(tier, self.at, reason=reason, authorised=authorised)
        self._save()
        self._event(Event.TIER_CHANGED, actor, payload)

    def record_arrival(self, actor: int) -> None:
        self._begin().arrive(self.at)
        self._save()
        self._event(Event.ARRIVED_ON_SITE, actor, payloads.arrived(arrived_at=json_instant(self.at)))

    def follow_up(self, actor: int, note: str) -> None:
        t = self.t
        body = self._sanitised.get(note)
        if body is None:
            body = self._sanitised[note] = sanitise(note).strip()
        entry_id = self.next_id("entry")
        t.entries.append((entry_id, t.id, FOLLOW_UP, actor, body, self.at, None))
        self._begin().follow_up(self.at)
        self._save()
        self._event(Event.FOLLOW_UP_ADDED, actor, payloads.entry_added(entry_id=entry_id, supersedes=None, files=[]),
                    local=("entry_id", "entry"))

    def link_repeat(self, actor: int, channel: str, note: str) -> None:
        t = self.t
        repeat_id = self.next_id("repeat")
        t.repeats.append((repeat_id, t.id, channel, self.at, actor, note))
        self._begin().repeat_contact()
        self._save()
        self._event(Event.REPEAT_CONTACT, actor, payloads.repeat_contact(repeat_id=repeat_id, channel=channel,
                                                                          note=note),
                    local=("repeat_id", "repeat"))

    # The breach watch, replayed at the minutes it would have run ---------------------------------------------------

    def watch(self, clock: Clock, *, until: int) -> None:
        """What `sla_watch` did to this clock in its runs before `until` (and before now): one run a minute,
        from the first after the clock's row existed, each taking the steps the core says are due."""
        due = next_due(clock)
        if due is None or due >= until:  # most calls: nothing falls due before the change
            return
        until = min(until, self.now)
        t = self.t
        calendar = self.business[clock.target.calendar_id]
        major = watch.is_major(major=t.is_major, priority=t.priority)
        run = max(ceil_minute(due), self.first_watch[clock.id])
        while run < until:
            for step in watch.run(clock, run, calendar, major=major, step_percent=self.escalation_step):
                self._escalation(clock, step, run)
            due = next_due(clock)
            if due is None:
                return
            run = max(ceil_minute(due), run + MINUTE)

    def watch_all(self, until: int) -> None:
        for clock in self.t.clocks:
            if clock.state == RUNNING:  # asked before every change: the common case without a call
                self.watch(clock, until=until)

    def _recipients(self, step: Step) -> list[int]:
        t = self.t
        return watch.recipients(step, owner=t.owner, leader=self.leaders.get(t.group_id),
                                managers=self.holders[Role.MANAGER],
                                general_managers=self.holders[Role.GENERAL_MANAGER])

    def _escalation(self, clock: Clock, step: Step, at: int) -> None:
        recipients = self._recipients(step)
        self.t.escalations.append((clock.id, int(step.level), at, recipients))
        self._event(step.event, None, watch.payload(clock.id, clock, step.level, recipients, json_instant), at=at,
                    local=("clock", "clock"))

    def live(self, t: TicketRecord) -> None:
        """Run one life up to now: a step that would fall after now has not happened yet."""
        self.t, self.at = t, t.registered
        self.first_watch.clear()
        steps = DemoLife(request_rng(self.world.seed, t.index), self, callers=self.callers,
                         regions=self.regions).life()
        delay = next(steps, None)
        while delay is not None and self.at + delay < self.now:
            self.at += delay
            delay = next(steps, None)
        if t.status == Status.RESOLVED:  # the nightly job (03:00) closes what stayed unconfirmed for the period
            due, first_night = t.resolved_at + self.world.auto_close_after, self.world.first_night
            night = first_night + max(0, (due - first_night) // DAY + 1) * DAY
            if night < self.now:
                self.at = night
                self.move(None, Move.CLOSE, automatic=True)
        self.watch_all(self.now)
        self.statuses[t.status] += 1
