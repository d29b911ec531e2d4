"""Major fault pages (R7): the list, reporting a fault, its page (facts, affected customers, timeline,
analysis, measures, the report), its steps, and the notice list. Views parse, call an action, render."""

import datetime
from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from fuwu.core.errors import Conflict, FuwuError, NotFound
from fuwu.core.forms import add_action_errors
from fuwu.core.templatetags.fuwu import join_list
from fuwu.core.validation import parse_id
from fuwu.faults import actions, measures
from fuwu.faults.documents import fault_report_pdf, report_filename
from fuwu.faults.forms import (
    AnalysisForm,
    CloseForm,
    FaultForm,
    ImprovementForm,
    MoveForm,
    ProgressForm,
    RecipientForm,
)
from fuwu.faults.models import FaultStatus, NoticeRecipient, Severity
from fuwu.faults.selectors import FaultFilters, fault_for, fault_list, fault_steps, notice_list, timeline_of
from fuwu.org.models import Region
from fuwu.org.policy import Perm, can, require

# Each step on the fault's page: its form, and the action it calls with the form's data.
_STEPS: dict[str, tuple[type[forms.Form], Perm, Callable[..., Any], Any]] = {
    "move": (MoveForm, Perm.FAULT_REPORT, lambda u, f, d: actions.fault_move(
        actor=u, fault=f, expected_version=d["version"], move=d["move"], note=d["note"]),
        gettext_lazy("Status changed.")),
    "progress": (ProgressForm, Perm.FAULT_REPORT, lambda u, f, d: actions.fault_add_progress(
        actor=u, fault=f, text=d["text"]), gettext_lazy("Progress recorded.")),
    "analysis": (AnalysisForm, Perm.FAULT_MANAGE, lambda u, f, d: actions.fault_record_analysis(
        actor=u, fault=f, expected_version=d["version"], impact=d["impact"], handling_summary=d["handling_summary"],
        root_cause=d["root_cause"], corrective_measures=d["corrective_measures"],
        preventive_measures=d["preventive_measures"]), gettext_lazy("Analysis saved.")),
    "close": (CloseForm, Perm.FAULT_MANAGE, lambda u, f, d: actions.fault_close(
        actor=u, fault=f, expected_version=d["version"]),
        gettext_lazy("Fault closed; the analysis report goes to the affected customers.")),
    "improve": (ImprovementForm, Perm.IMPROVEMENT_MANAGE, lambda u, f, d: measures.open_action(
        actor=u, fault=f, **d), gettext_lazy("Improvement action opened; it awaits the manager's approval.")),
}


def _filters(request: HttpRequest) -> FaultFilters:
    get = request.GET
    return FaultFilters(status=get.get("status", "")[:20], period=get.get("period", "")[:20],
                        region_id=parse_id(get.get("region")), severity=get.get("severity", "")[:20])


@login_required
def fault_index(request: HttpRequest) -> HttpResponse:
    """Major faults, newest first, filtered by status, period and region (R7)."""
    require(request.user, Perm.FAULT_VIEW)
    filters = _filters(request)
    page = Paginator(fault_list(request.user, filters), 50).get_page(request.GET.get("page"))
    return render(request, "faults/list.html", {
        "page": page, "filters": filters, "statuses": FaultStatus.choices, "severities": Severity.choices,
        "regions": Region.objects.order_by("code"), "query": request.GET.urlencode(),
        "filtered": any(v for k, v in request.GET.items() if k != "page"),
        "report_url": reverse("faults:new") if can(request.user, Perm.FAULT_REPORT) else None,
    })


def _form_values(data: dict) -> dict:
    return {name: data[name] for name in ("title", "started_at", "severity", "region", "place", "symptoms",
                                          "handling_plan", "customers", "service_types", "business_owner",
                                          "responsible_manager")}


