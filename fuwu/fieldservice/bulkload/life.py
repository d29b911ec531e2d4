"""`FieldYear`: the work orders of the on-site requests, lived through the work order's transition table.

Each method is one of `fuwu.fieldservice.actions`' changes without the ORM: it asks
`fuwu.fieldservice.workflow.transition_for` whether the move exists from the order's status and
whether this side may make it (the dispatcher, or the assigned technician), changes the records as
the action changes the rows (status, version, visit, reason, times) and records the audit event
with the action's payload. `life` is one order's script, a generator that yields the instant of its
next step; the seeder stops it at now, so what lies in the future has not happened yet.

A work order agrees with its request's record: it is opened when the request went on site (the
tier change, by the technician who took the request on), its first visit's check-in is the
request's recorded arrival, by the same technician, within a window of the field calendar that
technician has free, and the repair is signed off and reported before the request was first
resolved. A request whose arrival lies outside the field calendar's hours, or when its technician
was already booked, gets no work order: inventing one would contradict the request's own record.
"""

import base64
import hashlib
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timedelta

from fuwu.customers.models import WarrantyStatus
from fuwu.fieldservice.bulkload.bookings import MINUTE, Calendars
from fuwu.fieldservice.bulkload.world import FieldWorld, OnSiteRequest
from fuwu.fieldservice.codes import WorkOrderAction
from fuwu.fieldservice.demo import DEMO_SIGNATURE, NOT_FIXED_REASONS
from fuwu.fieldservice.models import VisitOutcome, WorkOrder
from fuwu.fieldservice.workflow import (
    NEEDS_REASON,
    VISIT_ENDED_BY,
    Side,
    WorkOrderMove,
    WorkOrderStatus,
    transition_for,
)
from fuwu.standards.businesstime import from_us, to_us

HOUR, DAY = 60 * MINUTE, 24 * 60 * MINUTE
OBJECT_TYPE = WorkOrder._meta.label_lower
M, S = WorkOrderMove, WorkOrderStatus

# Shares of the year (per work order, each with its own random generator).
LATE_SHARE = 0.1  # the technician arrives well after the window's start (traffic, the job before ran over)
CANCEL_SHARE = 0.03  # the first order is cancelled (wrong details) and opened again at once
DECLINE_SHARE = 0.05  # first dispatched to a colleague who declines it
RESCHEDULE_SHARE = 0.06  # booked for another day first, moved at the customer's request
REVISIT_SHARE = 0.35  # of the orders with room for a second visit before the request was resolved
DEFECT_SHARE = 0.1  # of the orders naming a product: the technician reports a product defect
PART_SHARE = 0.65  # the repair uses the part its fault needs
CONSUMABLE_SHARE = 0.25  # and some consumables besides
PENDING_LOOK_AHEAD = 7 * DAY  # how far ahead a request still waiting for its visit is booked

