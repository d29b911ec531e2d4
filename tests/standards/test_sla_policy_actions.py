"""Changing and retiring SLA policies (R10.4, R4.4; docs/architecture.md, Actions): rows, audit events,
the refusal of a second active policy with the same criteria, stale versions, and the policy cache."""

import pytest

from fuwu.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from fuwu.core.models import AuditEvent
from fuwu.standards.actions.sla import TargetInput, sla_policy_create, sla_policy_retire, sla_policy_update
from fuwu.standards.codes import StandardsAction
from fuwu.standards.models import ClockKind, ServiceCalendar, ServiceType, SlaPolicy, SlaTarget
from fuwu.standards.sla import Facts, targets_for
from tests.factories import RegionFactory, make_staff

pytestmark = pytest.mark.django_db


def facts(**overrides) -> Facts:
    base = {"service_type_id": None, "priority": "normal", "customer_class": "", "region_id": None, "channel": "phone"}
    return Facts(**{**base, **overrides})


@pytest.fixture
def hours():
    return ServiceCalendar.objects.get(code="service_hours")


@pytest.fixture
def suggestion_policy(manager, hours):
    suggestion = ServiceType.objects.get(code="suggestion")
    return sla_policy_create(actor=manager, name="建议", service_type=suggestion,
                             targets=[TargetInput(ClockKind.FIRST_RESPONSE, hours, 15)])


def events(action, policy):
    return list(AuditEvent.objects.filter(action=action, object_id=str(policy.pk)).order_by("pk"))


def test_update_changes_criteria_and_targets_in_place_with_one_event(manager, hours, suggestion_policy):
    suggestion = ServiceType.objects.get(code="suggestion")
    city = RegionFactory(code="city")
    [first_response] = suggestion_policy.targets.all()
    assert targets_for(facts(service_type_id=suggestion.pk))[ClockKind.FIRST_RESPONSE].minutes == 15
    updated = sla_policy_update(
        actor=manager, policy=suggestion_policy, expected_version=1, name="建议（加急）",
        service_type=suggestion, priority="high", description="高优先级建议",
        targets=[TargetInput(ClockKind.FIRST_RESPONSE, hours, 10, target_id=first_response.pk),
                 TargetInput(ClockKind.ONSITE_ARRIVAL, hours, 240, city)],
    )
    assert (updated.name, updated.priority, updated.description, updated.version) == (
        "建议（加急）", "high", "高优先级建议", 2)
    targets = list(SlaTarget.objects.filter(policy=updated).order_by("pk"))
    assert [(t.pk, t.kind, t.minutes, t.region_id) for t in targets] == [
        (first_response.pk, ClockKind.FIRST_RESPONSE, 10, None),
        (targets[1].pk, ClockKind.ONSITE_ARRIVAL, 240, city.pk)]
    [event] = events(StandardsAction.SLA_POLICY_UPDATED, updated)
    assert event.actor == manager
    assert event.payload["old"] == {"name": "建议", "priority": "", "description": ""}
    assert event.payload["new"] == {"name": "建议（加急）", "priority": "high", "description": "高优先级建议"}
    assert [t["minutes"] for t in event.payload["targets_old"]] == [15]
    assert [(t["kind"], t["minutes"], t["region"]) for t in event.payload["targets_new"]] == [
        ("first_response", 10, None), ("onsite_arrival", 240, "city")]
    # The cache is emptied at once: the type's normal-priority requests fall back, high ones get 10 minutes.
    assert targets_for(facts(service_type_id=suggestion.pk, priority="high"))[ClockKind.FIRST_RESPONSE].minutes == 10
    assert targets_for(facts(service_type_id=suggestion.pk))[ClockKind.FIRST_RESPONSE].minutes != 15


def test_update_without_a_change_writes_nothing(manager, hours, suggestion_policy):
    [target] = suggestion_policy.targets.all()
    same = sla_policy_update(actor=manager, policy=suggestion_policy, expected_version=1, name=" 建议 ",
                             service_type=suggestion_policy.service_type,
                             targets=[TargetInput(ClockKind.FIRST_RESPONSE, hours, 15, target_id=target.pk)])
    assert same.version == 1 and events(StandardsAction.SLA_POLICY_UPDATED, same) == []


