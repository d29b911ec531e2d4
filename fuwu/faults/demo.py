"""Demo major fault reports (`manage.py seed_demo`, also with `--fast`): a handful over the demo year,
played through the actions at their own instants — reported and told to the notice list, handled,
restored, analysed, given corrective and preventive improvement actions and closed (the analysis
report queued to the affected customers); the latest one is still being handled."""

import datetime
import random
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.utils import timezone

from fuwu.customers.models import Customer
from fuwu.faults import actions, measures
from fuwu.faults.models import FaultReport
from fuwu.improvements.demo import play_action
from fuwu.org.models import Department, Region
from fuwu.org.roles import Role
from fuwu.standards.models import ServiceType
from fuwu.tickets.demo import simulated_clock


@dataclass(frozen=True)
class Script:
    days_ago: int
    title: str
    severity: str
    place: str
    symptoms: str
    plan: str
    progress: tuple[str, ...]
    hours_to_restore: float
    impact: str
    handling: str
    root_cause: str
    corrective: str
    preventive: str
    service_kinds: tuple[str, ...] = ("repair",)
    close: bool = True
    region: str = ""  # a region's code; none for a fault at headquarters


SCRIPTS = (
    Script(320, "呼叫中心语音网关宕机，热线无法接通", "critical", "总部呼叫中心机房",
           "400 热线全部占线或无应答，在线客服正常。", "切换至备用语音网关，通知运营商排查中继线路。",
           ("备用网关已上线，部分线路恢复。", "运营商确认中继板卡故障，已更换。"), 3.5,
           "热线中断约三个半小时，约 420 通来电未接通，已逐一回拨。", "切换备用网关，运营商更换中继板卡后全部恢复。",
           "语音网关单点部署，主用设备电源板故障后未自动切换。", "语音网关改为双机热备并每月演练切换。",
           "关键设备纳入季度巡检，备件常备。", ("consultation", "repair"), region="east"),
    Script(250, "华东区域工单系统无法派工", "severe", "华东区域调度中心",
           "调度员提交派工时报错，技术员手机端收不到新工单。", "启用电话派工预案，技术部定位数据库连接问题。",
           ("已启用电话派工，调度员手工登记。",), 5,
           "华东区域当日 60 余张工单延迟派工，其中 8 单超出上门时限。", "电话派工维持服务，扩容数据库连接池后恢复。",
           "版本升级后连接池配置被覆盖，高峰期连接耗尽。", "升级检查单增加连接池配置核对。",
           "对连接池使用率设置告警阈值。", region="east"),
    Script(180, "备件仓库管理系统数据异常", "major", "中央备件库",
           "库存数量与实物不符，部分备件显示为负数。", "暂停系统出库，改为纸质领料单，财务与仓库盘点核对。",
           ("完成重点备件盘点。", "定位为批量导入脚本重复执行。"), 26,
           "两天内 35 单领料改为纸质登记，未影响上门维修。", "回滚重复导入的数据，按盘点结果修正库存。",
           "批量导入脚本缺少防重复校验。", "导入脚本增加批次号唯一校验。", "数据导入须两人复核后执行。"),
    Script(110, "华南区域暴雨导致多家客户设备进水", "severe", "华南区域（广州、深圳）",
           "暴雨后 12 家重点客户报告空调室外机进水停机。", "成立临时抢修组，优先处理医院和数据中心客户。",
           ("抢修组已到达首批 5 家客户现场。", "调配深圳备件至广州。"), 30,
           "12 家客户停机 6 至 30 小时，其中 2 家医院启用备用机组。", "分批抢修、更换受损电控板，全部恢复运行。",
           "室外机安装位置低洼，未加装防水底座。", "为受影响客户加装防水底座。",
           "汛期前对低洼安装点位开展排查并制定应急预案。", ("repair", "installation"), region="south"),
    Script(45, "客户门户短信验证码发送失败", "major", "客户门户",
           "客户登录门户收不到短信验证码。", "联系短信服务商，临时开放邮件登录链接。",
           ("服务商确认签名审核过期。",), 8,
           "约 200 名客户当天无法通过短信登录，改用邮件链接。", "服务商重新审核短信签名后恢复。",
           "短信签名年度审核到期未续。", "短信签名续期纳入年度合规清单。", "签名到期前 30 天自动提醒负责人。",
           ("consultation",)),
    Script(3, "华北区域远程诊断平台连接中断", "severe", "华北区域数据中心",
           "技术支持无法远程连接客户设备，诊断平台显示离线。", "切换备用专线，厂家工程师远程协助排查。",
           ("备用专线已开通，部分客户恢复连接。",), 0, "", "", "", "", "", ("consultation",), close=False,
           region="north"),
)


