"""The pure workflow core (fuwu.tickets.workflow): properties over any sequence of changes (R3.3, R4.1,
R4.3, R10.4), and the Django choices agreeing with the core's values. No database."""

import contextlib
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fuwu.standards.businesstime import US, BusinessClock, Schedule, to_us
from fuwu.standards.models import ClockKind as DjangoClockKind
from fuwu.tickets import lifecycle
from fuwu.tickets.codes import TicketAction
from fuwu.tickets.models import Handover, SlaClock
from fuwu.tickets.workflow import watch
from fuwu.tickets.workflow.case import Case, Refused, Request
from fuwu.tickets.workflow.clocks import Target, used_seconds
from fuwu.tickets.workflow.states import (
    LIVE,
    TRANSITIONS,
    ClockKind,
    ClockState,
    Event,
    HandoverState,
    Move,
    Status,
    Tier,
)

SHANGHAI = ZoneInfo("Asia/Shanghai")
OFFICE = ((540, 720), (780, 1080))
CALENDAR = BusinessClock(Schedule(timezone="Asia/Shanghai", weekly=(OFFICE,) * 5 + ((), ()),
                                  needs_holiday_data=False))
START = to_us(datetime(2026, 11, 2, 9, 30, tzinfo=SHANGHAI))
K = ClockKind
TARGETS = {
    K.FIRST_RESPONSE: Target(1, K.FIRST_RESPONSE, 1, 30),
    K.RESOLUTION: Target(2, K.RESOLUTION, 1, 480),
    K.HANDOVER_ACCEPTANCE: Target(3, K.HANDOVER_ACCEPTANCE, 1, 60),
    K.ONSITE_ARRIVAL: Target(4, K.ONSITE_ARRIVAL, 1, 240),
    K.FOLLOW_UP: Target(5, K.FOLLOW_UP, 1, None, end_of_business_day=True),
}
URGENT_TARGETS = {**TARGETS, K.RESOLUTION: Target(6, K.RESOLUTION, 1, 120)}
FIRST_RESPONSIBLE, OWNER, OTHER = 7, 7, 8

changes = st.one_of(
    st.tuples(st.just("move"), st.sampled_from(list(Move))),
    st.tuples(st.just("hand_over"), st.just(None)),
    st.tuples(st.just("accept"), st.sampled_from([OTHER, 9])),
    st.tuples(st.just("decline"), st.just(None)),
    st.tuples(st.just("tier"), st.tuples(st.sampled_from(list(Tier)), st.booleans())),
    st.tuples(st.just("arrive"), st.just(None)),
    st.tuples(st.just("follow_up"), st.just(None)),
    st.tuples(st.just("respond"), st.just(None)),
    st.tuples(st.just("reclassify"), st.just(None)),
    st.tuples(st.just("reassign"), st.sampled_from([OTHER, 9])),
    st.tuples(st.just("watch"), st.just(None)),
)
delays = st.integers(min_value=0, max_value=30 * 3600)  # seconds between two changes
PROPERTIES = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])


class Run:
    """A case and the facts the properties need: each clock's meetings, the live clocks per kind."""

    def __init__(self, channel: str):
        self.targets = TARGETS
        self.case = Case(Request(channel=channel, priority="normal", first_responsible=FIRST_RESPONSIBLE, owner=OWNER),
                         [], targets=lambda: self.targets, calendar=lambda _id: CALENDAR)
        self.case.register(START - 120 * US, START)
        self.at = START
        self.handovers = 0
        self.pending: int | None = None
        self.met: dict[int, int] = {}  # id(clock) -> met_at, first seen

    def apply(self, change: str, value) -> None:
        case, at = self.case, self.at
        if change == "move":
            before = case.request.status
            allowed = any(t.source == before and t.move == value for t in TRANSITIONS)
            try:
                moved = case.move(value, at, actor=OWNER, resolution="done", reason="why")
            except Refused:
                assert not allowed and case.request.status == before
                return
            assert (before, value, case.request.status) in {(t.source, t.move, t.target) for t in TRANSITIONS}
            if moved.withdraw_handover:
                self.pending = None
        elif change == "hand_over" and self.pending is None and case.request.status in lifecycle.OPEN_STATUSES:
            self.handovers += 1
            self.pending = self.handovers
            case.hand_over(self.pending, at)
        elif change == "accept" and self.pending is not None:
            case.accept_handover(self.pending, at, actor=value, to_group=2)
            self.pending = None
        elif change == "decline" and self.pending is not None:
            case.end_handover(self.pending, at)
            self.pending = None
        elif change == "tier" and case.request.status in lifecycle.OPEN_STATUSES:
            tier, authorised = value
            before = case.request.tier
            try:
                payload = case.change_tier(tier, at, reason="because", authorised=authorised)
            except Refused:
                assert case.request.tier == before
                return
            step = tier_index(tier) - tier_index(before)
            assert payload["step"] == step and ("skipped" in payload) == (step > 1)
        elif change == "arrive" and case.request.status in lifecycle.OPEN_STATUSES:
            with contextlib.suppress(Refused):  # not on site, or already arrived
                case.arrive(at)
        elif change == "follow_up":
            try:
                case.follow_up(at)
            except Refused:
                assert case.request.status not in (Status.RESOLVED, Status.CLOSED)
        elif change == "respond":
            case.respond(at)
        elif change == "reclassify" and case.request.status in lifecycle.OPEN_STATUSES:
            self.targets = URGENT_TARGETS if self.targets is TARGETS else TARGETS
            case.reclassify(at, lambda us: us)
        elif change == "reassign" and case.request.status in lifecycle.OPEN_STATUSES:
            if self.pending is not None:
                case.end_handover(self.pending, at)
                self.pending = None
            case.reassign(value, 3)
        elif change == "watch":
            for clock in case.clocks:
                watch.run(clock, at, CALENDAR, major=False, step_percent=50)

    def check(self) -> None:
        r = self.case.request
        assert r.first_responsible == FIRST_RESPONSIBLE  # R3.3: never changes
        assert r.owner is not None  # exactly one owner, always
        assert r.has_pending_handover == (self.pending is not None)
        live_kinds = [c.kind for c in self.case.clocks if c.state in LIVE and c.kind != K.HANDOVER_ACCEPTANCE]
        assert len(live_kinds) == len(set(live_kinds))  # at most one live clock of a kind
        for clock in self.case.clocks:
            if clock.state == ClockState.MET:
                assert self.met.setdefault(id(clock), clock.met_at) == clock.met_at  # met once, never again
            else:
                assert id(clock) not in self.met
            elapsed = used_seconds(CALENDAR, clock.started_at, self.at)
            # Working time used never exceeds the working time elapsed (each stretch rounds to the second).
            assert clock.consumed <= elapsed + 1 + len(clock.pauses)
            if clock.state == ClockState.RUNNING:
                assert clock.due_at is not None and clock.due_at >= clock.running_since
            if clock.breached_at is not None:
                assert clock.breached_at <= self.at


