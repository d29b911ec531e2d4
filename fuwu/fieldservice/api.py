"""Field-service API (R5.1, R4.5, R4.6): work orders, their visits, free slots, ranked candidates,
and the steps as action endpoints. There is no PUT or PATCH: every change is one action, with the
version the caller saw. Contact phones are masked per viewer (R2.2).
"""

import datetime

from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from fuwu.core.errors import InvalidInput, NotFound
from fuwu.core.validation import MAX_ID
from fuwu.customers.selectors import PiiPolicy
from fuwu.fieldservice import actions
from fuwu.fieldservice.dispatch import dispatch_candidates, technician_slots
from fuwu.fieldservice.models import WorkOrder, WorkOrderMove, WorkOrderStatus
from fuwu.fieldservice.selectors import WorkOrderFilters, next_steps, work_order_for, work_order_list
from fuwu.org.models import Skill
from fuwu.org.policy import Perm, require
from fuwu.tickets.selectors import access_ticket

router = Router(tags=["field service"])


class VisitOut(Schema):
    seq: int
    technician_id: int
    window_start: datetime.datetime
    window_end: datetime.datetime
    departed_at: datetime.datetime | None
    arrived_at: datetime.datetime | None
    ended_at: datetime.datetime | None
    outcome: str
    reason: str


class WorkOrderOut(Schema):
    id: int
    number: str
    ticket_id: int
    status: str
    status_label: str
    version: int
    product_id: int | None
    warranty_status: str
    chargeable: bool
    skill_id: int | None
    fault: str
    site_address: str
    region_id: int | None
    contact_name: str
    contact_phone: str
    technician_id: int | None
    accepted_at: datetime.datetime | None
    appointment_start: datetime.datetime | None
    appointment_end: datetime.datetime | None
    findings: str
    work_done: str
    last_reason: str
    signer_name: str
    satisfaction: int | None
    opened_at: datetime.datetime
    completed_at: datetime.datetime | None
    reported_at: datetime.datetime | None
    visits: list[VisitOut]
    next_moves: list[str]


def _out(request, work_order: WorkOrder) -> dict:
    pii = PiiPolicy.for_user(request.auth)
    steps = next_steps(request.auth, work_order)
    moves = [str(m) for m in steps["technician_steps"]]
    moves += [m for m, allowed in (("schedule", steps["can_schedule"]), ("dispatch", steps["can_dispatch"]),
                                   ("cancel", steps["can_cancel"])) if allowed]
    if steps["must_accept"]:
        moves.insert(0, "accept")
    fields = {name: getattr(work_order, name) for name in WorkOrderOut.model_fields if hasattr(work_order, name)}
    return {**fields, "status_label": str(work_order.get_status_display()),
            "contact_phone": pii.phone(work_order.contact_phone), "next_moves": moves,
            "visits": list(work_order.visits.order_by("seq"))}


def _fresh(request, work_order_id: int) -> dict:
    return _out(request, work_order_for(request.auth, work_order_id))


class ListParams(Schema):
    status: WorkOrderStatus | None = None
    technician_id: int | None = Field(None, ge=1, le=MAX_ID)
    open_only: bool = True
    limit: int = Field(50, ge=1, le=200)


@router.get("", response=list[WorkOrderOut], summary="Work orders the caller may see, by appointment")
def work_order_index(request, params: Query[ListParams]):
    orders = work_order_list(request.auth, WorkOrderFilters(
        status=params.status or "", technician_id=params.technician_id, open_only=params.open_only))
    return [_out(request, o) for o in orders.prefetch_related("visits")[:params.limit]]


@router.get("/{work_order_id}", response=WorkOrderOut, summary="One work order with its visits and next moves")
def work_order_detail(request, work_order_id: int):
    return _fresh(request, work_order_id)


class OpenIn(Schema):
    ticket_id: int = Field(..., ge=1, le=MAX_ID)
    version: int  # the request's version
    fault: str = Field(..., max_length=2000)
    site_address: str = Field(..., max_length=200)
    reason: str = Field("", max_length=500)
    product_id: int | None = Field(None, ge=1, le=MAX_ID)
    skill_id: int | None = Field(None, ge=1, le=MAX_ID)
    contact_name: str = Field("", max_length=64)
    contact_phone: str = Field("", max_length=20)


@router.post("", response={201: WorkOrderOut}, summary="Send a request on site: open its work order (R4.3, R5.1)")
def work_order_open(request, body: OpenIn):
    ticket = access_ticket(request.auth, body.ticket_id)
    product = ticket.customer.products.filter(pk=body.product_id).first() if body.product_id and ticket.customer \
        else None
    if body.product_id and product is None:
        raise InvalidInput(errors={"product_id": [_("Choose a product of this request's customer.")]})
    skill = Skill.objects.filter(pk=body.skill_id).first() if body.skill_id else None
    if body.skill_id and skill is None:
        raise InvalidInput(errors={"skill_id": [_("No such skill.")]})
    work_order = actions.work_order_open(
        actor=request.auth, ticket=ticket, expected_version=body.version, fault=body.fault,
        site_address=body.site_address, reason=body.reason, product=product, skill=skill,
        contact_name=body.contact_name, contact_phone=body.contact_phone)
    return 201, _fresh(request, work_order.pk)


