"""The customer portal's pages (R3.1, R1.2): signing in, the home page, the customer's requests.

Thin views: parse, call one action or selector, render. Every page but signing in needs a portal
login (`Perm.PORTAL_USE` and an active contact): staff get 403, and another customer's request
number is 404, exactly as a number that does not exist.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fuwu.core.errors import Conflict, FuwuError, InvalidInput
from fuwu.core.forms import add_action_errors
from fuwu.core.request_context import client_ip
from fuwu.core.validation import parse_id
from fuwu.org.actions import login_success_record
from fuwu.org.policy import Perm, permission_denied
from fuwu.portal import actions
from fuwu.portal.forms import ConfirmForm, LinkForm, ReopenForm, ReplyForm, RequestForm
from fuwu.portal.selectors import (
    STATUS_BADGE,
    access_attachment,
    access_request,
    customer_status,
    is_portal_login,
    open_request_count,
    own_products,
    portal_contact,
    portal_service_types,
    request_actions,
    request_page,
    request_timeline,
    requests_of,
    surveys_waiting,
)
from fuwu.tickets.actions import MoveNotAllowed
from fuwu.tickets.models import Ticket

portal_login_required = login_required(login_url=reverse_lazy("portal:signin"))


def _contact(request: HttpRequest):
    contact = portal_contact(request.user)
    if contact is None:
        raise permission_denied(Perm.PORTAL_USE)
    return contact


def _rows(tickets) -> list[dict]:
    return [{"ticket": t, "status": customer_status(t.status), "badge": STATUS_BADGE.get(t.status, "")}
            for t in tickets]


# --- Signing in ----------------------------------------------------------------------------------


def signin(request: HttpRequest) -> HttpResponse:
    """Ask for a one-time link by e-mail; the answer is the same whether or not the address is known."""
    if request.user.is_authenticated and is_portal_login(request.user):
        return redirect("portal:home")
    form = LinkForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        actions.login_link_send(
            email=form.cleaned_data["email"],
            build_url=lambda token: request.build_absolute_uri(reverse("portal:link", args=[token])),
        )
        return redirect(f"{reverse('portal:signin')}?sent=1")
    return render(request, "portal/signin.html", {"form": form, "sent": request.GET.get("sent") == "1",
                                                  "minutes": settings.FUWU_PORTAL_LINK_MINUTES},
                  status=400 if form.errors else 200)


def link(request: HttpRequest, token: str) -> HttpResponse:
    """The link from the e-mail. Opening it changes nothing (mail scanners open links too); the button signs in."""
    error = ""
    if request.method == "POST":
        try:
            user = actions.login_link_redeem(token=token, ip_address=client_ip(request))
        except FuwuError as exc:
            error = exc.message
        else:
            login(request, user, backend="fuwu.org.auth.LockoutBackend")
            login_success_record(user=user, ip_address=client_ip(request))
            return redirect("portal:home")
    return render(request, "portal/link.html", {"token": token, "error": error}, status=400 if error else 200)


# --- Home and the list ---------------------------------------------------------------------------


@portal_login_required
def home(request: HttpRequest) -> HttpResponse:
    contact = _contact(request)
    today = timezone.localdate()
    recent = list(requests_of(request.user).only("number", "title", "status", "updated_at").order_by("-id")[:5])
    return render(request, "portal/home.html", {
        "contact": contact,
        "customer": contact.customer,
        "open_count": open_request_count(request.user),
        "recent": _rows(recent),
        "products": [(p, p.warranty_status(today)) for p in own_products(request.user)],
        "surveys": surveys_waiting(request.user),
    })


@portal_login_required
def request_list(request: HttpRequest) -> HttpResponse:
    _contact(request)
    page = request_page(request.user, request.GET.get("page"))
    return render(request, "portal/request_list.html", {"page": page, "rows": _rows(page.object_list)})


# --- Filing a request ----------------------------------------------------------------------------

# The action's field names as the form calls them.
_FIELD = {"service_type_id": "service_type", "product_id": "product"}


def _place(exc: InvalidInput, form) -> None:
    """Each error beside its field; those about the customer's record (a phone a type needs) above the form."""
    placed = False
    for key, errors in exc.errors.items():
        name = _FIELD.get(key, key)
        for message in errors:
            form.add_error(name if name in form.fields else None, message)
            placed = True
    if not placed:
        add_action_errors(exc, ("", form))


