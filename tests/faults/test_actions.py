"""Fault reports (R7.1, R7.2): each action's rows and audit event, the lock, the closing rules."""

import pytest

from fuwu.core.errors import Conflict, InvalidInput, PermissionDenied
from fuwu.core.models import AuditEvent
from fuwu.faults import actions, measures
from fuwu.faults.codes import FaultAction
from fuwu.faults.models import FaultReport, FaultUpdate
from fuwu.improvements.actions import improvement_action_cancel
from fuwu.improvements.models import ActionKind
from fuwu.improvements.sources import source_label, source_url
from fuwu.org.roles import Role
from tests.factories import make_staff
from tests.faults.conftest import analyse, improve, report, restore, started

pytestmark = pytest.mark.django_db


def events(fault, action):
    return list(AuditEvent.objects.filter(object_type="faults.faultreport", object_id=str(fault.pk),
                                          action=action).order_by("id"))


def test_reporting_a_fault_keeps_the_facts_the_customers_and_the_first_timeline_entry(support, customers):
    fault = report(support, customers=customers)
    assert fault.status == "open" and fault.version == 1 and fault.reported_by == support
    assert fault.number == f"GZ-2026-{fault.pk:04d}"
    assert set(fault.customers.all()) == set(customers) and fault.service_types.count() == 1
    (entry,) = FaultUpdate.objects.filter(fault=fault)
    assert entry.status == "open" and entry.author == support
    (event,) = events(fault, FaultAction.OPENED)
    assert event.payload["customers"] == sorted(c.pk for c in customers) and event.payload["severity"] == "severe"


def test_reporting_needs_time_place_symptoms_and_plan(support):
    with pytest.raises(InvalidInput) as excinfo:
        report(support, place=" ", symptoms="", handling_plan="", started_at=started(-2))
    assert set(excinfo.value.errors) == {"place", "symptoms", "handling_plan", "started_at"}
    assert not FaultReport.objects.exists()


def test_customers_and_finance_do_not_report_faults(finance):
    with pytest.raises(PermissionDenied):
        report(finance)


def test_a_retried_report_with_the_same_key_is_the_same_report(support):
    first = report(support, request_key="k-1")
    again = report(support, request_key="k-1")
    assert first.pk == again.pk and FaultReport.objects.count() == 1 and len(events(first, FaultAction.OPENED)) == 1


def test_moves_follow_the_table_write_the_timeline_and_count_versions(support):
    fault = report(support)
    fault = actions.fault_move(actor=support, fault=fault, expected_version=1, move="handle", note="厂家已出发")
    assert fault.status == "handling" and fault.version == 2
    with pytest.raises(InvalidInput):
        actions.fault_move(actor=support, fault=fault, expected_version=2, move="recur")
    with pytest.raises(Conflict):
        actions.fault_move(actor=support, fault=fault, expected_version=1, move="restore")
    fault = actions.fault_move(actor=support, fault=fault, expected_version=2, move="restore")
    assert fault.status == "restored" and fault.restored_at is not None
    assert [e.status for e in fault.updates.order_by("id")] == ["open", "handling", "restored"]
    assert [e.payload["to"] for e in events(fault, FaultAction.MOVED)] == ["handling", "restored"]


def test_progress_is_appended_with_its_author(support):
    fault = report(support)
    entry = actions.fault_add_progress(actor=support, fault=fault, text="备用交换机已上电")
    assert entry.author == support and entry.text == "备用交换机已上电" and entry.status == ""
    (event,) = events(fault, FaultAction.PROGRESS)
    assert event.payload["entry"] == entry.pk
    with pytest.raises(InvalidInput):
        actions.fault_add_progress(actor=support, fault=fault, text="  ")


def test_the_analysis_is_the_managers_and_needs_impact_handling_and_root_cause(support, boss):
    fault = report(support)
    with pytest.raises(PermissionDenied):
        analyse(fault, support)
    with pytest.raises(InvalidInput) as excinfo:
        analyse(fault, boss, root_cause="")
    assert set(excinfo.value.errors) == {"root_cause"}
    fault = analyse(fault, boss)
    assert fault.has_analysis and fault.analysed_at is not None
    assert events(fault, FaultAction.ANALYSED)


def test_closing_needs_restoration_analysis_and_a_linked_improvement_action(support, boss):
    fault = report(support)
    with pytest.raises(InvalidInput) as excinfo:
        actions.fault_close(actor=boss, fault=fault, expected_version=None)
    assert excinfo.value.code == "fault.not_closable" and "恢复" in excinfo.value.errors["move"][0]
    fault = restore(fault, support)
    with pytest.raises(InvalidInput) as excinfo:
        actions.fault_close(actor=boss, fault=fault, expected_version=None)
    assert "故障分析" in excinfo.value.errors["move"][0]
    fault = analyse(fault, boss)  # the measures in words are not enough: they are improvement actions
    with pytest.raises(InvalidInput) as excinfo:
        actions.fault_close(actor=boss, fault=fault, expected_version=None)
    assert "改进措施" in excinfo.value.errors["move"][0]
    cancelled = improve(fault, boss)
    improvement_action_cancel(actor=boss, action=cancelled, expected_version=None, reason="重复")
    with pytest.raises(InvalidInput):
        actions.fault_close(actor=boss, fault=fault, expected_version=None)
    action = improve(fault, boss, kind="preventive")
    assert action.source_kind == "fault" and action.source_id == fault.pk
    assert source_label("fault", fault.pk) == f"{fault.number} {fault.title}"
    assert source_url("fault", fault.pk) == f"/faults/{fault.pk}/"
    with pytest.raises(PermissionDenied):
        actions.fault_close(actor=support, fault=fault, expected_version=None)
    fault = actions.fault_close(actor=boss, fault=fault, expected_version=fault.version)
    assert fault.status == "closed" and fault.closed_by == boss and fault.closed_at is not None
    assert events(fault, FaultAction.CLOSED)[0].payload["measures"] == 1
    assert [e.status for e in fault.updates.order_by("id")] == ["open", "restored", "closed"]
    with pytest.raises(InvalidInput):
        actions.fault_add_progress(actor=support, fault=fault, text="补充")


def test_the_fault_page_lists_its_actions_for_the_viewer(support, boss):
    fault = report(support)
    improve(fault, boss)
    (row,) = measures.linked_actions(boss, fault)
    assert row["title"] == "更换同批次电源模块" and row["kind_label"] == ActionKind.CORRECTIVE.label
    assert measures.linked_actions(support, fault) == []  # a support engineer sees only actions they own


def test_the_notice_list_is_the_managers(boss, support):
    department_head = make_staff(Role.MANAGER)
    from fuwu.org.models import Department

    department = Department.objects.order_by("id").first()
    with pytest.raises(PermissionDenied):
        actions.notice_recipient_add(actor=support, kind="role", role="finance")
    row = actions.notice_recipient_add(actor=boss, kind="department", department=department)
    assert actions.notice_recipient_add(actor=boss, kind="department", department=department).pk == row.pk
    with pytest.raises(InvalidInput):
        actions.notice_recipient_add(actor=boss, kind="role", role="customer")
    person = actions.notice_recipient_add(actor=boss, kind="user", user=department_head)
    actions.notice_recipient_remove(actor=boss, recipient=person)
    codes = list(AuditEvent.objects.filter(action__startswith="fault.recipient").order_by("id")
                 .values_list("action", flat=True))
    assert codes == [FaultAction.RECIPIENT_ADDED, FaultAction.RECIPIENT_ADDED, FaultAction.RECIPIENT_REMOVED]
