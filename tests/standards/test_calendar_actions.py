"""Calendar actions (R10.3, R4.9, docs/architecture.md, rules 1, 3, 7): rows and audit events, revisions of the
calendar and its descendants, permissions, stale edits, and all-or-nothing holiday imports."""

import datetime

import pytest
from django.utils import timezone

from fuwu.core.errors import Conflict, InvalidInput, PermissionDenied
from fuwu.core.models import AuditEvent, OutboxMessage
from fuwu.standards.actions import calendars as actions
from fuwu.standards.actions.calendars import CalendarInput, HolidayRow
from fuwu.standards.models import CalendarException, CalendarHours, HolidayNotice, ServiceCalendar, StatutoryDay
from tests.factories import make_staff

pytestmark = pytest.mark.django_db

DAY = datetime.date(2026, 12, 2)


@pytest.fixture
def family(manager):
    """service_hours -> east -> east_city: a parent, a child, a grandchild."""
    parent = ServiceCalendar.objects.get(code="service_hours")
    child = actions.calendar_create(actor=manager, code="east", data=CalendarInput(name="华东", parent_id=parent.pk))
    grandchild = actions.calendar_create(actor=manager, code="east_city",
                                         data=CalendarInput(name="上海", parent_id=child.pk))
    return parent, child, grandchild


def revisions(*calendars) -> list[int]:
    return [ServiceCalendar.objects.get(pk=c.pk).version for c in calendars]


def events(action: str):
    return AuditEvent.objects.filter(action=action)


def test_create_writes_the_calendar_and_an_event(manager):
    calendar = actions.calendar_create(actor=manager, code="north", data=CalendarInput(
        name="华北", name_en="North", timezone="Asia/Shanghai", observes_statutory_holidays=True))
    assert (calendar.code, calendar.name, calendar.version) == ("north", "华北", 1)
    event = events("calendar.created").get()
    assert (event.actor, event.object_id, event.payload["code"]) == (manager, str(calendar.pk), "north")


@pytest.mark.parametrize(("code", "data", "field"), [
    ("office", CalendarInput(name="x"), "code"),  # taken
    ("bad code", CalendarInput(name="x"), "code"),
    ("ok", CalendarInput(name="  "), "name"),
    ("ok", CalendarInput(name="x", timezone="Mars/Olympus"), "timezone"),
    ("ok", CalendarInput(name="x", parent_id=999_999), "parent"),
])
def test_create_refuses_bad_settings(manager, code, data, field):
    with pytest.raises(InvalidInput) as caught:
        actions.calendar_create(actor=manager, code=code, data=data)
    assert field in caught.value.errors
    assert not events("calendar.created").exists()


def test_update_bumps_the_revision_of_the_calendar_and_its_descendants(manager, family):
    parent, child, grandchild = family
    before = revisions(parent, child, grandchild)
    data = CalendarInput(name="标准服务时间（新）", name_en=parent.name_en, timezone=parent.timezone)
    actions.calendar_update(actor=manager, calendar=parent, expected_version=before[0], data=data)
    assert revisions(parent, child, grandchild) == [r + 1 for r in before]
    event = events("calendar.updated").get()
    assert event.payload == {"old": {"name": "标准服务时间"}, "new": {"name": "标准服务时间（新）"}}


def test_an_unchanged_update_writes_nothing(manager, family):
    parent, *_ = family
    data = CalendarInput(name=parent.name, name_en=parent.name_en, timezone=parent.timezone)
    actions.calendar_update(actor=manager, calendar=parent, expected_version=parent.version, data=data)
    assert revisions(parent) == [parent.version] and not events("calendar.updated").exists()


