"""Changes that move a request's SLA clocks on their own: reclassification and on-site arrival."""

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fuwu.core.audit import audit_record
from fuwu.core.errors import InvalidInput, PermissionDenied
from fuwu.core.locking import lock_row
from fuwu.standards.businesstime import to_us
from fuwu.standards.models import Priority, ServiceType
from fuwu.tickets import rules
from fuwu.tickets.actions._common import _store
from fuwu.tickets.cases import at, load_case
from fuwu.tickets.codes import TicketAction, TicketError
from fuwu.tickets.models import Ticket
from fuwu.tickets.workflow import payloads
from fuwu.tickets.workflow.case import Refusal, Refused


@transaction.atomic
def ticket_reclassify(*, actor, ticket: Ticket, expected_version: int | None, reason: str,
                      service_type: ServiceType | None = None, priority: str | None = None) -> Ticket:
    """Change the service type or priority; the SLA clocks take the targets that now apply (R10.4).

    Working time already used counts against the new targets; the re-evaluation is in the event.
    """
    locked = lock_row(Ticket.objects.all(), ticket.pk, expected_version=expected_version, report=("status",))
    if not (locked.is_open and rules.may_write(actor, locked)):
        raise PermissionDenied(code=TicketError.FORBIDDEN_RECLASSIFY)
    errors: dict[str, list[str]] = {}
    if priority is not None and priority not in Priority.values:
        errors["priority"] = [_("Choose a priority.")]
    if service_type is not None and not service_type.is_active:
        errors["service_type"] = [_("Choose an active service type.")]
    new_type = service_type or locked.service_type
    new_priority = priority or locked.priority
    if not errors and new_type.pk == locked.service_type_id and new_priority == locked.priority:
        errors["service_type"] = [_("Change the type or the priority.")]
    if not reason.strip():
        errors["reason"] = [_("Give a reason.")]
    if errors:
        raise InvalidInput(errors=errors)
    payload = {"from": {"type": locked.service_type.code, "priority": locked.priority},
               "to": {"type": new_type.code, "priority": new_priority}, "reason": reason.strip()}
    now = timezone.now()
    locked.service_type, locked.kind, locked.priority = new_type, new_type.kind, new_priority
    case = load_case(locked)
    payload["clocks"] = case.reclassify(to_us(now), at)
    _store(locked, case, ["service_type", "kind", "priority"], now)
    audit_record(actor=actor, action=TicketAction.RECLASSIFIED, obj=locked, payload=payload)
    return locked


@transaction.atomic
def ticket_record_arrival(*, actor, ticket: Ticket, expected_version: int | None,
                          arrived_at: datetime | None = None) -> Ticket:
    """The technician is on site (R4.4): meets the on-site arrival clock. Recorded once."""
    locked = lock_row(Ticket.objects.all(), ticket.pk, expected_version=expected_version, report=("status",))
    if not (locked.is_open and rules.may_write(actor, locked)):
        raise PermissionDenied(code=TicketError.FORBIDDEN_ARRIVAL)
    now = timezone.now()
    arrived_at = arrived_at or now
    if timezone.is_naive(arrived_at):
        arrived_at = timezone.make_aware(arrived_at)
    case = load_case(locked)
    try:
        case.arrive(to_us(arrived_at))
    except Refused as refused:
        if refused.refusal == Refusal.NOT_ONSITE:
            raise InvalidInput(code=TicketError.NOT_ONSITE,
                               errors={"tier": [_("Switch the request to on-site service first.")]}) from None
        raise InvalidInput(code=TicketError.ALREADY_ARRIVED,
                           errors={"arrived_at": [_("The arrival is already recorded.")]}) from None
    if arrived_at > now or arrived_at < locked.received_at:
        raise InvalidInput(errors={"arrived_at": [_("The arrival time must lie between receipt and now.")]})
    _store(locked, case, [], now)
    audit_record(actor=actor, action=TicketAction.ARRIVED_ON_SITE, obj=locked,
                 payload=payloads.arrived(arrived_at=arrived_at))
    return locked


@transaction.atomic
def ticket_put_on_major_footing(*, actor, ticket: Ticket, reason: str) -> Ticket:
    """Put a request on the footing of a major matter for a higher app's action that has passed its own
    permission check (a major complaint or a claim, R6.3): marked major, so the breach watch reaches the
    general manager (R3.5), and urgent, so its clocks take the urgent targets (for a complaint, the
    major-complaint policy), keeping the working time used. The caller sends its own notice. A closed
    request, or one already major and urgent, is left as it is."""
    locked = lock_row(Ticket.objects.all(), ticket.pk, expected_version=None, report=("status",))
    if not locked.is_open or (locked.is_major and locked.priority == Priority.URGENT):
        return locked
    now = timezone.now()
    was_major, was_priority = locked.is_major, locked.priority
    locked.is_major, locked.priority = True, Priority.URGENT
    case = load_case(locked)
    clocks = case.reclassify(to_us(now), at) if was_priority != Priority.URGENT else []
    _store(locked, case, ["is_major", "priority"], now)
    if not was_major:
        audit_record(actor=actor, action=TicketAction.MARKED_MAJOR, obj=locked,
                     payload=payloads.marked_major(reason=reason.strip()))
    if was_priority != Priority.URGENT:
        type_code = locked.service_type.code
        audit_record(actor=actor, action=TicketAction.RECLASSIFIED, obj=locked, payload={
            "from": {"type": type_code, "priority": was_priority},
            "to": {"type": type_code, "priority": Priority.URGENT}, "reason": reason.strip(), "clocks": clocks})
    return locked
