"""Filling a checklist (R9.4): the computed score, the finding that becomes one request (R9.7), and
separation of duties (R1.2)."""

from decimal import Decimal

import pytest

from fuwu.core.errors import InvalidInput, PermissionDenied
from fuwu.core.models import AuditEvent, OutboxMessage
from fuwu.inspections import actions
from fuwu.inspections.codes import InspectionAction, InspectionError
from fuwu.inspections.models import Finding, FindingReason, Inspection, ItemScore
from fuwu.org.models import Profile
from fuwu.tickets.models import Handover, Ticket
from tests.factories import make_staff, make_ticket
from tests.inspections.conftest import items_of, make_checklist, plan_round, score_input

pytestmark = pytest.mark.django_db


def test_a_passing_score_is_computed_and_recorded(supervisor, agent, checklist):
    # (2*4/5 + 1*3/5 + 1*1/1) / 4 = 80 %: exactly the pass mark
    inspection = actions.inspection_record(actor=supervisor, data=score_input(
        checklist, [4, 3, 1], staff_id=agent.pk, notes="语速偏快"))
    assert inspection.score == Decimal("80.00") and inspection.passed and inspection.critical_failed == 0
    assert inspection.group.code == "customer_service"  # the staff member's group
    assert inspection.touchpoint == "hotline_call" and inspection.kind == "inspection"
    assert list(ItemScore.objects.filter(inspection=inspection).values_list("score", flat=True)) == [4, 3, 1]
    assert not Finding.objects.exists() and not Ticket.objects.filter(service_type__code="quality_issue").exists()
    event = AuditEvent.objects.get(action=InspectionAction.INSPECTION_RECORDED)
    assert event.payload["score"] == "80.00" and event.payload["passed"] is True
    assert OutboxMessage.objects.filter(recipient=agent).exists()  # the person hears of their result


def test_a_failed_critical_item_gives_one_finding_and_one_request(supervisor, agent, checklist):
    # (2*5/5 + 1*5/5 + 0) / 4 = 75 %; the critical item failed
    inspection = actions.inspection_record(actor=supervisor, data=score_input(checklist, [5, 5, 0],
                                                                              staff_id=agent.pk))
    assert inspection.score == Decimal("75.00") and not inspection.passed and inspection.critical_failed == 1
    finding = Finding.objects.get(inspection=inspection)
    assert finding.reason == FindingReason.CRITICAL and finding.group.code == "customer_service"
    assert "未泄露客户信息: 0/1" in finding.summary
    ticket = finding.ticket
    assert ticket.service_type.code == "quality_issue" and ticket.kind == "other"
    assert ticket.first_responsible.username == "fuwu-inspections"
    handover = Handover.objects.get(ticket=ticket)
    assert handover.to_group == finding.group and handover.state == Handover.State.PENDING
    again = actions.finding_raise(actor=supervisor, inspection=inspection)
    assert again.pk == finding.pk
    assert Finding.objects.count() == 1
    assert Ticket.objects.filter(service_type__code="quality_issue").count() == 1
    assert AuditEvent.objects.filter(action=InspectionAction.FINDING_RAISED).count() == 1


def test_a_score_below_the_pass_mark_gives_a_finding(supervisor, agent, checklist):
    # (2*2/5 + 1*2/5 + 1) / 4 = (0.8 + 0.4 + 1) / 4 = 55 %
    inspection = actions.inspection_record(actor=supervisor, data=score_input(checklist, [2, 2, 1],
                                                                              staff_id=agent.pk))
    assert inspection.score == Decimal("55.00")
    assert inspection.finding.reason == FindingReason.BELOW_PASS


def test_a_passed_inspection_has_no_finding_to_raise(supervisor, agent, checklist):
    inspection = actions.inspection_record(actor=supervisor, data=score_input(checklist, [5, 5, 1],
                                                                              staff_id=agent.pk))
    with pytest.raises(InvalidInput):
        actions.finding_raise(actor=supervisor, inspection=inspection)


def test_the_target_may_be_a_request_whose_owner_and_group_are_inspected(supervisor, agent, checklist):
    ticket = make_ticket(agent, title="打印机卡纸")
    inspection = actions.inspection_record(actor=supervisor, data=score_input(checklist, [5, 5, 1],
                                                                              ticket_id=ticket.pk,
                                                                              work_order_number="WO-1"))
    assert inspection.ticket == ticket and inspection.staff == agent and inspection.group == ticket.group
    assert inspection.work_order_number == "WO-1"


def test_nobody_inspects_themselves(supervisor, checklist):
    with pytest.raises(PermissionDenied) as exc:
        actions.inspection_record(actor=supervisor, data=score_input(checklist, [5, 5, 1], staff_id=supervisor.pk,
                                                                     group_id=1))
    assert exc.value.code == InspectionError.OWN_INSPECTION
    # nor their own group
    member = make_staff("quality_supervisor")
    agent = make_staff("agent")
    Profile.objects.filter(user=member).update(group=Profile.objects.get(user=agent).group)
    with pytest.raises(PermissionDenied):
        actions.inspection_record(actor=member, data=score_input(checklist, [5, 5, 1], staff_id=agent.pk))
    assert not Inspection.objects.exists()


def test_a_round_names_no_inspector_among_the_staff_it_inspects(supervisor, checklist):
    with pytest.raises(InvalidInput) as exc:
        plan_round(supervisor, checklist, [supervisor], staff=[supervisor])
    assert "staff" in exc.value.errors


def test_only_supervisors_score_and_only_the_rounds_inspectors_on_a_round(supervisor, other_supervisor, agent,
                                                                          manager, checklist):
    for user in (agent, manager):
        with pytest.raises(PermissionDenied):
            actions.inspection_record(actor=user, data=score_input(checklist, [5, 5, 1], staff_id=agent.pk))
    round_ = plan_round(supervisor, checklist, [supervisor])
    actions.round_move(actor=supervisor, round_=round_, expected_version=None, move="start")
    with pytest.raises(PermissionDenied) as exc:
        actions.inspection_record(actor=other_supervisor, data=score_input(checklist, [5, 5, 1], staff_id=agent.pk),
                                  round_=round_)
    assert exc.value.code == InspectionError.NOT_INSPECTOR
    inspection = actions.inspection_record(actor=supervisor, data=score_input(checklist, [5, 5, 1],
                                                                              staff_id=agent.pk), round_=round_)
    assert inspection.round == round_


def test_a_round_is_scored_only_while_in_progress(supervisor, agent, checklist):
    round_ = plan_round(supervisor, checklist, [supervisor])
    with pytest.raises(InvalidInput) as exc:
        actions.inspection_record(actor=supervisor, data=score_input(checklist, [5, 5, 1], staff_id=agent.pk),
                                  round_=round_)
    assert "round" in exc.value.errors


def test_every_item_needs_a_score_in_range(supervisor, agent, checklist):
    items = items_of(checklist)
    data = actions.ScoreInput(checklist_id=checklist.pk, scores={items[0].pk: 6, items[1].pk: 3}, staff_id=agent.pk)
    with pytest.raises(InvalidInput) as exc:
        actions.inspection_record(actor=supervisor, data=data)
    assert set(exc.value.errors) == {f"item_{items[0].pk}", f"item_{items[2].pk}"}


def test_a_draft_checklist_is_not_scored(supervisor, agent):
    draft = make_checklist(supervisor, code="draft", publish=False)
    with pytest.raises(InvalidInput) as exc:
        actions.inspection_record(actor=supervisor, data=score_input(draft, [5, 5, 1], staff_id=agent.pk))
    assert exc.value.code == InspectionError.NOT_PUBLISHED