class ScheduleIn(Schema):
    version: int
    technician_id: int = Field(..., ge=1, le=MAX_ID)
    start: datetime.datetime
    end: datetime.datetime
    reason: str = Field("", max_length=500)


@router.post("/{work_order_id}/schedule", response=WorkOrderOut, summary="Book or rebook the visit (R4.5)")
def work_order_schedule(request, work_order_id: int, body: ScheduleIn):
    work_order = work_order_for(request.auth, work_order_id)
    technician = get_user_model().objects.filter(pk=body.technician_id).first()
    actions.work_order_schedule(actor=request.auth, work_order=work_order, expected_version=body.version,
                                technician=technician, start=body.start, end=body.end, reason=body.reason)
    return _fresh(request, work_order_id)


class VersionIn(Schema):
    version: int


@router.post("/{work_order_id}/dispatch", response=WorkOrderOut, summary="Send the booked visit to its technician")
def work_order_dispatch(request, work_order_id: int, body: VersionIn):
    work_order = work_order_for(request.auth, work_order_id)
    actions.work_order_dispatch(actor=request.auth, work_order=work_order, expected_version=body.version)
    return _fresh(request, work_order_id)


@router.post("/{work_order_id}/accept", response=WorkOrderOut, summary="The technician accepts the work order")
def work_order_accept(request, work_order_id: int, body: VersionIn):
    work_order = work_order_for(request.auth, work_order_id)
    actions.work_order_accept(actor=request.auth, work_order=work_order, expected_version=body.version)
    return _fresh(request, work_order_id)


class StepIn(Schema):
    version: int
    move: str
    reason: str = Field("", max_length=500)
    findings: str = Field("", max_length=4000)
    work_done: str = Field("", max_length=4000)
    outcome: str = ""  # for not_fixed: revisit_needed or waiting_parts


@router.post("/{work_order_id}/steps", response=WorkOrderOut,
             summary="One step: decline, depart, check_in, diagnose, repair, test, not_fixed, report, cancel")
def work_order_step(request, work_order_id: int, body: StepIn):
    if body.move not in WorkOrderMove.values:
        raise InvalidInput(errors={"move": [_("Unknown step.")]})
    work_order = work_order_for(request.auth, work_order_id)
    actions.work_order_move(actor=request.auth, work_order=work_order, expected_version=body.version,
                            move=body.move, reason=body.reason, findings=body.findings, work_done=body.work_done,
                            outcome=body.outcome)
    return _fresh(request, work_order_id)


class SignOffIn(Schema):
    version: int
    work_done: str = Field(..., max_length=4000)
    signer_name: str = Field(..., max_length=64)
    satisfaction: int | None = Field(None, ge=1, le=5)
    signature: str = Field(..., max_length=450_000)  # a PNG data URL


@router.post("/{work_order_id}/sign-off", response=WorkOrderOut, summary="The customer signs off the repair")
def work_order_sign_off(request, work_order_id: int, body: SignOffIn):
    work_order = work_order_for(request.auth, work_order_id)
    actions.work_order_complete(actor=request.auth, work_order=work_order, expected_version=body.version,
                                work_done=body.work_done, signer_name=body.signer_name,
                                satisfaction=body.satisfaction, signature=body.signature)
    return _fresh(request, work_order_id)


class SlotOut(Schema):
    start: datetime.datetime
    end: datetime.datetime


class CandidateOut(Schema):
    technician_id: int
    name: str
    score: float
    open_orders: int
    next_slot: SlotOut | None
    reasons: list[str]


@router.get("/{work_order_id}/candidates", response=list[CandidateOut],
            summary="Technicians ranked for this work order, with their reasons (R4.6)")
def work_order_candidates(request, work_order_id: int):
    require(request.auth, Perm.WORKORDER_DISPATCH)
    work_order = work_order_for(request.auth, work_order_id)
    return [{"technician_id": c.profile.user_id, "name": str(c.profile), "score": c.score,
             "open_orders": c.open_orders, "next_slot": c.next_slot._asdict() if c.next_slot else None,
             "reasons": c.reasons} for c in dispatch_candidates(work_order)]


class SlotParams(Schema):
    technician_id: int = Field(..., ge=1, le=MAX_ID)
    days: int = Field(7, ge=1, le=31)


@router.get("/{work_order_id}/slots", response=list[SlotOut], summary="A technician's free slots (R4.5)")
def work_order_slots(request, work_order_id: int, params: Query[SlotParams]):
    require(request.auth, Perm.WORKORDER_DISPATCH)
    work_order = work_order_for(request.auth, work_order_id)
    if not get_user_model().objects.filter(pk=params.technician_id).exists():
        raise NotFound()
    return [s._asdict() for s in technician_slots(params.technician_id, days=params.days,
                                                  except_work_order=work_order.pk)]
