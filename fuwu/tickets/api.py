"""Service-request API (R3, R4): list with the workspace's filters, register, retrieve, and the moves.

Workflow changes are action endpoints (`POST /tickets/{id}/handover`, `/transition`, …), never a
raw status update; there is no PUT or PATCH on a ticket, so `first_responsible` (R3.3) cannot be
changed here at all. Each endpoint parses, calls one action and returns the ticket as the caller
now sees it. Contact phones are masked per viewer (R2.2).
"""

import base64
import binascii
import datetime
from typing import Any

from django.contrib.auth import get_user_model
from django.http import HttpRequest
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from fuwu.core.errors import InvalidInput
from fuwu.core.querysets import capped_count
from fuwu.core.validation import FIRST_DAY, LAST_DAY, MAX_ID, parse_id
from fuwu.customers.selectors import PiiPolicy
from fuwu.org.models import Group
from fuwu.org.policy import Perm, require
from fuwu.standards.models import Channel, ServiceType
from fuwu.tickets import actions
from fuwu.tickets.api_schemas import (
    EntryOut,
    QueueOut,
    RepeatOut,
    TicketDetailOut,
    TicketPage,
    _detail,
    _detail_of,
    _person,
    _ticket_out,
)
from fuwu.tickets.lifecycle import Move
from fuwu.tickets.models import Entry, RepeatContact
from fuwu.tickets.selectors import (
    COUNT_CAP,
    PAGE_SIZE,
    QUEUE_LABELS,
    SORTS,
    Queue,
    TicketFilters,
    access_handover,
    access_ticket,
    apply_filters,
    cursor_of,
    entry_for_correction,
    queue_counts,
    queue_queryset,
    queues_for,
    ticket_page,
)
from fuwu.tickets.validation import TicketInput

router = Router(tags=["tickets"])

MAX_PAGE_SIZE = 200


# --- Cursor ------------------------------------------------------------------------------------


def _encode_cursor(raw: str) -> str:
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def _decode_cursor(token: str, sort: str) -> str:
    """The raw keyset position, or 400: a mangled cursor must not quietly restart at page one."""
    if not token:
        return ""
    try:
        raw = base64.b64decode(token + "=" * (-len(token) % 4), altchars=b"-_", validate=True).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raw = ""
    value, sep, row_id = raw.rpartition("|")
    well_formed = parse_id(row_id) is not None and (
        parse_datetime(value) is not None if len(SORTS[sort]) > 1 else not value and not sep
    )
    if not well_formed:
        raise InvalidInput(errors={"after": [_("This page link is not valid; start again from the first page.")]})
    return raw


# --- List, queues, register, retrieve ----------------------------------------------------------


class ListParams(Schema):
    queue: Queue | None = None  # default: the caller's first queue, as on the workspace
    q: str = ""
    service_type_id: int | None = Field(None, ge=1, le=MAX_ID)
    kind: str = ""
    status: list[str] = []
    priority: str = ""
    group_id: int | None = Field(None, ge=1, le=MAX_ID)
    region_id: int | None = Field(None, ge=1, le=MAX_ID)
    customer_id: int | None = Field(None, ge=1, le=MAX_ID)
    received_from: datetime.date | None = Field(None, ge=FIRST_DAY, le=LAST_DAY)
    received_to: datetime.date | None = Field(None, ge=FIRST_DAY, le=LAST_DAY)
    major_only: bool = False
    sort: str = "newest"
    after: str = ""
    limit: int = PAGE_SIZE


@router.get("", response=TicketPage, summary="List service requests in a queue, filtered (keyset pages)")
def ticket_list(request, params: Query[ListParams]):
    require(request.auth, Perm.TICKET_VIEW)
    queue = params.queue or queues_for(request.auth)[0]
    sort = params.sort if params.sort in SORTS else "newest"
    filters = TicketFilters(
        **params.dict(exclude={"queue", "status", "sort", "after", "limit"}), statuses=params.status, sort=sort
    )
    rows, has_more = ticket_page(
        request.auth, queue, filters, after=_decode_cursor(params.after, sort),
        size=max(1, min(params.limit, MAX_PAGE_SIZE)),
    )
    count, capped = capped_count(apply_filters(queue_queryset(request.auth, queue), filters), cap=COUNT_CAP)
    pii = PiiPolicy.for_user(request.auth)
    return {
        "items": [_ticket_out(t, pii) for t in rows],
        "next_after": _encode_cursor(cursor_of(rows[-1], sort)) if has_more and rows else None,
        "count": count,
        "count_capped": capped,
    }


@router.get("/queues", response=list[QueueOut], summary="The caller's queues with their (capped) counts")
def ticket_queues(request):
    require(request.auth, Perm.TICKET_VIEW)
    return [
        {"code": queue.value, "label": str(QUEUE_LABELS[queue]), "count": count, "more": more}
        for queue, (count, more) in queue_counts(request.auth).items()
    ]


