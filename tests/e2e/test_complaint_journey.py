"""Journey (issue 13, R6.2–R6.4, R1.2): a major complaint registered on the hotline reaches the manager
and the general manager; a support engineer investigates it from the request page (HTMX panel), finds
it valid against the technician, proposes a solution and a compensation above the threshold, which the
general manager approves; the customer agrees, the complaint closes and only then the request resolves;
the technician reads the manager's decision on "my accountability" and answers it."""

import pytest

from fuwu.complaints.models import Accountability, Compensation, Complaint, ComplaintStatus, RootCause
from fuwu.core.models import OutboxMessage
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


def test_a_major_complaint_from_registration_to_the_customers_agreement(browser, live_server, shot, settings):
    settings.FUWU_COMPENSATION_GM_THRESHOLD = 5000
    agent = make_staff(Role.AGENT, full_name="周敏")
    support = make_staff(Role.SUPPORT, full_name="王敏")
    technician = make_staff(Role.TECHNICIAN, full_name="李强")
    manager = make_staff(Role.MANAGER, full_name="孙经理")
    gm = make_staff(Role.GENERAL_MANAGER, full_name="赵总")
    customer = make_customer(agent, name="上海申江物业管理有限公司", phone="13912345678", contact_name="陈建国")
    ticket = make_ticket(agent, service_type="complaint", title="投诉维修人员迟到", customer_id=customer.pk,
                         contact_name="陈建国", contact_phone="13912345678", major=True)
    complaint = Complaint.objects.get(ticket=ticket)
    assert complaint.severity == "major"
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
