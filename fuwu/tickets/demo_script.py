"""The demo year of service requests as one script (`manage.py seed_demo --tickets N`), played two ways.

`life` decides what happens to one request and when: registration (settled at first contact,
retroactive, major), a hand-over (sometimes to the wrong group first, declined), acceptance, tier
changes, arrival on site, work, waiting for the customer, repeat calls, resolution, reopening,
the follow-up call, confirmation. It acts through a `Player`: `fuwu.tickets.demo` plays it through
the actions (a few thousand requests), `fuwu.tickets.bulkload` through the workflow core and a
bulk writer (a million). Each request has its own random generator, seeded from the seed and its
place in the year, so both players live the same requests whatever the order they are played in.
Instants and delays are integer microseconds (`fuwu.standards.businesstime.to_us`).
"""

import itertools
import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from fuwu.standards.businesstime import US, from_us, to_us
from fuwu.standards.models import Channel
from fuwu.tickets.workflow.states import Move, Tier

MINUTE, HOUR, DAY = 60 * US, 3600 * US, 86400 * US

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
    "installation": (4, [
        ("新购空调机组安装调试", "新购两台多联机，需安装并调试。"),
        ("变频柜安装后开机调试", "变频柜已到货就位，需开机调试并培训操作。"),
    ], ["已完成安装调试，试运行正常，已培训客户操作。"]),
    "maintenance": (4, [
        ("季度保养", "按合同安排本季度设备保养。"),
        ("机房设备巡检", "例行巡检机房空调与UPS。"),
    ], ["已完成保养巡检，更换滤网，运行参数正常。"]),
}

# The types whose work is done at the customer's site by the repair group.
ON_SITE = ("repair", "installation", "maintenance")

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

CODES = list(CATALOGUE)
CODE_WEIGHTS = list(itertools.accumulate(CATALOGUE[c][0] for c in CODES))
CHANNEL_VALUES = [str(c) for c, _w in CHANNELS]
CHANNEL_WEIGHTS = list(itertools.accumulate(w for _c, w in CHANNELS))
Caller = tuple[int, str, str, str, int | None]  # customer id, contact name, phone, address line, region id


@dataclass
class Draft:
    """What the caller tells the agent: the request as registered."""

    code: str
    title: str
    description: str
    channel: str
    customer_id: int | None = None
    contact_name: str = ""
    contact_phone: str = ""
    site_address: str = ""
    region_id: int | None = None
    occurred_since: str = ""


class Player(Protocol):
    """Who plays the script: the people (opaque to the script) and the changes, at the player's time."""

    agents: list
    support: list
    technicians: list
    manager: Any

    def register(self, actor, draft: Draft, *, settle: str = "", retroactive: bool = False,
                 major: bool = False) -> None: ...

    def move(self, actor, move: Move, *, resolution: str = "", reason: str = "") -> None: ...

    def hand_over(self, actor, group: str, to_user, note: str) -> Any: ...

    def decide(self, handover, actor, *, reason: str = "") -> None: ...

    def change_tier(self, actor, tier: Tier, reason: str, authorised: bool = False) -> None: ...

    def record_arrival(self, actor) -> None: ...

    def follow_up(self, actor, note: str) -> None: ...

    def link_repeat(self, actor, channel: str, note: str) -> None: ...


def request_rng(seed: int, index: int) -> random.Random:
    """The random generator of the year's `index`-th request."""
    return random.Random(f"tickets-{seed}-{index}")


