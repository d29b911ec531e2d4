"""Service request pages (R3, R4): the agent workspace, intake at first contact, the ticket page.

Thin views: parse, call a selector or action, render. The POST endpoints of the ticket page live
in `views_actions`; each answers an HTMX request with the ticket panel fragment.
"""

from typing import Any

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from fuwu.core.errors import InvalidInput, NotFound
from fuwu.core.forms import add_action_errors
from fuwu.core.querysets import capped_count
from fuwu.core.validation import parse_day, parse_id
from fuwu.customers.models import CustomerClass
from fuwu.customers.selectors import access_contact, access_customer, customer_lookup_by_phone
from fuwu.org.models import Group, Region
from fuwu.org.policy import Perm, can, require
from fuwu.standards.models import Channel, ClockKind, Priority, ServiceKind, ServiceType
from fuwu.tickets import actions
from fuwu.tickets.forms import (
    ArrivalForm,
    DeclineForm,
    EntryForm,
    HandOverForm,
    IntakeForm,
    MajorForm,
    MoveForm,
    ReassignForm,
    ReclassifyForm,
    RepeatForm,
    RulingRecordForm,
    RulingRequestForm,
    TierForm,
    rename_error_keys,
)
from fuwu.tickets.lifecycle import Move, Status, Tier
from fuwu.tickets.models import Attachment, Ticket
from fuwu.tickets.panels import TICKET_PAGE
from fuwu.tickets.presenters import queue_rows, queue_rows_html
from fuwu.tickets.selectors import (
    COUNT_CAP,
    QUEUE_LABELS,
    SORTS,
    Queue,
    TicketFilters,
    access_ticket,
    apply_filters,
    cursor_of,
    open_tickets_for_phone,
    queue_counts,
    queue_queryset,
    queues_for,
    ticket_actions_for,
    ticket_page,
    ticket_timeline,
)
from fuwu.tickets.selectors_sla import ticket_clocks, working_time_left

SORT_LABELS = {"newest": gettext_lazy("Newest first"), "oldest": gettext_lazy("Oldest first"),
               "received": gettext_lazy("Received"), "updated": gettext_lazy("Recently changed")}


_int = parse_id  # ids from the query string: ASCII digits within the database's range, else None


def _filters_from(params) -> TicketFilters:
    status = params.get("status", "")
    return TicketFilters(
        q=params.get("q", "")[:100],
        service_type_id=_int(params.get("type")),
        statuses=[status] if status in Status.values else [],
        priority=params.get("priority", "") if params.get("priority") in Priority.values else "",
        group_id=_int(params.get("group")),
        region_id=_int(params.get("region")),
        customer_id=_int(params.get("customer")),
        received_from=parse_day(params.get("from")),
        received_to=parse_day(params.get("to")),
        major_only=params.get("major") == "1",
        sort=params.get("sort", "") if params.get("sort") in SORTS else "newest",
        kind=params.get("kind", "") if params.get("kind") in ServiceKind.values else "",
        open_only=params.get("open") == "1",
        owner_id=_int(params.get("owner")),
        sla_state=params.get("sla", "") if params.get("sla") in ("warning", "breached") else "",
        channel=params.get("channel", "") if params.get("channel") in Channel.values else "",
        customer_class=params.get("customer_class", "") if params.get("customer_class") in CustomerClass.values else "",
        resolved_from=parse_day(params.get("resolved_from")),
        resolved_to=parse_day(params.get("resolved_to")),
        breached_from=parse_day(params.get("breached_from")),
        breached_to=parse_day(params.get("breached_to")),
        clock=params.get("clock", "") if params.get("clock") in ClockKind.values else "",
    )


_FIGURE_PARAMS = ("open", "owner", "sla", "kind", "channel", "customer_class", "resolved_from", "resolved_to",
                  "breached_from", "breached_to", "clock")


