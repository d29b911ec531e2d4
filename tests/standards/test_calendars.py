"""Calendars from the database (R10.3): the default calendars, inheritance, exceptions, the month
view, missing holiday data and the warning to administrators, and the demo calendars."""

import datetime
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import translation

from fuwu.core.models import AuditEvent, OutboxMessage
from fuwu.org.roles import Role
from fuwu.standards.actions import calendars as actions
from fuwu.standards.actions.calendars import CalendarInput, HolidayRow
from fuwu.standards.calendars import business_clock, business_clocks
from fuwu.standards.demo import calendars as demo_calendars
from fuwu.standards.models import DutyAssignment, ServiceCalendar
from fuwu.standards.selectors.calendars import (
    DayKind,
    calendar_data_warnings,
    calendar_month,
    calendars_visible_to,
    holiday_label,
)
from fuwu.standards.tasks import calendar_data_check_daily
from tests.factories import RegionFactory, make_staff

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(*args) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=SHANGHAI)


def calendar(code: str) -> ServiceCalendar:
    return ServiceCalendar.objects.get(code=code)


def child_of(parent: ServiceCalendar, code: str = "east") -> ServiceCalendar:
    return actions.calendar_create(actor=None, code=code, data=CalendarInput(name=code, parent_id=parent.pk))


def test_the_office_calendar_knows_national_day_and_the_lunch_break():
    clock = business_clock(calendar("office"))
    assert clock.add(at(2026, 9, 30, 17), timedelta(hours=4)).at == at(2026, 10, 8, 12)  # 17-18, then 9-12
    assert clock.add(at(2026, 9, 30, 17), timedelta(hours=5)).at == at(2026, 10, 8, 14)  # and 13-14
    assert clock.add(at(2026, 11, 24, 11), timedelta(hours=2)).at == at(2026, 11, 24, 14)
    assert clock.is_working(at(2026, 10, 10, 10))  # 调休 Saturday


def test_the_duty_line_runs_through_holidays_and_never_misses_data():
    clock = business_clock(calendar("duty_line"))
    assert clock.add(at(2026, 10, 1, 22), timedelta(hours=4)) == (at(2026, 10, 2, 2), ())
    assert clock.add(at(2027, 2, 6, 10), timedelta(hours=1)).missing_years == ()


def test_a_child_without_hours_inherits_its_parents_and_exceptions():
    parent = calendar("service_hours")
    child = child_of(parent)
    assert business_clock(child).add(at(2026, 11, 28, 17), timedelta(hours=2)).at == at(2026, 11, 29, 9)  # Sat, Sun
    actions.calendar_add_exception(actor=None, calendar=parent, date=datetime.date(2026, 11, 29), kind="closed")
    assert business_clock(child).add(at(2026, 11, 28, 17), timedelta(hours=2)).at == at(2026, 11, 30, 9)


def test_a_childs_exception_beats_its_parents():
    parent = calendar("service_hours")
    child = child_of(parent)
    day = datetime.date(2026, 12, 2)
    actions.calendar_add_exception(actor=None, calendar=parent, date=day, kind="closed")
    actions.calendar_add_exception(actor=None, calendar=child, date=day, kind="special", hours="10:00-12:00")
    assert not business_clock(parent).is_working(at(2026, 12, 2, 11))
    clock = business_clock(child)
    assert clock.is_working(at(2026, 12, 2, 11)) and not clock.is_working(at(2026, 12, 2, 9))
    month = calendar_month(child, 2026, 12)
    cell = next(d for week in month.weeks for d in week if d.date == day)
    assert (cell.kind, cell.hours, cell.inherited_exception) == (DayKind.EXCEPTION_SPECIAL, "10:00-12:00", False)


def test_a_cached_clock_is_rebuilt_when_the_calendar_changes():
    office = calendar("office")
    before = business_clock(office)
    assert business_clock(office) is before
    actions.calendar_set_weekly_hours(actor=None, calendar=office, hours={0: "08:00-12:00"})
    after = business_clock(calendar("office"))
    assert after is not before and after.is_working(at(2026, 11, 23, 8, 30))


def test_cached_clocks_are_confirmed_together_and_a_changed_one_rebuilt(django_assert_num_queries):
    office, service = calendar("office"), calendar("service_hours")
    first = business_clocks([office.pk, service.pk])
    with django_assert_num_queries(1):  # the cache is off in tests: both confirmed by one query
        assert business_clocks([office.pk, service.pk]) == first
    actions.calendar_set_weekly_hours(actor=None, calendar=office, hours={0: "08:00-12:00"})
    again = business_clocks([office.pk, service.pk])
    assert again[service.pk] is first[service.pk] and again[office.pk] is not first[office.pk]
    assert again[office.pk].is_working(at(2026, 11, 23, 8, 30))


def test_the_month_view_of_october_2026():
    month = calendar_month(calendar("office"), 2026, 10, today=datetime.date(2026, 10, 9))
    days = {d.date: d for week in month.weeks for d in week}
    assert all(len(week) == 7 and week[0].date.weekday() == 0 for week in month.weeks)
    assert days[datetime.date(2026, 9, 28)].in_month is False  # the grid starts on Monday 28 September
    with translation.override("zh-hans"):
        assert holiday_label("National Day") == "国庆节"
    assert [days[datetime.date(2026, 10, n)].kind for n in (1, 7, 8, 10, 11)] == [
        DayKind.HOLIDAY, DayKind.HOLIDAY, DayKind.WORKING, DayKind.ADJUSTED_WORKDAY, DayKind.WEEKEND]
    assert days[datetime.date(2026, 10, 10)].hours == "09:00-12:00, 13:00-18:00"
    assert days[datetime.date(2026, 10, 1)].hours == ""
    assert days[datetime.date(2026, 10, 9)].is_today
    assert month.missing_years == [] and not month.data_missing