# The demo requests' repair faults (`fuwu.tickets.demo_script.CATALOGUE["repair"]`): what the technician
# finds, does, the skill it takes and the part it uses (`fuwu.materials.demo.ITEMS`), with how many.
REPAIRS: dict[str, tuple[str, str, str, str, int]] = {
    "空调不制冷": ("压缩机启动电容容量衰减，压缩机无法启动", "更换压缩机启动电容，试机制冷正常", "hvac", "DJ-002", 1),
    "空调漏水": ("冷凝水排水管堵塞，接水盘溢水", "疏通排水管、清洗接水盘并更换滤网，试机无滴水", "hvac", "HC-001", 1),
    "电梯异响": ("导靴轴承磨损，导轨润滑不足", "更换导靴轴承并润滑导轨，运行无异响", "elevator", "ZC-001", 2),
    "电梯门关不严": ("门区光电传感器失灵，门机反复开合", "更换门区光电传感器并调整门刀，开关门正常", "elevator",
               "CG-004", 1),
    "配电柜频繁跳闸": ("断路器老化，接线端子松动发热", "更换断路器并紧固接线端子，连续观察无跳闸", "electrical",
                "DJ-005", 1),
    "UPS 电源告警": ("UPS 电池组两节内阻过高", "更换 UPS 电池两节，告警解除", "electrical", "DY-003", 2),
    "自动扶梯急停": ("梯级链条安全开关误动作", "更换安全开关并调整位置，扶梯恢复运行", "elevator", "CG-005", 1),
    "楼宇自控温度显示异常": ("温度传感器漂移", "更换温度传感器并重新标定，显示正常", "hvac", "CG-001", 1),
}
GENERIC_REPAIR = ("现场检查发现部件故障", "更换故障部件，测试正常", "", "", 0)
CONSUMABLES = [("HC-005", 1), ("HC-004", 1), ("XL-004", 4), ("HC-003", 1)]
CANCEL_REASON = "工单信息有误（设备型号不符），作废后重新开单"
DECLINE_REASONS = ["该时段在其他片区抢修，无法按时到达", "不熟悉该型号设备，建议改派"]
RESCHEDULE_REASON = "客户要求改约时间"
REVISIT_REASON = "备件到货，安排复修"  # as `fuwu.fieldservice.demo`
OPEN_REASON_FREE = frozenset({WarrantyStatus.IN_WARRANTY, WarrantyStatus.EXPIRING, WarrantyStatus.UNKNOWN})
SIGNATURE_PNG = base64.b64decode(DEMO_SIGNATURE.split(",", 1)[1])
SIGNATURE_SHA256 = hashlib.sha256(SIGNATURE_PNG).hexdigest()


class NotInTable(RuntimeError):
    """A move the transition table does not allow: a bug in the script, never data."""


@dataclass(slots=True)
class VisitRecord:
    id: int
    work_order_id: int
    seq: int
    technician: int
    window_start: int
    window_end: int
    departed_at: int | None = None
    arrived_at: int | None = None
    ended_at: int | None = None
    outcome: str = ""
    reason: str = ""


@dataclass(slots=True)
class WorkOrderRecord:
    id: int
    request: OnSiteRequest
    number: str
    opened_by: int
    opened_at: int
    product_id: int | None
    warranty: str
    chargeable: bool
    fault: str
    skill_id: int | None
    status: str = S.CREATED
    version: int = 1
    technician: int | None = None
    accepted_at: int | None = None
    appointment_start: int | None = None
    appointment_end: int | None = None
    findings: str = ""
    work_done: str = ""
    last_reason: str = ""
    signer_name: str = ""
    satisfaction: int | None = None
    signature: str = ""
    completed_at: int | None = None
    reported_at: int | None = None
    visits: list[VisitRecord] = field(default_factory=list)


@dataclass(slots=True)
class PartUse:
    """A part taken from the technician's own stock on a work order, settled by the ledger in time order."""

    at: int
    departed: int  # when the technician left for the site: a requisition before it brings a missing part
    technician: int
    code: str
    quantity: int
    work_order_id: int
    reference: str


def _warranty(ends, day) -> WarrantyStatus:
    """`DeliveredProduct.warranty_status` on the day the order is opened."""
    if ends is None:
        return WarrantyStatus.UNKNOWN
    if ends < day:
        return WarrantyStatus.EXPIRED
    if (ends - day).days <= 30:
        return WarrantyStatus.EXPIRING
    return WarrantyStatus.IN_WARRANTY


