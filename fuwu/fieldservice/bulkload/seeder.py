"""`seed_work_orders_fast`: the year's work orders, visits, defects and parts written in one transaction.

The rows go the way the requests' load sends its own (`fuwu.tickets.bulkload`: binary COPY on
PostgreSQL, multi-row inserts on SQLite, through its `Encoding` with this step's row layouts and its
`Writer`); the audit events are appended to the chain after those already recorded, in time order,
hashed and sealed as `fuwu.core.audit` does (`Chain`, checked at every start by `_check_hash`). The
technicians' and the store's holdings are updated to what the movements leave.
"""

import time
from collections import Counter
from collections.abc import Callable
from datetime import datetime
from hashlib import sha256
from hmac import digest as hmac_digest

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.utils import timezone

from fuwu.core.audit import compute_hash, normalise_payload, seal
from fuwu.core.models import AuditEvent
from fuwu.fieldservice.bulkload.ledger import Ledger
from fuwu.fieldservice.bulkload.life import SIGNATURE_PNG, FieldYear
from fuwu.fieldservice.bulkload.world import FieldWorld, load_world
from fuwu.fieldservice.codes import WorkOrderAction
from fuwu.fieldservice.models import ProductDefect, Visit, WorkOrder
from fuwu.materials.models import Movement, StockHolding
from fuwu.tickets.bulkload import encoding as ticket_encoding
from fuwu.tickets.bulkload.encoding import Encoding, make_encoding
from fuwu.tickets.bulkload.instants import canonical, from_us, iso_utc
from fuwu.tickets.bulkload.seeder import Chain
from fuwu.tickets.bulkload.writer import Writer

LAYOUTS: dict[str, tuple[type[models.Model], list[str]]] = {
    "work_order": (WorkOrder, [
        "id", "ticket_id", "number", "status", "version", "product_id", "warranty_status", "chargeable", "fault",
        "skill_id", "site_address", "region_id", "contact_name", "contact_phone", "technician_id", "accepted_at",
        "appointment_start", "appointment_end", "findings", "work_done", "last_reason", "signer_name", "satisfaction",
        "signature", "opened_by_id", "opened_at", "completed_at", "reported_at"]),
    "visit": (Visit, [
        "id", "work_order_id", "seq", "technician_id", "window_start", "window_end", "departed_at", "arrived_at",
        "ended_at", "outcome", "reason"]),
    "defect": (ProductDefect, ["id", "work_order_id", "product_id", "description", "reported_by_id", "reported_at"]),
    "movement": (Movement, [
        "id", "kind", "item_id", "quantity", "delta", "from_holder_id", "from_store", "to_holder_id", "to_store",
        "unit_cost", "actor_id", "at", "work_order_id", "reference", "note"]),
    "audit": ticket_encoding.LAYOUTS["audit"],
}
WRITTEN = [WorkOrder, Visit, ProductDefect, Movement, AuditEvent]
SIGNATURE_NAME = "signatures/demo/fast-path-signature.png"
EVENTS_PER_BLOCK = 20_000
WORK_ORDER = WorkOrder._meta.label_lower


def _next_id(model: type[models.Model]) -> int:
    return (model.objects.aggregate(m=models.Max("id"))["m"] or 0) + 1


def encode_events(events: list[tuple], encoding: Encoding, names: dict[int | None, str],
                  request_id: str) -> list[tuple]:
    """Events (at, order, actor, action, object type, object id, object repr, payload) in time order, each as
    `Chain` takes it: (order key, the hashed text after the previous hash, its row but the chain's columns)."""
    tail = "," + canonical(request_id) + ",null]"
    actors = {actor: canonical(actor) + "," + canonical(name) + "," for actor, name in names.items()}
    json_prefix, event = encoding.json_prefix, encoding.event
    encoded = []
    ordered = sorted(events, key=lambda e: (e[0], e[4] != WORK_ORDER, e[1]))  # a part after the step it is used in
    for index, (at, _order, actor, action, object_type, object_id, object_repr, payload) in enumerate(ordered):
        payload_json = canonical(payload)
        body = ('","' + iso_utc(at) + '",' + actors[actor] + canonical(action) + "," + canonical(object_type) + ","
                + canonical(object_id) + "," + canonical(object_repr) + "," + payload_json + tail)
        encoded.append(((at << 40) | index, body.encode(), event((
            at, actor, names[actor], action, object_type, object_id, object_repr, json_prefix + payload_json,
            request_id, None))))
    return encoded


