"""Reads of work orders and visits, each scoped to the viewer (R5.1, R2.2)."""

import datetime
from dataclasses import dataclass

from django.db.models import Q, QuerySet, Sum
from django.utils import timezone

from fuwu.core.errors import NotFound
from fuwu.customers.models import Address, DeliveredProduct
from fuwu.fieldservice import rules
from fuwu.fieldservice.models import ProductDefect, Visit, WorkOrder, WorkOrderMove, WorkOrderStatus
from fuwu.fieldservice.workflow import Side, moves_from
from fuwu.materials.models import Movement, MovementKind
from fuwu.org.models import Profile
from fuwu.org.policy import Perm, can
from fuwu.org.roles import Role


def work_orders_visible_to(viewer) -> QuerySet[WorkOrder]:
    """Everything for those who oversee field work; a technician sees the orders they work or worked."""
    qs = WorkOrder.objects.select_related("ticket", "ticket__customer", "technician", "product")
    if can(viewer, Perm.WORKORDER_VIEW):
        return qs
    if can(viewer, Perm.WORKORDER_WORK):
        return qs.filter(Q(technician=viewer) | Q(visits__technician=viewer)).distinct()
    return qs.none()


def work_order_for(viewer, work_order_id: int) -> WorkOrder:
    work_order = work_orders_visible_to(viewer).filter(pk=work_order_id).first()
    if work_order is None:
        raise NotFound()
    return work_order


@dataclass(frozen=True)
class WorkOrderFilters:
    status: str = ""
    technician_id: int | None = None
    open_only: bool = True


def work_order_list(viewer, filters: WorkOrderFilters) -> QuerySet[WorkOrder]:
    qs = work_orders_visible_to(viewer)
    if filters.status:
        qs = qs.filter(status=filters.status)
    elif filters.open_only:
        qs = qs.filter(status__in=rules.OPEN_VALUES)
    if filters.technician_id:
        qs = qs.filter(technician_id=filters.technician_id)
    return qs.order_by("appointment_start", "-opened_at", "-id")


def technician_day(viewer, day: datetime.date) -> list[Visit]:
    """The technician's visits booked for one day, in the order of their appointments (R5.1)."""
    tz = timezone.get_current_timezone()
    start = datetime.datetime.combine(day, datetime.time.min, tzinfo=tz)
    return list(Visit.objects.filter(
        technician=viewer, window_start__gte=start, window_start__lt=start + datetime.timedelta(days=1),
    ).exclude(outcome__in=["declined", "cancelled"]).select_related(
        "work_order", "work_order__ticket", "work_order__ticket__customer").order_by("window_start", "id"))


def open_work_orders_of(viewer) -> QuerySet[WorkOrder]:
    """The technician's open orders not yet booked for a day, or left over from an earlier day."""
    return work_orders_visible_to(viewer).filter(technician=viewer, status__in=rules.OPEN_VALUES)


def field_technicians() -> QuerySet:
    """Active field technicians, for the dispatcher's choice."""
    profiles = Profile.objects.filter(is_active=True, user__is_active=True, roles__code=Role.TECHNICIAN)
    return profiles.select_related("user", "group", "region").order_by("employee_no")


def next_steps(viewer, work_order: WorkOrder) -> dict:
    """What this viewer can do next: the technician's steps in order, or the dispatcher's."""
    technician = rules.is_assigned(viewer, work_order)
    dispatcher = can(viewer, Perm.WORKORDER_DISPATCH)
    steps = moves_from(work_order.status, Side.TECHNICIAN) if technician else []
    must_accept = technician and work_order.status == WorkOrderStatus.DISPATCHED and work_order.accepted_at is None
    if must_accept:
        steps = [m for m in steps if m == WorkOrderMove.DECLINE]
    elif work_order.accepted_at is not None:
        steps = [m for m in steps if m != WorkOrderMove.DECLINE]
    dispatch = moves_from(work_order.status, Side.DISPATCHER) if dispatcher else []
    return {
        "must_accept": must_accept,
        "technician_steps": [WorkOrderMove(m) for m in steps],
        "can_schedule": WorkOrderMove.SCHEDULE in dispatch,
        "can_dispatch": WorkOrderMove.DISPATCH in dispatch,
        "can_cancel": WorkOrderMove.CANCEL in dispatch,
    }


