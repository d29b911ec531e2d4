"""Demo complaints (`manage.py seed_demo`): the demo year's complaint-kind requests get their complaint
records through the actions — investigation, conclusion, solution, the customer's answer, apologies,
some compensations and claims, accountability decided and answered.

The requests are played first (their registration listeners are silent while the demo replays history,
as under the bulk loader), so each complaint is played afterwards at instants between its request's
reception and its resolution; with `--fast` only the recent complaints are played (bounded).
"""

import datetime
import random
import time
from collections.abc import Callable

from django.contrib.auth import get_user_model
from django.utils import timezone

from fuwu.complaints import actions
from fuwu.complaints.models import Accountability, AccountabilityStatus, Complaint, Measure, RootCause, Severity
from fuwu.org.models import Department
from fuwu.org.roles import Role
from fuwu.standards.models import ServiceKind
from fuwu.tickets.demo import simulated_clock
from fuwu.tickets.lifecycle import Status
from fuwu.tickets.models import Ticket

DEMANDS = ["要求公司书面道歉", "要求免收本次上门费", "要求更换维修人员", "要求赔偿误工损失", "要求三天内彻底修好",
           "要求主管回电说明情况"]
CAUSE_BY_WORD = [("迟到", "delay"), ("复发", "skill"), ("无人接听", "process"), ("态度", "attitude")]
CONCLUSIONS = {
    "delay": "经查派工记录，维修人员较约定时间晚到两小时，未提前告知客户。",
    "skill": "经查上次维修未更换老化部件，属维修质量问题。",
    "process": "经查话务记录，当日高峰时段排班不足，来电等待超过十分钟。",
    "attitude": "经回访及录音核实，维修人员解释收费时语气生硬。",
    "product_quality": "经检测为设备批次质量问题，非维修原因。",
    "billing": "经核对收费标准，收费正确，已向客户解释。",
    "other": "经调查，与客户沟通存在误解。",
}
SOLUTIONS = ["由主管上门致歉，免收本次上门费。", "安排技术骨干复修并延长保修期三个月。",
             "调整排班并电话致歉，赠送一次免费保养。"]
REFUSALS = ["客户认为补偿不足，要求赔偿误工费。", "客户不接受，要求更换设备。"]
MEASURES = [(Measure.COACHING, "参加服务规范培训，由班组长跟踪一个月。"), (Measure.APOLOGY, "当面向客户致歉。"),
            (Measure.PENALTY, "按服务考核办法扣减当月绩效。")]
ANSWERS = ["接受处理，今后提前告知客户。", "接受，当天前一单延误，已吸取教训。",
           "对认定有异议：当天交通管制，已向调度报备。"]


def _users(role: Role) -> list:
    return list(get_user_model().objects.filter(is_active=True, profile__is_active=True,
                                                profile__roles__code=role).order_by("pk"))


def seed_complaints(*, seed: int, recent_days: int | None = None, limit: int | None = None,
                    log: Callable[[str], None] | None = None) -> int:
    """Play the complaint records of the demo's complaint-kind requests; returns how many were opened.

    `recent_days` keeps it to requests received in the last days, `limit` to the newest of them.
    """
    started = time.perf_counter()
    now = timezone.now()
    rng = random.Random(seed * 13 + 6)
    tickets = Ticket.objects.filter(kind=ServiceKind.COMPLAINT, complaint__isnull=True).exclude(
        status=Status.CANCELLED).select_related("first_responsible").order_by("-received_at", "id")
    if recent_days is not None:
        tickets = tickets.filter(received_at__gte=now - datetime.timedelta(days=recent_days))
    chosen = list(tickets[:limit] if limit else tickets)
    chosen.reverse()  # oldest first
    staff = {role: _users(role) for role in (Role.AGENT, Role.SUPPORT, Role.TECHNICIAN, Role.MANAGER,
                                             Role.GENERAL_MANAGER)}
    if not chosen or not staff[Role.MANAGER] or not (staff[Role.SUPPORT] or staff[Role.AGENT]):
        return 0
    causes = {c.code: c for c in RootCause.objects.filter(is_active=True)}
    departments = list(Department.objects.order_by("id"))
    made = 0
    with simulated_clock() as clock:
        for ticket in chosen:
            _play(ticket, rng=random.Random(rng.random()), clock=clock, now=now, staff=staff, causes=causes,
                  departments=departments)
            made += 1
        # The manager decides most accountability records a few days on; employees answer some.
        clock["at"] = None
        for record in Accountability.objects.filter(status=AccountabilityStatus.PENDING).select_related(
                "complaint").order_by("id"):
            decided = record.created_at + datetime.timedelta(days=rng.randint(1, 5))
            if decided > now or rng.random() < 0.2:
                continue
            clock["at"] = decided
            manager = next((m for m in staff[Role.MANAGER] if m.pk != record.employee_id), None)
            if manager is None:
                continue
            measure, note = rng.choice(MEASURES)
            record = actions.accountability_decide(actor=manager, record=record, expected_version=None,
                                                   measure=measure, note=note)
            if rng.random() < 0.6 and decided + datetime.timedelta(days=1) < now:
                clock["at"] = decided + datetime.timedelta(hours=rng.randint(2, 30))
                actions.accountability_answer(actor=record.employee, record=record, expected_version=None,
                                              answer=rng.choice(ANSWERS))
    if log is not None:
        log(f"{made} complaint records in {time.perf_counter() - started:.1f} s.")
    return made


