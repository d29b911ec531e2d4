"""Demo work orders (`manage.py seed_demo`): a year of on-site repairs played through the actions.

Each repair is a small script, a generator that runs one action at a time at its simulated instant
and says when it wants to run next; one time-ordered queue runs them all, so bookings see each
other (slots, double bookings) as they would have. The breach watch runs before each arrival and
sign-off, so late visits are on record as late and repair timeliness (R5.4) has something to
measure. About one visit in seven finds the fault not fixed (parts, or a second look).
"""

import datetime
import heapq
import random
import time
from collections.abc import Callable, Iterator

from django.contrib.auth import get_user_model
from django.utils import timezone

from fuwu.customers.models import Address, Contact, DeliveredProduct
from fuwu.fieldservice import actions
from fuwu.fieldservice.dispatch import technician_slots, working_schedule
from fuwu.fieldservice.models import WorkOrder
from fuwu.fieldservice.selectors import field_technicians
from fuwu.materials.selectors import technician_holdings
from fuwu.org.models import Skill
from fuwu.org.roles import Role
from fuwu.standards.models import ServiceType
from fuwu.tickets.actions import sla_watch, ticket_move, ticket_register
from fuwu.tickets.demo import simulated_clock
from fuwu.tickets.lifecycle import Move
from fuwu.tickets.validation import TicketInput

FAULTS = [
    ("空调不制冷", "压缩机启动电容损坏", "更换启动电容，试机制冷正常"),
    ("设备无法开机", "电源模块烧毁", "更换电源模块，开机自检通过"),
    ("门禁无法识别", "读卡器接线松动", "重新压接读卡器线缆，刷卡测试正常"),
    ("水泵异响", "轴承磨损", "更换轴承并加注润滑脂，运行平稳"),
    ("监控画面黑屏", "硬盘录像机硬盘故障", "更换硬盘并恢复录像计划"),
    ("电梯困人报警误报", "轿厢报警按钮受潮", "更换报警按钮，联动测试正常"),
    ("配电柜跳闸", "漏电保护器老化", "更换漏电保护器，绝缘测试合格"),
]
NOT_FIXED_REASONS = [("waiting_parts", "缺少原厂配件，已申请调货"), ("revisit_needed", "需厂家工程师协同复检")]
MINUTE = datetime.timedelta(minutes=1)


def _wait(rng: random.Random, low: int, high: int) -> datetime.timedelta:
    return rng.randint(low, high) * MINUTE


