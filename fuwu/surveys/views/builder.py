"""The survey builder (R9.1): questionnaires and their versions; a draft is built question by
question, a published version is read-only and revised into the next. Views parse, call an action,
render."""

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from fuwu.core.errors import FuwuError, NotFound, PermissionDenied
from fuwu.core.forms import add_action_errors, offer_current_version, run_form_action
from fuwu.org.policy import Perm, can
from fuwu.surveys import actions
from fuwu.surveys.forms import HeadForm, MoveForm, QuestionForm, QuestionnaireForm, SectionForm
from fuwu.surveys.models import QuestionnaireStatus
from fuwu.surveys.selectors import (
    campaigns_visible_to,
    may_read,
    questionnaire_for,
    questionnaire_layout,
    questionnaires_visible_to,
    versions_of,
)
from fuwu.tickets.forms import VersionedForm


def _require_read(request: HttpRequest) -> None:
    if not may_read(request.user):
        raise PermissionDenied()


@login_required
def questionnaire_list(request: HttpRequest) -> HttpResponse:
    """Every questionnaire version and the campaigns that send them."""
    _require_read(request)
    return render(request, "surveys/questionnaire_list.html", {
        "questionnaires": questionnaires_visible_to(request.user)[:300],
        "campaigns": campaigns_visible_to(request.user)[:100],
        "can_manage": can(request.user, Perm.SURVEY_MANAGE), "can_enter": can(request.user, Perm.SURVEY_ENTER),
    })


@login_required
@require_http_methods(["GET", "POST"])
def questionnaire_new(request: HttpRequest) -> HttpResponse:
    if not can(request.user, Perm.SURVEY_MANAGE):
        raise PermissionDenied()
    form = QuestionnaireForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            questionnaire = actions.questionnaire_create(actor=request.user, code=d["code"], title=d["title"],
                                                         intro=d["intro"], topic=d["topic"])
        except FuwuError as exc:
            add_action_errors(exc, ("", form))
        else:
            messages.success(request, _("Questionnaire drafted: add its questions."))
            return redirect("surveys:questionnaire", questionnaire.pk)
    return render(request, "surveys/questionnaire_new.html", {"form": form},
                  status=400 if form.is_bound else 200)


def _context(request: HttpRequest, questionnaire, **overrides: Any) -> dict[str, Any]:
    manage = can(request.user, Perm.SURVEY_MANAGE)
    draft = manage and questionnaire.is_draft
    version = {"version": questionnaire.version}
    context = {
        "q": questionnaire,
        "layout": questionnaire_layout(questionnaire),
        "versions": versions_of(questionnaire),
        "can_manage": manage,
        "editable": draft,
        "version": questionnaire.version,
        "head_form": HeadForm(prefix="head", initial={**version, "title": questionnaire.title,
                                                      "topic": questionnaire.topic, "intro": questionnaire.intro})
        if draft else None,
        "section_form": SectionForm(prefix="section", initial=version) if draft else None,
        "question_form": QuestionForm(prefix="question", initial=version, questionnaire=questionnaire)
        if draft else None,
        "can_revise": manage and not questionnaire.is_draft and not questionnaire.__class__.objects.filter(
            code=questionnaire.code, status=QuestionnaireStatus.DRAFT).exists(),
        "can_retire": manage and questionnaire.status == QuestionnaireStatus.PUBLISHED,
        "conflict": None,
    }
    context.update(overrides)
    return context


@login_required
def questionnaire_detail(request: HttpRequest, questionnaire_id: int) -> HttpResponse:
    questionnaire = questionnaire_for(request.user, questionnaire_id)
    return render(request, "surveys/questionnaire_detail.html", _context(request, questionnaire))


def _post(request: HttpRequest, questionnaire_id: int, form: forms.Form, call: Callable[[dict], Any], *,
          done: str, form_key: str) -> HttpResponse:
    """Run `call` with the form's data; back to the builder on success, else the errors beside the
    fields with the input kept (409 for a stale version, 400 for bad input)."""
    if not can(request.user, Perm.SURVEY_MANAGE):
        raise PermissionDenied()
    questionnaire = questionnaire_for(request.user, questionnaire_id)
    outcome = run_form_action(form, call)
    if outcome.done:
        messages.success(request, done)
        target = (getattr(outcome.result, "questionnaire_id", None) or getattr(outcome.result, "pk", None)
                  or questionnaire.pk)
        return redirect("surveys:questionnaire", target)
    fresh = questionnaire_for(request.user, questionnaire.pk)
    conflict = outcome.conflict
    if conflict:
        offer_current_version(form, fresh.version)
    overrides = {form_key: form, "conflict": conflict} if form_key else {"conflict": conflict,
                                                                          "action_errors": form.non_field_errors()}
    return render(request, "surveys/questionnaire_detail.html", _context(request, fresh, **overrides),
                  status=409 if conflict else 400)


