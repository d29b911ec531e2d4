"""Reads for the customer portal, scoped to the viewer's own customer (R1.2, R2.2: need to know).

A portal login sees its own customer's requests and, on each, only what is meant for the customer:
the description, replies to the customer, its own messages, status changes in plain words and the
resolution. Internal notes, hand-overs, the audit record, SLA clocks, the customer's class, the
record's completeness and internal labels never reach these pages.
"""

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fuwu.core.errors import NotFound
from fuwu.core.models import AuditEvent
from fuwu.customers.models import Contact, DeliveredProduct
from fuwu.mail.rules import is_mail_login
from fuwu.org.policy import Perm, can
from fuwu.portal.models import PortalRequest
from fuwu.standards.models import Channel, ServiceType
from fuwu.surveys.selectors import OpenInvitation, invitations_open_for_customer
from fuwu.tickets import rules
from fuwu.tickets.codes import TicketAction
from fuwu.tickets.lifecycle import Move, Status, moves_from
from fuwu.tickets.models import Attachment, Entry, Ticket

PAGE_SIZE = 20

# What the customer reads for each status: plain words, not the staff's workflow terms.
CUSTOMER_STATUS = {
    Status.NEW: _("Received by us"),
    Status.ACCEPTED: _("Being handled"),
    Status.IN_PROGRESS: _("Being handled"),
    Status.PENDING_CUSTOMER: _("Waiting for your reply"),
    Status.RESOLVED: _("Resolved, please confirm"),
    Status.REOPENED: _("Reopened, being handled"),
    Status.CLOSED: _("Closed"),
    Status.CANCELLED: _("Withdrawn"),
}
STATUS_BADGE = {
    Status.NEW: "text-bg-secondary", Status.ACCEPTED: "text-bg-primary", Status.IN_PROGRESS: "text-bg-primary",
    Status.PENDING_CUSTOMER: "text-bg-warning", Status.RESOLVED: "text-bg-success", Status.REOPENED: "text-bg-primary",
    Status.CLOSED: "text-bg-light border", Status.CANCELLED: "text-bg-light border",
}
# A status change as a sentence on the customer's timeline.
_CHANGED_TO = {
    Status.ACCEPTED: _("We have taken on your request."),
    Status.IN_PROGRESS: _("We are working on your request."),
    Status.PENDING_CUSTOMER: _("We are waiting for information from you."),
    Status.RESOLVED: _("Your request is resolved."),
    Status.REOPENED: _("The request was reopened."),
    Status.CLOSED: _("The request is closed."),
    Status.CANCELLED: _("The request was withdrawn."),
}
VISIBLE_ENTRY_KINDS = (Entry.Kind.REPLY, Entry.Kind.CUSTOMER)


def customer_status(status: str) -> str:
    return str(CUSTOMER_STATUS.get(status, ""))


def portal_contact(viewer) -> Contact | None:
    """The viewer's own contact (an active contact with this portal login), with its customer; else None."""
    if rules.portal_customer_id(viewer) is None:
        return None
    return Contact.objects.select_related("customer").filter(user=viewer, is_active=True).first()


def is_portal_login(viewer) -> bool:
    return rules.portal_customer_id(viewer) is not None


def requests_of(viewer) -> QuerySet[Ticket]:
    """The requests of the viewer's own customer; none for anyone else."""
    customer_id = rules.portal_customer_id(viewer)
    if customer_id is None:
        return Ticket.objects.none()
    return Ticket.objects.filter(customer_id=customer_id)


def request_page(viewer, page_number: str | int | None) -> Page:
    """One page of the customer's requests, newest first (number, title, status, last update)."""
    qs = requests_of(viewer).only("number", "title", "status", "updated_at", "received_at").order_by("-id")
    return Paginator(qs, PAGE_SIZE).get_page(page_number)


def open_request_count(viewer) -> int:
    return requests_of(viewer).exclude(status__in=[Status.CLOSED, Status.CANCELLED]).count()


def access_request(viewer, number: str) -> Ticket:
    """One request of the viewer's own customer by its number; another customer's, or none, is 404."""
    found = requests_of(viewer).select_related("service_type", "owner").filter(number=str(number)[:20]).first()
    if found is None:
        raise NotFound()
    return found


def access_attachment(viewer, ticket: Ticket, attachment_id: int) -> Attachment:
    """A file of a reply or of the customer's own messages on its own request; never of an internal note."""
    found = Attachment.objects.filter(pk=attachment_id, entry__ticket=ticket,
                                      entry__kind__in=VISIBLE_ENTRY_KINDS).first()
    if found is None:
        raise NotFound()
    return found


def portal_service_types() -> list[ServiceType]:
    """The service types open to customers: active, of a kind in FUWU_PORTAL_SERVICE_KINDS."""
    return list(ServiceType.objects.filter(is_active=True, kind__in=settings.FUWU_PORTAL_SERVICE_KINDS))


