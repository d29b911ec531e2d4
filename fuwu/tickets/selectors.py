"""Reads of service requests, scoped to the viewer: access, queues with filters and keyset pages."""

import datetime
import re
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from django.db import connections
from django.db.models import Exists, Lookup, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _

from fuwu.core.errors import NotFound, PermissionDenied
from fuwu.core.models import AuditEvent
from fuwu.customers.identifiers import normalise_phone
from fuwu.org.models import Profile
from fuwu.org.policy import Perm, can
from fuwu.tickets import rules
from fuwu.tickets.codes import TicketError
from fuwu.tickets.models import FINAL_STATUS_LIST, OPEN_STATUS_LIST, Entry, Handover, SlaClock, Ticket

PAGE_SIZE = 50
COUNT_CAP = 1000


class _InLiteral(Lookup):
    """`status__in_literal=[…]`: the IN list written into the SQL, not bound as parameters.

    SQLite uses a partial index (the open-request queues' indexes) only when the query repeats the
    index's condition literally; with the statuses as bound parameters it reads every row of the
    owner or group instead. Only for fixed lists of codes from the code, never for user input.
    """

    lookup_name = "in_literal"
    prepare_rhs = False

    def as_sql(self, compiler, connection):
        if not all(isinstance(v, str) and _CODE.fullmatch(v) for v in self.rhs):
            raise ValueError("in_literal takes fixed codes only")
        lhs, params = self.process_lhs(compiler, connection)
        return f"{lhs} IN ({', '.join(repr(str(v)) for v in self.rhs)})", params


_CODE = re.compile(r"[a-z_]+")
Ticket._meta.get_field("status").register_lookup(_InLiteral)


class Queue(StrEnum):
    MINE = "mine"
    GROUP = "group"
    UNASSIGNED = "unassigned"
    HANDOVERS = "handovers"
    FIRST_CONTACT = "first_contact"
    ALL = "all"


QUEUE_LABELS = {
    Queue.MINE: _("Mine"),
    Queue.GROUP: _("My group"),
    Queue.UNASSIGNED: _("Unassigned"),
    Queue.HANDOVERS: _("Hand-overs for me"),
    Queue.FIRST_CONTACT: _("My first-contact requests"),
    Queue.ALL: _("All"),
}


def tickets_visible_to(viewer) -> QuerySet[Ticket]:
    if can(viewer, Perm.TICKET_VIEW):
        return Ticket.objects.all()
    return Ticket.objects.none()


