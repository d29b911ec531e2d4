"""Registered hand-overs (登记移交) and a manager's direct reassignment (R3.3)."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fuwu.core.audit import audit_record
from fuwu.core.errors import InvalidInput, PermissionDenied
from fuwu.core.locking import lock_row
from fuwu.core.outbox import outbox_notify
from fuwu.org.models import Group, Profile
from fuwu.org.policy import Perm, require
from fuwu.standards.businesstime import to_us
from fuwu.tickets import rules
from fuwu.tickets.actions._common import _store, _url
from fuwu.tickets.cases import load_case
from fuwu.tickets.codes import TicketAction, TicketError
from fuwu.tickets.models import Handover, Ticket
from fuwu.tickets.workflow import payloads
from fuwu.tickets.workflow.case import Refused


@transaction.atomic
def ticket_hand_over(*, actor, ticket: Ticket, expected_version: int | None, to_group: Group, to_user=None,
                     note: str) -> Handover:
    """Register a hand-off to a group or person (登记移交, R3.3). The owner stays owner until accepted."""
    locked = lock_row(Ticket.objects.all(), ticket.pk, expected_version=expected_version, report=("status",))
    if not rules.may_hand_over(actor, locked):
        raise PermissionDenied(code=TicketError.FORBIDDEN_HANDOVER)
    if not note.strip():
        raise InvalidInput(errors={"note": [_("Say what is handed over and what is expected.")]})
    if to_user is not None and not Profile.objects.filter(user=to_user, group=to_group, is_active=True).exists():
        raise InvalidInput(errors={"to_user": [_("This person is not in the chosen group.")]})
    case = load_case(locked)
    try:
        case.check_hand_over()
    except Refused:
        raise InvalidInput(code=TicketError.HANDOVER_PENDING,
                           errors={"to_group": [_("A hand-over is already waiting.")]}) from None
    now = timezone.now()
    handover = Handover.objects.create(
        ticket=locked, from_user=actor, to_group=to_group, to_user=to_user, note=note.strip(), created_at=now
    )
    case.hand_over(handover.pk, to_us(now))
    _store(locked, case, [], now)
    audit_record(
        actor=actor, action=TicketAction.HANDOVER_REQUESTED, obj=locked,
        payload=payloads.handover_requested(handover_id=handover.pk, to_group=to_group.code,
                                            to_user=getattr(to_user, "pk", None), note=handover.note),
    )
    targets = [to_user] if to_user else [p.user for p in Profile.objects.filter(group=to_group, is_active=True)
                                         .select_related("user")]
    outbox_notify(recipients=targets, subject=lambda: _("Hand-over waiting: %(t)s") % {"t": locked}, body=handover.note,
                  url=_url(locked), obj=locked)
    return handover


def _pending(handover: Handover) -> Handover:
    handover = Handover.objects.select_for_update().get(pk=handover.pk)
    if handover.state != Handover.State.PENDING:
        raise InvalidInput(code=TicketError.HANDOVER_DECIDED,
                           errors={"handover": [_("This hand-over is already decided.")]})
    return handover


@transaction.atomic
def handover_accept(*, actor, handover: Handover) -> Ticket:
    """The target takes the request on: it becomes owner, in the target group (R3.3); a new request
    is accepted through the transition table."""
    ticket = lock_row(Ticket.objects.all(), handover.ticket.pk, expected_version=None)
    handover = _pending(handover)
    if not rules.may_decide_handover(actor, handover):
        raise PermissionDenied(code=TicketError.FORBIDDEN_HANDOVER_DECIDE)
    now = timezone.now()
    handover.state, handover.decided_by, handover.decided_at = Handover.State.ACCEPTED, actor, now
    handover.save(update_fields=["state", "decided_by", "decided_at"])
    case = load_case(ticket)
    decided = case.accept_handover(handover.pk, to_us(now), actor=actor.pk, to_group=handover.to_group_id)
    _store(ticket, case, [], now)
    audit_record(actor=actor, action=TicketAction.HANDOVER_ACCEPTED, obj=ticket,
                 payload=payloads.handover_accepted(handover_id=handover.pk, decided=decided))
    outbox_notify(recipients=[handover.from_user, ticket.first_responsible],
                  subject=lambda: _("%(t)s was taken on by %(name)s") % {"t": ticket, "name": actor.get_full_name()},
                  url=_url(ticket), obj=ticket)
    return ticket


@transaction.atomic
def handover_decline(*, actor, handover: Handover, reason: str) -> Handover:
    """Refuse a hand-over with a reason; recorded, so passing the buck (推诿) shows (R3.3, R11.5)."""
    ticket = lock_row(Ticket.objects.all(), handover.ticket.pk, expected_version=None)
    handover = _pending(handover)
    if not rules.may_decide_handover(actor, handover):
        raise PermissionDenied(code=TicketError.FORBIDDEN_HANDOVER_DECIDE)
    if not reason.strip():
        raise InvalidInput(errors={"reason": [_("Give a reason for declining.")]})
    now = timezone.now()
    handover.state, handover.decided_by, handover.decided_at = Handover.State.DECLINED, actor, now
    handover.decline_reason = reason.strip()
    handover.save(update_fields=["state", "decided_by", "decided_at", "decline_reason"])
    case = load_case(ticket)
    case.end_handover(handover.pk, to_us(now))
    _store(ticket, case, [], now)
    audit_record(actor=actor, action=TicketAction.HANDOVER_DECLINED, obj=ticket,
                 payload=payloads.handover_declined(handover_id=handover.pk, reason=handover.decline_reason))
    outbox_notify(recipients=[handover.from_user, ticket.first_responsible],
                  subject=lambda: _("Hand-over of %(t)s declined") % {"t": ticket}, body=handover.decline_reason,
                  url=_url(ticket), obj=ticket)
    return handover


@transaction.atomic
def ticket_reassign(*, actor, ticket: Ticket, expected_version: int | None, to_group: Group, to_user=None,
                    note: str) -> Ticket:
    """A manager moves the request directly, with a note (R3.3); a waiting hand-over is withdrawn."""
    require(actor, Perm.TICKET_MANAGE)
    locked = lock_row(Ticket.objects.all(), ticket.pk, expected_version=expected_version, report=("status",))
    if not note.strip():
        raise InvalidInput(errors={"note": [_("Say why the request is reassigned.")]})
    if to_user is not None and not Profile.objects.filter(user=to_user, group=to_group, is_active=True).exists():
        raise InvalidInput(errors={"to_user": [_("This person is not in the chosen group.")]})
    now = timezone.now()
    case = load_case(locked)
    for pending in Handover.objects.filter(ticket=locked, state=Handover.State.PENDING):
        pending.state, pending.decided_by, pending.decided_at = Handover.State.WITHDRAWN, actor, now
        pending.save(update_fields=["state", "decided_by", "decided_at"])
        case.end_handover(pending.pk, to_us(now))
    old = {"owner": locked.owner_id, "group": locked.group_id}
    case.reassign(getattr(to_user, "pk", None), to_group.pk)
    _store(locked, case, [], now)
    audit_record(actor=actor, action=TicketAction.REASSIGNED, obj=locked,
                 payload={"old": old, "new": {"owner": getattr(to_user, "pk", None), "group": to_group.pk},
                          "note": note.strip()})
    outbox_notify(recipients=[to_user, locked.first_responsible], subject=lambda: _("%(t)s reassigned") % {"t": locked},
                  body=note.strip(), url=_url(locked), obj=locked)
    return locked
