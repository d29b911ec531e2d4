"""Every change to the materials ledger (R13.2). Keyword-only, actor first, one transaction, audited.

A stock action locks the holdings it touches with `select_for_update` in one fixed order (the
central store first, then technicians by user id), so two actions never wait on each other in a
circle; it refuses to take more than a holding has, writes the movement and an audit event, and
queues the low-stock notice when the store crosses the item's reorder level.
"""

import dataclasses
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from fuwu.core.audit import audit_record
from fuwu.core.errors import InvalidInput
from fuwu.core.locking import lock_row
from fuwu.core.outbox import outbox_notify
from fuwu.core.validation import Errors
from fuwu.materials.codes import MaterialsAction, MaterialsError
from fuwu.materials.models import Item, Movement, MovementKind, StockHolding
from fuwu.materials.validation import ItemInput, clean_item, clean_quantity, clean_text
from fuwu.org.policy import ROLE_PERMISSIONS, Perm, can, require
from fuwu.org.selectors import users_holding

ITEM_FIELDS = ("code", "name", "specification", "unit", "unit_cost", "reorder_level", "is_active")
STORE = None  # the central store holds with no holder


# --- items ---------------------------------------------------------------------------------------


@transaction.atomic
def item_create(*, actor, data: ItemInput) -> Item:
    require(actor, Perm.MATERIALS_MANAGE)
    errors = Errors()
    clean_item(data, errors)
    errors.raise_if_any()
    _refuse_duplicate_code(data.code, None)
    now = timezone.now()
    try:
        with transaction.atomic():
            item = Item.objects.create(**dataclasses.asdict(data), created_at=now, updated_at=now)
    except IntegrityError:  # the same code registered at the same moment
        raise _duplicate_code() from None
    StockHolding.objects.create(item=item, holder=None, quantity=0)
    audit_record(actor=actor, action=MaterialsAction.ITEM_CREATED, obj=item,
                 payload={"new": {f: getattr(item, f) for f in ITEM_FIELDS}})
    return item


@transaction.atomic
def item_update(*, actor, item: Item, expected_version: int | None, data: ItemInput) -> Item:
    """Change an item; a stale `expected_version` is a conflict, never an overwrite."""
    require(actor, Perm.MATERIALS_MANAGE)
    errors = Errors()
    clean_item(data, errors)
    errors.raise_if_any()
    locked = lock_row(Item.objects.all(), item.pk, expected_version=expected_version)
    _refuse_duplicate_code(data.code, locked.pk)
    new_values = dataclasses.asdict(data)
    old = {f: getattr(locked, f) for f in ITEM_FIELDS if getattr(locked, f) != new_values[f]}
    if not old:
        return locked
    for name in old:
        setattr(locked, name, new_values[name])
    locked.version += 1
    locked.updated_at = timezone.now()
    locked.save(update_fields=[*old, "version", "updated_at"])
    audit_record(actor=actor, action=MaterialsAction.ITEM_UPDATED, obj=locked,
                 payload={"old": old, "new": {f: new_values[f] for f in old}})
    if "reorder_level" in old:
        (store,) = _lock_holdings(locked, [STORE])
        _watch_low_stock(locked, store)
    return locked


def _duplicate_code() -> InvalidInput:
    return InvalidInput(code=MaterialsError.DUPLICATE_CODE,
                        errors={"code": [_("Another item already has this code.")]})


def _refuse_duplicate_code(code: str, own_pk: int | None) -> None:
    if Item.objects.filter(code=code).exclude(pk=own_pk).exists():
        raise _duplicate_code()


# --- stock ---------------------------------------------------------------------------------------


@transaction.atomic
def stock_receive(*, actor, item: Item, quantity: int, unit_cost=None, reference: str = "", note: str = "") -> Movement:
    """Stock bought or delivered comes into the central store (入库)."""
    require(actor, Perm.MATERIALS_MANAGE)
    errors = Errors()
    clean_quantity(quantity, errors)
    reference = clean_text(reference, errors, "reference", 64)
    note = clean_text(note, errors, "note", 200)
    errors.raise_if_any()
    item = _active_item(item)
    (store,) = _lock_holdings(item, [STORE])
    _add(store, quantity)
    movement = _record(actor, MovementKind.RECEIPT, item, quantity, to_holder=store,
                       unit_cost=unit_cost if unit_cost is not None else item.unit_cost,
                       reference=reference, note=note)
    _audit(actor, MaterialsAction.RECEIVED, movement, store=store)
    _watch_low_stock(item, store)
    return movement


