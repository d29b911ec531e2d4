"""Taking a request: registration with first-contact responsibility, repeat contacts, major matters."""

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fuwu.core.audit import audit_record
from fuwu.core.errors import InvalidInput, PermissionDenied
from fuwu.core.locking import lock_row
from fuwu.core.outbox import outbox_notify
from fuwu.core.validation import Errors
from fuwu.customers.models import Customer
from fuwu.org.models import Profile
from fuwu.org.policy import Perm, require
from fuwu.org.roles import Role
from fuwu.org.selectors import users_holding
from fuwu.standards.businesstime import to_us
from fuwu.standards.models import Channel
from fuwu.tickets import rules
from fuwu.tickets.actions._common import _save, _url
from fuwu.tickets.actions.moves import ticket_move
from fuwu.tickets.cases import apply_request, new_case, planned_rows, set_queue_columns
from fuwu.tickets.codes import TicketAction, TicketError
from fuwu.tickets.events import ticket_registered
from fuwu.tickets.lifecycle import Move
from fuwu.tickets.models import RepeatContact, SlaClock, Ticket, TicketLink, TicketNumberSequence
from fuwu.tickets.validation import TicketInput, clean_ticket
from fuwu.tickets.workflow import payloads
from fuwu.tickets.workflow.case import Refused


