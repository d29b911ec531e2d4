"""Complaint pages (R6): the panel on a complaint request's page with a form per step (HTMX), the
list behind every figure, the figures, compensations to approve, accountability to decide and the
employee's own accountability. Views parse, call an action, render."""

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from fuwu.complaints import actions, analysis, rules
from fuwu.complaints.forms import (
    AccountabilityAnswerForm,
    AccountabilityDecideForm,
    AnswerForm,
    ApologyForm,
    AttemptForm,
    CloseForm,
    CompensationForm,
    ConcludeForm,
    DecideForm,
    InvestigateForm,
    NotesForm,
    ProposeForm,
    RootCauseForm,
    UpdateForm,
)
from fuwu.complaints.models import ComplaintStatus, RootCause, Severity
from fuwu.complaints.selectors import (
    ComplaintFilters,
    accountabilities_to_decide,
    accountability_for,
    compensation_for,
    compensations_awaiting,
    compensations_of,
    complaint_list,
    complaint_of_ticket,
    complaint_steps,
    my_accountabilities,
)
from fuwu.core.errors import Conflict, FuwuError
from fuwu.core.forms import add_action_errors
from fuwu.core.validation import parse_id
from fuwu.improvements.models import ImprovementAction
from fuwu.improvements.selectors import improvement_actions_for_source
from fuwu.org.models import Department
from fuwu.org.policy import Perm, can, require
from fuwu.tickets.selectors import access_ticket

# Each step of the panel: its form, and the action it calls with the form's data.
_STEPS: dict[str, tuple[type[forms.Form], Callable[..., Any], Any]] = {
    "update": (UpdateForm, lambda u, c, d: actions.complaint_update(
        actor=u, complaint=c, expected_version=d["version"], severity=d["severity"], demand=d["demand"],
        accused=d["accused"]), gettext_lazy("Complaint details saved.")),
    "investigate": (InvestigateForm, lambda u, c, d: actions.complaint_start_investigation(
        actor=u, complaint=c, expected_version=d["version"], investigator=d["investigator"]),
        gettext_lazy("Investigation started.")),
    "notes": (NotesForm, lambda u, c, d: actions.complaint_record_notes(
        actor=u, complaint=c, expected_version=d["version"], notes=d["notes"]), gettext_lazy("Notes saved.")),
    "conclude": (ConcludeForm, lambda u, c, d: actions.complaint_conclude(
        actor=u, complaint=c, expected_version=d["version"], valid=d["valid"], root_cause=d["root_cause"],
        responsible_department=d["responsible_department"], responsible_person=d["responsible_person"],
        conclusion=d["conclusion"]), gettext_lazy("Conclusion recorded.")),
    "propose": (ProposeForm, lambda u, c, d: actions.complaint_propose_solution(
        actor=u, complaint=c, expected_version=d["version"], solution=d["solution"]),
        gettext_lazy("Solution recorded.")),
    "answer": (AnswerForm, lambda u, c, d: actions.complaint_record_answer(
        actor=u, complaint=c, expected_version=d["version"], agreed=d["agreed"], feedback=d["feedback"]),
        gettext_lazy("The customer's answer is recorded.")),
    "attempt": (AttemptForm, lambda u, c, d: actions.complaint_record_contact_attempt(
        actor=u, complaint=c, note=d["note"]), gettext_lazy("Attempt recorded.")),
    "apology": (ApologyForm, lambda u, c, d: actions.complaint_record_apology(
        actor=u, complaint=c, expected_version=d["version"], note=d["apology_note"]),
        gettext_lazy("Apology recorded.")),
    "close": (CloseForm, lambda u, c, d: actions.complaint_close(
        actor=u, complaint=c, expected_version=d["version"]), gettext_lazy("Complaint closed.")),
    "compensate": (CompensationForm, lambda u, c, d: actions.compensation_propose(
        actor=u, complaint=c, amount=d["amount"], reason=d["reason"], is_claim=d["is_claim"]),
        gettext_lazy("Compensation put up for approval.")),
}
def _page(request: HttpRequest, template: str, context: dict[str, Any], tab: str, status: int = 200) -> HttpResponse:
    context.update(tab=tab, can_approve=can(request.user, Perm.COMPLAINT_APPROVE))
    return render(request, template, context, status=status)


