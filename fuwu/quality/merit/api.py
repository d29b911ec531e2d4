"""The results API (R9.5, R11.5): a period's results as the viewer may see them, and a manager's
decision on one (409 on a stale version)."""

import datetime

from ninja import Router, Schema

from fuwu.core.errors import InvalidInput
from fuwu.quality.indicators import Granularity, Period
from fuwu.quality.merit import actions
from fuwu.quality.merit.selectors import access_result, results_visible_to

router = Router(tags=["quality"])


class ResultOut(Schema):
    id: int
    rule: str
    revision: int
    indicator: str
    outcome: str
    points: int
    description: str
    subject_id: int
    group_id: int | None
    granularity: str
    period_start: datetime.date
    value: float
    numerator: float
    denominator: float | None
    volume: int
    state: str
    note: str
    decided_by_id: int | None
    decided_at: datetime.datetime | None
    version: int


class DecideIn(Schema):
    version: int
    decision: str  # "confirm" or "waive"
    note: str = ""


def _out(r) -> ResultOut:
    rule = r.rule
    return ResultOut(id=r.pk, rule=rule.code, revision=rule.revision, indicator=rule.indicator, outcome=rule.outcome,
                     points=rule.points, description=rule.description, subject_id=r.subject_id, group_id=r.group_id,
                     granularity=r.granularity, period_start=r.period_start, value=r.value, numerator=r.numerator,
                     denominator=r.denominator, volume=r.volume, state=r.state, note=r.note,
                     decided_by_id=r.decided_by_id, decided_at=r.decided_at, version=r.version)


@router.get("/results", response=list[ResultOut], summary="A period's results: all with merit.view, else one's own")
def result_list(request, start: datetime.date, granularity: str = Granularity.MONTH, state: str = ""):
    if granularity not in (Granularity.MONTH, Granularity.QUARTER):
        raise InvalidInput(errors={"granularity": ["month, quarter"]})
    if not datetime.date(2000, 1, 1) <= start <= datetime.date(2199, 12, 31):
        raise InvalidInput(errors={"start": ["2000-01-01 – 2199-12-31"]})
    period = Period.containing(granularity, start)
    qs = results_visible_to(request.auth).filter(granularity=granularity, period_start=period.start)
    if state:
        qs = qs.filter(state=state)
    return [_out(r) for r in qs.order_by("subject_id", "rule_code")[:5000]]


@router.post("/results/{result_id}/decide", response=ResultOut, summary="Confirm or waive a proposed outcome")
def result_decide(request, result_id: int, payload: DecideIn):
    if payload.decision not in ("confirm", "waive"):
        raise InvalidInput(errors={"decision": ["confirm, waive"]})
    result = access_result(request.auth, result_id)
    return _out(actions.merit_result_decide(actor=request.auth, result=result, version=payload.version,
                                            confirm=payload.decision == "confirm", note=payload.note))