class _Demo:
    def __init__(self, *, seed: int, now: datetime.datetime) -> None:
        users = get_user_model().objects.filter(is_active=True, profile__is_active=True)
        self.rng = random.Random(seed)
        self.now = now
        self.agents = list(users.filter(profile__roles__code=Role.AGENT).order_by("pk"))
        self.technicians = [p.user for p in field_technicians().order_by("user_id")]
        self.repair = ServiceType.objects.get(code="repair")
        self.skills = list(Skill.objects.filter(profiles__roles__code=Role.TECHNICIAN).distinct().order_by("pk"))
        contacts = Contact.objects.filter(is_primary=True, is_active=True, customer__is_active=True).exclude(phone="")
        addresses = dict(Address.objects.filter(is_active=True).order_by("id").values_list("customer_id", "line"))
        regions = dict(Address.objects.filter(is_active=True, region__isnull=False).values_list("customer_id",
                                                                                                 "region_id"))
        self.customers = [(c, n, p, addresses[c], regions.get(c)) for c, n, p in contacts.order_by("id")
                          .values_list("customer_id", "name", "phone")[:5000] if c in addresses]
        self.products = {}
        for product in DeliveredProduct.objects.filter(is_active=True, customer_id__in=[c[0] for c in self.customers]):
            self.products.setdefault(product.customer_id, product)
        self.schedule = working_schedule()

    def working_instant(self, day_offset: float) -> datetime.datetime:
        """An instant in office hours about `day_offset` days before now."""
        at = timezone.localtime(self.now - datetime.timedelta(days=day_offset))
        at = at.replace(hour=self.rng.choice([9, 10, 11, 14, 15, 16]), minute=self.rng.randint(0, 59))
        while not self.schedule.hours_on(at.date()):
            at -= datetime.timedelta(days=1)
        return at

    def repair_script(self, index: int, start: datetime.datetime) -> Iterator[datetime.datetime]:
        """One repair from the call to the report; yields the instant of its next step."""
        rng = random.Random(self.rng.random())
        agent = self.agents[index % len(self.agents)]
        customer_id, contact_name, phone, address, region_id = rng.choice(self.customers)
        fault, finding, work = rng.choice(FAULTS)
        ticket = ticket_register(actor=agent, data=TicketInput(
            service_type_id=self.repair.pk, title=fault, contact_name=contact_name, customer_id=customer_id,
            contact_phone=phone, site_address=address, region_id=region_id, occurred_since="今天",
            description=f"客户来电：{fault}"))
        yield timezone.now() + _wait(rng, 5, 40)
        wo = actions.work_order_open(
            actor=agent, ticket=ticket, expected_version=ticket.version, fault=fault, site_address=address,
            reason="电话指导无法排除，需上门", product=self.products.get(customer_id),
            skill=rng.choice(self.skills) if self.skills and rng.random() < 0.6 else None)
        visits = 2 if rng.random() < 0.14 else 1
        for visit in range(visits):
            yield timezone.now() + _wait(rng, 5, 60)
            technician = rng.choice(self.technicians)
            slots = technician_slots(technician.pk, first_day=timezone.localdate(), days=10, schedule=self.schedule)
            if not slots:
                return
            # Usually the first free slot (the arrival deadline runs from going on site), now and then the
            # customer prefers a later one.
            slot = slots[min(len(slots) - 1, rng.choice([0] * 8 + [1, 2]))]
            wo = actions.work_order_schedule(actor=agent, work_order=wo, expected_version=wo.version,
                                             technician=technician, start=slot.start, end=slot.end,
                                             reason="" if visit == 0 else "备件到货，安排复修")
            wo = actions.work_order_dispatch(actor=agent, work_order=wo, expected_version=wo.version)
            yield timezone.now() + _wait(rng, 10, 120)
            wo = actions.work_order_accept(actor=technician, work_order=wo, expected_version=wo.version)
            # Most arrive within the window; some are late (traffic, the previous job ran over).
            arrive = slot.start + (_wait(rng, -20, 30) if rng.random() < 0.9 else _wait(rng, 60, 300))
            yield arrive - _wait(rng, 20, 50)
            wo = actions.work_order_move(actor=technician, work_order=wo, expected_version=wo.version, move="depart")
            yield arrive
            sla_watch(now=timezone.now())
            wo = actions.work_order_move(actor=technician, work_order=wo, expected_version=wo.version,
                                         move="check_in")
            yield timezone.now() + _wait(rng, 10, 40)
            wo = actions.work_order_move(actor=technician, work_order=wo, expected_version=wo.version,
                                         move="diagnose", findings=finding)
            if wo.product_id and rng.random() < 0.1:
                actions.product_defect_report(actor=technician, work_order=wo,
                                              description=f"{finding}：同批次设备多次出现，建议质量部门排查")
            if visit < visits - 1:
                yield timezone.now() + _wait(rng, 5, 20)
                outcome, reason = rng.choice(NOT_FIXED_REASONS)
                wo = actions.work_order_move(actor=technician, work_order=wo, expected_version=wo.version,
                                             move="not_fixed", outcome=outcome, reason=reason)
                yield timezone.now() + datetime.timedelta(days=rng.randint(1, 4))
                continue
            for move in ("repair", "test"):
                yield timezone.now() + _wait(rng, 15, 70)
                wo = actions.work_order_move(actor=technician, work_order=wo, expected_version=wo.version, move=move)
                if move == "repair" and rng.random() < 0.6:
                    in_hand = technician_holdings(technician, technician)
                    if in_hand:  # a part from the van (R5.2)
                        actions.work_order_use_part(actor=technician, work_order=wo, item=rng.choice(in_hand).item,
                                                    quantity=1)
                        wo.refresh_from_db()
            yield timezone.now() + _wait(rng, 5, 15)
            sla_watch(now=timezone.now())
            wo = actions.work_order_complete(
                actor=technician, work_order=wo, expected_version=wo.version, work_done=work,
                signer_name=contact_name, satisfaction=rng.choice([5, 5, 5, 4, 4, 3]), signature=DEMO_SIGNATURE)
            yield timezone.now() + _wait(rng, 20, 180)
            actions.work_order_move(actor=technician, work_order=wo, expected_version=wo.version, move="report")
            ticket.refresh_from_db()
            for move, extra in ((Move.ACCEPT, {}), (Move.RESOLVE, {"resolution": work})):
                ticket = ticket_move(actor=agent, ticket=ticket, expected_version=ticket.version, move=move, **extra)