def _panel_context(request: HttpRequest, ticket, complaint, **overrides: Any) -> dict[str, Any]:
    steps = complaint_steps(request.user, complaint)
    context: dict[str, Any] = {"ticket": ticket, "complaint": complaint, "steps": steps, "flash": "",
                               "conflict": None, "failed": ""}
    if complaint is not None:
        version = {"version": complaint.version}
        context.update({
            "attempts": list(complaint.contact_attempts.select_related("made_by")),
            "compensations": compensations_of(request.user, complaint),
            "accountabilities": list(complaint.accountabilities.select_related("employee")),
            "close_refusal": actions.close_refusal_message(complaint) if complaint.is_open else None,
            # Improvement so it does not recur (R6.2, R17.1): the actions opened from this complaint.
            "improvements": list(improvement_actions_for_source(
                viewer=request.user, source_kind=ImprovementAction.SourceKind.COMPLAINT, source_id=complaint.pk)),
            "can_open_improvement": can(request.user, Perm.IMPROVEMENT_MANAGE),
            "improvement_title": _("Prevent recurrence: %(title)s") % {"title": ticket.title},
            "forms": {
                "update": UpdateForm(prefix="update", initial={**version, "severity": complaint.severity,
                                                               "demand": complaint.demand,
                                                               "accused": complaint.accused_id}),
                "investigate": InvestigateForm(prefix="investigate", initial=version),
                "notes": NotesForm(prefix="notes", initial={**version, "notes": complaint.investigation_notes}),
                "conclude": ConcludeForm(prefix="conclude", initial=version),
                "propose": ProposeForm(prefix="propose", initial={**version, "solution": complaint.solution}),
                "answer": AnswerForm(prefix="answer", initial=version),
                "attempt": AttemptForm(prefix="attempt"),
                "apology": ApologyForm(prefix="apology", initial=version),
                "close": CloseForm(prefix="close", initial=version),
                "compensate": CompensationForm(prefix="compensate"),
            },
        })
    forms_override = overrides.pop("forms", {})
    context.update(overrides)
    if "forms" in context:
        context["forms"].update(forms_override)
    return context


def _ticket_and_complaint(request: HttpRequest, ticket_id: int):
    require(request.user, Perm.COMPLAINT_VIEW)
    ticket = access_ticket(request.user, ticket_id)
    return ticket, complaint_of_ticket(request.user, ticket)


@login_required
@require_GET
def panel(request: HttpRequest, ticket_id: int) -> HttpResponse:
    """The complaint panel's body, loaded into the request page."""
    ticket, complaint = _ticket_and_complaint(request, ticket_id)
    return render(request, "complaints/includes/panel_body.html", _panel_context(request, ticket, complaint))


@login_required
@require_POST
def open_record(request: HttpRequest, ticket_id: int) -> HttpResponse:
    """The complaint record of a complaint request registered before it had one (opened when first needed)."""
    ticket, complaint = _ticket_and_complaint(request, ticket_id)
    failed = None
    if complaint is None:
        try:
            complaint = actions.complaint_open(actor=request.user, ticket=ticket)
        except FuwuError as exc:
            failed = exc.message
    return _done(request, ticket, complaint, _("Complaint record opened.") if not failed else "", error=failed)


def _done(request, ticket, complaint, flash: str, error: str | None = None, status: int = 200, **overrides):
    if request.htmx:
        context = _panel_context(request, ticket, complaint, flash=flash, **overrides)
        if error:
            context["error"] = error
        return render(request, "complaints/includes/panel_body.html", context)
    if status == 200 and not error:
        messages.success(request, flash)
        return redirect(reverse("tickets:detail", args=[ticket.pk]) + "#complaint-panel")
    context = _panel_context(request, ticket, complaint, **overrides)
    if error:
        context["error"] = error
    return render(request, "complaints/step_page.html", context, status=status if status != 200 else 400)