def _users(role: Role) -> list:
    return list(get_user_model().objects.filter(is_active=True, profile__is_active=True,
                                                profile__roles__code=role).order_by("pk"))


def seed_faults(*, seed: int, log: Callable[[str], None] | None = None) -> int:
    """Play the demo's fault reports; returns how many. Does nothing when there are fault reports."""
    started = time.perf_counter()
    if FaultReport.objects.exists():
        return 0
    reporters = _users(Role.SUPPORT) + _users(Role.AGENT)
    managers = _users(Role.MANAGER)
    if not reporters or not managers:
        return 0
    rng = random.Random(seed * 17 + 7)
    manager, now = managers[0], timezone.now()
    proposer = next(iter(_users(Role.QUALITY_SUPERVISOR)), None)
    owners = _users(Role.SUPPORT) or [manager]
    regions = {region.code: region for region in Region.objects.all()}
    # The notice list: the general manager and the managers (migration 0002), the service department
    # (its head) and the quality supervisor.
    service = Department.objects.filter(kind=Department.Kind.SERVICE).order_by("id").first()
    if service is not None:
        actions.notice_recipient_add(actor=manager, kind="department", department=service)
    for supervisor in _users(Role.QUALITY_SUPERVISOR)[:1]:
        actions.notice_recipient_add(actor=manager, kind="user", user=supervisor)
    made = 0
    with simulated_clock() as clock:
        for script in SCRIPTS:
            _play(script, rng=random.Random(rng.random()), clock=clock, now=now, reporter=rng.choice(reporters),
                  manager=manager, proposer=proposer, owners=owners, regions=regions)
            made += 1
    if log is not None:
        log(f"{made} major fault reports in {time.perf_counter() - started:.1f} s.")
    return made


def _play(script: Script, *, rng: random.Random, clock: dict, now, reporter, manager, proposer, owners,
          regions) -> FaultReport:
    began = now - datetime.timedelta(days=script.days_ago, hours=rng.randint(0, 8))
    clock["at"] = began + datetime.timedelta(minutes=rng.randint(10, 40))
    region = regions.get(script.region)
    customers = Customer.objects.filter(is_active=True, contacts__email__gt="")
    if region is not None and customers.filter(region=region).exists():
        customers = customers.filter(region=region)
    affected = list(customers.distinct().order_by("id")[: rng.randint(2, 4)])
    fault = actions.fault_open(
        actor=reporter, title=script.title, started_at=began, severity=script.severity, region=region,
        place=script.place, symptoms=script.symptoms, handling_plan=script.plan, customers=affected,
        service_types=list(ServiceType.objects.filter(code__in=script.service_kinds)), business_owner=manager,
        responsible_manager=manager)
    fault = actions.fault_move(actor=reporter, fault=fault, expected_version=None, move="handle", note="")
    span = datetime.timedelta(hours=script.hours_to_restore or 6)
    for n, text in enumerate(script.progress, start=1):
        clock["at"] = min(began + span * n / (len(script.progress) + 1), now)
        actions.fault_add_progress(actor=reporter, fault=fault, text=text)
    if not script.close:
        return fault
    clock["at"] = began + span
    fault = actions.fault_move(actor=reporter, fault=fault, expected_version=None, move="restore",
                               note="服务已全部恢复，持续观察。")
    clock["at"] = began + span + datetime.timedelta(days=rng.randint(1, 3))
    fault = actions.fault_record_analysis(
        actor=manager, fault=fault, expected_version=None, impact=script.impact, handling_summary=script.handling,
        root_cause=script.root_cause, corrective_measures=script.corrective, preventive_measures=script.preventive)
    due = timezone.localdate() + datetime.timedelta(days=rng.randint(14, 45))
    # Supervision proposes the measures as actions for support to carry out, so that the manager, who
    # did not propose them, may approve them (R1.2); they then run their course like the others.
    opened_at = clock["at"]
    opened = [measures.open_action(actor=proposer or manager, fault=fault, kind=kind, title=text.rstrip("。")[:40],
                                   goal="同类故障不再发生", measures=text, owner=rng.choice(owners), due_on=due)
              for kind, text in (("corrective", script.corrective), ("preventive", script.preventive))]
    clock["at"] += datetime.timedelta(hours=2)
    fault = actions.fault_close(actor=manager, fault=fault, expected_version=None)
    for action in opened:
        play_action(action, opened=opened_at, clock=clock, now=now, rng=rng)
    return fault
