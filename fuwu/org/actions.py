"""Changes to the organisation, logins and API tokens (R1). Audited like every other action."""

import hashlib
import secrets
from collections.abc import Iterable
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import validate_slug
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fuwu.core.audit import audit_record
from fuwu.core.errors import InvalidInput, NotFound, PermissionDenied
from fuwu.org.codes import OrgAction, OrgError
from fuwu.org.models import ApiToken, Department, Group, LoginFailure, Profile, Region, RoleAssignment, Skill
from fuwu.org.policy import Perm, require
from fuwu.org.roles import Role

User = get_user_model()


@transaction.atomic
def staff_create(
    *,
    actor,
    username: str,
    password: str,
    full_name: str,
    roles: Iterable[Role],
    employee_no: str | None = None,
    phone: str = "",
    email: str = "",
    group: Group | None = None,
    region: Region | None = None,
    skills: Iterable = (),
) -> Profile:
    """Create a login with its profile and roles (R1.1, R11.1). `actor=None` is the system (setup)."""
    if actor is not None:
        require(actor, Perm.STAFF_MANAGE)
    roles = {Role(r) for r in roles}  # once: `roles` may be a generator, and is read twice below
    if User.objects.filter(username=username).exists():
        raise InvalidInput(errors={"username": [_("This username is taken.")]})
    if employee_no and Profile.objects.filter(employee_no=employee_no).exists():
        raise InvalidInput(errors={"employee_no": [_("This employee number is taken.")]})
    user = User.objects.create_user(
        username=username,
        password=password,
        email=email,
        first_name=full_name,
        is_staff=Role.ADMIN in roles,
    )
    profile = Profile.objects.create(
        user=user,
        employee_no=employee_no,
        phone=phone,
        group=group,
        department=group.department if group else None,
        region=region,
    )
    role_codes = sorted(r.value for r in roles)
    profile.roles.set([RoleAssignment.objects.get_or_create(code=code)[0] for code in role_codes])
    profile.skills.set(list(skills))
    audit_record(
        actor=actor,
        action=OrgAction.STAFF_CREATED,
        obj=profile,
        payload={"username": username, "roles": role_codes, "group": group.code if group else None},
    )
    return profile


def _hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


@transaction.atomic
def api_token_issue(*, actor, name: str) -> tuple[ApiToken, str]:
    """Issue an API token for the actor. The key is returned once and never stored."""
    require(actor, Perm.API_TOKEN_ISSUE)
    name = name.strip()
    if not name:
        raise InvalidInput(errors={"name": [_("Give the token a name.")]})
    key = f"fuwu_{secrets.token_urlsafe(32)}"
    token = ApiToken.objects.create(user=actor, name=name[:64], prefix=key[:12], key_hash=_hash_key(key))
    audit_record(actor=actor, action=OrgAction.API_TOKEN_ISSUED, obj=token, payload={"name": token.name})
    return token, key


@transaction.atomic
def api_token_revoke(*, actor, token_id: int) -> ApiToken:
    try:
        token = ApiToken.objects.select_for_update().get(pk=token_id, user=actor)
    except ApiToken.DoesNotExist:
        raise NotFound() from None
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit_record(actor=actor, action=OrgAction.API_TOKEN_REVOKED, obj=token, payload={"name": token.name})
    return token


def api_token_authenticate(key: str):
    """The active user behind an API key, or None. Marks the token used at most once a minute."""
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=_hash_key(key), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=1):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


def login_locked_until(username: str, ip_address: str | None = None):
    """When the lockout for this username at this address ends, or None if it may try now (R1.2).

    An account is locked for the address its failures came from, not everywhere: a stranger
    guessing the general manager's password locks out the stranger, not the general manager.
    An address that fails too often across any usernames is locked for all of them. Without an
    address (no request: a command, a test) every failure of the account counts.
    """
    window = timedelta(minutes=settings.FUWU_LOGIN_LOCKOUT_MINUTES)
    recent = LoginFailure.objects.filter(occurred_at__gte=timezone.now() - window)
    account = recent.filter(username=username.lower())
    if ip_address is not None:
        account = account.filter(ip_address=ip_address)
    ends = [_lockout_end(account, settings.FUWU_LOGIN_MAX_FAILURES, window)]
    if ip_address is not None:
        ends.append(address_locked_until(ip_address))
    return max((end for end in ends if end is not None), default=None)


def address_locked_until(ip_address: str | None):
    """When the lockout of a source address ends (too many failures there, any usernames), or None."""
    if ip_address is None:
        return None
    window = timedelta(minutes=settings.FUWU_LOGIN_LOCKOUT_MINUTES)
    recent = LoginFailure.objects.filter(occurred_at__gte=timezone.now() - window, ip_address=ip_address)
    return _lockout_end(recent, settings.FUWU_LOGIN_MAX_FAILURES_PER_ADDRESS, window)


