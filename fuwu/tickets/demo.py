"""Demo service requests (`manage.py seed_demo --tickets N`): the demo year played through the actions.

Every request lives its life (`fuwu.tickets.demo_script`) through `fuwu.tickets.actions`
(registration, hand-over, acceptance or a decline, tier changes, work, waiting for the customer,
resolution, confirmation, reopening, cancellation by the manager, repeat calls, major matters), so
the audit chain covers all of it. `seed_demo --fast` plays the same script through the workflow
core and writes by COPY (`fuwu.tickets.bulkload`).

A simulated clock runs through the year: each request's steps are events in one time-ordered
queue, and each action runs with `timezone.now()` at its event's time; between two events the
breach watch (`sla_watch`) runs at the minutes something falls due, and the auto-close job every
night. Steps that would fall after the real now are left undone, so recent requests are still
open. Deterministic for a seed.
"""

import heapq
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Min, Q
from django.utils import timezone

from fuwu.customers.models import Address, Contact
from fuwu.org.models import Group, Profile, Region
from fuwu.org.roles import Role
from fuwu.standards.businesstime import from_us, to_us
from fuwu.standards.models import ServiceType
from fuwu.tickets import actions
from fuwu.tickets.demo_script import (
    CATALOGUE,
    DAY,
    MINUTE,
    Caller,
    DemoLife,
    Draft,
    arrivals,
    first_night,
    request_rng,
)
from fuwu.tickets.events import replaying_history
from fuwu.tickets.lifecycle import Move, Tier
from fuwu.tickets.models import Entry, SlaClock, Ticket
from fuwu.tickets.validation import TicketInput


@dataclass
class _Staff:
    agents: list
    support: list
    technicians: list
    manager: object


def _staff() -> _Staff:
    def members(group: str, role: Role) -> list:
        ids = Profile.objects.filter(group__code=group, roles__code=role, is_active=True).order_by("id").values_list(
            "user_id", flat=True)
        return list(get_user_model().objects.filter(pk__in=list(ids)).order_by("id"))

    manager = get_user_model().objects.filter(
        profile__roles__code=Role.MANAGER, profile__is_active=True).order_by("id").first()
    staff = _Staff(members("customer_service", Role.AGENT), members("tech_support", Role.SUPPORT),
                   members("repair", Role.TECHNICIAN), manager)
    if not (staff.agents and staff.support and staff.technicians and staff.manager):
        raise ValueError("The demo staff (agents, support, technicians, a manager) must exist before tickets.")
    return staff


def callers() -> list[Caller]:
    """The customers who call: primary contacts with a phone, with their latest address."""
    addresses = {}
    for customer_id, line, region_id in Address.objects.filter(is_active=True).order_by("-id").values_list(
            "customer_id", "line", "region_id"):
        addresses[customer_id] = (line, region_id)
    contacts = Contact.objects.filter(is_primary=True, is_active=True, customer__is_active=True).exclude(phone="")
    return [(customer_id, name, phone, *addresses.get(customer_id, ("", None)))
            for customer_id, name, phone in contacts.order_by("id").values_list("customer_id", "name", "phone")]


@contextmanager
def simulated_clock() -> Iterator[dict]:
    """`timezone.now()` returns `clock["at"]` while set (the demo's year), else the real time."""
    from unittest import mock

    real_now = timezone.now
    clock: dict = {"at": None}
    with mock.patch.object(timezone, "now", lambda: clock["at"] or real_now()):
        yield clock


class ActionPlayer:
    """One request's `demo_script.Player`: each change an action, by a demo user, at the simulated time."""

    def __init__(self, staff: _Staff, groups: dict[str, Group], types: dict[str, ServiceType], received_at: datetime):
        self.agents, self.support, self.technicians, self.manager = (
            staff.agents, staff.support, staff.technicians, staff.manager)
        self.groups, self.types, self.received_at = groups, types, received_at
        self.ticket: Ticket | None = None

    def register(self, actor, draft: Draft, *, settle: str = "", retroactive: bool = False,
                 major: bool = False) -> None:
        data = TicketInput(service_type_id=self.types[draft.code].pk, title=draft.title, description=draft.description,
                           contact_name=draft.contact_name, channel=draft.channel, customer_id=draft.customer_id,
                           contact_phone=draft.contact_phone, site_address=draft.site_address,
                           region_id=draft.region_id, occurred_since=draft.occurred_since,
                           received_at=self.received_at)
        self.ticket = actions.ticket_register(actor=actor, data=data, settle_with_resolution=settle,
                                              retroactive=retroactive, major=major)

    def move(self, actor, move: Move, *, resolution: str = "", reason: str = "") -> None:
        actions.ticket_move(actor=actor, ticket=self.ticket, expected_version=None, move=move, resolution=resolution,
                            reason=reason)

    def hand_over(self, actor, group: str, to_user, note: str):
        return actions.ticket_hand_over(actor=actor, ticket=self.ticket, expected_version=None,
                                        to_group=self.groups[group], to_user=to_user, note=note)

    def decide(self, handover, actor, *, reason: str = "") -> None:
        if reason:
            actions.handover_decline(actor=actor, handover=handover, reason=reason)
        else:
            actions.handover_accept(actor=actor, handover=handover)

    def change_tier(self, actor, tier: Tier, reason: str, authorised: bool = False) -> None:
        actions.ticket_change_tier(actor=actor, ticket=self.ticket, expected_version=None, tier=tier, reason=reason,
                                   customer_authorised=authorised)

    def record_arrival(self, actor) -> None:
        actions.ticket_record_arrival(actor=actor, ticket=self.ticket, expected_version=None)

    def follow_up(self, actor, note: str) -> None:
        actions.ticket_add_entry(actor=actor, ticket=self.ticket, kind=Entry.Kind.FOLLOW_UP, body=note)

    def link_repeat(self, actor, channel: str, note: str) -> None:
        actions.ticket_link_repeat(actor=actor, ticket=self.ticket, channel=channel, note=note)


