"""A hand-computed month (November 2026) of three staff members' figures for the result rules.

Resolution clocks settled in November, by the request's owner:
    ann (agent)      4 met                      → 100 %, volume 4
    bo (support)     2 met, 1 breached          → 66.7 %, volume 3
    cy (technician)  1 met                      → 100 %, volume 1
    (a clock met in October and one still running are left out)
Complaints closed in November found valid, by responsible person: bo 2, ann 1 (a valid one of bo's closed
in October and a not-valid one of bo's in November are left out).

Rules: resolution ≥ 98 % with at least 3 → reward 10 (ann; cy has too little volume);
valid complaints ≥ 2 → penalty −5 (bo); resolution < 80 % with at least 3 → coaching (bo).
"""

import datetime as dt

from fuwu.complaints.models import Complaint
from fuwu.org.roles import Role
from fuwu.quality.merit.actions import merit_rule_save
from fuwu.tickets.models import SlaClock, SlaClockPause, Ticket
from tests.factories import make_customer, make_staff, make_ticket
from tests.tickets.sla_setup import local, policy, weekday_calendar

NOVEMBER = dt.date(2026, 11, 1)


def november_staff(db):
    manager = make_staff(Role.MANAGER)
    ann, bo, cy = make_staff(Role.AGENT, full_name="安安"), make_staff(Role.SUPPORT, full_name="波波"), \
        make_staff(Role.TECHNICIAN, full_name="曦曦")
    calendar = weekday_calendar("merit_test")
    target = policy("merit", calendar, {"resolution": 480}).targets.get(kind="resolution")

    def ticket(owner, service_type="consultation"):
        t = make_ticket(manager, service_type)
        Ticket.objects.filter(pk=t.pk).update(owner=owner, received_at=local(2026, 10, 28, 9))
        return t

    def clock(owner, *, met=None, breached=None):
        SlaClock.objects.create(ticket=ticket(owner), kind="resolution", target=target, calendar=calendar,
                                started_at=local(2026, 10, 28, 9), met_at=met, breached_at=breached,
                                state="met" if met else "running")

    SlaClockPause.objects.all().delete()
    SlaClock.objects.all().delete()
    for day in (3, 4, 5, 6):
        clock(ann, met=local(2026, 11, day, 10))
    clock(bo, met=local(2026, 11, 3, 10))
    clock(bo, met=local(2026, 11, 4, 10))
    clock(bo, met=local(2026, 11, 9, 10), breached=local(2026, 11, 8, 10))
    clock(cy, met=local(2026, 11, 20, 10))
    clock(ann, met=local(2026, 10, 30, 10))  # October: left out
    clock(bo)  # running: left out

    customer = make_customer(manager, name="上海申江物业管理有限公司", phone="13700137000")

    def complaint(person, *, closed, valid=True):
        t = make_ticket(manager, "complaint", customer_id=customer.pk, contact_phone="13700137000")
        Complaint.objects.filter(ticket=t).update(valid=valid, responsible_person=person, status="closed",
                                                  closed_at=closed)

    complaint(bo, closed=local(2026, 11, 10, 10))
    complaint(bo, closed=local(2026, 11, 25, 10))
    complaint(ann, closed=local(2026, 11, 12, 10))
    complaint(bo, closed=local(2026, 10, 20, 10))  # October: left out
    complaint(bo, closed=local(2026, 11, 15, 10), valid=False)  # not valid: left out
    rules = {
        "excellent": merit_rule_save(actor=manager, code="excellent", indicator="resolution_sla",
                                     granularity="month", comparison="gte", threshold=98, min_volume=3,
                                     outcome="reward", points=10, description="解决时限全优"),
        "complaints": merit_rule_save(actor=manager, code="complaints", indicator="valid_complaints",
                                      granularity="month", comparison="gte", threshold=2, min_volume=0,
                                      outcome="penalty", points=-5, description="有效投诉两起及以上"),
        "coaching": merit_rule_save(actor=manager, code="coaching", indicator="resolution_sla", granularity="month",
                                    comparison="lt", threshold=80, min_volume=3, outcome="coaching", points=0,
                                    description="时限辅导"),
    }
    return {"manager": manager, "ann": ann, "bo": bo, "cy": cy, "rules": rules}