def tier_index(tier: str) -> int:
    return (Tier.HOTLINE, Tier.REMOTE, Tier.ONSITE).index(Tier(tier))


@PROPERTIES
@given(channel=st.sampled_from(["phone", "email"]), steps=st.lists(st.tuples(delays, changes), max_size=25))
def test_any_sequence_of_changes_keeps_the_rules(channel, steps):
    run = Run(channel)
    run.check()
    for delay, (change, value) in steps:
        run.at += delay * US
        run.apply(change, value)
        run.check()


@PROPERTIES
@given(delays=st.lists(st.integers(min_value=0, max_value=20 * 3600), min_size=1, max_size=30),
       major=st.booleans())
def test_the_watch_takes_each_step_once_and_in_order(delays, major):
    """R10.4, R3.5: warning, breach, manager, general manager; never twice; the last only for major matters."""
    run = Run("email")
    clock = next(c for c in run.case.clocks if c.kind == K.RESOLUTION)
    taken = []
    at = START
    for delay in delays:
        at += delay * US
        taken += [step.level for step in watch.run(clock, at, CALENDAR, major=major, step_percent=50)]
    assert taken == sorted(set(taken))
    assert watch.Level.GENERAL_MANAGER not in taken or major
    if clock.breached_at is not None:
        assert clock.breached_at == clock.due_at and clock.warned_at is not None


def test_a_skipped_tier_is_named_and_remote_needs_the_authorisation():
    """R4.3: one step up at a time, or a skip named in the event; back down is allowed."""
    case = Run("phone").case
    with pytest.raises(Refused):
        case.change_tier(Tier.REMOTE, START, reason="远程", authorised=False)
    payload = case.change_tier(Tier.ONSITE, START, reason="需上门", authorised=False)
    assert payload == {"from": "hotline", "to": "onsite", "reason": "需上门", "step": 2, "skipped": ["remote"]}
    assert [c.kind for c in case.live(K.ONSITE_ARRIVAL)] == [K.ONSITE_ARRIVAL]
    payload = case.change_tier(Tier.HOTLINE, START + 60 * US, reason="电话已解决", authorised=False)
    assert payload["step"] == -2 and not case.live(K.ONSITE_ARRIVAL)


def test_the_django_choices_are_the_cores_values():
    assert {s.value for s in lifecycle.Status} == {s.value for s in Status}
    assert {t.value for t in lifecycle.Tier} == {t.value for t in Tier}
    assert {m.value for m in lifecycle.Move} == {m.value for m in Move}
    assert {k.value for k in DjangoClockKind} == {k.value for k in ClockKind}
    assert {s.value for s in SlaClock.State} == {s.value for s in ClockState}
    assert {s.value for s in Handover.State} == {s.value for s in HandoverState}
    assert {e.value for e in Event} <= {a.value for a in TicketAction}


def test_the_rules_refuse_a_second_hand_over_a_late_repeat_call_and_an_early_follow_up():
    """R3.3: one hand-over at a time; R3.4: repeat calls count on open matters; R10.4: follow-up after resolution."""
    case = Run("email").case
    with pytest.raises(Refused):
        case.follow_up(START)
    case.hand_over(1, START)
    with pytest.raises(Refused):
        case.hand_over(2, START)
    case.repeat_contact()
    assert case.request.repeat_contacts == 1
    case.move(Move.RESOLVE, START + 60 * US, actor=OWNER, resolution="done")
    assert not case.request.has_pending_handover  # withdrawn with the resolution
    case.follow_up(START + 120 * US)
    case.move(Move.CLOSE, START + 180 * US, actor=OWNER)
    with pytest.raises(Refused):
        case.repeat_contact()
