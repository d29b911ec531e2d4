"""Demo service standards and commitments (R10.1, R10.2, R3.6, R4.4, R10.3, R10.4).

A catalogue across the service cycle (服务圈), introduced on 1 January of last year: most standards
in force and published to customers as commitments; the hotline standard revised once (three rings
became two, R3.6), so version 1 is retired with its reason and version 2 is in force; the fax
confirmation retired for good; one new standard still a draft. Everything goes through
`fuwu.standards.actions.commitments`, with the clock set to the day each step happened, so the
version history and the audit record read like a real year.
"""

import datetime
from collections.abc import Iterator
from contextlib import contextmanager
from unittest import mock

from django.utils import timezone

from fuwu.org.models import Department
from fuwu.standards.actions import commitments as actions
from fuwu.standards.actions.commitments import StandardInput
from fuwu.standards.models import ServiceStandard

# code: (touchpoint, factor, statement, statement_en, indicator, target, measuring method,
#        commitment, commitment_en, owner department code)
CATALOGUE: dict[str, tuple[str, ...]] = {
    "hotline-answer": (
        "access", "basic",
        "服务热线电话铃响三声内接听；接听时报公司名称和工号，复述确认客户的关键信息。",
        "Hotline calls are answered within three rings with the company name and staff number; key details "
        "are repeated back.",
        "三声内接听率", "≥ 95%", "每月导入呼叫中心话单统计振铃时长；质量监督每周抽听录音 20 通。",
        "服务热线三声之内接听，您的每个问题都有记录。",
        "We answer the hotline within three rings and record every question you ask.", "service",
    ),
    "duty-line": (
        "access", "basic",
        "24 小时值班电话全年不间断，节假日按值班表安排专人值守，夜间及节假日照常受理报修和故障。",
        "A 24-hour duty line all year round, staffed on holidays from the duty roster; repairs and faults are "
        "taken at night and on holidays too.",
        "值班电话接通率", "100%", "每日抽查值班电话接通记录；节假日值班表提前一周公布。",
        "24 小时值班电话全年无休，节假日照常受理报修。",
        "Our 24-hour duty line never closes: repairs are taken on holidays too.", "service",
    ),
    "fax-confirm": (
        "intake", "basic",
        "传真报修收到后 30 分钟内回传受理确认单。",
        "A faxed repair request is confirmed by return fax within 30 minutes.",
        "传真回传及时率", "≥ 95%", "每月核对传真收发记录。",
        "传真报修 30 分钟内回传受理确认。",
        "A faxed request is confirmed within 30 minutes.", "service",
    ),
    "first-contact": (
        "intake", "performance",
        "首问负责：第一位接待的员工完整记录诉求（谁、如何联系、在哪里、什么问题、从何时起）；能当场解决的当场办结，"
        "不能的登记移交并跟踪到底。",
        "First-contact responsibility: the first employee records the request completely, settles at once what "
        "can be settled, and otherwise hands over with a record and follows it to the end.",
        "一次办结率；重复来电率", "一次办结率 ≥ 60%，重复来电率 ≤ 5%", "系统按月统计一次办结与重复来电关联记录。",
        "第一位接待您的员工负责到底，您不必再打第二次电话。",
        "The first person you speak to stays responsible to the end: you never have to call twice.", "service",
    ),
    "same-day": (
        "intake", "performance",
        "咨询类事项当天事情当天办：当天受理的咨询当天答复，下班前受理的不过夜。",
        "Today's matters done today: a consultation is answered on the day it is received.",
        "咨询当日办结率", "≥ 95%", "系统按工作日历统计咨询类请求的办结时间。",
        "咨询当天答复——当天事情当天办。",
        "Questions are answered the same day: today's matters done today.", "service",
    ),
    "first-response": (
        "response", "performance",
        "服务请求受理后 2 个工作小时内首次响应，与客户确认问题和处理安排。",
        "First response within 2 working hours of a request being registered, confirming the problem and the plan.",
        "首次响应及时率", "≥ 95%", "系统按工作日历计算受理至首次响应的工作时长。",
        "受理后 2 个工作小时内与您联系，确认问题和安排。",
        "We contact you within 2 working hours to confirm the problem and the plan.", "service",
    ),
    "onsite-arrival": (
        "dispatch", "performance",
        "需要上门的服务，市区 4 小时内、郊区 8 小时内到达现场；不能按时到达的提前告知客户并说明原因。",
        "On-site service arrives within 4 hours in the city and 8 hours in the suburbs; the customer is told "
        "in advance, with the reason, if we will be late.",
        "到达及时率", "市区 4 小时、郊区 8 小时内到达 ≥ 95%", "以工单签到时间与派单时间计算，按区域统计。",
        "需要上门时，市区 4 小时内、郊区 8 小时内到达现场。",
        "When we need to come, we are there within 4 hours in the city and 8 hours in the suburbs.", "service",
    ),
    "appointment": (
        "dispatch", "performance",
        "预约上门按约定时段到达，出发前 30 分钟电话告知客户。",
        "Appointments are kept to the agreed time slot; the technician calls 30 minutes before arriving.",
        "预约守约率", "≥ 98%", "工单签到时间与预约时段比对。",
        "按约定时段上门，到达前 30 分钟电话告知您。",
        "We come in the agreed slot and call you 30 minutes before we arrive.", "service",
    ),
    "onsite-conduct": (
        "on_site", "basic",
        "上门人员着工装、佩戴工牌、穿鞋套，自带工具和配件；完工后清理现场，工完场清。",
        "Technicians wear the uniform, a name badge and shoe covers, bring tools and parts, and leave the site "
        "clean.",
        "现场规范检查合格率", "100%", "质量监督实地考察检查表抽查；客户回访询问。",
        "技术人员着工装、戴工牌、穿鞋套上门，完工后清理现场。",
        "Our technicians come in uniform with shoe covers, and clean up when they finish.", "service",
    ),
    "onsite-explain": (
        "on_site", "delight",
        "完工后向客户讲解故障原因、使用注意事项和保养小窍门，请客户在工单上签字确认。",
        "After the work the technician explains the cause, precautions and care tips, and the customer signs "
        "the work order.",
        "讲解覆盖率", "≥ 90%", "回访时询问客户是否获得讲解；抽查工单签字。",
        "完工后为您讲解故障原因和使用保养小窍门。",
        "When we finish, we explain what went wrong and how to look after the equipment.", "service",
    ),
    "repair-timely": (
        "resolution", "performance",
        "一般故障 24 小时内修复；重大故障连续抢修，每 2 小时向客户通报进展。",
        "Ordinary faults are repaired within 24 hours; major faults are worked on continuously with progress "
        "reported every 2 hours.",
        "维修及时率", "≥ 95%", "系统统计维修工单受理至修复的时长；重大故障按通报记录核查。",
        "一般故障 24 小时内修复；重大故障连续抢修，每 2 小时向您通报进展。",
        "Ordinary faults fixed within 24 hours; for major faults we work without a break and update you every "
        "2 hours.", "service",
    ),
    "complaint-handling": (
        "complaint", "basic",
        "投诉 1 小时内回应并安抚客户，2 个工作日内给出处理结果；经查属实的追究责任，绝不对投诉客户打击报复。",
        "A complaint is acknowledged within 1 hour and resolved within 2 working days; valid complaints lead "
        "to accountability, and complaining customers are never retaliated against.",
        "投诉回应及时率；投诉处理成功率", "1 小时回应 100%，2 个工作日内处理 ≥ 90%",
        "系统统计投诉受理、回应与办结时间；每月投诉分析会复核。",
        "投诉 1 小时内回应，2 个工作日内给您处理结果。",
        "We respond to a complaint within 1 hour and give you a result within 2 working days.", "service",
    ),
    "follow-up": (
        "follow_up", "performance",
        "服务完成后 2 个工作日内回访，了解客户意见并记录。",
        "Every completed service is followed up within 2 working days, and the customer's opinion recorded.",
        "回访及时率；回访满意率", "及时率 ≥ 95%，满意率 ≥ 90%", "系统统计回访记录；质量监督抽查回访录音。",
        "服务完成后 2 个工作日内回访，听取您的意见。",
        "We call you within 2 working days after the service to hear what you think.", "service",
    ),
    "satisfaction-survey": (
        "follow_up", "performance",
        "每季度开展客户满意度调查（电话、邮件、在线问卷），覆盖安装、运行、售后服务与培训；问题形成改进措施。",
        "A quarterly satisfaction survey (phone, e-mail, online) covers installation, operation, after-sales "
        "service and training; problems become improvement actions.",
        "客户满意度", "≥ 90 分", "季度问卷统计；结果纳入月度服务监督报告。",
        "", "", "service",
    ),
    "annual-care": (
        "follow_up", "delight",
        "节日问候与使用提示；每年 12 月联系客户了解来年需求。",
        "Holiday greetings and usage tips; every December we ask customers about next year's needs.",
        "年度需求回访覆盖率", "重点及 VIP 客户 100%", "12 月末统计回访记录。",
        "", "", "sales",
    ),
}

