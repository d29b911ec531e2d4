"""What the field-service year draws on, read from the database once: the on-site requests the
requests' load wrote, the staff, the customers' products, the technicians' working calendar and
the materials ledger as it stands.

An on-site request's own record says when it went on site (its on-site arrival clock started at
the tier change), when and by whom the site was reached (`onsite_arrived_at`, the owner who
recorded it) and when it was first resolved (the first resolution clock met). The work orders are
built to agree with that record, never to contradict it.
"""

from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db.models import Min

from fuwu.core.audit import actor_display_name
from fuwu.core.request_context import current_request_id
from fuwu.customers.models import DeliveredProduct
from fuwu.fieldservice.dispatch import working_schedule
from fuwu.fieldservice.models import WorkOrder
from fuwu.fieldservice.selectors import field_technicians
from fuwu.materials.models import Item, Movement, MovementKind, StockHolding
from fuwu.org.models import Skill
from fuwu.org.policy import Perm, can
from fuwu.org.roles import Role
from fuwu.standards.businesstime import Schedule, to_us
from fuwu.tickets.lifecycle import Tier
from fuwu.tickets.models import SlaClock, Ticket
from fuwu.tickets.workflow.states import ClockKind


@dataclass(slots=True)
class OnSiteRequest:
    """An on-site request as the requests' load left it (instants in microseconds, `businesstime.to_us`)."""

    ticket_id: int
    number: str
    title: str
    description: str
    customer_id: int | None
    contact_name: str
    contact_phone: str
    site_address: str
    region_id: int | None
    owner: int | None  # the technician who took it on and recorded the arrival
    first_responsible: int
    went_onsite: int  # the tier change: its arrival clock started then
    arrived: int | None  # `onsite_arrived_at`
    resolved: int | None  # first met resolution clock, else `resolved_at`


@dataclass(slots=True)
class ItemInfo:
    id: int
    code: str
    unit_cost: object  # Decimal
    reorder_level: int


@dataclass
class FieldWorld:
    now: int
    schedule: Schedule
    requests: list[OnSiteRequest]
    technicians: list[int]
    dispatchers: list[int]  # the hotline agents: they book and dispatch (Perm.WORKORDER_DISPATCH)
    storekeeper: int | None  # who receives and issues stock (Perm.MATERIALS_MANAGE)
    names: dict[int | None, str]
    skills: dict[str, int]  # code: id, of the skills technicians have
    products: dict[int, tuple[int, object]]  # customer id: (first active product id, its warranty end date)
    items: dict[str, ItemInfo]
    holdings: dict[tuple[int, int | None], int]  # (item id, holder or None for the store): quantity
    low_notified: dict[int, bool]  # per item: the store holding's flag
    receipts: int  # receipts recorded so far (their references are numbered on)
    request_id: str = ""
    technician_skills: dict[int, set[int]] = field(default_factory=dict)


def _on_site_requests() -> list[OnSiteRequest]:
    went = dict(SlaClock.objects.filter(kind=ClockKind.ONSITE_ARRIVAL).order_by().values("ticket_id")
                .annotate(at=Min("started_at")).values_list("ticket_id", "at"))
    resolved = dict(SlaClock.objects.filter(kind=ClockKind.RESOLUTION, met_at__isnull=False,
                                            ticket__tier=Tier.ONSITE).order_by().values("ticket_id")
                    .annotate(at=Min("met_at")).values_list("ticket_id", "at"))
    taken = set(WorkOrder.objects.values_list("ticket_id", flat=True))
    found = []
    rows = Ticket.objects.filter(tier=Tier.ONSITE).order_by().values_list(
        "id", "number", "title", "description", "customer_id", "contact_name", "contact_phone", "site_address",
        "region_id", "owner_id", "first_responsible_id", "onsite_arrived_at", "resolved_at")
    for (ticket_id, number, title, description, customer_id, contact_name, contact_phone, site_address, region_id,
         owner, first_responsible, arrived, resolved_at) in rows.iterator(chunk_size=20_000):
        onsite = went.get(ticket_id)
        if onsite is None or ticket_id in taken or not site_address:
            continue  # no arrival clock to say when it went on site, or a work order of its own already
        first_resolved = resolved.get(ticket_id) or resolved_at
        found.append(OnSiteRequest(
            ticket_id, number, title, description, customer_id, contact_name, contact_phone, site_address, region_id,
            owner, first_responsible, to_us(onsite), to_us(arrived) if arrived else None,
            to_us(first_resolved) if first_resolved else None))
    found.sort(key=lambda r: (r.went_onsite, r.ticket_id))
    return found


def load_world(*, now) -> FieldWorld:
    users = get_user_model().objects.filter(is_active=True, profile__is_active=True)
    technicians = [p.user_id for p in field_technicians().order_by("user_id")]
    dispatchers = list(users.filter(profile__roles__code=Role.AGENT).distinct().order_by("pk"))
    dispatchers = [u for u in dispatchers if can(u, Perm.WORKORDER_DISPATCH)]
    keepers = [u for u in users.filter(profile__roles__code=Role.MANAGER).distinct().order_by("pk")
               if can(u, Perm.MATERIALS_MANAGE)]
    staff = get_user_model().objects.filter(pk__in=[*technicians, *(u.pk for u in dispatchers),
                                                   *(u.pk for u in keepers[:1])])
    names: dict[int | None, str] = {u.pk: actor_display_name(u) for u in staff}
    names[None] = actor_display_name(None)
    technician_skills: dict[int, set[int]] = {}
    for user_id, skill_id in Skill.objects.filter(profiles__user_id__in=technicians).values_list(
            "profiles__user_id", "id"):
        technician_skills.setdefault(user_id, set()).add(skill_id)
    products: dict[int, tuple[int, object]] = {}
    for product_id, customer_id, ends in DeliveredProduct.objects.filter(is_active=True).order_by("id").values_list(
            "id", "customer_id", "warranty_ends_on"):
        products.setdefault(customer_id, (product_id, ends))
    items = {code: ItemInfo(pk, code, cost, level) for pk, code, cost, level in Item.objects.filter(
        is_active=True).values_list("id", "code", "unit_cost", "reorder_level")}
    holdings, low = {}, {}
    for item_id, holder_id, quantity, low_notified in StockHolding.objects.values_list(
            "item_id", "holder_id", "quantity", "low_notified"):
        holdings[(item_id, holder_id)] = quantity
        if holder_id is None:
            low[item_id] = low_notified
    return FieldWorld(
        now=to_us(now),
        schedule=working_schedule(),
        requests=_on_site_requests(),
        technicians=technicians,
        dispatchers=[u.pk for u in dispatchers],
        storekeeper=keepers[0].pk if keepers else None,
        names=names,
        skills=dict(Skill.objects.filter(id__in={s for found in technician_skills.values() for s in found})
                    .values_list("code", "id")),
        products=products,
        items=items,
        holdings=holdings,
        low_notified=low,
        receipts=Movement.objects.filter(kind=MovementKind.RECEIPT).count(),
        request_id=current_request_id.get(),
        technician_skills=technician_skills,
    )
