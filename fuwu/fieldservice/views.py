"""Field-service pages (R5.1, R4.4–R4.6): the dispatcher's board, the technician's day and the work
order page, built for a phone first. Views parse, call an action, render."""

import datetime
from collections.abc import Callable
from typing import Any
from urllib.parse import quote

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from fuwu.core.errors import Conflict, FuwuError, PermissionDenied
from fuwu.core.forms import add_action_errors
from fuwu.core.validation import parse_day, parse_id
from fuwu.fieldservice import actions, rules
from fuwu.fieldservice.dispatch import dispatch_candidates
from fuwu.fieldservice.documents import work_order_pdf
from fuwu.fieldservice.forms import BookForm, DefectForm, OpenForm, PartForm, ScheduleForm, SignOffForm, StepForm
from fuwu.fieldservice.models import WorkOrderMove, WorkOrderStatus
from fuwu.fieldservice.selectors import (
    WorkOrderFilters,
    field_technicians,
    next_steps,
    open_work_orders_of,
    parts_used,
    product_defects,
    products_of_ticket_customer,
    site_defaults,
    technician_day,
    week_board,
    week_of,
    work_order_for,
    work_order_list,
)
from fuwu.fieldservice.timeliness import last_months, repair_timeliness
from fuwu.fieldservice.workflow import AT_WORK
from fuwu.materials.selectors import technician_holdings
from fuwu.org.models import Group
from fuwu.org.policy import Perm, can
from fuwu.org.roles import Role
from fuwu.tickets.selectors import access_ticket
from fuwu.tickets.views import ticket_context

# Moves that ask for something typed before they are made.
_WITH_TEXT = {WorkOrderMove.DECLINE: "reason", WorkOrderMove.DIAGNOSE: "findings", WorkOrderMove.NOT_FIXED: "reason",
              WorkOrderMove.REPORT: "work_done", WorkOrderMove.CANCEL: "reason"}


def _map_url(address: str) -> str:
    # Amap (高德) opens the native app on a phone and a web map elsewhere.
    return f"https://uri.amap.com/search?keyword={quote(address)}"


def _context(request: HttpRequest, work_order, **overrides: Any) -> dict[str, Any]:
    version = {"version": work_order.version}
    steps = next_steps(request.user, work_order)
    step_form = overrides.get("step_form") or StepForm(prefix="step", initial=version)
    context = {
        "wo": work_order,
        "steps": steps,
        # The technician's steps but the sign-off, each with the text it asks for (bound: errors and input kept).
        "step_buttons": [{"value": m.value, "label": m.label, "text": _WITH_TEXT.get(m, ""),
                          "field": step_form[_WITH_TEXT[m]] if m in _WITH_TEXT else None}
                         for m in steps["technician_steps"] if m != WorkOrderMove.COMPLETE],
        "visits": list(work_order.visits.select_related("technician").order_by("seq")),
        "map_url": _map_url(work_order.site_address),
        "phone_clear": can(request.user, Perm.CUSTOMER_PHONE_CLEAR),
        "step_form": step_form,
        "schedule_form": ScheduleForm(prefix="schedule", initial={**version, "technician": work_order.technician_id,
                                                                  "start": work_order.appointment_start,
                                                                  "end": work_order.appointment_end})
        if steps["can_schedule"] else None,
        "signoff_form": SignOffForm(prefix="signoff", initial={**version, "work_done": work_order.work_done,
                                                               "signer_name": work_order.contact_name})
        if WorkOrderMove.COMPLETE in steps["technician_steps"] else None,
        "defect_form": DefectForm(prefix="defect") if rules.is_assigned(request.user, work_order) else None,
        "defects": list(work_order.defects.all()),
        "parts": parts_used(work_order),
        "part_form": PartForm(prefix="part", holdings=technician_holdings(request.user, request.user))
        if rules.is_assigned(request.user, work_order) and work_order.status in AT_WORK else None,
        "version": work_order.version,
        "failed_move": "",
        "conflict": None,
    }
    context.update(overrides)
    return context


