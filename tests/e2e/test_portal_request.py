"""Journey (R3.1, R1.2): on a 390x844 phone a customer asks for a sign-in link, opens it from the
e-mail and signs in, files a repair with a photo in the portal, and finds it in "My requests" with
the customer's word for its status; the hotline sees it waiting, filed through the web channel."""

import re
from pathlib import Path

import pytest

from fuwu.core.models import OutboxMessage
from fuwu.customers import actions as customer_actions
from fuwu.customers.validation import ProductInput
from fuwu.standards.models import Channel
from fuwu.tickets.models import Ticket
from tests.factories import RegionFactory, link_portal_user, make_customer, make_staff

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PNG = bytes.fromhex("89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c6360"
                    "000002000154a24f5d0000000049454e44ae426082")


def test_a_customer_signs_in_with_a_link_and_files_a_repair_on_a_phone(browser, live_server, shot, tmp_path):
    agent = make_staff("agent", full_name="周敏")
    customer = make_customer(agent, name="上海申江物业管理有限公司", phone="13912345678", contact_name="陈建国",
                             email="chen@shenjiang.example", address="浦东新区世纪大道1号",
                             region_id=RegionFactory().pk)
    customer_actions.product_add(actor=agent, customer=customer,
                                 data=ProductInput(name="中央空调", model="KFR-72", serial_number="SN-0042"))
    link_portal_user(customer)
    photo = Path(tmp_path) / "漏水照片.png"
    photo.write_bytes(PNG)

    page = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN", has_touch=True).new_page()
    page.set_default_timeout(10_000)
    page.goto(f"{live_server.url}/portal/signin/")
    page.fill("#id_email", "chen@shenjiang.example")
    page.click("main button[type=submit]")
    page.wait_for_selector("#link-sent")
    link = re.search(r"https?://\S+/portal/signin/link/\S+/", OutboxMessage.objects.get(
        email="chen@shenjiang.example").body).group(0)
    page.goto(link)
    shot(page, "portal-link-phone-zh")
    page.click("#link-signin")
    page.wait_for_selector("#new-request")
    assert page.url.endswith("/portal/")
    shot(page, "portal-home-phone-zh")

    page.click("#new-request")
    page.select_option("#id_service_type", label="报修")
    page.fill("#id_title", "会议室空调漏水")
    page.fill("#id_description", "三楼会议室的空调从昨天开始滴水。")
    page.select_option("#id_product", label="中央空调 · KFR-72 · SN-0042")
    assert page.input_value("#id_site_address") == "浦东新区世纪大道1号"  # the customer's address, prefilled
    page.fill("#id_occurred_since", "昨天")
    page.set_input_files("#id_attachments", str(photo))
    shot(page, "portal-new-request-phone-zh")
    page.click("#submit-request")
    page.wait_for_selector("#portal-timeline")
    ticket = Ticket.objects.get(title="会议室空调漏水")
    assert ticket.channel == Channel.WEB and ticket.customer == customer and ticket.owner is None
    assert page.locator("img[alt='漏水照片.png']").count() == 1

    page.goto(f"{live_server.url}/portal/requests/")
    row = page.locator(".portal-requests li", has_text="会议室空调漏水")
    assert ticket.number in row.inner_text() and "已收到" in row.inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # nothing wider than the phone
    box = row.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390 and box["y"] < 844
    shot(page, "portal-my-requests-phone-zh")