def test_a_stale_edit_is_a_conflict(manager, family):
    parent, *_ = family
    stale = parent.version
    actions.calendar_set_weekly_hours(actor=manager, calendar=parent, hours={0: "09:00-17:00"})
    with pytest.raises(Conflict) as caught:
        actions.calendar_update(actor=manager, calendar=parent, expected_version=stale,
                                data=CalendarInput(name="改名", timezone=parent.timezone))
    assert caught.value.data == {"current_version": stale + 1}
    assert ServiceCalendar.objects.get(pk=parent.pk).name == "标准服务时间"


def test_a_calendar_cannot_inherit_from_its_descendant(manager, family):
    parent, _child, grandchild = family
    for new_parent in (grandchild, parent):
        with pytest.raises(InvalidInput) as caught:
            actions.calendar_update(actor=manager, calendar=parent, expected_version=None,
                                    data=CalendarInput(name=parent.name, parent_id=new_parent.pk))
        assert "parent" in caught.value.errors


def test_set_weekly_hours_replaces_the_days_and_records_old_and_new(manager, family):
    parent, child, grandchild = family
    before = revisions(parent, child, grandchild)
    actions.calendar_set_weekly_hours(actor=manager, calendar=parent,
                                      hours={0: "09:00-12:00, 13:00-18:00", 6: ""})
    rows = list(CalendarHours.objects.filter(calendar=parent, weekday__in=[0, 6])
                .values_list("weekday", "start", "end"))
    assert rows == [(0, datetime.time(9), datetime.time(12)), (0, datetime.time(13), datetime.time(18))]
    assert revisions(parent, child, grandchild) == [r + 1 for r in before]
    event = events("calendar.hours_set").get()
    assert event.payload["old"] == {"0": "08:00-18:00", "6": "08:00-18:00"}
    assert event.payload["new"] == {"0": "09:00-12:00, 13:00-18:00", "6": ""}


def test_setting_one_day_on_an_inheriting_calendar_copies_the_rest_of_the_week(manager, family):
    _parent, child, _grandchild = family
    actions.calendar_set_weekly_hours(actor=manager, calendar=child, hours={2: "10:00-16:00"})
    week = {day: [] for day in range(7)}
    for weekday, start, end in CalendarHours.objects.filter(calendar=child).values_list("weekday", "start", "end"):
        week[weekday].append(f"{start:%H:%M}-{end:%H:%M}")
    assert week == {**{day: ["08:00-18:00"] for day in range(7)}, 2: ["10:00-16:00"]}
    assert events("calendar.hours_set").get().payload["copied_from_parent"] is True


def test_midnight_closes_a_day_that_runs_to_its_end(manager):
    office = ServiceCalendar.objects.get(code="office")
    actions.calendar_set_weekly_hours(actor=manager, calendar=office, hours={4: "18:00-24:00"})
    assert CalendarHours.objects.get(calendar=office, weekday=4).end == datetime.time(0)


@pytest.mark.parametrize(("text", "words"), [
    ("9-12", "9-12"), ("09:00-08:00", "09:00-08:00"), ("09:00-12:00, 11:00-13:00", "重叠"),
    ("25:00-26:00", "25:00-26:00"),
])
def test_bad_hours_are_explained_per_day(manager, text, words):
    office = ServiceCalendar.objects.get(code="office")
    with pytest.raises(InvalidInput) as caught:
        actions.calendar_set_weekly_hours(actor=manager, calendar=office, hours={3: text})
    assert list(caught.value.errors) == ["hours_3"]
    assert words in str(caught.value.errors["hours_3"][0])
    assert not events("calendar.hours_set").exists()


def test_a_week_without_any_hours_is_refused(manager):
    office = ServiceCalendar.objects.get(code="office")
    with pytest.raises(InvalidInput):
        actions.calendar_set_weekly_hours(actor=manager, calendar=office, hours=dict.fromkeys(range(7), ""))