def _answer(request: HttpRequest, work_order, form: forms.Form, call: Callable[[dict], Any], *, done: str,
            form_key: str, extra: dict[str, Any] | None = None) -> HttpResponse:
    """Run `call` with the form's data; redirect to the order on success, else show the errors
    beside the fields with the input kept (409 for a stale version, 400 for bad input)."""
    conflict = None
    if form.is_valid():
        try:
            call(form.cleaned_data)
        except Conflict as exc:
            conflict = exc.message
        except FuwuError as exc:
            if isinstance(exc, PermissionDenied | rules.MoveNotAllowed) and not exc.errors:
                form.add_error(None, exc.message)
            else:
                add_action_errors(exc, ("", form))
        else:
            messages.success(request, done)
            return redirect("fieldservice:detail", work_order.pk)
    fresh = work_order_for(request.user, work_order.pk)
    if conflict and "version" in form.fields:
        form.data = form.data.copy()
        form.data[form.add_prefix("version")] = fresh.version
    overrides = {form_key: form, "conflict": conflict, **(extra or {})}
    return render(request, "fieldservice/work_order_detail.html", _context(request, fresh, **overrides),
                  status=409 if conflict else 400)


def _open_form(ticket, data=None) -> OpenForm:
    """The form that sends a request on site, filled from the request and the customer."""
    return OpenForm(data, prefix="wo", products=products_of_ticket_customer(ticket),
                    initial={"version": ticket.version, **site_defaults(ticket)})


@login_required
def board(request: HttpRequest) -> HttpResponse:
    """The dispatcher's board: open work orders by appointment, filtered by status and technician."""
    if not can(request.user, Perm.WORKORDER_VIEW):
        return redirect("fieldservice:today")
    status = request.GET.get("status", "")
    status = status if status in WorkOrderStatus.values else ""
    technician_id = parse_id(request.GET.get("technician"))  # anything else, 2**64 included: no filter
    orders = work_order_list(request.user, WorkOrderFilters(status=status, technician_id=technician_id))[:200]
    return render(request, "fieldservice/board.html", {
        "orders": orders, "statuses": WorkOrderStatus.choices, "status": status,
        "technicians": field_technicians(), "technician_id": technician_id,
    })


@login_required
def today(request: HttpRequest) -> HttpResponse:
    """The technician's home: today's visits in order, each with its phone and map at the top (R5.1)."""
    if not can(request.user, Perm.WORKORDER_WORK):
        raise PermissionDenied()
    day = timezone.localdate()
    visits = technician_day(request.user, day)
    booked = {v.work_order_id for v in visits}
    other = [o for o in open_work_orders_of(request.user).order_by("appointment_start") if o.pk not in booked]
    return render(request, "fieldservice/today.html", {
        "day": day, "visits": visits, "other": other, "phone_clear": can(request.user, Perm.CUSTOMER_PHONE_CLEAR),
        "map_urls": {v.pk: _map_url(v.work_order.site_address) for v in visits},
    })


@login_required
def detail(request: HttpRequest, work_order_id: int) -> HttpResponse:
    work_order = work_order_for(request.user, work_order_id)
    return render(request, "fieldservice/work_order_detail.html", _context(request, work_order))


@login_required
@require_http_methods(["GET", "POST"])
def open_for_ticket(request: HttpRequest, ticket_id: int) -> HttpResponse:
    """Send a request on site from its page: the work order is opened and the tier moves (R4.3).
    GET gives the form (loaded into the request page when its panel is opened)."""
    ticket = access_ticket(request.user, ticket_id)
    if request.method == "GET":
        return render(request, "fieldservice/includes/open_form.html", {"form": _open_form(ticket), "ticket": ticket})
    form = _open_form(ticket, request.POST)
    error = conflict = None
    if form.is_valid():
        d = form.cleaned_data
        try:
            work_order = actions.work_order_open(
                actor=request.user, ticket=ticket, expected_version=d["version"], fault=d["fault"],
                site_address=d["site_address"], reason=d["reason"], product=d["product"], skill=d["skill"],
                contact_name=d["contact_name"], contact_phone=d["contact_phone"])
        except Conflict as exc:
            conflict = exc.message
        except FuwuError as exc:
            add_action_errors(exc, ("", form))
            error = exc
        else:
            messages.success(request, _("Work order %(number)s opened.") % {"number": work_order.number})
            return redirect("fieldservice:detail", work_order.pk)
    fresh = access_ticket(request.user, ticket.pk)
    context = ticket_context(request, fresh, conflict=conflict, work_order_form=form)
    return render(request, "tickets/ticket_detail.html", context, status=409 if conflict else 400 if error or
                  form.errors else 200)


