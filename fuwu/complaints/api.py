"""Complaints API (R6): the complaints the caller may see and one complaint with its compensations
and accountability records. Changes go through the request page's steps (the actions)."""

import datetime
from decimal import Decimal

from ninja import Field, Query, Router, Schema

from fuwu.complaints.models import Complaint, ComplaintStatus, Severity
from fuwu.complaints.selectors import ComplaintFilters, complaint_for, complaint_list
from fuwu.core.validation import MAX_ID
from fuwu.org.policy import Perm, require

router = Router(tags=["complaints"])


class CompensationOut(Schema):
    id: int
    is_claim: bool
    amount: Decimal
    reason: str
    status: str
    needs_general_manager: bool
    proposed_by_id: int
    proposed_at: datetime.datetime
    decided_by_id: int | None
    decided_at: datetime.datetime | None


class AccountabilityOut(Schema):
    id: int
    employee_id: int
    status: str
    measure: str


class ComplaintOut(Schema):
    id: int
    ticket_id: int
    ticket_number: str
    status: str
    status_label: str
    version: int
    severity: str
    demand: str
    accused_id: int | None
    investigator_id: int | None
    investigation_notes: str
    responsible_department_id: int | None
    responsible_person_id: int | None
    root_cause: str | None
    valid: bool | None
    conclusion: str
    solution: str
    customer_agreed: bool | None
    customer_feedback: str
    apology_recorded: bool
    received_at: datetime.datetime
    concluded_at: datetime.datetime | None
    closed_at: datetime.datetime | None


class ComplaintDetailOut(ComplaintOut):
    contact_attempts: int
    compensations: list[CompensationOut]
    accountabilities: list[AccountabilityOut]


def _out(complaint: Complaint) -> dict:
    fields = {name: getattr(complaint, name) for name in ComplaintOut.model_fields if hasattr(complaint, name)}
    return {**fields, "ticket_number": complaint.ticket.number, "status_label": str(complaint.get_status_display()),
            "root_cause": complaint.root_cause.code if complaint.root_cause else None}


class ListParams(Schema):
    status: ComplaintStatus | None = None
    severity: Severity | None = None
    root_cause: str = Field("", max_length=32)
    department_id: int | None = Field(None, ge=1, le=MAX_ID)
    received: str = Field("", max_length=20, description="YYYY-MM or YYYY-MM..YYYY-MM")
    closed: str = Field("", max_length=20, description="YYYY-MM or YYYY-MM..YYYY-MM")
    limit: int = Field(50, ge=1, le=200)
    offset: int = Field(0, ge=0)


@router.get("", response=list[ComplaintOut], summary="Complaints the caller may see, newest first (R6)")
def complaint_index(request, params: Query[ListParams]):
    require(request.auth, Perm.COMPLAINT_VIEW)
    qs = complaint_list(request.auth, ComplaintFilters(
        status=params.status or "", severity=params.severity or "", root_cause=params.root_cause,
        department_id=params.department_id, received_month=params.received, closed_month=params.closed))
    return [_out(c) for c in qs[params.offset:params.offset + params.limit]]


@router.get("/{complaint_id}", response=ComplaintDetailOut,
            summary="One complaint with its compensations and accountability records")
def complaint_detail(request, complaint_id: int):
    require(request.auth, Perm.COMPLAINT_VIEW)
    complaint = complaint_for(request.auth, complaint_id)
    return {**_out(complaint), "contact_attempts": complaint.contact_attempts.count(),
            "compensations": list(complaint.compensations.order_by("id")),
            "accountabilities": list(complaint.accountabilities.order_by("id"))}