@portal_login_required
def request_new(request: HttpRequest) -> HttpResponse:
    contact = _contact(request)
    options = {"service_types": portal_service_types(), "products": own_products(request.user)}
    if request.method == "POST":
        form = RequestForm(request.POST, request.FILES, **options)
        if form.is_valid():
            d = form.cleaned_data
            data = actions.RequestInput(
                service_type_id=d["service_type"], title=d["title"], description=d["description"],
                product_id=d["product"], site_address=d["site_address"], occurred_since=d["occurred_since"])
            try:
                ticket = actions.portal_request_file(actor=request.user, data=data, files=d["attachments"])
            except InvalidInput as exc:
                _place(exc, form)
            else:
                messages.success(request, _("Thank you. Your request %(number)s is registered; we will be in touch.")
                                 % {"number": ticket.number})
                return redirect("portal:request", ticket.number)
    else:
        address = contact.customer.addresses.filter(is_active=True).first()
        form = RequestForm(initial={"site_address": address.line if address else ""}, **options)
    had_files = request.method == "POST" and bool(request.FILES)
    return render(request, "portal/request_form.html", {"form": form, "contact": contact, "had_files": had_files},
                  status=400 if form.errors else 200)


# --- One request ---------------------------------------------------------------------------------


def _detail(request: HttpRequest, ticket: Ticket, *, status: int = 200, **overrides) -> HttpResponse:
    context = {
        "ticket": ticket,
        "status_label": customer_status(ticket.status),
        "badge": STATUS_BADGE.get(ticket.status, ""),
        "timeline": request_timeline(request.user, ticket),
        "reply_form": overrides.get("reply_form") or ReplyForm(),
        "confirm_form": ConfirmForm(initial={"version": ticket.version}),
        "reopen_form": overrides.get("reopen_form") or ReopenForm(initial={"version": ticket.version}),
        "open_reopen": "reopen_form" in overrides,
        "confirm_errors": overrides["confirm_form"].non_field_errors() if "confirm_form" in overrides else [],
        **request_actions(request.user, ticket),
    }
    return render(request, "portal/request_detail.html", context, status=status)


@portal_login_required
def request_detail(request: HttpRequest, number: str) -> HttpResponse:
    _contact(request)
    return _detail(request, access_request(request.user, number))


@portal_login_required
@require_POST
def request_reply(request: HttpRequest, number: str) -> HttpResponse:
    _contact(request)
    ticket = access_request(request.user, number)
    form = ReplyForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            actions.portal_request_reply(actor=request.user, ticket=ticket, body=form.cleaned_data["body"],
                                         files=form.cleaned_data["attachments"])
        except InvalidInput as exc:
            _place(exc, form)
        else:
            messages.success(request, _("Your message is sent."))
            return redirect("portal:request", ticket.number)
    return _detail(request, ticket, status=400, reply_form=form)


def _move(request: HttpRequest, number: str, form_class, call, done: str, form_key: str) -> HttpResponse:
    _contact(request)
    ticket = access_request(request.user, number)
    form = form_class(request.POST)
    if form.is_valid():
        try:
            call(ticket, form.cleaned_data)
        except Conflict:
            messages.warning(request, _("The request changed while you were reading it. Here it is as it is now."))
            return redirect("portal:request", ticket.number)
        except InvalidInput as exc:
            _place(exc, form)
        except MoveNotAllowed as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, done)
            return redirect("portal:request", ticket.number)
    return _detail(request, access_request(request.user, number), status=400, **{form_key: form})


@portal_login_required
@require_POST
def request_confirm(request: HttpRequest, number: str) -> HttpResponse:
    return _move(request, number, ConfirmForm, lambda t, d: actions.portal_request_confirm(
        actor=request.user, ticket=t, expected_version=d["version"]),
        _("Thank you for confirming. The request is closed."), "confirm_form")


@portal_login_required
@require_POST
def request_reopen(request: HttpRequest, number: str) -> HttpResponse:
    return _move(request, number, ReopenForm, lambda t, d: actions.portal_request_reopen(
        actor=request.user, ticket=t, expected_version=d["version"], reason=d["reason"]),
        _("The request is reopened; we will look at it again."), "reopen_form")


@portal_login_required
def attachment(request: HttpRequest, number: str, attachment_id: int) -> FileResponse:
    """A file of a reply or of the customer's own messages; images inline, other files downloaded."""
    _contact(request)
    ticket = access_request(request.user, number)
    found = access_attachment(request.user, ticket, parse_id(str(attachment_id)) or 0)
    return FileResponse(found.file.open("rb"), content_type=found.content_type, as_attachment=not found.is_image,
                        filename=found.name)
