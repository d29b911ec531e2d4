"""Journey (issue: foundation): an agent logs in, finds a caller by phone, opens the record,
reveals nothing it may not see, and switches the language."""

import pytest

from fuwu.core.models import AuditEvent
from tests.e2e.pages import log_in
from tests.factories import make_customer, make_staff

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]



def test_agent_finds_caller_by_phone_and_switches_language(page, live_server, shot):
    manager = make_staff("manager")
    agent = make_staff("agent", full_name="周敏")
    customer = make_customer(manager, name="上海申江物业管理有限公司", phone="13912345678", industry="物业管理",
                             contact_name="陈建国")
    make_customer(manager, name="北京华信科技有限公司", phone="13700001111")

    page.goto(f"{live_server.url}/login/")
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    assert page.locator("main button[type=submit]").inner_text() == "登录"
    shot(page, "login-zh")

    log_in(page, live_server.url, agent.username)
    assert page.locator("h1").inner_text().startswith("欢迎")
    shot(page, "agent-home-zh")

    # The caller's number as the phone system shows it, with country code and spaces.
    page.fill("input[name=phone]", "+86 139 1234 5678")
    page.click("text=查找客户")
    page.wait_for_url(f"**/customers/{customer.pk}/")
    assert "上海申江物业管理有限公司" in page.locator("h1").inner_text()
    assert page.get_by_text("13912345678").is_visible()  # agents see phones in clear (R2.2)
    shot(page, "agent-customer-zh")

    page.click("button[value=en]")
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("heading", name="Contacts").is_visible()
    shot(page, "agent-customer-en")


def test_finance_sees_masked_phone_and_reveal_is_audited(page, live_server, shot):
    manager = make_staff("manager")
    finance = make_staff("finance")
    customer = make_customer(manager, name="广州南方医疗器械有限公司", phone="13566667777")

    log_in(page, live_server.url, finance.username)
    page.goto(f"{live_server.url}/customers/{customer.pk}/")
    assert page.get_by_text("135****7777").is_visible()
    assert not page.get_by_text("13566667777").is_visible()
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("#phone-" + str(customer.contacts.get().pk) + " + button")
    page.wait_for_selector("text=13566667777")
    shot(page, "finance-reveal-zh")
    assert AuditEvent.objects.filter(action="customer.pii_revealed", actor=finance).count() == 1
