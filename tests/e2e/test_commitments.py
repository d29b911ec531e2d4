"""Journey (R10.1, R10.2): a manager revises a published standard with a reason and publishes the new
version; an anonymous visitor, on a phone, sees the new commitment on the public page, in Chinese
and in English."""

import pytest

from fuwu.core.models import AuditEvent
from fuwu.standards.demo.commitments import seed_standards
from fuwu.standards.models import ServiceStandard
from tests.e2e.pages import log_in
from tests.factories import make_staff

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

OLD = "服务完成后 2 个工作日内回访，听取您的意见。"
NEW = "服务完成后 1 个工作日内回访，听取您的意见。"
NEW_EN = "We call you within 1 working day after the service to hear what you think."



def test_manager_revises_a_commitment_and_the_public_sees_it(page, live_server, shot, settings):
    settings.FUWU_SERVICE_HOTLINE = "400-820-8820"
    settings.FUWU_DUTY_LINE = "400-820-8821"
    settings.FUWU_SERVICE_HOURS = "8:00–18:00"
    manager = make_staff("manager", full_name="王建华")
    seed_standards(actor=manager)

    page.goto(f"{live_server.url}/standards/commitments/")
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    assert page.locator("#commitment-follow-up").inner_text().startswith(OLD)

    log_in(page, live_server.url, manager.username)
    page.goto(f"{live_server.url}/standards/catalogue/")
    assert page.locator("#touchpoint-access").is_visible()
    shot(page, "standards-catalogue-zh")
    page.click("#standard-follow-up-v1 a")
    page.wait_for_selector("#version-history")
    page.click("#revise-toggle")
    page.fill("#revise-form textarea[name=reason]", "客户满意度调查显示希望更快回访，时限由 2 个工作日缩短为 1 个。")
    page.click("#revise-form button[type=submit]")
    page.wait_for_url("**/catalogue/follow-up/v2/edit/")
    page.fill("#id_commitment_text", NEW)
    page.fill("#id_commitment_text_en", NEW_EN)
    page.fill("#id_target", "及时率 ≥ 95%（1 个工作日）")
    shot(page, "standards-edit-draft-zh")
    page.click("#standard-form button[type=submit]")
    page.wait_for_selector("#draft-version")
    page.click("#publish-form button[type=submit]")  # in force from today, the date filled in
    page.wait_for_selector("#version-2 .standing-in_force")
    assert page.locator("#version-1 .standing-retired").is_visible()
    assert "时限由 2 个工作日缩短为 1 个" in page.locator("#version-2").inner_text()
    shot(page, "standards-revised-zh")
    page.click("button[value=en]")
    page.wait_for_selector("html[lang=en]")
    shot(page, "standards-revised-en")
    page.goto(f"{live_server.url}/standards/catalogue/?state=all")
    assert page.locator("#standard-hotline-answer-v1 .standing-retired").is_visible()
    shot(page, "standards-catalogue-all-en")

    v2 = ServiceStandard.objects.get(code="follow-up", state=ServiceStandard.State.IN_FORCE)
    assert v2.edition == 2 and v2.supersedes.edition == 1 and v2.commitment_text == NEW
    assert AuditEvent.objects.filter(action="standard.published", actor=manager).for_object(v2).exists()

    page.context.clear_cookies()
    page.set_viewport_size({"width": 390, "height": 844})  # a phone
    page.goto(f"{live_server.url}/standards/commitments/")
    assert page.locator("#commitment-follow-up").inner_text().startswith(NEW)
    assert OLD not in page.content()
    assert page.get_by_text("400-820-8821").is_visible()
    shot(page, "commitments-public-phone-zh")
    page.click("button[value=en]")
    page.wait_for_selector("html[lang=en]")
    assert page.locator("#commitment-follow-up").inner_text().startswith(NEW_EN)
    shot(page, "commitments-public-phone-en")
