"""Repair timeliness (维修及时率, R5.4), computed from the recorded times; definition in
docs/architecture.md (Field service).

A work order signed off in the period is **on time** when the technician reached the site within
the request's on-site arrival deadline (its arrival clock met, never breached) and the customer
signed off before the request's resolution deadline (its resolution clock not breached by then).
The rate is on-time work orders over all signed off; orders whose request has no such deadline
count as on time for that part. The first-visit fix rate and the visits per order sit beside it.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q
from django.db.models.functions import TruncMonth
from django.utils import timezone

from fuwu.fieldservice.models import Visit, WorkOrderStatus
from fuwu.fieldservice.selectors import work_orders_visible_to
from fuwu.tickets.models import SlaClock

DONE = (WorkOrderStatus.COMPLETED, WorkOrderStatus.REPORTED)


@dataclass(frozen=True)
class Timeliness:
    month: datetime.date | None
    completed: int
    on_time: int
    arrived_on_time: int
    first_visit_fixed: int
    visits: int

    @property
    def rate(self) -> float | None:
        return self.on_time / self.completed if self.completed else None

    @property
    def arrival_rate(self) -> float | None:
        return self.arrived_on_time / self.completed if self.completed else None

    @property
    def first_visit_rate(self) -> float | None:
        return self.first_visit_fixed / self.completed if self.completed else None

    @property
    def visits_per_order(self) -> float | None:
        return self.visits / self.completed if self.completed else None


def _done(orders, since: datetime.datetime, until: datetime.datetime):
    return orders.order_by().filter(status__in=DONE, completed_at__gte=since,
                                                            completed_at__lt=until)


def repair_timeliness(viewer, *, since: datetime.datetime, until: datetime.datetime) -> tuple[Timeliness, list]:
    """The whole period and each month of it, for the work orders the viewer may see: two grouped
    queries, however many orders."""
    return timeliness_of(work_orders_visible_to(viewer), since=since, until=until)


def timeliness_of(orders, *, since: datetime.datetime, until: datetime.datetime) -> tuple[Timeliness, list]:
    """The same for a queryset of work orders (the quality indicators pass all of them)."""
    breached = {kind: SlaClock.objects.filter(ticket_id=OuterRef("ticket_id"), kind=kind, breached_at__isnull=False,
                                              breached_at__lte=OuterRef("completed_at"))
                for kind in ("onsite_arrival", "resolution")}
    not_fixed = Visit.objects.filter(work_order_id=OuterRef("pk"), outcome__in=["revisit_needed", "waiting_parts"])
    rows = (_done(orders, since, until)
            .annotate(month=TruncMonth("completed_at"), late_arrival=Exists(breached["onsite_arrival"]),
                      late_fix=Exists(breached["resolution"]), revisited=Exists(not_fixed))
            .values("month")
            .annotate(completed=Count("pk"), on_time=Count("pk", filter=Q(late_arrival=False, late_fix=False)),
                      arrived=Count("pk", filter=Q(late_arrival=False)),
                      first=Count("pk", filter=Q(revisited=False))))
    visits = dict(Visit.objects.filter(work_order__in=_done(orders, since, until).values("pk"))
                  .exclude(outcome__in=["declined", "cancelled"]).order_by()
                  .annotate(month=TruncMonth("work_order__completed_at")).values("month")
                  .annotate(n=Count("pk")).values_list("month", "n"))
    by_month = [Timeliness(_day(r["month"]), r["completed"], r["on_time"], r["arrived"], r["first"],
                           visits.get(r["month"], 0)) for r in sorted(rows, key=lambda r: r["month"])]
    total = Timeliness(None, *(sum(getattr(m, f) for m in by_month) for f in (
        "completed", "on_time", "arrived_on_time", "first_visit_fixed", "visits")))
    return total, by_month


def _day(month) -> datetime.date:
    return month.date() if isinstance(month, datetime.datetime) else month


def last_months(months: int) -> tuple[datetime.datetime, datetime.datetime]:
    """From the first day of the month `months - 1` months ago to now, in local time."""
    now = timezone.localtime()
    year, month = now.year, now.month - (months - 1)
    while month <= 0:
        year, month = year - 1, month + 12
    return now.replace(year=year, month=month, day=1, hour=0, minute=0, second=0, microsecond=0), now
