"""The API's representations of a service request, masked per viewer (R2.2)."""

import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Schema

from fuwu.customers.selectors import PiiPolicy
from fuwu.tickets.models import Handover, Ticket
from fuwu.tickets.selectors import (
    access_ticket,
    ticket_actions_for,
)
from fuwu.tickets.selectors_sla import ClockView, ticket_clocks

# --- Representations ---------------------------------------------------------------------------


class Ref(Schema):
    id: int
    code: str
    name: str


class PersonRef(Schema):
    id: int
    name: str


class PendingHandoverOut(Schema):
    id: int
    to_group: Ref
    to_user: PersonRef | None
    note: str
    created_at: datetime.datetime


class TicketOut(Schema):
    id: int
    number: str
    title: str
    service_type: Ref
    kind: str
    status: str
    status_label: str
    priority: str
    priority_label: str
    tier: str
    tier_label: str
    channel: str
    customer: Ref | None
    contact_name: str
    contact_phone: str
    region: Ref | None
    owner: PersonRef | None
    group: Ref | None
    received_at: datetime.datetime
    is_major: bool
    has_pending_handover: bool
    repeat_contacts: int
    sla_due_at: datetime.datetime | None  # the most urgent running time limit (R10.4)
    sla_state: str  # running / warning / breached / paused, or empty
    version: int
    updated_at: datetime.datetime


class ClockOut(Schema):
    """One SLA clock (R10.4): business time in its calendar; `left_seconds` negative when overdue."""

    kind: str
    kind_label: str
    state: str  # running / warning / breached / paused / met / met_late / stopped
    calendar: Ref
    started_at: datetime.datetime
    due_at: datetime.datetime | None
    met_at: datetime.datetime | None
    breached_at: datetime.datetime | None
    target_seconds: int | None
    consumed_seconds: int
    left_seconds: int | None
    escalation_level: int
    calendar_data_missing: list[int]


class CallerCan(Schema):
    hand_over: bool
    write: bool
    reassign: bool
    decide_handover: bool


class TicketDetailOut(TicketOut):
    description: str
    contact_email: str
    site_address: str
    occurred_since: str
    registered_at: datetime.datetime
    is_retroactive: bool
    remote_authorised: bool
    first_responsible: PersonRef
    resolution: str
    resolved_at: datetime.datetime | None
    closed_at: datetime.datetime | None
    pending_handover: PendingHandoverOut | None
    allowed_moves: list[str]
    can: CallerCan
    onsite_arrived_at: datetime.datetime | None
    clocks: list[ClockOut]


class TicketPage(Schema):
    items: list[TicketOut]
    next_after: str | None  # pass as `after` for the next page; opaque
    count: int  # of the whole filtered list, not of this page; capped at COUNT_CAP
    count_capped: bool  # true when there are more than `count`


class QueueOut(Schema):
    code: str
    label: str
    count: int
    more: bool  # the count is capped; there are more than `count`


class EntryOut(Schema):
    id: int
    kind: str
    author: PersonRef
    body: str
    created_at: datetime.datetime
    supersedes: int | None


class RepeatOut(Schema):
    id: int
    channel: str
    received_at: datetime.datetime
    note: str
    repeat_contacts: int


def _person(user) -> dict[str, Any] | None:
    if user is None:
        return None
    return {"id": user.pk, "name": user.get_full_name() or user.get_username()}


def _ref(obj, name: str = "name") -> dict[str, Any] | None:
    if obj is None:
        return None
    return {"id": obj.pk, "code": obj.code, "name": str(getattr(obj, name))}


def _ticket_out(ticket: Ticket, pii: PiiPolicy) -> dict[str, Any]:
    """The row as lists show it; uses only the relations `ticket_page` and `access_ticket` join."""
    return {
        "id": ticket.pk,
        "number": ticket.number,
        "title": ticket.title,
        "service_type": {"id": ticket.service_type_id, "code": ticket.service_type.code,
                         "name": str(ticket.service_type)},
        "kind": ticket.kind,
        "status": ticket.status,
        "status_label": str(ticket.get_status_display()),
        "priority": ticket.priority,
        "priority_label": str(ticket.get_priority_display()),
        "tier": ticket.tier,
        "tier_label": str(ticket.get_tier_display()),
        "channel": ticket.channel,
        "customer": _ref(ticket.customer),
        "contact_name": ticket.contact_name,
        "contact_phone": pii.phone(ticket.contact_phone),
        "region": _ref(ticket.region),
        "owner": _person(ticket.owner),
        "group": _ref(ticket.group),
        "received_at": ticket.received_at,
        "is_major": ticket.is_major,
        "has_pending_handover": ticket.has_pending_handover,
        "repeat_contacts": ticket.repeat_contacts,
        "sla_due_at": ticket.sla_due_at,
        "sla_state": ticket.sla_state,
        "version": ticket.version,
        "updated_at": ticket.updated_at,
    }


def _pending_out(handover: Handover | None) -> dict[str, Any] | None:
    if handover is None:
        return None
    return {
        "id": handover.pk,
        "to_group": _ref(handover.to_group),
        "to_user": _person(handover.to_user),
        "note": handover.note,
        "created_at": handover.created_at,
    }


def _clock_out(view: ClockView) -> dict[str, Any]:
    clock = view.clock
    return {
        "kind": clock.kind, "kind_label": str(clock.get_kind_display()), "state": view.state,
        "calendar": {"id": clock.calendar_id, "code": clock.calendar.code, "name": str(clock.calendar)},
        "started_at": clock.started_at, "due_at": clock.due_at, "met_at": clock.met_at,
        "breached_at": clock.breached_at, "target_seconds": clock.target_seconds,
        "consumed_seconds": clock.consumed_seconds,
        "left_seconds": None if view.left is None else int(view.left.total_seconds()),
        "escalation_level": clock.escalation_level, "calendar_data_missing": list(clock.missing_years),
    }


def _detail(request: HttpRequest, ticket_id: int) -> dict[str, Any]:
    """The ticket read again as the caller sees it now, with what the caller may do next."""
    return _detail_of(request.auth, access_ticket(request.auth, ticket_id))


def _detail_of(viewer, ticket: Ticket) -> dict[str, Any]:
    """The answer for a ticket already in hand with its relations (a registration's, for one)."""
    offered = ticket_actions_for(viewer, ticket)
    return {
        **_ticket_out(ticket, PiiPolicy.for_user(viewer)),
        "description": ticket.description,
        "contact_email": ticket.contact_email,
        "site_address": ticket.site_address,
        "occurred_since": ticket.occurred_since,
        "registered_at": ticket.registered_at,
        "is_retroactive": ticket.is_retroactive,
        "remote_authorised": ticket.remote_authorised,
        "first_responsible": _person(ticket.first_responsible),
        "resolution": ticket.resolution,
        "resolved_at": ticket.resolved_at,
        "closed_at": ticket.closed_at,
        "pending_handover": _pending_out(offered["pending_handover"]),
        "allowed_moves": [str(m.value) for m in offered["moves"]],
        "onsite_arrived_at": ticket.onsite_arrived_at,
        "clocks": [_clock_out(view) for view in ticket_clocks(ticket)],
        "can": {
            "hand_over": offered["can_hand_over"],
            "write": offered["can_write"],
            "reassign": offered["can_reassign"],
            "decide_handover": offered["can_decide_handover"],
        },
    }