def _figure_filters(filters: TicketFilters) -> list[str]:
    """What the filters a figure of the quality pages adds say, in words (they have no field on the page)."""
    said = []
    if filters.open_only:
        said.append(_("open only"))
    if filters.owner_id:
        owner = get_user_model().objects.filter(pk=filters.owner_id).first()
        said.append(_("owner %(name)s") % {"name": (owner.get_full_name() or owner.username) if owner else "—"})
    if filters.sla_state:
        said.append(_("past the time limit") if filters.sla_state == "breached" else _("near the time limit"))
    for value, choices in ((filters.kind, ServiceKind), (filters.channel, Channel),
                           (filters.customer_class, CustomerClass)):
        if value:
            said.append(str(choices(value).label))
    if filters.resolved_from or filters.resolved_to:
        said.append(_("resolved %(from)s – %(to)s") % {"from": filters.resolved_from or "…",
                                                        "to": filters.resolved_to or "…"})
    if filters.breached_from or filters.breached_to or filters.clock:
        said.append(_("%(clock)s breached %(from)s – %(to)s") % {
            "clock": ClockKind(filters.clock).label if filters.clock else _("a time limit"),
            "from": filters.breached_from or "…", "to": filters.breached_to or "…"})
    return said


def _with(query: QueryDict, **params: str) -> str:
    """The query string with these parameters set (a next page's cursor)."""
    changed = query.copy()
    for key, value in params.items():
        changed[key] = value
    return changed.urlencode()


@login_required
def workspace(request: HttpRequest) -> HttpResponse:
    """The queues (mine, my group's, unassigned, hand-overs for me, my first-contact requests, all)."""
    require(request.user, Perm.TICKET_VIEW)
    queues = queues_for(request.user)
    raw = request.GET.get("queue", "")
    queue = Queue(raw) if raw in [q.value for q in queues] else queues[0]
    try:
        filters = _filters_from(request.GET)
    except ValueError:  # a malformed date
        filters = TicketFilters()
    now = timezone.now()
    rows, has_more = ticket_page(request.user, queue, filters, after=request.GET.get("after", "")[:100])
    presented = queue_rows(rows, now, working_time_left(rows, now=now))
    count, capped = capped_count(apply_filters(queue_queryset(request.user, queue), filters), cap=COUNT_CAP)
    query = request.GET.copy()
    query.pop("after", None)
    query["queue"] = queue.value
    counts = queue_counts(request.user)
    customer = None
    if filters.customer_id:
        try:
            customer = access_customer(request.user, filters.customer_id)
        except NotFound:
            customer = None
    context = {
        "queue": queue,
        "tabs": [(q, QUEUE_LABELS[q], *counts[q]) for q in queues],
        "rows": presented,
        "rows_html": queue_rows_html(presented),
        "next_after": cursor_of(rows[-1], filters.sort) if has_more else "",
        "next_query": _with(query, after=cursor_of(rows[-1], filters.sort)) if has_more else "",
        "first_query": query.urlencode() if request.GET.get("after") else "",
        "count": count,
        "count_capped": capped,
        "filters": filters,
        "filter_customer": customer,
        "figure_filters": _figure_filters(filters),
        "figure_params": [(k, request.GET[k][:20]) for k in _FIGURE_PARAMS if request.GET.get(k)],
        "query": query.urlencode(),
        "service_types": ServiceType.objects.filter(is_active=True),
        "groups": Group.objects.all(),
        "regions": Region.objects.all(),
        "statuses": Status.choices,
        "priorities": Priority.choices,
        "sorts": list(SORT_LABELS.items()),
        "can_register": can(request.user, Perm.TICKET_WORK),
    }
    template = "tickets/workspace.html#results" if request.htmx else "tickets/workspace.html"
    return render(request, template, context)


def _intake_initial(request: HttpRequest) -> dict[str, Any]:
    """What the intake form starts with: the caller's number, a chosen customer and contact."""
    params = request.GET
    initial: dict[str, Any] = {k: v for k, v in params.items() if k in IntakeForm.base_fields}
    phone = params.get("phone", "").strip()
    if phone and not initial.get("contact_phone"):
        initial["contact_phone"] = phone
    if "use_customer" in params:
        initial["customer"] = _int(params.get("use_customer"))
        contact_id = _int(params.get("use_contact"))
        if initial["customer"] and contact_id:
            customer = access_customer(request.user, initial["customer"])
            contact = access_contact(request.user, customer, contact_id)
            initial["contact_name"] = contact.name
            initial["contact_phone"] = contact.phone or initial.get("contact_phone", "")
            _site_of(customer, initial)
    elif phone and "customer" not in params:
        matches = customer_lookup_by_phone(request.user, phone)
        if len(matches) == 1:  # one customer has this number: take it at once (R2.3)
            initial.update(customer=matches[0].customer.pk, contact_name=matches[0].contact.name)
            _site_of(matches[0].customer, initial)
    return initial


