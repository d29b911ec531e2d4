"""Demo inspections (`manage.py seed_demo`): two published checklists in Chinese — a hotline call
inspection and an on-site mystery shopper — and one round a month for each over the demo year, opened
on the first of the month by the daily job's action, scored by the quality supervisor through the
actions at simulated instants, completed at the month's end; the failed ones raise their finding as a
request. The current month's rounds stay in progress and next month's are planned. `fast` scores fewer
per month (`seed_demo --fast`).
"""

import datetime
import random
import time
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import timezone, translation

from fuwu.inspections import actions
from fuwu.inspections.models import ChecklistKind, Finding, Inspection, Touchpoint
from fuwu.org.models import Group, Profile
from fuwu.org.roles import Role
from fuwu.tickets.demo import simulated_clock
from fuwu.tickets.models import Ticket

HOTLINE_ITEMS = [
    ("开场问候规范，报工号", "三声内接听，使用标准问候语", 2, 5, False),
    ("核实客户身份与联系方式", "", 2, 5, False),
    ("准确完整记录客户诉求", "复述确认，登记无遗漏", 3, 5, False),
    ("解答专业准确", "", 3, 5, False),
    ("未泄露客户信息", "不向第三方透露客户资料", 2, 1, True),
    ("结束语与满意度确认", "", 1, 5, False),
]
ONSITE_ITEMS = [
    ("按约定时间到达", "迟到超过15分钟计0分", 3, 5, True),
    ("着装整洁，佩戴工牌", "", 1, 5, False),
    ("说明故障原因与处理方案", "", 2, 5, False),
    ("收费透明，出示价目表", "", 2, 1, True),
    ("完工后清理现场", "", 1, 5, False),
    ("请客户签字确认并讲解注意事项", "", 1, 5, False),
]
NOTES = {
    "hotline": ["整体表现良好。", "语速偏快，需放慢。", "记录不够完整，已当场指出。", "客户排队等待时间较长。",
                "未复述确认客户诉求。", ""],
    "onsite": ["整体表现良好。", "客户反馈态度热情。", "现场未清理干净。", "迟到约二十分钟，未提前告知客户。",
               "未出示收费标准。", ""],
}


def _checklist(actor, *, code, title, kind, touchpoint, pass_mark, intro, items):
    checklist = actions.checklist_create(actor=actor, code=code, title=title, kind=kind, touchpoint=touchpoint,
                                         pass_mark=pass_mark, intro=intro)
    for text, guidance, weight, max_score, critical in items:
        actions.checklist_add_item(actor=actor, checklist=checklist, expected_version=None, text=text,
                                   guidance=guidance, weight=weight, max_score=max_score, critical=critical)
    return actions.checklist_publish(actor=actor, checklist=checklist, expected_version=None)


def _months(today: datetime.date, count: int) -> list[datetime.date]:
    first = today.replace(day=1)
    months = []
    for _ in range(count):
        months.append(first)
        first = (first - datetime.timedelta(days=1)).replace(day=1)
    return sorted(months)


def _month_end(first: datetime.date) -> datetime.date:
    return (first + datetime.timedelta(days=32)).replace(day=1) - datetime.timedelta(days=1)


def _at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def _scores(rng: random.Random, items, bias: float) -> list[int]:
    values = []
    for item in items:
        if item.max_score == 1:
            values.append(0 if rng.random() < 0.04 - bias / 10 else 1)
        else:
            values.append(max(0, min(item.max_score, round(rng.gauss(item.max_score * (0.86 + bias), 0.9)))))
    return values


