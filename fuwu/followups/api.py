"""Follow-up API (R8.1–R8.3): the queue's tabs and one follow-up, and recording a call as an action
endpoint with the version the caller saw. Contact phones are masked per viewer (R2.2)."""

import datetime

from django.utils import timezone
from ninja import Field, Query, Router, Schema

from fuwu.core.errors import PermissionDenied
from fuwu.customers.selectors import PiiPolicy
from fuwu.followups import actions
from fuwu.followups.codes import FollowUpError
from fuwu.followups.models import FollowUp, FollowUpKind, NextStep
from fuwu.followups.selectors import Tab, follow_up_for, may_see, queue

router = Router(tags=["follow-up"])


class FollowUpOut(Schema):
    id: int
    kind: str
    state: str
    state_label: str
    version: int
    ticket_id: int | None
    ticket_number: str | None
    customer_id: int | None
    product_id: int | None
    plan_date: datetime.date | None
    due_at: datetime.datetime
    due_source: str
    next_attempt_at: datetime.datetime | None
    attempts: int
    max_attempts: int
    contact_name: str
    contact_phone: str
    opinion: str
    satisfaction: int | None
    next_step: str
    complaint_number: str | None
    recorded_at: datetime.datetime | None


def _out(request, f: FollowUp) -> dict:
    pii = PiiPolicy.for_user(request.auth)
    ticket = f.ticket
    return {
        **{name: getattr(f, name) for name in FollowUpOut.model_fields if hasattr(f, name)},
        "state_label": str(f.get_state_display()),
        "ticket_number": ticket.number if ticket else None,
        "contact_name": ticket.contact_name if ticket else "",
        "contact_phone": pii.phone(ticket.contact_phone) if ticket else "",
        "complaint_number": f.complaint.number if f.complaint_id else None,
    }


class ListParams(Schema):
    tab: Tab = Tab.DUE
    kind: FollowUpKind | None = None
    limit: int = Field(50, ge=1, le=100)


@router.get("", response=list[FollowUpOut], summary="Follow-ups of one tab: today, due, overdue, retries, done")
def follow_up_index(request, params: Query[ListParams]):
    if not may_see(request.auth):
        raise PermissionDenied(code=FollowUpError.FORBIDDEN_WORK)
    rows = queue(request.auth, params.tab, kind=params.kind or "", now=timezone.now(), size=params.limit)
    return [_out(request, f) for f in rows]


@router.get("/{follow_up_id}", response=FollowUpOut, summary="One follow-up")
def follow_up_detail(request, follow_up_id: int):
    return _out(request, follow_up_for(request.auth, follow_up_id))


class AttemptIn(Schema):
    version: int
    reached: bool
    note: str = Field("", max_length=500)
    opinion: str = Field("", max_length=4000)
    satisfaction: int | None = Field(None, ge=1, le=5)
    next_step: NextStep = NextStep.NONE


@router.post("/{follow_up_id}/attempts", response=FollowUpOut,
             summary="Record a call: not reached (retry or give up) or reached (opinion, satisfaction, next step)")
def follow_up_attempt(request, follow_up_id: int, body: AttemptIn):
    follow_up = follow_up_for(request.auth, follow_up_id)
    actions.followup_record(actor=request.auth, follow_up=follow_up, expected_version=body.version,
                            reached=body.reached, note=body.note, opinion=body.opinion,
                            satisfaction=body.satisfaction, next_step=body.next_step)
    return _out(request, follow_up_for(request.auth, follow_up_id))
