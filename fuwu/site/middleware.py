"""The API speaks JSON even where Django or ninja answer on their own (R4.9 aside: clients parse errors)."""

import json

from django.conf import settings
from django.http import HttpResponse

API_PREFIX = "/api/"


class ApiJsonErrorsMiddleware:
    """Turn any non-JSON error under /api/ (405 from a wrong method, Django's 404 page, ...) into the typed body."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (request.path.startswith(API_PREFIX) and response.status_code >= 400
                and not response.get("Content-Type", "").startswith("application/json")):
            body = {"code": f"http_{response.status_code}", "message": response.reason_phrase}
            replaced = HttpResponse(json.dumps(body), status=response.status_code, content_type="application/json")
            if response.has_header("Allow"):
                replaced["Allow"] = response["Allow"]
            return replaced
        return response


# Django's own debug pages say this in their head; ours never do.
_TECHNICAL_PAGE_MARK = b"NONE,NOARCHIVE"


class FriendlyErrorPagesMiddleware:
    """With DEBUG on (`make run` on a laptop), still show our 404 and 500 pages, not Django's debug pages.

    Django answers a missing page or a crash with its technical page whenever DEBUG is on; people
    trying the demo should meet the same pages as on a served site. The crash is logged as always
    (the console shows the traceback); FUWU_TECHNICAL_ERROR_PAGES=true brings the debug pages back.
    403 needs nothing: Django uses our handler for it whatever DEBUG says.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (response.status_code in (404, 500) and settings.DEBUG and not settings.FUWU_TECHNICAL_ERROR_PAGES
                and not request.path.startswith(API_PREFIX) and not response.streaming
                and _TECHNICAL_PAGE_MARK in response.content[:2000]):
            from fuwu.site.views import error_404, error_500

            return error_404(request) if response.status_code == 404 else error_500(request)
        return response
