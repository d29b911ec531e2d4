"""Journey (R10.3, R10.4): an agent follows a request's countdown across the 2026 National Day holiday.

A call taken on Wednesday 30 September at 17:00 under the default policy (30 business hours to
resolve, service hours 8:00–18:00, statutory holidays observed) is due on Saturday 10 October, an
adjusted working day (调休), at 17:00. In the middle of the holiday nothing has been used up.
"""

from unittest import mock

import pytest

from fuwu.org.roles import Role
from tests.factories import PASSWORD, make_staff, make_ticket
from tests.tickets.sla_setup import local

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_countdown_stands_still_over_national_day(page, live_server, shot):
    now = {"at": local(2026, 9, 30, 17)}
    with mock.patch("django.utils.timezone.now", side_effect=lambda: now["at"]):
        agent = make_staff(Role.AGENT, full_name="周敏")
        ticket = make_ticket(agent, "other", title="物业费发票开具咨询", channel="phone")

        page.goto(f"{live_server.url}/login/")
        page.fill("#id_username", agent.username)
        page.fill("#id_password", PASSWORD)
        page.click("main button[type=submit]")
        page.wait_for_load_state()

        now["at"] = local(2026, 10, 3, 10)  # the third day of the holiday
        page.goto(f"{live_server.url}/tickets/{ticket.pk}/")
        resolution = page.locator("#sla-clocks .sla-clock[data-kind=resolution]")
        assert "2026-10-10 17:00" in resolution.inner_text()
        assert "剩余工作时间 29小时00分" in resolution.inner_text()
        assert "按时" in resolution.inner_text()
        shot(page, "sla-national-day-zh")

        now["at"] = local(2026, 10, 10, 14)  # the working Saturday: three hours left, past the warning share
        page.goto(f"{live_server.url}/tickets/?queue=mine")
        badge = page.locator(f"tr:has(a[href='/tickets/{ticket.pk}/']) .sla-badge")
        assert badge.is_visible()
        page.goto(f"{live_server.url}/tickets/{ticket.pk}/")
        assert "剩余工作时间 3小时00分" in page.locator("#sla-clocks").inner_text()
        assert "即将到期" in page.locator("#sla-clocks").inner_text()

        page.context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
        page.reload()
        text = page.locator("#sla-clocks").inner_text()
        assert "3 h 00 min of working time left" in text and "Due soon" in text
        shot(page, "sla-adjusted-saturday-en")
