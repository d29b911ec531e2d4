"""Improvement pages (R17): the list of actions with filters, an action's page with its timeline and
a form per step, the new and edit forms; suggestions, their form and their review. Views parse, call
an action, render."""

import datetime
from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from fuwu.core.errors import Conflict, FuwuError
from fuwu.core.forms import add_action_errors
from fuwu.core.validation import parse_id
from fuwu.improvements import actions, rules, sources
from fuwu.improvements.forms import (
    AcceptForm,
    ActionForm,
    CancelForm,
    CompleteForm,
    DeclineForm,
    EditForm,
    MoveForm,
    NoteForm,
    SuggestionForm,
    VerifyForm,
    staff_choices,
)
from fuwu.improvements.models import ActionKind, ActionStatus, ImprovementAction, ProgressEntry, SuggestionStatus
from fuwu.improvements.selectors import (
    ImprovementFilters,
    improvement_action_for,
    improvement_action_list,
    improvement_source,
    improvement_steps,
    improvement_timeline,
    suggestion_for,
    suggestion_list,
)
from fuwu.org.policy import Perm, can, is_staff_member, permission_denied, require

# Each step of an action's page: its form, the action it calls, what it says when done.
_STEPS: dict[str, tuple[type[forms.Form], Callable[..., Any], Any]] = {
    "approve": (MoveForm, lambda u, a, d: actions.improvement_action_approve(
        actor=u, action=a, expected_version=d["version"], note=d["note"]), gettext_lazy("Action approved.")),
    "start": (MoveForm, lambda u, a, d: actions.improvement_action_start(
        actor=u, action=a, expected_version=d["version"], note=d["note"]), gettext_lazy("Work started.")),
    "complete": (CompleteForm, lambda u, a, d: actions.improvement_action_complete(
        actor=u, action=a, expected_version=d["version"], note=d["note"]),
        gettext_lazy("Marked done; a quality supervisor verifies the effect next.")),
    "verify": (VerifyForm, lambda u, a, d: actions.improvement_action_verify(
        actor=u, action=a, expected_version=d["version"], effective=d["effective"], note=d["note"]),
        gettext_lazy("Verification recorded.")),
    "cancel": (CancelForm, lambda u, a, d: actions.improvement_action_cancel(
        actor=u, action=a, expected_version=d["version"], reason=d["reason"]), gettext_lazy("Action cancelled.")),
    "note": (NoteForm, lambda u, a, d: actions.improvement_action_add_note(actor=u, action=a, text=d["text"]),
             gettext_lazy("Note added.")),
}
_ENTRY_TONE = {"approved": "brand", "started": "brand", "done": "success", "verified": "success",
               "not_effective": "danger", "cancelled": "neutral", "overdue": "warning", "note": "neutral",
               "proposed": "brand"}
STATUS_TONE = {ActionStatus.PROPOSED: "info", ActionStatus.APPROVED: "brand", ActionStatus.IN_PROGRESS: "brand",
               ActionStatus.DONE: "warning", ActionStatus.VERIFIED: "success", ActionStatus.CANCELLED: "neutral"}


def _require_staff(user) -> None:
    if not is_staff_member(user):
        raise permission_denied(Perm.STAFF_VIEW)


def _page(request: HttpRequest, template: str, context: dict[str, Any], tab: str, status: int = 200) -> HttpResponse:
    context.update(tab=tab, can_manage=rules.may_manage(request.user),
                   can_view_all=can(request.user, Perm.IMPROVEMENT_VIEW))
    return render(request, template, context, status=status)


def _filters(request: HttpRequest) -> ImprovementFilters:
    get = request.GET
    return ImprovementFilters(status=get.get("status", ""), kind=get.get("kind", ""),
                              source_kind=get.get("source", ""), owner_id=parse_id(get.get("owner")),
                              overdue=get.get("overdue") == "1", mine=get.get("mine") == "1")


@login_required
def action_index(request: HttpRequest) -> HttpResponse:
    """Improvement actions, filtered (R17.1): all for those who oversee improvement, else one's own."""
    _require_staff(request.user)
    filters = _filters(request)
    page = Paginator(improvement_action_list(request.user, filters), 50).get_page(request.GET.get("page"))

    owners = staff_choices() if can(request.user, Perm.IMPROVEMENT_VIEW) else []
    today = timezone.localdate()
    return _page(request, "improvements/list.html", {
        "page": page, "filters": filters, "statuses": ActionStatus.choices, "kinds": ActionKind.choices,
        "source_kinds": ImprovementAction.SourceKind.choices, "owners": owners, "today": today,
        "rows": [(a, a.is_overdue(today), STATUS_TONE.get(a.status, "neutral")) for a in page],
        "query": "&".join(f"{k}={v}" for k, v in request.GET.items() if k != "page"),
        "filtered": any(v for k, v in request.GET.items() if k != "page"),
    }, "actions")