def test_exceptions_are_added_and_withdrawn_never_deleted(manager, family):
    parent, child, grandchild = family
    before = revisions(parent, child, grandchild)
    exception = actions.calendar_add_exception(actor=manager, calendar=child, date=DAY, kind="special",
                                               hours="10:00-12:00 ,13:00-15:00", note="盘点")
    assert (exception.hours, exception.created_by, exception.is_active) == ("10:00-12:00, 13:00-15:00", manager, True)
    assert revisions(parent, child, grandchild) == [before[0], before[1] + 1, before[2] + 1]
    with pytest.raises(InvalidInput) as caught:
        actions.calendar_add_exception(actor=manager, calendar=child, date=DAY, kind="closed")
    assert "date" in caught.value.errors
    actions.calendar_withdraw_exception(actor=manager, exception=exception, reason="取消")
    assert CalendarException.objects.get(pk=exception.pk).is_active is False
    assert revisions(child) == [before[1] + 2]
    again = actions.calendar_add_exception(actor=manager, calendar=child, date=DAY, kind="closed")
    assert CalendarException.objects.filter(calendar=child, date=DAY).count() == 2 and again.hours == ""
    assert events("calendar.exception_added").count() == 2
    assert events("calendar.exception_withdrawn").get().payload["reason"] == "取消"


@pytest.mark.parametrize(("kind", "hours", "field"), [("special", "", "hours"), ("special", "8-9", "hours"),
                                                      ("special", ",", "hours"), ("holiday", "", "kind")])
def test_bad_exceptions_are_refused(manager, kind, hours, field):
    office = ServiceCalendar.objects.get(code="office")
    with pytest.raises(InvalidInput) as caught:
        actions.calendar_add_exception(actor=manager, calendar=office, date=DAY, kind=kind, hours=hours)
    assert field in caught.value.errors


def test_duty_is_assigned_once_per_person_and_day_and_withdrawn(manager, agent):
    duty_line = ServiceCalendar.objects.get(code="duty_line")
    day = timezone.localdate() + datetime.timedelta(days=30)
    assignment = actions.duty_assign(actor=manager, calendar=duty_line, date=day, staff=agent, shift="08:00-20:00",
                                     phone="13800138000")
    assert OutboxMessage.objects.filter(recipient=agent, object_id=str(assignment.pk)).count() == 1  # told
    with pytest.raises(InvalidInput) as caught:
        actions.duty_assign(actor=manager, calendar=duty_line, date=day, staff=agent)
    assert "staff" in caught.value.errors
    actions.duty_assign(actor=manager, calendar=ServiceCalendar.objects.get(code="office"), date=day, staff=agent)
    actions.duty_withdraw(actor=manager, assignment=assignment, reason="调班")
    assignment.refresh_from_db()
    assert assignment.is_active is False
    actions.duty_assign(actor=manager, calendar=duty_line, date=day, staff=agent)  # again, after the withdrawal
    assert events("duty.assigned").count() == 3 and events("duty.withdrawn").get().payload["reason"] == "调班"
    assert OutboxMessage.objects.filter(recipient=agent).count() == 4  # three assignments and a withdrawal


def test_a_past_duty_entered_for_the_record_notifies_nobody(manager, agent):
    past = timezone.localdate() - datetime.timedelta(days=1)
    actions.duty_assign(actor=manager, calendar=ServiceCalendar.objects.get(code="duty_line"), date=past, staff=agent)
    assert not OutboxMessage.objects.filter(recipient=agent).exists()


def test_duty_needs_a_staff_member_and_a_valid_shift(manager):
    duty_line = ServiceCalendar.objects.get(code="duty_line")
    customer = make_staff("customer")
    with pytest.raises(InvalidInput) as caught:
        actions.duty_assign(actor=manager, calendar=duty_line, date=DAY, staff=customer, shift="late")
    assert set(caught.value.errors) == {"staff", "shift"}