def _site_of(customer, initial: dict[str, Any]) -> None:
    """A repair's site starts as the customer's registered address and region (the agent may change it)."""
    address = customer.addresses.filter(is_active=True).order_by("id").first()
    if address is not None:
        initial.setdefault("site_address", address.line)
    region_id = (address.region_id if address else None) or customer.region_id
    if region_id and not initial.get("region"):
        initial["region"] = region_id


def _chosen_customer(request: HttpRequest, form: IntakeForm):
    raw = form.data.get("customer") if form.is_bound else form.initial.get("customer")
    customer_id = raw if isinstance(raw, int) else _int(str(raw or ""))
    if not customer_id:
        return None
    try:
        return access_customer(request.user, customer_id)
    except NotFound:
        return None


def _caller_context(request: HttpRequest, phone: str) -> dict[str, Any]:
    return {
        "phone": phone,
        "matches": customer_lookup_by_phone(request.user, phone) if phone else [],
        "open_tickets": open_tickets_for_phone(request.user, phone) if phone else [],
        "repeat_form": RepeatForm(prefix="repeat"),
    }


@login_required
def intake(request: HttpRequest) -> HttpResponse:
    """Register a request at first contact (R3.3), settle it at once, or mark it retroactive or major."""
    require(request.user, Perm.TICKET_WORK)
    phone = request.GET.get("phone", "").strip()[:40]
    if request.method == "POST":
        form = IntakeForm(request.POST)
        if form.is_valid():
            try:
                ticket = actions.ticket_register(
                    actor=request.user, data=form.to_input(), settle_with_resolution=form.cleaned_data["settle"],
                    retroactive=form.cleaned_data["retroactive"], major=form.cleaned_data["major"],
                )
            except InvalidInput as exc:
                exc.errors = rename_error_keys(exc.errors)
                add_action_errors(exc, ("", form))
            else:
                messages.success(request, _("Request %(number)s registered.") % {"number": ticket.number})
                return redirect("tickets:detail", ticket.pk)
        phone = request.POST.get("phone", phone).strip()[:40]
    else:
        form = IntakeForm(initial=_intake_initial(request))
    context = {"form": form, "customer": _chosen_customer(request, form), **_caller_context(request, phone)}
    if request.htmx and request.GET.get("part") == "fields":
        return render(request, "tickets/intake.html#fields", context)
    return render(request, "tickets/intake.html", context, status=400 if form.errors else 200)


@login_required
def caller_panel(request: HttpRequest) -> HttpResponse:
    """Who is calling, and what they already have open (R2.3, R3.4): an HTMX fragment of the intake page."""
    require(request.user, Perm.TICKET_WORK)
    phone = request.GET.get("phone", "").strip()[:40]
    return render(request, "tickets/intake.html#caller", _caller_context(request, phone))


def _event_detail(event, group_names: dict[str, str]) -> str:
    """One line saying what an event changed, in the reader's language."""
    p = event.payload or {}
    parts = []
    if event.action == "ticket.moved" and p.get("from") in Status.values and p.get("to") in Status.values:
        parts.append(f"{Status(p['from']).label} → {Status(p['to']).label}")
        if p.get("automatic"):
            parts.append(_("automatically"))
    if event.action == "ticket.tier_changed" and p.get("from") in Tier.values and p.get("to") in Tier.values:
        parts.append(f"{Tier(p['from']).label} → {Tier(p['to']).label}")
        if p.get("customer_authorised"):
            parts.append(_("authorised by the customer"))
    if event.action == "ticket.handover_requested" and p.get("to_group"):
        parts.append(_("to %(group)s") % {"group": group_names.get(p["to_group"], p["to_group"])})
    if event.action == "ticket.registered" and p.get("retroactive"):
        parts.append(_("registered after the fact"))
    for key in ("resolution", "reason", "note", "question", "ruling"):
        if p.get(key):
            parts.append(str(p[key]))
    return " · ".join(parts)


def _timeline(request: HttpRequest, ticket: Ticket) -> list[dict[str, Any]]:
    """The selector's timeline with each correction shown under the entry it supersedes (R4.9)."""
    items = ticket_timeline(request.user, ticket)
    group_names = dict(Group.objects.values_list("code", "name"))
    corrections = {i["entry"].supersedes_id: i for i in items if "entry" in i and i["entry"].supersedes_id}
    shown = []
    for item in items:
        if "event" in item:
            item["detail"] = _event_detail(item["event"], group_names)
        elif item["entry"].supersedes_id in {i["entry"].pk for i in items if "entry" in i}:
            continue  # shown under the entry it corrects
        shown.append(item)
    for item in items:
        if "entry" in item:
            item["correction"] = corrections.get(item["entry"].pk)
    return shown


