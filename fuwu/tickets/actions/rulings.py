"""A disagreement between departments that blocks the work goes to the office for a ruling (R4.7)."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fuwu.core.audit import audit_record
from fuwu.core.errors import InvalidInput, PermissionDenied
from fuwu.core.locking import lock_row
from fuwu.core.outbox import outbox_notify
from fuwu.org.policy import Perm, require
from fuwu.org.roles import Role
from fuwu.org.selectors import users_holding
from fuwu.tickets import rules
from fuwu.tickets.actions._common import _url
from fuwu.tickets.codes import TicketAction, TicketError
from fuwu.tickets.models import OfficeRuling, Ticket


@transaction.atomic
def ruling_request(*, actor, ticket: Ticket, question: str) -> OfficeRuling:
    locked = lock_row(Ticket.objects.all(), ticket.pk, expected_version=None)
    if not rules.may_write(actor, locked):
        raise PermissionDenied(code=TicketError.FORBIDDEN_RULING_REQUEST)
    if not question.strip():
        raise InvalidInput(errors={"question": [_("Describe the disagreement and what must be decided.")]})
    ruling = OfficeRuling.objects.create(ticket=locked, requested_by=actor, requested_at=timezone.now(),
                                         question=question.strip())
    audit_record(actor=actor, action=TicketAction.RULING_REQUESTED, obj=locked,
                 payload={"ruling_id": ruling.pk, "question": ruling.question})
    arbiters = users_holding(Role.GENERAL_MANAGER, Role.ADMIN)
    outbox_notify(recipients=arbiters, subject=lambda: _("Ruling requested on %(t)s") % {"t": locked},
                  body=ruling.question, url=_url(locked), obj=locked)
    return ruling


@transaction.atomic
def ruling_record(*, actor, ruling: OfficeRuling, text: str) -> OfficeRuling:
    require(actor, Perm.TICKET_RULE)
    ruling = OfficeRuling.objects.select_for_update().get(pk=ruling.pk)
    if ruling.ruled_at is not None:
        raise InvalidInput(code=TicketError.ALREADY_RULED, errors={"ruling": [_("This question has been ruled on.")]})
    if not text.strip():
        raise InvalidInput(errors={"ruling": [_("Write the ruling.")]})
    ruling.ruling, ruling.ruled_by, ruling.ruled_at = text.strip(), actor, timezone.now()
    ruling.save(update_fields=["ruling", "ruled_by", "ruled_at"])
    audit_record(actor=actor, action=TicketAction.RULING_RECORDED, obj=ruling.ticket,
                 payload={"ruling_id": ruling.pk, "ruling": ruling.ruling})
    outbox_notify(recipients=[ruling.requested_by, ruling.ticket.owner, ruling.ticket.first_responsible],
                  subject=lambda: _("Ruling on %(t)s") % {"t": ruling.ticket}, body=ruling.ruling,
                  url=_url(ruling.ticket), obj=ruling.ticket)
    return ruling
