"""Reads of the materials ledger, scoped to the viewer (R13.2, R1.2).

Whoever holds MATERIALS_VIEW through a role other than technician sees the whole ledger; a
technician sees the catalogue with the store's stock, and only their own holdings and movements.
"""

import decimal
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import DecimalField, ExpressionWrapper, F, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce

from fuwu.core.querysets import get_visible
from fuwu.materials.models import Item, Movement, StockHolding
from fuwu.org.policy import ROLE_PERMISSIONS, Perm, permission_denied, require, roles_of
from fuwu.org.roles import Role

PAGE_SIZE = 50


def sees_all(viewer) -> bool:
    """True for a viewer who may see every holder's stock (not only a technician's own)."""
    return any(Perm.MATERIALS_VIEW in ROLE_PERMISSIONS[role] for role in roles_of(viewer) - {Role.TECHNICIAN})


@dataclass(frozen=True)
class ItemFilters:
    q: str = ""
    low_only: bool = False
    include_inactive: bool = False


def items_with_stock(viewer, filters: ItemFilters = ItemFilters()) -> QuerySet[Item]:
    """Items annotated with the store's quantity, the total held anywhere and its value: one query."""
    require(viewer, Perm.MATERIALS_VIEW)
    zero = Value(0)
    qs = Item.objects.annotate(
        store_quantity=Coalesce(Sum("holdings__quantity", filter=Q(holdings__holder__isnull=True)), zero),
        total_quantity=Coalesce(Sum("holdings__quantity"), zero),
        mine_quantity=Coalesce(Sum("holdings__quantity", filter=Q(holdings__holder=viewer)), zero),
    ).annotate(
        stock_value=ExpressionWrapper(F("total_quantity") * F("unit_cost"),
                                      output_field=DecimalField(max_digits=20, decimal_places=2)),
    )
    if not filters.include_inactive:
        qs = qs.filter(is_active=True)
    if q := filters.q.strip():
        qs = qs.filter(Q(code__icontains=q) | Q(name__icontains=q) | Q(specification__icontains=q))
    if filters.low_only:
        qs = qs.filter(reorder_level__gt=0, store_quantity__lte=F("reorder_level"))
    return qs.order_by("code")


def low_stock_items(viewer) -> QuerySet[Item]:
    return items_with_stock(viewer, ItemFilters(low_only=True))


def stock_value(viewer) -> decimal.Decimal:
    """What everything held is worth at the items' current unit costs (for finance and managers only)."""
    if not sees_all(viewer):
        raise permission_denied(Perm.MATERIALS_VIEW)
    total = StockHolding.objects.filter(item__is_active=True).aggregate(
        value=Sum(ExpressionWrapper(F("quantity") * F("item__unit_cost"),
                                    output_field=DecimalField(max_digits=20, decimal_places=2))))["value"]
    return total or decimal.Decimal("0.00")


def access_item(viewer, item_id, *, for_write: bool = False) -> Item:
    require(viewer, Perm.MATERIALS_MANAGE if for_write else Perm.MATERIALS_VIEW)
    return get_visible(Item.objects.all(), item_id)


def item_holdings(viewer, item: Item) -> list[StockHolding]:
    """Who holds the item: the store first, then technicians; a technician sees the store and themselves."""
    require(viewer, Perm.MATERIALS_VIEW)
    qs = StockHolding.objects.filter(item=item).select_related("holder")
    if not sees_all(viewer):
        qs = qs.filter(Q(holder__isnull=True) | Q(holder=viewer))
    return list(qs.filter(Q(holder__isnull=True) | Q(quantity__gt=0)).order_by(
        F("holder_id").asc(nulls_first=True)))


@dataclass(frozen=True)
class MovementFilters:
    item_id: int | None = None
    kind: str = ""
    technician_id: int | None = None
    work_order_id: int | None = None


def movements_visible_to(viewer) -> QuerySet[Movement]:
    require(viewer, Perm.MATERIALS_VIEW)
    qs = Movement.objects.all()
    if not sees_all(viewer):
        qs = qs.filter(Q(from_holder=viewer) | Q(to_holder=viewer))
    return qs


def movement_page(viewer, filters: MovementFilters = MovementFilters(), *, before_id: int | None = None,
                  size: int = PAGE_SIZE) -> tuple[list[Movement], bool]:
    """Newest first, in keyset pages: the rows and whether there are more."""
    qs = movements_visible_to(viewer).select_related("item", "from_holder", "to_holder", "actor")
    if filters.item_id:
        qs = qs.filter(item_id=filters.item_id)
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.technician_id:
        qs = qs.filter(Q(from_holder_id=filters.technician_id) | Q(to_holder_id=filters.technician_id))
    if filters.work_order_id:
        qs = qs.filter(work_order_id=filters.work_order_id)
    if before_id:
        qs = qs.filter(pk__lt=before_id)
    rows = list(qs.order_by("-id")[: size + 1])
    return rows[:size], len(rows) > size


def technician_holdings(viewer, technician) -> list[StockHolding]:
    """What one technician holds (their "my parts"), with the item; only they and whole-ledger viewers see it."""
    require(viewer, Perm.MATERIALS_VIEW)
    if technician.pk != viewer.pk and not sees_all(viewer):
        raise permission_denied(Perm.MATERIALS_VIEW)
    return list(StockHolding.objects.filter(holder=technician, quantity__gt=0).select_related("item")
                .order_by("item__code"))


def technicians(viewer) -> QuerySet:
    """The logins that may hold parts, for the requisition and adjustment forms."""
    require(viewer, Perm.MATERIALS_VIEW)
    return get_user_model().objects.filter(
        is_active=True, profile__roles__code=Role.TECHNICIAN, profile__is_active=True,
    ).distinct().order_by("username")


__all__ = [
    "ItemFilters", "MovementFilters", "access_item", "item_holdings", "items_with_stock",
    "low_stock_items", "movement_page", "movements_visible_to", "sees_all", "stock_value",
    "technician_holdings", "technicians",
]