def _lockout_end(failures, limit: int, window: timedelta):
    latest = list(failures.order_by("-occurred_at").values_list("occurred_at", flat=True)[:limit])
    return latest[0] + window if len(latest) >= limit else None


@transaction.atomic
def login_failure_record(*, username: str, ip_address: str | None) -> None:
    """Count a failed password or API key (`username` empty for a key); record the lockout it causes."""
    was_locked = address_locked_until(ip_address) is not None
    LoginFailure.objects.create(username=username.lower()[:150], ip_address=ip_address, occurred_at=timezone.now())
    if username and login_locked_until(username, ip_address):
        audit_record(actor=None, action=OrgAction.AUTH_LOCKED_OUT,
                     payload={"username": username[:150], "ip": ip_address})
    if not was_locked and address_locked_until(ip_address):
        audit_record(actor=None, action=OrgAction.AUTH_ADDRESS_LOCKED_OUT, payload={"ip": ip_address})


@transaction.atomic
def login_success_record(*, user, ip_address: str | None) -> None:
    audit_record(actor=user, action=OrgAction.AUTH_LOGGED_IN, obj=user, payload={"ip": ip_address})


@transaction.atomic
def region_create(*, actor, code: str, name: str) -> Region:
    """Add a service region (R1.1, R4.4). `actor=None` is the system (setup, demo data)."""
    if actor is not None:
        require(actor, Perm.STAFF_MANAGE)
    code, name = code.strip(), name.strip()
    if not code or not name:
        raise InvalidInput(errors={"code" if not code else "name": [_("This field is required.")]})
    if Region.objects.filter(code=code).exists():
        raise InvalidInput(errors={"code": [_("A region with this code already exists.")]})
    region = Region.objects.create(code=code, name=name)
    audit_record(actor=actor, action=OrgAction.REGION_CREATED, obj=region, payload={"code": code, "name": name})
    return region




@transaction.atomic
def skill_create(*, actor, code: str, name: str) -> Skill:
    """Add a skill that staff can hold and dispatch can match (R1.1)."""
    if actor is not None:
        require(actor, Perm.STAFF_MANAGE)
    code, name = code.strip(), name.strip()
    if not code or not name:
        raise InvalidInput(errors={"code" if not code else "name": [_("This field is required.")]})
    if Skill.objects.filter(code=code).exists():
        raise InvalidInput(errors={"code": [_("A skill with this code already exists.")]})
    skill = Skill.objects.create(code=code, name=name)
    audit_record(actor=actor, action=OrgAction.SKILL_CREATED, obj=skill, payload={"code": code, "name": name})
    return skill


def _assign_person(*, actor, obj, field: str, person, action: str):
    """Set a person-valued field (a leader, a head) under a row lock, audited when it changes."""
    if actor is not None:
        require(actor, Perm.STAFF_MANAGE)
    locked = type(obj).objects.select_for_update().get(pk=obj.pk)
    old = getattr(locked, f"{field}_id")
    new = person.pk if person is not None else None
    if old != new:
        setattr(locked, f"{field}_id", new)
        locked.save(update_fields=[field])
        audit_record(actor=actor, action=action, obj=locked, payload={"old": old, "new": new})
    return locked


@transaction.atomic
def group_set_leader(*, actor, group: Group, leader) -> Group:
    """Make a login the leader of a working group (R1.1); `leader=None` clears it."""
    return _assign_person(actor=actor, obj=group, field="leader", person=leader, action=OrgAction.GROUP_LEADER_SET)


@transaction.atomic
def department_set_head(*, actor, department: Department, head) -> Department:
    """Make a login the head of a department (R1.1); `head=None` clears it."""
    return _assign_person(actor=actor, obj=department, field="head", person=head, action=OrgAction.DEPARTMENT_HEAD_SET)


@transaction.atomic
def staff_grant_superuser(*, actor, user) -> None:
    """Let a login use Django's admin site with every permission. Only a superuser (or the system) may."""
    if actor is not None and not actor.is_superuser:
        raise PermissionDenied(code=OrgError.SUPERUSER_GRANT_FORBIDDEN)
    locked = User.objects.select_for_update().get(pk=user.pk)
    if locked.is_superuser and locked.is_staff:
        return
    locked.is_superuser = True
    locked.is_staff = True
    locked.save(update_fields=["is_superuser", "is_staff"])
    audit_record(actor=actor, action=OrgAction.STAFF_SUPERUSER_GRANTED, obj=locked,
                 payload={"username": locked.username})


# --- Configuration from the admin: departments, groups, regions and skills (R1.1) ------------------


