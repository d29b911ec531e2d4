"""Demo service requests (`manage.py seed_demo --tickets N`): a year of requests, worked through the actions.

Every request lives its life through `fuwu.tickets.actions` (registration, hand-over, acceptance or a
decline, tier changes, work, waiting for the customer, resolution, confirmation, reopening,
cancellation by the manager, repeat calls, major matters), so the audit chain covers all of it.

A simulated clock runs through the year: each request's steps are events in one time-ordered
queue, and each action runs with `timezone.now()` at its event's time. Registration times,
resolution times, the audit record and the reopen and auto-close windows are therefore those of a
real year; steps that would fall after the real now are left undone, so recent requests are still
open. Deterministic for a seed.
"""

import heapq
import itertools
import random
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from unittest import mock

from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import timezone

from fuwu.customers.models import Address, Contact
from fuwu.org.models import Group, Profile, Region
from fuwu.org.roles import Role
from fuwu.standards.models import Channel, ServiceType
from fuwu.tickets import actions
from fuwu.tickets.lifecycle import Move, Tier
from fuwu.tickets.models import Entry, Ticket
from fuwu.tickets.validation import TicketInput

# Service type code: (weight, [(title, description)], [resolution]).
CATALOGUE: dict[str, tuple[int, list[tuple[str, str]], list[str]]] = {
    "repair": (32, [
        ("空调不制冷", "办公区中央空调开机后只吹自然风，室温降不下来。"),
        ("空调漏水", "会议室空调内机滴水，地毯已打湿。"),
        ("电梯异响", "3号乘客电梯运行时有明显摩擦异响，乘客反映不安。"),
        ("电梯门关不严", "1号电梯轿厢门反复开合，无法正常运行。"),
        ("配电柜频繁跳闸", "二楼低压配电柜每天跳闸两三次，影响生产。"),
        ("UPS 电源告警", "机房 UPS 面板报电池故障，持续蜂鸣。"),
        ("自动扶梯急停", "商场自动扶梯运行中突然急停，已暂停使用。"),
        ("楼宇自控温度显示异常", "楼宇自控系统显示室温 45℃，现场实测正常。"),
    ], [
        "更换压缩机启动电容，制冷恢复正常。", "清理冷凝水管堵塞，已不再漏水。", "调整导靴并润滑导轨，异响消除。",
        "更换门机皮带并调整门刀，运行正常。", "更换老化断路器并紧固接线端子，连续观察无跳闸。",
        "更换 UPS 电池组两节，告警解除。", "更换梯级链条传感器，扶梯恢复运行。", "重新标定温度传感器，显示正常。",
    ]),
    "fault": (15, [
        ("网络中断", "整层办公区网络中断，接入交换机指示灯异常。"),
        ("VPN 频繁掉线", "分支机构 VPN 每隔半小时断开一次。"),
        ("ERP 系统无法登录", "多名用户登录 ERP 提示服务不可用。"),
        ("防火墙策略失效", "外网访问策略调整后业务系统无法访问。"),
        ("核心交换机端口故障", "核心交换机 12 口频繁 up/down。"),
    ], [
        "更换故障光模块，网络恢复。", "调整 VPN 保活参数并升级固件，运行稳定。",
        "重启应用服务并清理日志空间，登录恢复。",
        "回退错误策略并重新下发，业务访问正常。", "更换端口并更新配置，端口稳定。",
    ]),
    "consultation": (30, [
        ("咨询保修政策", "客户询问设备保修期限及保修范围。"),
        ("咨询维保合同续签", "客户询问年度维保合同到期后的续签方式。"),
        ("咨询上门服务收费标准", "客户询问保修期外上门服务的收费。"),
        ("咨询设备操作方法", "客户询问空调集中控制器的定时设置方法。"),
        ("查询维修进度", "客户询问上周报修的处理进度。"),
    ], [
        "已告知保修期及保修范围，客户表示清楚。", "已说明续签流程并发送合同模板。", "已按收费标准答复，客户认可。",
        "已电话指导操作，客户设置成功。", "已查询并告知当前进度。",
    ]),
    "complaint": (10, [
        ("投诉维修人员迟到", "约定上午九点上门，维修人员十一点才到。"),
        ("投诉维修后问题复发", "上周维修的空调又不制冷了。"),
        ("投诉热线长时间无人接听", "客户称连续拨打热线十分钟无人接听。"),
        ("投诉服务态度差", "客户反映维修人员说话生硬，不解释收费。"),
    ], [
        "已向客户致歉，对相关人员进行考核并加强培训。", "已安排复修并延长保修期，客户接受。",
        "已核实话务记录并调整排班，向客户致歉。", "已约谈相关人员，由主管上门致歉。",
    ]),
    "suggestion": (5, [
        ("建议增加微信报修渠道", "客户希望可以通过微信公众号报修。"),
        ("建议提供维修进度短信提醒", "客户希望维修各环节有短信通知。"),
    ], ["已记录并转相关部门评估，感谢客户建议。"]),
    "move_in": (5, [
        ("办理入住手续", "新租户办理入住，需开通门禁与空调计费。"),
        ("办理门禁卡", "新员工入职，需要办理门禁卡三张。"),
    ], ["已办理完毕并交付相关卡证。"]),
}
_CODES = list(CATALOGUE)
_WEIGHTS = [CATALOGUE[c][0] for c in _CODES]

