"""The API speaks JSON even where Django or ninja answer on their own (R4.9 aside: clients parse errors)."""

import json

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
