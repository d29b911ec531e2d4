"""Journey (issue 13, R6.2, R17.1, R1.2): from a complaint found valid, a quality supervisor opens an
improvement action on the complaint panel (prefilled with its source), the service manager approves
it, the owner carries it out on a phone and marks it done; the owner is offered no verification, and
a quality supervisor who is not the owner verifies it effective. The complaint panel lists it."""

import pytest

from fuwu.improvements.models import ActionStatus, ImprovementAction
from fuwu.org.roles import Role
from tests.e2e.htmx import htmx_settled
from tests.e2e.pages import log_in
from tests.factories import make_customer, make_staff, make_ticket

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


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


def test_a_complaint_leads_to_a_verified_improvement_action(browser, live_server, shot):
    agent = make_staff(Role.AGENT, full_name="周敏")
    technician = make_staff(Role.TECHNICIAN, full_name="李强")
    manager = make_staff(Role.MANAGER, full_name="孙经理")
    quality = make_staff(Role.QUALITY_SUPERVISOR, full_name="吴静")
    owner = make_staff(Role.QUALITY_SUPERVISOR, full_name="郑洁")  # a supervisor who owns the action
    customer = make_customer(agent, name="上海申江物业管理有限公司", phone="13912345678", contact_name="陈建国")
    ticket = make_ticket(agent, service_type="complaint", title="投诉维修人员迟到", customer_id=customer.pk,
                         contact_name="陈建国", contact_phone="13912345678")
    assert technician.pk

    desk = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN").new_page()
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

    phone = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN").new_page()
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