def seed_inspections(*, seed: int, fast: bool = False, log: Callable[[str], None] | None = None) -> int:
    """The checklists, the year's rounds and their inspections; returns the inspections made."""
    started = time.perf_counter()
    User = get_user_model()
    quality = User.objects.filter(profile__roles__code=Role.QUALITY_SUPERVISOR, is_active=True).order_by("pk").first()
    people = Profile.objects.filter(is_active=True, group__isnull=False, employee_no__isnull=False).select_related(
        "user", "group")
    agents = [p.user for p in people.filter(roles__code=Role.AGENT)]
    technicians = [p.user for p in people.filter(roles__code=Role.TECHNICIAN)]
    if quality is None or not agents or not technicians:
        return 0
    rng = random.Random(seed * 7919 + 17)
    bias = {u.pk: rng.gauss(0, 0.06) for u in agents + technicians}
    today = timezone.localdate()
    months = _months(today, 12)
    per_month = {"hotline": 3 if fast else 6, "onsite": 2 if fast else 4}
    # The texts the actions write (a finding's summary, its request's title) in the house language.
    with simulated_clock() as clock, translation.override(settings.LANGUAGE_CODE):
        clock["at"] = _at(months[0], 9) - datetime.timedelta(days=3)
        hotline = _checklist(quality, code="hotline-call", title="热线通话服务检查", kind=ChecklistKind.INSPECTION,
                             touchpoint=Touchpoint.HOTLINE_CALL, pass_mark=80, items=HOTLINE_ITEMS,
                             intro="抽听当月热线录音，按项评分；涉及客户信息泄露的一票否决。")
        onsite = _checklist(quality, code="onsite-mystery", title="上门服务神秘顾客评估",
                            kind=ChecklistKind.MYSTERY_SHOPPER, touchpoint=Touchpoint.ONSITE_VISIT, pass_mark=75,
                            items=ONSITE_ITEMS, intro="由神秘顾客预约上门服务，在现场观察并于当日评分。")
        plans = ((hotline, "hotline", Group.objects.get(code="customer_service"), agents, "热线巡检"),
                 (onsite, "onsite", Group.objects.get(code="repair"), technicians, "上门神秘顾客"))
        made = 0
        for first in [*months, _month_end(months[-1]) + datetime.timedelta(days=1)]:
            last = _month_end(first)
            for checklist, key, group, staff, name in plans:
                clock["at"] = _at(first, 8) - datetime.timedelta(days=5)
                round_ = actions.round_plan(actor=quality, title=f"{first:%Y年%m月}{name}", checklist=checklist,
                                            period_start=first, period_end=last, inspectors=[quality],
                                            groups=[group], sample_size=5 if key == "hotline" else 0)
                if first > today:
                    continue  # next month's rounds stay planned
                clock["at"] = _at(first, 0, 5)
                actions.rounds_open_due(today=first)
                round_.refresh_from_db()
                items = list(checklist.items.order_by("position", "id"))
                upto = min(last, today - datetime.timedelta(days=1))  # observations lie in the past
                for _ in range(per_month[key] if upto >= first else 0):
                    person = rng.choice(staff)
                    day = first.replace(day=rng.randint(1, upto.day))
                    observed = _at(day, rng.randint(9, 16), rng.choice((0, 15, 30, 45)))
                    clock["at"] = observed + datetime.timedelta(hours=rng.randint(1, 4))
                    ticket = None
                    if key == "hotline":
                        ticket = Ticket.objects.filter(owner=person, received_at__date__lte=day,
                                                       received_at__date__gte=first).order_by("-received_at").first()
                    data = actions.ScoreInput(
                        checklist_id=checklist.pk, staff_id=person.pk, ticket_id=getattr(ticket, "pk", None),
                        scores=dict(zip([i.pk for i in items], _scores(rng, items, bias[person.pk]), strict=True)),
                        notes=rng.choice(NOTES[key]), observed_at=observed)
                    actions.inspection_record(actor=quality, data=data, round_=round_)
                    made += 1
                if last < today:
                    clock["at"] = _at(last, 18)
                    round_.refresh_from_db()
                    actions.round_move(actor=quality, round_=round_, expected_version=round_.version, move="complete")
    if log:
        log(f"Inspections: {made} scored on {Inspection.objects.values('round').distinct().count()} rounds, "
            f"{Finding.objects.count()} findings raised as requests in {time.perf_counter() - started:.1f} s.")
    return made