def access_ticket(viewer, ticket_id: int, *, for_write: bool = False) -> Ticket:
    """One ticket the viewer may see (and, with for_write, work on), or the right error."""
    try:
        ticket = tickets_visible_to(viewer).select_related(
            "service_type", "customer", "region", "owner", "group", "first_responsible"
        ).get(pk=ticket_id)
    except (Ticket.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None
    if for_write and not can(viewer, Perm.TICKET_WORK):
        raise PermissionDenied(code=TicketError.FORBIDDEN_WORK)
    return ticket


def access_handover(viewer, ticket: Ticket, handover_id: int) -> Handover:
    try:
        return ticket.handovers.select_related("to_group", "to_user", "from_user").get(pk=handover_id)
    except (Handover.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


def queues_for(viewer) -> list[Queue]:
    if not can(viewer, Perm.TICKET_VIEW):
        return []
    queues = [Queue.MINE, Queue.GROUP, Queue.UNASSIGNED, Queue.HANDOVERS, Queue.FIRST_CONTACT] if can(
        viewer, Perm.TICKET_WORK) else []
    if can(viewer, Perm.TICKET_MANAGE) or not queues:
        queues.append(Queue.ALL)  # managers, and those who only supervise (quality, general manager)
    return queues


def _group_id(viewer) -> int | None:
    profile = getattr(viewer, "profile", None)
    return profile.group_id if profile is not None else None


def queue_queryset(viewer, queue: Queue) -> QuerySet[Ticket]:
    if queue not in queues_for(viewer):
        raise PermissionDenied(code=TicketError.FORBIDDEN_QUEUE)
    qs = tickets_visible_to(viewer)
    if queue == Queue.MINE:
        return qs.filter(owner=viewer, status__in_literal=OPEN_STATUS_LIST)
    if queue == Queue.GROUP:
        group_id = _group_id(viewer)
        if group_id is None:  # filter(group_id=None) would list every request without a group
            return qs.none()
        return qs.filter(group_id=group_id, status__in_literal=OPEN_STATUS_LIST)
    if queue == Queue.UNASSIGNED:
        return qs.filter(owner__isnull=True, status__in_literal=OPEN_STATUS_LIST)
    if queue == Queue.HANDOVERS:
        waiting = Handover.objects.filter(state=Handover.State.PENDING).filter(
            Q(to_user=viewer) | Q(to_user__isnull=True, to_group_id=_group_id(viewer))
        )
        return qs.filter(pk__in=waiting.values("ticket_id"))
    if queue == Queue.FIRST_CONTACT:
        return qs.filter(first_responsible=viewer).exclude(status__in_literal=FINAL_STATUS_LIST)
    return qs


SORTS = {
    "newest": ("-id",),
    "oldest": ("id",),
    "received": ("-received_at", "-id"),
    "updated": ("-updated_at", "-id"),
}


@dataclass
class TicketFilters:
    q: str = ""
    service_type_id: int | None = None
    kind: str = ""
    statuses: list[str] = field(default_factory=list)
    priority: str = ""
    group_id: int | None = None
    region_id: int | None = None
    customer_id: int | None = None
    received_from: datetime.date | None = None
    received_to: datetime.date | None = None
    major_only: bool = False
    sort: str = "newest"
    # The figures of the quality pages drill to the requests behind them (R9.5, R15.1).
    open_only: bool = False
    owner_id: int | None = None
    sla_state: str = ""
    channel: str = ""
    customer_class: str = ""
    resolved_from: datetime.date | None = None
    resolved_to: datetime.date | None = None
    breached_from: datetime.date | None = None  # a time limit breached on these days
    breached_to: datetime.date | None = None
    clock: str = ""  # ... of this kind of clock only


def apply_filters(qs: QuerySet[Ticket], f: TicketFilters) -> QuerySet[Ticket]:
    """One filter definition for the queue pages and the list endpoint (one filter for page and API)."""
    q = f.q.strip()
    if q:
        phone = normalise_phone(q)
        if phone:
            qs = qs.filter(contact_phone=phone)
        elif q.upper().startswith("FW-"):
            qs = qs.filter(number=q.upper())
        else:
            qs = qs.filter(Q(title__icontains=q) | Q(contact_name=q))
    if f.service_type_id:
        qs = qs.filter(service_type_id=f.service_type_id)
    if f.kind:
        qs = qs.filter(kind=f.kind)
    if f.statuses:
        qs = qs.filter(status__in=f.statuses)
    if f.priority:
        qs = qs.filter(priority=f.priority)
    if f.group_id:
        qs = qs.filter(group_id=f.group_id)
    if f.region_id:
        qs = qs.filter(region_id=f.region_id)
    if f.customer_id:
        qs = qs.filter(customer_id=f.customer_id)
    # Local days as instant ranges (not `received_at__date`), so the index on received_at serves them.
    if f.received_from:
        qs = qs.filter(received_at__gte=_day_start(f.received_from))
    if f.received_to:
        qs = qs.filter(received_at__lt=_day_start(f.received_to + datetime.timedelta(days=1)))
    if f.major_only:
        qs = qs.filter(is_major=True)
    return _apply_quality_filters(qs, f)


def _apply_quality_filters(qs: QuerySet[Ticket], f: TicketFilters) -> QuerySet[Ticket]:
    if f.open_only:
        qs = qs.filter(status__in=OPEN_STATUS_LIST)
    if f.owner_id:
        qs = qs.filter(owner_id=f.owner_id)
    if f.sla_state:
        qs = qs.filter(sla_state=f.sla_state)
    if f.channel:
        qs = qs.filter(channel=f.channel)
    if f.customer_class:
        qs = qs.filter(customer__customer_class=f.customer_class)
    if f.resolved_from:
        qs = qs.filter(resolved_at__gte=_day_start(f.resolved_from))
    if f.resolved_to:
        qs = qs.filter(resolved_at__lt=_day_start(f.resolved_to + datetime.timedelta(days=1)))
    if f.breached_from or f.breached_to or f.clock:
        clocks = SlaClock.objects.filter(ticket_id=OuterRef("pk"), breached_at__isnull=False)
        if f.clock:
            clocks = clocks.filter(kind=f.clock)
        if f.breached_from:
            clocks = clocks.filter(breached_at__gte=_day_start(f.breached_from))
        if f.breached_to:
            clocks = clocks.filter(breached_at__lt=_day_start(f.breached_to + datetime.timedelta(days=1)))
        qs = qs.filter(Exists(clocks))
    return qs


def _day_start(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def _cursor_condition(order: tuple[str, ...], cursor: str) -> Q | None:
    """Keyset: rows strictly after the cursor row ("value|id") in the given order."""
    if len(order) == 1:
        return Q(id__lt=int(cursor)) if order[0] == "-id" else Q(id__gt=int(cursor))
    name = order[0].lstrip("-")
    raw_value, raw_id = cursor.rsplit("|", 1)
    value: Any = parse_datetime(raw_value)
    if value is None:
        return None
    return Q(**{f"{name}__lt": value}) | Q(**{name: value, "id__lt": int(raw_id)})


def cursor_of(ticket: Ticket, sort: str) -> str:
    order = SORTS[sort]
    if len(order) == 1:
        return str(ticket.pk)
    return f"{getattr(ticket, order[0].lstrip('-')).isoformat()}|{ticket.pk}"


# What a list row shows (the queue page and the API's rows): the long texts and the related records'
# other columns stay in the database, so 50 rows cost less to fetch and to build.
ROW_FIELDS = (
    "number", "title", "kind", "status", "priority", "tier", "channel", "contact_name", "contact_phone",
    "received_at", "is_major", "has_pending_handover", "repeat_contacts", "sla_due_at", "sla_state", "version",
    "updated_at", "service_type__code", "service_type__name", "service_type__name_en", "customer__name",
    "region__code", "region__name", "owner__username", "owner__first_name", "owner__last_name",
    "group__code", "group__name",
)


def ticket_page(viewer, queue: Queue, filters: TicketFilters, *, after: str = "", size: int = PAGE_SIZE):
    """One page of a queue, with what the rows show fetched together; and whether more follow."""
    sort = filters.sort if filters.sort in SORTS else "newest"
    qs = apply_filters(queue_queryset(viewer, queue), filters)
    if after:
        try:
            condition = _cursor_condition(SORTS[sort], after)
        except ValueError:
            condition = None
        if condition is not None:
            qs = qs.filter(condition)
    rows = list(
        qs.select_related("service_type", "owner", "group", "customer", "region")
        .only(*ROW_FIELDS)
        .order_by(*SORTS[sort])[: size + 1]
    )
    return rows[:size], len(rows) > size


def queue_counts(viewer) -> dict[Queue, tuple[int, bool]]:
    """How many in each queue, capped so a huge queue costs no more than COUNT_CAP rows.

    All the tabs' capped counts in one statement (one round trip instead of one per queue).
    """
    queues = queues_for(viewer)
    counted, parts, params = [], [], []
    for queue in queues:
        qs = queue_queryset(viewer, queue).order_by().values("pk")[: COUNT_CAP + 1]
        if not qs.query.is_empty():
            sql, sql_params = qs.query.sql_with_params()
            parts.append(f"(SELECT COUNT(*) FROM ({sql}) AS q{len(parts)})")  # noqa: S608 - Django's SQL, with params
            params.extend(sql_params)
            counted.append(queue)
    found = {}
    if parts:
        with connections[Ticket.objects.db].cursor() as cursor:
            cursor.execute(f"SELECT {', '.join(parts)}", params)
            found = dict(zip(counted, cursor.fetchone(), strict=True))
    return {queue: (min(found.get(queue, 0), COUNT_CAP), found.get(queue, 0) > COUNT_CAP) for queue in queues}


def open_tickets_for_phone(viewer, phone: str, *, limit: int = 10) -> list[Ticket]:
    """The caller's open requests (R2.3, R3.4), to link a repeat contact instead of a new ticket."""
    phone = normalise_phone(phone)
    if not phone or not can(viewer, Perm.TICKET_VIEW):
        return []
    from fuwu.customers.models import Contact

    by_customer = Contact.objects.filter(Q(phone=phone) | Q(phone_alt=phone)).values("customer_id")
    return list(
        tickets_visible_to(viewer)
        .filter(Q(contact_phone=phone) | Q(customer_id__in=by_customer), status__in_literal=OPEN_STATUS_LIST)
        .select_related("service_type", "owner")
        .order_by("-id")[:limit]
    )


def ticket_timeline(viewer, ticket: Ticket) -> list[dict[str, Any]]:
    """Conversation entries and recorded events, oldest first, for the ticket page (R4.8)."""
    entries = list(
        ticket.entries.select_related("author").prefetch_related("attachments").order_by("id")
    )
    superseded = {e.supersedes_id for e in entries if e.supersedes_id}
    events = list(AuditEvent.objects.for_object(ticket).order_by("id"))
    items = [{"at": e.created_at, "entry": e, "superseded": e.pk in superseded} for e in entries]
    items += [{"at": ev.occurred_at, "event": ev} for ev in events if not ev.action.endswith(("_added", "_corrected"))]
    return sorted(items, key=lambda item: item["at"])


def ticket_actions_for(viewer, ticket: Ticket) -> dict[str, Any]:
    """What the action bar offers this viewer on this ticket (the same rules the actions apply)."""
    from fuwu.tickets.lifecycle import moves_from

    pending = None
    if ticket.has_pending_handover:  # kept by the hand-over actions: no query for most tickets
        pending = ticket.handovers.filter(state=Handover.State.PENDING).select_related("to_group", "to_user").first()
    return {
        "moves": [m for m in moves_from(ticket.status) if rules.may_move(viewer, ticket, m)],
        "can_hand_over": rules.may_hand_over(viewer, ticket) and pending is None,
        "can_write": rules.may_write(viewer, ticket),
        "can_reassign": rules.is_manager(viewer),
        "pending_handover": pending,
        "can_decide_handover": pending is not None and rules.may_decide_handover(viewer, pending),
    }


def entry_for_correction(viewer, ticket: Ticket, entry_id: int) -> Entry:
    try:
        return ticket.entries.get(pk=entry_id, author=viewer)
    except (Entry.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


def tickets_of_customer(viewer, customer, limit: int = 20) -> list[Ticket]:
    """The customer's requests, newest first, for the service history on its record (R2.1)."""
    if not can(viewer, Perm.TICKET_VIEW):
        return []
    return list(
        tickets_visible_to(viewer).filter(customer=customer).select_related("service_type").order_by("-id")[:limit]
    )


def customer_tickets_panel(viewer, customer) -> dict | None:
    """The service history panel on a customer's page (R2.1), for viewers who may see requests."""
    if not can(viewer, Perm.TICKET_VIEW):
        return None
    return {"tickets": tickets_of_customer(viewer, customer)}


def customer_new_request_action(viewer, customer) -> dict | None:
    """The customer page's "new request for this customer" button: intake with the customer and its
    primary contact chosen, for those who register requests (an archived customer takes none)."""
    if not can(viewer, Perm.TICKET_WORK) or not customer.is_active:
        return None
    primary = customer.contacts.filter(is_active=True).order_by("-is_primary", "id").values_list("pk", flat=True)
    return {"customer_id": customer.pk, "contact_id": primary.first()}


def customer_ids_worked_on(viewer) -> QuerySet:
    """The customers of the requests a viewer works on (R2.2, need to know): owned now or before,
    or handed over to them or their group and waiting for an answer."""
    group_id = Profile.objects.filter(user=viewer).values_list("group_id", flat=True).first()
    waiting = Q(handovers__state=Handover.State.PENDING) & (
        Q(handovers__to_user=viewer) | Q(handovers__to_group_id=group_id, handovers__to_user__isnull=True))
    owned_before = Q(handovers__from_user=viewer) | Q(first_responsible=viewer)
    return (Ticket.objects.filter(Q(owner=viewer) | owned_before | waiting, customer__isnull=False)
            .values("customer_id"))
