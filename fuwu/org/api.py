"""API for the organisation and for one's own API tokens."""

from datetime import datetime

from ninja import Router, Schema
from ninja.security import HttpBearer, SessionAuth

from fuwu.core.request_context import client_ip
from fuwu.org import actions
from fuwu.org.policy import roles_of
from fuwu.org.selectors import api_tokens_of, staff_visible_to


class BearerToken(HttpBearer):
    """API keys, under the same lockout as passwords (R1.2): a wrong key counts against its address."""

    def authenticate(self, request, token: str):
        ip_address = client_ip(request)
        if actions.address_locked_until(ip_address):
            return None
        user = actions.api_token_authenticate(token)
        if user is None:
            actions.login_failure_record(username="", ip_address=ip_address)
            return None
        request.user = user
        return user


class SessionCookie(SessionAuth):
    """The pages' login session, with Django's CSRF check for writes.

    Tried only when the request carries a session cookie: without one there is no session to
    check, so a token client with a wrong or revoked key gets 401 `unauthenticated`, not a CSRF failure.
    """

    def _get_key(self, request):
        if self.param_name not in request.COOKIES:
            return None
        return super()._get_key(request)


router = Router(tags=["organisation"])


class MeOut(Schema):
    username: str
    full_name: str
    roles: list[str]


@router.get("/me", response=MeOut, summary="Who am I")
def me(request):
    user = request.auth
    return {"username": user.username, "full_name": user.get_full_name(), "roles": sorted(roles_of(user))}


class StaffOut(Schema):
    id: int
    employee_no: str | None
    full_name: str
    group: str | None
    region: str | None
    roles: list[str]


@router.get("/staff", response=list[StaffOut], summary="Staff directory")
def staff_list(request):
    return [
        {
            "id": p.pk,
            "employee_no": p.employee_no,
            "full_name": str(p),
            "group": p.group.code if p.group else None,
            "region": p.region.code if p.region else None,
            "roles": sorted(r.code for r in p.roles.all()),
        }
        for p in staff_visible_to(request.auth)
    ]


class TokenIn(Schema):
    name: str


class TokenOut(Schema):
    id: int
    name: str
    prefix: str
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None


class TokenIssued(TokenOut):
    key: str


@router.post("/tokens", response={201: TokenIssued}, summary="Issue an API token (the key is shown once)")
def token_issue(request, body: TokenIn):
    token, key = actions.api_token_issue(actor=request.auth, name=body.name)
    return {**TokenOut.model_validate(token).model_dump(), "key": key}


@router.get("/tokens", response=list[TokenOut], summary="My API tokens")
def token_list(request):
    return api_tokens_of(request.auth)


@router.post("/tokens/{token_id}/revoke", response=TokenOut, summary="Revoke one of my tokens")
def token_revoke(request, token_id: int):
    return actions.api_token_revoke(actor=request.auth, token_id=token_id)
