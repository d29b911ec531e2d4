"""A request's rows as a workflow `Case`, and the case's changes back to rows (docs/architecture.md).

The ticket actions lock the ticket, `load_case` it (the ticket row and its live clocks, one
query), apply one change of `fuwu.tickets.workflow.case.Case`, and `store_case` what changed:
the ticket's fields, new and changed clocks, pauses, and the queue columns (`sla_due_at`,
`sla_state`), in the statements the actions wrote before.
"""

from datetime import datetime
from typing import Any

from fuwu.standards.businesstime import from_us, to_us
from fuwu.standards.calendars import business_clock
from fuwu.standards.models import SlaTarget
from fuwu.standards.sla import Facts, targets_for
from fuwu.tickets.models import SlaClock, SlaClockPause, Ticket
from fuwu.tickets.workflow.case import Case, Request
from fuwu.tickets.workflow.clocks import Clock, Target
from fuwu.tickets.workflow.states import LIVE

_INSTANTS = ("resolved_at", "closed_at", "onsite_arrived_at")
_PLAIN = ("status", "tier", "channel", "priority", "is_major", "remote_authorised", "first_responsible_id",
          "owner_id", "group_id", "has_pending_handover", "resolution", "repeat_contacts")
_FIELD = {"first_responsible_id": "first_responsible", "owner_id": "owner"}  # ForeignKey attname -> field


def us(at: datetime | None) -> int | None:
    return None if at is None else to_us(at)


def at(value: int | None) -> datetime | None:
    return None if value is None else from_us(value)


def facts_of(ticket: Ticket) -> Facts:
    customer_class = ticket.customer.customer_class if ticket.customer_id else ""
    return Facts(ticket.service_type_id, ticket.priority, customer_class, ticket.region_id, ticket.channel)


def target_of(target: SlaTarget, calendar_id: int | None = None) -> Target:
    return Target(target.pk, target.kind, calendar_id or target.calendar_id, target.minutes,
                  target.end_of_business_day, target.warn_percent)


def request_of(ticket: Ticket) -> Request:
    return Request(
        status=ticket.status, tier=ticket.tier, channel=ticket.channel, priority=ticket.priority,
        is_major=ticket.is_major, remote_authorised=ticket.remote_authorised,
        first_responsible=ticket.first_responsible_id, owner=ticket.owner_id, group_id=ticket.group_id,
        has_pending_handover=ticket.has_pending_handover, resolution=ticket.resolution,
        resolved_at=us(ticket.resolved_at), closed_at=us(ticket.closed_at),
        onsite_arrived_at=us(ticket.onsite_arrived_at), repeat_contacts=ticket.repeat_contacts)


def clock_of(row: SlaClock) -> Clock:
    clock = Clock(row.pk, row.kind, target_of(row.target, row.calendar_id), row.handover_id, row.target_seconds,
                  to_us(row.started_at), us(row.running_since), row.state, row.consumed_seconds, us(row.due_at),
                  us(row.warn_at), us(row.met_at), us(row.breached_at), us(row.warned_at), row.escalation_level,
                  us(row.next_escalation_at), list(row.missing_years))
    if row.state == SlaClock.State.PAUSED:
        clock.pauses.append([None, None, ""])  # the open pause already stored
    return clock


def _calendar(calendar_id: int):
    return business_clock(calendar_id)


def load_case(ticket: Ticket, *, rows: list[SlaClock] | None = None) -> Case:
    """The ticket's case with its live clocks (those a change can touch); targets are looked up when needed."""
    if rows is None:
        rows = list(SlaClock.objects.filter(ticket=ticket, state__in=LIVE).select_related("target"))
    found: dict[str, Any] = {}

    def targets():
        if "targets" not in found:
            found["targets"] = {kind: target_of(t) for kind, t in targets_for(facts_of(ticket)).items()}
        return found["targets"]

    return Case(request_of(ticket), [clock_of(row) for row in rows], targets=targets, calendar=_calendar)


def new_case(ticket: Ticket) -> Case:
    """The case without its clocks: a request about to be registered, or the rules of a change that
    moves no clock (no query)."""
    return load_case(ticket, rows=[])


def apply_request(ticket: Ticket, request: Request) -> list[str]:
    """Copy the case's request state onto the ticket; returns the names of the fields that changed."""
    changed = []
    for name in _PLAIN:
        value = getattr(request, _FIELD.get(name, name))
        value = str(value) if isinstance(value, str) else value  # plain values on the model, not the core's enums
        if getattr(ticket, name) != value:
            setattr(ticket, name, value)
            changed.append(name.removesuffix("_id"))
    for name in _INSTANTS:
        value = at(getattr(request, name))
        if us(getattr(ticket, name)) != getattr(request, name):
            setattr(ticket, name, value)
            changed.append(name)
    return changed


def _row(ticket: Ticket, clock: Clock) -> SlaClock:
    return SlaClock(ticket=ticket, kind=clock.kind, handover_id=clock.handover, **_values(clock))


def _values(clock: Clock) -> dict[str, Any]:
    return {"target_id": clock.target.id, "calendar_id": clock.target.calendar_id,
            "target_seconds": clock.target_seconds, "state": clock.state, "started_at": at(clock.started_at),
            "running_since": at(clock.running_since), "consumed_seconds": clock.consumed, "due_at": at(clock.due_at),
            "warn_at": at(clock.warn_at), "met_at": at(clock.met_at), "breached_at": at(clock.breached_at),
            "warned_at": at(clock.warned_at), "escalation_level": clock.escalation_level,
            "next_escalation_at": at(clock.next_escalation_at), "missing_years": clock.missing_years}


def planned_rows(ticket: Ticket, case: Case) -> list[SlaClock]:
    """Registration: the clocks as unsaved rows, for one `bulk_create` after the ticket's insert."""
    return [_row(ticket, clock) for clock in case.clocks]


def set_queue_columns(ticket: Ticket, case: Case) -> list[str]:
    due, state = case.queue_columns()
    ticket.sla_due_at, ticket.sla_state = at(due), str(state)
    return ["sla_due_at", "sla_state"]


def store_clocks(ticket: Ticket, case: Case) -> None:
    """Insert new clocks, update changed ones, open and close pauses."""
    new = [clock for clock in case.clocks if clock.id is None]
    if new:
        rows = SlaClock.objects.bulk_create([_row(ticket, clock) for clock in new])
        for clock, row in zip(new, rows, strict=True):
            clock.id = row.pk
    for clock in case.clocks:
        if not clock.changed:
            continue
        if clock not in new:
            SlaClock.objects.filter(pk=clock.id).update(**_values(clock))
        for started, ended, reason in clock.pauses:
            if started is None and ended is not None:
                SlaClockPause.objects.filter(clock_id=clock.id, ended_at__isnull=True).update(ended_at=at(ended))
            elif started is not None:
                SlaClockPause.objects.create(clock_id=clock.id, started_at=at(started), ended_at=at(ended),
                                             reason=reason)
        clock.changed = False
        clock.pauses = [[None, None, ""]] if clock.state == SlaClock.State.PAUSED else []


def refresh_ticket(ticket: Ticket) -> None:
    """Recompute the queue columns from the stored clocks, without bumping the version (derived data)."""
    case = load_case(ticket)
    set_queue_columns(ticket, case)
    Ticket.objects.filter(pk=ticket.pk).update(sla_due_at=ticket.sla_due_at, sla_state=ticket.sla_state)