class TicketCreateIn(Schema):
    # Everything has a default so that what is missing is reported by the action, in the user's language.
    service_type_id: int | None = None
    title: str = ""
    contact_name: str = ""
    channel: str = Channel.API.value
    description: str = ""
    customer_id: int | None = None
    contact_phone: str = ""
    contact_email: str = ""
    site_address: str = ""
    region_id: int | None = None
    occurred_since: str = ""
    priority: str = ""
    received_at: datetime.datetime | None = None
    settle_with_resolution: str = ""  # settled at first contact (一次办结)
    retroactive: bool = False  # registered after the work was done (R3.7); give received_at
    major: bool = False  # tell the general manager at once (R3.5)


@router.post("", response={201: TicketDetailOut}, summary="Register a service request; the caller is first-responsible")
def ticket_create(request, body: TicketCreateIn):
    data = TicketInput(**body.dict(exclude={"settle_with_resolution", "retroactive", "major"}))
    if data.received_at is not None and timezone.is_naive(data.received_at):
        data.received_at = timezone.make_aware(data.received_at)  # a local time without offset
    ticket = actions.ticket_register(
        actor=request.auth,
        data=data,
        settle_with_resolution=body.settle_with_resolution,
        retroactive=body.retroactive,
        major=body.major,
    )
    return _detail_of(request.auth, ticket)  # the action's ticket comes with its relations: not read again


@router.get("/{ticket_id}", response=TicketDetailOut, summary="One service request, with the caller's allowed moves")
def ticket_retrieve(request, ticket_id: int):
    return _detail(request, ticket_id)


# --- Moves -------------------------------------------------------------------------------------


def _group(group_id: int, field: str) -> Group:
    group = Group.objects.filter(pk=group_id).first()
    if group is None:
        raise InvalidInput(errors={field: [_("Choose a group from the list.")]})
    return group


def _user(user_id: int | None, field: str):
    if user_id is None:
        return None
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        raise InvalidInput(errors={field: [_("Choose a person from the list.")]})
    return user


class TransitionIn(Schema):
    move: str
    version: int
    resolution: str = ""  # required to resolve
    reason: str = ""  # required to cancel or reopen


@router.post("/{ticket_id}/transition", response=TicketDetailOut, summary="Apply one lifecycle move (R4.1)")
def ticket_transition(request, ticket_id: int, body: TransitionIn):
    ticket = access_ticket(request.auth, ticket_id, for_write=True)
    if body.move not in Move.values:
        raise InvalidInput(errors={"move": [_("Choose a move from the list.")]})
    actions.ticket_move(
        actor=request.auth, ticket=ticket, expected_version=body.version, move=body.move,
        resolution=body.resolution, reason=body.reason,
    )
    return _detail(request, ticket_id)


class HandOverIn(Schema):
    to_group_id: int
    to_user_id: int | None = None
    note: str = ""
    version: int


@router.post("/{ticket_id}/handover", response=TicketDetailOut, summary="Register a hand-over (登记移交, R3.3)")
def ticket_hand_over(request, ticket_id: int, body: HandOverIn):
    ticket = access_ticket(request.auth, ticket_id, for_write=True)
    actions.ticket_hand_over(
        actor=request.auth, ticket=ticket, expected_version=body.version,
        to_group=_group(body.to_group_id, "to_group_id"), to_user=_user(body.to_user_id, "to_user_id"),
        note=body.note,
    )
    return _detail(request, ticket_id)


class HandoverDecisionIn(Schema):
    handover_id: int


class HandoverDeclineIn(HandoverDecisionIn):
    reason: str = ""


@router.post("/{ticket_id}/accept-handover", response=TicketDetailOut, summary="Take a handed-over request on")
def ticket_accept_handover(request, ticket_id: int, body: HandoverDecisionIn):
    ticket = access_ticket(request.auth, ticket_id, for_write=True)
    actions.handover_accept(actor=request.auth, handover=access_handover(request.auth, ticket, body.handover_id))
    return _detail(request, ticket_id)


@router.post("/{ticket_id}/decline-handover", response=TicketDetailOut, summary="Decline a hand-over, with a reason")
def ticket_decline_handover(request, ticket_id: int, body: HandoverDeclineIn):
    ticket = access_ticket(request.auth, ticket_id, for_write=True)
    actions.handover_decline(
        actor=request.auth, handover=access_handover(request.auth, ticket, body.handover_id), reason=body.reason
    )
    return _detail(request, ticket_id)


class ReassignIn(Schema):
    to_group_id: int
    to_user_id: int | None = None
    note: str = ""
    version: int


@router.post("/{ticket_id}/reassign", response=TicketDetailOut, summary="Reassign directly (managers, R3.3)")
def ticket_reassign(request, ticket_id: int, body: ReassignIn):
    ticket = access_ticket(request.auth, ticket_id, for_write=True)
    actions.ticket_reassign(
        actor=request.auth, ticket=ticket, expected_version=body.version,
        to_group=_group(body.to_group_id, "to_group_id"), to_user=_user(body.to_user_id, "to_user_id"),
        note=body.note,
    )
    return _detail(request, ticket_id)