@login_required
@require_POST
def step(request: HttpRequest, ticket_id: int, name: str) -> HttpResponse:
    """One step of the complaint from its panel: HTMX answers with the panel, errors beside the fields."""
    if name not in _STEPS:
        raise Http404
    ticket, complaint = _ticket_and_complaint(request, ticket_id)
    if complaint is None:
        raise Http404
    form_class, call, done = _STEPS[name]
    form = form_class(request.POST, prefix=name)
    conflict = None
    if form.is_valid():
        try:
            complaint = call(request.user, complaint, form.cleaned_data)
        except Conflict as exc:
            conflict = exc.message
        except FuwuError as exc:
            if exc.errors and any(key in form.fields or key == "move" for key in exc.errors):
                for key, errors in exc.errors.items():
                    for message in errors:
                        form.add_error(key if key in form.fields else None, message)
            else:
                add_action_errors(exc, ("", form))
        else:
            fresh = complaint_of_ticket(request.user, ticket)
            return _done(request, ticket, fresh, str(done))
    fresh = complaint_of_ticket(request.user, ticket)
    if conflict and "version" in form.fields:
        form.data = form.data.copy()
        form.data[form.add_prefix("version")] = fresh.version
    return _done(request, ticket, fresh, "", status=409 if conflict else 400, forms={name: form}, failed=name,
                 conflict=conflict)


def _filters(request: HttpRequest) -> ComplaintFilters:
    get = request.GET
    return ComplaintFilters(status=get.get("status", ""), severity=get.get("severity", ""),
                            root_cause=get.get("root_cause", ""), department_id=parse_id(get.get("department")),
                            received_month=get.get("received", ""), closed_month=get.get("closed", ""),
                            outcome=get.get("outcome", ""), valid=get.get("valid", ""),
                            responsible_id=parse_id(get.get("responsible")))


