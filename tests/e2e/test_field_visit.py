"""Journey (issue: field service, R5.1, R4.4): the hotline sends a repair on site from its page and
books the technician; on a 390x844 phone the technician finds the visit on their home, calls the
customer with one tap, checks in (the request's arrival clock is met), records the part used from
their stock (R5.2) and the repair, and has the customer sign on the screen; the signed work order
is with the manager."""

import pytest

from fuwu.fieldservice.models import WorkOrder
from fuwu.materials.actions import stock_requisition
from fuwu.org.roles import Role
from fuwu.tickets.models import SlaClock
from tests.e2e.pages import log_in
from tests.factories import RegionFactory, make_customer, make_item, make_staff, make_ticket

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]



def test_a_repair_goes_on_site_and_is_signed_off_on_a_phone(browser, live_server, shot):
    agent = make_staff(Role.AGENT, full_name="周敏")
    technician = make_staff(Role.TECHNICIAN, full_name="李强")
    customer = make_customer(agent, name="上海申江物业管理有限公司", phone="13912345678", contact_name="陈建国",
                             address="浦东新区世纪大道1号")
    ticket = make_ticket(agent, service_type="repair", title="空调不制冷", customer_id=customer.pk,
                         contact_name="陈建国",
                         contact_phone="13912345678", site_address="世纪大道1号", region_id=RegionFactory().pk,
                         occurred_since="今天早上")

    manager = make_staff(Role.MANAGER)
    stock_requisition(actor=manager, item=make_item(manager, name="启动电容", specification="35μF", stock=5),
                      quantity=2, technician=technician)

    desk = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN").new_page()
    log_in(desk, live_server.url, agent.username)
    desk.goto(f"{live_server.url}/tickets/{ticket.pk}/")
    desk.click("#work-order-open summary")
    desk.fill("#id_wo-reason", "电话指导无效，需上门")  # the form loads when the panel opens
    shot(desk, "field-open-from-ticket-zh")
    desk.click("#work-order-form button")
    desk.wait_for_selector("#facts")
    work_order = WorkOrder.objects.get(ticket=ticket)
    assert work_order.site_address == "世纪大道1号"
    desk.click("#book-link")
    desk.wait_for_selector(".candidate")
    assert "李强" in desk.inner_text(".candidate >> nth=0")
    desk.click(".candidate >> nth=0 >> label.btn >> nth=0")  # the earliest free slot of the best candidate
    shot(desk, "field-book-zh")
    desk.click("#book-submit")
    desk.wait_for_selector("#step-dispatch")
    work_order.refresh_from_db()
    assert work_order.technician == technician and work_order.appointment_start is not None
    desk.click("#step-dispatch")
    desk.wait_for_load_state()
    shot(desk, "field-dispatched-desk-zh")
    desk.wait_for_selector("text=已派工")

    phone = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN", has_touch=True).new_page()
    phone.set_default_timeout(10_000)
    log_in(phone, live_server.url, technician.username)
    phone.goto(f"{live_server.url}/field/{work_order.pk}/")
    call = phone.locator("#call")
    assert call.get_attribute("href") == "tel:13912345678"
    assert call.bounding_box()["y"] < 844  # the phone number is on the first screen
    shot(phone, "field-dispatched-phone-zh")
    html = phone.content()
    assert len(html.encode()) < 100_000
    for button in ("#step-accept", "#step-depart", "#step-check_in"):
        phone.click(button)
        phone.wait_for_load_state()
    assert SlaClock.objects.get(ticket=ticket, kind="onsite_arrival").state == "met"
    phone.select_option("#id_part-item", label="启动电容 35μF · 手头 2 个")  # from the van (R5.2)
    phone.fill("#id_part-quantity", "1")
    phone.click("#part-form button")
    phone.wait_for_selector("#parts-used >> text=启动电容 35μF · 1 个")
    phone.click("details:has(#step-diagnose) summary")
    phone.fill("#step-diagnose-findings", "压缩机启动电容损坏")
    phone.click("#step-diagnose button")
    phone.click("#step-repair")
    phone.click("#step-test")
    phone.fill("#id_signoff-work_done", "更换启动电容，试机制冷正常")
    phone.click("label[for=id_signoff-satisfaction_4]")
    pad = phone.locator("canvas.signature-pad")
    pad.scroll_into_view_if_needed()
    box = pad.bounding_box()
    phone.mouse.move(box["x"] + 20, box["y"] + 120)
    phone.mouse.down()
    for i in range(1, 12):
        phone.mouse.move(box["x"] + 20 + i * 25, box["y"] + 120 - (i % 3) * 30)
    phone.mouse.up()
    shot(phone, "field-sign-off-phone-zh")
    phone.click("#step-complete")
    phone.wait_for_selector("text=已签字确认")
    work_order.refresh_from_db()
    assert work_order.signer_name == "陈建国" and work_order.satisfaction == 5
    assert work_order.signature.read().startswith(b"\x89PNG")
    phone.click("details:has(#step-report) summary")
    phone.click("#step-report button")
    phone.wait_for_selector("text=已报告")
    shot(phone, "field-reported-phone-zh")
    phone.click(".navbar-toggler")
    phone.click("text=English")
    phone.wait_for_selector("text=Reported")
    shot(phone, "field-reported-phone-en")
    assert phone.request.get(f"{live_server.url}/field/{work_order.pk}/pdf/").body().startswith(b"%PDF")