@login_required
def fault_new(request: HttpRequest) -> HttpResponse:
    """Report a major fault: time, place, symptoms, handling plan; the notice list is told at once (R7.1)."""
    require(request.user, Perm.FAULT_REPORT)
    form = FaultForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            fault = actions.fault_open(actor=request.user, request_key=form.cleaned_data["request_key"] or None,
                                       **_form_values(form.cleaned_data))
        except FuwuError as exc:
            add_action_errors(exc, ("", form))
        else:
            messages.success(request, _("Fault %(number)s reported; the notice list has been told.") % {
                "number": fault.number})
            return redirect("faults:detail", fault.pk)
    return render(request, "faults/form.html", {"form": form, "fault": None},
                  status=400 if request.method == "POST" else 200)


@login_required
def fault_edit(request: HttpRequest, fault_id: int) -> HttpResponse:
    require(request.user, Perm.FAULT_REPORT)
    fault = fault_for(request.user, fault_id)
    if not fault.is_open:
        raise NotFound()
    initial = {"version": fault.version, "title": fault.title, "started_at": fault.started_at,
               "severity": fault.severity, "region": fault.region_id, "place": fault.place,
               "symptoms": fault.symptoms, "handling_plan": fault.handling_plan,
               "service_types": list(fault.service_types.all()),
               "customers": "\n".join(c.name for c in fault.customers.order_by("name")),
               "business_owner": fault.business_owner_id, "responsible_manager": fault.responsible_manager_id,
               "request_key": "-"}
    form = FaultForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                actions.fault_update(actor=request.user, fault=fault, expected_version=form.cleaned_data["version"],
                                     **_form_values(form.cleaned_data))
            except Conflict as exc:
                form.add_error(None, exc.message)
                status = 409
            except FuwuError as exc:
                add_action_errors(exc, ("", form))
            else:
                messages.success(request, _("Fault report saved."))
                return redirect("faults:detail", fault.pk)
    return render(request, "faults/form.html", {"form": form, "fault": fault}, status=status)


def _person(user) -> str:
    return (user.get_full_name() or user.get_username()) if user else ""


def _facts(fault, services) -> list[dict]:
    return [
        {"label": _("Began"), "value": f"{localtime(fault.started_at):%Y-%m-%d %H:%M}"},
        {"label": _("Region"), "value": fault.region.name if fault.region else ""},
        {"label": _("Place"), "value": fault.place},
        {"label": _("Fault severity"), "value": fault.get_severity_display(), "tone": fault.severity_tone},
        {"label": _("Affected services"), "value": join_list([s.name for s in services])},
        {"label": _("Reported by"),
         "value": f"{_person(fault.reported_by)} · {localtime(fault.opened_at):%Y-%m-%d %H:%M}"},
        {"label": _("Business owner"), "value": _person(fault.business_owner)},
        {"label": _("Responsible manager"), "value": _person(fault.responsible_manager)},
        {"label": _("Service restored"), "value": f"{localtime(fault.restored_at):%Y-%m-%d %H:%M}"
         if fault.restored_at else ""},
        {"label": _("Closed at"), "value": f"{localtime(fault.closed_at):%Y-%m-%d %H:%M} · {_person(fault.closed_by)}"
         if fault.closed_at else ""},
    ]


def _timeline(entries) -> list[dict]:
    tones = {FaultStatus.OPEN: "danger", FaultStatus.HANDLING: "warning", FaultStatus.RESTORED: "success",
             FaultStatus.CLOSED: "neutral"}
    return [{"title": e.get_status_display() if e.status else _("Progress"), "when": localtime(e.at),
             "who": _person(e.author), "text": e.text, "tone": tones.get(e.status, "brand")} for e in entries]


def _detail_context(request: HttpRequest, fault, **overrides: Any) -> dict[str, Any]:
    version = {"version": fault.version}
    services = list(fault.service_types.order_by("sort_order", "name"))
    context: dict[str, Any] = {
        "fault": fault,
        "facts": _facts(fault, services),
        "steps": fault_steps(request.user, fault),
        "customers": list(fault.customers.select_related("region").order_by("name")),
        "timeline": _timeline(timeline_of(fault)),
        "linked_actions": measures.linked_actions(request.user, fault),
        "close_refusal": actions.close_refusal_message(request.user, fault) if fault.is_open else None,
        "forms": {
            "move": MoveForm(prefix="move", initial=version),
            "progress": ProgressForm(prefix="progress"),
            "analysis": AnalysisForm(prefix="analysis", initial={
                **version, **{name: getattr(fault, name) for name in actions.ANALYSIS_FIELDS}}),
            "close": CloseForm(prefix="close", initial=version),
            "improve": ImprovementForm(prefix="improve", initial={
                "kind": "corrective", "due_on": timezone.localdate() + datetime.timedelta(days=30),
                "owner": fault.responsible_manager_id}),
        },
        "failed": "",
    }
    context["forms"].update(overrides.pop("forms", {}))
    context.update(overrides)
    return context