def _check_hash(encoding: Encoding) -> None:
    """The events are hashed here as `fuwu.core.audit` does, but faster: make sure it still agrees."""
    us = 840_000_000_654_321
    payload = {"move": "check_in", "from": "en_route", "to": "on_site", "item": {"id": 3, "code": "DJ-002"},
               "unit_cost": "32.00", "start": "2026-03-03T08:00:00+08:00", "reason": 'a "quoted" \\ note'}
    [(_key, body, _row)] = encode_events([(us, 0, 7, WorkOrderAction.MOVED.value, WORK_ORDER, "42",
                                           "FW-2026-000042-W1", payload)], encoding, {7: "王小明"}, "")
    ours = sha256(b'["' + b"ab" * 32 + body).hexdigest()
    theirs = compute_hash(prev_hash="ab" * 32, occurred_at=from_us(us), actor_id=7, actor_name="王小明",
                          action=WorkOrderAction.MOVED.value, object_type=WORK_ORDER, object_id="42",
                          object_repr="FW-2026-000042-W1", payload=normalise_payload(payload), request_id="",
                          supersedes_id=None)
    if ours != theirs:
        raise RuntimeError("fuwu.fieldservice.bulkload hashes audit events differently from fuwu.core.audit.")
    if hmac_digest(settings.FUWU_AUDIT_KEY.encode(), ours.encode(), "sha256").hex() != seal(theirs):
        raise RuntimeError("fuwu.fieldservice.bulkload seals audit events differently from fuwu.core.audit.")


def _signature() -> str:
    """One stored drawing for the demo's sign-offs (the actions store one per order, `signatures/%Y/%m/`)."""
    if default_storage.exists(SIGNATURE_NAME):
        return SIGNATURE_NAME
    return default_storage.save(SIGNATURE_NAME, ContentFile(SIGNATURE_PNG))


def _rows(year: FieldYear) -> dict[str, list[tuple]]:
    orders, visits = [], []
    for wo in year.work_orders:
        r = wo.request
        orders.append((
            wo.id, r.ticket_id, wo.number, str(wo.status), wo.version, wo.product_id, wo.warranty, wo.chargeable,
            wo.fault, wo.skill_id, r.site_address, r.region_id, r.contact_name, r.contact_phone, wo.technician,
            wo.accepted_at, wo.appointment_start, wo.appointment_end, wo.findings, wo.work_done, wo.last_reason,
            wo.signer_name, wo.satisfaction, wo.signature, wo.opened_by, wo.opened_at, wo.completed_at,
            wo.reported_at))
        for v in wo.visits:
            visits.append((v.id, v.work_order_id, v.seq, v.technician, v.window_start, v.window_end, v.departed_at,
                           v.arrived_at, v.ended_at, v.outcome, v.reason))
    return {"work_order": orders, "visit": visits, "defect": year.defects}


def _save_holdings(ledger: Ledger) -> None:
    known = {(item_id, holder_id): pk for pk, item_id, holder_id in StockHolding.objects.values_list(
        "pk", "item_id", "holder_id")}
    new = []
    for key in sorted(ledger.changed, key=lambda k: (k[0], k[1] or 0)):
        item_id, holder_id = key
        quantity = ledger.holdings[key]
        if key in known:
            fields = {"quantity": quantity}
            if holder_id is None:
                fields["low_notified"] = ledger.low.get(item_id, False)
            StockHolding.objects.filter(pk=known[key]).update(**fields)
        else:
            new.append(StockHolding(item_id=item_id, holder_id=holder_id, quantity=quantity,
                                    low_notified=holder_id is None and ledger.low.get(item_id, False)))
    StockHolding.objects.bulk_create(new)


