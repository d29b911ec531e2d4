import re
import uuid

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpResponseBadRequest, QueryDict
from django.utils import translation
from django.utils.translation import gettext as _

from fuwu.core.request_context import current_request_id

_SAFE_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


class RequestIdMiddleware:
    """Gives each request an id (or keeps a sane incoming X-Request-ID) for the audit record."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get("X-Request-ID", "")
        request_id = incoming if _SAFE_ID.match(incoming) else uuid.uuid4().hex
        request.request_id = request_id
        token = current_request_id.set(request_id)
        try:
            response = self.get_response(request)
        finally:
            current_request_id.reset(token)
        response["X-Request-ID"] = request_id
        return response


class LanguageMiddleware:
    """Chinese unless the person chose otherwise (the language cookie set by the switcher).

    Pages ignore the browser's Accept-Language, so a company's staff see the UI in its default
    language on any machine; API clients may ask for a language with Accept-Language.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        if not language and request.path.startswith("/api/"):
            language = translation.get_language_from_request(request)
        try:
            language = translation.get_supported_language_variant(language)
        except LookupError:
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", request.LANGUAGE_CODE)
        return response


class PrivateResponseMiddleware:
    """Nothing a logged-in person or an API client was shown is kept in a shared or browser cache.

    Pages and API answers hold personal data (names, phone numbers, requests): `no-store` keeps
    them out of proxies and the browser's disk cache. Static files are served before this runs.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        private = request.path.startswith("/api/") or (user is not None and user.is_authenticated)
        if private and "Cache-Control" not in response:
            response["Cache-Control"] = "no-store, private"
        return response


class RefuseNulMiddleware:
    """A NUL character in a query or form value is refused with 400 before any view sees it.

    No field may hold one (PostgreSQL cannot store it in text, and no browser sends it from a form);
    found by the page-form fuzz test (tests/site/test_form_fuzz.py) in a catalogue search.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if _holds_nul(request.GET) or (request.method == "POST" and _holds_nul(_form_values(request))):
            return HttpResponseBadRequest(_("The request holds a NUL character, which no field may contain."),
                                          content_type="text/plain; charset=utf-8")
        return self.get_response(request)


def _form_values(request) -> QueryDict:
    try:
        return request.POST
    except RequestDataTooBig:  # the view answers it (413 from the API, 400 on pages)
        return QueryDict()


def _holds_nul(values: QueryDict) -> bool:
    return any("\x00" in key or any("\x00" in value for value in found) for key, found in values.lists())