REVISED_HOTLINE = {
    "statement": "服务热线电话铃响两声内接听，响铃超过五声接听须先致歉；接听时报公司名称和工号，"
                 "复述确认客户的关键信息。",
    "statement_en": "Hotline calls are answered within two rings, with an apology after five; greet with the "
                    "company name and staff number and repeat key details back.",
    "indicator": "两声内接听率；五声以上未致歉次数",
    "target": "两声内 ≥ 95%，未致歉 0 次",
    "commitment_text": "服务热线两声之内接听；让您久等时，我们先向您致歉。",
    "commitment_text_en": "We answer the hotline within two rings, and apologise if you ever wait longer.",
}
HOTLINE_REASON = "按优质服务规范将接听时限由三声缩短为两声，并增加五声致歉要求；二季度满意度调查反映热线等待较久。"
FAX_REASON = "传真报修量已不足每月 3 单，改由短信和微信自动回执确认受理，本标准停止执行。"
DRAFT = (
    "remote-consent", "resolution", "basic",
    "远程服务前须取得客户授权并记录授权人、时间和范围；服务结束后告知客户已断开连接。",
    "Remote service starts only with the customer's recorded authorisation (who, when, scope); the customer is "
    "told when the connection is closed.",
    "授权记录完整率", "100%", "抽查远程服务工单的授权记录。",
    "远程处理您的设备前，一定先征得您的同意。",
    "We never connect to your equipment remotely without your consent.", "service",
)


