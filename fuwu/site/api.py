"""The REST API under /api/v1/ (django-ninja; OpenAPI docs at /api/v1/docs)."""

import logging

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.utils.translation import gettext_lazy as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from fuwu.complaints.api import router as complaints_router
from fuwu.core.codes import CoreError
from fuwu.core.errors import DATABASE_UNAVAILABLE, UNAVAILABLE_RETRY_SECONDS, FuwuError, unavailable_message
from fuwu.customers.api import router as customers_router
from fuwu.faults.api import router as faults_router
from fuwu.fieldservice.api import router as fieldservice_router
from fuwu.followups.api import router as followups_router
from fuwu.improvements.api import router as improvements_router
from fuwu.inspections.api import router as inspections_router
from fuwu.materials.api import router as materials_router
from fuwu.org.api import BearerToken, SessionCookie
from fuwu.org.api import router as org_router
from fuwu.portal.api import router as portal_router
from fuwu.quality.api import router as quality_router
from fuwu.reports.api import router as reports_router
from fuwu.standards.api import router as standards_router
from fuwu.surveys.api import router as surveys_router
from fuwu.tickets.api import router as tickets_router

logger = logging.getLogger("django.request")

api = NinjaAPI(
    title="Fuwu API",
    version="1",
    description="Fuwu service management. Authenticate with a session or an `Authorization: Bearer <token>` header.",
    auth=[BearerToken(), SessionCookie()],
    urls_namespace="api",
    docs_decorator=login_required,  # the schema maps every endpoint: for staff and integrators only
)


@api.exception_handler(FuwuError)
def fuwu_error(request, exc: FuwuError):
    return api.create_response(request, exc.as_dict(), status=exc.status)


@api.exception_handler(AuthenticationError)
def unauthenticated(request, exc):
    return api.create_response(
        request, {"code": CoreError.UNAUTHENTICATED, "message": str(_("Log in or send a valid API token."))}, status=401
    )


@api.exception_handler(ValidationError)
def invalid_shape(request, exc: ValidationError):
    """Schema errors get the same shape as the actions' InvalidInput: code, message, errors by field."""
    errors: dict[str, list[str]] = {}
    for error in exc.errors:
        location = list(error.get("loc", []))
        # ("body", "payload", "field") for bodies, ("query", "field") for query parameters.
        field = ".".join(str(part) for part in location[2 if location[:1] == ["body"] else 1:]) or "body"
        errors.setdefault(field, []).append(error.get("msg", ""))
    body = {"code": CoreError.INVALID, "message": str(_("Some fields are not valid.")), "errors": errors}
    return api.create_response(request, body, status=400)


@api.exception_handler(HttpError)
def http_error(request, exc: HttpError):
    code = CoreError.CSRF_FAILED if exc.status_code == 403 and "CSRF" in str(exc) else f"http_{exc.status_code}"
    return api.create_response(request, {"code": code, "message": str(exc)}, status=exc.status_code)


@api.exception_handler(SuspiciousOperation)
def refused_request(request, exc: SuspiciousOperation):
    """A body over DATA_UPLOAD_MAX_MEMORY_SIZE and the like: a 4xx with the typed body, not a crash."""
    if isinstance(exc, RequestDataTooBig):
        body = {"code": CoreError.TOO_LARGE, "message": str(_("The request is too large."))}
        return api.create_response(request, body, status=413)
    body = {"code": CoreError.INVALID, "message": str(_("The request could not be completed."))}
    return api.create_response(request, body, status=400)


@api.exception_handler(DjangoPermissionDenied)
def forbidden(request, exc):
    body = {"code": CoreError.FORBIDDEN, "message": str(_("You do not have permission to do this."))}
    return api.create_response(request, body, status=403)


@api.exception_handler(Exception)
def server_error(request, exc: Exception):
    """An API client gets JSON even when something breaks on our side, whatever DEBUG says; the log gets the trace."""
    if isinstance(exc, DATABASE_UNAVAILABLE):
        return database_unavailable(request, exc)
    logger.error("Internal Server Error: %s", request.path, exc_info=exc, extra={"status_code": 500})
    body = {"code": CoreError.SERVER_ERROR, "message": str(_("Something went wrong on our side. Please try again."))}
    return api.create_response(request, body, status=500)


def database_unavailable(request, exc: Exception):
    """503 and a typed body while the database restarts or is locked; the client may retry (Retry-After)."""
    logger.warning("Database unavailable: %s: %s", request.path, exc)
    response = api.create_response(request, {"code": CoreError.UNAVAILABLE, "message": unavailable_message()},
                                   status=503)
    response["Retry-After"] = str(UNAVAILABLE_RETRY_SECONDS)
    return response


api.add_router("/customers", customers_router)
api.add_router("/org", org_router)
api.add_router("/tickets", tickets_router)
api.add_router("/work-orders", fieldservice_router)
api.add_router("/materials", materials_router)
api.add_router("/portal", portal_router)
api.add_router("/surveys", surveys_router)
api.add_router("/follow-ups", followups_router)
api.add_router("/complaints", complaints_router)
api.add_router("/improvements", improvements_router)
api.add_router("/faults", faults_router)
api.add_router("/inspections", inspections_router)
api.add_router("/quality", quality_router)
api.add_router("/reports", reports_router)
api.add_router("/", standards_router)