def seed_work_orders(*, seed: int, count: int, log: Callable[[str], None] | None = None) -> int:
    """Play `count` on-site repairs over the past year; returns how many work orders were opened."""
    demo = _Demo(seed=seed, now=timezone.now())
    if count <= 0 or not (demo.agents and demo.technicians and demo.customers):
        return 0
    started = time.perf_counter()
    queue: list[tuple[datetime.datetime, int, Iterator[datetime.datetime]]] = []
    for index in range(count):
        start = demo.working_instant(demo.rng.uniform(0.3, 365))
        queue.append((start, index, demo.repair_script(index, start)))
    heapq.heapify(queue)
    with simulated_clock() as clock:
        while queue:
            at, index, script = heapq.heappop(queue)
            if at > demo.now:
                continue  # the rest of this repair lies in the future: it is still open today
            clock["at"] = at
            following = next(script, None)
            if following is not None:
                heapq.heappush(queue, (max(following, at), index, script))
    made = WorkOrder.objects.count()
    if log is not None:
        log(f"{made} work orders in {time.perf_counter() - started:.1f} s.")
    return made


# A short stroke, as drawn on a phone: a valid PNG for the demo's sign-offs.
DEMO_SIGNATURE = "data:image/png;base64," + (
    "iVBORw0KGgoAAAANSUhEUgAAAKAAAAAwCAAAAACzwi6yAAABh0lEQVR42u2YzXLDIAyEtZq+/ytvD3ETbJC0uO6UA1w8wQp8Wv2Y"
    "AbS1h9sG3IAbcANuwHjAsDQgFiD0lE8Zf+yDl3yo+bBwkUDU+rYXnm5NFrtDzIb7OvuvEhBmZizNgfbxDODP1qmEhxGlNNDLTgH8"
    "SJMQvo3yRHiZkROEqAA/fFJ8M3VwckMKM9p8jYuEzRMFX6zOIV+zIiT53lZgVMDBr0w/jkPFmdBc/+J1AQ8lvO401LDjq8Pcu8Q6"
    "AQduS1NDuXro/KULBUKpiK4aYhzOrJpH8KBSwJAy6TSdKBW8Gk/7jQYT2TCo3rEdhl+bHpupVqPpxAecaooTPob/+JL4ZjQGhTAQ"
    "ZgYlH1w7IfB8smLW3KGkCfsjJyN/NXEObaHETvhONrvl+QC1zb8AxS+BdmWGtJX1gMXSME0cEOqVnrKkx52iOETE7+UrR7Je0uUC"
    "puzCxKAx6pZXQKgr2uOE0olayG3ORO+xgaZXLnld7Tdy+5+uPha97t/3gxtwA27ADbj4+AbUQYlg953gYwAAAABJRU5ErkJggg=="
)