def ticket_context(request: HttpRequest, ticket: Ticket, **overrides: Any) -> dict[str, Any]:
    """Everything the ticket page and its panel fragment show, for this viewer."""
    acts = ticket_actions_for(request.user, ticket)
    version = {"version": ticket.version}
    writable = acts["can_write"] and ticket.is_open
    can_rule = can(request.user, Perm.TICKET_RULE)
    context = {
        "ticket": ticket,
        "timeline": _timeline(request, ticket),
        "acts": acts,
        "simple_moves": [m for m in acts["moves"] if m not in (Move.RESOLVE, Move.CANCEL, Move.REOPEN)],
        "rulings": list(ticket.rulings.select_related("requested_by", "ruled_by").order_by("id")),
        "can_rule": can_rule,
        "can_write": acts["can_write"],
        "move_form": MoveForm(prefix="move", initial=version),
        "handover_form": HandOverForm(prefix="handover", initial=version) if acts["can_hand_over"] else None,
        "reassign_form": ReassignForm(prefix="reassign", initial=version) if acts["can_reassign"] and ticket.is_open
        else None,
        "tier_form": TierForm(prefix="tier", initial=version) if writable else None,
        "reclassify_form": ReclassifyForm(prefix="reclassify", initial={
            **version, "service_type": ticket.service_type_id, "priority": ticket.priority}) if writable else None,
        "arrival_form": ArrivalForm(prefix="arrival", initial=version)
        if writable and ticket.tier == Tier.ONSITE and ticket.onsite_arrived_at is None else None,
        "clocks": ticket_clocks(ticket),
        "panels": TICKET_PAGE.render(request.user, ticket),
        "major_form": MajorForm(prefix="major") if writable and not ticket.is_major else None,
        "entry_form": EntryForm(prefix="entry", follow_up=not ticket.is_open) if acts["can_write"] else None,
        "correct_form": None,
        "decline_form": DeclineForm(prefix="decline") if acts["can_decide_handover"] else None,
        "ruling_form": RulingRequestForm(prefix="ruling") if writable else None,
        "ruling_record_form": RulingRecordForm(prefix="rulingrec") if can_rule else None,
        "repeat_form": RepeatForm(prefix="repeat") if ticket.is_open and can(request.user, Perm.TICKET_WORK) else None,
        "open_form": "",
        "open_entry": None,
        "flash": "",
        "failed_move": "",
        "conflict": None,
    }
    context.update(overrides)
    context["more_actions"] = _more_actions(context)
    return context


# The actions behind the "More" menu, in its order: (form in the context, key of its panel, label).
_MORE = [
    ("arrival_form", "arrival", gettext_lazy("Record arrival on site")),
    ("tier_form", "tier", gettext_lazy("Change service tier")),
    ("reclassify_form", "reclassify", gettext_lazy("Change type or priority")),
    ("repeat_form", "repeat", gettext_lazy("Customer contacted us again")),
    ("ruling_form", "ruling", gettext_lazy("Ask the office for a ruling")),
    ("reassign_form", "reassign", gettext_lazy("Reassign (manager)")),
    ("major_form", "major", gettext_lazy("Mark as major matter")),
]


def _more_actions(context: dict[str, Any]) -> list[tuple[str, str]]:
    more = [(key, label) for form, key, label in _MORE if context.get(form)]
    cancel = next((m for m in context["acts"]["moves"] if m == Move.CANCEL), None)
    if cancel is not None:
        more.append(("cancel", cancel.label))
    return more


@login_required
def detail(request: HttpRequest, ticket_id: int) -> HttpResponse:
    ticket = access_ticket(request.user, ticket_id)
    template = "tickets/ticket_detail.html#panel" if request.htmx else "tickets/ticket_detail.html"
    return render(request, template, ticket_context(request, ticket))


@login_required
def attachment(request: HttpRequest, ticket_id: int, attachment_id: int) -> FileResponse:
    """An attachment, only for those who may see the ticket; images inline, other files downloaded."""
    ticket = access_ticket(request.user, ticket_id)
    found = Attachment.objects.filter(pk=attachment_id, entry__ticket=ticket).first()
    if found is None:
        raise NotFound()
    response = FileResponse(found.file.open("rb"), content_type=found.content_type,
                            as_attachment=not found.is_image, filename=found.name)
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, max-age=3600"
    return response
