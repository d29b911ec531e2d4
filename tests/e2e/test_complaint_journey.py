"""Journey (issue 13, R6.2–R6.4, R1.2): a major complaint registered on the hotline reaches the manager
and the general manager; a support engineer investigates it from the request page (HTMX panel), finds
it valid against the technician, proposes a solution and a compensation above the threshold, which the
general manager approves; the customer agrees, the complaint closes and only then the request resolves;
the technician reads the manager's decision on "my accountability" and answers it. Then (R17.1, R1.2) a
quality supervisor opens an improvement action on the complaint panel (prefilled with its source), the
service manager approves it, the owner carries it out on a phone and marks it done and is offered no
verification, and a quality supervisor who is not the owner verifies it effective; the panel lists it."""

import pytest

from fuwu.complaints.models import Accountability, Compensation, Complaint, ComplaintStatus, RootCause
from fuwu.core.models import OutboxMessage
from fuwu.improvements.models import ActionStatus, ImprovementAction
from fuwu.org.models import Department
from fuwu.org.roles import Role
from fuwu.tickets.models import Ticket
from tests.e2e.htmx import htmx_settled
from tests.e2e.pages import log_in
from tests.factories import make_customer, make_staff, make_ticket

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _step(page, name: str, fill: dict[str, str] | None = None, select: dict[str, str] | None = None) -> None:
    page.click(f"#complaint-step-{name} summary")
    for field, value in (fill or {}).items():
        page.fill(f"#id_{name}-{field}", value)
    for field, value in (select or {}).items():
        page.select_option(f"#id_{name}-{field}", value)
    page.click(f"#complaint-step-{name} button[type=submit]")
    htmx_settled(page)


def _submit(page, name: str, fill: dict[str, str] | None = None, select: dict[str, str] | None = None) -> None:
    step = page.locator(f"#improvement-step-{name}")
    if step.get_attribute("open") is None:
        page.click(f"#improvement-step-{name} summary")
    for field, value in (fill or {}).items():
        page.fill(f"#id_{name}-{field}", value)
    for field, value in (select or {}).items():
        page.select_option(f"#id_{name}-{field}", value)
    page.click(f"#improvement-{name}-submit")
    page.wait_for_load_state()