@pytest.mark.parametrize("role", ["agent", "technician", "quality_supervisor", "finance", "general_manager"])
def test_only_managers_and_administrators_change_calendars(role, manager):
    actor = make_staff(role)
    office = ServiceCalendar.objects.get(code="office")
    calls = [
        lambda: actions.calendar_create(actor=actor, code="x", data=CalendarInput(name="x")),
        lambda: actions.calendar_update(actor=actor, calendar=office, expected_version=None,
                                        data=CalendarInput(name="x")),
        lambda: actions.calendar_set_weekly_hours(actor=actor, calendar=office, hours={0: "09:00-10:00"}),
        lambda: actions.calendar_add_exception(actor=actor, calendar=office, date=DAY, kind="closed"),
        lambda: actions.duty_assign(actor=actor, calendar=office, date=DAY, staff=manager),
        lambda: actions.holiday_notice_import(actor=actor, year=2027,
                                              rows=[HolidayRow("2027-01-01", "holiday", "元旦")]),
    ]
    for call in calls:
        with pytest.raises(PermissionDenied):
            call()
    assert not AuditEvent.objects.filter(actor=actor).exclude(action__startswith="staff.").exists()


def test_holiday_notice_import_writes_the_year(manager):
    rows = [HolidayRow("2027-01-01", "假日", "元旦"), HolidayRow(datetime.date(2027, 2, 14), "班", "春节"),
            HolidayRow("2027-02-06", "holiday", "春节")]
    notice = actions.holiday_notice_import(actor=manager, year=2027, rows=rows, title="示例", source="x.csv")
    days = list(StatutoryDay.objects.filter(notice=notice).values_list("date", "kind", "name"))
    assert days == [(datetime.date(2027, 1, 1), "holiday", "元旦"), (datetime.date(2027, 2, 6), "holiday", "春节"),
                    (datetime.date(2027, 2, 14), "workday", "春节")]
    assert events("holiday_notice.imported").get().payload == {
        "year": 2027, "title": "示例", "source": "x.csv", "holidays": 2, "workdays": 1}


def test_holiday_notice_import_is_all_or_nothing_with_row_numbers(manager):
    rows = [HolidayRow("2027-01-01", "holiday", "元旦"), HolidayRow("2027-02-30", "holiday", "春节"),
            HolidayRow("2026-10-01", "holiday", "国庆节"), HolidayRow("2027-01-01", "sometimes", ""),
            HolidayRow("2027-05-01", "holiday", "劳动节")]
    with pytest.raises(InvalidInput) as caught:
        actions.holiday_notice_import(actor=manager, year=2027, rows=rows, row_numbers=[2, 3, 4, 5, 6])
    assert sorted(caught.value.data["rows"]) == [3, 4, 5]
    assert len(caught.value.data["rows"][5]) == 3  # kind, name, and the date already on row 2
    assert set(caught.value.errors) == {"row_3", "row_4", "row_5"}
    assert not HolidayNotice.objects.exists() and not StatutoryDay.objects.exists()
    assert not events("holiday_notice.imported").exists()


def test_a_year_is_imported_once(manager):
    rows = [HolidayRow("2027-01-01", "holiday", "元旦")]
    actions.holiday_notice_import(actor=manager, year=2027, rows=rows)
    with pytest.raises(InvalidInput) as caught:
        actions.holiday_notice_import(actor=manager, year=2027, rows=rows)
    assert caught.value.code == "notice_exists" and "year" in caught.value.errors
    assert StatutoryDay.objects.count() == 1


@pytest.mark.parametrize(("year", "rows", "field"), [
    (1999, [HolidayRow("1999-01-01", "holiday", "元旦")], "year"),
    (2027, [], "rows"),
    (2027, [HolidayRow("2027-02-14", "workday", "春节")], "rows"),  # no holiday at all
])
def test_holiday_notice_import_refuses_empty_or_odd_notices(manager, year, rows, field):
    with pytest.raises(InvalidInput) as caught:
        actions.holiday_notice_import(actor=manager, year=year, rows=rows)
    assert field in caught.value.errors
