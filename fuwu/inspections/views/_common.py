from django.http import HttpRequest

from fuwu.core.errors import PermissionDenied
from fuwu.org.policy import Perm, can, permission_denied


def require_view(request: HttpRequest) -> None:
    if not can(request.user, Perm.INSPECTION_VIEW):
        raise permission_denied(Perm.INSPECTION_VIEW)


def require_manage(request: HttpRequest) -> None:
    if not can(request.user, Perm.INSPECTION_MANAGE):
        raise PermissionDenied()


def flags(request: HttpRequest) -> dict:
    user = request.user
    return {"can_manage": can(user, Perm.INSPECTION_MANAGE), "can_perform": can(user, Perm.INSPECTION_PERFORM)}