@transaction.atomic
def stock_requisition(*, actor, item: Item, quantity: int, technician, note: str = "") -> Movement:
    """Parts leave the store for a technician's own stock (领用)."""
    require(actor, Perm.MATERIALS_MANAGE)
    errors = Errors()
    clean_quantity(quantity, errors)
    _check_technician(technician, errors)
    note = clean_text(note, errors, "note", 200)
    errors.raise_if_any()
    item = _active_item(item)
    store, held = _lock_holdings(item, [STORE, technician.pk])
    _take(store, quantity, item)
    _add(held, quantity)
    movement = _record(actor, MovementKind.REQUISITION, item, quantity, from_holder=store, to_holder=held, note=note)
    _audit(actor, MaterialsAction.REQUISITIONED, movement, store=store, held=held)
    _watch_low_stock(item, store)
    return movement


@transaction.atomic
def stock_consume(*, actor, item: Item, quantity: int, work_order_id: int | None, reference: str = "",
                  technician=None, note: str = "") -> Movement:
    """Parts used on a work order come out of the technician's own stock (R5.2).

    A technician records their own use (WORKORDER_WORK); a manager may record it for a technician.
    The field-service app calls this with its work order's id and number (`reference`); a caller that
    consumes several items in one transaction takes them in item id order, so the locks stay ordered.
    """
    technician = technician or actor
    _require_own_or_manage(actor, technician)
    errors = Errors()
    clean_quantity(quantity, errors)
    _check_technician(technician, errors)
    if work_order_id is not None and (isinstance(work_order_id, bool) or not isinstance(work_order_id, int)
                                      or not 0 < work_order_id < 2**63):
        errors.add("work_order_id", _("Give the work order's number."))
    reference = clean_text(reference, errors, "reference", 64)
    note = clean_text(note, errors, "note", 200)
    errors.raise_if_any()
    item = _fresh(item)
    (held,) = _lock_holdings(item, [technician.pk])
    _take(held, quantity, item)
    movement = _record(actor, MovementKind.CONSUMPTION, item, quantity, from_holder=held,
                       work_order_id=work_order_id, reference=reference, note=note)
    _audit(actor, MaterialsAction.CONSUMED, movement, held=held)
    return movement


@transaction.atomic
def stock_return(*, actor, item: Item, quantity: int, technician=None, note: str = "") -> Movement:
    """Unused parts go back from a technician to the store (退库): by the technician or a manager."""
    technician = technician or actor
    _require_own_or_manage(actor, technician)
    errors = Errors()
    clean_quantity(quantity, errors)
    _check_technician(technician, errors)
    note = clean_text(note, errors, "note", 200)
    errors.raise_if_any()
    item = _fresh(item)
    store, held = _lock_holdings(item, [STORE, technician.pk])
    _take(held, quantity, item)
    _add(store, quantity)
    movement = _record(actor, MovementKind.RETURN, item, quantity, from_holder=held, to_holder=store, note=note)
    _audit(actor, MaterialsAction.RETURNED, movement, store=store, held=held)
    _watch_low_stock(item, store)
    return movement


@transaction.atomic
def stock_adjust(*, actor, item: Item, counted: int, reason: str, holder=None) -> Movement:
    """A stock count (盘点) found `counted` where the ledger says otherwise: the difference is recorded, with why."""
    require(actor, Perm.MATERIALS_MANAGE)
    errors = Errors()
    clean_quantity(counted, errors, "counted", allow_zero=True)
    if holder is not None:
        _check_technician(holder, errors)
    reason = clean_text(reason, errors, "reason", 200, required=True)
    errors.raise_if_any()
    item = _fresh(item)
    (holding,) = _lock_holdings(item, [holder.pk if holder is not None else STORE])
    delta = counted - holding.quantity
    if delta == 0:
        raise InvalidInput(errors={"counted": [_("The count matches the ledger: nothing to correct.")]})
    _add(holding, delta)
    if delta > 0:
        movement = _record(actor, MovementKind.ADJUSTMENT, item, delta, to_holder=holding, delta=delta, note=reason)
    else:
        movement = _record(actor, MovementKind.ADJUSTMENT, item, -delta, from_holder=holding, delta=delta, note=reason)
    _audit(actor, MaterialsAction.ADJUSTED, movement, **({"held": holding} if holder else {"store": holding}))
    if holder is None:
        _watch_low_stock(item, holding)
    return movement


# --- shared steps --------------------------------------------------------------------------------


def _require_own_or_manage(actor, technician) -> None:
    if technician.pk == getattr(actor, "pk", None):
        require(actor, Perm.WORKORDER_WORK)
    else:
        require(actor, Perm.MATERIALS_MANAGE)


def _check_technician(user, errors: Errors) -> None:
    if user is None or not can(user, Perm.WORKORDER_WORK):
        errors.add("technician", _("Parts can be held only by a technician."))


def _fresh(item: Item) -> Item:
    """The item as stored now (its reorder level and cost may have changed since the caller loaded it)."""
    return Item.objects.get(pk=item.pk)


