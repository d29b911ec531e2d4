"""SLA clocks on a request (R10.4, R4.4, R3.3): started, paused, resumed, met and re-evaluated.

Not actions of their own: the ticket actions call these inside their transaction, with the
ticket row already locked, so a clock always changes together with the move that caused it.
Business time comes from the clock's calendar (`fuwu.standards.calendars`).
"""

from datetime import datetime, timedelta

from django.db.models import Count, Min, Q

from fuwu.standards.businesstime import BusinessClock
from fuwu.standards.calendars import business_clock
from fuwu.standards.models import Channel, ClockKind, SlaTarget
from fuwu.standards.sla import Facts, targets_for
from fuwu.tickets.lifecycle import Status
from fuwu.tickets.models import Handover, SlaClock, SlaClockPause, Ticket

RUNNING, PAUSED, MET, STOPPED = (SlaClock.State.RUNNING, SlaClock.State.PAUSED, SlaClock.State.MET,
                                 SlaClock.State.STOPPED)
LIVE = (RUNNING, PAUSED)
# A call or a visit is answered while it is taken: its first response is met at registration.
LIVE_CHANNELS = frozenset({Channel.PHONE, Channel.WALK_IN})


def facts_of(ticket: Ticket) -> Facts:
    customer_class = ticket.customer.customer_class if ticket.customer_id else ""
    return Facts(ticket.service_type_id, ticket.priority, customer_class, ticket.region_id, ticket.channel)


def _seconds(delta: timedelta) -> int:
    return max(0, round(delta.total_seconds()))