def test_a_major_complaint_from_registration_to_a_verified_improvement_action(browser, live_server, shot, settings):
    settings.FUWU_COMPENSATION_GM_THRESHOLD = 5000
    agent = make_staff(Role.AGENT, full_name="周敏")
    support = make_staff(Role.SUPPORT, full_name="王敏")
    technician = make_staff(Role.TECHNICIAN, full_name="李强")
    manager = make_staff(Role.MANAGER, full_name="孙经理")
    gm = make_staff(Role.GENERAL_MANAGER, full_name="赵总")
    quality = make_staff(Role.QUALITY_SUPERVISOR, full_name="吴静")
    owner = make_staff(Role.QUALITY_SUPERVISOR, full_name="郑洁")  # a supervisor who owns the action
    customer = make_customer(agent, name="上海申江物业管理有限公司", phone="13912345678", contact_name="陈建国")
    ticket = make_ticket(agent, service_type="complaint", title="投诉维修人员迟到", customer_id=customer.pk,
                         contact_name="陈建国", contact_phone="13912345678", major=True)
    complaint = Complaint.objects.get(ticket=ticket)
    assert complaint.severity == "major" and ticket.priority == "urgent"  # the major clocks (R6.3)
    assert set(OutboxMessage.objects.filter(dedupe_key__startswith=f"complaint.major:{complaint.pk}:")
               .values_list("recipient_id", flat=True)) == {manager.pk, gm.pk}

    desk = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN").new_page()
    log_in(desk, live_server.url, support.username)
    desk.goto(f"{live_server.url}/tickets/{ticket.pk}/")
    desk.wait_for_selector("#complaint-record")
    htmx_settled(desk)
    _step(desk, "update", fill={"demand": "要求赔偿误工损失"}, select={"accused": str(technician.pk)})
    _step(desk, "investigate")
    _step(desk, "conclude", fill={"conclusion": "派工记录显示晚到两小时"}, select={
        "valid": "yes", "root_cause": str(RootCause.objects.get(code="delay").pk),
        "responsible_department": str(Department.objects.first().pk),
        "responsible_person": str(technician.pk)})
    assert "是" in desk.inner_text("#complaint-valid")
    _step(desk, "propose", fill={"solution": "主管上门致歉，赔偿误工损失。"})
    _step(desk, "compensate", fill={"amount": "6000", "reason": "误工损失"})
    shot(desk, "complaint-panel-zh")
    compensation = Compensation.objects.get(complaint=complaint)
    assert compensation.needs_general_manager

    boss = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN").new_page()
    log_in(boss, live_server.url, manager.username)
    boss.goto(f"{live_server.url}/complaints/compensations/")
    assert "投诉维修人员迟到" not in boss.inner_text("main") and ticket.number not in boss.inner_text("main")
    log_in(boss, live_server.url, gm.username)
    boss.goto(f"{live_server.url}/complaints/compensations/")
    boss.click("#compensation-list button[value=yes]")
    boss.wait_for_load_state()
    compensation.refresh_from_db()
    assert compensation.status == "approved" and compensation.decided_by == gm

    desk.goto(f"{live_server.url}/tickets/{ticket.pk}/")
    desk.wait_for_selector("#complaint-record")
    htmx_settled(desk)
    _step(desk, "answer", select={"agreed": "yes"})
    _step(desk, "close")
    complaint.refresh_from_db()
    assert complaint.status == ComplaintStatus.CLOSED and complaint.customer_agreed

    record = Accountability.objects.get(complaint=complaint, employee=technician)
    log_in(boss, live_server.url, manager.username)
    boss.goto(f"{live_server.url}/complaints/accountability/")
    boss.fill(f"input[name=a{record.pk}-note]", "参加准时上门培训")
    boss.click("#accountability-list button")
    boss.wait_for_load_state()
    phone = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN").new_page()
    log_in(phone, live_server.url, technician.username)
    phone.goto(f"{live_server.url}/complaints/mine/")
    assert "参加准时上门培训" in phone.inner_text("main")
    phone.fill(f"#id_r{record.pk}-answer", "接受，今后提前告知客户")
    phone.click(f"#accountability-{record.pk} button")
    phone.wait_for_load_state()
    shot(phone, "complaint-my-accountability-zh")
    record.refresh_from_db()
    assert record.answer == "接受，今后提前告知客户"
    # With its complaint closed, the request resolves (the close guard lets it through).
    log_in(desk, live_server.url, agent.username)
    desk.goto(f"{live_server.url}/tickets/{ticket.pk}/")
    desk.click("#open-resolve")
    desk.fill("#move-resolution", "投诉已按方案处理，客户同意")
    desk.click("#move-resolve button")
    htmx_settled(desk)
    assert Ticket.objects.get(pk=ticket.pk).status == "resolved"

    log_in(desk, live_server.url, quality.username)
    desk.goto(f"{live_server.url}/tickets/{ticket.pk}/")
    desk.wait_for_selector("#complaint-open-improvement")
    htmx_settled(desk)
    desk.click("#complaint-open-improvement")
    desk.wait_for_selector("#improvement-source")
    assert ticket.number in desk.inner_text("#improvement-source")
    assert "投诉维修人员迟到" in desk.input_value("#id_title")
    desk.fill("#id_goal", "上门准时率提升到 95%")
    desk.fill("#id_measures", "出发前电话告知客户预计到达时间；调度每日检查迟到记录。")
    desk.select_option("#id_owner", str(owner.pk))
    desk.fill("#id_due_on", "2026-12-31")
    desk.click("#improvement-save")
    desk.wait_for_selector("#improvement-timeline")
    action = ImprovementAction.objects.get()
    assert action.source_kind == "complaint" and action.status == ActionStatus.PROPOSED
    assert ticket.number in desk.inner_text("#improvement-source")
    shot(desk, "improvement-proposed-zh")

    log_in(desk, live_server.url, manager.username)
    desk.goto(f"{live_server.url}/improvements/{action.pk}/")
    _submit(desk, "approve", fill={"note": "同意，月底前完成。"})
    assert ImprovementAction.objects.get().status == ActionStatus.APPROVED

    log_in(phone, live_server.url, owner.username)
    phone.goto(f"{live_server.url}/improvements/{action.pk}/")
    _submit(phone, "start")
    _submit(phone, "complete", fill={"note": "排班已调整，告知流程写入作业规范。"})
    assert ImprovementAction.objects.get().status == ActionStatus.DONE
    # The owner holds the verify permission as a supervisor, yet is offered no verification (R1.2).
    phone.wait_for_selector("#improvement-own-verification")
    assert phone.locator("#improvement-step-verify").count() == 0
    shot(phone, "improvement-done-owner-zh")

    log_in(desk, live_server.url, quality.username)
    desk.goto(f"{live_server.url}/improvements/{action.pk}/")
    _submit(desk, "verify", fill={"note": "抽查本月 40 单，准时率 96%。"}, select={"effective": "yes"})
    action.refresh_from_db()
    assert action.status == ActionStatus.VERIFIED and action.verified_by == quality
    assert "有效" in desk.inner_text("#improvement-verification")
    shot(desk, "improvement-verified-zh")

    desk.goto(f"{live_server.url}/tickets/{ticket.pk}/")
    desk.wait_for_selector("#complaint-improvements")
    htmx_settled(desk)
    assert action.number in desk.inner_text("#complaint-improvements")
