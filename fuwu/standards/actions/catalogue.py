"""The service catalogue (R3.2, R3.3): service types created and changed, each in one audited step.

A type is never deleted (requests refer to it); one no longer offered is made inactive. Its code
stays as created: code and the demo data find types by it.
"""

from dataclasses import asdict, dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_slug
from django.db import transaction
from django.utils.translation import gettext as _

from fuwu.core.audit import audit_record
from fuwu.core.errors import InvalidInput
from fuwu.core.locking import bump_version, lock_row
from fuwu.org.models import Group
from fuwu.org.policy import Perm, require
from fuwu.standards.codes import StandardsAction
from fuwu.standards.models import REQUIRABLE_FIELDS, Priority, ServiceKind, ServiceType


@dataclass
class ServiceTypeInput:
    """What an administrator says about a service type."""

    name: str
    kind: str
    name_en: str = ""
    required_fields: list[str] = field(default_factory=list)  # of REQUIRABLE_FIELDS (R3.3)
    default_group: Group | None = None
    default_priority: str = Priority.NORMAL
    is_active: bool = True
    sort_order: int = 0


def _clean(data: ServiceTypeInput) -> dict[str, list[str]]:
    data.name, data.name_en = data.name.strip(), data.name_en.strip()
    errors: dict[str, list[str]] = {}
    if not data.name:
        errors["name"] = [_("This field is required.")]
    if data.kind not in ServiceKind.values:
        errors["kind"] = [_("Choose a kind of request.")]
    if data.default_priority not in Priority.values:
        errors["default_priority"] = [_("Choose a priority.")]
    if not isinstance(data.required_fields, list) or any(f not in REQUIRABLE_FIELDS for f in data.required_fields):
        errors["required_fields"] = [_("List fields a request can require: %(names)s.")
                                     % {"names": ", ".join(REQUIRABLE_FIELDS)}]
    return errors


def _json(data: ServiceTypeInput) -> dict[str, Any]:
    values = asdict(data) | {"default_group": getattr(data.default_group, "code", None)}
    values["default_priority"] = str(data.default_priority)
    return values


@transaction.atomic
def service_type_create(*, actor, code: str, data: ServiceTypeInput) -> ServiceType:
    """A new kind of request in the catalogue (R3.2), with what it must carry at registration (R3.3)."""
    require(actor, Perm.STANDARDS_MANAGE)
    code = code.strip()
    errors = _clean(data)
    try:
        validate_slug(code)
    except ValidationError:
        errors["code"] = [_("Use letters, digits, hyphens and underscores only.")]
    else:
        if ServiceType.objects.filter(code=code).exists():
            errors["code"] = [_("A service type with this code already exists.")]
    if errors:
        raise InvalidInput(errors=errors)
    service_type = ServiceType.objects.create(code=code, **asdict(data) | {"default_group": data.default_group})
    audit_record(actor=actor, action=StandardsAction.SERVICE_TYPE_CREATED, obj=service_type,
                 payload={"code": code, "new": _json(data)})
    return service_type


@transaction.atomic
def service_type_update(*, actor, service_type: ServiceType, expected_version: int | None,
                        data: ServiceTypeInput) -> ServiceType:
    """Change a service type; a stale `expected_version` is a Conflict. Nothing changed: no event."""
    require(actor, Perm.STANDARDS_MANAGE)
    locked = lock_row(ServiceType.objects, service_type.pk, expected_version=expected_version)
    errors = _clean(data)
    if errors:
        raise InvalidInput(errors=errors)
    current = ServiceTypeInput(**{name: getattr(locked, name) for name in ServiceTypeInput.__dataclass_fields__})
    before, after = _json(current), _json(data)
    changed = [name for name in after if after[name] != before[name]]
    if not changed:
        return locked
    for name in changed:
        setattr(locked, name, getattr(data, name))
    bump_version(locked, *changed)
    audit_record(actor=actor, action=StandardsAction.SERVICE_TYPE_UPDATED, obj=locked,
                 payload={"old": {n: before[n] for n in changed}, "new": {n: after[n] for n in changed}})
    return locked