def ceil_minute(us: int) -> int:
    return -(-us // MINUTE) * MINUTE


def _next_watch_step() -> int | None:
    """The earliest instant at which `sla_watch` would take a step (its own filters), in microseconds."""
    found = SlaClock.objects.filter(state=SlaClock.State.RUNNING).aggregate(
        warn=Min("warn_at", filter=Q(warned_at=None, breached_at=None)),
        due=Min("due_at", filter=Q(breached_at=None)),
        escalate=Min("next_escalation_at"))
    instants = [to_us(at) for at in found.values() if at is not None]
    return min(instants, default=None)


class DemoTicketGenerator:
    def __init__(self, *, seed: int, now: datetime) -> None:
        self.seed = seed
        self.now = now
        self.staff = _staff()
        self.types = {t.code: t for t in ServiceType.objects.filter(code__in=list(CATALOGUE))}
        self.groups = {g.code: g for g in Group.objects.all()}
        self.regions = list(Region.objects.order_by("id").values_list("id", flat=True))
        self.callers = callers()
        self.last_event = self.last_run = 0

    def nightly(self) -> Iterator[int]:
        while True:
            actions.tickets_auto_close(older_than_days=settings.FUWU_AUTO_CLOSE_DAYS)
            yield DAY

    def watch_until(self, until: int, clock: dict) -> None:
        """The breach watch runs every minute; it acts only at the minutes something falls due, so only
        those are run, none before the last event (a run in the same minute as a change comes after it)."""
        while (due := _next_watch_step()) is not None:
            run = max(ceil_minute(due), self.last_run + MINUTE, ceil_minute(self.last_event))
            if run >= until:
                return
            clock["at"] = from_us(run)
            actions.sla_watch(now=clock["at"])
            self.last_run = run

    def run(self, count: int, progress: Callable[[int, int], None] | None = None) -> int:
        now = to_us(self.now)
        queue: list = []
        found = arrivals(self.seed, count, now, timezone.get_current_timezone())
        for index, (registered, received) in enumerate(found):
            player = ActionPlayer(self.staff, self.groups, self.types, from_us(received))
            life = DemoLife(request_rng(self.seed, index), player, callers=self.callers, regions=self.regions)
            queue.append((registered, index, life.life()))
        heapq.heapify(queue)
        heapq.heappush(queue, (first_night(now), count, self.nightly()))
        registered = 0
        with simulated_clock() as clock:
            while queue:
                at, order, steps = heapq.heappop(queue)
                self.watch_until(at, clock)
                clock["at"] = from_us(at)
                delay = next(steps, None)
                self.last_event = at
                if delay is not None and at + delay < now:  # later steps have not happened yet
                    heapq.heappush(queue, (at + delay, order, steps))
                if order < count and registered <= order:
                    registered = order + 1
                    if progress is not None and registered % 100 == 0:
                        progress(registered, count)
            self.watch_until(now, clock)
        return registered


def seed_tickets(*, seed: int, count: int, log: Callable[[str], None] | None = None,
                 progress: Callable[[int, int], None] | None = None) -> int:
    """Register and work `count` demo requests over the past year; returns how many were registered."""
    if count <= 0:
        return 0
    started = time.perf_counter()
    with replaying_history():  # higher apps fill their own rows afterwards, as after the bulk loader
        made = DemoTicketGenerator(seed=seed, now=timezone.now()).run(count, progress)
    seconds = time.perf_counter() - started
    if log is not None:
        statuses = Counter(Ticket.objects.values_list("status", flat=True))
        summary = ", ".join(f"{status} {n}" for status, n in sorted(statuses.items()))
        log(f"{made} service requests in {seconds:.1f} s ({made / seconds:,.0f} per second): {summary}.")
    return made
