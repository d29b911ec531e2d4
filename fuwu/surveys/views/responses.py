"""Invitations waiting for an answer (agents enter phone and paper answers) and the responses
received (R9.1)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from fuwu.core.errors import Conflict, FuwuError, PermissionDenied
from fuwu.core.forms import add_action_errors
from fuwu.core.validation import parse_id
from fuwu.customers.selectors import PiiPolicy
from fuwu.org.policy import Perm, can
from fuwu.surveys.actions import response_submit
from fuwu.surveys.forms import EnterForm, answer_form, answers_from
from fuwu.surveys.models import Channel
from fuwu.surveys.selectors import (
    invitation_to_enter,
    invitations_to_enter,
    questionnaire_layout,
    response_answers,
    response_for,
    responses_visible_to,
)

PAGE_SIZE = 50  # invitations or responses per page


@login_required
def invitations(request: HttpRequest) -> HttpResponse:
    """Open invitations, newest first; those without an e-mail address are the agents' to call."""
    if not can(request.user, Perm.SURVEY_ENTER):
        raise PermissionDenied()
    channel = request.GET.get("channel", "")
    channel = channel if channel in (Channel.EMAIL, Channel.PORTAL, Channel.PHONE, Channel.PAPER) else ""
    query = request.GET.copy()
    query.pop("page", None)
    page = Paginator(invitations_to_enter(request.user, channel=channel), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "surveys/invitations.html", {
        "page": page, "query": query.urlencode(), "channel": channel,
        "channels": [(c, label) for c, label in Channel.choices if c != Channel.ONLINE], "now": timezone.now(),
        "pii": PiiPolicy.for_user(request.user),
    })


@login_required
@require_http_methods(["GET", "POST"])
def enter(request: HttpRequest, invitation_id: int) -> HttpResponse:
    """An agent enters the answers the customer gave on the phone or on paper."""
    invitation = invitation_to_enter(request.user, invitation_id)
    layout = questionnaire_layout(invitation.questionnaire)
    questions = [q for _section, qs in layout for q in qs]
    data = request.POST if request.method == "POST" else None
    form, how = answer_form(questions, data), EnterForm(data, prefix="enter")
    conflict = None
    if invitation.answered_at is not None and request.method == "GET":
        conflict = _("This survey has already been answered.")
    elif request.method == "POST" and form.is_valid() and how.is_valid():
        try:
            response_submit(actor=request.user, invitation=invitation, answers=answers_from(form, questions),
                            channel=how.cleaned_data["channel"])
        except Conflict as exc:
            conflict = exc.message
        except FuwuError as exc:
            add_action_errors(exc, ("", form))
        else:
            messages.success(request, _("Answers recorded."))
            return redirect("surveys:invitations")
    sections = [(section, [(form[f"q{q.pk}"], q) for q in qs]) for section, qs in layout]
    status = 409 if conflict and request.method == "POST" else 400 if form.is_bound else 200
    return render(request, "surveys/enter.html", {"invitation": invitation, "q": invitation.questionnaire,
                                                  "form": form, "how": how, "sections": sections,
                                                  "conflict": conflict, "pii": PiiPolicy.for_user(request.user)},
                  status=status)


@login_required
def responses(request: HttpRequest) -> HttpResponse:
    if not can(request.user, Perm.SURVEY_VIEW):
        raise PermissionDenied()
    rows = responses_visible_to(request.user)
    questionnaire_id = parse_id(request.GET.get("questionnaire"))
    if questionnaire_id:
        rows = rows.filter(questionnaire_id=questionnaire_id)
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "surveys/responses.html", {
        "page": Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page")), "query": query.urlencode(),
        "questionnaire_id": questionnaire_id, "can_enter": can(request.user, Perm.SURVEY_ENTER)})


@login_required
def response_detail(request: HttpRequest, response_id: int) -> HttpResponse:
    response = response_for(request.user, response_id)
    return render(request, "surveys/response_detail.html", {"r": response, "answers": response_answers(response)})