@login_required
@require_POST
def schedule(request: HttpRequest, work_order_id: int) -> HttpResponse:
    work_order = work_order_for(request.user, work_order_id)
    form = ScheduleForm(request.POST, prefix="schedule")
    return _answer(request, work_order, form, lambda d: actions.work_order_schedule(
        actor=request.user, work_order=work_order, expected_version=d["version"], technician=d["technician"],
        start=d["start"], end=d["end"], reason=d["reason"]), done=_("Visit booked."), form_key="schedule_form")


@login_required
@require_POST
def dispatch(request: HttpRequest, work_order_id: int) -> HttpResponse:
    work_order = work_order_for(request.user, work_order_id)
    form = StepForm(request.POST, prefix="step")
    return _answer(request, work_order, form, lambda d: actions.work_order_dispatch(
        actor=request.user, work_order=work_order, expected_version=d["version"]),
        done=_("Sent to the technician."), form_key="step_form")


@login_required
@require_POST
def accept(request: HttpRequest, work_order_id: int) -> HttpResponse:
    work_order = work_order_for(request.user, work_order_id)
    form = StepForm(request.POST, prefix="step")
    return _answer(request, work_order, form, lambda d: actions.work_order_accept(
        actor=request.user, work_order=work_order, expected_version=d["version"]),
        done=_("Accepted."), form_key="step_form")


@login_required
@require_POST
def step(request: HttpRequest, work_order_id: int) -> HttpResponse:
    work_order = work_order_for(request.user, work_order_id)
    form = StepForm(request.POST, prefix="step")
    return _answer(request, work_order, form, lambda d: actions.work_order_move(
        actor=request.user, work_order=work_order, expected_version=d["version"], move=d["move"],
        reason=d["reason"], findings=d["findings"], work_done=d["work_done"], outcome=d["outcome"]),
        done=_("Recorded."), form_key="step_form", extra={"failed_move": request.POST.get("step-move", "")})


@login_required
@require_POST
def sign_off(request: HttpRequest, work_order_id: int) -> HttpResponse:
    work_order = work_order_for(request.user, work_order_id)
    form = SignOffForm(request.POST, prefix="signoff")
    return _answer(request, work_order, form, lambda d: actions.work_order_complete(
        actor=request.user, work_order=work_order, expected_version=d["version"], work_done=d["work_done"],
        signer_name=d["signer_name"], satisfaction=d["satisfaction"], signature=d["signature"]),
        done=_("Signed off by the customer."), form_key="signoff_form")


def _slot_value(technician_id: int, slot) -> str:
    return f"{technician_id}|{slot.start.isoformat()}|{slot.end.isoformat()}"


