"""Materials ledger pages (R13.2): parse, call an action or selector, render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from fuwu.core.errors import Conflict, InvalidInput
from fuwu.core.forms import add_action_errors
from fuwu.core.validation import parse_id
from fuwu.materials import actions
from fuwu.materials.forms import AdjustmentForm, ItemEditForm, ItemForm, ReceiptForm, RequisitionForm, ReturnForm
from fuwu.materials.selectors import (
    ItemFilters,
    MovementFilters,
    access_item,
    item_holdings,
    items_with_stock,
    movement_page,
    sees_all,
    stock_value,
    technician_holdings,
    technicians,
)
from fuwu.org.policy import Perm, can, require

PAGE_SIZE = 50  # items per page of the ledger


@login_required
def item_list(request):
    require(request.user, Perm.MATERIALS_VIEW)
    filters = ItemFilters(q=request.GET.get("q", "")[:100], low_only=request.GET.get("low") == "1",
                          include_inactive=request.GET.get("inactive") == "1")
    all_seen = sees_all(request.user)
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "page": Paginator(items_with_stock(request.user, filters), PAGE_SIZE).get_page(request.GET.get("page")),
        "query": query.urlencode(),
        "filters": filters,
        "sees_all": all_seen,
        "stock_value": stock_value(request.user) if all_seen else None,
        "can_manage": can(request.user, Perm.MATERIALS_MANAGE),
    }
    template = "materials/item_list.html#results" if request.htmx else "materials/item_list.html"
    return render(request, template, context)


@login_required
def item_detail(request, item_id: int):
    item = access_item(request.user, item_id)
    before = parse_id(request.GET.get("before", ""))
    rows, has_more = movement_page(request.user, MovementFilters(item_id=item.pk), before_id=before)
    holdings = item_holdings(request.user, item)
    context = {
        "item": item,
        "holdings": holdings,
        "movements": rows,
        "next_before": rows[-1].pk if has_more else None,
        "next_query": f"before={rows[-1].pk}" if has_more else "",
        "first_query": "before=" if before else "",
        "sees_all": sees_all(request.user),
        "can_manage": can(request.user, Perm.MATERIALS_MANAGE),
        "holds_some": any(h.holder_id == request.user.pk and h.quantity for h in holdings),
    }
    return render(request, "materials/item_detail.html", context)


def _item_initial(item) -> dict:
    return {"code": item.code, "name": item.name, "specification": item.specification, "unit": item.unit,
            "unit_cost": item.unit_cost, "reorder_level": item.reorder_level, "is_active": item.is_active,
            "version": item.version}


@login_required
def item_create(request):
    require(request.user, Perm.MATERIALS_MANAGE)
    form = ItemForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            item = actions.item_create(actor=request.user, data=form.to_input())
        except InvalidInput as exc:
            add_action_errors(exc, ("", form))
        else:
            messages.success(request, _("Item %(item)s registered.") % {"item": item})
            return redirect("materials:detail", item.pk)
    return render(request, "materials/item_form.html", {"form": form, "creating": True})


@login_required
def item_edit(request, item_id: int):
    item = access_item(request.user, item_id, for_write=True)
    form = ItemEditForm(request.POST or None, initial=_item_initial(item))
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            actions.item_update(actor=request.user, item=item, expected_version=form.cleaned_data["version"],
                                data=form.to_input())
        except Conflict as exc:
            # Keep what the user typed, show what is there now, and let them save over it knowingly.
            conflict = {"message": exc.message, "current": access_item(request.user, item_id)}
            form.data = form.data.copy()
            form.data["version"] = conflict["current"].version
        except InvalidInput as exc:
            add_action_errors(exc, ("", form))
        else:
            messages.success(request, _("Changes saved."))
            return redirect("materials:detail", item.pk)
    return render(request, "materials/item_form.html",
                  {"form": form, "item": item, "conflict": conflict, "creating": False})


def _stock_page(request, item, form, title, run):
    """Show the movement's form; on a valid post run the action, or show its errors beside the fields."""
    if request.method == "POST" and form.is_valid():
        try:
            run(form.cleaned_data)
        except InvalidInput as exc:
            add_action_errors(exc, ("", form))
        else:
            messages.success(request, _("Recorded."))
            return redirect("materials:detail", item.pk)
    holdings = item_holdings(request.user, item)
    return render(request, "materials/stock_form.html",
                  {"form": form, "item": item, "title": title, "holdings": holdings})


@login_required
def stock_receive(request, item_id: int):
    item = access_item(request.user, item_id, for_write=True)
    form = ReceiptForm(request.POST or None)
    return _stock_page(request, item, form, _("Receive into the store"), lambda d: actions.stock_receive(
        actor=request.user, item=item, quantity=d["quantity"], unit_cost=d["unit_cost"],
        reference=d["reference"], note=d["note"]))


@login_required
def stock_requisition(request, item_id: int):
    item = access_item(request.user, item_id, for_write=True)
    form = RequisitionForm(request.POST or None, technicians=technicians(request.user))
    return _stock_page(request, item, form, _("Issue to a technician"), lambda d: actions.stock_requisition(
        actor=request.user, item=item, quantity=d["quantity"], technician=d["technician"], note=d["note"]))


@login_required
def stock_return(request, item_id: int):
    item = access_item(request.user, item_id)
    manager = can(request.user, Perm.MATERIALS_MANAGE)
    if not manager:
        require(request.user, Perm.WORKORDER_WORK)
    form = ReturnForm(request.POST or None, technicians=technicians(request.user), own=not manager)
    return _stock_page(request, item, form, _("Return to the store"), lambda d: actions.stock_return(
        actor=request.user, item=item, quantity=d["quantity"], technician=d.get("technician") or request.user,
        note=d["note"]))


@login_required
def stock_adjust(request, item_id: int):
    item = access_item(request.user, item_id, for_write=True)
    form = AdjustmentForm(request.POST or None, technicians=technicians(request.user))
    return _stock_page(request, item, form, _("Correct the count"), lambda d: actions.stock_adjust(
        actor=request.user, item=item, counted=d["counted"], reason=d["reason"], holder=d["technician"]))


@login_required
def my_parts(request):
    require(request.user, Perm.MATERIALS_VIEW)
    rows, _more = movement_page(request.user, MovementFilters(technician_id=request.user.pk), size=20)
    return render(request, "materials/my_parts.html", {
        "holdings": technician_holdings(request.user, request.user),
        "movements": rows,
        "can_return": can(request.user, Perm.WORKORDER_WORK),
    })
