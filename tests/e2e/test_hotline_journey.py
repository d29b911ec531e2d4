"""Journey (issue: intake and first-contact responsibility, R2.3, R3.3, R3.4): a hotline agent takes a
call from a known number, registers a repair request and hands it over to the repair group; a
technician accepts and resolves it; the agent sees it resolved among their first-contact requests."""

import pytest

from fuwu.org.models import Group
from fuwu.org.roles import Role
from fuwu.tickets.lifecycle import Status
from fuwu.tickets.models import Handover, Ticket
from tests.e2e.htmx import htmx_settled
from tests.e2e.pages import log_in
from tests.factories import RegionFactory, make_customer, make_staff, make_ticket

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]



def test_hotline_call_hand_over_and_resolve(page, live_server, shot):
    manager = make_staff(Role.MANAGER)
    agent = make_staff(Role.AGENT, full_name="周敏")
    technician = make_staff(Role.TECHNICIAN, full_name="李强")
    RegionFactory(code="pudong", name="浦东")
    customer = make_customer(manager, name="上海申江物业管理有限公司", phone="13912345678", contact_name="陈建国")
    earlier = make_ticket(agent, title="门禁无法识别", customer_id=customer.pk)

    log_in(page, live_server.url, agent.username)
    page.goto(f"{live_server.url}/tickets/new/")
    page.fill("#caller-phone", "+86 139 1234 5678")
    page.wait_for_selector("#caller-matches >> text=上海申江物业管理有限公司")
    assert page.locator(f"#open-{earlier.pk}").is_visible()  # their open request, to link a repeat call
    page.click("#caller-matches button")
    page.wait_for_selector("#chosen-customer >> text=上海申江物业管理有限公司")
    assert page.input_value("#id_contact_name") == "陈建国"

    htmx_settled(page)
    page.select_option("#id_service_type", label="报修")
    page.wait_for_selector("label[for=id_site_address] .text-danger")  # required for a repair (R3.3)
    page.fill("#id_title", "空调不制冷")
    page.fill("#id_site_address", "世纪大道1号")
    page.select_option("#id_region", label="浦东")
    page.fill("#id_occurred_since", "今天早上")
    shot(page, "hotline-intake-zh")
    page.click("#intake-form button[type=submit]")
    page.wait_for_selector("#ticket-panel")
    ticket = Ticket.objects.get(title="空调不制冷")
    assert ticket.customer == customer and ticket.first_responsible == agent

    page.click("#open-handover")
    page.select_option("#id_handover-to_group", label="维修组")
    page.fill("#id_handover-note", "请上门检修，客户下午在")
    page.click("#handover-form button")
    page.wait_for_selector("#handover-pending")
    assert Handover.objects.get(ticket=ticket).to_group == Group.objects.get(code="repair")
    shot(page, "hotline-handover-pending-zh")

    log_in(page, live_server.url, technician.username)
    page.goto(f"{live_server.url}/tickets/?queue=handovers")
    page.click(f"text={ticket.number}")
    page.click("#accept-handover")
    page.wait_for_selector("#ticket-owner >> text=李强")
    page.click("#moves button[value=start]")
    page.wait_for_selector(".status-in_progress")
    page.click("#open-resolve")
    page.fill("#move-resolution", "更换压缩机电容，试机正常")
    page.click("#move-resolve button")
    page.wait_for_selector("#ticket-resolution")
    ticket.refresh_from_db()
    assert ticket.status == Status.RESOLVED and ticket.owner == technician
    shot(page, "hotline-resolved-technician-zh")

    log_in(page, live_server.url, agent.username)
    page.goto(f"{live_server.url}/tickets/?queue=first_contact")
    row = page.locator("tr", has_text=ticket.number)
    assert row.locator(".status-resolved").is_visible()
    shot(page, "hotline-first-contact-zh")
    page.click("button[value=en]")
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("link", name="My first-contact requests").is_visible()
    shot(page, "hotline-first-contact-en")
    page.goto(f"{live_server.url}/tickets/{ticket.pk}/")
    shot(page, "hotline-ticket-en")
