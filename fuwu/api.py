"""The REST API under /api/v1/ (django-ninja; OpenAPI docs at /api/v1/docs)."""

from django.utils.translation import gettext_lazy as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError
from ninja.security import django_auth

from fuwu.core.errors import FuwuError
from fuwu.customers.api import router as customers_router
from fuwu.org.api import BearerToken
from fuwu.org.api import router as org_router

api = NinjaAPI(
    title="Fuwu API",
    version="1",
    description="Fuwu service management. Authenticate with a session or an `Authorization: Bearer <token>` header.",
    auth=[BearerToken(), django_auth],
    urls_namespace="api",
)


@api.exception_handler(FuwuError)
def fuwu_error(request, exc: FuwuError):
    return api.create_response(request, exc.as_dict(), status=exc.status)


@api.exception_handler(AuthenticationError)
def unauthenticated(request, exc):
    return api.create_response(
        request, {"code": "unauthenticated", "message": str(_("Log in or send a valid API token."))}, status=401
    )


api.add_router("/customers", customers_router)
api.add_router("/org", org_router)