def _fit(start: int, room: int, gaps: list[int]) -> list[int]:
    """The instants after `start` at these gaps, squeezed in proportion when they would overrun `room`."""
    total = sum(gaps)
    if total > room:
        gaps = [g * max(room, 0) // total for g in gaps]
    instants, at = [], start
    for gap in gaps:
        at += gap
        instants.append(at)
    return instants


class FieldYear:
    def __init__(self, world: FieldWorld, *, seed: int, first_ids: dict[str, int]):
        self.world, self.seed, self.now = world, seed, world.now
        self.calendars = Calendars(world.schedule)
        self.zone = self.calendars.zone
        self.ids = dict(first_ids)  # the next id per table
        self.technicians = set(world.technicians)
        self.dispatchers = set(world.dispatchers)
        self.work_orders: list[WorkOrderRecord] = []
        self.defects: list[tuple] = []
        self.parts: list[PartUse] = []
        self.events: list[tuple] = []  # (at, order, actor, action, object type, object id, object repr, payload)

    def next_id(self, table: str) -> int:
        value = self.ids[table]
        self.ids[table] = value + 1
        return value

    def event(self, at: int, actor: int | None, action: str, wo: WorkOrderRecord, payload: dict) -> None:
        self.events.append((at, len(self.events), actor, str(action), OBJECT_TYPE, str(wo.id),
                            wo.number[:200], payload))

    def iso(self, us: int) -> str:
        return from_us(us).astimezone(self.zone).isoformat()

    # The actions, on the records ------------------------------------------------------------------------------

    def _require(self, actor: int, wo: WorkOrderRecord, move: str, target: str | None = None):
        transition = transition_for(wo.status, move, target)
        if transition is None:
            raise NotInTable(f"{wo.number}: {move} from {wo.status}")
        if transition.side == Side.DISPATCHER and actor not in self.dispatchers:
            raise NotInTable(f"{wo.number}: {move} by {actor}, who does not dispatch")
        if transition.side == Side.TECHNICIAN and actor != wo.technician:
            raise NotInTable(f"{wo.number}: {move} by {actor}, who is not its technician")
        return transition

    def open(self, actor: int, request: OnSiteRequest, at: int, *, rng: random.Random, count: int) -> WorkOrderRecord:
        product = self.world.products.get(request.customer_id) if request.customer_id else None
        warranty = _warranty(product[1], from_us(at).astimezone(self.zone).date()) if product else (
            WarrantyStatus.UNKNOWN)
        repair = REPAIRS.get(request.title, GENERIC_REPAIR)
        skill = self.world.skills.get(repair[2]) if rng.random() < 0.8 else None
        wo = WorkOrderRecord(
            id=self.next_id("work_order"), request=request, number=f"{request.number}-W{count}", opened_by=actor,
            opened_at=at, product_id=product[0] if product else None, warranty=str(warranty),
            chargeable=warranty not in OPEN_REASON_FREE, fault=(request.description or request.title).strip(),
            skill_id=skill)
        self.work_orders.append(wo)
        self.event(at, actor, WorkOrderAction.OPENED, wo, {
            "ticket": request.number, "product": wo.product_id, "warranty": wo.warranty, "chargeable": wo.chargeable})
        return wo

    def _current_visit(self, wo: WorkOrderRecord) -> VisitRecord | None:
        return next((v for v in reversed(wo.visits) if not v.outcome), None)

    def schedule(self, actor: int, wo: WorkOrderRecord, at: int, *, technician: int, window: tuple[int, int],
                 reason: str = "") -> None:
        self._require(actor, wo, M.SCHEDULE)
        if technician not in self.technicians:
            raise NotInTable(f"{wo.number}: {technician} is not a field technician")
        start, end = window
        if start < at - HOUR:
            raise NotInTable(f"{wo.number}: an appointment in the past")
        rebooking = wo.status in (S.SCHEDULED, S.DISPATCHED)
        if rebooking and not reason:
            raise NotInTable(f"{wo.number}: a new appointment without a reason")
        visit = self._current_visit(wo)
        before = None
        if visit is None:
            visit = VisitRecord(self.next_id("visit"), wo.id, len(wo.visits) + 1, technician, start, end)
            wo.visits.append(visit)
        else:
            before = {"technician": visit.technician, "start": self.iso(visit.window_start)}
        visit.technician, visit.window_start, visit.window_end = technician, start, end
        wo.status, wo.technician, wo.appointment_start, wo.appointment_end = S.SCHEDULED, technician, start, end
        wo.accepted_at, wo.last_reason = None, reason
        wo.version += 1
        payload = {"visit": visit.seq, "technician": technician, "start": self.iso(start), "end": self.iso(end)}
        if before:
            payload.update({"before": before, "reason": reason})
        self.event(at, actor, WorkOrderAction.RESCHEDULED if before else WorkOrderAction.SCHEDULED, wo, payload)

    def dispatch(self, actor: int, wo: WorkOrderRecord, at: int) -> None:
        self._require(actor, wo, M.DISPATCH)
        wo.status = S.DISPATCHED
        wo.version += 1
        self.event(at, actor, WorkOrderAction.DISPATCHED, wo, {"technician": wo.technician})

    def accept(self, actor: int, wo: WorkOrderRecord, at: int) -> None:
        if wo.status != S.DISPATCHED or actor != wo.technician or wo.accepted_at is not None:
            raise NotInTable(f"{wo.number}: accepted by {actor} while {wo.status}")
        wo.accepted_at = at
        wo.version += 1
        self.event(at, actor, WorkOrderAction.ACCEPTED, wo, {})

    def move(self, actor: int, wo: WorkOrderRecord, at: int, move: str, *, reason: str = "", findings: str = "",
             outcome: str | None = None) -> None:
        transition = self._require(actor, wo, move, outcome)
        if (move in NEEDS_REASON and not reason) or (move == M.DIAGNOSE and not findings) or (
                move == M.REPORT and not wo.work_done) or (move == M.DECLINE and wo.accepted_at is not None):
            raise NotInTable(f"{wo.number}: {move} without what it needs")
        self._on_visit(wo, move, transition.target, reason, at)
        if findings:
            wo.findings = findings
        if move in NEEDS_REASON:
            wo.last_reason = reason
        if move == M.DECLINE:
            wo.technician, wo.appointment_start, wo.appointment_end = None, None, None
        if move == M.REPORT:
            wo.reported_at = at
        before, wo.status = wo.status, transition.target
        wo.version += 1
        payload = {"move": str(move), "from": str(before), "to": str(transition.target)}
        if reason:
            payload["reason"] = reason
        action = {M.DECLINE: WorkOrderAction.DECLINED, M.CANCEL: WorkOrderAction.CANCELLED}.get(
            move, WorkOrderAction.MOVED)
        self.event(at, actor, action, wo, payload)

    def _on_visit(self, wo: WorkOrderRecord, move: str, target: str, reason: str, at: int) -> None:
        """`actions._record_on_visit`: setting off, arriving, or how the visit ended."""
        ends = move in (M.DECLINE, M.CANCEL) or target in VISIT_ENDED_BY
        if not (ends or move in (M.DEPART, M.CHECK_IN)):
            return
        visit = self._current_visit(wo)
        if visit is None:
            return
        if move == M.DEPART:
            visit.departed_at = at
        elif move == M.CHECK_IN:
            visit.arrived_at = at
        else:
            visit.ended_at = at
            visit.outcome = VISIT_ENDED_BY.get(target) or str(
                VisitOutcome.DECLINED if move == M.DECLINE else VisitOutcome.CANCELLED)
            visit.reason = reason

    def complete(self, actor: int, wo: WorkOrderRecord, at: int, *, work_done: str, signer: str,
                 satisfaction: int) -> None:
        transition = self._require(actor, wo, M.COMPLETE)
        self._on_visit(wo, M.COMPLETE, transition.target, "", at)
        wo.status, wo.work_done, wo.signer_name = transition.target, work_done, signer
        wo.satisfaction, wo.completed_at = satisfaction, at
        wo.signature = self.signature
        wo.version += 1
        self.event(at, actor, WorkOrderAction.COMPLETED, wo, {
            "signer": signer, "satisfaction": satisfaction, "signature_sha256": SIGNATURE_SHA256})

    signature = ""  # the stored name of the demo signature (set by the seeder)

    def report_defect(self, actor: int, wo: WorkOrderRecord, at: int, description: str) -> None:
        if actor != wo.technician:
            raise NotInTable(f"{wo.number}: a defect reported by {actor}")
        defect_id = self.next_id("defect")
        self.defects.append((defect_id, wo.id, wo.product_id, description, actor, at))
        self.event(at, actor, WorkOrderAction.DEFECT_REPORTED, wo, {
            "defect": defect_id, "product": wo.product_id, "description": description})

    def use_part(self, actor: int, wo: WorkOrderRecord, at: int, code: str, quantity: int) -> None:
        visit = self._current_visit(wo)
        if actor != wo.technician or wo.status not in (S.ON_SITE, S.DIAGNOSED, S.REPAIRING, S.TESTING) or (
                visit is None or visit.departed_at is None):
            raise NotInTable(f"{wo.number}: a part used while {wo.status}")
        if code in self.world.items:
            self.parts.append(PartUse(at, visit.departed_at, actor, code, quantity, wo.id, wo.number))

    # One order's script ------------------------------------------------------------------------------------

    def _minutes(self, rng: random.Random, low: float, high: float) -> int:
        return int(rng.uniform(low, high) * MINUTE)

    def _dispatcher(self, request: OnSiteRequest) -> int:
        if request.first_responsible in self.dispatchers:
            return request.first_responsible
        return self.world.dispatchers[request.ticket_id % len(self.world.dispatchers)]

    def _anchored_window(self, technician: int, request: OnSiteRequest, rng: random.Random) -> tuple[int, int] | None:
        """A free window of the field calendar that the recorded arrival fits: begun up to half an hour before
        it, or starting up to 20 minutes after it; now and then (`LATE_SHARE`) one to five hours before it."""
        arrived, calendars = request.arrived, self.calendars
        on_time = calendars.grid_start_before(arrived)
        starts = [] if on_time is None else (
            [on_time, on_time + 30 * MINUTE] if rng.random() < 0.7 else [on_time + 30 * MINUTE, on_time])
        if rng.random() < LATE_SHARE:
            late = calendars.grid_start_before(arrived - self._minutes(rng, 60, 300))
            if late is not None:
                starts.insert(0, late)
        for start in starts:
            if not request.went_onsite <= start <= arrived + 20 * MINUTE:
                continue
            window = calendars.grid_window(start)
            if window is not None and calendars.fits(technician, *window):
                return window
        return None

    def _day_start(self, us: int, days: int) -> int:
        """Local midnight `days` days after the day of `us`."""
        local = from_us(us).astimezone(self.zone).replace(hour=0, minute=0, second=0, microsecond=0)
        return to_us(local + timedelta(days=days))

    def play(self, request: OnSiteRequest) -> bool:
        """Plan the request's work order and live it up to now; False when none fits its record."""
        owner = request.owner
        if owner not in self.technicians or not self.world.dispatchers:
            return False
        rng = random.Random(f"field-{self.seed}-{request.number}")
        if request.arrived is not None:
            window = self._anchored_window(owner, request, rng)
            if window is None:
                return False
            self.calendars.book(owner, *window)
            steps = self.visited(request, owner, window, rng)
        elif request.resolved is None:
            steps = self.waiting(request, owner, rng)
        else:
            return False  # resolved without an arrival on record: nothing to anchor a visit to
        for at in steps:
            if at >= self.now:
                break
        return True

    def waiting(self, request: OnSiteRequest, owner: int, rng: random.Random) -> Iterator[int]:
        """A request on its way to the site today: booked in its technician's first free window from now on
        (none in the week ahead: it waits to be scheduled)."""
        dispatcher = self._dispatcher(request)
        at = request.went_onsite
        yield at
        wo = self.open(owner, request, at, rng=rng, count=1)
        at += self._minutes(rng, 5, 30)
        if at >= self.now:
            return
        window = self.calendars.first_free(owner, not_before=max(at, self.now) + 30 * MINUTE,
                                           until=self.now + PENDING_LOOK_AHEAD)
        if window is None:
            return
        self.calendars.book(owner, *window)
        yield at
        self.schedule(dispatcher, wo, at, technician=owner, window=window)
        at += self._minutes(rng, 0, 2)
        yield at
        self.dispatch(dispatcher, wo, at)
        at += self._minutes(rng, 10, 120)
        yield at
        self.accept(owner, wo, at)
        at = max(at, window[0] - self._minutes(rng, 20, 50))
        yield at
        self.move(owner, wo, at, M.DEPART)

    def visited(self, request: OnSiteRequest, owner: int, window: tuple[int, int],
                rng: random.Random) -> Iterator[int]:
        """A request whose arrival is on record: booked, dispatched, accepted, on the way, checked in at the
        recorded arrival, repaired (or not fixed and visited again), signed off and reported, all before the
        request was first resolved."""
        world, calendars = self.world, self.calendars
        dispatcher = self._dispatcher(request)
        went, arrived = request.went_onsite, request.arrived
        cancel = rng.random() < CANCEL_SHARE
        variant = rng.random()
        others = [t for t in world.technicians if t != owner]
        decliner = rng.choice(others) if others and variant < DECLINE_SHARE else None
        if decliner is not None and not calendars.fits(decliner, *window):
            decliner = None
        before = None
        if decliner is None and DECLINE_SHARE <= variant < DECLINE_SHARE + RESCHEDULE_SHARE:
            day_after = self._day_start(window[0], 1)  # first booked for a later day, moved at the customer's call
            before = calendars.first_free(owner, not_before=day_after, until=day_after + 7 * DAY)
        if decliner is not None:
            calendars.book(decliner, *window)  # held while it was theirs to accept
        # The steps before the arrival, squeezed into the time between going on site and setting off; the
        # booking ones by the window's start (`work_order_schedule` refuses a window begun an hour before).
        booking = {"cancel": self._minutes(rng, 5, 30) if cancel else None,
                   "reopen": self._minutes(rng, 1, 5) if cancel else None,
                   "schedule": self._minutes(rng, 5, 30),
                   "reschedule": self._minutes(rng, 30, 240) if before else None,
                   "first_dispatch": self._minutes(rng, 0, 2) if decliner else None,
                   "decline": self._minutes(rng, 10, 90) if decliner else None,
                   "rebook": self._minutes(rng, 5, 30) if decliner else None}
        travel = self._minutes(rng, 20, 50)
        names = [name for name, gap in booking.items() if gap is not None]
        sets_off = arrived - travel
        booked_by = min(window[0] + 30 * MINUTE, sets_off)
        instants = dict(zip(names, _fit(went, booked_by - went, [booking[n] for n in names]), strict=True))
        last = instants[names[-1]]
        instants["dispatch"], instants["accept"] = _fit(last, sets_off - last, [self._minutes(rng, 0, 2),
                                                                                 self._minutes(rng, 10, 120)])
        instants["depart"] = max(instants["accept"], sets_off)
        at = went
        yield at
        wo = self.open(owner, request, at, rng=rng, count=1)
        if cancel:
            at = instants["cancel"]
            yield at
            self.move(dispatcher, wo, at, M.CANCEL, reason=CANCEL_REASON)
            at = instants["reopen"]
            yield at
            wo = self.open(dispatcher, request, at, rng=rng, count=2)
        at = instants["schedule"]
        yield at
        if decliner is not None:
            self.schedule(dispatcher, wo, at, technician=decliner, window=window)
            at = instants["first_dispatch"]
            yield at
            self.dispatch(dispatcher, wo, at)
            at = instants["decline"]
            yield at
            self.move(decliner, wo, at, M.DECLINE, reason=rng.choice(DECLINE_REASONS))
            at = instants["rebook"]
            yield at
            self.schedule(dispatcher, wo, at, technician=owner, window=window)
        elif before is not None:
            self.schedule(dispatcher, wo, at, technician=owner, window=before)
            at = instants["reschedule"]
            yield at
            self.schedule(dispatcher, wo, at, technician=owner, window=window, reason=RESCHEDULE_REASON)
        else:
            self.schedule(dispatcher, wo, at, technician=owner, window=window)
        at = instants["dispatch"]
        yield at
        self.dispatch(dispatcher, wo, at)
        at = instants["accept"]
        yield at
        self.accept(owner, wo, at)
        at = instants["depart"]
        yield at
        self.move(owner, wo, at, M.DEPART)
        at = arrived
        yield at
        self.move(owner, wo, at, M.CHECK_IN)  # the request's arrival, as recorded
        finding, work, _skill, part, quantity = REPAIRS.get(request.title, GENERIC_REPAIR)
        resolved = request.resolved
        # A second visit when the first could not fix it, if one fits before the request was resolved.
        second = None
        if rng.random() < REVISIT_SHARE:
            not_before = self._day_start(arrived, rng.randint(1, 4))
            until = resolved - 2 * HOUR if resolved is not None else not_before + PENDING_LOOK_AHEAD
            second = calendars.first_free(owner, not_before=not_before, until=until)
            if second is not None:
                calendars.book(owner, *second)
        if second is not None:
            at += self._minutes(rng, 10, 40)
            yield at
            self.move(owner, wo, at, M.DIAGNOSE, findings=finding)
            yield from self._defect(wo, owner, at, finding, rng)
            at += self._minutes(rng, 5, 20)
            yield at
            outcome, reason = rng.choice(NOT_FIXED_REASONS)
            self.move(owner, wo, at, M.NOT_FIXED, outcome=outcome, reason=reason)
            at += self._minutes(rng, 5, 60)
            yield at
            self.schedule(dispatcher, wo, at, technician=owner, window=second, reason=REVISIT_REASON)
            at += self._minutes(rng, 0, 2)
            yield at
            self.dispatch(dispatcher, wo, at)
            arrive = second[0] + self._minutes(rng, -20, 30)
            depart = arrive - self._minutes(rng, 20, 50)
            at = min(at + self._minutes(rng, 10, 120), depart - MINUTE)
            yield at
            self.accept(owner, wo, at)
            at = depart
            yield at
            self.move(owner, wo, at, M.DEPART)
            at = arrive
            yield at
            self.move(owner, wo, at, M.CHECK_IN)
        gaps_at_work = [self._minutes(rng, 10, 40), self._minutes(rng, 15, 70), self._minutes(rng, 1, 5),
                        self._minutes(rng, 15, 70), self._minutes(rng, 5, 15), self._minutes(rng, 20, 180)]
        room = (resolved - MINUTE - at) if resolved is not None else sum(gaps_at_work)
        diagnosed, repairing, part_at, testing, completed, reported = _fit(at, room, gaps_at_work)
        yield diagnosed
        self.move(owner, wo, diagnosed, M.DIAGNOSE, findings=finding)
        if second is None:
            yield from self._defect(wo, owner, diagnosed, finding, rng)
        yield repairing
        self.move(owner, wo, repairing, M.REPAIR)
        if rng.random() < PART_SHARE and part:
            yield part_at
            self.use_part(owner, wo, part_at, part, quantity)
        if rng.random() < CONSUMABLE_SHARE:
            yield part_at
            self.use_part(owner, wo, part_at, *rng.choice(CONSUMABLES))
        yield testing
        self.move(owner, wo, testing, M.TEST)
        yield completed
        self.complete(owner, wo, completed, work_done=work, signer=request.contact_name or "现场负责人",
                      satisfaction=rng.choice([5, 5, 5, 4, 4, 3]))
        yield reported
        self.move(owner, wo, reported, M.REPORT)

    def _defect(self, wo: WorkOrderRecord, owner: int, at: int, finding: str, rng: random.Random) -> Iterator[int]:
        if wo.product_id and rng.random() < DEFECT_SHARE:
            yield at
            self.report_defect(owner, wo, at, f"{finding}：同批次设备多次出现，建议质量部门排查")


__all__ = ["FieldYear", "NotInTable", "PartUse", "VisitRecord", "WorkOrderRecord"]