def _next_number(year: int) -> str:
    """FW-2026-000123: unique and without gaps per year, safe under concurrent registration.

    The row lock the UPDATE takes serialises registrations until they commit, so it is taken as
    late as possible (just before the ticket's insert); one statement once the year's row exists.
    """
    table = connection.ops.quote_name(TicketNumberSequence._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET last = last + 1 WHERE year = %s RETURNING last", [year])  # noqa: S608
        row = cursor.fetchone()
    if row is None:  # the year's first request
        TicketNumberSequence.objects.get_or_create(year=year)
        return _next_number(year)
    return f"FW-{year}-{row[0]:06d}"


@transaction.atomic
def ticket_register(
    *,
    actor,
    data: TicketInput,
    settle_with_resolution: str = "",
    retroactive: bool = False,
    major: bool = False,
    unassigned: bool = False,
) -> Ticket:
    """Register a request taken by `actor`, who becomes its first-responsible person for good (R3.3).

    `settle_with_resolution` settles it at first contact (一次办结); `retroactive` marks a request
    registered after the work, with its real start time in `data.received_at` (R3.7); `major`
    tells the general manager at once (R3.5). `unassigned` leaves the owner empty: a request the
    system takes (the customer portal's) waits in its group's queue until someone accepts it.
    """
    require(actor, Perm.TICKET_WORK)
    errors = Errors()
    refs = clean_ticket(data, errors)
    service_type = refs.service_type
    now = timezone.now()
    if data.received_at is not None and timezone.is_naive(data.received_at):
        data.received_at = timezone.make_aware(data.received_at)  # a wall-clock time in the site's zone
    if retroactive and data.received_at is None:
        errors.add("received_at", _("Give the real start time of the work done before registering."))
    if data.received_at is not None and data.received_at > now:
        errors.add("received_at", _("The time received cannot be in the future."))
    customer = None
    if data.customer_id:
        customer = Customer.objects.filter(pk=data.customer_id, is_active=True).only("name", "customer_class").first()
        if customer is None:
            errors.add("customer_id", _("Choose an existing customer."))
    errors.raise_if_any()
    profile = Profile.objects.filter(user=actor).select_related("group").first()
    received_at = data.received_at or now
    ticket = Ticket(
        service_type=service_type,
        kind=service_type.kind,
        title=data.title[:200],
        description=data.description,
        customer=customer,
        contact_name=data.contact_name,
        contact_phone=data.contact_phone,
        contact_email=data.contact_email,
        site_address=data.site_address,
        region=refs.region,
        channel=data.channel,
        received_at=received_at,
        occurred_since=data.occurred_since,
        registered_at=now,
        is_retroactive=retroactive,
        priority=data.priority or service_type.default_priority,
        first_responsible=actor,
        owner=None if unassigned else actor,
        group=profile.group if profile and profile.group else service_type.default_group,
        updated_at=now,
    )
    case = new_case(ticket)
    case.register(to_us(received_at), to_us(now))
    planned_clocks = planned_rows(ticket, case)
    set_queue_columns(ticket, case)
    # The locks (number sequence row, audit chain) are taken last and held only until the commit.
    ticket.number = _next_number(timezone.localtime(received_at).year)
    ticket.save(force_insert=True)
    SlaClock.objects.bulk_create(planned_clocks)
    audit_record(
        actor=actor,
        action=TicketAction.REGISTERED,
        obj=ticket,
        payload=payloads.registered(number=ticket.number, type_code=service_type.code, channel=ticket.channel,
                                    retroactive=retroactive, received_at=received_at),
    )
    if settle_with_resolution.strip():
        ticket_move(actor=actor, ticket=ticket, expected_version=ticket.version, move=Move.RESOLVE,
                    resolution=settle_with_resolution)
        ticket.refresh_from_db()
    if major:
        ticket_mark_major(actor=actor, ticket=ticket, reason=_("Marked major at registration."))
        ticket.refresh_from_db()
    if ticket_registered(actor, ticket):  # higher apps hear of the request as registered: settled, major
        ticket.refresh_from_db()  # a listener moved it (a major complaint's clocks)
    return ticket


@transaction.atomic
def ticket_link_repeat(*, actor, ticket: Ticket, channel: str = Channel.PHONE, note: str = "") -> RepeatContact:
    """The customer contacted us again about this open matter: linked and counted, no new ticket (R3.4)."""
    require(actor, Perm.TICKET_WORK)  # whoever takes the repeat call, not only the owner
    locked = lock_row(Ticket.objects.all(), ticket.pk, expected_version=None)
    case = new_case(locked)
    try:
        case.repeat_contact()
    except Refused:
        raise InvalidInput(code=TicketError.TICKET_CLOSED,
                           errors={"ticket": [_("Only an open request takes repeat contacts.")]}) from None
    if channel not in Channel.values:
        raise InvalidInput(errors={"channel": [_("Choose how the request came in.")]})
    repeat = RepeatContact.objects.create(ticket=locked, channel=channel, received_at=timezone.now(), taken_by=actor,
                                          note=note.strip())
    _save(locked, apply_request(locked, case.request))
    audit_record(actor=actor, action=TicketAction.REPEAT_CONTACT, obj=locked,
                 payload=payloads.repeat_contact(repeat_id=repeat.pk, channel=channel, note=repeat.note))
    outbox_notify(recipients=[locked.owner], subject=lambda: _("The customer called again about %(t)s") % {"t": locked},
                  body=repeat.note, url=_url(locked), obj=locked)
    return repeat


@transaction.atomic
def ticket_mark_major(*, actor, ticket: Ticket, reason: str) -> Ticket:
    """A major matter goes to the general manager at once (R3.5), in-app and by e-mail."""
    locked = lock_row(Ticket.objects.all(), ticket.pk, expected_version=None)
    if not rules.may_write(actor, locked):
        raise PermissionDenied(code=TicketError.FORBIDDEN_MAJOR)
    if locked.is_major:
        return locked
    locked.is_major = True
    _save(locked, ["is_major"])
    audit_record(actor=actor, action=TicketAction.MARKED_MAJOR, obj=locked,
                 payload=payloads.marked_major(reason=reason.strip()))
    managers = users_holding(Role.GENERAL_MANAGER, Role.MANAGER)
    outbox_notify(recipients=managers, subject=lambda: _("Major matter: %(t)s") % {"t": locked}, body=reason,
                  url=_url(locked), obj=locked, dedupe_key=f"major:{locked.pk}", by_email=True)
    return locked


@transaction.atomic
def ticket_link(*, actor, source: Ticket, target: Ticket, kind: str = TicketLink.Kind.RELATED) -> TicketLink:
    """Link one request to another (a complaint to the request it is about, R8.1); once per pair.

    The event is recorded on the source request, naming the target."""
    require(actor, Perm.TICKET_WORK)
    if kind not in TicketLink.Kind.values or source.pk == target.pk:
        raise InvalidInput(errors={"target": [_("Choose another request to link.")]})
    link, created = TicketLink.objects.get_or_create(
        source=source, target=target, defaults={"kind": kind, "created_by": actor, "created_at": timezone.now()})
    if created:
        audit_record(actor=actor, action=TicketAction.LINKED, obj=source,
                     payload={"target": target.number, "kind": str(kind)})
    return link
