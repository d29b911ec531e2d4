"""Inspections API (R9.4, R9.7): checklists, rounds, inspections and the average scores (the indicator
input of the quality figures). Read-only: changes go through the pages (the actions)."""

import datetime
from decimal import Decimal

from ninja import Field, Query, Router, Schema

from fuwu.core.errors import InvalidInput
from fuwu.inspections.models import ChecklistKind, RoundStatus
from fuwu.inspections.selectors import (
    BREAKDOWNS,
    checklist_for,
    checklists_visible_to,
    inspection_for,
    inspection_scores,
    inspections_visible_to,
    item_scores,
    round_for,
    rounds_visible_to,
)
from fuwu.org.policy import Perm, is_staff_member, require

router = Router(tags=["inspections"])


class ItemOut(Schema):
    id: int
    position: int
    text: str
    guidance: str
    weight: int
    max_score: int
    critical: bool


class ChecklistOut(Schema):
    id: int
    code: str
    edition: int
    title: str
    kind: str
    touchpoint: str
    pass_mark: int
    status: str
    published_at: datetime.datetime | None


class ChecklistDetailOut(ChecklistOut):
    items: list[ItemOut]


class RoundOut(Schema):
    id: int
    title: str
    checklist_id: int
    period_start: datetime.date
    period_end: datetime.date
    status: str
    version: int
    sample_size: int
    inspector_ids: list[int]
    group_ids: list[int]
    staff_ids: list[int]


class ScoreOut(Schema):
    item_id: int
    text: str
    score: int
    max_score: int
    note: str


class InspectionOut(Schema):
    id: int
    checklist_id: int
    round_id: int | None
    touchpoint: str
    kind: str
    inspector_id: int
    staff_id: int | None
    group_id: int
    ticket_number: str | None
    work_order_number: str
    observed_at: datetime.datetime
    score: Decimal
    pass_mark: int
    passed: bool
    critical_failed: int
    finding_ticket_number: str | None


class InspectionDetailOut(InspectionOut):
    notes: str
    scores: list[ScoreOut]


class ScoreRowOut(Schema):
    key: str | None
    label: str
    count: int
    average: Decimal
    passed: int
    findings: int


def _inspection(i) -> dict:
    finding = getattr(i, "finding", None) if hasattr(i, "finding") else None
    return {**{name: getattr(i, name) for name in InspectionOut.model_fields if hasattr(i, name)},
            "ticket_number": i.ticket.number if i.ticket_id else None,
            "finding_ticket_number": finding.ticket.number if finding and finding.ticket_id else None}


@router.get("/checklists", response=list[ChecklistOut], summary="Checklist versions, by code and newest first")
def checklist_index(request):
    require(request.auth, Perm.INSPECTION_VIEW)
    return list(checklists_visible_to(request.auth)[:500])


@router.get("/checklists/{checklist_id}", response=ChecklistDetailOut, summary="One checklist version with its items")
def checklist_detail(request, checklist_id: int):
    checklist = checklist_for(request.auth, checklist_id)
    return {**{name: getattr(checklist, name) for name in ChecklistOut.model_fields},
            "items": list(checklist.items.order_by("position", "id"))}


class RoundParams(Schema):
    status: RoundStatus | None = None
    limit: int = Field(50, ge=1, le=200)
    offset: int = Field(0, ge=0)


@router.get("/rounds", response=list[RoundOut], summary="Inspection rounds, latest period first (R9.7)")
def round_index(request, params: Query[RoundParams]):
    require(request.auth, Perm.INSPECTION_VIEW)
    rounds = rounds_visible_to(request.auth, status=params.status or "").prefetch_related(
        "inspectors", "target_groups", "target_staff")[params.offset:params.offset + params.limit]
    return [_round(r) for r in rounds]


def _round(r) -> dict:
    return {**{name: getattr(r, name) for name in RoundOut.model_fields if hasattr(r, name)},
            "inspector_ids": [u.pk for u in r.inspectors.all()], "group_ids": [g.pk for g in r.target_groups.all()],
            "staff_ids": [u.pk for u in r.target_staff.all()]}


@router.get("/rounds/{round_id}", response=RoundOut, summary="One inspection round")
def round_detail(request, round_id: int):
    return _round(round_for(request.auth, round_id))


# Days a period may name: an earlier or later one is a typing error (and beyond year 1 in China time,
# not a day at all in UTC).
EARLIEST_DAY, LATEST_DAY = datetime.date(2000, 1, 1), datetime.date(2199, 12, 31)


class ScoresParams(Schema):
    start: datetime.date = Field(..., ge=EARLIEST_DAY, le=LATEST_DAY)
    end: datetime.date = Field(..., ge=EARLIEST_DAY, le=LATEST_DAY)
    by: str = Field("touchpoint", description=" | ".join(BREAKDOWNS))
    kind: ChecklistKind | None = None


@router.get("/scores", response=list[ScoreRowOut],
            summary="Average inspection scores for a period, per touchpoint, group, staff, checklist, kind or month")
def scores(request, params: Query[ScoresParams]):
    if not is_staff_member(request.auth):
        require(request.auth, Perm.INSPECTION_VIEW)
    if params.by not in BREAKDOWNS or params.end < params.start or (params.end - params.start).days > 3660:
        raise InvalidInput(errors={"by": [f"one of {', '.join(BREAKDOWNS)}, with start <= end within ten years"]})
    rows = inspection_scores(viewer=request.auth, start=params.start, end=params.end, by=params.by,
                             kind=params.kind or "")
    return [{**row.__dict__, "key": None if row.key is None else str(row.key)} for row in rows]


class ListParams(Schema):
    limit: int = Field(50, ge=1, le=200)
    offset: int = Field(0, ge=0)


@router.get("", response=list[InspectionOut],
            summary="Inspections the caller may see, newest first (their own for staff without the view)")
def inspection_index(request, params: Query[ListParams]):
    if not is_staff_member(request.auth):
        require(request.auth, Perm.INSPECTION_VIEW)
    return [_inspection(i) for i in inspections_visible_to(request.auth)[params.offset:params.offset + params.limit]]


@router.get("/{inspection_id}", response=InspectionDetailOut, summary="One inspection with its item scores")
def inspection_detail(request, inspection_id: int):
    inspection = inspection_for(request.auth, inspection_id)
    return {**_inspection(inspection), "notes": inspection.notes, "scores": [
        {"item_id": s.item_id, "text": s.item.text, "score": s.score, "max_score": s.item.max_score, "note": s.note}
        for s in item_scores(inspection)]}
