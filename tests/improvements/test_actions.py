"""Improvement actions (R17.1): rows, audit events, timeline, separation of duties (R1.2), sources."""

import datetime

import pytest

from fuwu.core.errors import Conflict, InvalidInput, PermissionDenied
from fuwu.core.models import AuditEvent, OutboxMessage
from fuwu.improvements import actions, sources
from fuwu.improvements.codes import ImprovementError, ImprovementEvent
from fuwu.improvements.models import ActionStatus, ImprovementAction, ProgressEntry
from fuwu.improvements.selectors import improvement_actions_for_source, improvement_source
from tests.factories import make_customer, make_staff
from tests.improvements.conftest import approved, done, due, open_action

pytestmark = pytest.mark.django_db


def events(action) -> list[str]:
    return list(AuditEvent.objects.filter(object_type="improvements.improvementaction", object_id=str(action.pk))
                .order_by("id").values_list("action", flat=True))


def entries(action) -> list[str]:
    return list(action.entries.order_by("id").values_list("kind", flat=True))


def test_open_approve_work_and_verify(quality, manager, technician):
    action = open_action(quality, technician)
    assert action.status == ActionStatus.PROPOSED and action.version == 1 and action.number.startswith("GJ-2026-")
    assert OutboxMessage.objects.filter(recipient=manager, object_id=str(action.pk)).count() == 1
    action = approved(action, manager)
    assert action.status == ActionStatus.APPROVED and action.approved_by == manager
    assert OutboxMessage.objects.filter(recipient=technician, dedupe_key=f"improvement.approved:{action.pk}:"
                                        f"{technician.pk}").count() == 1
    actions.improvement_action_add_note(actor=technician, action=action, text="已与调度沟通排班方案。")
    action = done(ImprovementAction.objects.get(pk=action.pk), technician)
    assert action.status == ActionStatus.DONE and action.completed_at is not None
    assert OutboxMessage.objects.filter(recipient=quality, object_id=str(action.pk)).count() == 1
    action = actions.improvement_action_verify(actor=quality, action=action, expected_version=action.version,
                                               effective=True, note="抽查 12 月 40 单，准时率 96%。")
    assert action.status == ActionStatus.VERIFIED and action.verified_by == quality and action.verified_at
    assert not action.is_open
    assert events(action) == [ImprovementEvent.OPENED, ImprovementEvent.APPROVED, ImprovementEvent.NOTE_ADDED,
                              ImprovementEvent.STARTED, ImprovementEvent.COMPLETED, ImprovementEvent.VERIFIED]
    assert entries(action) == ["proposed", "approved", "note", "started", "done", "verified"]


def test_not_effective_sends_it_back_to_work(quality, manager, technician):
    action = done(approved(open_action(quality, technician), manager), technician)
    with pytest.raises(InvalidInput) as exc:
        actions.improvement_action_verify(actor=quality, action=action, expected_version=None, effective=False,
                                          note=" ")
    assert "note" in exc.value.errors
    action = actions.improvement_action_verify(actor=quality, action=action, expected_version=None, effective=False,
                                               note="复查仍有 20% 迟到。")
    assert action.status == ActionStatus.IN_PROGRESS and action.verified_at is None and action.completed_at is None
    assert events(action)[-1] == ImprovementEvent.REJECTED and entries(action)[-1] == "not_effective"


def test_the_owner_never_verifies_their_own_action(quality, quality2, manager):
    """R1.2: a quality supervisor who owns an action cannot verify it; another supervisor does."""
    action = done(approved(open_action(quality2, quality), manager), quality)
    with pytest.raises(PermissionDenied) as exc:
        actions.improvement_action_verify(actor=quality, action=action, expected_version=None, effective=True,
                                          note="自查有效")
    assert exc.value.code == ImprovementError.OWN_VERIFICATION
    assert ImprovementAction.objects.get(pk=action.pk).status == ActionStatus.DONE
    actions.improvement_action_verify(actor=quality2, action=action, expected_version=None, effective=True,
                                      note="复查有效")


def test_only_supervision_verifies(quality, manager, technician, agent):
    action = done(approved(open_action(quality, technician), manager), technician)
    for actor in (manager, agent):  # the line manager runs the work; supervision checks it (R1.2)
        with pytest.raises(PermissionDenied) as exc:
            actions.improvement_action_verify(actor=actor, action=action, expected_version=None, effective=True,
                                              note="有效")
        assert exc.value.code == ImprovementError.FORBIDDEN_VERIFY


def test_the_proposer_does_not_approve_and_only_the_manager_does(quality, manager, technician):
    own = open_action(manager, technician)
    with pytest.raises(PermissionDenied) as exc:
        actions.improvement_action_approve(actor=manager, action=own, expected_version=None)
    assert exc.value.code == ImprovementError.OWN_APPROVAL
    other = open_action(manager, technician)
    with pytest.raises(PermissionDenied) as exc:
        actions.improvement_action_approve(actor=quality, action=other, expected_version=None)
    assert exc.value.code == ImprovementError.FORBIDDEN_APPROVE
    approved(open_action(quality, technician), manager)