# R3.1: most requests come in by phone.
CHANNELS = [(Channel.PHONE, 60), (Channel.WEB, 10), (Channel.EMAIL, 8), (Channel.CHAT, 8), (Channel.WALK_IN, 6),
            (Channel.API, 4), (Channel.LETTER, 2), (Channel.FAX, 2)]
DECLINE_REASONS = [
    "不属于本组处理范围，应由技术支持远程处理。", "现场为网络问题，非设备维修。", "本组今日人手已满，请改派。",
]
CANCEL_REASONS = ["客户来电撤回申请。", "与已有工单重复登记。", "客户已自行解决。"]
REOPEN_REASONS = ["客户反映问题复发。", "客户不认可处理结果。"]
FOLLOW_UP_NOTES = ["回访：客户对处理结果满意。", "回访：问题已解决，客户表示感谢。", "回访：客户提出小建议，已记录。",
                   "回访：未接通，短信告知后客户回电确认已解决。"]
REPEAT_NOTES = ["客户来电催问进度。", "客户再次来电，情绪较急。", "客户补充说明故障现象。"]
SINCE = ["今天上午", "昨天下午", "前天", "本周一", "三天前", "一周前"]


@dataclass
class _Staff:
    agents: list
    support: list
    technicians: list
    manager: object

    def group_members(self, code: str) -> list:
        return {"tech_support": self.support, "repair": self.technicians}.get(code, self.agents)


def _staff() -> _Staff:
    def members(group: str, role: Role) -> list:
        ids = Profile.objects.filter(group__code=group, roles__code=role, is_active=True).order_by("id").values_list(
            "user_id", flat=True)
        return list(get_user_model().objects.filter(pk__in=list(ids)).order_by("id"))

    manager = get_user_model().objects.filter(
        profile__roles__code=Role.MANAGER, profile__is_active=True).order_by("id").first()
    staff = _Staff(members("customer_service", Role.AGENT), members("tech_support", Role.SUPPORT),
                   members("repair", Role.TECHNICIAN), manager)
    if not (staff.agents and staff.support and staff.technicians and staff.manager):
        raise ValueError("The demo staff (agents, support, technicians, a manager) must exist before tickets.")
    return staff


@contextmanager
def simulated_clock() -> Iterator[dict]:
    """`timezone.now()` returns `clock["at"]` while set (the demo's year), else the real time."""
    real_now = timezone.now
    clock: dict = {"at": None}
    with mock.patch.object(timezone, "now", lambda: clock["at"] or real_now()):
        yield clock


