"""The figures on each role's home page: real counts from the archive and organisation."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fuwu.core.models import AuditEvent
from fuwu.customers.models import CustomerClass, DeliveredProduct
from fuwu.customers.selectors import customers_visible_to
from fuwu.fieldservice.rules import is_field_technician
from fuwu.fieldservice.selectors import technician_day
from fuwu.fieldservice.timeliness import last_months, repair_timeliness
from fuwu.org.policy import Perm, can
from fuwu.org.selectors import groups_with_headcount
from fuwu.standards.selectors.calendars import calendar_data_warnings
from fuwu.tickets.selectors import QUEUE_LABELS, queue_counts


@dataclass(frozen=True)
class Figure:
    label: str
    value: int | str
    url: str = ""


def _percent(share: float | None) -> str:
    return "—" if share is None else f"{share * 100:.1f}%"


def home_figures(viewer) -> dict:
    today = timezone.localdate()
    result: dict = {"figures": [], "groups": [], "queues": []}  # a portal login's home is the portal's
    if can(viewer, Perm.TICKET_WORK):
        workspace = reverse("tickets:workspace")
        result["queues"] = [
            Figure(QUEUE_LABELS[queue], n, f"{workspace}?queue={queue.value}")
            for queue, (n, _capped) in queue_counts(viewer).items()
        ]
    if can(viewer, Perm.CUSTOMER_ALL):
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
        result["figures"] = [
            Figure(_("Customers"), counts["total"], customers_url),
            Figure(_("Key and VIP customers"), counts["key"], f"{customers_url}?customer_class=key"),
            Figure(_("Incomplete records"), counts["incomplete"], f"{customers_url}?incomplete=1"),
            Figure(_("New this month"), counts["new"], customers_url),
            Figure(_("Warranties ending within 30 days"), expiring),
        ]
    if is_field_technician(viewer):
        result["visits_today"] = technician_day(viewer, today)  # R5.1: the technician's day comes first
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
    if can(viewer, Perm.AUDIT_VIEW):
        start = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
        result["figures"].append(
            Figure(_("Audit events today"), AuditEvent.objects.filter(occurred_at__gte=start).count(), reverse("audit"))
        )
    return result
