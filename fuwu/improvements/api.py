"""Improvement API (R17): the actions the caller may see, one action with its timeline, its moves;
suggestions, submitting one. Every change goes through the actions."""

import datetime

from django.contrib.auth import get_user_model
from ninja import Field, Query, Router, Schema

from fuwu.core.validation import MAX_ID
from fuwu.improvements import actions
from fuwu.improvements.models import ActionKind, ActionStatus, ImprovementAction, SuggestionStatus
from fuwu.improvements.selectors import (
    ImprovementFilters,
    improvement_action_for,
    improvement_action_list,
    improvement_source,
    improvement_timeline,
    suggestion_list,
)
from fuwu.org.policy import Perm, is_staff_member, permission_denied, require

router = Router(tags=["improvements"])


class ActionOut(Schema):
    id: int
    number: str
    kind: str
    title: str
    goal: str
    measures: str
    owner_id: int
    due_on: datetime.date
    status: str
    status_label: str
    version: int
    source_kind: str
    source_id: int | None
    source_label: str | None
    proposed_by_id: int
    proposed_at: datetime.datetime
    approved_by_id: int | None
    completed_at: datetime.datetime | None
    verified_by_id: int | None
    verified_at: datetime.datetime | None
    overdue: bool


class EntryOut(Schema):
    kind: str
    author_id: int | None
    written_at: datetime.datetime
    text: str


class ActionDetailOut(ActionOut):
    entries: list[EntryOut]


def _out(action: ImprovementAction, *, with_source: bool = False) -> dict:
    fields = {name: getattr(action, name) for name in ActionOut.model_fields if hasattr(action, name)}
    source = improvement_source(action) if with_source else None
    return {**fields, "status_label": str(action.get_status_display()), "overdue": action.is_overdue(),
            "source_label": source["label"] if source else None}


def _require_staff(user) -> None:
    if not is_staff_member(user):
        raise permission_denied(Perm.STAFF_VIEW)


class SuggestionOut(Schema):
    id: int
    number: str
    title: str
    description: str
    status: SuggestionStatus
    submitted_by_id: int
    submitted_at: datetime.datetime
    reviewed_by_id: int | None
    decline_reason: str
    action_id: int | None


class SuggestionIn(Schema):
    title: str = Field(..., max_length=200)
    description: str = Field(..., max_length=4000)


class SuggestionParams(Schema):
    status: SuggestionStatus | None = None
    limit: int = Field(50, ge=1, le=200)
    offset: int = Field(0, ge=0)


@router.get("/suggestions", response=list[SuggestionOut], summary="Suggestions: all for reviewers, else one's own")
def suggestion_index(request, params: Query[SuggestionParams]):
    require(request.auth, Perm.SUGGESTION_SUBMIT)
    return list(suggestion_list(request.auth, status=params.status or "")[params.offset:params.offset + params.limit])


@router.post("/suggestions", response={201: SuggestionOut}, summary="Submit an improvement suggestion (R17.2)")
def suggestion_create(request, body: SuggestionIn):
    return actions.suggestion_submit(actor=request.auth, title=body.title, description=body.description)


class ListParams(Schema):
    status: ActionStatus | None = None
    kind: ActionKind | None = None
    source_kind: ImprovementAction.SourceKind | None = None
    source_id: int | None = Field(None, ge=1, le=MAX_ID)
    owner_id: int | None = Field(None, ge=1, le=MAX_ID)
    overdue: bool = False
    limit: int = Field(50, ge=1, le=200)
    offset: int = Field(0, ge=0)


@router.get("", response=list[ActionOut], summary="Improvement actions the caller may see, newest first (R17.1)")
def action_index(request, params: Query[ListParams]):
    _require_staff(request.auth)
    qs = improvement_action_list(request.auth, ImprovementFilters(
        status=params.status or "", kind=params.kind or "", source_kind=params.source_kind or "",
        owner_id=params.owner_id, overdue=params.overdue))
    if params.source_id:
        qs = qs.filter(source_id=params.source_id)
    return [_out(a) for a in qs[params.offset:params.offset + params.limit]]


def _detail(request, action_id: int) -> dict:
    action = improvement_action_for(request.auth, action_id)
    return {**_out(action, with_source=True), "entries": improvement_timeline(action)}


@router.get("/{action_id}", response=ActionDetailOut, summary="One improvement action with its timeline")
def action_detail(request, action_id: int):
    _require_staff(request.auth)
    return _detail(request, action_id)


class ActionIn(Schema):
    kind: ActionKind
    title: str = Field(..., max_length=200)
    goal: str = Field(..., max_length=2000)
    measures: str = Field(..., max_length=4000)
    owner_id: int = Field(..., ge=1, le=MAX_ID)
    due_on: datetime.date
    source_kind: ImprovementAction.SourceKind = ImprovementAction.SourceKind.MANUAL
    source_id: int | None = Field(None, ge=1, le=MAX_ID)


@router.post("", response={201: ActionDetailOut}, summary="Propose an improvement action (R17.1)")
def action_create(request, body: ActionIn):
    require(request.auth, Perm.IMPROVEMENT_MANAGE)
    owner = get_user_model().objects.filter(pk=body.owner_id).first()
    action = actions.improvement_action_open(
        actor=request.auth, kind=body.kind, title=body.title, goal=body.goal, measures=body.measures, owner=owner,
        due_on=body.due_on, source_kind=body.source_kind, source_id=body.source_id)
    return _detail(request, action.pk)


class MoveIn(Schema):
    version: int | None = Field(None, ge=1, le=MAX_ID)
    note: str = Field("", max_length=2000)


class VerifyIn(MoveIn):
    effective: bool


def _move(request, action_id: int, call, **kwargs) -> dict:
    _require_staff(request.auth)
    action = improvement_action_for(request.auth, action_id)
    call(actor=request.auth, action=action, **kwargs)
    return _detail(request, action_id)


@router.post("/{action_id}/approve", response=ActionDetailOut, summary="Approve (the manager, not the proposer)")
def action_approve(request, action_id: int, body: MoveIn):
    return _move(request, action_id, actions.improvement_action_approve, expected_version=body.version,
                 note=body.note)


@router.post("/{action_id}/start", response=ActionDetailOut, summary="Start the work (the owner)")
def action_start(request, action_id: int, body: MoveIn):
    return _move(request, action_id, actions.improvement_action_start, expected_version=body.version, note=body.note)


@router.post("/{action_id}/complete", response=ActionDetailOut, summary="Mark done (the owner)")
def action_complete(request, action_id: int, body: MoveIn):
    return _move(request, action_id, actions.improvement_action_complete, expected_version=body.version,
                 note=body.note)


@router.post("/{action_id}/verify", response=ActionDetailOut,
             summary="Verify the effect (a quality supervisor who is not the owner, R1.2)")
def action_verify(request, action_id: int, body: VerifyIn):
    return _move(request, action_id, actions.improvement_action_verify, expected_version=body.version,
                 effective=body.effective, note=body.note)