def test_the_month_view_shows_holiday_names_in_both_languages():
    with translation.override("en"):
        month = calendar_month(calendar("office"), 2026, 2)
    days = {d.date: d for week in month.weeks for d in week}
    assert days[datetime.date(2026, 2, 17)].holiday == "Spring Festival"
    assert days[datetime.date(2026, 2, 14)].kind == DayKind.ADJUSTED_WORKDAY
    with translation.override("zh-hans"):
        month = calendar_month(calendar("office"), 2026, 2)
    days = {d.date: d for week in month.weeks for d in week}
    assert days[datetime.date(2026, 2, 17)].holiday == "春节"


def test_the_duty_line_month_names_holidays_but_keeps_them_working_and_lists_duty(manager, agent):
    duty_line = calendar("duty_line")
    actions.duty_assign(actor=manager, calendar=duty_line, date=datetime.date(2026, 10, 1), staff=agent)
    month = calendar_month(duty_line, 2026, 10)
    day = next(d for week in month.weeks for d in week if d.date == datetime.date(2026, 10, 1))
    assert day.kind == DayKind.WORKING and day.hours == "00:00-24:00" and day.holiday
    assert [a.staff for a in day.duty] == [agent]


def test_the_month_view_of_2027_marks_the_missing_data():
    month = calendar_month(calendar("office"), 2027, 1)
    assert month.missing_years == [2027] and month.data_missing
    days = {d.date: d for week in month.weeks for d in week}
    assert days[datetime.date(2027, 1, 1)].kind == DayKind.WORKING  # unknown holiday: a plain Friday
    assert days[datetime.date(2027, 1, 1)].data_missing
    assert calendar_month(calendar("duty_line"), 2027, 1).missing_years == []


def test_an_imported_notice_fills_the_missing_year():
    actions.holiday_notice_import(actor=None, year=2027, rows=[
        HolidayRow("2027-01-01", "holiday", "元旦"), HolidayRow("2027-02-20", "workday", "春节")])
    clock = business_clock(calendar("office"))
    assert not clock.is_working(at(2027, 1, 1, 10))
    assert clock.is_working(at(2027, 2, 20, 10))  # a Saturday made a working day
    assert clock.add(at(2027, 1, 1, 10), timedelta(hours=1)).missing_years == ()
    month = calendar_month(calendar("office"), 2027, 1)
    assert month.missing_years == []
    assert next(d for w in month.weeks for d in w if d.date == datetime.date(2027, 1, 1)).kind == DayKind.HOLIDAY
    assert calendar_data_warnings(datetime.date(2026, 11, 23)) == []


@pytest.mark.parametrize(("today", "years"), [
    (datetime.date(2026, 11, 1), []),
    (datetime.date(2026, 11, 2), [2027]),  # 60 days before 1 January 2027
    (datetime.date(2026, 11, 23), [2027]),
    (datetime.date(2027, 3, 1), [2027]),
])
def test_missing_data_is_warned_of_sixty_days_ahead(today, years):
    warnings = calendar_data_warnings(today)
    assert [w.year for w in warnings] == years
    if years:
        with translation.override("en"):
            assert warnings[0].message == "Calendar data missing for 2027: import the State Council's holiday notice"
        assert "标准服务时间" in warnings[0].calendars and "24小时值班热线" not in warnings[0].calendars


def test_the_daily_job_tells_administrators_once(agent, time_machine_today):
    admin = make_staff(Role.ADMIN)
    assert calendar_data_check_daily.call_local() == 1
    assert calendar_data_check_daily.call_local() == 0  # idempotent: the same notice is not queued again
    messages = OutboxMessage.objects.filter(dedupe_key__startswith="calendar-data-missing:2027")
    assert [m.recipient for m in messages] == [admin]
    assert messages[0].email == admin.email and "2027" in messages[0].subject
    assert AuditEvent.objects.filter(action="calendar.data_missing_notified").count() == 1


@pytest.fixture
def time_machine_today(monkeypatch):
    """The job runs on 23 November 2026 whatever the machine's date."""
    from django.utils import timezone

    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: datetime.date(2026, 11, 23))


def test_every_staff_member_sees_the_calendars_and_a_customer_none(agent):
    customer = make_staff(Role.CUSTOMER)
    assert calendars_visible_to(agent).count() == ServiceCalendar.objects.count() == 3
    assert calendars_visible_to(customer).count() == 0


def test_demo_calendars_are_made_through_the_actions():
    regions = [RegionFactory(code="east", name="华东")]
    staff = {role: make_staff(role) for role in (Role.MANAGER, Role.AGENT, Role.SUPPORT, Role.TECHNICIAN)}
    created = demo_calendars.seed_calendars(regions=regions, staff_by_role=staff, seed=2026)
    assert [c.code for c in created] == ["service_hours_east"]
    east = created[0]
    assert east.parent.code == "service_hours" and east.exceptions.filter(is_active=True).count() == 2
    roster = DutyAssignment.objects.filter(calendar__code="duty_line", is_active=True)
    assert sorted({a.date for a in roster}) == demo_calendars.NATIONAL_DAY_2026 + demo_calendars.NEW_YEAR_2027
    assert roster.count() == 20
    assert AuditEvent.objects.filter(action="duty.assigned").count() == 20
    assert demo_calendars.seed_calendars(regions=regions, staff_by_role=staff, seed=2026) == []  # once only
    clock = business_clock(east)
    assert clock.add(at(2026, 12, 31, 14), timedelta(hours=2)).at == at(2027, 1, 1, 9)  # closes at 15:00 that day
