"""Typed errors a user can cause, each with a stable code and a translated message (docs/architecture.md, rule 7).

Views show them beside the field; the API maps them to a 4xx status with the code.
"""

from typing import Any

from django.core import exceptions as django_exceptions
from django.db import InterfaceError, OperationalError
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from fuwu.core.codes import CoreError


class FuwuError(Exception):
    code: str = CoreError.INVALID
    status = 400
    default_message = _("The request could not be completed.")

    def __init__(
        self,
        message: Any = None,
        *,
        code: str | None = None,
        field: str | None = None,
        errors: dict[str, list[str]] | None = None,
        data: dict[str, Any] | None = None,
    ) -> None:
        self.message = message if message is not None else self.default_message
        if code:
            self.code = code
        self.field = field
        self.errors = errors or {}
        self.data = data or {}
        super().__init__(str(self.message))

    def as_dict(self) -> dict[str, Any]:
        body: dict[str, Any] = {"code": self.code, "message": str(self.message)}
        if self.field:
            body["field"] = self.field
        if self.errors:
            body["errors"] = {k: [str(m) for m in v] for k, v in self.errors.items()}
        if self.data:
            body.update(self.data)
        return body


class InvalidInput(FuwuError):
    code = CoreError.INVALID
    status = 400
    default_message = _("Some fields are not valid.")


class PermissionDenied(FuwuError, django_exceptions.PermissionDenied):
    code = CoreError.FORBIDDEN
    status = 403
    default_message = _("You do not have permission to do this.")


class NotFound(FuwuError, Http404):
    code = CoreError.NOT_FOUND
    status = 404
    default_message = _("Not found, or not visible to you.")


class Conflict(FuwuError):
    """Someone else changed the record since it was loaded: a stale `version` (docs/architecture.md, rule 3)."""

    code = CoreError.STALE_VERSION
    status = 409
    default_message = _(
        "Someone else changed this record after you opened it. Review the current version and "
        "apply your change again."
    )


class RateLimited(FuwuError):
    """Too many of one kind of request in a while; the body says the limit."""

    code = CoreError.RATE_LIMITED
    status = 429
    default_message = _("Too many lookups in the last hour. Try again later, or ask a colleague who handles calls.")


# What a database that is restarting, unreachable or locked raises (a lost connection, a refused one,
# SQLite's "database is locked" after its timeout): the request fails cleanly with 503 and
# `CoreError.UNAVAILABLE`, its transaction rolled back, and the next request connects again.
DATABASE_UNAVAILABLE = (OperationalError, InterfaceError)
UNAVAILABLE_RETRY_SECONDS = 5


def unavailable_message() -> str:
    return str(_("The service is briefly unavailable: its database did not answer. What you were saving was "
                 "not saved; please try again in a moment."))
