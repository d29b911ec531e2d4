"""Demo improvement (`manage.py seed_demo`): a year of corrective actions opened from complaints found
valid, preventive actions of the quality supervisors, and employees' suggestions, played through the
actions at simulated instants — approved, carried out, most verified effective, a few found not
effective and reworked, some still open and some overdue (their owners and the manager told once).

The complaints are handed in by the caller (`complaints.demo.improvement_sources`), so this app imports
no higher app; with `--fast` the number of actions is bounded by `limit`.
"""

import datetime
import random
import time
from collections.abc import Callable, Iterable

from django.contrib.auth import get_user_model
from django.utils import timezone

from fuwu.improvements import actions
from fuwu.improvements.models import ImprovementAction, Suggestion
from fuwu.org.roles import Role
from fuwu.tickets.demo import simulated_clock

SourceKind = ImprovementAction.SourceKind
# (goal, measures) of a corrective action after a complaint.
CORRECTIVE = [
    ("上门准时率提升到 95% 以上",
     "按区域重新划分维修人员负责片区；出发前电话告知客户预计到达时间；调度每日检查迟到记录。"),
    ("同类故障一次修复率提升到 90%", "整理该型号常见故障处理指引；维修后按清单检查易损部件；组织一次专项技能培训。"),
    ("投诉电话 30 秒内接听率达到 90%", "高峰时段增加一名话务员；启用排队提示音；每周复盘漏接来电。"),
    ("服务用语规范，态度类投诉为零", "全员服务礼仪培训；抽查通话录音每周 20 条；将服务态度纳入月度考核。"),
    ("收费解释清楚，收费类投诉下降一半", "上门前告知收费标准；工单打印收费明细；客服统一收费答复口径。"),
]
PREVENTIVE = [
    ("雨季前完成重点客户设备防潮检查",
     "梳理重点客户清单；制定检查表；分片区安排预防性巡检。", "雨季设备防潮预防性检查"),
    ("备件缺货导致的二次上门为零",
     "按近三个月用量设置常用备件安全库存；每周核对维修人员随车备件。", "常用备件安全库存"),
    ("新员工独立上岗前通过服务规范考核",
     "编写新员工服务规范手册；上岗前笔试和实操考核；师傅带教一个月。", "新员工上岗考核"),
    ("节假日值班期间响应时限达标", "节前排定值班表并公示；值班电话转接测试；节后复盘超时请求。", "节假日值班保障"),
]
SUGGESTIONS = [
    ("维修车辆配备常用备件箱", "常见故障的备件随车携带，可以减少二次上门，也能缩短修复时间。"),
    ("客户回访增加微信渠道", "不少客户白天不方便接电话，建议增加微信回访，提高回访成功率。"),
    ("派工单上显示客户历史故障", "上门前能看到客户设备以往的故障和处理情况，有助于提前准备。"),
    ("建立常见问题知识库", "把话务中反复出现的问题和标准答复整理成知识库，新人也能快速答复。"),
    ("上门服务后短信告知处理结果", "维修完成后自动给客户发短信，写明处理内容和保修期限。"),
    ("高峰时段安排弹性排班", "周一上午和节后第一天来电集中，建议安排弹性班次。"),
    ("维修工具定期校验", "部分测量工具长期未校验，建议每季度统一校验并贴标签。"),
    ("投诉案例月度分享会", "每月挑选两三个典型投诉案例，分析原因并分享改进做法。"),
]
DECLINES = ["成本较高，本年度预算不足，明年再议。",
 "与现行制度重复，已有相应措施在执行。", "需求不明确，请补充具体场景后再提。"]
VERIFIED = ["抽查近一个月相关工单，目标已达成，措施有效。", "回访客户 20 户，未再出现同类问题，措施有效。",
            "对比措施前后两个月数据，指标明显改善，措施有效。"]
NOT_EFFECTIVE = ["抽查发现仍有同类问题，措施执行不到位，请继续整改。", "数据改善不明显，请补充措施后再提交验证。"]
DONE_NOTES = ["各项措施已落实，相关制度已更新并培训到人。", "已按计划完成，执行记录已归档。"]
PROGRESS = ["已召开专题会议，明确分工。", "培训已完成一半，剩余人员下周安排。", "制度修订稿已提交经理审阅。"]