class TierIn(Schema):
    tier: str
    reason: str = ""
    customer_authorised: bool = False  # needed for remote service, once
    version: int


@router.post("/{ticket_id}/tier", response=TicketDetailOut, summary="Change the service tier (R4.3)")
def ticket_tier(request, ticket_id: int, body: TierIn):
    ticket = access_ticket(request.auth, ticket_id, for_write=True)
    actions.ticket_change_tier(
        actor=request.auth, ticket=ticket, expected_version=body.version, tier=body.tier, reason=body.reason,
        customer_authorised=body.customer_authorised,
    )
    return _detail(request, ticket_id)


class ReclassifyIn(Schema):
    service_type: str | None = None  # a catalogue code
    priority: str | None = None
    reason: str = ""
    version: int


@router.post("/{ticket_id}/reclassify", response=TicketDetailOut,
             summary="Change the type or priority; the SLA clocks are re-evaluated (R10.4)")
def ticket_reclassify(request, ticket_id: int, body: ReclassifyIn):
    ticket = access_ticket(request.auth, ticket_id, for_write=True)
    service_type = None
    if body.service_type:
        service_type = ServiceType.objects.filter(code=body.service_type).first()
        if service_type is None:
            raise InvalidInput(errors={"service_type": [_("Choose an active service type.")]})
    actions.ticket_reclassify(actor=request.auth, ticket=ticket, expected_version=body.version,
                              service_type=service_type, priority=body.priority, reason=body.reason)
    return _detail(request, ticket_id)


class ArrivalIn(Schema):
    arrived_at: datetime.datetime | None = None  # empty: now
    version: int


@router.post("/{ticket_id}/arrival", response=TicketDetailOut, summary="Record arrival on site (R4.4)")
def ticket_arrival(request, ticket_id: int, body: ArrivalIn):
    ticket = access_ticket(request.auth, ticket_id, for_write=True)
    actions.ticket_record_arrival(actor=request.auth, ticket=ticket, expected_version=body.version,
                                  arrived_at=body.arrived_at)
    return _detail(request, ticket_id)


class MajorIn(Schema):
    reason: str = ""


@router.post("/{ticket_id}/major", response=TicketDetailOut, summary="Mark a major matter (R3.5)")
def ticket_major(request, ticket_id: int, body: MajorIn):
    ticket = access_ticket(request.auth, ticket_id, for_write=True)
    actions.ticket_mark_major(actor=request.auth, ticket=ticket, reason=body.reason)
    return _detail(request, ticket_id)


# --- Conversation and repeat contacts ----------------------------------------------------------


class EntryIn(Schema):
    text: str = ""  # HTML; sanitised by the action
    corrects: int | None = None  # id of one's own earlier entry this one supersedes


def _entry_out(entry: Entry) -> dict[str, Any]:
    return {
        "id": entry.pk,
        "kind": entry.kind,
        "author": _person(entry.author),
        "body": entry.body,
        "created_at": entry.created_at,
        "supersedes": entry.supersedes_id,
    }


def _add_entry(request: HttpRequest, ticket_id: int, kind: str, body: EntryIn) -> dict[str, Any]:
    ticket = access_ticket(request.auth, ticket_id, for_write=True)
    supersedes = entry_for_correction(request.auth, ticket, body.corrects) if body.corrects else None
    entry = actions.ticket_add_entry(actor=request.auth, ticket=ticket, kind=kind, body=body.text,
                                     supersedes=supersedes)
    return _entry_out(entry)


@router.post("/{ticket_id}/notes", response={201: EntryOut}, summary="Add an internal note (R4.8)")
def ticket_note(request, ticket_id: int, body: EntryIn):
    return _add_entry(request, ticket_id, Entry.Kind.NOTE, body)


@router.post("/{ticket_id}/replies", response={201: EntryOut}, summary="Add a reply to the customer (R4.8)")
def ticket_reply(request, ticket_id: int, body: EntryIn):
    return _add_entry(request, ticket_id, Entry.Kind.REPLY, body)


class RepeatIn(Schema):
    channel: str = Channel.API.value
    note: str = ""


@router.post("/{ticket_id}/link-repeat", response={201: RepeatOut},
             summary="The customer contacted us again about this open request (R3.4)")
def ticket_link_repeat(request, ticket_id: int, body: RepeatIn):
    ticket = access_ticket(request.auth, ticket_id, for_write=True)
    repeat: RepeatContact = actions.ticket_link_repeat(
        actor=request.auth, ticket=ticket, channel=body.channel, note=body.note
    )
    return {
        "id": repeat.pk,
        "channel": repeat.channel,
        "received_at": repeat.received_at,
        "note": repeat.note,
        "repeat_contacts": repeat.ticket.repeat_contacts,
    }
