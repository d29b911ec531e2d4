"""Who may do what to a work order (R4.6, R5.1): the guards beside the transition table."""

from django.utils.translation import gettext as _

from fuwu.core.errors import FuwuError
from fuwu.fieldservice.codes import WorkOrderError
from fuwu.fieldservice.workflow import OPEN
from fuwu.org.policy import Perm, can, roles_of
from fuwu.org.roles import Role
from fuwu.tickets import rules as ticket_rules

OPEN_VALUES = sorted(str(status) for status in OPEN)


class MoveNotAllowed(FuwuError):
    """The step does not exist from the work order's status, or not for this user."""

    status = 403

    def __init__(self, move: str, status: str) -> None:
        from fuwu.fieldservice.models import WorkOrderMove, WorkOrderStatus

        super().__init__(
            _("“%(move)s” is not possible while the work order is “%(status)s”, or not for you.")
            % {"move": WorkOrderMove(move).label, "status": WorkOrderStatus(status).label},
            code=WorkOrderError.MOVE_NOT_ALLOWED,
        )


def is_field_technician(user) -> bool:
    return Role.TECHNICIAN in roles_of(user) and can(user, Perm.WORKORDER_WORK)


def is_assigned(user, work_order) -> bool:
    return work_order.technician_id is not None and work_order.technician_id == getattr(user, "pk", None) \
        and can(user, Perm.WORKORDER_WORK)


def may_open(user, ticket) -> bool:
    """A dispatcher, or whoever works the request, sends it on site."""
    return can(user, Perm.WORKORDER_DISPATCH) or ticket_rules.may_write(user, ticket)


def technician_works_ticket(user, ticket) -> bool:
    """Write grant for `fuwu.tickets.rules`: the technician of an open work order works its request."""
    from fuwu.fieldservice.models import WorkOrder

    return can(user, Perm.WORKORDER_WORK) and WorkOrder.objects.filter(
        ticket_id=ticket.pk, technician_id=user.pk, status__in=OPEN_VALUES).exists()