def _source_preview(kind: str, source_id) -> dict | None:
    if kind in (None, "", ImprovementAction.SourceKind.MANUAL) or kind not in ImprovementAction.SourceKind.values:
        return None
    return {"kind": ImprovementAction.SourceKind(kind).label, "label": sources.source_label(kind, source_id),
            "url": sources.source_url(kind, source_id)}


@login_required
def action_new(request: HttpRequest) -> HttpResponse:
    """Propose an improvement action, from a source page (?source=complaint&source_id=…&title=…) or directly."""
    require(request.user, Perm.IMPROVEMENT_MANAGE)
    status = 200
    if request.method == "POST":
        form = ActionForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                action = actions.improvement_action_open(actor=request.user, **data)
            except FuwuError as exc:
                add_action_errors(exc, ("", form))
                status = 400
            else:
                messages.success(request, _("Improvement action proposed; the service manager approves it next."))
                return redirect("improvements:detail", action.pk)
        else:
            status = 400
    else:
        kind = request.GET.get("source", ImprovementAction.SourceKind.MANUAL)
        form = ActionForm(initial={
            "source_kind": kind if kind in ImprovementAction.SourceKind.values else ImprovementAction.SourceKind.MANUAL,
            "source_id": parse_id(request.GET.get("source_id")), "title": request.GET.get("title", "")[:200],
            "kind": ActionKind.CORRECTIVE})
    source = _source_preview(form["source_kind"].value(), parse_id(str(form["source_id"].value() or "")))
    return _page(request, "improvements/form.html", {"form": form, "source": source, "action": None}, "actions",
                 status=status)


def _detail_context(request: HttpRequest, action: ImprovementAction, **overrides: Any) -> dict[str, Any]:
    version = {"version": action.version}
    steps = improvement_steps(request.user, action)
    forms_ = {
        "approve": MoveForm(prefix="approve", initial=version),
        "start": MoveForm(prefix="start", initial=version),
        "complete": CompleteForm(prefix="complete", initial=version),
        "verify": VerifyForm(prefix="verify", initial=version),
        "cancel": CancelForm(prefix="cancel", initial=version),
        "note": NoteForm(prefix="note"),
    }
    forms_.update(overrides.pop("forms", {}))
    entries = improvement_timeline(action)
    timeline = [{"title": e.get_kind_display(), "when": e.written_at,
                 "who": (e.author.get_full_name() or e.author.username) if e.author else _("System"),
                 "text": e.text, "tone": _ENTRY_TONE.get(e.kind, "neutral")} for e in entries]
    suggestion = getattr(action, "suggestion", None) if action.source_kind == "suggestion" else None
    return {"action": action, "steps": steps, "forms": forms_, "timeline": timeline,
            "source": improvement_source(action), "overdue": action.is_overdue(), "suggestion": suggestion,
            "status_tone": STATUS_TONE.get(action.status, "neutral"), "failed": "", "conflict": None,
            "note_count": sum(1 for e in entries if e.kind == ProgressEntry.Kind.NOTE), **overrides}


@login_required
def action_detail(request: HttpRequest, action_id: int) -> HttpResponse:
    _require_staff(request.user)
    action = improvement_action_for(request.user, action_id)
    return _page(request, "improvements/detail.html", _detail_context(request, action), "actions")


@login_required
@require_POST
def action_step(request: HttpRequest, action_id: int, name: str) -> HttpResponse:
    """One step of the action: errors beside the fields, the input kept; a stale version is a 409."""
    if name not in _STEPS:
        raise Http404
    _require_staff(request.user)
    action = improvement_action_for(request.user, action_id)
    form_class, call, done = _STEPS[name]
    form = form_class(request.POST, prefix=name)
    conflict = None
    if form.is_valid():
        try:
            call(request.user, action, form.cleaned_data)
        except Conflict as exc:
            conflict = exc.message
        except FuwuError as exc:
            add_action_errors(exc, ("", form))
        else:
            messages.success(request, str(done))
            return redirect("improvements:detail", action.pk)
    fresh = improvement_action_for(request.user, action_id)
    if conflict and "version" in form.fields:
        form.data = form.data.copy()
        form.data[form.add_prefix("version")] = fresh.version
    context = _detail_context(request, fresh, forms={name: form}, failed=name, conflict=conflict)
    return _page(request, "improvements/detail.html", context, "actions", status=409 if conflict else 400)