def test_only_the_owner_carries_it_out(quality, manager, technician, agent):
    action = approved(open_action(quality, technician), manager)
    with pytest.raises(PermissionDenied) as exc:
        actions.improvement_action_start(actor=agent, action=action, expected_version=None)
    assert exc.value.code == ImprovementError.NOT_OWNER
    with pytest.raises(InvalidInput) as exc:
        actions.improvement_action_complete(actor=technician, action=action, expected_version=None, note="完成")
    assert exc.value.code == ImprovementError.MOVE_NOT_ALLOWED


def test_a_stale_version_is_a_conflict(quality, manager, technician):
    action = open_action(quality, technician)
    with pytest.raises(Conflict):
        actions.improvement_action_approve(actor=manager, action=action, expected_version=action.version + 1)
    assert ImprovementAction.objects.get(pk=action.pk).status == ActionStatus.PROPOSED


def test_open_checks_its_fields_and_permission(quality, technician, agent):
    with pytest.raises(PermissionDenied):
        open_action(agent, technician)
    with pytest.raises(InvalidInput) as exc:
        actions.improvement_action_open(actor=quality, kind="x", title=" ", goal="", measures="", owner=None,
                                        due_on=datetime.date(2026, 1, 1), source_kind="nowhere")
    assert set(exc.value.errors) == {"kind", "title", "goal", "measures", "owner", "due_on", "source_kind"}
    customer_login = make_staff("customer")
    with pytest.raises(InvalidInput) as exc:
        open_action(quality, customer_login)
    assert set(exc.value.errors) == {"owner"}
    with pytest.raises(InvalidInput) as exc:
        open_action(quality, technician, source_kind=ImprovementAction.SourceKind.FAULT)
    assert set(exc.value.errors) == {"source_id"}
    assert ImprovementAction.objects.count() == 0


def test_cancel_needs_a_reason(quality, manager, technician):
    action = open_action(quality, technician)
    with pytest.raises(InvalidInput) as exc:
        actions.improvement_action_cancel(actor=manager, action=action, expected_version=None, reason="")
    assert "reason" in exc.value.errors
    action = actions.improvement_action_cancel(actor=manager, action=action, expected_version=None,
                                               reason="与 GJ 另一项措施重复")
    assert action.status == ActionStatus.CANCELLED and action.cancel_reason
    assert events(action)[-1] == ImprovementEvent.CANCELLED
    with pytest.raises(InvalidInput):
        actions.improvement_action_add_note(actor=manager, action=action, text="补充")


def test_update_changes_owner_and_due_date(quality, manager, technician, agent):
    action = approved(open_action(quality, technician), manager)
    action = actions.improvement_action_update(actor=quality, action=action, expected_version=action.version,
                                               kind="preventive", title="新标题", goal="目标", measures="措施",
                                               owner=agent, due_on=due(60))
    assert action.owner == agent and action.kind == "preventive"
    assert OutboxMessage.objects.filter(recipient=agent, object_id=str(action.pk)).count() == 1
    assert events(action)[-1] == ImprovementEvent.UPDATED


def test_sources_are_registered_by_their_apps_and_listed(quality, manager, technician, agent):
    """A registered kind of source is checked, named and linked; the selector finds an action by its source."""
    customer = make_customer(agent, name="测试客户")
    kind = ImprovementAction.SourceKind.INSPECTION
    sources.register_source(kind, label_for=lambda pk: f"检查 {pk}" if pk == customer.pk else None,
                            url_for=lambda pk: f"/inspections/{pk}/")
    try:
        with pytest.raises(InvalidInput) as exc:
            open_action(quality, technician, source_kind=kind, source_id=customer.pk + 1000)
        assert exc.value.code == ImprovementError.UNKNOWN_SOURCE
        action = open_action(quality, technician, source_kind=kind, source_id=customer.pk)
        assert improvement_source(action) == {"kind": kind.label, "label": f"检查 {customer.pk}",
                                              "url": f"/inspections/{customer.pk}/", "id": customer.pk}
    finally:
        sources._registry.pop(kind, None)
    # An unregistered kind (its app not built yet) is taken by id.
    fault = open_action(quality, technician, source_kind=ImprovementAction.SourceKind.FAULT, source_id=77)
    assert list(improvement_actions_for_source(viewer=quality, source_kind="fault", source_id=77)) == [fault]
    assert list(improvement_actions_for_source(viewer=agent, source_kind="fault", source_id=77)) == []
    assert list(improvement_actions_for_source(viewer=technician, source_kind="fault", source_id=77)) == [fault]
    assert improvement_source(fault)["label"] is None


def test_timeline_entries_are_append_only_rows(quality, manager, technician):
    action = open_action(quality, technician)
    actions.improvement_action_add_note(actor=quality, action=action, text="第一条")
    assert ProgressEntry.objects.filter(action=action).count() == 2
    with pytest.raises(PermissionDenied):
        actions.improvement_action_add_note(actor=make_staff("agent"), action=action, text="旁人")
