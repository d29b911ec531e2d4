"""Checklists and their versions (R9.4): a draft is built item by item; a published version is
read-only and revised into the next. Views parse, call an action, render."""

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from fuwu.core.errors import FuwuError, NotFound
from fuwu.core.forms import add_action_errors, offer_current_version, run_form_action
from fuwu.inspections import actions
from fuwu.inspections.forms import ChecklistForm, HeadForm, ItemForm, RemoveItemForm
from fuwu.inspections.models import ChecklistItem, ChecklistStatus
from fuwu.inspections.selectors import checklist_for, checklists_visible_to, versions_of
from fuwu.inspections.views._common import flags, require_manage, require_view
from fuwu.tickets.forms import VersionedForm


@login_required
@require_http_methods(["GET", "POST"])
def checklist_list(request: HttpRequest) -> HttpResponse:
    require_view(request)
    form = None
    if request.method == "POST":
        require_manage(request)
        form = ChecklistForm(request.POST)
        if form.is_valid():
            d = form.cleaned_data
            try:
                checklist = actions.checklist_create(actor=request.user, code=d["code"], title=d["title"],
                                                     kind=d["kind"], touchpoint=d["touchpoint"],
                                                     pass_mark=d["pass_mark"], intro=d["intro"])
            except FuwuError as exc:
                add_action_errors(exc, ("", form))
            else:
                messages.success(request, _("Checklist drafted: add its items."))
                return redirect("inspections:checklist", checklist.pk)
    elif flags(request)["can_manage"]:
        form = ChecklistForm()
    return render(request, "inspections/checklist_list.html", {
        "checklists": checklists_visible_to(request.user).order_by("code", "-edition")[:300], "form": form,
        "tab": "checklists", **flags(request)}, status=400 if form is not None and form.is_bound else 200)


def _context(request: HttpRequest, checklist, **overrides: Any) -> dict[str, Any]:
    manage = flags(request)["can_manage"]
    editable = manage and checklist.is_draft
    version = {"version": checklist.version}
    context = {
        "c": checklist, "items": list(checklist.items.order_by("position", "id")), "versions": versions_of(checklist),
        "editable": editable, "version": checklist.version, "conflict": None, "tab": "checklists",
        "head_form": HeadForm(prefix="head", initial={**version, "title": checklist.title, "kind": checklist.kind,
                                                      "touchpoint": checklist.touchpoint,
                                                      "pass_mark": checklist.pass_mark, "intro": checklist.intro})
        if editable else None,
        "item_form": ItemForm(prefix="item", initial=version) if editable else None,
        "can_revise": manage and not checklist.is_draft and not checklist.__class__.objects.filter(
            code=checklist.code, status=ChecklistStatus.DRAFT).exists(),
        "can_retire": manage and checklist.status == ChecklistStatus.PUBLISHED,
        **flags(request),
    }
    context.update(overrides)
    return context


@login_required
def checklist_detail(request: HttpRequest, checklist_id: int) -> HttpResponse:
    checklist = checklist_for(request.user, checklist_id)
    return render(request, "inspections/checklist_detail.html", _context(request, checklist))


def _post(request: HttpRequest, checklist_id: int, form: forms.Form, call: Callable[[dict], Any], *, done: str,
          form_key: str = "") -> HttpResponse:
    """Run `call` with the form's data; back to the editor on success, else the errors beside the
    fields with the input kept (409 for a stale version, 400 for bad input)."""
    require_manage(request)
    checklist = checklist_for(request.user, checklist_id)
    outcome = run_form_action(form, call)
    if outcome.done:
        messages.success(request, done)
        target = getattr(outcome.result, "checklist_id", None) or getattr(outcome.result, "pk", None) or checklist.pk
        return redirect("inspections:checklist", target)
    fresh = checklist_for(request.user, checklist.pk)
    conflict = outcome.conflict
    if conflict:
        offer_current_version(form, fresh.version)
    overrides = {form_key: form} if form_key else {"action_errors": form.non_field_errors()}
    return render(request, "inspections/checklist_detail.html",
                  _context(request, fresh, conflict=conflict, **overrides), status=409 if conflict else 400)


@login_required
@require_POST
def checklist_head(request: HttpRequest, checklist_id: int) -> HttpResponse:
    c = checklist_for(request.user, checklist_id)
    return _post(request, checklist_id, HeadForm(request.POST, prefix="head"), lambda d: actions.checklist_edit(
        actor=request.user, checklist=c, expected_version=d["version"], title=d["title"], kind=d["kind"],
        touchpoint=d["touchpoint"], pass_mark=d["pass_mark"], intro=d["intro"]), done=_("Saved."),
        form_key="head_form")


@login_required
@require_POST
def item_add(request: HttpRequest, checklist_id: int) -> HttpResponse:
    c = checklist_for(request.user, checklist_id)
    return _post(request, checklist_id, ItemForm(request.POST, prefix="item"), lambda d: actions.checklist_add_item(
        actor=request.user, checklist=c, expected_version=d["version"], text=d["text"], guidance=d["guidance"],
        weight=d["weight"], max_score=d["max_score"], critical=d["critical"]), done=_("Item added."),
        form_key="item_form")


@login_required
@require_POST
def item_remove(request: HttpRequest, checklist_id: int) -> HttpResponse:
    c = checklist_for(request.user, checklist_id)

    def call(d):
        item = ChecklistItem.objects.filter(pk=d["item"], checklist=c).first()
        if item is None:
            raise NotFound()
        return actions.checklist_remove_item(actor=request.user, checklist=c, expected_version=d["version"], item=item)

    return _post(request, checklist_id, RemoveItemForm(request.POST), call, done=_("Item removed."))


@login_required
@require_POST
def publish(request: HttpRequest, checklist_id: int) -> HttpResponse:
    c = checklist_for(request.user, checklist_id)
    return _post(request, checklist_id, VersionedForm(request.POST), lambda d: actions.checklist_publish(
        actor=request.user, checklist=c, expected_version=d["version"]), done=_("Published."))


@login_required
@require_POST
def revise(request: HttpRequest, checklist_id: int) -> HttpResponse:
    c = checklist_for(request.user, checklist_id)
    form = forms.Form(request.POST)
    return _post(request, checklist_id, form, lambda d: actions.checklist_revise(actor=request.user, checklist=c),
                 done=_("A new draft version: edit it and publish it."))


@login_required
@require_POST
def retire(request: HttpRequest, checklist_id: int) -> HttpResponse:
    c = checklist_for(request.user, checklist_id)
    return _post(request, checklist_id, VersionedForm(request.POST), lambda d: actions.checklist_retire(
        actor=request.user, checklist=c, expected_version=d["version"]), done=_("Retired."))
