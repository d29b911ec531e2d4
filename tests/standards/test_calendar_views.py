"""Calendar pages (R10.3): the month view in Chinese and English, the permission matrix, and forms
that show errors beside the field and keep what was typed."""

import datetime

import pytest
from django.urls import reverse

from fuwu.core.models import AuditEvent
from fuwu.org.actions import staff_grant_superuser
from fuwu.org.roles import Role
from fuwu.standards.actions import calendars as actions
from fuwu.standards.models import CalendarException, DutyAssignment, ServiceCalendar
from tests.factories import make_staff

pytestmark = pytest.mark.django_db

MANAGERS = {"admin", "manager"}
STAFF_ROLES = [r.value for r in Role if r != Role.CUSTOMER]



@pytest.fixture
def office():
    return ServiceCalendar.objects.get(code="office")


def october(office) -> str:
    return reverse("standards:calendar_month", args=[office.pk, 2026, 10])


def test_the_month_view_in_chinese_shows_national_day_and_the_working_saturday(client, agent, office):
    client.force_login(agent)
    response = client.get(october(office))
    assert response.status_code == 200
    page = response.content.decode()
    assert page.count('data-kind="holiday"') == 7 and "国庆节" in page
    assert 'data-date="2026-10-10" data-kind="adjusted_workday"' in page and "调休" in page
    assert 'data-date="2026-10-11" data-kind="weekend"' in page
    assert 'data-date="2026-09-28"' in page  # the grid starts on Monday
    assert "exception-form" not in page and "hours-form" not in page  # an agent reads, no forms


def test_the_month_view_in_english(client, agent, office):
    client.force_login(agent)
    client.cookies["django_language"] = "en"
    page = client.get(reverse("standards:calendar_month", args=[office.pk, 2026, 2])).content.decode()
    assert '<html lang="en">' in page
    assert "Spring Festival" in page and "春节" not in page
    assert 'data-date="2026-02-14" data-kind="adjusted_workday"' in page and "Adjusted working day" in page


def test_the_month_view_of_2027_warns_of_missing_data(client, agent, office):
    client.force_login(agent)
    client.cookies["django_language"] = "en"
    page = client.get(reverse("standards:calendar_month", args=[office.pk, 2027, 1])).content.decode()
    assert 'id="month-data-missing"' in page and "Calendar data missing for 2027" in page


def test_month_navigation_by_htmx_returns_the_grid_only(client, agent, office):
    client.force_login(agent)
    response = client.get(october(office), headers={"HX-Request": "true"})
    page = response.content.decode()
    assert page.lstrip().startswith('<div id="month">') and "<html" not in page
    assert reverse("standards:calendar_month", args=[office.pk, 2026, 11]) in page


def test_the_list_shows_the_missing_data_warning_when_it_is_due(client, agent, monkeypatch):
    from django.utils import timezone

    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: datetime.date(2026, 11, 23))
    client.force_login(agent)
    client.cookies["django_language"] = "en"
    page = client.get(reverse("standards:calendars")).content.decode()
    assert "Calendar data missing for 2027: import the State Council&#x27;s holiday notice" in page
    assert "calendar-form" not in page


@pytest.mark.parametrize("role", [*STAFF_ROLES, "customer"])
def test_permission_matrix(client, office, role):
    user = make_staff(role)
    client.force_login(user)
    reads = {
        "list": client.get(reverse("standards:calendars")).status_code,
        "detail": client.get(reverse("standards:calendar", args=[office.pk])).status_code,
        "month": client.get(october(office)).status_code,
    }
    assert reads == dict.fromkeys(reads, 403 if role == "customer" else 200)
    post = client.post(reverse("standards:calendar_exception_add", args=[office.pk]),
                       {"date": "2026-12-02", "kind": "closed"})
    assert post.status_code == (302 if role in MANAGERS else 403)
    assert CalendarException.objects.filter(date="2026-12-02").exists() == (role in MANAGERS)


def test_anonymous_visitors_are_sent_to_log_in(client, office):
    response = client.get(reverse("standards:calendar", args=[office.pk]))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_a_manager_adds_and_withdraws_an_exception(client, manager, office):
    client.force_login(manager)
    response = client.post(reverse("standards:calendar_exception_add", args=[office.pk]),
                           {"date": "2026-12-02", "kind": "special", "hours": "09:00-12:00", "note": "盘点"})
    assert response["Location"] == reverse("standards:calendar_month", args=[office.pk, 2026, 12])
    exception = CalendarException.objects.get(calendar=office, date="2026-12-02")
    page = client.get(response["Location"]).content.decode()
    assert 'data-date="2026-12-02" data-kind="exception_special"' in page and "盘点" in page
    client.post(reverse("standards:calendar_exception_withdraw", args=[office.pk, exception.pk]))
    exception.refresh_from_db()
    assert exception.is_active is False


