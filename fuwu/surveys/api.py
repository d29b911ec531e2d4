"""Surveys API (R9.1): questionnaires with their questions, responses with their answers, and the
figures. Reading only; every read is permission-checked through the selectors."""

import datetime

from ninja import Field, Query, Router, Schema

from fuwu.core.errors import PermissionDenied
from fuwu.core.validation import MAX_ID
from fuwu.org.policy import Perm, can
from fuwu.surveys.figures import BREAKDOWNS, Figures, period_of_months, survey_figures
from fuwu.surveys.selectors import (
    may_read,
    questionnaire_for,
    questionnaire_layout,
    questionnaires_visible_to,
    response_for,
    responses_visible_to,
)

router = Router(tags=["surveys"])


class QuestionOut(Schema):
    id: int
    section: str
    position: int
    kind: str
    text: str
    help_text: str
    required: bool
    options: list[str]
    counts_for_satisfaction: bool


class QuestionnaireOut(Schema):
    id: int
    code: str
    edition: int
    title: str
    intro: str
    topic: str
    status: str
    published_at: datetime.datetime | None
    retired_at: datetime.datetime | None
    version: int
    question_count: int
    response_count: int


class QuestionnaireDetailOut(QuestionnaireOut):
    questions: list[QuestionOut]


def _require_read(request) -> None:
    if not may_read(request.auth):
        raise PermissionDenied()


@router.get("/questionnaires", response=list[QuestionnaireOut], summary="Every questionnaire version")
def questionnaire_index(request):
    _require_read(request)
    return list(questionnaires_visible_to(request.auth)[:500])


@router.get("/questionnaires/{questionnaire_id}", response=QuestionnaireDetailOut,
            summary="One questionnaire version with its questions in order")
def questionnaire_detail(request, questionnaire_id: int):
    questionnaire = questionnaire_for(request.auth, questionnaire_id)
    questions = [{**{f: getattr(q, f) for f in QuestionOut.model_fields if f != "section"}, "section": s.title}
                 for s, qs in questionnaire_layout(questionnaire) for q in qs]
    return {**{f: getattr(questionnaire, f) for f in QuestionnaireOut.model_fields}, "questions": questions}


class AnswerOut(Schema):
    question_id: int
    number: int | None
    text: str
    choices: list[str]


class ResponseOut(Schema):
    id: int
    invitation_id: int
    questionnaire_id: int
    channel: str
    entered_by_id: int | None
    submitted_at: datetime.datetime
    ticket_id: int | None
    customer_id: int | None
    staff_id: int | None
    group_id: int | None
    service_type_id: int | None
    answers: list[AnswerOut]


class ResponseParams(Schema):
    questionnaire_id: int | None = Field(None, ge=1, le=MAX_ID)
    limit: int = Field(50, ge=1, le=500)


def _response(r) -> dict:
    i = r.invitation
    return {"id": r.pk, "invitation_id": i.pk, "questionnaire_id": r.questionnaire_id, "channel": r.channel,
            "entered_by_id": r.entered_by_id, "submitted_at": r.submitted_at, "ticket_id": i.ticket_id,
            "customer_id": i.customer_id, "staff_id": i.staff_id, "group_id": i.group_id,
            "service_type_id": i.service_type_id, "answers": list(r.answers.all())}


def _require_view(request) -> None:
    if not can(request.auth, Perm.SURVEY_VIEW):
        raise PermissionDenied()


@router.get("/responses", response=list[ResponseOut], summary="Responses, newest first")
def response_index(request, params: Query[ResponseParams]):
    _require_view(request)
    rows = responses_visible_to(request.auth).prefetch_related("answers")
    if params.questionnaire_id:
        rows = rows.filter(questionnaire_id=params.questionnaire_id)
    return [_response(r) for r in rows[:params.limit]]


@router.get("/responses/{response_id}", response=ResponseOut, summary="One response with its answers")
def response_detail(request, response_id: int):
    return _response(response_for(request.auth, response_id))


class FiguresOut(Schema):
    key: str | int | None
    label: str
    invited: int
    answered: int
    response_rate: float | None
    rated: int
    satisfied: int
    satisfaction_rate: float | None
    recommended: int
    promoters: int
    detractors: int
    nps: float | None


class FigureSetOut(Schema):
    since: datetime.datetime
    until: datetime.datetime
    total: FiguresOut
    by: dict[str, list[FiguresOut]]


class FigureParams(Schema):
    since: datetime.date | None = Field(None, description="first month (any day in it)")
    until: datetime.date | None = Field(None, description="last month (any day in it)")


def _figures(f: Figures) -> dict:
    key = f.key.isoformat() if isinstance(f.key, datetime.date) else f.key
    return {"key": key, "label": f.label, "invited": f.invited, "answered": f.answered,
            "response_rate": f.response_rate, "rated": f.rated, "satisfied": f.satisfied,
            "satisfaction_rate": f.satisfaction_rate, "recommended": f.recommended, "promoters": f.promoters,
            "detractors": f.detractors, "nps": f.nps}


@router.get("/figures", response=FigureSetOut,
            summary="Satisfaction rate, NPS and response rate for whole months, in total and by month, staff, "
                    "group and service type")
def figures(request, params: Query[FigureParams]):
    since, until = period_of_months(params.since, params.until)
    result = survey_figures(request.auth, since=since, until=until, breakdowns=BREAKDOWNS)
    return {"since": result.since, "until": result.until, "total": _figures(result.total),
            "by": {k: [_figures(f) for f in rows] for k, rows in result.by.items()}}
