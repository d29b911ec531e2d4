"""What the simulated year draws on, read from the database once, before the simulation starts.

Staff, groups, service types, regions, callers; the SLA targets for every combination of request
facts the simulation can produce (`targets_for` reloads its policy table every few seconds, which
a worker process must not do); the calendars' clocks. The simulation's worker processes inherit
it (fork) and never touch the database themselves.
"""

import itertools
from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from fuwu.core.audit import actor_display_name
from fuwu.core.request_context import current_request_id
from fuwu.customers.models import Customer
from fuwu.org.models import Group, Profile, Region
from fuwu.org.roles import Role
from fuwu.standards.businesstime import MicroClock, check_micro_clock
from fuwu.standards.calendars import business_clock
from fuwu.standards.models import ServiceType
from fuwu.standards.sla import Facts, targets_for
from fuwu.tickets.bulkload.instants import DAY, from_us, to_us
from fuwu.tickets.cases import target_of
from fuwu.tickets.demo import _staff, callers
from fuwu.tickets.demo_script import CHANNEL_VALUES, CODES, Caller, first_night
from fuwu.tickets.workflow.clocks import Target

# (service type id, priority, customer class, region id, channel): the `Facts` the policies look at.
FactsKey = tuple[int, str, str, int | None, str]


@dataclass
class World:
    seed: int
    now: int
    agents: list[int]
    support: list[int]
    technicians: list[int]
    manager: int
    names: dict[int | None, str]
    user_group: dict[int, int]
    groups: dict[str, int]
    leaders: dict[int, int | None]
    holders: dict[str, list[int]]
    types: dict[str, ServiceType]
    regions: list[int]
    classes: dict[int, str]  # per customer id: its class (the policies look at it)
    callers: list[Caller]
    targets: dict[FactsKey, dict[str, Target]] = field(default_factory=dict)
    business: dict[int, MicroClock] = field(default_factory=dict)  # per calendar id
    major_reason: str = ""
    escalation_step: int = 0
    request_id: str = ""
    first_night: int = 0  # the first run of the nightly auto-close job in the year
    auto_close_after: int = 0


def load_world(*, seed: int, now: datetime) -> World:
    staff = _staff()
    everyone = [*staff.agents, *staff.support, *staff.technicians, staff.manager]
    names: dict[int | None, str] = {u.pk: actor_display_name(u) for u in everyone}
    names[None] = actor_display_name(None)
    now_us = to_us(now)
    world = World(
        seed=seed,
        now=now_us,
        agents=[u.pk for u in staff.agents],
        support=[u.pk for u in staff.support],
        technicians=[u.pk for u in staff.technicians],
        manager=staff.manager.pk,
        names=names,
        user_group=dict(Profile.objects.filter(user_id__in=list(names)).values_list("user_id", "group_id")),
        groups={g.code: g.pk for g in Group.objects.all()},
        leaders=dict(Group.objects.values_list("id", "leader_id")),
        holders={
            role: [p.user_id for p in Profile.objects.filter(roles__code=role, is_active=True, user__is_active=True)
                   .distinct()]
            for role in (Role.MANAGER, Role.GENERAL_MANAGER)
        },
        types={t.code: t for t in ServiceType.objects.filter(code__in=CODES)},
        classes=dict(Customer.objects.filter(is_active=True).values_list("id", "customer_class")),
        regions=list(Region.objects.order_by("id").values_list("id", flat=True)),
        callers=callers(),
        major_reason=_("Marked major at registration."),
        escalation_step=settings.FUWU_SLA_ESCALATION_STEP_PERCENT,
        request_id=current_request_id.get(),
        first_night=first_night(now_us),
        auto_close_after=settings.FUWU_AUTO_CLOSE_DAYS * DAY,
    )
    _load_targets(world)
    return world


def _load_targets(world: World) -> None:
    """Targets for every facts combination a simulated request can have (as the core's `Target`s), and a
    `MicroClock` per calendar."""
    customer_classes = set(world.classes.values()) | {""}
    regions = {c[4] for c in world.callers} | set(world.regions) | {None}
    for service_type in world.types.values():
        for customer_class, region_id, channel in itertools.product(customer_classes, regions, CHANNEL_VALUES):
            key = (service_type.pk, service_type.default_priority, customer_class, region_id, channel)
            world.targets[key] = {kind: target_of(t) for kind, t in targets_for(Facts(*key)).items()}
    zone = timezone.get_current_timezone()
    first, last = from_us(world.now - 366 * DAY).astimezone(zone).year, from_us(world.now).astimezone(zone).year
    calendars = {target.calendar_id for found in world.targets.values() for target in found.values()}
    for calendar_id in sorted(calendars):
        clock = world.business[calendar_id] = MicroClock(business_clock(calendar_id), first - 1, last + 2)
        check_micro_clock(clock, world.now - 400 * DAY, world.now + 60 * DAY)
