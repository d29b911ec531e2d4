"""Reads of major fault reports and the notice list, each scoped to the viewer (R7)."""

import datetime
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet
from django.utils import timezone

from fuwu.core.errors import NotFound
from fuwu.customers.models import Contact
from fuwu.faults import workflow
from fuwu.faults.models import FaultReport, FaultStatus, FaultUpdate, NoticeRecipient, RecipientKind
from fuwu.org.models import Profile
from fuwu.org.policy import Perm, can


def faults_visible_to(viewer) -> QuerySet[FaultReport]:
    if not can(viewer, Perm.FAULT_VIEW):
        return FaultReport.objects.none()
    return FaultReport.objects.select_related("region", "reported_by", "business_owner", "responsible_manager",
                                              "closed_by")


def fault_for(viewer, fault_id: int) -> FaultReport:
    fault = faults_visible_to(viewer).filter(pk=fault_id).first()
    if fault is None:
        raise NotFound()
    return fault


def _month_start(month: str) -> datetime.datetime:
    year, number = (int(part) for part in month.split("-"))
    return datetime.datetime(year, number, 1, tzinfo=timezone.get_current_timezone())


def _next_month(start: datetime.datetime) -> datetime.datetime:
    return start.replace(year=start.year + 1, month=1) if start.month == 12 else start.replace(month=start.month + 1)


def month_bounds(months: str) -> tuple[datetime.datetime, datetime.datetime] | None:
    """'2026-05' or '2026-01..2026-12' -> the first instant and the instant after, in the site's time zone."""
    first, _sep, last = months.partition("..")
    try:
        start, end = _month_start(first), _next_month(_month_start(last or first))
    except (ValueError, TypeError, OverflowError):
        return None
    return (start, end) if start < end and start.year >= 1970 and end.year <= 2200 else None


@dataclass(frozen=True)
class FaultFilters:
    status: str = ""  # a status, or "open" for every status but closed
    period: str = ""  # YYYY-MM or YYYY-MM..YYYY-MM, by when the fault began
    region_id: int | None = None
    severity: str = ""


def fault_list(viewer, filters: FaultFilters) -> QuerySet[FaultReport]:
    qs = faults_visible_to(viewer)
    if filters.status in FaultStatus.values:
        qs = qs.filter(status=filters.status)
    elif filters.status == "open":
        qs = qs.exclude(status=FaultStatus.CLOSED)
    if filters.period and (bounds := month_bounds(filters.period)):
        qs = qs.filter(started_at__gte=bounds[0], started_at__lt=bounds[1])
    if filters.region_id:
        qs = qs.filter(region_id=filters.region_id)
    if filters.severity:
        qs = qs.filter(severity=filters.severity)
    return qs.prefetch_related("customers").order_by("-started_at", "-id")


def timeline_of(fault: FaultReport) -> list[FaultUpdate]:
    return list(fault.updates.select_related("author").order_by("at", "id"))


def fault_steps(viewer, fault: FaultReport) -> dict:
    """What the viewer may do on the fault now: which forms the page shows."""
    report, manage = can(viewer, Perm.FAULT_REPORT), can(viewer, Perm.FAULT_MANAGE)
    moves = {str(m) for m in workflow.moves_from(fault.status)} if fault.is_open else set()
    return {
        "can_edit": report and fault.is_open,
        "moves": [m for m in ("handle", "restore", "recur") if report and m in moves],
        "can_progress": report and fault.is_open,
        "can_analyse": manage and fault.is_open,
        "can_close": manage and "close" in moves,
        "can_manage": manage,
        "can_improve": can(viewer, Perm.IMPROVEMENT_MANAGE),
    }


def notice_list() -> QuerySet[NoticeRecipient]:
    return NoticeRecipient.objects.select_related("department", "department__head", "user")


def notice_list_users() -> list:
    """Everyone the notice list names (R7.1): a department's head (else its active members), everyone
    holding a listed role, each listed person; active logins only."""
    rows = list(notice_list())
    roles = [r.role for r in rows if r.kind == RecipientKind.ROLE]
    user_ids = {r.user_id for r in rows if r.kind == RecipientKind.USER}
    headless = []
    for row in rows:
        if row.kind == RecipientKind.DEPARTMENT:
            if row.department.head_id:
                user_ids.add(row.department.head_id)
            else:
                headless.append(row.department_id)
    profiles = Profile.objects.filter(is_active=True).filter(
        Q(department_id__in=headless) | Q(roles__code__in=roles))
    user_ids |= set(profiles.values_list("user_id", flat=True))
    return list(get_user_model().objects.filter(pk__in=user_ids, is_active=True).order_by("pk"))


def customer_contact_emails(fault: FaultReport) -> list[str]:
    """The addresses of the affected customers' active contacts, each once (R7.2)."""
    emails = (Contact.objects.filter(customer__in=fault.customers.all(), is_active=True).exclude(email="")
              .order_by("customer_id", "id").values_list("email", flat=True))
    return list(dict.fromkeys(email.strip().lower() for email in emails if email.strip()))
