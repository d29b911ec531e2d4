"""Materials ledger API (R13.2): items, movements, and the stock movements as POSTs. Scoped per viewer."""

import datetime
import decimal

from django.contrib.auth import get_user_model
from ninja import Field, Query, Router, Schema

from fuwu.core.errors import InvalidInput
from fuwu.core.validation import MAX_ID
from fuwu.materials import actions
from fuwu.materials.models import Item, Movement, MovementKind
from fuwu.materials.selectors import (
    ItemFilters,
    MovementFilters,
    access_item,
    item_holdings,
    items_with_stock,
    movement_page,
    sees_all,
)
from fuwu.materials.validation import MAX_QUANTITY, ItemInput
from fuwu.org.policy import Perm, require

router = Router(tags=["materials"])


class ItemOut(Schema):
    id: int
    code: str
    name: str
    specification: str
    unit: str
    unit_cost: decimal.Decimal
    reorder_level: int
    is_active: bool
    version: int
    store_quantity: int
    total_quantity: int | None  # None for a technician, who sees only the store and their own
    mine_quantity: int


class HoldingOut(Schema):
    holder_id: int | None  # None: the central store
    holder_name: str
    quantity: int


class ItemDetailOut(ItemOut):
    holdings: list[HoldingOut]


class MovementOut(Schema):
    id: int
    kind: str
    item_id: int
    item_code: str
    quantity: int
    delta: int
    from_holder_id: int | None
    from_store: bool
    to_holder_id: int | None
    to_store: bool
    unit_cost: decimal.Decimal
    actor_id: int | None
    at: datetime.datetime
    work_order_id: int | None
    reference: str
    note: str


class MovementPage(Schema):
    items: list[MovementOut]
    next_before_id: int | None


def _item_out(item: Item, all_seen: bool) -> dict:
    return {
        **{f: getattr(item, f) for f in ("id", "code", "name", "specification", "unit", "unit_cost",
                                          "reorder_level", "is_active", "version", "store_quantity",
                                          "mine_quantity")},
        "total_quantity": item.total_quantity if all_seen else None,
    }


def _movement_out(m: Movement) -> dict:
    return {
        "id": m.pk, "kind": m.kind, "item_id": m.item_id, "item_code": m.item.code, "quantity": m.quantity,
        "delta": m.delta, "from_holder_id": m.from_holder_id, "from_store": m.from_store,
        "to_holder_id": m.to_holder_id, "to_store": m.to_store, "unit_cost": m.unit_cost, "actor_id": m.actor_id,
        "at": m.at, "work_order_id": m.work_order_id, "reference": m.reference, "note": m.note,
    }


def _detail(request, item_id: int) -> dict:
    item = items_with_stock(request.auth, ItemFilters(include_inactive=True)).filter(pk=item_id).first()
    if item is None:
        access_item(request.auth, item_id)  # raises NotFound
    return {
        **_item_out(item, sees_all(request.auth)),
        "holdings": [
            {"holder_id": h.holder_id, "quantity": h.quantity,
             "holder_name": (h.holder.get_full_name() or h.holder.get_username()) if h.holder else ""}
            for h in item_holdings(request.auth, item)
        ],
    }


class ItemParams(Schema):
    q: str = Field("", max_length=100)
    low_only: bool = False
    include_inactive: bool = False


@router.get("/items", response=list[ItemOut], summary="Items with the store's and the total stock")
def item_list(request, params: Query[ItemParams]):
    rows = items_with_stock(request.auth, ItemFilters(**params.dict()))
    all_seen = sees_all(request.auth)
    return [_item_out(item, all_seen) for item in rows]


class ItemIn(Schema):
    code: str = Field(max_length=200)
    name: str = Field(max_length=500)
    unit: str = Field(max_length=100)
    specification: str = Field("", max_length=1000)
    unit_cost: decimal.Decimal = Field(decimal.Decimal(0), ge=0, max_digits=12, decimal_places=2)
    reorder_level: int = Field(0, ge=0, le=MAX_QUANTITY)
    is_active: bool = True


class ItemUpdateIn(ItemIn):
    version: int = Field(ge=1, le=MAX_ID)


@router.post("/items", response={201: ItemDetailOut}, summary="Register an item")
def item_create(request, body: ItemIn):
    item = actions.item_create(actor=request.auth, data=ItemInput(**body.dict()))
    return _detail(request, item.pk)


@router.get("/items/{item_id}", response=ItemDetailOut, summary="One item with who holds it")
def item_retrieve(request, item_id: int):
    return _detail(request, access_item(request.auth, item_id).pk)


