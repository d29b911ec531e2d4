"""The organisation's configuration actions (R1.1; docs/architecture.md, Actions): regions, skills,
departments and groups changed with rows and audit events, and through the admin."""

import pytest
from django.urls import reverse

from fuwu.core.errors import InvalidInput, PermissionDenied
from fuwu.core.models import AuditEvent
from fuwu.org import actions
from fuwu.org.codes import OrgAction
from fuwu.org.models import Department, Group, Profile, Region, Skill
from tests.factories import RegionFactory, make_staff

pytestmark = pytest.mark.django_db


def event(action, obj) -> AuditEvent:
    return AuditEvent.objects.get(action=action, object_id=str(obj.pk))


def test_region_and_skill_are_renamed_with_old_and_new(manager):
    region = RegionFactory(code="east", name="华东")
    renamed = actions.region_update(actor=manager, region=region, name=" 华东区 ")
    assert Region.objects.get(pk=region.pk).name == renamed.name == "华东区"
    assert event(OrgAction.REGION_UPDATED, region).payload == {"old": {"name": "华东"}, "new": {"name": "华东区"}}
    actions.region_update(actor=manager, region=region, name="华东区")  # unchanged: no second event
    assert AuditEvent.objects.filter(action=OrgAction.REGION_UPDATED).count() == 1
    skill = actions.skill_create(actor=manager, code="hvac", name="空调")
    actions.skill_update(actor=manager, skill=skill, name="暖通空调")
    assert Skill.objects.get(pk=skill.pk).name == "暖通空调"
    assert event(OrgAction.SKILL_UPDATED, skill).actor == manager
    with pytest.raises(InvalidInput) as refused:
        actions.skill_update(actor=manager, skill=skill, name=" ")
    assert set(refused.value.errors) == {"name"}
    with pytest.raises(PermissionDenied):
        actions.region_update(actor=make_staff("agent"), region=region, name="x")


def test_department_create_and_update_with_head(manager):
    head = make_staff("manager")
    department = actions.department_create(actor=manager, code="quality", name="质量部", kind="office", head=head)
    assert (department.code, department.name, department.kind, department.head) == ("quality", "质量部", "office", head)
    assert event(OrgAction.DEPARTMENT_CREATED, department).payload == {
        "new": {"code": "quality", "name": "质量部", "kind": "office"}}
    assert event(OrgAction.DEPARTMENT_HEAD_SET, department).payload == {"old": None, "new": head.pk}
    updated = actions.department_update(actor=manager, department=department, name="质量管理部", kind="office",
                                        head=None)
    assert (updated.name, updated.head) == ("质量管理部", None)
    assert event(OrgAction.DEPARTMENT_UPDATED, department).payload == {
        "old": {"name": "质量部"}, "new": {"name": "质量管理部"}}
    with pytest.raises(InvalidInput) as refused:
        actions.department_create(actor=manager, code="quality", name="重复", kind="office")
    assert set(refused.value.errors) == {"code"}
    with pytest.raises(InvalidInput):
        actions.department_update(actor=manager, department=department, name="x", kind="nonsense", head=None)
    assert Department.objects.get(pk=department.pk).kind == "office"


def test_group_create_and_move_to_another_department_takes_its_members(manager):
    sales = Department.objects.get(code="sales")
    leader = make_staff("technician")
    group = actions.group_create(actor=manager, code="field", name="外勤组",
                                 department=Department.objects.get(code="service"), leader=leader)
    assert (group.department.code, group.leader) == ("service", leader)
    assert event(OrgAction.GROUP_CREATED, group).payload == {
        "new": {"code": "field", "name": "外勤组", "department": "service"}}
    member = actions.staff_create(actor=manager, username="waiqin", password="x-Pa55word!", full_name="外勤",
                                  roles=["technician"], group=group)
    actions.group_update(actor=manager, group=group, name="销售外勤组", department=sales, leader=leader)
    group.refresh_from_db()
    assert (group.name, group.department, group.leader) == ("销售外勤组", sales, leader)
    assert Profile.objects.get(pk=member.pk).department == sales
    assert event(OrgAction.GROUP_UPDATED, group).payload == {
        "old": {"name": "外勤组", "department": "service"}, "new": {"name": "销售外勤组", "department": "sales"}}
    with pytest.raises(InvalidInput):
        actions.group_create(actor=manager, code="bad code", name="x", department=sales)
    assert not Group.objects.filter(name="x").exists()


def test_the_admin_saves_through_the_actions_and_shows_their_errors(client):
    admin = make_staff("admin")
    actions.staff_grant_superuser(actor=None, user=admin)
    client.force_login(admin)
    add = reverse("admin:org_region_add")
    assert client.post(add, {"code": "west", "name": "华西"}).status_code == 302
    region = Region.objects.get(code="west")
    assert event(OrgAction.REGION_CREATED, region).actor == admin
    change = reverse("admin:org_region_change", args=[region.pk])
    assert client.post(change, {"name": "西部"}).status_code == 302
    assert event(OrgAction.REGION_UPDATED, region).payload["new"] == {"name": "西部"}
    refused = client.post(change, {"name": " "})
    assert refused.status_code == 200 and Region.objects.get(pk=region.pk).name == "西部"
    group_add = client.post(reverse("admin:org_group_add"), {
        "code": "night", "name": "夜班组", "department": Department.objects.get(code="service").pk, "leader": ""})
    assert group_add.status_code == 302
    assert event(OrgAction.GROUP_CREATED, Group.objects.get(code="night")).actor == admin
    for name in ("department", "skill", "profile", "apitoken"):
        assert client.get(reverse(f"admin:org_{name}_changelist")).status_code == 200


def test_logins_change_only_through_actions_even_in_the_admin(client):
    """The stock user admin made superusers with no audit event; now it is read-only with one audited action."""
    admin = make_staff("admin")
    actions.staff_grant_superuser(actor=None, user=admin)
    client.force_login(admin)
    agent = make_staff("agent")
    change = reverse("admin:auth_user_change", args=[agent.pk])
    assert client.get(change).status_code == 200
    assert client.post(change, {"username": agent.username, "is_superuser": "on"}).status_code == 403
    agent.refresh_from_db()
    assert not agent.is_superuser
    assert client.get("/admin/auth/group/").status_code == 404
    changelist = reverse("admin:auth_user_changelist")
    answer = client.post(changelist, {"action": "grant_administrator_rights", "_selected_action": [agent.pk]})
    assert answer.status_code == 302
    agent.refresh_from_db()
    assert agent.is_superuser and event(OrgAction.STAFF_SUPERUSER_GRANTED, agent).actor == admin
