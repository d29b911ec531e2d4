"""Typed contracts: audit action codes and error codes are enums with their labels beside them.

Each app declares its own in `<app>/codes.py`, as subclasses of `AuditAction` and `ErrorCode`:

    class TicketAction(AuditAction):
        REGISTERED = "ticket.registered", _("Request registered")

Actions pass the member (`audit_record(action=TicketAction.REGISTERED, ...)`), errors carry one
(`InvalidInput(code=TicketError.HANDOVER_PENDING, ...)`), tests compare with the member. The value
is the stable code stored in the audit record and returned by the API; the label is what a reader
sees (the audit page and timelines show labels, never raw codes). `core` imports no app: the
`codes` modules are found by name when the apps are ready.
"""

from django.db import models
from django.utils.module_loading import autodiscover_modules


class AuditAction(models.TextChoices):
    """Base of every app's audit action codes: value "entity.verb", label a short sentence."""


class ErrorCode(models.TextChoices):
    """Base of every app's error codes: value the stable code, label what it means."""


class CoreError(ErrorCode):
    INVALID = "invalid", "Some fields are not valid."
    FORBIDDEN = "forbidden", "You may not do this."
    NOT_FOUND = "not_found", "Not found, or not visible to the viewer."
    STALE_VERSION = "stale_version", "Someone else changed the record since it was loaded."
    UNAUTHENTICATED = "unauthenticated", "The API call carries no valid session or token."
    CSRF_FAILED = "csrf_failed", "A session-authenticated API call came without its CSRF token."
    RATE_LIMITED = "rate_limited", "Too many requests of this kind in the last hour."
    TOO_LARGE = "too_large", "The request body is over the size limit."
    SERVER_ERROR = "server_error", "Something broke on the server; the log has the details."
    UNAVAILABLE = "unavailable", "The database did not answer (restarting, or busy); try again shortly."
    NOTIFICATION_NOT_YOURS = "forbidden.notification", "Only the recipient marks a notification read."


_labels: dict[str, str] = {}


def discover_codes() -> None:
    """Import every installed app's `codes` module (from `CoreConfig.ready`)."""
    autodiscover_modules("codes")
    _labels.clear()


def _members(base: type) -> list:
    found, pending = [], list(base.__subclasses__())
    while pending:
        cls = pending.pop()
        found.extend(cls)
        pending.extend(cls.__subclasses__())
    return found


def audit_actions() -> list[AuditAction]:
    """Every audit action code of every app, e.g. for the audit page's filter."""
    return sorted(_members(AuditAction), key=lambda member: member.value)


def action_label(code: str) -> str:
    """What a reader sees for a stored code; an unknown code (from an older release) shows as it is."""
    if not _labels:
        _labels.update({member.value: member.label for member in _members(AuditAction)})
    return str(_labels.get(code, code))