@login_required
def action_edit(request: HttpRequest, action_id: int) -> HttpResponse:
    require(request.user, Perm.IMPROVEMENT_MANAGE)
    action = improvement_action_for(request.user, action_id)
    status = 200
    if request.method == "POST":
        form = EditForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                actions.improvement_action_update(actor=request.user, action=action,
                                                  expected_version=data.pop("version"), **data)
            except FuwuError as exc:
                add_action_errors(exc, ("", form))
                status = 409 if isinstance(exc, Conflict) else 400
            else:
                messages.success(request, _("Action saved."))
                return redirect("improvements:detail", action.pk)
        else:
            status = 400
    else:
        form = EditForm(initial={"version": action.version, "kind": action.kind, "title": action.title,
                                 "goal": action.goal, "measures": action.measures, "owner": action.owner_id,
                                 "due_on": action.due_on})
    return _page(request, "improvements/form.html", {"form": form, "source": improvement_source(action),
                                                     "action": action}, "actions", status=status)


# Suggestions (R17.2)

@login_required
def suggestion_index(request: HttpRequest) -> HttpResponse:
    """Suggestions: the reviewers see all (awaiting review first by filter), everyone else their own."""
    require(request.user, Perm.SUGGESTION_SUBMIT)
    status = request.GET.get("status", "")
    page = Paginator(suggestion_list(request.user, status=status), 50).get_page(request.GET.get("page"))
    return _page(request, "improvements/suggestions.html", {
        "page": page, "status": status, "statuses": SuggestionStatus.choices,
        "can_review": can(request.user, Perm.SUGGESTION_REVIEW),
        "query": f"status={status}" if status in SuggestionStatus.values else "",
    }, "suggestions")


@login_required
def suggestion_new(request: HttpRequest) -> HttpResponse:
    require(request.user, Perm.SUGGESTION_SUBMIT)
    form = SuggestionForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                suggestion = actions.suggestion_submit(actor=request.user, **form.cleaned_data)
            except FuwuError as exc:
                add_action_errors(exc, ("", form))
                status = 400
            else:
                messages.success(request, _("Thank you: your suggestion is submitted for review."))
                return redirect("improvements:suggestion", suggestion.pk)
        else:
            status = 400
    return _page(request, "improvements/suggestion_form.html", {"form": form}, "suggestions", status=status)


def _suggestion_context(request: HttpRequest, suggestion, **overrides: Any) -> dict[str, Any]:
    review = rules.may_review(request.user, suggestion) and suggestion.status == SuggestionStatus.SUBMITTED
    forms_ = {}
    if review:
        forms_ = {"accept": AcceptForm(prefix="accept", initial={
                      "version": suggestion.version, "title": suggestion.title, "kind": ActionKind.PREVENTIVE,
                      "goal": "", "measures": suggestion.description, "owner": suggestion.submitted_by_id,
                      "due_on": timezone.localdate() + datetime.timedelta(days=30)}),
                  "decline": DeclineForm(prefix="decline", initial={"version": suggestion.version})}
    forms_.update(overrides.pop("forms", {}))
    return {"suggestion": suggestion, "review": review, "forms": forms_, "failed": "", **overrides}


@login_required
def suggestion_detail(request: HttpRequest, suggestion_id: int) -> HttpResponse:
    require(request.user, Perm.SUGGESTION_SUBMIT)
    suggestion = suggestion_for(request.user, suggestion_id)
    return _page(request, "improvements/suggestion.html", _suggestion_context(request, suggestion), "suggestions")


@login_required
@require_POST
def suggestion_review(request: HttpRequest, suggestion_id: int, name: str) -> HttpResponse:
    """Accept a suggestion into an improvement action, or decline it with the reason."""
    if name not in ("accept", "decline"):
        raise Http404
    require(request.user, Perm.SUGGESTION_REVIEW)
    suggestion = suggestion_for(request.user, suggestion_id)
    form = (AcceptForm if name == "accept" else DeclineForm)(request.POST, prefix=name)
    status = 400
    if form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version")
        try:
            if name == "accept":
                action = actions.suggestion_accept(actor=request.user, suggestion=suggestion,
                                                   expected_version=version, **data)
            else:
                actions.suggestion_decline(actor=request.user, suggestion=suggestion, expected_version=version,
                                           reason=data["reason"])
        except FuwuError as exc:
            add_action_errors(exc, ("", form))
            status = 409 if isinstance(exc, Conflict) else 400
        else:
            if name == "accept":
                messages.success(request, _("Suggestion accepted: improvement action proposed."))
                return redirect("improvements:detail", action.pk)
            messages.success(request, _("Suggestion declined; the submitter is told why."))
            return redirect("improvements:suggestion", suggestion.pk)
    fresh = suggestion_for(request.user, suggestion_id)
    return _page(request, "improvements/suggestion.html",
                 _suggestion_context(request, fresh, forms={name: form}, failed=name), "suggestions", status=status)
