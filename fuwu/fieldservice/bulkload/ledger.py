"""The parts used in the year, settled against the materials ledger in time order (R13.2, R5.2).

What `fuwu.materials.actions` does, on the quantities in hand: a part used on a work order is a
consumption out of the technician's own stock, never below zero. A technician without the part
draws it from the store before setting off (a requisition by the store keeper, `stock_requisition`'s
movement and payload), and a store that this would leave at or below the item's reorder level is
restocked first (a receipt). So every holding stays the sum of its movements and never negative;
the store's low-stock flag ends as `_watch_low_stock` would leave it (its notices, outbox rows of
the past, are not written, as the requests' load writes none).
"""

from collections.abc import Iterable

from fuwu.fieldservice.bulkload.bookings import MINUTE
from fuwu.fieldservice.bulkload.life import PartUse
from fuwu.fieldservice.bulkload.world import FieldWorld, ItemInfo
from fuwu.materials.codes import MaterialsAction
from fuwu.materials.models import Movement, MovementKind
from fuwu.standards.businesstime import from_us

HOUR = 60 * MINUTE
REQUISITION_NOTE = "补充随车备件"
RECEIPT_NOTE = "补货采购"
ACTIONS = {MovementKind.RECEIPT: MaterialsAction.RECEIVED, MovementKind.REQUISITION: MaterialsAction.REQUISITIONED,
           MovementKind.CONSUMPTION: MaterialsAction.CONSUMED}


def issue_batch(item: ItemInfo, wanted: int) -> int:
    """How many a technician draws at once: enough for a few repairs, at least what is wanted now."""
    return max(wanted, min(10, max(2, item.reorder_level // 3)))


class Ledger:
    def __init__(self, world: FieldWorld, *, first_id: int, zone):
        self.world, self.zone = world, zone
        self.next_id = first_id
        self.holdings = dict(world.holdings)
        self.low = dict(world.low_notified)
        self.changed: set[tuple[int, int | None]] = set()
        self.last: dict[tuple[int, int | None], int] = {}  # per holding: its latest movement in this load
        self.receipts = world.receipts
        self.rows: list[tuple] = []  # Movement rows (see `seeder.LAYOUTS["movement"]`)
        self.events: list[tuple] = []
        self.counts = {kind: 0 for kind in MovementKind.values}

    def settle(self, parts: Iterable[PartUse]) -> None:
        keeper = self.world.storekeeper
        for use in sorted(parts, key=lambda p: (p.at, p.work_order_id, p.code)):
            item = self.world.items[use.code]
            held = (item.id, use.technician)
            if self.holdings.get(held, 0) < use.quantity:
                if keeper is None:
                    continue  # nobody may issue parts: the repair went without
                self._restock(item, use, keeper)
            self._move(MovementKind.CONSUMPTION, item, use.quantity, use.at, actor=use.technician,
                       source=held, work_order_id=use.work_order_id, reference=use.reference)

    def _restock(self, item: ItemInfo, use: PartUse, keeper: int) -> None:
        store, held = (item.id, None), (item.id, use.technician)
        after = max(self.last.get(store, 0), self.last.get(held, 0)) + 1
        at = min(max(use.departed - 15 * MINUTE, after), use.at - 1)
        batch = issue_batch(item, use.quantity)
        if self.holdings.get(store, 0) - batch <= item.reorder_level:
            self.receipts += 1
            received = max(self.last.get(store, 0) + 1, at - HOUR)
            year = from_us(received).astimezone(self.zone).year
            self._move(MovementKind.RECEIPT, item, 3 * item.reorder_level + batch, received, actor=keeper,
                       target=store, reference=f"RK-{year}-{self.receipts:04d}", note=RECEIPT_NOTE)
            at = max(at, received + 1)
        self._move(MovementKind.REQUISITION, item, batch, at, actor=keeper, source=store, target=held,
                   note=REQUISITION_NOTE)

    def _move(self, kind: str, item: ItemInfo, quantity: int, at: int, *, actor: int,
              source: tuple | None = None, target: tuple | None = None, work_order_id: int | None = None,
              reference: str = "", note: str = "") -> None:
        """One movement as `materials.actions._record` writes it, and its event as `_audit` records it."""
        holdings = self.holdings
        for holding, change in ((source, -quantity), (target, quantity)):
            if holding is not None:
                holdings[holding] = holdings.get(holding, 0) + change
                if holdings[holding] < 0:
                    raise ValueError(f"{item.code}: the ledger would go below zero")
                self.changed.add(holding)
                self.last[holding] = at
        movement_id = self.next_id
        self.next_id += 1
        self.counts[kind] += 1
        from_holder, to_holder = (source[1] if source else None), (target[1] if target else None)
        from_store, to_store = source is not None and from_holder is None, target is not None and to_holder is None
        self.rows.append((movement_id, str(kind), item.id, quantity, 0, from_holder, from_store, to_holder, to_store,
                          item.unit_cost, actor, at, work_order_id, reference, note))
        payload = {"item": {"id": item.id, "code": item.code}, "quantity": quantity, "unit_cost": str(item.unit_cost)}
        store = source if from_store else target if to_store else None
        if store is not None:
            payload["store_quantity"] = holdings[store]
        technician = from_holder or to_holder
        if technician is not None:
            payload["technician"] = technician
            payload["technician_quantity"] = holdings[(item.id, technician)]
        for name, value in (("work_order_id", work_order_id), ("reference", reference), ("note", note)):
            if value:
                payload[name] = value
        action = ACTIONS[kind]
        shown = str(Movement(kind=kind, item_id=item.id, quantity=quantity))[:200]
        self.events.append((at, movement_id, actor, str(action), Movement._meta.label_lower, str(movement_id),
                            shown, payload))
        if store is not None:  # `_watch_low_stock`: the flag follows the store across the reorder level
            self.low[item.id] = item.reorder_level > 0 and holdings[store] <= item.reorder_level
