"""Changes to the organisation, logins and API tokens (R1). Audited like every other action."""

import hashlib
import secrets
from collections.abc import Iterable
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fuwu.core.audit import audit_record
from fuwu.core.errors import InvalidInput, NotFound
from fuwu.org.models import ApiToken, Group, LoginFailure, Profile, Region, RoleAssignment
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
    if User.objects.filter(username=username).exists():
        raise InvalidInput(errors={"username": [_("This username is taken.")]})
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
    role_codes = sorted({Role(r).value for r in roles})
    profile.roles.set([RoleAssignment.objects.get_or_create(code=code)[0] for code in role_codes])
    profile.skills.set(list(skills))
    audit_record(
        actor=actor,
        action="staff.created",
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
    audit_record(actor=actor, action="api_token.issued", obj=token, payload={"name": token.name})
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
        audit_record(actor=actor, action="api_token.revoked", obj=token, payload={"name": token.name})
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


def login_locked_until(username: str):
    """When the lockout for this username ends, or None if it may try to log in now."""
    window = timedelta(minutes=settings.FUWU_LOGIN_LOCKOUT_MINUTES)
    recent = list(
        LoginFailure.objects.filter(username=username.lower(), occurred_at__gte=timezone.now() - window)
        .order_by("-occurred_at")
        .values_list("occurred_at", flat=True)[: settings.FUWU_LOGIN_MAX_FAILURES]
    )
    if len(recent) < settings.FUWU_LOGIN_MAX_FAILURES:
        return None
    return recent[0] + window


@transaction.atomic
def login_failure_record(*, username: str, ip_address: str | None) -> None:
    LoginFailure.objects.create(username=username.lower()[:150], ip_address=ip_address, occurred_at=timezone.now())
    if login_locked_until(username):
        audit_record(actor=None, action="auth.locked_out", payload={"username": username[:150], "ip": ip_address})


@transaction.atomic
def login_success_record(*, user, ip_address: str | None) -> None:
    audit_record(actor=user, action="auth.logged_in", obj=user, payload={"ip": ip_address})