@contextmanager
def _clock(day: datetime.date, hour: int = 10) -> Iterator[None]:
    """`timezone.now()` is this day and hour (local) while inside."""
    at = timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))
    with mock.patch.object(timezone, "now", lambda: at):
        yield


def _input(row: tuple[str, ...], departments: dict[str, Department]) -> StandardInput:
    touchpoint, factor, statement, statement_en, indicator, target, method, commitment, commitment_en, owner = row
    return StandardInput(
        statement=statement, statement_en=statement_en, touchpoint=touchpoint, factor=factor, indicator=indicator,
        target=target, measuring_method=method, owner=departments.get(owner), is_commitment=bool(commitment),
        commitment_text=commitment, commitment_text_en=commitment_en,
    )


def seed_standards(*, actor, today: datetime.date | None = None) -> list[ServiceStandard]:
    """Create the demo catalogue through the actions; `actor` needs `Perm.STANDARDS_MANAGE` (a
    manager). Does nothing, and returns [], when any standard exists already. Returns the versions made."""
    if ServiceStandard.objects.exists():
        return []
    today = today or timezone.localdate()
    launch = datetime.date(today.year - 1, 1, 1)
    departments = {d.code: d for d in Department.objects.all()}
    made: list[ServiceStandard] = []
    with _clock(launch - datetime.timedelta(days=12)):
        drafts = [actions.standard_draft(actor=actor, code=code, data=_input(row, departments))
                  for code, row in CATALOGUE.items()]
    with _clock(launch - datetime.timedelta(days=5), hour=15):
        for draft in drafts:
            made.append(actions.standard_publish(actor=actor, standard=draft, expected_version=draft.version,
                                                 effective_from=launch))
    in_force = {s.code: s for s in made}

    # Fax requests dried up: the standard is retired for good, and stays on record (R10.2).
    fax_end = launch + datetime.timedelta(days=181)  # 1 July
    with _clock(fax_end - datetime.timedelta(days=10), hour=11):
        fax = in_force["fax-confirm"]
        made.append(actions.standard_retire(actor=actor, standard=fax, expected_version=fax.version,
                                            reason=FAX_REASON, retire_on=fax_end))

    # The hotline standard is revised after the second-quarter survey (R3.6): two rings, apologise after five.
    revised_from = launch + datetime.timedelta(days=243)  # 1 September
    with _clock(revised_from - datetime.timedelta(days=14), hour=9):
        draft = actions.standard_revise(actor=actor, standard=in_force["hotline-answer"], reason=HOTLINE_REASON)
        data = _input(CATALOGUE["hotline-answer"], departments)
        for name, value in REVISED_HOTLINE.items():
            setattr(data, name, value)
        draft = actions.standard_edit_draft(actor=actor, standard=draft, expected_version=draft.version,
                                            data=data)
    with _clock(revised_from - datetime.timedelta(days=7), hour=16):
        made.append(actions.standard_publish(actor=actor, standard=draft, expected_version=draft.version,
                                             effective_from=revised_from))

    # A new standard being written now, not yet in force.
    code, *row = DRAFT
    made.append(actions.standard_draft(actor=actor, code=code, data=_input(tuple(row), departments)))
    return made
