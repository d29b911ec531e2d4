"""The figures on each role's home page: service health for those who supervise it, the day's work for
those who take requests, and real counts from the archive for the others."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fuwu.customers.models import CustomerClass, DeliveredProduct
from fuwu.customers.selectors import customers_visible_to
from fuwu.fieldservice.rules import is_field_technician
from fuwu.fieldservice.selectors import technician_day
from fuwu.fieldservice.timeliness import last_months, repair_timeliness
from fuwu.followups.selectors import Tab, tab_counts
from fuwu.followups.selectors import may_see as follow_ups_may_see
from fuwu.org.policy import Perm, can
from fuwu.org.selectors import groups_with_headcount
from fuwu.quality.selectors import home_health, my_day
from fuwu.quality.selectors import may_see as quality_may_see
from fuwu.standards.selectors.calendars import calendar_data_warnings
from fuwu.tickets.selectors import QUEUE_LABELS, queue_counts


@dataclass(frozen=True)
class Figure:
    label: str
    value: int | str
    url: str = ""


def _percent(share: float | None) -> str:
    return "—" if share is None else f"{share * 100:.1f}%"


def _my_day(viewer) -> list[Figure]:
    """An agent's work for today (R15.1): their open requests, those breached or near the limit, and
    the follow-up calls due today; each figure opens the requests (or calls) behind it."""
    counts = my_day(viewer)["counts"]
    mine = f"{reverse('tickets:workspace')}?queue=mine"
    figures = [
        Figure(_("My open requests"), counts["open"], mine),
        Figure(_("Mine past the time limit"), counts["breached"], f"{mine}&sla=breached"),
        Figure(_("Mine near the time limit"), counts["warning"], f"{mine}&sla=warning"),
    ]
    if follow_ups_may_see(viewer):
        figures.append(Figure(_("Follow-up calls for today"), tab_counts(viewer)[Tab.TODAY],
                              f"{reverse('followups:queue')}?tab=today"))
    return figures


def _customer_figures(viewer, today: datetime.date) -> list[Figure]:
    active = customers_visible_to(viewer).filter(is_active=True)
    counts = active.aggregate(
        total=Count("id"),
        incomplete=Count("id", filter=Q(completeness__lt=100)),
        key=Count("id", filter=Q(customer_class__in=[CustomerClass.KEY, CustomerClass.VIP])),
        new=Count("id", filter=Q(created_at__date__gte=today.replace(day=1))),
    )
    expiring = DeliveredProduct.objects.filter(
        is_active=True,
        customer__is_active=True,
        warranty_ends_on__gte=today,
        warranty_ends_on__lte=today + datetime.timedelta(days=30),
    ).count()
    customers_url = reverse("customers:list")
    return [
        Figure(_("Customers"), counts["total"], customers_url),
        Figure(_("Key and VIP customers"), counts["key"], f"{customers_url}?customer_class=key"),
        Figure(_("Incomplete records"), counts["incomplete"], f"{customers_url}?incomplete=1"),
        Figure(_("New this month"), counts["new"], customers_url),
        Figure(_("Warranties ending within 30 days"), expiring),
    ]


def home_figures(viewer) -> dict:
    """Managers and the general manager see service health (R9.5, R15.1); agents their work for today;
    the others the figures of their own area."""
    today = timezone.localdate()
    result: dict = {"figures": [], "groups": [], "queues": [], "my_day": []}  # a portal login's is the portal's
    supervises = quality_may_see(viewer)
    works = can(viewer, Perm.TICKET_WORK)
    if supervises:
        result["health"] = home_health(viewer)
    if works:
        workspace = reverse("tickets:workspace")
        result["queues"] = [
            Figure(QUEUE_LABELS[queue], n, f"{workspace}?queue={queue.value}")
            for queue, (n, _capped) in queue_counts(viewer).items()
        ]
        result["lookup"] = True
        if not supervises:
            result["my_day"] = _my_day(viewer)
    if is_field_technician(viewer):
        result["visits_today"] = technician_day(viewer, today)  # R5.1: the technician's day comes first
    if not supervises and not works:
        if can(viewer, Perm.CUSTOMER_ALL):
            result["figures"] = _customer_figures(viewer, today)
        if can(viewer, Perm.WORKORDER_VIEW):
            since, until = last_months(12)
            total, _months = repair_timeliness(viewer, since=since, until=until)
            result["figures"].append(Figure(_("Repair timeliness, 12 months"), _percent(total.rate),
                                            reverse("fieldservice:timeliness")))
    if can(viewer, Perm.STAFF_MANAGE) or can(viewer, Perm.AUDIT_VIEW):
        result["groups"] = list(groups_with_headcount(viewer))
    if can(viewer, Perm.STANDARDS_MANAGE):
        # R10.3: warn before the holiday data runs out, where those who can import it look first.
        result["calendar_warnings"] = calendar_data_warnings(today)
    return result
