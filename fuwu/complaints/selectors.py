"""Reads of complaints, compensations and accountability records, each scoped to the viewer (R6)."""

import datetime
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils import timezone

from fuwu.complaints import rules
from fuwu.complaints.models import (
    Accountability,
    AccountabilityStatus,
    Compensation,
    CompensationStatus,
    Complaint,
    ComplaintStatus,
)
from fuwu.core.errors import NotFound
from fuwu.org.policy import Perm, can
from fuwu.standards.models import ServiceKind


def complaints_visible_to(viewer) -> QuerySet[Complaint]:
    """Every complaint for those who handle or oversee complaints; an investigator sees their own."""
    qs = Complaint.objects.select_related("ticket", "ticket__customer", "investigator", "root_cause",
                                          "responsible_department", "responsible_person", "accused")
    if can(viewer, Perm.COMPLAINT_VIEW):
        return qs
    if viewer.is_authenticated:
        return qs.filter(investigator=viewer)
    return qs.none()


def complaint_for(viewer, complaint_id: int) -> Complaint:
    complaint = complaints_visible_to(viewer).filter(pk=complaint_id).first()
    if complaint is None:
        raise NotFound()
    return complaint


def complaint_of_ticket(viewer, ticket) -> Complaint | None:
    return complaints_visible_to(viewer).filter(ticket=ticket).first()


def _month_start(month: str) -> datetime.datetime:
    year, number = (int(part) for part in month.split("-"))
    return datetime.datetime(year, number, 1, tzinfo=timezone.get_current_timezone())


def next_month(start: datetime.datetime) -> datetime.datetime:
    return start.replace(year=start.year + 1, month=1) if start.month == 12 else start.replace(month=start.month + 1)


def month_bounds(months: str) -> tuple[datetime.datetime, datetime.datetime] | None:
    """'2026-05' or '2026-01..2026-12' -> the first instant and the instant after, in the site's time zone."""
    first, _sep, last = months.partition("..")
    try:
        start, end = _month_start(first), next_month(_month_start(last or first))
    except (ValueError, TypeError):
        return None
    return (start, end) if start < end else None


@dataclass(frozen=True)
class ComplaintFilters:
    status: str = ""
    severity: str = ""
    root_cause: str = ""  # a root cause's code
    department_id: int | None = None
    received_month: str = ""  # YYYY-MM or YYYY-MM..YYYY-MM, by the request's reception (root causes)
    closed_month: str = ""  # the same, by closing (the success rate, time to resolve)
    outcome: str = ""  # "agreed": closed with the customer's agreement; "not_agreed": closed without it
    valid: str = ""  # "yes" / "no"
    responsible_id: int | None = None  # the responsible person: a staff member's valid complaints (R11.5)


def complaint_list(viewer, filters: ComplaintFilters) -> QuerySet[Complaint]:
    """The complaints behind a figure, or the working list (R6.5: each figure leads here)."""
    qs = complaints_visible_to(viewer)
    if filters.status in ComplaintStatus.values:
        qs = qs.filter(status=filters.status)
    elif filters.status == "open":
        qs = qs.exclude(status=ComplaintStatus.CLOSED)
    if filters.severity:
        qs = qs.filter(severity=filters.severity)
    if filters.root_cause:
        qs = qs.filter(root_cause__code=filters.root_cause)
    if filters.department_id:
        qs = qs.filter(responsible_department_id=filters.department_id)
    if filters.received_month and (bounds := month_bounds(filters.received_month)):
        qs = qs.filter(received_at__gte=bounds[0], received_at__lt=bounds[1])
    if filters.closed_month and (bounds := month_bounds(filters.closed_month)):
        qs = qs.filter(closed_at__gte=bounds[0], closed_at__lt=bounds[1])
    if filters.outcome == "agreed":
        qs = qs.filter(status=ComplaintStatus.CLOSED, customer_agreed=True)
    elif filters.outcome == "not_agreed":
        qs = qs.filter(status=ComplaintStatus.CLOSED).exclude(customer_agreed=True)
    if filters.valid in ("yes", "no"):
        qs = qs.filter(valid=filters.valid == "yes")
    if filters.responsible_id:
        qs = qs.filter(responsible_person_id=filters.responsible_id)
    return qs.order_by("-received_at", "-id")