@router.put("/items/{item_id}", response=ItemDetailOut, summary="Change an item (send the version you read)")
def item_update(request, item_id: int, body: ItemUpdateIn):
    item = access_item(request.auth, item_id, for_write=True)
    actions.item_update(actor=request.auth, item=item, expected_version=body.version,
                        data=ItemInput(**body.dict(exclude={"version"})))
    return _detail(request, item_id)


class MovementParams(Schema):
    item_id: int | None = Field(None, ge=1, le=MAX_ID)
    kind: MovementKind | None = None
    technician_id: int | None = Field(None, ge=1, le=MAX_ID)
    work_order_id: int | None = Field(None, ge=1, le=MAX_ID)
    before_id: int | None = Field(None, ge=1, le=MAX_ID)
    limit: int = Field(50, ge=1, le=200)


@router.get("/movements", response=MovementPage, summary="Movements, newest first (keyset pages)")
def movement_list(request, params: Query[MovementParams]):
    filters = MovementFilters(item_id=params.item_id, kind=params.kind or "", technician_id=params.technician_id,
                              work_order_id=params.work_order_id)
    rows, has_more = movement_page(request.auth, filters, before_id=params.before_id, size=params.limit)
    return {"items": [_movement_out(m) for m in rows], "next_before_id": rows[-1].pk if has_more else None}


Quantity = Field(ge=1, le=MAX_QUANTITY)


class ReceiptIn(Schema):
    item_id: int = Field(ge=1, le=MAX_ID)
    quantity: int = Quantity
    unit_cost: decimal.Decimal | None = Field(None, ge=0, max_digits=12, decimal_places=2)
    reference: str = ""
    note: str = ""


class RequisitionIn(Schema):
    item_id: int = Field(ge=1, le=MAX_ID)
    quantity: int = Quantity
    technician_id: int = Field(ge=1, le=MAX_ID)
    note: str = ""


class ReturnIn(Schema):
    item_id: int = Field(ge=1, le=MAX_ID)
    quantity: int = Quantity
    technician_id: int | None = Field(None, ge=1, le=MAX_ID)  # None: the caller's own parts
    note: str = ""


class ConsumeIn(ReturnIn):
    work_order_id: int | None = Field(None, ge=1, le=MAX_ID)
    reference: str = ""


class AdjustmentIn(Schema):
    item_id: int = Field(ge=1, le=MAX_ID)
    counted: int = Field(ge=0, le=MAX_QUANTITY)
    reason: str
    technician_id: int | None = Field(None, ge=1, le=MAX_ID)  # None: the central store


def _user(user_id: int | None, default=None):
    if user_id is None:
        return default
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        raise InvalidInput(errors={"technician": [str(InvalidInput.default_message)]})
    return user


def _moved(request, movement: Movement):
    return _movement_out(Movement.objects.select_related("item").get(pk=movement.pk))


@router.post("/receipts", response={201: MovementOut}, summary="Receive stock into the store")
def receipt_create(request, body: ReceiptIn):
    require(request.auth, Perm.MATERIALS_MANAGE)
    item = access_item(request.auth, body.item_id)
    return _moved(request, actions.stock_receive(actor=request.auth, item=item, quantity=body.quantity,
                                                 unit_cost=body.unit_cost, reference=body.reference, note=body.note))


@router.post("/requisitions", response={201: MovementOut}, summary="Issue parts from the store to a technician")
def requisition_create(request, body: RequisitionIn):
    require(request.auth, Perm.MATERIALS_MANAGE)
    item = access_item(request.auth, body.item_id)
    return _moved(request, actions.stock_requisition(actor=request.auth, item=item, quantity=body.quantity,
                                                     technician=_user(body.technician_id), note=body.note))


@router.post("/returns", response={201: MovementOut}, summary="Return a technician's parts to the store")
def return_create(request, body: ReturnIn):
    item = access_item(request.auth, body.item_id)
    return _moved(request, actions.stock_return(actor=request.auth, item=item, quantity=body.quantity,
                                                technician=_user(body.technician_id, request.auth), note=body.note))


@router.post("/consumptions", response={201: MovementOut}, summary="Record parts used on a work order (R5.2)")
def consumption_create(request, body: ConsumeIn):
    item = access_item(request.auth, body.item_id)
    return _moved(request, actions.stock_consume(
        actor=request.auth, item=item, quantity=body.quantity, work_order_id=body.work_order_id,
        reference=body.reference, technician=_user(body.technician_id, request.auth), note=body.note))


@router.post("/adjustments", response={201: MovementOut}, summary="Correct a holding after a stock count")
def adjustment_create(request, body: AdjustmentIn):
    require(request.auth, Perm.MATERIALS_MANAGE)
    item = access_item(request.auth, body.item_id)
    return _moved(request, actions.stock_adjust(actor=request.auth, item=item, counted=body.counted,
                                                reason=body.reason, holder=_user(body.technician_id)))
