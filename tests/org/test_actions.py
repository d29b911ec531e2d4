"""Organisation actions (R1): staff with profile and roles, API tokens; audited (R4.9)."""

import hashlib

import pytest
from django.contrib.auth import get_user_model

from fuwu.core.errors import InvalidInput, NotFound, PermissionDenied
from fuwu.core.models import AuditEvent
from fuwu.org import actions
from fuwu.org.models import ApiToken, Group, Profile
from fuwu.org.roles import Role
from tests.factories import PASSWORD, RegionFactory, make_staff

pytestmark = pytest.mark.django_db
User = get_user_model()


def test_staff_create_writes_user_profile_roles_and_event(manager):
    group = Group.objects.get(code="repair")
    region = RegionFactory(code="east")
    profile = actions.staff_create(
        actor=manager, username="zhangsan", password=PASSWORD, full_name="张三",
        roles=[Role.TECHNICIAN, "support"], employee_no="E0001", phone="13800138000", email="zs@example.com",
        group=group, region=region,
    )
    user = User.objects.get(username="zhangsan")
    assert profile.user == user and user.check_password(PASSWORD)
    assert user.get_full_name() == "张三" and user.email == "zs@example.com" and not user.is_staff
    assert profile.group == group and profile.department.code == "service" and profile.region == region
    assert sorted(profile.roles.values_list("code", flat=True)) == ["support", "technician"]
    [event] = AuditEvent.objects.filter(action="staff.created").for_object(profile)
    assert event.actor == manager
    assert event.payload == {"username": "zhangsan", "roles": ["support", "technician"], "group": "repair"}


def test_staff_create_accepts_roles_from_a_generator(manager):
    profile = actions.staff_create(actor=manager, username="gen", password=PASSWORD, full_name="生成器",
                                   roles=(r for r in ["admin", "manager"]))
    assert sorted(profile.roles.values_list("code", flat=True)) == ["admin", "manager"]
    assert profile.user.is_staff


def test_administrators_may_use_the_admin_site(manager):
    profile = actions.staff_create(actor=manager, username="adm", password=PASSWORD, full_name="管理员",
                                   roles=[Role.ADMIN])
    assert profile.user.is_staff


def test_staff_create_refuses_a_taken_username_or_employee_number(manager):
    actions.staff_create(actor=None, username="taken", password=PASSWORD, full_name="x", roles=["agent"],
                         employee_no="E0009")
    with pytest.raises(InvalidInput) as excinfo:
        actions.staff_create(actor=manager, username="taken", password=PASSWORD, full_name="x", roles=["agent"])
    assert set(excinfo.value.errors) == {"username"}
    with pytest.raises(InvalidInput) as excinfo:
        actions.staff_create(actor=manager, username="other", password=PASSWORD, full_name="x", roles=["agent"],
                             employee_no="E0009")
    assert set(excinfo.value.errors) == {"employee_no"}
    assert not User.objects.filter(username="other").exists()


@pytest.mark.parametrize(
    "role", ["agent", "technician", "finance", "quality_supervisor", "general_manager", "customer"]
)
def test_only_staff_managers_create_staff(role):
    with pytest.raises(PermissionDenied):
        actions.staff_create(actor=make_staff(role), username="new", password=PASSWORD, full_name="x", roles=["agent"])
    assert not User.objects.filter(username="new").exists()


def test_api_token_is_stored_only_as_its_hash(agent):
    token, key = actions.api_token_issue(actor=agent, name="  CRM 集成  ")
    assert key.startswith("fuwu_") and len(key) > 40
    stored = ApiToken.objects.get(pk=token.pk)
    assert stored.name == "CRM 集成" and stored.user == agent
    assert stored.key_hash == hashlib.sha256(key.encode()).hexdigest()
    assert stored.prefix == key[:12]
    assert key not in {stored.name, stored.prefix, stored.key_hash}
    [event] = AuditEvent.objects.filter(action="api_token.issued")
    assert key not in str(event.payload) and event.payload == {"name": "CRM 集成"}


def test_api_token_needs_a_name_and_the_permission(agent):
    with pytest.raises(InvalidInput):
        actions.api_token_issue(actor=agent, name="   ")
    with pytest.raises(PermissionDenied):
        actions.api_token_issue(actor=make_staff("customer"), name="portal")
    assert not ApiToken.objects.exists()


def test_api_token_authenticates_until_revoked(agent):
    token, key = actions.api_token_issue(actor=agent, name="crm")
    assert actions.api_token_authenticate(key) == agent
    assert ApiToken.objects.get(pk=token.pk).last_used_at is not None
    assert actions.api_token_authenticate(key + "x") is None
    assert actions.api_token_authenticate("") is None
    actions.api_token_revoke(actor=agent, token_id=token.pk)
    assert actions.api_token_authenticate(key) is None
    assert ApiToken.objects.get(pk=token.pk).revoked_at is not None
    # Revoking again changes nothing and writes no second event.
    actions.api_token_revoke(actor=agent, token_id=token.pk)
    assert AuditEvent.objects.filter(action="api_token.revoked").count() == 1


def test_a_deactivated_login_cannot_use_its_token(agent):
    _token, key = actions.api_token_issue(actor=agent, name="crm")
    agent.is_active = False
    agent.save(update_fields=["is_active"])
    assert actions.api_token_authenticate(key) is None


def test_only_the_owner_can_revoke_a_token(agent, manager):
    token, key = actions.api_token_issue(actor=agent, name="crm")
    with pytest.raises(NotFound):
        actions.api_token_revoke(actor=manager, token_id=token.pk)
    assert actions.api_token_authenticate(key) == agent


def test_login_failures_lock_the_username_after_the_limit(settings):
    settings.FUWU_LOGIN_MAX_FAILURES = 3
    for _ in range(2):
        actions.login_failure_record(username="Agent1", ip_address="10.0.0.1")
    assert actions.login_locked_until("agent1") is None
    actions.login_failure_record(username="agent1", ip_address="10.0.0.1")
    assert actions.login_locked_until("AGENT1") is not None
    [event] = AuditEvent.objects.filter(action="auth.locked_out")
    assert event.payload["ip"] == "10.0.0.1"


def test_staff_profile_roles_match_the_factory(manager):
    user = make_staff("support")
    assert list(Profile.objects.get(user=user).roles.values_list("code", flat=True)) == ["support"]
    assert Profile.objects.get(user=user).group.code == "tech_support"