def _schedule(clock: SlaClock, business: BusinessClock | None = None) -> None:
    """Compute due and warning instants of a running clock from what it has left."""
    business = business or business_clock(clock.calendar_id)
    left = max(0, clock.target_seconds - clock.consumed_seconds)
    due = business.add(clock.running_since, timedelta(seconds=left))
    warn_after = max(0, clock.target_seconds * clock.target.warn_percent // 100 - clock.consumed_seconds)
    clock.due_at = due.at
    clock.warn_at = business.add(clock.running_since, timedelta(seconds=warn_after)).at
    clock.missing_years = list(due.missing_years)


def _new_clock(ticket: Ticket, target: SlaTarget, *, at: datetime, handover: Handover | None = None) -> SlaClock:
    business = business_clock(target.calendar_id)
    if target.end_of_business_day:
        # 当天事情当天办 (R10.4): the working time left in the day it starts is the whole target.
        seconds = _seconds(business.between(at, business.end_of_business_day(at).at).duration)
    else:
        seconds = target.minutes * 60
    clock = SlaClock(ticket=ticket, kind=target.kind, target=target, calendar_id=target.calendar_id,
                     handover=handover, target_seconds=seconds, started_at=at, running_since=at)
    _schedule(clock, business)
    return clock


def clock_start(ticket: Ticket, target: SlaTarget, *, at: datetime, handover: Handover | None = None) -> SlaClock:
    clock = _new_clock(ticket, target, at=at, handover=handover)
    clock.save()
    return clock


def _mark_met(clock: SlaClock, at: datetime) -> None:
    if clock.state == RUNNING:
        clock.consumed_seconds += _seconds(business_clock(clock.calendar_id).between(clock.running_since, at).duration)
    if clock.due_at is not None and at > clock.due_at and clock.breached_at is None:
        clock.breached_at = clock.due_at  # met late: breached when it fell due, even if the watch never saw it
    clock.state, clock.met_at, clock.running_since, clock.warn_at, clock.next_escalation_at = MET, at, None, None, None


def clock_meet(clock: SlaClock, *, at: datetime) -> None:
    _close_pause(clock, at)
    _mark_met(clock, at)
    clock.save()


def clock_stop(clock: SlaClock, *, at: datetime) -> None:
    """The clock no longer applies (cancelled request, declined hand-over): neither met nor breached later."""
    _close_pause(clock, at)
    clock.state, clock.running_since, clock.warn_at, clock.next_escalation_at = STOPPED, None, None, None
    clock.save()


def clock_pause(clock: SlaClock, *, at: datetime, reason: str) -> None:
    if clock.state != RUNNING:
        return
    clock.consumed_seconds += _seconds(business_clock(clock.calendar_id).between(clock.running_since, at).duration)
    clock.state, clock.running_since, clock.due_at, clock.warn_at = PAUSED, None, None, None
    clock.next_escalation_at = None
    clock.save()
    SlaClockPause.objects.create(clock=clock, started_at=at, reason=reason)


def clock_resume(clock: SlaClock, *, at: datetime) -> None:
    if clock.state != PAUSED:
        return
    _close_pause(clock, at)
    clock.state, clock.running_since = RUNNING, at
    _schedule(clock)
    clock.save()


def _close_pause(clock: SlaClock, at: datetime) -> None:
    if clock.state == PAUSED:
        SlaClockPause.objects.filter(clock=clock, ended_at__isnull=True).update(ended_at=at)


def _live(ticket: Ticket, *kinds: str):
    return SlaClock.objects.filter(ticket=ticket, state__in=LIVE, kind__in=kinds).select_related("target")


# -- what the ticket actions call -------------------------------------------------------------------


def plan_registration(ticket: Ticket) -> list[SlaClock]:
    """The first-response and resolution clocks of a request about to be inserted, from the time received.

    Computed before the insert, unsaved, with the ticket's queue columns set from them: registration
    then writes the ticket and its clocks in two statements (`SlaClock.objects.bulk_create`).
    """
    targets = targets_for(facts_of(ticket))
    planned = []
    for kind in (ClockKind.FIRST_RESPONSE, ClockKind.RESOLUTION):
        if kind in targets:
            clock = _new_clock(ticket, targets[kind], at=ticket.received_at)
            if kind == ClockKind.FIRST_RESPONSE and ticket.channel in LIVE_CHANNELS:
                _mark_met(clock, ticket.registered_at)
            planned.append(clock)
    running = [c for c in planned if c.state == RUNNING]
    ticket.sla_due_at = min((c.due_at for c in running), default=None)
    ticket.sla_state = _sla_state(ticket.sla_due_at, breached=any(c.breached_at for c in running),
                                  warned=False, paused=False)
    return planned


def on_responded(ticket: Ticket, *, at: datetime) -> None:
    """Accepted, started, replied to or resolved: the customer has had a first response."""
    for clock in _live(ticket, ClockKind.FIRST_RESPONSE):
        clock_meet(clock, at=at)
    refresh_ticket(ticket)


def on_status_changed(ticket: Ticket, *, old: str, new: str, at: datetime) -> None:
    if new in (Status.ACCEPTED, Status.IN_PROGRESS, Status.RESOLVED):
        for clock in _live(ticket, ClockKind.FIRST_RESPONSE):
            clock_meet(clock, at=at)
    if new == Status.PENDING_CUSTOMER:
        for clock in _live(ticket, ClockKind.RESOLUTION):
            clock_pause(clock, at=at, reason="pending_customer")
    if old == Status.PENDING_CUSTOMER and new == Status.IN_PROGRESS:
        for clock in _live(ticket, ClockKind.RESOLUTION):
            clock_resume(clock, at=at)
    if new == Status.RESOLVED:
        for clock in _live(ticket, ClockKind.RESOLUTION):
            clock_meet(clock, at=at)
        for clock in _live(ticket, ClockKind.ONSITE_ARRIVAL, ClockKind.HANDOVER_ACCEPTANCE):
            clock_stop(clock, at=at)  # resolved without a visit, or before the hand-over was taken up
        target = targets_for(facts_of(ticket)).get(ClockKind.FOLLOW_UP)
        if target is not None and not _live(ticket, ClockKind.FOLLOW_UP).exists():
            clock_start(ticket, target, at=at)
    if new == Status.REOPENED:
        for clock in _live(ticket, ClockKind.FOLLOW_UP):
            clock_stop(clock, at=at)
        target = targets_for(facts_of(ticket)).get(ClockKind.RESOLUTION)
        if target is not None:
            clock_start(ticket, target, at=at)  # a fresh resolution clock for the reopened matter
    if new == Status.CANCELLED:
        for clock in SlaClock.objects.filter(ticket=ticket, state__in=LIVE):
            clock_stop(clock, at=at)
    refresh_ticket(ticket)


def on_handover_requested(ticket: Ticket, handover: Handover) -> None:
    target = targets_for(facts_of(ticket)).get(ClockKind.HANDOVER_ACCEPTANCE)
    if target is not None:
        clock_start(ticket, target, at=handover.created_at, handover=handover)
    refresh_ticket(ticket)


def on_handover_decided(ticket: Ticket, handover: Handover, *, at: datetime) -> None:
    """Accepted meets the acceptance clock (R3.3); declined or withdrawn stops it."""
    for clock in SlaClock.objects.filter(handover=handover, state__in=LIVE).select_related("target"):
        if handover.state == Handover.State.ACCEPTED:
            clock_meet(clock, at=at)
        else:
            clock_stop(clock, at=at)
    refresh_ticket(ticket)


def on_tier_changed(ticket: Ticket, *, at: datetime) -> None:
    """Going on site starts the arrival clock, with the region's deadline (R4.4); going back stops it."""
    live = list(_live(ticket, ClockKind.ONSITE_ARRIVAL))
    if ticket.tier == "onsite" and not live and ticket.onsite_arrived_at is None:
        target = targets_for(facts_of(ticket)).get(ClockKind.ONSITE_ARRIVAL)
        if target is not None:
            clock_start(ticket, target, at=at)
    elif ticket.tier != "onsite":
        for clock in live:
            clock_stop(clock, at=at)
    refresh_ticket(ticket)


def on_arrived(ticket: Ticket, *, at: datetime) -> None:
    for clock in _live(ticket, ClockKind.ONSITE_ARRIVAL):
        clock_meet(clock, at=at)
    refresh_ticket(ticket)


def on_followed_up(ticket: Ticket, *, at: datetime) -> None:
    for clock in _live(ticket, ClockKind.FOLLOW_UP):
        clock_meet(clock, at=at)
    refresh_ticket(ticket)


def reevaluate(ticket: Ticket, *, at: datetime) -> list[dict]:
    """After a change of type or priority: each live clock takes the target that now applies.

    Working time already used is kept; the due instant is recomputed. A clock whose kind has no
    target any more stops. Returns what changed, for the audit event.
    """
    targets = targets_for(facts_of(ticket))
    changes = []
    for clock in SlaClock.objects.filter(ticket=ticket, state__in=LIVE).select_related("target"):
        target = targets.get(clock.kind)
        before = {"kind": clock.kind, "target": clock.target_id, "due": clock.due_at}
        if target is None:
            clock_stop(clock, at=at)
            changes.append({**before, "stopped": True})
            continue
        if target.pk == clock.target_id:
            continue
        if clock.state == RUNNING:
            business = business_clock(clock.calendar_id)
            clock.consumed_seconds += _seconds(business.between(clock.running_since, at).duration)
            clock.running_since = at
        clock.target, clock.calendar_id = target, target.calendar_id
        if target.end_of_business_day:
            business = business_clock(target.calendar_id)
            clock.target_seconds = clock.consumed_seconds + _seconds(
                business.between(at, business.end_of_business_day(at).at).duration)
        else:
            clock.target_seconds = target.minutes * 60
        clock.warned_at = None if clock.breached_at is None else clock.warned_at
        if clock.state == RUNNING:
            _schedule(clock)
        clock.save()
        changes.append({**before, "new_target": target.pk, "new_due": clock.due_at})
    refresh_ticket(ticket)
    return changes


def refresh_ticket(ticket: Ticket) -> None:
    """Keep the queue's columns: the most urgent running clock's due instant, and the worst state.

    Derived data, so it is written without bumping the ticket's version (no false edit conflicts).
    """
    running = Q(state=RUNNING)
    seen = SlaClock.objects.filter(ticket=ticket).aggregate(
        due=Min("due_at", filter=running),
        breached=Count("pk", filter=running & Q(breached_at__isnull=False)),
        warned=Count("pk", filter=running & Q(warned_at__isnull=False)),
        paused=Count("pk", filter=Q(state=PAUSED)),
    )
    due = seen["due"]
    state = _sla_state(due, breached=seen["breached"] > 0, warned=seen["warned"] > 0, paused=seen["paused"] > 0)
    Ticket.objects.filter(pk=ticket.pk).update(sla_due_at=due, sla_state=state)
    ticket.sla_due_at, ticket.sla_state = due, state


def _sla_state(due: datetime | None, *, breached: bool, warned: bool, paused: bool) -> str:
    """The worst state of the running clocks, as the queue shows it."""
    if breached:
        return "breached"
    if warned:
        return "warning"
    if due is not None:
        return "running"
    return "paused" if paused else ""