class _Seeder:
    def __init__(self, *, seed: int, now: datetime, limit: int | None):
        self.seed, self.now, self.limit = seed, now, limit
        self.rows: Counter = Counter()
        self.statuses: Counter = Counter()
        self.requests = 0
        self.timings: dict[str, float] = {}

    def run(self) -> int:
        started = time.perf_counter()
        world = load_world(now=self.now)
        self.requests = len(world.requests)
        self.timings["read"] = time.perf_counter() - started
        if not (world.requests and world.technicians and world.dispatchers):
            return 0
        year = FieldYear(world, seed=self.seed, first_ids={
            "work_order": _next_id(WorkOrder), "visit": _next_id(Visit), "defect": _next_id(ProductDefect)})
        year.signature = _signature()
        played = 0
        for request in world.requests:
            if self.limit is not None and played >= self.limit:
                break
            played += year.play(request)
        ledger = Ledger(world, first_id=_next_id(Movement), zone=year.zone)
        ledger.settle(year.parts)
        simulated = time.perf_counter()
        self.timings["simulate"] = simulated - started - self.timings["read"]
        self._write(world, year, ledger)
        self.timings["write"] = time.perf_counter() - simulated
        self.statuses = Counter(str(wo.status) for wo in year.work_orders)
        return played

    def _write(self, world: FieldWorld, year: FieldYear, ledger: Ledger) -> None:
        encoding = make_encoding(LAYOUTS)
        _check_hash(encoding)
        chain = Chain(encoding)
        tables = encoding.tables
        writer = Writer()
        try:
            for name, rows in {**_rows(year), "movement": ledger.rows}.items():
                if rows:
                    writer.write(tables[name], encoding.rows(tables[name], rows))
                    self.rows[tables[name].model.__name__] += len(rows)
            events = encode_events(year.events + ledger.events, encoding, world.names, world.request_id)
            self.rows["AuditEvent"] = len(events)
            chain.add(events)
            for cut in range(EVENTS_PER_BLOCK, len(events), EVENTS_PER_BLOCK):
                block = chain.take(events[cut][0] >> 40)
                if block is not None:
                    writer.write(tables["audit"], block)
            block = chain.take(None)
            if block is not None:
                writer.write(tables["audit"], block)
        except BaseException:
            writer.abandon()
            raise
        writer.close()
        _save_holdings(ledger)
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), WRITTEN):
                cursor.execute(sql)
            if connection.vendor == "postgresql":
                for model in WRITTEN[:-1]:
                    cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")


def seed_work_orders_fast(*, seed: int, limit: int | None = None, log: Callable[[str], None] | None = None,
                          now: datetime | None = None) -> int:
    """Give the on-site requests already loaded their work orders, visits, defects and parts (at most `limit`
    requests, default all that fit); returns how many requests got one. `now`: the end of the year."""
    if limit is not None and limit <= 0:
        return 0
    started = time.perf_counter()
    with transaction.atomic():
        seeder = _Seeder(seed=seed, now=now or timezone.now(), limit=limit)
        made = seeder.run()
    seconds = time.perf_counter() - started
    if log is not None:
        statuses = ", ".join(f"{status} {n}" for status, n in sorted(seeder.statuses.items()))
        rows = ", ".join(f"{n:,} {name}" for name, n in seeder.rows.items())
        log(f"{made} of {seeder.requests} on-site requests given work orders in {seconds:.1f} s (fast path; "
            f"{seeder.timings.get('simulate', 0):.1f} s to plan and live them, {seeder.timings.get('write', 0):.1f} s "
            f"to write): {statuses}. Rows: {rows}.")
    return made