def arrivals(seed: int, count: int, now: int, zone: ZoneInfo) -> list[tuple[int, int]]:
    """(registered, received) of `count` calls over the year before `now`, in registration order.

    Office hours (8:00 to 20:00 where the service is), a little busier in summer (air conditioning);
    some on the latest days, so the queues hold open work when someone logs in today.
    """
    rng = random.Random(f"tickets-{seed}")
    local = from_us(now - 365 * DAY).astimezone(zone)
    start = to_us(local.replace(hour=0, minute=0, second=0, microsecond=0))
    found = []
    recent = min(count, max(25, count // 15))
    hours = range(8, 20)
    for n in range(count):
        while True:
            day = rng.randrange(362, 365) if n < recent else rng.randrange(365)
            if n < recent or rng.random() < (1.0 if 150 <= day <= 260 else 0.75):
                break
        at = start + day * DAY + rng.choice(hours) * HOUR + rng.randrange(60) * MINUTE
        received = min(at, now - 30 * MINUTE)
        found.append((received + int(rng.uniform(1, 8) * MINUTE), received))  # registered a few minutes later
    found.sort()
    return found


def first_night(now: int) -> int:
    """The first run of the nightly auto-close job (03:00 UTC) in the year before `now`."""
    return to_us((from_us(now - 365 * DAY) + timedelta(days=1)).replace(hour=3, minute=0, second=0, microsecond=0))


def _street_address(rng: random.Random) -> str:
    return f"{rng.choice(['中山路', '人民路', '解放路', '建设路'])}{rng.randint(1, 300)}号"


class DemoLife:
    """One request's life, acted through `player`; yields the wait before its next step, in microseconds."""

    def __init__(self, rng: random.Random, player: Player, *, callers: list[Caller], regions: list[int]):
        self.rng, self.p, self.callers, self.regions = rng, player, callers, regions

    def minutes(self, low: float, high: float) -> int:
        return int(self.rng.uniform(low, high) * MINUTE)

    def hours(self, low: float, high: float) -> int:
        return int(self.rng.uniform(low, high) * HOUR)

    def members(self, group: str) -> list:
        p = self.p
        return {"tech_support": p.support, "repair": p.technicians}.get(group, p.agents)

    def resolution(self, code: str) -> str:
        return self.rng.choice(CATALOGUE[code][2])

    def draft(self, code: str) -> Draft:
        rng = self.rng
        title, description = rng.choice(CATALOGUE[code][1])
        draft = Draft(code, title, description, rng.choices(CHANNEL_VALUES, cum_weights=CHANNEL_WEIGHTS)[0])
        if self.callers and (code != "consultation" or rng.random() < 0.8):
            customer_id, name, phone, line, region_id = rng.choice(self.callers)
            draft.customer_id, draft.contact_name, draft.contact_phone = customer_id, name, phone
            draft.site_address = line or _street_address(rng)
            draft.region_id = region_id or (rng.choice(self.regions) if self.regions else None)
        else:
            draft.contact_name = rng.choice("王李张刘陈杨赵黄周吴") + rng.choice(["先生", "女士"])
            draft.contact_phone = f"1{rng.choice('3589')}{rng.randrange(10**9):09d}"
        draft.occurred_since = rng.choice(SINCE)
        return draft

    def life(self) -> Iterator[int]:
        rng, p = self.rng, self.p
        code = rng.choices(CODES, cum_weights=CODE_WEIGHTS)[0]
        agent = rng.choice(p.agents)
        draft = self.draft(code)
        if code in ("consultation", "suggestion") and rng.random() < 0.75:  # settled at first contact (一次办结)
            p.register(agent, draft, settle=self.resolution(code))
            yield from self.after_resolution(agent, agent, code)
            return
        if code == "repair" and rng.random() < 0.03:  # R3.7: the engineer acted first, registers afterwards
            technician = rng.choice(p.technicians)
            draft.description += "（先抢修后补登记）"
            p.register(technician, draft, retroactive=True)
            yield self.minutes(5, 30)
            p.move(technician, Move.RESOLVE, resolution=self.resolution(code))
            yield from self.after_resolution(technician, technician, code)
            return
        major = (code == "complaint" and rng.random() < 0.1) or (code == "repair" and rng.random() < 0.02)
        p.register(agent, draft, major=major)
        yield self.minutes(3, 40)
        if rng.random() < 0.03:
            p.move(p.manager, Move.CANCEL, reason=rng.choice(CANCEL_REASONS))
            return
        owner = agent
        if code in ("fault", "consultation", *ON_SITE):
            target = "repair" if code in ON_SITE else "tech_support"
            if rng.random() < 0.08:  # handed to the wrong group first: declined with a reason, then re-routed
                wrong = "tech_support" if target == "repair" else "repair"
                handover = p.hand_over(agent, wrong, None, f"{draft.title}，请处理。")
                yield self.minutes(10, 90)
                p.decide(handover, rng.choice(self.members(wrong)), reason=rng.choice(DECLINE_REASONS))
                yield self.minutes(5, 30)
            members = self.members(target)
            named = rng.choice(members) if rng.random() < 0.5 else None
            handover = p.hand_over(agent, target, named, f"{draft.title}，联系人{draft.contact_name}，请尽快跟进。")
            yield self.minutes(5, 50) if rng.random() < 0.85 else self.minutes(60, 240)  # mostly within the hour
            owner = named or rng.choice(members)
            p.decide(handover, owner)
        else:
            p.move(agent, Move.ACCEPT)
        yield self.minutes(10, 240)
        if code in ON_SITE:
            p.change_tier(owner, Tier.ONSITE, "电话指导无法排除，需上门检测。" if code == "repair" else "按约定上门。")
            yield self.hours(0.5, 7)
            p.record_arrival(owner)
        elif code == "fault" and rng.random() < 0.6:
            p.change_tier(owner, Tier.REMOTE, "需远程登录设备排查。", authorised=True)
        p.move(owner, Move.START)
        if rng.random() < 0.08:
            yield self.hours(2, 30)
            p.link_repeat(rng.choice(p.agents), Channel.PHONE.value, rng.choice(REPEAT_NOTES))
        if rng.random() < 0.12:
            yield self.hours(1, 24)
            p.move(owner, Move.WAIT_CUSTOMER)
            yield self.hours(12, 96)
            p.move(owner, Move.RESUME)
        yield self.hours(1, 60)
        p.move(owner, Move.RESOLVE, resolution=self.resolution(code))
        yield from self.after_resolution(agent, owner, code)

    def after_resolution(self, first_responsible, owner, code: str) -> Iterator[int]:
        """The first-responsible person confirms with the customer, or it reopens, or it closes by itself."""
        rng, p = self.rng, self.p
        roll = rng.random()
        if roll < 0.04 and code not in ("consultation", "suggestion"):
            yield self.hours(12, 72)
            p.move(first_responsible, Move.REOPEN, reason=rng.choice(REOPEN_REASONS))
            yield self.hours(1, 24)
            p.move(owner, Move.START)
            yield self.hours(2, 48)
            p.move(owner, Move.RESOLVE, resolution="复查后" + self.resolution(code))
        if rng.random() < 0.9:  # the follow-up call after resolution (R10.4 follow-up clock)
            yield self.hours(1, 30)
            p.follow_up(first_responsible, rng.choice(FOLLOW_UP_NOTES))
        if roll < 0.6:
            yield self.hours(1, 24)
            p.move(first_responsible, Move.CLOSE)
        # otherwise the nightly job closes it (R4.1)


__all__ = [
    "DAY",
    "HOUR",
    "MINUTE",
    "DemoLife",
    "Draft",
    "Player",
    "arrivals",
    "first_night",
    "request_rng",
]