class DemoTicketGenerator:
    def __init__(self, *, seed: int, now: datetime) -> None:
        self.rng = random.Random(f"tickets-{seed}")
        self.now = now
        self.staff = _staff()
        self.types = {t.code: t for t in ServiceType.objects.filter(code__in=_CODES)}
        self.groups = {g.code: g for g in Group.objects.all()}
        self.regions = list(Region.objects.order_by("id").values_list("id", flat=True))
        addresses = {}
        for customer_id, line, region_id in Address.objects.filter(is_active=True).order_by("-id").values_list(
                "customer_id", "line", "region_id"):
            addresses[customer_id] = (line, region_id)
        contacts = Contact.objects.filter(is_primary=True, is_active=True, customer__is_active=True).exclude(phone="")
        self.callers = [
            (customer_id, name, phone, *addresses.get(customer_id, ("", None)))
            for customer_id, name, phone in contacts.order_by("id").values_list("customer_id", "name", "phone")[:5000]
        ]
        self.statuses: Counter = Counter()

    # Helpers -----------------------------------------------------------------------------------------------------

    def minutes(self, low: float, high: float) -> timedelta:
        return timedelta(minutes=self.rng.uniform(low, high))

    def hours(self, low: float, high: float) -> timedelta:
        return timedelta(hours=self.rng.uniform(low, high))

    def _input(self, code: str, received_at: datetime) -> TicketInput:
        rng = self.rng
        title, description = rng.choice(CATALOGUE[code][1])
        channel = rng.choices([c for c, _ in CHANNELS], [w for _, w in CHANNELS])[0]
        data = TicketInput(service_type_id=self.types[code].pk, title=title, description=description,
                           contact_name="", channel=channel, received_at=received_at)
        if self.callers and (code != "consultation" or rng.random() < 0.8):
            customer_id, name, phone, line, region_id = rng.choice(self.callers)
            data.customer_id, data.contact_name, data.contact_phone = customer_id, name, phone
            data.site_address = line or f"{rng.choice(['中山路', '人民路', '解放路', '建设路'])}{rng.randint(1, 300)}号"
            data.region_id = region_id or (rng.choice(self.regions) if self.regions else None)
        else:
            data.contact_name = rng.choice("王李张刘陈杨赵黄周吴") + rng.choice(["先生", "女士"])
            data.contact_phone = f"1{rng.choice('3589')}{rng.randrange(10**9):09d}"
        data.occurred_since = rng.choice(SINCE)
        return data

    def _resolution(self, code: str) -> str:
        return self.rng.choice(CATALOGUE[code][2])

    # One request's life: a generator that acts, then yields how long until its next step. ------------------------

    def life(self, received_at: datetime) -> Iterator[timedelta]:
        rng = self.rng
        code = rng.choices(_CODES, _WEIGHTS)[0]
        agent = rng.choice(self.staff.agents)
        data = self._input(code, received_at)
        if code in ("consultation", "suggestion") and rng.random() < 0.75:
            ticket = actions.ticket_register(actor=agent, data=data, settle_with_resolution=self._resolution(code))
            yield from self._after_resolution(ticket, agent, agent, code)
            return
        if code == "repair" and rng.random() < 0.03:  # R3.7: the engineer acted first, registers afterwards
            technician = rng.choice(self.staff.technicians)
            data.description += "（先抢修后补登记）"
            ticket = actions.ticket_register(actor=technician, data=data, retroactive=True)
            yield self.minutes(5, 30)
            actions.ticket_move(actor=technician, ticket=ticket, expected_version=None, move=Move.RESOLVE,
                                resolution=self._resolution(code))
            yield from self._after_resolution(ticket, technician, technician, code)
            return
        major = (code == "complaint" and rng.random() < 0.1) or (code == "repair" and rng.random() < 0.02)
        ticket = actions.ticket_register(actor=agent, data=data, major=major)
        yield self.minutes(3, 40)
        if rng.random() < 0.03:
            actions.ticket_move(actor=self.staff.manager, ticket=ticket, expected_version=None, move=Move.CANCEL,
                                reason=rng.choice(CANCEL_REASONS))
            return
        owner = agent
        if code in ("repair", "fault", "consultation"):
            target = "repair" if code == "repair" else "tech_support"
            if rng.random() < 0.08:  # handed to the wrong group first: declined with a reason, then re-routed
                wrong = "tech_support" if target == "repair" else "repair"
                handover = actions.ticket_hand_over(actor=agent, ticket=ticket, expected_version=None,
                                                    to_group=self.groups[wrong], note=f"{data.title}，请处理。")
                yield self.minutes(10, 90)
                actions.handover_decline(actor=rng.choice(self.staff.group_members(wrong)), handover=handover,
                                         reason=rng.choice(DECLINE_REASONS))
                yield self.minutes(5, 30)
            members = self.staff.group_members(target)
            named = rng.choice(members) if rng.random() < 0.5 else None
            handover = actions.ticket_hand_over(
                actor=agent, ticket=ticket, expected_version=None, to_group=self.groups[target], to_user=named,
                note=f"{data.title}，联系人{data.contact_name}，请尽快跟进。")
            yield self.minutes(5, 50) if rng.random() < 0.85 else self.minutes(60, 240)  # mostly within the hour
            owner = named or rng.choice(members)
            actions.handover_accept(actor=owner, handover=handover)
        else:
            actions.ticket_move(actor=agent, ticket=ticket, expected_version=None, move=Move.ACCEPT)
        yield self.minutes(10, 240)
        if code == "repair":
            actions.ticket_change_tier(actor=owner, ticket=ticket, expected_version=None, tier=Tier.ONSITE,
                                       reason="电话指导无法排除，需上门检测。")
            yield self.hours(0.5, 7)
            actions.ticket_record_arrival(actor=owner, ticket=ticket, expected_version=None)
        elif code == "fault" and rng.random() < 0.6:
            actions.ticket_change_tier(actor=owner, ticket=ticket, expected_version=None, tier=Tier.REMOTE,
                                       reason="需远程登录设备排查。", customer_authorised=True)
        actions.ticket_move(actor=owner, ticket=ticket, expected_version=None, move=Move.START)
        if rng.random() < 0.08:
            yield self.hours(2, 30)
            actions.ticket_link_repeat(actor=rng.choice(self.staff.agents), ticket=ticket, channel=Channel.PHONE,
                                       note=rng.choice(REPEAT_NOTES))
        if rng.random() < 0.12:
            yield self.hours(1, 24)
            actions.ticket_move(actor=owner, ticket=ticket, expected_version=None, move=Move.WAIT_CUSTOMER)
            yield self.hours(12, 96)
            actions.ticket_move(actor=owner, ticket=ticket, expected_version=None, move=Move.RESUME)
        yield self.hours(1, 60)
        actions.ticket_move(actor=owner, ticket=ticket, expected_version=None, move=Move.RESOLVE,
                            resolution=self._resolution(code))
        yield from self._after_resolution(ticket, agent, owner, code)

    def _after_resolution(self, ticket: Ticket, first_responsible, owner, code: str) -> Iterator[timedelta]:
        """The first-responsible person confirms with the customer, or it reopens, or it closes by itself."""
        rng = self.rng
        roll = rng.random()
        if roll < 0.04 and code not in ("consultation", "suggestion"):
            yield self.hours(12, 72)
            actions.ticket_move(actor=first_responsible, ticket=ticket, expected_version=None, move=Move.REOPEN,
                                reason=rng.choice(REOPEN_REASONS))
            yield self.hours(1, 24)
            actions.ticket_move(actor=owner, ticket=ticket, expected_version=None, move=Move.START)
            yield self.hours(2, 48)
            actions.ticket_move(actor=owner, ticket=ticket, expected_version=None, move=Move.RESOLVE,
                                resolution="复查后" + self._resolution(code))
        if rng.random() < 0.9:  # the follow-up call after resolution (R10.4 follow-up clock)
            yield self.hours(1, 30)
            actions.ticket_add_entry(actor=first_responsible, ticket=ticket, kind=Entry.Kind.FOLLOW_UP,
                                     body=rng.choice(FOLLOW_UP_NOTES))
        if roll < 0.6:
            yield self.hours(1, 24)
            actions.ticket_move(actor=first_responsible, ticket=ticket, expected_version=None, move=Move.CLOSE)
        # otherwise the nightly job closes it (R4.1)

    def nightly(self) -> Iterator[timedelta]:
        while True:
            actions.tickets_auto_close(older_than_days=settings.FUWU_AUTO_CLOSE_DAYS)
            yield timedelta(days=1)

    # The year ------------------------------------------------------------------------------------------------------

    def run(self, count: int, progress: Callable[[int, int], None] | None = None) -> int:
        start = self.now - timedelta(days=365)
        # Office-hours arrivals, spread over the year, a little busier in summer (air conditioning).
        arrivals = []
        # Some of the latest days' calls, so the queues hold open work when someone logs in today.
        recent = min(count, max(25, count // 15))
        for n in range(count):
            while True:
                day = self.rng.randrange(362, 365) if n < recent else self.rng.randrange(365)
                if n < recent or self.rng.random() < (1.0 if 150 <= day <= 260 else 0.75):
                    break
            at = start + timedelta(days=day, hours=self.rng.choice(range(8, 20)), minutes=self.rng.randrange(60))
            arrivals.append(min(at, self.now - timedelta(minutes=30)))
        arrivals.sort()
        seq = itertools.count()
        queue: list = []
        for received_at in arrivals:
            # Registered a few minutes after the call came in.
            heapq.heappush(queue, (received_at + self.minutes(1, 8), next(seq), self.life(received_at)))
        night = (start + timedelta(days=1)).replace(hour=3, minute=0, second=0, microsecond=0)
        heapq.heappush(queue, (night, next(seq), self.nightly()))
        registered = 0
        with simulated_clock() as clock:
            while queue:
                at, order, steps = heapq.heappop(queue)
                clock["at"] = at
                delay = next(steps, None)
                if delay is not None and at + delay < self.now:  # later steps have not happened yet
                    heapq.heappush(queue, (at + delay, count + next(seq), steps))
                if order < count:
                    registered += 1
                    if progress is not None and registered % 100 == 0:
                        progress(registered, count)
        return registered


def seed_tickets(*, seed: int, count: int, log: Callable[[str], None] | None = None,
                 progress: Callable[[int, int], None] | None = None) -> int:
    """Register and work `count` demo requests over the past year; returns how many were registered."""
    if count <= 0:
        return 0
    started = time.perf_counter()
    made = DemoTicketGenerator(seed=seed, now=timezone.now()).run(count, progress)
    seconds = time.perf_counter() - started
    if log is not None:
        statuses = Counter(Ticket.objects.values_list("status", flat=True))
        summary = ", ".join(f"{status} {n}" for status, n in sorted(statuses.items()))
        log(f"{made} service requests in {seconds:.1f} s ({made / seconds:,.0f} per second): {summary}.")
    return made