def _config_errors(model, *, code: str | None = None, name: str) -> dict[str, list[str]]:
    """Field errors of a code (new rows only) and a name, as the model allows them."""
    errors: dict[str, list[str]] = {}
    if code is not None:
        try:
            validate_slug(code)
        except ValidationError:
            errors["code"] = [_("Use letters, digits, hyphens and underscores only.")]
        else:
            if model.objects.filter(code=code).exists():
                errors["code"] = [_("This code is taken.")]
    if not name:
        errors["name"] = [_("This field is required.")]
    elif len(name) > model._meta.get_field("name").max_length:
        errors["name"] = [_("This name is too long.")]
    return errors


def _config_create(*, actor, model, action: OrgAction, values: dict):
    """A new row of an organisation table, audited with what it holds."""
    if actor is not None:
        require(actor, Perm.STAFF_MANAGE)
    values = {k: v.strip() if isinstance(v, str) else v for k, v in values.items()}
    errors = _config_errors(model, code=values["code"], name=values["name"])
    if errors:
        raise InvalidInput(errors=errors)
    row = model.objects.create(**values)
    audit_record(actor=actor, action=action, obj=row, payload={"new": _config_json(values)})
    return row


def _config_json(values: dict) -> dict:
    """JSON-friendly values for the audit payload: a related row as its code."""
    return {k: getattr(v, "code", v) for k, v in values.items()}


def _config_update(*, actor, row, action: OrgAction, values: dict):
    """Change a row of an organisation table under its lock; old and new values audited, nothing if unchanged."""
    if actor is not None:
        require(actor, Perm.STAFF_MANAGE)
    locked = type(row).objects.select_for_update().get(pk=row.pk)
    values = {k: v.strip() if isinstance(v, str) else v for k, v in values.items()}
    errors = _config_errors(type(row), name=values["name"])
    if errors:
        raise InvalidInput(errors=errors)
    old = {k: getattr(locked, k) for k, new in values.items() if getattr(locked, k) != new}
    if not old:
        return locked
    for name in old:
        setattr(locked, name, values[name])
    locked.save(update_fields=list(old))
    audit_record(actor=actor, action=action, obj=locked,
                 payload={"old": _config_json(old), "new": _config_json({k: values[k] for k in old})})
    return locked


@transaction.atomic
def region_update(*, actor, region: Region, name: str) -> Region:
    """Rename a service region (R1.1); its code stays."""
    return _config_update(actor=actor, row=region, action=OrgAction.REGION_UPDATED, values={"name": name})


@transaction.atomic
def skill_update(*, actor, skill: Skill, name: str) -> Skill:
    """Rename a skill (R1.1); its code stays."""
    return _config_update(actor=actor, row=skill, action=OrgAction.SKILL_UPDATED, values={"name": name})


def _check_kind(kind: str) -> None:
    if kind not in Department.Kind.values:
        raise InvalidInput(errors={"kind": [_("Choose a kind of department.")]})


@transaction.atomic
def department_create(*, actor, code: str, name: str, kind: str, head=None) -> Department:
    """Add a department (R1.1), with its head when given."""
    _check_kind(kind)
    department = _config_create(actor=actor, model=Department, action=OrgAction.DEPARTMENT_CREATED,
                                values={"code": code, "name": name, "kind": kind})
    if head is not None:
        department = department_set_head(actor=actor, department=department, head=head)
    return department


@transaction.atomic
def department_update(*, actor, department: Department, name: str, kind: str, head) -> Department:
    """Rename a department, change its kind or its head (R1.1); its code stays."""
    _check_kind(kind)
    department = _config_update(actor=actor, row=department, action=OrgAction.DEPARTMENT_UPDATED,
                                values={"name": name, "kind": kind})
    return department_set_head(actor=actor, department=department, head=head)


@transaction.atomic
def group_create(*, actor, code: str, name: str, department: Department, leader=None) -> Group:
    """Add a working group to a department (R1.1), with its leader when given."""
    group = _config_create(actor=actor, model=Group, action=OrgAction.GROUP_CREATED,
                           values={"code": code, "name": name, "department": department})
    if leader is not None:
        group = group_set_leader(actor=actor, group=group, leader=leader)
    return group


@transaction.atomic
def group_update(*, actor, group: Group, name: str, department: Department, leader) -> Group:
    """Rename a group, move it to another department (its members' profiles follow) or change its
    leader (R1.1); its code stays."""
    moved_from = Group.objects.select_for_update().values_list("department_id", flat=True).get(pk=group.pk)
    group = _config_update(actor=actor, row=group, action=OrgAction.GROUP_UPDATED,
                           values={"name": name, "department": department})
    if moved_from != department.pk:
        Profile.objects.filter(group=group).update(department=department)
    return group_set_leader(actor=actor, group=group, leader=leader)