@login_required
def fault_detail(request: HttpRequest, fault_id: int) -> HttpResponse:
    require(request.user, Perm.FAULT_VIEW)
    fault = fault_for(request.user, fault_id)
    return render(request, "faults/detail.html", _detail_context(request, fault))


@login_required
@require_POST
def fault_step(request: HttpRequest, fault_id: int, name: str) -> HttpResponse:
    """One step on the fault's page; errors are shown beside the fields, with the input kept."""
    if name not in _STEPS:
        raise Http404
    form_class, perm, call, done = _STEPS[name]
    require(request.user, Perm.FAULT_VIEW)
    require(request.user, perm)
    fault = fault_for(request.user, fault_id)
    form = form_class(request.POST, prefix=name)
    status = 400
    if form.is_valid():
        try:
            call(request.user, fault, form.cleaned_data)
        except Conflict as exc:
            form.add_error(None, exc.message)
            status = 409
        except FuwuError as exc:
            if exc.status == 403:
                raise
            for key, errors in exc.errors.items() or [(None, [exc.message])]:
                for message in errors:
                    form.add_error(key if key in form.fields else None, message)
        else:
            messages.success(request, str(done))
            return redirect("faults:detail", fault.pk)
    fresh = fault_for(request.user, fault_id)
    if status == 409 and "version" in form.fields:
        form.data = form.data.copy()
        form.data[form.add_prefix("version")] = fresh.version
    failed_errors = [str(message) for messages_ in form.errors.values() for message in messages_]
    return render(request, "faults/detail.html", _detail_context(request, fresh, forms={name: form}, failed=name,
                                                                 failed_errors=failed_errors), status=status)


@login_required
def fault_pdf(request: HttpRequest, fault_id: int) -> HttpResponse:
    """The fault analysis report (故障分析报告, R7.2) of a closed fault, as a PDF in Chinese."""
    require(request.user, Perm.FAULT_VIEW)
    fault = fault_for(request.user, fault_id)
    if fault.is_open:
        raise Http404
    response = HttpResponse(fault_report_pdf(fault), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{report_filename(fault)}"'
    return response


@login_required
def notice_list_page(request: HttpRequest) -> HttpResponse:
    """Who hears of every major fault at once (R7.1): departments, roles, people; the manager keeps it."""
    require(request.user, Perm.FAULT_VIEW)
    form = RecipientForm(request.POST or None)
    status = 200
    if request.method == "POST":
        require(request.user, Perm.FAULT_MANAGE)
        status = 400
        if form.is_valid():
            d = form.cleaned_data
            try:
                actions.notice_recipient_add(actor=request.user, kind=d["kind"], department=d["department"],
                                             role=d["role"], user=d["user"])
            except FuwuError as exc:
                add_action_errors(exc, ("", form))
            else:
                messages.success(request, _("Added to the notice list."))
                return redirect("faults:notice_list")
    return render(request, "faults/notice_list.html", {
        "recipients": list(notice_list()), "form": form, "can_manage": can(request.user, Perm.FAULT_MANAGE),
    }, status=status)


@login_required
@require_POST
def notice_recipient_remove(request: HttpRequest, recipient_id: int) -> HttpResponse:
    require(request.user, Perm.FAULT_MANAGE)
    recipient = NoticeRecipient.objects.filter(pk=recipient_id).first()
    if recipient is None:
        raise Http404
    actions.notice_recipient_remove(actor=request.user, recipient=recipient)
    messages.success(request, _("Removed from the notice list."))
    return redirect("faults:notice_list")