def test_update_is_checked_like_creation(manager, hours, suggestion_policy):
    """Same criteria as an active policy, a repeated clock, no time, no name: refused, nothing written."""
    urgent = SlaPolicy.objects.get(priority="urgent", service_type=None, is_active=True)
    [target] = suggestion_policy.targets.all()
    with pytest.raises(InvalidInput) as refused:
        sla_policy_update(actor=manager, policy=suggestion_policy, expected_version=1, name=" ", priority="urgent",
                          targets=[TargetInput(ClockKind.FIRST_RESPONSE, hours, 20),
                                   TargetInput(ClockKind.RESOLUTION, hours, 0)])
    assert set(refused.value.errors) == {"name", "criteria", "targets_0", "targets_1"}
    suggestion_policy.refresh_from_db()
    assert (suggestion_policy.name, suggestion_policy.priority, suggestion_policy.version) == ("建议", "", 1)
    assert list(suggestion_policy.targets.values_list("pk", "minutes")) == [(target.pk, 15)]
    # An inactive policy may share the criteria; making it active again is refused while the other is.
    sla_policy_update(actor=manager, policy=suggestion_policy, expected_version=1, name="建议", priority="urgent",
                      is_active=False, targets=[])
    with pytest.raises(InvalidInput) as again:
        sla_policy_update(actor=manager, policy=suggestion_policy, expected_version=2, name="建议",
                          priority="urgent", targets=[])
    assert set(again.value.errors) == {"criteria"} and urgent.is_active


def test_update_refuses_a_stale_version_a_stranger_target_and_a_non_manager(manager, hours, suggestion_policy):
    sla_policy_update(actor=manager, policy=suggestion_policy, expected_version=1, name="建议 v2", targets=[],
                      service_type=suggestion_policy.service_type)
    with pytest.raises(Conflict) as stale:
        sla_policy_update(actor=manager, policy=suggestion_policy, expected_version=1, name="建议 v3", targets=[])
    assert stale.value.data == {"current_version": 2}
    other = SlaTarget.objects.exclude(policy=suggestion_policy).first()
    with pytest.raises(NotFound):
        sla_policy_update(actor=manager, policy=suggestion_policy, expected_version=None, name="x",
                          targets=[TargetInput(ClockKind.RESOLUTION, hours, 60, target_id=other.pk)])
    with pytest.raises(PermissionDenied):
        sla_policy_update(actor=make_staff("agent"), policy=suggestion_policy, expected_version=None, name="x",
                          targets=[])
    assert SlaPolicy.objects.get(pk=suggestion_policy.pk).name == "建议 v2"


def test_retire_makes_the_policy_inactive_once_and_keeps_its_targets(manager, suggestion_policy):
    suggestion = suggestion_policy.service_type
    retired = sla_policy_retire(actor=manager, policy=suggestion_policy, expected_version=1, reason="合并到默认政策")
    assert (retired.is_active, retired.version) == (False, 2)
    assert SlaTarget.objects.filter(policy=retired).count() == 1
    [event] = events(StandardsAction.SLA_POLICY_RETIRED, retired)
    assert (event.actor, event.payload) == (manager, {"name": "建议", "reason": "合并到默认政策"})
    assert targets_for(facts(service_type_id=suggestion.pk))[ClockKind.FIRST_RESPONSE].minutes != 15
    again = sla_policy_retire(actor=manager, policy=retired, expected_version=None)
    assert again.version == 2 and len(events(StandardsAction.SLA_POLICY_RETIRED, retired)) == 1
    with pytest.raises(Conflict):
        sla_policy_retire(actor=manager, policy=retired, expected_version=1)
    with pytest.raises(PermissionDenied):
        sla_policy_retire(actor=make_staff("agent"), policy=retired, expected_version=None)