def ticket_work_orders_panel(viewer, ticket) -> dict | None:
    """The request page's panel (registered in `FieldServiceConfig.ready`): its work orders and, for
    whoever may, the way on site; the form loads only when opened, so the page costs one query."""
    orders = list(work_orders_visible_to(viewer).filter(ticket=ticket).order_by("id"))
    can_open = ticket.is_open and rules.may_open(viewer, ticket) and not any(o.is_open for o in orders)
    if not orders and not can_open:
        return None
    return {"ticket": ticket, "orders": orders, "can_open": can_open}


def site_defaults(ticket) -> dict:
    """What the work order form starts from: the request's site, else the customer's address."""
    address = ticket.site_address
    if not address and ticket.customer_id:
        address = Address.objects.filter(customer_id=ticket.customer_id, is_active=True).values_list(
            "line", flat=True).first() or ""
    return {"site_address": address, "fault": ticket.description or ticket.title,
            "contact_name": ticket.contact_name, "contact_phone": ticket.contact_phone}


def products_of_ticket_customer(ticket) -> QuerySet[DeliveredProduct]:
    if not ticket.customer_id:
        return DeliveredProduct.objects.none()
    return DeliveredProduct.objects.filter(customer_id=ticket.customer_id, is_active=True)


def customer_ids_of_field_work(viewer) -> QuerySet:
    """Work scope for `fuwu.customers` (R2.2): a technician sees the customers they are sent to."""
    return WorkOrder.objects.filter(
        Q(technician=viewer) | Q(visits__technician=viewer), ticket__customer__isnull=False,
    ).values("ticket__customer_id")


def product_defects(viewer) -> QuerySet:
    """Defects fed back from repairs (R5.3), for those who oversee field work and quality."""
    if not can(viewer, Perm.WORKORDER_VIEW):
        return ProductDefect.objects.none()
    return ProductDefect.objects.select_related("work_order", "product", "product__customer", "reported_by")


def parts_used(work_order: WorkOrder) -> list[dict]:
    """The parts consumed on a work order (R5.2), summed per item, for its page and its PDF."""
    rows = (Movement.objects.filter(work_order_id=work_order.pk, kind=MovementKind.CONSUMPTION).order_by()
            .values("item__code", "item__name", "item__specification", "item__unit")
            .annotate(quantity=Sum("quantity")).order_by("item__code"))
    return [{"code": r["item__code"], "name": r["item__name"], "specification": r["item__specification"],
             "unit": r["item__unit"], "quantity": r["quantity"]} for r in rows]


def week_of(day: datetime.date) -> list[datetime.date]:
    """The seven days, Monday first, of the week `day` falls in."""
    monday = day - datetime.timedelta(days=day.weekday())
    return [monday + datetime.timedelta(days=n) for n in range(7)]


def week_board(viewer, *, days: list[datetime.date], group_id: int | None = None,
               technician_id: int | None = None) -> list[tuple[Profile, list[tuple[datetime.date, list[Visit]]]]]:
    """The booked visits of a week per technician (R4.5): one row per technician of the group (or the
    one asked for), one cell per day; a technician sees only their own row."""
    profiles = field_technicians()
    if not can(viewer, Perm.WORKORDER_VIEW):
        profiles = profiles.filter(user=viewer)
    if group_id:
        profiles = profiles.filter(group_id=group_id)
    if technician_id:
        profiles = profiles.filter(user_id=technician_id)
    profiles = list(profiles)
    tz = timezone.get_current_timezone()
    start = datetime.datetime.combine(days[0], datetime.time.min, tzinfo=tz)
    visits = (Visit.objects.filter(technician_id__in=[p.user_id for p in profiles], window_start__gte=start,
                                   window_start__lt=start + datetime.timedelta(days=len(days)))
              .exclude(outcome__in=["declined", "cancelled"])
              .select_related("work_order", "work_order__ticket__customer").order_by("window_start"))
    cells: dict[tuple[int, datetime.date], list[Visit]] = {}
    for visit in visits:
        cells.setdefault((visit.technician_id, timezone.localtime(visit.window_start).date()), []).append(visit)
    return [(p, [(day, cells.get((p.user_id, day), [])) for day in days]) for p in profiles]
