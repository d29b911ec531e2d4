"""Major faults API (R7): the fault reports the caller may see, one with its timeline, and reporting a
fault and adding progress through the same actions as the pages."""

import datetime

from django.contrib.auth import get_user_model
from django.utils import timezone
from ninja import Field, Query, Router, Schema

from fuwu.core.errors import InvalidInput
from fuwu.core.validation import MAX_ID
from fuwu.customers.models import Customer
from fuwu.faults import actions
from fuwu.faults.models import FaultReport, FaultStatus, Severity
from fuwu.faults.selectors import FaultFilters, fault_for, fault_list, timeline_of
from fuwu.org.models import Region
from fuwu.org.policy import Perm, require
from fuwu.standards.models import ServiceType

router = Router(tags=["faults"])


class UpdateOut(Schema):
    id: int
    at: datetime.datetime
    author_id: int
    status: str
    text: str


class FaultOut(Schema):
    id: int
    number: str
    title: str
    status: str
    status_label: str
    version: int
    severity: str
    started_at: datetime.datetime
    region_id: int | None
    place: str
    symptoms: str
    handling_plan: str
    customer_ids: list[int]
    service_type_ids: list[int]
    business_owner_id: int | None
    responsible_manager_id: int | None
    reported_by_id: int
    opened_at: datetime.datetime
    restored_at: datetime.datetime | None
    closed_at: datetime.datetime | None


class FaultDetailOut(FaultOut):
    impact: str
    handling_summary: str
    root_cause: str
    corrective_measures: str
    preventive_measures: str
    timeline: list[UpdateOut]


def _out(fault: FaultReport) -> dict:
    fields = {name: getattr(fault, name) for name in FaultDetailOut.model_fields if hasattr(fault, name)}
    return {**fields, "status_label": str(fault.get_status_display()),
            "customer_ids": sorted(c.pk for c in fault.customers.all()),
            "service_type_ids": sorted(s.pk for s in fault.service_types.all())}


class ListParams(Schema):
    status: FaultStatus | None = None
    severity: Severity | None = None
    region_id: int | None = Field(None, ge=1, le=MAX_ID)
    period: str = Field("", max_length=20, description="YYYY-MM or YYYY-MM..YYYY-MM, by when the fault began")
    limit: int = Field(50, ge=1, le=200)
    offset: int = Field(0, ge=0)


@router.get("", response=list[FaultOut], summary="Major fault reports the caller may see, newest first (R7)")
def fault_index(request, params: Query[ListParams]):
    require(request.auth, Perm.FAULT_VIEW)
    qs = fault_list(request.auth, FaultFilters(status=params.status or "", severity=params.severity or "",
                                               region_id=params.region_id, period=params.period))
    return [_out(f) for f in qs.prefetch_related("service_types")[params.offset:params.offset + params.limit]]


@router.get("/{fault_id}", response=FaultDetailOut, summary="One fault report with its analysis and timeline")
def fault_detail(request, fault_id: int):
    require(request.auth, Perm.FAULT_VIEW)
    fault = fault_for(request.auth, fault_id)
    return {**_out(fault), "timeline": timeline_of(fault)}


class FaultIn(Schema):
    title: str = Field(..., max_length=200)
    started_at: datetime.datetime
    severity: Severity = Severity.MAJOR
    region_id: int | None = Field(None, ge=1, le=MAX_ID)
    place: str = Field(..., max_length=200)
    symptoms: str = Field(..., max_length=4000)
    handling_plan: str = Field(..., max_length=4000)
    customer_ids: list[int] = Field(default_factory=list, max_length=500)
    service_type_ids: list[int] = Field(default_factory=list, max_length=100)
    business_owner_id: int | None = Field(None, ge=1, le=MAX_ID)
    responsible_manager_id: int | None = Field(None, ge=1, le=MAX_ID)
    request_key: str | None = Field(None, max_length=64, description="The same key returns the same report")


def _rows(model, ids: list[int], field: str) -> list:
    wanted = {i for i in ids if 0 < i <= MAX_ID}
    rows = list(model.objects.filter(pk__in=wanted))
    if len(rows) != len(set(ids)):
        raise InvalidInput(errors={field: ["Unknown id."]})
    return rows


def _one(model, pk: int | None, field: str):
    return None if pk is None else _rows(model, [pk], field)[0]


def _staff(pk: int | None, field: str):
    if pk is None:
        return None
    user = get_user_model().objects.filter(pk=pk, is_active=True, profile__employee_no__isnull=False).first()
    if user is None:
        raise InvalidInput(errors={field: ["Unknown id."]})
    return user


@router.post("", response={201: FaultDetailOut}, summary="Report a major fault; the notice list is told (R7.1)")
def fault_create(request, payload: FaultIn):
    require(request.auth, Perm.FAULT_REPORT)
    started_at = payload.started_at
    if timezone.is_naive(started_at):  # a time without its zone is the site's local time
        try:
            started_at = timezone.make_aware(started_at)
        except (ValueError, OverflowError):
            raise InvalidInput(errors={"started_at": ["Give the time with its zone."]}) from None
    fault = actions.fault_open(
        actor=request.auth, title=payload.title, started_at=started_at, severity=payload.severity,
        region=_one(Region, payload.region_id, "region_id"), place=payload.place, symptoms=payload.symptoms,
        handling_plan=payload.handling_plan, customers=_rows(Customer, payload.customer_ids, "customer_ids"),
        service_types=_rows(ServiceType, payload.service_type_ids, "service_type_ids"),
        business_owner=_staff(payload.business_owner_id, "business_owner_id"),
        responsible_manager=_staff(payload.responsible_manager_id, "responsible_manager_id"),
        request_key=payload.request_key)
    return 201, {**_out(fault), "timeline": timeline_of(fault)}


class ProgressIn(Schema):
    text: str = Field(..., max_length=4000)


@router.post("/{fault_id}/progress", response={201: UpdateOut}, summary="Add a progress entry to the timeline")
def fault_progress(request, fault_id: int, payload: ProgressIn):
    require(request.auth, Perm.FAULT_REPORT)
    fault = fault_for(request.auth, fault_id)
    return 201, actions.fault_add_progress(actor=request.auth, fault=fault, text=payload.text)