@login_required
@require_POST
def questionnaire_head(request: HttpRequest, questionnaire_id: int) -> HttpResponse:
    q = questionnaire_for(request.user, questionnaire_id)
    return _post(request, questionnaire_id, HeadForm(request.POST, prefix="head"), lambda d: actions.questionnaire_edit(
        actor=request.user, questionnaire=q, expected_version=d["version"], title=d["title"], intro=d["intro"],
        topic=d["topic"]), done=_("Saved."), form_key="head_form")


@login_required
@require_POST
def section_add(request: HttpRequest, questionnaire_id: int) -> HttpResponse:
    q = questionnaire_for(request.user, questionnaire_id)
    return _post(request, questionnaire_id, SectionForm(request.POST, prefix="section"), lambda d: actions.section_add(
        actor=request.user, questionnaire=q, expected_version=d["version"], title=d["title"]),
        done=_("Section added."), form_key="section_form")


@login_required
@require_POST
def question_add(request: HttpRequest, questionnaire_id: int) -> HttpResponse:
    q = questionnaire_for(request.user, questionnaire_id)
    form = QuestionForm(request.POST, prefix="question", questionnaire=q)
    return _post(request, questionnaire_id, form, lambda d: actions.question_add(
        actor=request.user, questionnaire=q, expected_version=d["version"], section=d["section"], kind=d["kind"],
        text=d["text"], help_text=d["help_text"], required=d["required"], options=form.option_list(),
        counts_for_satisfaction=d["counts_for_satisfaction"]), done=_("Question added."), form_key="question_form")


def _question(q, question_id: int):
    question = q.questions.filter(pk=question_id).first()
    if question is None:
        raise NotFound()
    return question


@login_required
@require_POST
def question_move(request: HttpRequest, questionnaire_id: int, question_id: int) -> HttpResponse:
    q = questionnaire_for(request.user, questionnaire_id)
    question = _question(q, question_id)
    return _post(request, questionnaire_id, MoveForm(request.POST), lambda d: actions.question_move(
        actor=request.user, question=question, expected_version=d["version"], direction=d["direction"]),
        done=_("Moved."), form_key="")


@login_required
@require_POST
def question_remove(request: HttpRequest, questionnaire_id: int, question_id: int) -> HttpResponse:
    q = questionnaire_for(request.user, questionnaire_id)
    question = _question(q, question_id)
    return _post(request, questionnaire_id, VersionedForm(request.POST), lambda d: actions.question_remove(
        actor=request.user, question=question, expected_version=d["version"]), done=_("Question removed."),
        form_key="")


@login_required
@require_POST
def publish(request: HttpRequest, questionnaire_id: int) -> HttpResponse:
    q = questionnaire_for(request.user, questionnaire_id)
    return _post(request, questionnaire_id, VersionedForm(request.POST), lambda d: actions.questionnaire_publish(
        actor=request.user, questionnaire=q, expected_version=d["version"]),
        done=_("Published: invitations use this version from now on."), form_key="")


@login_required
@require_POST
def revise(request: HttpRequest, questionnaire_id: int) -> HttpResponse:
    q = questionnaire_for(request.user, questionnaire_id)
    return _post(request, questionnaire_id, forms.Form(request.POST), lambda d: actions.questionnaire_revise(
        actor=request.user, questionnaire=q), done=_("A new version is drafted; the published one stays as it is."),
        form_key="")


@login_required
@require_POST
def retire(request: HttpRequest, questionnaire_id: int) -> HttpResponse:
    q = questionnaire_for(request.user, questionnaire_id)
    return _post(request, questionnaire_id, VersionedForm(request.POST), lambda d: actions.questionnaire_retire(
        actor=request.user, questionnaire=q, expected_version=d["version"]), done=_("Retired."), form_key="")