def own_products(viewer) -> list[DeliveredProduct]:
    customer_id = rules.portal_customer_id(viewer)
    if customer_id is None:
        return []
    return list(DeliveredProduct.objects.filter(customer_id=customer_id, is_active=True))


def surveys_waiting(viewer) -> list[OpenInvitation]:
    """The questionnaires waiting for this customer's answer (R9.1), with their public links."""
    customer_id = rules.portal_customer_id(viewer)
    return [] if customer_id is None else invitations_open_for_customer(customer_id)


@dataclass
class Item:
    """One line of the customer's timeline."""

    at: Any
    kind: str  # "received", "reply", "message", "status"
    text: str = ""  # plain text (status lines, reasons, the resolution)
    html: str = ""  # sanitised HTML of a conversation entry
    detail: str = ""  # plain text under a status line: the resolution, the customer's own reason to reopen
    author: str = ""
    attachments: list = field(default_factory=list)


def _status_item(event: AuditEvent, viewer) -> Item | None:
    p = event.payload or {}
    to = p.get("to")
    if to not in _CHANGED_TO:
        return None
    by_viewer = event.actor_id == viewer.pk
    text = str(_CHANGED_TO[to])
    if to == Status.CLOSED and by_viewer:
        text = str(_("You confirmed the resolution; the request is closed."))
    elif to == Status.CLOSED and p.get("automatic"):
        text = str(_("The request was closed automatically: the resolution was not questioned in time."))
    elif to == Status.REOPENED and by_viewer:
        text = str(_("You reopened the request."))
    item = Item(at=event.occurred_at, kind="status", text=text)
    if to == Status.RESOLVED:
        item.detail = p.get("resolution", "")
    if to == Status.REOPENED and by_viewer:
        item.detail = p.get("reason", "")  # the customer's own reason; a staff member's reasons stay internal
    return item


def request_timeline(viewer, ticket: Ticket) -> list[Item]:
    """What the customer sees of its request, oldest first: the description, replies, its own messages,
    status changes and the resolution. Superseded replies are replaced by their correction."""
    items = [Item(at=ticket.received_at, kind="received", text=ticket.description)]
    entries = list(ticket.entries.filter(kind__in=VISIBLE_ENTRY_KINDS).select_related("author")
                   .prefetch_related("attachments").order_by("id"))
    superseded = {e.supersedes_id for e in entries if e.supersedes_id}
    for e in entries:
        if e.pk in superseded:
            continue
        own = e.kind == Entry.Kind.CUSTOMER
        if not own:
            author = e.author.get_full_name() or _("Service team")
        elif e.author_id == viewer.pk:
            author = _("You")
        else:  # another login of the customer's, or the customer's e-mail carried in by the mailbox
            author = _("By e-mail") if is_mail_login(e.author) else e.author.get_full_name() or _("Customer")
        items.append(Item(at=e.created_at, kind="message" if own else "reply", html=e.body, author=str(author),
                          attachments=list(e.attachments.all())))
    for event in AuditEvent.objects.for_object(ticket).filter(action=TicketAction.MOVED).order_by("id"):
        item = _status_item(event, viewer)
        if item is not None:
            items.append(item)
    return sorted(items, key=lambda item: item.at)


def request_actions(viewer, ticket: Ticket) -> dict[str, Any]:
    """What the customer may do on its request now (the same rules the actions apply)."""
    moves = [m for m in moves_from(ticket.status) if rules.may_move(viewer, ticket, m)]
    can_reopen = Move.REOPEN in moves and rules.reopen_window_open(ticket)
    reopen_until = None
    if can_reopen:
        # The reopen window, or the automatic close if it comes first (after that the request is closed).
        days = min(settings.FUWU_REOPEN_DAYS, settings.FUWU_AUTO_CLOSE_DAYS)
        reopen_until = timezone.localtime(ticket.resolved_at) + datetime.timedelta(days=days)
    return {
        "can_confirm": Move.CLOSE in moves,
        "can_reopen": can_reopen,
        "reopen_until": reopen_until,
        "can_reply": rules.may_add_entry(viewer, ticket, Entry.Kind.CUSTOMER),
    }


def ticket_portal_panel(viewer, ticket: Ticket) -> dict | None:
    """For staff on the request page: filed in the portal, by which contact, about which product."""
    if ticket.channel != Channel.WEB or not can(viewer, Perm.TICKET_VIEW):
        return None  # only a web request may have been filed in the portal: no query for the others
    filed = PortalRequest.objects.select_related("contact", "product").filter(ticket=ticket).first()
    if filed is None:
        return None
    product = filed.product
    return {"filed": filed, "product": product,
            "warranty": product.warranty_status(timezone.localdate()) if product else None}
