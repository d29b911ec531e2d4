"""The public survey page /s/<token>/ (R9.1): no login, built for a phone, in the respondent's
language (the language switch's cookie, else the browser's Accept-Language: a customer is not
staff, whose pages ignore it). One response per link; a wrong link answers the same 404 page
whatever it was, an expired one says so."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.cache import patch_vary_headers
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from fuwu.core.errors import Conflict, InvalidInput
from fuwu.core.forms import add_action_errors
from fuwu.surveys.actions import response_submit
from fuwu.surveys.codes import SurveyError
from fuwu.surveys.forms import answer_form, answers_from
from fuwu.surveys.models import Channel
from fuwu.surveys.selectors import invitation_by_token, questionnaire_layout


def _respondent_language(request: HttpRequest) -> None:
    if settings.LANGUAGE_COOKIE_NAME not in request.COOKIES:
        translation.activate(translation.get_language_from_request(request))
        request.LANGUAGE_CODE = translation.get_language()


def _page(request: HttpRequest, template: str, context: dict, status: int = 200) -> HttpResponse:
    response = render(request, template, context, status=status)
    patch_vary_headers(response, ("Accept-Language", "Cookie"))
    return response


@never_cache
@require_http_methods(["GET", "POST"])
def public_answer(request: HttpRequest, token: str) -> HttpResponse:
    _respondent_language(request)
    invitation = invitation_by_token(token)
    if invitation is None:
        return _page(request, "surveys/public_message.html", {"kind": "not_found"}, status=404)
    if invitation.answered_at is not None:
        thanks = request.method == "GET" and request.GET.get("thanks") == "1"
        return _page(request, "surveys/public_message.html", {"kind": "thanks" if thanks else "answered"},
                     status=409 if request.method == "POST" else 200)
    if invitation.expires_at <= timezone.now():
        return _page(request, "surveys/public_message.html", {"kind": "expired"}, status=410)
    questionnaire = invitation.questionnaire
    layout = questionnaire_layout(questionnaire)
    questions = [q for _section, qs in layout for q in qs]
    form = answer_form(questions, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            response_submit(actor=None, invitation=invitation, answers=answers_from(form, questions),
                            channel=Channel.ONLINE)
        except Conflict:
            return _page(request, "surveys/public_message.html", {"kind": "answered"}, status=409)
        except InvalidInput as exc:
            if exc.code == SurveyError.EXPIRED:
                return _page(request, "surveys/public_message.html", {"kind": "expired"}, status=410)
            add_action_errors(exc, ("", form))
        else:
            return redirect(f"{request.path}?thanks=1")
    sections = [(section, [form[f"q{q.pk}"] for q in qs], qs) for section, qs in layout]
    return _page(request, "surveys/public_answer.html", {
        "q": questionnaire, "invitation": invitation, "form": form,
        "sections": [(section, list(zip(fields, qs, strict=True))) for section, fields, qs in sections],
    }, status=400 if form.is_bound else 200)