@login_required
def book(request: HttpRequest, work_order_id: int) -> HttpResponse:
    """Book the visit (R4.5, R4.6): the technicians ranked for this order, with their reasons and
    their free slots from the working calendar; the dispatcher picks one slot."""
    work_order = work_order_for(request.user, work_order_id)
    if not next_steps(request.user, work_order)["can_schedule"]:
        raise PermissionDenied()
    form = BookForm(request.POST or None, prefix="book", initial={"version": work_order.version})
    conflict = None
    if request.method == "POST" and form.is_valid():
        technician_id, start, end = form.cleaned_data["slot"]
        technician = get_user_model().objects.filter(pk=technician_id).first()
        try:
            actions.work_order_schedule(actor=request.user, work_order=work_order,
                                        expected_version=form.cleaned_data["version"], technician=technician,
                                        start=start, end=end, reason=form.cleaned_data["reason"])
        except Conflict as exc:
            conflict = exc.message
        except FuwuError as exc:
            add_action_errors(exc, ("", form))
            if "start" in exc.errors or "technician" in exc.errors:
                form.add_error("slot", exc.errors.get("start", exc.errors.get("technician")))
        else:
            messages.success(request, _("Visit booked."))
            return redirect("fieldservice:detail", work_order.pk)
    candidates = [(c, [(_slot_value(c.profile.user_id, s), s) for s in c.slots[:6]])
                  for c in dispatch_candidates(work_order)]
    status = 409 if conflict else 400 if form.is_bound else 200
    return render(request, "fieldservice/book.html", {
        "wo": work_order, "form": form, "candidates": candidates, "conflict": conflict,
        "chosen": request.POST.get("book-slot", ""), "rebooking": work_order.status in (
            WorkOrderStatus.SCHEDULED, WorkOrderStatus.DISPATCHED)}, status=status)


@login_required
def pdf(request: HttpRequest, work_order_id: int) -> HttpResponse:
    """The work order as a PDF in Chinese, with the signature (R5.1)."""
    work_order = work_order_for(request.user, work_order_id)
    response = HttpResponse(work_order_pdf(work_order, parts=parts_used(work_order)), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{work_order.number}.pdf"'
    return response


@login_required
def timeliness(request: HttpRequest) -> HttpResponse:
    """Repair timeliness by month (R5.4), for those who oversee field work."""
    if not can(request.user, Perm.WORKORDER_VIEW):
        raise PermissionDenied()
    since, until = last_months(12)
    total, by_month = repair_timeliness(request.user, since=since, until=until)
    return render(request, "fieldservice/timeliness.html", {"total": total, "by_month": by_month, "since": since})


@login_required
@require_POST
def report_defect(request: HttpRequest, work_order_id: int) -> HttpResponse:
    work_order = work_order_for(request.user, work_order_id)
    form = DefectForm(request.POST, prefix="defect")
    return _answer(request, work_order, form, lambda d: actions.product_defect_report(
        actor=request.user, work_order=work_order, description=d["description"]),
        done=_("Sent to quality and R&D."), form_key="defect_form")


@login_required
def defects(request: HttpRequest) -> HttpResponse:
    """Product defects found in repairs (R5.3), newest first."""
    if not can(request.user, Perm.WORKORDER_VIEW):
        raise PermissionDenied()
    return render(request, "fieldservice/defects.html", {"defects": product_defects(request.user)[:200]})


@login_required
@require_POST
def use_part(request: HttpRequest, work_order_id: int) -> HttpResponse:
    """A part used on the repair, taken from the technician's own stock (R5.2)."""
    work_order = work_order_for(request.user, work_order_id)
    form = PartForm(request.POST, prefix="part", holdings=technician_holdings(request.user, request.user))
    return _answer(request, work_order, form, lambda d: actions.work_order_use_part(
        actor=request.user, work_order=work_order, item=d["item"], quantity=d["quantity"]),
        done=_("Part recorded."), form_key="part_form")


@login_required
def week(request: HttpRequest) -> HttpResponse:
    """The week's visits per technician, for a group or one technician (R4.5)."""
    if not (can(request.user, Perm.WORKORDER_VIEW) or can(request.user, Perm.WORKORDER_WORK)):
        raise PermissionDenied()
    day = parse_day(request.GET.get("day")) or timezone.localdate()
    group_id, technician_id = parse_id(request.GET.get("group")), parse_id(request.GET.get("technician"))
    days = week_of(day)
    return render(request, "fieldservice/week.html", {
        "days": days, "rows": week_board(request.user, days=days, group_id=group_id, technician_id=technician_id),
        "groups": Group.objects.filter(members__roles__code=Role.TECHNICIAN).distinct().order_by("code")
        if can(request.user, Perm.WORKORDER_VIEW) else [],
        "group_id": group_id, "technician_id": technician_id, "today": timezone.localdate(),
        "previous": days[0] - datetime.timedelta(days=7), "next": days[0] + datetime.timedelta(days=7),
    })
