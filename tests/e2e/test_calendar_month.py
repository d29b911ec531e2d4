"""Journey (issue: service standards and business calendars, R10.3): a service manager opens the
service-hours calendar for October 2026, sees the National Day holidays and the working Saturday
(调休) of 10 October, adds an exception, puts an agent on holiday duty, and reads it all in English."""

import pytest

from fuwu.org.roles import Role
from fuwu.standards.models import CalendarException, DutyAssignment, ServiceCalendar
from tests.e2e.pages import log_in
from tests.factories import make_staff

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]



def test_manager_reads_october_and_adds_an_exception(page, live_server, shot):
    manager = make_staff(Role.MANAGER, full_name="王芳")
    agent = make_staff(Role.AGENT, full_name="周敏")
    office = ServiceCalendar.objects.get(code="office")

    log_in(page, live_server.url, manager.username)
    page.goto(f"{live_server.url}/standards/calendars/")
    page.click(f"#calendars a[href='/standards/calendars/{office.pk}/']")
    page.wait_for_selector("#month-title")
    page.goto(f"{live_server.url}/standards/calendars/{office.pk}/2026/10/")
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    holidays = page.locator("td[data-kind=holiday]")
    assert holidays.count() == 7
    assert "国庆节" in holidays.first.inner_text()
    saturday = page.locator("td[data-date='2026-10-10']")
    assert saturday.get_attribute("data-kind") == "adjusted_workday"
    assert "调休" in saturday.inner_text() and "09:00-12:00" in saturday.inner_text()
    shot(page, "calendar-october-zh")

    # An exception: the office closes early on Friday 30 October.
    page.click("button[data-bs-target='#exception-form']")
    page.fill("#exception-form input[name=date]", "2026-10-30")
    page.select_option("#exception-form select[name=kind]", "special")
    page.fill("#exception-form input[name=hours]", "09:00-12:00")
    page.fill("#exception-form input[name=note]", "消防演练")
    page.click("#exception-form button")
    page.wait_for_selector("td[data-date='2026-10-30'][data-kind=exception_special]")
    assert "消防演练" in page.locator("td[data-date='2026-10-30']").inner_text()
    assert CalendarException.objects.get(calendar=office, date="2026-10-30").hours == "09:00-12:00"

    # A mistyped duty line keeps what was typed and explains the error beside the field.
    page.click("button[data-bs-target='#duty-form']")
    page.fill("#duty-form input[name=date]", "2026-10-03")
    page.select_option("#duty-form select[name=staff]", str(agent.pk))
    page.fill("#duty-form input[name=shift]", "8-20")
    page.click("#duty-form button")
    page.wait_for_selector("#duty-form .invalid-feedback")
    assert page.input_value("#duty-form input[name=shift]") == "8-20"
    page.fill("#duty-form input[name=shift]", "08:00-20:00")
    page.click("#duty-form button")
    page.wait_for_selector("td[data-date='2026-10-03'] .duty-people")
    assert "周敏" in page.locator("td[data-date='2026-10-03']").inner_text()
    assert DutyAssignment.objects.filter(staff=agent, is_active=True).count() == 1
    shot(page, "calendar-october-exception-zh")

    # Month navigation (HTMX swaps the grid) and the English page.
    page.click("#month-next")
    page.wait_for_selector("td[data-date='2026-11-30']")
    page.click("#month-previous")
    page.wait_for_selector("td[data-date='2026-10-10']")
    page.click("button[value=en]")
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    assert "National Day" in page.locator("td[data-date='2026-10-01']").inner_text()
    assert "Adjusted working day" in page.locator("td[data-date='2026-10-10']").inner_text()
    shot(page, "calendar-october-en")

    # January 2027: chinese-calendar has no data yet, and the page says so.
    page.goto(f"{live_server.url}/standards/calendars/{office.pk}/2027/1/")
    assert "Calendar data missing for 2027" in page.locator("#month-data-missing").inner_text()
    page.goto(f"{live_server.url}/standards/calendars/")
    shot(page, "calendar-list-en")