def test_a_bad_exception_shows_the_error_beside_the_field_and_keeps_the_input(client, manager, office):
    client.force_login(manager)
    client.cookies["django_language"] = "en"
    response = client.post(reverse("standards:calendar_exception_add", args=[office.pk]),
                           {"date": "2026-12-02", "kind": "special", "hours": "9-12", "note": "盘点"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "is not a time range such as 09:00-12:00" in page and 'value="9-12"' in page and 'value="盘点"' in page
    assert 'id="exception-form" class="collapse show' in page
    assert not CalendarException.objects.exists()


def test_a_manager_sets_the_hours_and_a_stale_form_is_a_conflict(client, manager, office):
    client.force_login(manager)
    url = reverse("standards:calendar_hours", args=[office.pk])
    week = {f"hours_{day}": "09:00-12:00, 13:00-18:00" for day in range(5)} | {"hours_5": "", "hours_6": ""}
    response = client.post(url, {**week, "hours_0": "08:30-12:00, 13:00-17:30", "version": office.version})
    assert response.status_code == 302
    assert AuditEvent.objects.filter(action="calendar.hours_set").get().payload["new"] == {
        "0": "08:30-12:00, 13:00-17:30"}
    stale = client.post(url, {**week, "hours_1": "10:00-16:00", "version": office.version})
    assert stale.status_code == 409
    page = stale.content.decode()
    assert 'id="conflict"' in page and 'value="10:00-16:00"' in page
    assert f'name="version" value="{office.version + 1}"' in page  # saving again is a knowing overwrite


def test_a_bad_day_of_hours_is_shown_beside_that_day(client, manager, office):
    client.force_login(manager)
    response = client.post(reverse("standards:calendar_hours", args=[office.pk]),
                           {"hours_2": "09:00-12:00, 11:00-13:00", "version": office.version})
    assert response.status_code == 400
    page = response.content.decode()
    assert 'name="hours_2" value="09:00-12:00, 11:00-13:00"' in page and "is-invalid" in page


def test_a_manager_assigns_duty_once_per_person_and_day(client, manager, agent):
    duty_line = ServiceCalendar.objects.get(code="duty_line")
    client.force_login(manager)
    url = reverse("standards:calendar_duty_assign", args=[duty_line.pk])
    form = {"date": "2026-10-01", "staff": agent.pk, "shift": "08:00-20:00", "phone": "13800138000"}
    assert client.post(url, form).status_code == 302
    again = client.post(url, form)
    assert again.status_code == 400 and "已在此日历值班" in again.content.decode()
    assignment = DutyAssignment.objects.get()
    page = client.get(october(duty_line)).content.decode()
    assert agent.get_full_name() in page
    client.post(reverse("standards:calendar_duty_withdraw", args=[duty_line.pk, assignment.pk]), {"reason": "调班"})
    assignment.refresh_from_db()
    assert assignment.is_active is False


def test_a_manager_creates_a_calendar_and_changes_its_settings(client, manager, office):
    client.force_login(manager)
    response = client.post(reverse("standards:calendars"), {
        "new-code": "east", "new-name": "华东", "new-parent": office.pk, "new-timezone": "Asia/Shanghai",
        "new-observes_statutory_holidays": "on"})
    east = ServiceCalendar.objects.get(code="east")
    assert response["Location"] == reverse("standards:calendar", args=[east.pk])
    bad = client.post(reverse("standards:calendar_settings", args=[office.pk]), {
        "name": office.name, "parent": east.pk, "timezone": "Asia/Shanghai", "version": office.version})
    assert bad.status_code == 400 and 'id="settings-form"' in bad.content.decode()
    ok = client.post(reverse("standards:calendar_settings", args=[east.pk]), {
        "name": "华东区域", "parent": office.pk, "timezone": "Asia/Shanghai", "version": east.version})
    assert ok.status_code == 302 and ServiceCalendar.objects.get(pk=east.pk).name == "华东区域"


def test_the_month_view_counts_its_queries(client, agent, office, django_assert_max_num_queries):
    duty_line = ServiceCalendar.objects.get(code="duty_line")
    for n in range(1, 8):
        actions.duty_assign(actor=None, calendar=duty_line, date=datetime.date(2026, 10, n), staff=agent)
    client.force_login(agent)
    client.get(october(duty_line))  # warm the clock cache
    with django_assert_max_num_queries(25):
        assert client.get(october(duty_line)).status_code == 200


def test_the_admin_validates_hours_and_bumps_the_revision(client, office):
    admin = make_staff(Role.ADMIN)
    staff_grant_superuser(actor=None, user=admin)
    client.force_login(admin)
    hours = list(office.hours.order_by("weekday", "start"))
    data = {"code": "office", "name": "办公时间", "name_en": "Office hours", "parent": "", "timezone": "Asia/Shanghai",
            "observes_statutory_holidays": "on", "description": "", "is_active": "on",
            "hours-TOTAL_FORMS": len(hours), "hours-INITIAL_FORMS": len(hours), "hours-MIN_NUM_FORMS": 0,
            "hours-MAX_NUM_FORMS": 1000}
    for i, h in enumerate(hours):
        data |= {f"hours-{i}-id": h.pk, f"hours-{i}-calendar": office.pk, f"hours-{i}-weekday": h.weekday,
                 f"hours-{i}-start": f"{h.start:%H:%M}", f"hours-{i}-end": f"{h.end:%H:%M}"}
    url = reverse("admin:standards_servicecalendar_change", args=[office.pk])
    overlapping = client.post(url, {**data, "hours-1-start": "11:00"})  # Monday 09-12 and 11-18
    assert overlapping.status_code == 200 and office.hours.get(pk=hours[1].pk).start == datetime.time(13)
    assert client.post(url, {**data, "hours-1-start": "14:00"}).status_code == 302
    assert ServiceCalendar.objects.get(pk=office.pk).version == office.version + 1
    event = AuditEvent.objects.get(action="calendar.hours_set")
    assert (event.actor, event.payload["new"]) == (admin, {"0": "09:00-12:00, 14:00-18:00"})
    assert client.post(url, {**data, "parent": office.pk}).status_code == 200  # not its own parent
    for name in ("calendarexception", "holidaynotice", "dutyassignment"):
        assert client.get(reverse(f"admin:standards_{name}_changelist")).status_code == 200