def _users(role: Role) -> list:
    return list(get_user_model().objects.filter(is_active=True, profile__is_active=True,
                                                profile__roles__code=role).order_by("pk"))


def working_hours(instant: datetime.datetime) -> datetime.datetime:
    """The same day between 09:00 and 17:59 local time: people work these steps in office hours."""
    local = timezone.localtime(instant)
    return local.replace(hour=9 + local.hour % 9)


class _Player:
    """One action from proposal to verification, each step at an instant after the one before, never
    after `now`: an action whose next step would fall in the future stops there (still open)."""

    def __init__(self, rng: random.Random, clock: dict, now: datetime.datetime, staff: dict):
        self.rng, self.clock, self.now, self.staff = rng, clock, now, staff

    def at(self, instant: datetime.datetime) -> bool:
        instant = working_hours(instant)
        if self.clock["at"] is not None and instant <= self.clock["at"]:
            instant = self.clock["at"] + datetime.timedelta(minutes=40)  # steps keep their order
        if instant >= self.now:
            return False
        self.clock["at"] = instant
        return True

    def play(self, action: ImprovementAction, opened: datetime.datetime) -> None:
        rng = self.rng
        approver = next((m for m in self.staff[Role.MANAGER] if m.pk != action.proposed_by_id), None)
        if approver is None or not self.at(opened + datetime.timedelta(hours=rng.randint(4, 48))):
            return
        action = actions.improvement_action_approve(actor=approver, action=action, expected_version=None,
                                                    note="同意，请按期完成。")
        if not self.at(self.clock["at"] + datetime.timedelta(hours=rng.randint(2, 72))):
            return
        action = actions.improvement_action_start(actor=action.owner, action=action, expected_version=None)
        due = datetime.datetime.combine(action.due_on, datetime.time(17), tzinfo=timezone.get_current_timezone())
        if rng.random() < 0.5 and self.at(self.clock["at"] + (due - self.clock["at"]) / 2):
            actions.improvement_action_add_note(actor=action.owner, action=action, text=rng.choice(PROGRESS))
        # Most are done in time; some late; the late ones not yet done stay overdue.
        late = rng.random() < 0.35
        finished = due + datetime.timedelta(days=rng.randint(3, 45)) if late else \
            due - datetime.timedelta(days=rng.randint(0, 6), hours=rng.randint(0, 8))
        verifiers = [q for q in self.staff[Role.QUALITY_SUPERVISOR] if q.pk != action.owner_id]
        for attempt in range(2):
            if not self.at(max(finished, self.clock["at"] + datetime.timedelta(hours=1))):
                return
            action = actions.improvement_action_complete(actor=action.owner, action=action, expected_version=None,
                                                         note=rng.choice(DONE_NOTES))
            if not verifiers or not self.at(self.clock["at"] + datetime.timedelta(days=rng.randint(3, 15))):
                return
            effective = attempt == 1 or rng.random() < 0.85
            action = actions.improvement_action_verify(
                actor=rng.choice(verifiers), action=action, expected_version=None, effective=effective,
                note=rng.choice(VERIFIED if effective else NOT_EFFECTIVE))
            if effective:
                return
            finished = self.clock["at"] + datetime.timedelta(days=rng.randint(5, 15))


def play_action(action: ImprovementAction, *, opened: datetime.datetime, clock: dict, now: datetime.datetime,
                rng: random.Random) -> None:
    """Carry an action opened elsewhere (a fault report's measures) through approval, work and
    verification as far as `now` allows, as `seed_improvements` does for its own; inside `simulated_clock`."""
    staff = {role: _users(role) for role in (Role.MANAGER, Role.QUALITY_SUPERVISOR)}
    _Player(rng, clock, now, staff).play(action, opened)


