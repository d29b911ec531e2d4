"""Customer archive pages (R2): parse, call an action or selector, render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fuwu.core.errors import Conflict, InvalidInput, RateLimited
from fuwu.core.forms import add_action_errors
from fuwu.core.querysets import capped_count
from fuwu.core.validation import parse_id
from fuwu.customers import actions
from fuwu.customers.completeness import completeness_items
from fuwu.customers.forms import AddressForm, ContactForm, CustomerEditForm, CustomerForm, ProductForm, ReasonForm
from fuwu.customers.identifiers import normalise_phone
from fuwu.customers.models import CustomerClass, CustomerKind
from fuwu.customers.panels import customer_actions, customer_panels
from fuwu.customers.selectors import (
    COUNT_CAP,
    PAGE_SIZE,
    CustomerFilters,
    access_contact,
    access_customer,
    customer_detail,
    customer_history,
    customer_lookup_by_phone,
    customer_page,
    customer_search,
    phone_searched,
)
from fuwu.org.models import Region
from fuwu.org.policy import Perm, can, require


def _filters_from(params) -> CustomerFilters:
    region = params.get("region", "")
    return CustomerFilters(
        q=params.get("q", "")[:100],
        customer_class=params.get("customer_class", "") if params.get("customer_class") in CustomerClass.values else "",
        kind=params.get("kind", "") if params.get("kind") in CustomerKind.values else "",
        region_id=parse_id(region),
        industry=params.get("industry", "")[:64],
        incomplete=params.get("incomplete") == "1",
        include_archived=params.get("archived") == "1",
    )


@login_required
def customer_list(request):
    require(request.user, Perm.CUSTOMER_ALL)
    filters = _filters_from(request.GET)
    page = min(parse_id(request.GET.get("page", "")) or 1, COUNT_CAP // PAGE_SIZE + 1)
    try:
        if phone := phone_searched(filters):
            actions.phone_lookup_record(actor=request.user, phone=phone)
        rows, has_more = customer_page(request.user, filters, page=page)
        count, more_than = capped_count(customer_search(request.user, filters), cap=COUNT_CAP)
    except RateLimited as exc:
        messages.error(request, exc.message)
        rows, has_more, count, more_than = [], False, 0, False
    query = request.GET.copy()
    query.pop("before", None)
    query.pop("page", None)
    context = {
        "rows": rows,
        "page_number": page,
        "page_count": max(page, -(-count // PAGE_SIZE)),
        "has_next": has_more,
        "count": count,
        "count_capped": more_than,
        "filters": filters,
        "query": query.urlencode(),
        "regions": Region.objects.all(),
        "classes": CustomerClass.choices,
        "kinds": CustomerKind.choices,
    }
    template = "customers/customer_list.html#results" if request.htmx else "customers/customer_list.html"
    return render(request, template, context)


@login_required
def customer_lookup(request):
    """Who is calling (R2.3): one match opens the record, several are listed, none offers to register."""
    require(request.user, Perm.CUSTOMER_ALL)
    phone = request.GET.get("phone", "").strip()
    matches = []
    if normalised := normalise_phone(phone):
        try:
            actions.phone_lookup_record(actor=request.user, phone=normalised)
            matches = customer_lookup_by_phone(request.user, normalised)
        except RateLimited as exc:
            messages.error(request, exc.message)
    if len(matches) == 1:
        return redirect("customers:detail", matches[0].customer.pk)
    return render(request, "customers/customer_lookup.html", {"phone": phone, "matches": matches})


def _detail_context(request, customer) -> dict:
    today = timezone.localdate()
    detail = customer_detail(request.user, customer)
    return {
        "customer": customer,
        **detail,
        "products": [(p, p.warranty_status(today)) for p in detail["products"]],
        "missing": [i for i in completeness_items(customer) if not i.present],
        "history": customer_history(request.user, customer),
        "panels": customer_panels(request.user, customer),
        "header_actions": customer_actions(request.user, customer),
        "can_edit": can(request.user, Perm.CUSTOMER_EDIT),
        "contact_form": ContactForm(prefix="contact"),
        "address_form": AddressForm(prefix="address"),
        "product_form": ProductForm(prefix="product"),
    }


@login_required
def customer_detail_view(request, customer_id: int):
    customer = access_customer(request.user, customer_id)
    return render(request, "customers/customer_detail.html", _detail_context(request, customer))


@login_required
def customer_create(request):
    require(request.user, Perm.CUSTOMER_CREATE)
    initial_phone = request.GET.get("phone", "")
    customer_form = CustomerForm(request.POST or None)
    contact_form = ContactForm(request.POST or None, prefix="contact", initial={"phone": initial_phone})
    address_form = AddressForm(request.POST or None, prefix="address", use_required_attribute=False)
    duplicates = []
    if request.method == "POST":
        # The address is optional: only a started one is validated (and its errors shown).
        address_given = any(request.POST.get(f"address-{f}", "").strip() for f in ("label", "line", "postal_code"))
        if not address_given:
            address_form = AddressForm(prefix="address", use_required_attribute=False)
        address_ok = address_form.is_valid() if address_given else True
        if customer_form.is_valid() and contact_form.is_valid() and address_ok:
            try:
                customer = actions.customer_create(
                    actor=request.user,
                    customer=customer_form.to_input(),
                    contact=contact_form.to_input(),
                    address=address_form.to_input() if address_given else None,
                    confirm_duplicate=request.POST.get("confirm_duplicate") == "1",
                )
            except actions.DuplicateSuspected as exc:
                duplicates = exc.data["matches"]
            except InvalidInput as exc:
                add_action_errors(exc, ("", customer_form), ("contact_", contact_form), ("address_", address_form))
            else:
                messages.success(request, _("Customer %(name)s registered.") % {"name": customer.name})
                return redirect("customers:detail", customer.pk)
    return render(
        request,
        "customers/customer_form.html",
        {"form": customer_form, "contact_form": contact_form, "address_form": address_form,
         "duplicates": duplicates, "creating": True},
    )


@login_required
def customer_edit(request, customer_id: int):
    customer = access_customer(request.user, customer_id, for_write=True)
    initial = {
        "kind": customer.kind, "name": customer.name, "customer_class": customer.customer_class,
        "industry": customer.industry, "region": customer.region_id,
        "identity_number": customer.identity_number, "notes": customer.notes, "version": customer.version,
    }
    form = CustomerEditForm(request.POST or None, initial=initial)
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            actions.customer_update(
                actor=request.user, customer=customer, expected_version=form.cleaned_data["version"],
                data=form.to_input(),
            )
        except Conflict as exc:
            # Keep what the user typed, show what is there now, and let them save over it knowingly.
            conflict = {"message": exc.message, "current": access_customer(request.user, customer_id)}
            form.data = form.data.copy()
            form.data["version"] = conflict["current"].version
        except InvalidInput as exc:
            add_action_errors(exc, ("", form))
        else:
            messages.success(request, _("Changes saved."))
            return redirect("customers:detail", customer.pk)
    return render(request, "customers/customer_form.html",
                  {"form": form, "customer": customer, "conflict": conflict, "creating": False})


@login_required
@require_POST
def customer_archive(request, customer_id: int):
    customer = access_customer(request.user, customer_id, for_write=True)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give a reason to archive or restore a customer."))
        return redirect("customers:detail", customer.pk)
    try:
        actions.customer_set_active(
            actor=request.user, customer=customer, expected_version=form.cleaned_data["version"] or customer.version,
            active=not customer.is_active, reason=form.cleaned_data["reason"],
        )
    except Conflict as exc:
        messages.error(request, exc.message)
    return redirect("customers:detail", customer.pk)


def _add_related(request, customer_id: int, form_class, prefix: str, action):
    customer = access_customer(request.user, customer_id, for_write=True)
    form = form_class(request.POST, prefix=prefix)
    if form.is_valid():
        try:
            action(actor=request.user, customer=customer, data=form.to_input())
        except InvalidInput as exc:
            add_action_errors(exc, ("", form))
        else:
            messages.success(request, _("Saved."))
            return redirect("customers:detail", customer.pk)
    # The page again, with this form open, its errors beside the fields and everything typed kept.
    context = {**_detail_context(request, customer), f"{prefix}_form": form, "open_form": prefix}
    return render(request, "customers/customer_detail.html", context, status=400)


@login_required
@require_POST
def contact_add(request, customer_id: int):
    return _add_related(request, customer_id, ContactForm, "contact", actions.contact_add)


@login_required
@require_POST
def address_add(request, customer_id: int):
    return _add_related(request, customer_id, AddressForm, "address", actions.address_add)


@login_required
@require_POST
def product_add(request, customer_id: int):
    return _add_related(request, customer_id, ProductForm, "product", actions.product_add)


@login_required
@require_POST
def contact_deactivate(request, customer_id: int, contact_id: int):
    customer = access_customer(request.user, customer_id, for_write=True)
    contact = access_contact(request.user, customer, contact_id)
    form = ReasonForm(request.POST)
    if form.is_valid():
        actions.contact_deactivate(actor=request.user, contact=contact, reason=form.cleaned_data["reason"])
        messages.success(request, _("Contact %(name)s marked as no longer current.") % {"name": contact.name})
    else:
        messages.error(request, _("Give a reason."))
    return redirect("customers:detail", customer.pk)


@login_required
@require_POST
def reveal(request, customer_id: int):
    """Reveal one masked value (R2.2); answers an HTMX swap with the clear value."""
    customer = access_customer(request.user, customer_id)
    field = request.POST.get("field", "")
    contact_id = request.POST.get("contact", "")
    contact = access_contact(request.user, customer, contact_id) if (contact_id := parse_id(contact_id)) else None
    try:
        value = actions.customer_reveal(actor=request.user, customer=customer, field=field, contact=contact)
    except InvalidInput as exc:
        return HttpResponseBadRequest(exc.message)
    return HttpResponse(format_html('<span class="revealed">{}</span>', value or "—"))