def _active_item(item: Item) -> Item:
    item = _fresh(item)
    if not item.is_active:
        raise InvalidInput(code=MaterialsError.ITEM_INACTIVE,
                           errors={"item": [_("%(item)s is retired: reactivate it first.") % {"item": item}]})
    return item


def _lock_holdings(item: Item, holder_ids: list[int | None]) -> list[StockHolding]:
    """The holdings of `item` for these holders, created at zero when missing, locked store first then by user id.

    Every stock action locks in this one order, so two of them never wait on each other in a circle.
    """
    StockHolding.objects.bulk_create(
        [StockHolding(item_id=item.pk, holder_id=holder_id, quantity=0) for holder_id in holder_ids],
        ignore_conflicts=True,
    )
    store_first = F("holder_id").asc(nulls_first=True)
    rows = list(StockHolding.objects.select_for_update().filter(item_id=item.pk).filter(
        _holders_q(holder_ids)).order_by(store_first))
    by_holder = {row.holder_id: row for row in rows}
    return [by_holder[holder_id] for holder_id in holder_ids]


def _holders_q(holder_ids) -> Q:
    q = Q(holder_id__in=[h for h in holder_ids if h is not None])
    if STORE in holder_ids:
        q |= Q(holder__isnull=True)
    return q


def _take(holding: StockHolding, quantity: int, item: Item) -> None:
    if holding.quantity < quantity:
        where = _("the store") if holding.holder_id is None else str(holding.holder.get_full_name()
                                                                     or holding.holder.get_username())
        message = _("Not enough %(item)s: %(where)s has %(available)d %(unit)s, %(wanted)d wanted.") % {
            "item": item.name, "where": where, "available": holding.quantity, "unit": item.unit, "wanted": quantity}
        raise InvalidInput(message, code=MaterialsError.INSUFFICIENT_STOCK, errors={"quantity": [message]},
                           data={"available": holding.quantity})
    _add(holding, -quantity)


def _add(holding: StockHolding, change: int) -> None:
    holding.quantity += change
    StockHolding.objects.filter(pk=holding.pk).update(quantity=holding.quantity)


def _record(actor, kind, item, quantity, *, from_holder=None, to_holder=None, unit_cost=None, delta=None,
            work_order_id=None, reference="", note="") -> Movement:
    return Movement.objects.create(
        kind=kind, item=item, quantity=quantity,
        delta=delta if delta is not None else 0,
        from_holder_id=from_holder.holder_id if from_holder else None,
        from_store=bool(from_holder) and from_holder.holder_id is None,
        to_holder_id=to_holder.holder_id if to_holder else None,
        to_store=bool(to_holder) and to_holder.holder_id is None,
        unit_cost=unit_cost if unit_cost is not None else item.unit_cost,
        actor=actor, at=timezone.now(), work_order_id=work_order_id, reference=reference, note=note,
    )


def _audit(actor, action, movement: Movement, *, store=None, held=None) -> None:
    payload: dict[str, Any] = {
        "item": {"id": movement.item_id, "code": movement.item.code},
        "quantity": movement.quantity,
        "unit_cost": movement.unit_cost,
    }
    if movement.delta:
        payload["delta"] = movement.delta
    if store is not None:
        payload["store_quantity"] = store.quantity
    if held is not None:
        payload["technician"] = held.holder_id
        payload["technician_quantity"] = held.quantity
    for name in ("work_order_id", "reference", "note"):
        if getattr(movement, name):
            payload[name] = getattr(movement, name)
    audit_record(actor=actor, action=action, obj=movement, payload=payload)


MANAGE_ROLES = tuple(role for role, perms in ROLE_PERMISSIONS.items() if Perm.MATERIALS_MANAGE in perms)


def _watch_low_stock(item: Item, store: StockHolding) -> None:
    """Tell the people who manage materials once when the store falls to or below the reorder level.

    The store's holding keeps `low_notified` while it stays low; going back above clears it, so the
    next fall is told again. A reorder level of 0 means nobody asked to be told.
    """
    low = item.reorder_level > 0 and store.quantity <= item.reorder_level
    if low == store.low_notified:
        return
    store.low_notified = low
    StockHolding.objects.filter(pk=store.pk).update(low_notified=low)
    if low:
        outbox_notify(
            recipients=users_holding(*MANAGE_ROLES),
            subject=lambda: _("Low stock: %(item)s") % {"item": item},
            body=lambda: _("%(quantity)d %(unit)s left in the store; reorder level %(level)d.") % {
                "quantity": store.quantity, "unit": item.unit, "level": item.reorder_level},
            url=reverse("materials:detail", args=[item.pk]),
            obj=item,
        )
