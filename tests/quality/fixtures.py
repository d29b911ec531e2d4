"""A hand-computed month of requests (November 2026) for the indicator tests; the expected figures
are worked out in the docstring of `november`."""

import datetime as dt

from fuwu.org.models import Group
from fuwu.org.roles import Role
from fuwu.standards.models import Channel
from fuwu.tickets.models import Handover, SlaClock, SlaClockPause, Ticket
from tests.factories import make_customer, make_staff, make_ticket
from tests.tickets.sla_setup import local, policy, weekday_calendar


def _ticket(agent, *, received, status, resolved=None, tier="hotline", group=None, service_type="consultation",
            repeat=0, owner=True, channel=Channel.PHONE, **fields):
    t = make_ticket(agent, service_type, channel=channel, **fields)
    Ticket.objects.filter(pk=t.pk).update(
        received_at=received, registered_at=received, status=status, resolved_at=resolved, tier=tier,
        group=group, repeat_contacts=repeat, owner=agent if owner else None)
    return Ticket.objects.get(pk=t.pk)


def november(db):
    """Requests (received → resolved, all local time):

    t1 11-03 10:00 → 11-03 12:00 (2 h), hotline, never handed over        group A   first-contact
    t2 11-05 10:00 → 11-06 10:00 (24 h), on site, one repeat contact       group A
    t3 11-10 10:00 → 11-10 14:00 (4 h), handed over (accepted in 3 h)     group B
    t4 11-12 10:00, open                                                   group B
    t5 10-20 10:00 → 11-02 10:00 (312 h), reopened on 10-30                group B
    t6 11-15 10:00, a complaint, cancelled
    t7 12-01 10:00, open (after the month)

    November: received t1 t2 t3 t4 t6 (5): complaints per 1,000 = 200, repeat contacts 1/5 = 20 %.
    Resolved t1 t2 t3 t5 (4): first-contact resolution 1/4 = 25 %, reopen rate 1/4 = 25 %, handling
    time (2 + 24 + 4 + 312) / 4 = 85.5 h. Backlog at the month's end: t4 = 1. Hand-over acceptance 3 h.
    First response: t1 met 11-03, t2 breached 11-05 (met 11-07), t5 breached in October (left out)
    → 1/2 = 50 %. Resolution: t5's second clock met 11-02, t1 met 11-03, t2 breached 11-05, t5's
    first met in October (left out), t3 met 12-01 (left out) → 2/3. Arrival on site: t2 met → 100 %.
    Requests with a breach in November: t2 = 1.
    By group: first-contact resolution A 1/2 = 50 %, B 0/2 = 0 %.
    """
    agent = make_staff(Role.AGENT)
    group_a, group_b = Group.objects.order_by("id")[:2]
    t1 = _ticket(agent, received=local(2026, 11, 3, 10), resolved=local(2026, 11, 3, 12), status="closed",
                 group=group_a)
    t2 = _ticket(agent, received=local(2026, 11, 5, 10), resolved=local(2026, 11, 6, 10), status="closed",
                 tier="onsite", group=group_a, repeat=1)
    t3 = _ticket(agent, received=local(2026, 11, 10, 10), resolved=local(2026, 11, 10, 14), status="resolved",
                 group=group_b)
    t4 = _ticket(agent, received=local(2026, 11, 12, 10), status="in_progress", group=group_b)
    t5 = _ticket(agent, received=local(2026, 10, 20, 10), resolved=local(2026, 11, 2, 10), status="closed",
                 group=group_b)
    t6 = _ticket(agent, received=local(2026, 11, 15, 10), status="cancelled", service_type="complaint",
                 customer_id=make_customer(agent, name="上海申江物业管理有限公司", phone="13700137000").pk,
                 contact_phone="13700137000")
    t7 = _ticket(agent, received=local(2026, 12, 1, 10), status="new")
    SlaClockPause.objects.all().delete()
    SlaClock.objects.all().delete()  # registration's own clocks: the fixture lays out its own below
    calendar = weekday_calendar("quality_test")
    targets = {t.kind: t for t in policy("quality", calendar, {
        "first_response": 60, "resolution": 480, "onsite_arrival": 240}).targets.all()}

    def clock(ticket, kind, started, met=None, breached=None):
        SlaClock.objects.create(ticket=ticket, kind=kind, target=targets[kind], calendar=calendar,
                                started_at=started, met_at=met, breached_at=breached,
                                state="met" if met else "running")

    clock(t1, "first_response", t1.received_at, met=local(2026, 11, 3, 10, 5))
    clock(t2, "first_response", t2.received_at, met=local(2026, 11, 7, 9), breached=local(2026, 11, 5, 12))
    clock(t5, "first_response", t5.received_at, met=local(2026, 11, 2, 9), breached=local(2026, 10, 25, 9))
    clock(t5, "resolution", t5.received_at, met=local(2026, 10, 22, 9))
    clock(t5, "resolution", local(2026, 10, 30, 9), met=local(2026, 11, 2, 10))
    clock(t1, "resolution", t1.received_at, met=local(2026, 11, 3, 12))
    clock(t2, "resolution", t2.received_at, met=local(2026, 11, 6, 10), breached=local(2026, 11, 5, 18))
    clock(t3, "resolution", t3.received_at, met=local(2026, 12, 1, 9))
    clock(t2, "onsite_arrival", local(2026, 11, 5, 12), met=local(2026, 11, 6, 9))
    other = make_staff(Role.SUPPORT)
    Handover.objects.create(ticket=t3, from_user=agent, to_group=group_b, to_user=other, note="转技术支持",
                            state=Handover.State.ACCEPTED, created_at=local(2026, 11, 10, 10),
                            decided_by=other, decided_at=local(2026, 11, 10, 13))
    Handover.objects.create(ticket=t2, from_user=agent, to_group=group_b, note="待接收",
                            created_at=local(2026, 11, 5, 11))
    return {"agent": agent, "groups": (group_a, group_b), "tickets": (t1, t2, t3, t4, t5, t6, t7)}


NOVEMBER = dt.date(2026, 11, 1)