def ticket_complaint_panel(viewer, ticket) -> dict | None:
    """The request page's panel (registered in `ComplaintsConfig.ready`): for a complaint-kind request
    and a viewer who handles complaints; the panel's body loads by itself, so the page costs no query."""
    if ticket.kind != ServiceKind.COMPLAINT or not can(viewer, Perm.COMPLAINT_VIEW):
        return None
    return {"ticket": ticket}


def complaint_steps(viewer, complaint: Complaint | None) -> dict:
    """What the viewer may do on the complaint now: which forms the panel shows."""
    from fuwu.complaints.workflow import moves_from

    if complaint is None:
        return {"can_open": rules.may_work(viewer)}
    moves = set(moves_from(complaint.status)) if complaint.is_open else set()
    work = rules.may_work(viewer) and not rules.is_concerned(viewer, complaint) and complaint.is_open
    investigate = rules.may_investigate(viewer, complaint) and complaint.is_open
    return {
        "can_open": False,
        "can_update": work,
        "can_investigate": work and "investigate" in moves,
        "can_name_investigator": work and "investigate" in moves and rules.may_approve(viewer),
        "can_conclude": investigate and "conclude" in moves,
        "can_propose": work and "propose" in moves,
        "can_answer": work and ("agree" in moves),
        "can_attempt": work and complaint.status not in (ComplaintStatus.REGISTERED, ComplaintStatus.INVESTIGATING),
        "can_apologise": work and not complaint.apology_recorded,
        "can_close": work and "close" in moves,
        "can_compensate": work,
    }


def compensations_awaiting(viewer) -> QuerySet[Compensation]:
    """Compensations this viewer may decide now (R6.3)."""
    qs = Compensation.objects.select_related("complaint__ticket", "proposed_by").filter(
        status=CompensationStatus.PROPOSED).exclude(proposed_by=viewer).order_by("proposed_at", "id")
    if can(viewer, Perm.COMPLAINT_APPROVE_LARGE):
        return qs
    if can(viewer, Perm.COMPLAINT_APPROVE):
        return qs.filter(needs_general_manager=False)
    return qs.none()


def compensations_of(viewer, complaint: Complaint) -> list[Compensation]:
    return list(complaint.compensations.select_related("proposed_by", "decided_by").order_by("id"))


def accountabilities_to_decide(viewer) -> QuerySet[Accountability]:
    if not can(viewer, Perm.COMPLAINT_APPROVE):
        return Accountability.objects.none()
    return Accountability.objects.select_related("complaint__ticket", "complaint__root_cause", "employee").filter(
        status=AccountabilityStatus.PENDING).exclude(employee=viewer).order_by("created_at", "id")


def my_accountabilities(viewer) -> QuerySet[Accountability]:
    """The employee's own records (R6.4): what the manager decided and their answer."""
    return Accountability.objects.select_related("complaint__ticket", "complaint__root_cause", "decided_by").filter(
        employee=viewer).exclude(status=AccountabilityStatus.PENDING).order_by("-decided_at", "-id")


def accountability_for(viewer, record_id: int) -> Accountability:
    record = Accountability.objects.select_related("complaint__ticket").filter(
        Q(employee=viewer) | Q(pk__in=accountabilities_to_decide(viewer).values("pk")), pk=record_id).first()
    if record is None:
        raise NotFound()
    return record


def compensation_for(viewer, compensation_id: int) -> Compensation:
    compensation = Compensation.objects.select_related("complaint__ticket").filter(
        pk=compensation_id, complaint__in=complaints_visible_to(viewer)).first()
    if compensation is None:
        raise NotFound()
    return compensation


def register_improvement_source() -> None:
    """An improvement action may come from a complaint (R6.2: improvement so it does not recur, R17.1): its
    page names the complaint by its request's number and links to the request's complaint panel."""
    from fuwu.improvements.models import ImprovementAction
    from fuwu.improvements.sources import register_source

    def label(pk: int) -> str | None:
        number = Complaint.objects.filter(pk=pk).values_list("ticket__number", flat=True).first()
        return number

    def url(pk: int) -> str | None:
        ticket_id = Complaint.objects.filter(pk=pk).values_list("ticket_id", flat=True).first()
        return f"/tickets/{ticket_id}/#complaint-panel" if ticket_id else None

    register_source(ImprovementAction.SourceKind.COMPLAINT, label_for=label, url_for=url)
