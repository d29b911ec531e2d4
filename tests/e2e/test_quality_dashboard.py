"""Journey (issue 14, R9.5, R15.1): the service manager opens the home page, sees a figure in red
against its target, and drills from it to the requests behind it."""

import datetime

import pytest
from django.utils import timezone

from fuwu.org.roles import Role
from fuwu.quality import actions
from fuwu.quality.indicators import Granularity
from fuwu.tickets.models import SlaClock
from tests.e2e.pages import log_in
from tests.factories import make_staff, make_ticket
from tests.tickets.sla_setup import policy, weekday_calendar

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_manager_drills_from_a_red_figure_to_its_requests(browser, live_server, shot):
    agent = make_staff(Role.AGENT, full_name="周敏")
    manager = make_staff(Role.MANAGER, full_name="孙经理")
    late = make_ticket(agent, title="空调不制冷，已超时")
    on_time = make_ticket(agent, title="打印机卡纸")
    calendar = weekday_calendar("quality_e2e")
    target = policy("quality e2e", calendar, {"first_response": 60}).targets.get()
    SlaClock.objects.create(ticket=late, kind="first_response", target=target, calendar=calendar,
                            started_at=timezone.now() - datetime.timedelta(hours=3),
                            breached_at=timezone.now() - datetime.timedelta(hours=1))
    actions.target_set(actor=manager, indicator="breaches", granularity=Granularity.DAY, target=0, alert_level=0,
                       owner=manager)
    actions.snapshots_compute(granularities=(Granularity.DAY, Granularity.MONTH))

    page = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN").new_page()
    log_in(page, live_server.url, manager.username)
    page.goto(f"{live_server.url}/")
    tile = page.locator("#health-breaches")
    assert "tone-danger" in tile.get_attribute("class")
    assert tile.locator(".value").inner_text().strip() == "1"
    page.wait_for_selector("#health-breaches canvas")  # the trend, drawn by ECharts
    shot(page, "quality-manager-home")
    tile.locator("a[data-drill=breaches]").click()
    page.wait_for_url(lambda url: "/tickets/" in url)
    rows = page.locator("table.ticket-table tbody")
    assert late.number in rows.inner_text() and on_time.number not in rows.inner_text()
    assert page.locator("#figure-filters").is_visible()
    shot(page, "quality-manager-drill")
