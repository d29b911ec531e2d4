"""Inspection rounds (R9.7): planning, the steps through the table, the daily job that opens due
rounds once."""

import datetime

import pytest

from fuwu.core.errors import Conflict, InvalidInput, PermissionDenied
from fuwu.core.models import AuditEvent, OutboxMessage
from fuwu.inspections import actions
from fuwu.inspections.codes import InspectionAction, InspectionError
from fuwu.inspections.models import InspectionRound, RoundStatus
from fuwu.inspections.tasks import inspection_rounds_open_daily
from tests.inspections.conftest import make_checklist, plan_round

pytestmark = pytest.mark.django_db


def test_a_round_is_planned_with_its_targets_and_inspectors_hear_of_it(supervisor, other_supervisor, agent,
                                                                        checklist):
    round_ = plan_round(supervisor, checklist, [other_supervisor], staff=[agent], sample_size=3)
    assert round_.status == RoundStatus.PLANNED
    assert list(round_.inspectors.all()) == [other_supervisor] and list(round_.target_staff.all()) == [agent]
    event = AuditEvent.objects.get(action=InspectionAction.ROUND_PLANNED)
    assert event.payload["inspectors"] == [other_supervisor.pk] and event.payload["sample_size"] == 3
    assert OutboxMessage.objects.filter(recipient=other_supervisor).count() == 1


def test_planning_refuses_bad_rounds(supervisor, agent, manager, checklist):
    draft = make_checklist(supervisor, code="draft", publish=False)
    with pytest.raises(InvalidInput) as exc:
        actions.round_plan(actor=supervisor, title="", checklist=draft, period_start=datetime.date(2026, 12, 10),
                           period_end=datetime.date(2026, 12, 1), inspectors=[agent], groups=[], staff=[])
    assert set(exc.value.errors) == {"title", "checklist", "period_end", "inspectors", "groups"}
    with pytest.raises(PermissionDenied):
        plan_round(manager, checklist, [supervisor])


def test_the_steps_follow_the_table(supervisor, checklist):
    round_ = plan_round(supervisor, checklist, [supervisor])
    with pytest.raises(InvalidInput) as exc:
        actions.round_move(actor=supervisor, round_=round_, expected_version=None, move="complete")
    assert exc.value.code == InspectionError.MOVE_NOT_ALLOWED
    round_ = actions.round_move(actor=supervisor, round_=round_, expected_version=1, move="start")
    assert round_.status == RoundStatus.IN_PROGRESS and round_.started_at is not None
    with pytest.raises(Conflict):
        actions.round_move(actor=supervisor, round_=round_, expected_version=1, move="complete")
    round_ = actions.round_move(actor=supervisor, round_=round_, expected_version=2, move="complete")
    assert round_.status == RoundStatus.COMPLETED and round_.ended_at is not None
    moves = [e.payload["move"] for e in AuditEvent.objects.filter(action=InspectionAction.ROUND_MOVED).order_by("id")]
    assert moves == ["start", "complete"]


def test_cancelling_needs_a_reason(supervisor, checklist):
    round_ = plan_round(supervisor, checklist, [supervisor])
    with pytest.raises(InvalidInput) as exc:
        actions.round_move(actor=supervisor, round_=round_, expected_version=None, move="cancel", reason=" ")
    assert "reason" in exc.value.errors
    round_ = actions.round_move(actor=supervisor, round_=round_, expected_version=None, move="cancel",
                                reason="人员调整")
    assert round_.status == RoundStatus.CANCELLED and round_.cancel_reason == "人员调整"


def test_the_daily_job_opens_due_rounds_once(supervisor, checklist):
    due = plan_round(supervisor, checklist, [supervisor], start=datetime.date(2026, 12, 1))
    today = plan_round(supervisor, checklist, [supervisor], start=datetime.date(2026, 12, 2))
    later = plan_round(supervisor, checklist, [supervisor], start=datetime.date(2027, 1, 1))
    cancelled = plan_round(supervisor, checklist, [supervisor], start=datetime.date(2026, 11, 1))
    actions.round_move(actor=supervisor, round_=cancelled, expected_version=None, move="cancel", reason="取消")
    assert inspection_rounds_open_daily.call_local() == 2
    assert inspection_rounds_open_daily.call_local() == 0  # idempotent: nothing planned is due any more
    status = dict(InspectionRound.objects.values_list("pk", "status"))
    assert status == {due.pk: "in_progress", today.pk: "in_progress", later.pk: "planned", cancelled.pk: "cancelled"}
    opened = AuditEvent.objects.filter(action=InspectionAction.ROUND_MOVED, payload__move="start")
    assert opened.count() == 2 and all(e.actor_id is None for e in opened)
    assert OutboxMessage.objects.filter(dedupe_key__startswith="inspection_round.open:").count() == 2
    assert actions.rounds_open_due(today=datetime.date(2027, 1, 1)) == 1