@login_required
def complaint_index(request: HttpRequest) -> HttpResponse:
    """Complaints, filtered: the working list and the complaints behind each figure (R6.5)."""
    require(request.user, Perm.COMPLAINT_VIEW)
    filters = _filters(request)
    page = Paginator(complaint_list(request.user, filters), 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    template = "complaints/list.html#results" if request.htmx else "complaints/list.html"
    return _page(request, template, {
        "page": page, "filters": filters, "statuses": ComplaintStatus.choices, "severities": Severity.choices,
        "causes": RootCause.objects.all(), "departments": Department.objects.order_by("name"),
        "query": query.urlencode(), "filtered": any(v for k, v in request.GET.items() if k != "page"),
        # A staff member's valid complaints, from the rewards and penalties page (R11.5): named above the list.
        "responsible": get_user_model().objects.filter(pk=filters.responsible_id).first()
        if filters.responsible_id else None,
    }, "list")


@login_required
def figures(request: HttpRequest) -> HttpResponse:
    """Root causes by month (Pareto), the success rate, time to resolve, by department (R6.5)."""
    require(request.user, Perm.COMPLAINT_VIEW)
    try:
        months = min(max(int(request.GET.get("months", 12)), 1), 36)
    except ValueError:
        months = 12
    period = analysis.last_months(months)
    data = analysis.complaint_figures(request.user, period)
    list_url = reverse("complaints:list")
    chart = {
        "months": period.months,
        "period": period.key,
        "list_url": list_url,
        "pareto": data.pareto,
        "causes": [{"code": code, "label": data.cause_labels.get(code, code),
                    "counts": [data.causes_by_month[code].get(m, 0) for m in period.months]}
                   for code in [p["code"] for p in data.pareto]],
        "by_month": data.by_month,
        "labels": {"count": _("Complaints found valid"), "cumulative": _("Cumulative share (%)"),
                   "rate": _("Success rate (%)"), "days": _("Days to resolve"), "closed": _("Closed")},
    }
    return _page(request, "complaints/figures.html", {"figures": data, "period": period, "chart": chart,
                                                      "months": months}, "figures")


@login_required
def compensations(request: HttpRequest) -> HttpResponse:
    """Compensations awaiting this approver (R6.3)."""
    require(request.user, Perm.COMPLAINT_APPROVE)
    return _page(request, "complaints/compensations.html", {
        "rows": [(c, DecideForm(prefix=f"c{c.pk}", initial={"version": c.version}))
                 for c in compensations_awaiting(request.user)[:200]]}, "compensations")


@login_required
@require_POST
def compensation_decide(request: HttpRequest, compensation_id: int) -> HttpResponse:
    require(request.user, Perm.COMPLAINT_APPROVE)
    compensation = compensation_for(request.user, compensation_id)
    form = DecideForm(request.POST, prefix=f"c{compensation.pk}")
    if form.is_valid():
        try:
            actions.compensation_decide(actor=request.user, compensation=compensation,
                                        expected_version=form.cleaned_data["version"],
                                        approve=form.cleaned_data["approve"], note=form.cleaned_data["note"])
        except FuwuError as exc:
            messages.error(request, (exc.errors and next(iter(exc.errors.values()))[0]) or exc.message)
            return redirect("complaints:compensations")
        messages.success(request, _("Decision recorded."))
    else:
        messages.error(request, _("Choose approve or refuse."))
    return redirect("complaints:compensations")


@login_required
def accountability_board(request: HttpRequest) -> HttpResponse:
    """Accountability records for the manager to decide (R6.4)."""
    require(request.user, Perm.COMPLAINT_APPROVE)
    return _page(request, "complaints/accountability.html", {
        "rows": [(a, AccountabilityDecideForm(prefix=f"a{a.pk}", initial={"version": a.version}))
                 for a in accountabilities_to_decide(request.user)[:200]]}, "accountability")


@login_required
@require_POST
def accountability_decide(request: HttpRequest, record_id: int) -> HttpResponse:
    record = accountability_for(request.user, record_id)
    form = AccountabilityDecideForm(request.POST, prefix=f"a{record.pk}")
    if form.is_valid():
        try:
            actions.accountability_decide(actor=request.user, record=record,
                                          expected_version=form.cleaned_data["version"],
                                          measure=form.cleaned_data["measure"], note=form.cleaned_data["note"])
        except FuwuError as exc:
            messages.error(request, (exc.errors and next(iter(exc.errors.values()))[0]) or exc.message)
            return redirect("complaints:accountability")
        messages.success(request, _("Decision recorded."))
    else:
        messages.error(request, _("Choose the measure and explain the decision."))
    return redirect("complaints:accountability")


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    """My accountability (R6.4): what the manager decided on complaints found valid against me; I may answer once."""
    records = list(my_accountabilities(request.user))
    return render(request, "complaints/mine.html", {
        "rows": [(r, AccountabilityAnswerForm(prefix=f"r{r.pk}", initial={"version": r.version})
                  if r.status == "decided" else None) for r in records]})


@login_required
@require_POST
def answer(request: HttpRequest, record_id: int) -> HttpResponse:
    record = accountability_for(request.user, record_id)
    form = AccountabilityAnswerForm(request.POST, prefix=f"r{record.pk}")
    if form.is_valid():
        try:
            actions.accountability_answer(actor=request.user, record=record,
                                          expected_version=form.cleaned_data["version"],
                                          answer=form.cleaned_data["answer"])
        except FuwuError as exc:
            messages.error(request, (exc.errors and next(iter(exc.errors.values()))[0]) or exc.message)
            return redirect("complaints:mine")
        messages.success(request, _("Your answer is recorded."))
    else:
        messages.error(request, _("Write your answer."))
    return redirect("complaints:mine")


@login_required
def root_causes(request: HttpRequest) -> HttpResponse:
    """The taxonomy of root causes; a manager adds to it."""
    require(request.user, Perm.COMPLAINT_VIEW)
    may_add = rules.may_approve(request.user)
    form = RootCauseForm(request.POST or None) if may_add else None
    status = 200
    if request.method == "POST":
        if form is None:
            require(request.user, Perm.COMPLAINT_APPROVE)
        if form.is_valid():
            try:
                actions.root_cause_add(actor=request.user, **form.cleaned_data)
            except FuwuError as exc:
                add_action_errors(exc, ("", form))
                status = 400
            else:
                messages.success(request, _("Root cause added."))
                return redirect("complaints:root_causes")
        else:
            status = 400
    return _page(request, "complaints/root_causes.html", {"causes": RootCause.objects.all(), "form": form},
                 "causes", status=status)