def _play(ticket: Ticket, *, rng: random.Random, clock: dict, now, staff: dict, causes: dict, departments) -> None:
    """One complaint through its steps, each at an instant between reception and resolution (or now)."""
    end = ticket.resolved_at or ticket.closed_at or now
    span = max(end - ticket.received_at, datetime.timedelta(hours=4))
    step = iter(sorted(rng.uniform(0.02, 0.95) for _ in range(8)))

    def at_next():
        clock["at"] = min(ticket.received_at + span * next(step), now)

    at_next()
    opener = ticket.first_responsible
    code = next((code for word, code in CAUSE_BY_WORD if word in ticket.title), rng.choice(list(causes)))
    code = code if code in causes else "other"
    accused = rng.choice(staff[Role.TECHNICIAN]) if staff[Role.TECHNICIAN] and code in ("delay", "skill",
                                                                                           "attitude") else None
    severity = Severity.MAJOR if ticket.is_major else (Severity.SERIOUS if rng.random() < 0.15 else Severity.GENERAL)
    complaint = actions.complaint_open(actor=opener, ticket=ticket)
    complaint = actions.complaint_update(actor=opener, complaint=complaint, expected_version=None, severity=severity,
                                         demand=rng.choice(DEMANDS), accused=accused)
    settled = ticket.status in (Status.RESOLVED, Status.CLOSED)
    # An open request's complaint is somewhere along its way.
    stop = 6 if settled else rng.randint(0, 5)
    if stop < 1:
        return
    at_next()
    handlers = [u for u in staff[Role.SUPPORT] + staff[Role.AGENT] if u.pk != getattr(accused, "pk", None)]
    investigator = rng.choice(handlers)
    complaint = actions.complaint_start_investigation(actor=investigator, complaint=complaint, expected_version=None)
    if stop < 2:
        return
    at_next()
    valid = rng.random() < 0.7
    person = accused if valid and accused is not None and accused.pk != investigator.pk else None
    department = getattr(getattr(person, "profile", None), "department", None) or rng.choice(departments)
    complaint = actions.complaint_conclude(
        actor=investigator, complaint=complaint, expected_version=None, valid=valid, root_cause=causes[code],
        responsible_department=department, responsible_person=person, conclusion=CONCLUSIONS.get(code, "经调查属实。"),
        notes="调取工单与通话记录，回访客户并约谈当事人。")
    if stop < 3:
        return
    at_next()
    complaint = actions.complaint_propose_solution(actor=investigator, complaint=complaint, expected_version=None,
                                                   solution=rng.choice(SOLUTIONS))
    if valid:
        actions.complaint_record_apology(actor=investigator, complaint=complaint, expected_version=None,
                                         note="服务主管电话向客户致歉")
    if rng.random() < 0.25 or severity == Severity.MAJOR:
        amount = rng.choice([200, 300, 500, 800, 1500, 3000, 6000, 8800])
        compensation = actions.compensation_propose(actor=investigator, complaint=complaint, amount=amount,
                                                    reason="免收费用并补偿客户误工损失",
                                                    is_claim=severity == Severity.MAJOR and rng.random() < 0.5)
        at_next()
        approver = staff[Role.GENERAL_MANAGER][0] if compensation.needs_general_manager and \
            staff[Role.GENERAL_MANAGER] else staff[Role.MANAGER][0]
        if rng.random() < 0.85:
            actions.compensation_decide(actor=approver, compensation=compensation, expected_version=None,
                                        approve=True, note="同意")
        else:
            actions.compensation_decide(actor=approver, compensation=compensation, expected_version=None,
                                        approve=False, note="金额超出标准，请协商降低")
    if stop < 4:
        return
    at_next()
    roll = rng.random()
    if roll < 0.12:  # refused first, a second solution agreed
        complaint = actions.complaint_record_answer(actor=investigator, complaint=complaint, expected_version=None,
                                                    agreed=False, feedback=rng.choice(REFUSALS))
        at_next()
        complaint = actions.complaint_propose_solution(
            actor=investigator, complaint=complaint, expected_version=None, solution="在原方案基础上追加免费保养一年。")
        agreed = rng.random() < 0.7
        complaint = actions.complaint_record_answer(actor=investigator, complaint=complaint, expected_version=None,
                                                    agreed=agreed, feedback="" if agreed else "仍不满意")
    elif roll < 0.22:  # the customer does not answer
        for note in ("电话无人接听", "短信告知处理结果，未回复"):
            actions.complaint_record_contact_attempt(actor=investigator, complaint=complaint, note=note)
    else:
        complaint = actions.complaint_record_answer(actor=investigator, complaint=complaint, expected_version=None,
                                                    agreed=True, feedback="客户表示满意")
    if stop < 6:
        return
    at_next()
    actions.complaint_close(actor=investigator, complaint=Complaint.objects.get(pk=complaint.pk),
                            expected_version=None)


def improvement_sources() -> list[tuple[int, str, datetime.datetime]]:
    """The complaints found valid, oldest first, for the demo's improvement actions (R6.2, R17.1)."""
    return [(c.pk, c.ticket.title, c.concluded_at) for c in Complaint.objects.filter(
        valid=True, concluded_at__isnull=False).select_related("ticket").only(
        "pk", "concluded_at", "ticket__title").order_by("concluded_at", "pk")]