def seed_improvements(*, seed: int, complaints: Iterable[tuple[int, str, datetime.datetime]] = (),
                      limit: int | None = None, log: Callable[[str], None] | None = None) -> int:
    """Play the year's improvement actions and suggestions; returns how many actions were opened.

    `complaints` are (complaint id, title, concluded at) of complaints found valid, oldest first; about
    half of them get a corrective action. `limit` bounds the number of actions (the --fast path).
    """
    started = time.perf_counter()
    now = timezone.now()
    rng = random.Random(seed * 31 + 17)
    staff = {role: _users(role) for role in (Role.MANAGER, Role.QUALITY_SUPERVISOR, Role.AGENT, Role.SUPPORT,
                                             Role.TECHNICIAN)}
    owners = staff[Role.SUPPORT] + staff[Role.AGENT] + staff[Role.TECHNICIAN]
    if not staff[Role.MANAGER] or not staff[Role.QUALITY_SUPERVISOR] or not owners:
        return 0
    budget = limit if limit is not None else 10**6  # actions at most
    year_ago = now - datetime.timedelta(days=365)
    plays: list[tuple[datetime.datetime, str, object]] = []
    for complaint_id, title, concluded_at in complaints:
        if concluded_at >= year_ago and rng.random() < 0.5:
            plays.append((concluded_at + datetime.timedelta(days=rng.randint(1, 4)), "complaint",
                          (complaint_id, title)))
    for index in range(len(PREVENTIVE) * 2):
        plays.append((year_ago + datetime.timedelta(days=rng.randint(10, 355)), "preventive", PREVENTIVE[index % 4]))
    for index in range(len(SUGGESTIONS) * 3):
        plays.append((year_ago + datetime.timedelta(days=rng.randint(5, 360)), "suggestion", SUGGESTIONS[index % 8]))
    plays.sort(key=lambda p: p[0])
    if limit is not None:  # --fast keeps the latest: the year's end is what people look at
        plays = sorted([p for p in plays if p[1] != "suggestion"][-limit:]
                       + [p for p in plays if p[1] == "suggestion"][-max(limit // 2, 1):], key=lambda p: p[0])
    made = 0
    with simulated_clock() as clock:
        player = _Player(rng, clock, now, staff)
        for instant, kind, data in plays:
            instant = working_hours(instant)
            if instant >= now:
                continue
            clock["at"] = instant
            quality = rng.choice(staff[Role.QUALITY_SUPERVISOR])
            owner = rng.choice(owners)
            due_on = timezone.localdate() + datetime.timedelta(days=rng.randint(14, 45))
            if kind == "suggestion":
                title, text = data
                submitter = rng.choice(owners + staff[Role.QUALITY_SUPERVISOR])
                suggestion = actions.suggestion_submit(actor=submitter, title=title, description=text)
                verdict = rng.random()
                if verdict > 0.8 or not player.at(instant + datetime.timedelta(days=rng.randint(2, 10))):
                    continue
                # Quality reviews what it accepts, so the manager approves the action it becomes (R1.2).
                reviewers = staff[Role.MANAGER] + staff[Role.QUALITY_SUPERVISOR] if verdict > 0.45 else \
                    staff[Role.QUALITY_SUPERVISOR]
                reviewer = next((u for u in rng.sample(reviewers, len(reviewers)) if u.pk != submitter.pk), None)
                if reviewer is None:
                    continue
                if verdict > 0.45 or made >= budget:
                    actions.suggestion_decline(actor=reviewer, suggestion=suggestion, expected_version=None,
                                               reason=rng.choice(DECLINES))
                    continue
                action = actions.suggestion_accept(
                    actor=reviewer, suggestion=suggestion, expected_version=None, kind="preventive",
                    goal=f"落实员工建议：{title}", measures=text, owner=submitter if rng.random() < 0.5 else owner,
                    due_on=timezone.localdate() + datetime.timedelta(days=rng.randint(14, 45)))
            elif made >= budget:
                continue
            elif kind == "complaint":
                complaint_id, title = data
                goal, measures = rng.choice(CORRECTIVE)
                action = actions.improvement_action_open(
                    actor=quality, kind="corrective", title=f"防止再发：{title}"[:200], goal=goal, measures=measures,
                    owner=owner, due_on=due_on, source_kind=SourceKind.COMPLAINT, source_id=complaint_id)
            else:
                goal, measures, title = data
                action = actions.improvement_action_open(
                    actor=quality, kind="preventive", title=title, goal=goal, measures=measures, owner=owner,
                    due_on=due_on, source_kind=SourceKind.MANUAL)
            made += 1
            player.play(action, clock["at"])
        clock["at"] = None
    # The overdue watch as the daily job would leave it today: each overdue action told once.
    overdue = actions.improvement_actions_notify_overdue()
    if log is not None:
        log(f"{made} improvement actions ({overdue} overdue), {Suggestion.objects.count()} suggestions "
            f"in {time.perf_counter() - started:.1f} s.")
    return made
